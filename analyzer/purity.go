package analyzer

import (
	"go/token"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// A purity tracks which of the module's functions are pure for splitting:
// neither they nor anything they may call (their resolved callees and the
// closures they create) touch a mutable package-level variable of the
// module, write through a pointer or into a map they did not make (an
// object's fields, an in-memory store), lock, communicate on a channel,
// perform I/O, or call code nobody can name (a function value or an
// interface method with no known callee). A call whose callees are
// all pure needs no running instance of the callee's part: its caller can
// link the code (a validation helper, a formatter, a pure computation in
// another domain's package) instead of calling across a boundary.
type purity struct {
	decl    func(*ssa.Function) *ssa.Function // see Program.declared
	mut     map[*ssa.Global]bool
	impure  map[*ssa.Function]bool
	callers map[*ssa.Function][]*ssa.Function
}

func newPurity(decl func(*ssa.Function) *ssa.Function, mut map[*ssa.Global]bool) *purity {
	return &purity{decl: decl, mut: mut, impure: map[*ssa.Function]bool{}, callers: map[*ssa.Function][]*ssa.Function{}}
}

// instr records what one instruction of fn tells of fn's own impurity,
// and the closures it creates; call sites are recorded by site.
func (pu *purity) instr(fn *ssa.Function, instr ssa.Instruction, ops []*ssa.Value) []*ssa.Value {
	switch instr := instr.(type) {
	case *ssa.Send, *ssa.Select:
		pu.impure[fn] = true
	case *ssa.UnOp:
		if instr.Op == token.ARROW {
			pu.impure[fn] = true
		}
	case *ssa.Store:
		if !local(instr.Addr) {
			pu.impure[fn] = true
		}
	case *ssa.MapUpdate:
		if !local(instr.Map) {
			pu.impure[fn] = true
		}
	case ssa.CallInstruction:
		if ioKind(instr.Common()) != "" || effectCall(instr.Common()) {
			pu.impure[fn] = true
		}
	case *ssa.MakeClosure:
		pu.call(fn, instr.Fn.(*ssa.Function))
	}
	ops = instr.Operands(ops[:0])
	for _, op := range ops {
		if op == nil {
			continue
		}
		if g, ok := (*op).(*ssa.Global); ok && pu.mut[g] {
			pu.impure[fn] = true
		}
	}
	return ops
}

// site records the callees resolved for a call site of caller: none at a
// dynamic site means code nobody can name runs there.
func (pu *purity) site(caller *ssa.Function, site ssa.CallInstruction, callees []*ssa.Function) {
	call := site.Common()
	if len(callees) == 0 && call.StaticCallee() == nil && !isUniversal(call) {
		if _, builtin := call.Value.(*ssa.Builtin); !builtin {
			pu.impure[caller] = true
		}
	}
	for _, c := range callees {
		pu.call(caller, pu.decl(c))
	}
}

// local reports whether an address or map was made by the function itself:
// the base of a chain of field and element addresses is an allocation or
// a map made there.
func local(v ssa.Value) bool {
	for {
		switch x := v.(type) {
		case *ssa.Alloc, *ssa.MakeMap, *ssa.MakeSlice:
			return true
		case *ssa.FieldAddr:
			v = x.X
		case *ssa.IndexAddr:
			v = x.X
		default:
			return false
		}
	}
}

// effectPackages are standard packages whose functions act on the world or
// on shared state: locks and atomics guard state shared beyond the call;
// the others read or write files, streams, connections, processes or the
// environment.
var effectPackages = map[string]bool{
	"sync": true, "sync/atomic": true, "os": true, "os/exec": true, "os/signal": true, "io": true, "io/fs": true,
	"bufio": true, "net": true, "net/http": true, "net/rpc": true, "database/sql": true, "syscall": true,
	"log/syslog": true, "plugin": true,
}

// effectCall reports a call into one of the effectPackages, or into code
// outside the standard library whose body is not analysed: a third-party
// client may well do I/O (a database driver, a logger, a metrics
// registry), and nothing here can tell.
func effectCall(call *ssa.CallCommon) bool {
	var pkg string
	if call.IsInvoke() {
		if p := call.Method.Pkg(); p != nil {
			pkg = p.Path()
		}
	} else if fn := call.StaticCallee(); fn != nil && len(fn.Blocks) == 0 {
		pkg = FuncPackage(fn)
		if first, _, _ := strings.Cut(pkg, "/"); strings.Contains(first, ".") {
			return true
		}
	}
	return effectPackages[pkg]
}

// call records that caller may call callee.
func (pu *purity) call(caller, callee *ssa.Function) {
	pu.callers[callee] = append(pu.callers[callee], caller)
}

// settle spreads impurity from callees to their callers.
func (pu *purity) settle() {
	work := make([]*ssa.Function, 0, len(pu.impure))
	for fn := range pu.impure {
		work = append(work, fn)
	}
	for len(work) > 0 {
		fn := work[len(work)-1]
		work = work[:len(work)-1]
		for _, c := range pu.callers[fn] {
			if !pu.impure[c] {
				pu.impure[c] = true
				work = append(work, c)
			}
		}
	}
	pu.callers = nil
}

// pure reports whether fn is pure. A function without a body here (an
// unbuilt generic origin, assembly) is not known to be.
func (pu *purity) pure(fn *ssa.Function) bool { return !pu.impure[fn] && len(fn.Blocks) > 0 }
