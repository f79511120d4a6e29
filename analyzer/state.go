package analyzer

import (
	"cmp"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/podsplit/podsplit/graph"
)

// A globalUse is one access to a package-level variable from a function.
type globalUse struct {
	global *ssa.Global
	fn     *ssa.Function
	pos    token.Pos
	access string // "read", "write" or "ref" (address handed on)
	// callOnly marks a read of a variable holding behaviour (a function
	// or an interface) whose value is only called (see callsThrough).
	callOnly bool
}

// globalUses walks the module's functions for accesses to the module's
// package-level variables.
func (p *Program) globalUses() []globalUse {
	var uses []globalUse
	for _, fn := range p.Funcs() {
		eachOperand(fn, func(instr ssa.Instruction, v ssa.Value) {
			g, ok := v.(*ssa.Global)
			if !ok || !p.domainGlobal(g) {
				return
			}
			pos := instr.Pos()
			if !pos.IsValid() {
				pos = fn.Pos()
			}
			uses = append(uses, globalUse{global: g, fn: fn, pos: pos, access: accessOf(instr, g), callOnly: callsThrough(instr)})
		})
	}
	return uses
}

// callsThrough reports whether instr loads a value holding behaviour (a
// function or an interface) that is then only called: vmstorage.DebugFlush()
// or vmstorage.VMSelectAPI.LabelNames(…), an entry point its package set
// up and others call, rather than data they share.
func callsThrough(instr ssa.Instruction) bool {
	load, ok := instr.(*ssa.UnOp)
	if !ok || load.Op != token.MUL {
		return false
	}
	switch load.Type().Underlying().(type) {
	case *types.Signature, *types.Interface:
	default:
		return false
	}
	refs := load.Referrers()
	if refs == nil || len(*refs) == 0 {
		return false
	}
	for _, r := range *refs {
		call, ok := r.(ssa.CallInstruction)
		if !ok || call.Common().Value != load || slices.Contains(call.Common().Args, ssa.Value(load)) {
			return false
		}
	}
	return true
}

// domainGlobal reports whether g is a package-level variable of the module
// written by hand: the bookkeeping variables of generated code (protobuf
// descriptors, registries) are no one's domain state.
func (p *Program) domainGlobal(g *ssa.Global) bool {
	return p.ComponentOf(g.Pkg.Pkg.Path()) != "" && !strings.HasPrefix(g.Name(), "init$") && !p.IsGenerated(g.Pos())
}

// accessOf classifies how instr uses the address g.
func accessOf(instr ssa.Instruction, g *ssa.Global) string {
	switch i := instr.(type) {
	case *ssa.Store:
		if i.Addr == g {
			return "write"
		}
		return "ref"
	case *ssa.UnOp:
		if i.Op == token.MUL {
			if mutatedAfterLoad(i) {
				return "write"
			}
			return "read"
		}
	case *ssa.FieldAddr:
		if writesThrough(i, 0) {
			return "write"
		}
		return "read"
	case *ssa.IndexAddr:
		if writesThrough(i, 0) {
			return "write"
		}
		return "read"
	}
	return "ref"
}

// mutatedAfterLoad reports whether the value loaded from a global is a map,
// pointer or slice that is then written through or has a module method with a
// pointer receiver called on it: the global then names shared mutable state
// even though the variable itself is never reassigned.
func mutatedAfterLoad(load *ssa.UnOp) bool {
	switch load.Type().Underlying().(type) {
	case *types.Map:
		for _, ref := range *load.Referrers() {
			if mu, ok := ref.(*ssa.MapUpdate); ok && mu.Map == load {
				return true
			}
		}
	case *types.Pointer, *types.Slice:
		if writesThrough(load, 0) {
			return true
		}
		for _, ref := range *load.Referrers() {
			if call, ok := ref.(ssa.CallInstruction); ok && mutatingMethodCall(call.Common(), load) {
				return true
			}
		}
	}
	return false
}

func mutatingMethodCall(call *ssa.CallCommon, recv ssa.Value) bool {
	fn := call.StaticCallee()
	if fn == nil || fn.Signature.Recv() == nil || len(call.Args) == 0 || call.Args[0] != recv || loggingMethod(fn.Name()) {
		return false
	}
	_, ptr := fn.Signature.Recv().Type().(*types.Pointer)
	return ptr && hasLockOrMap(fn.Signature.Recv().Type())
}

// loggingMethod reports whether a method's name says it logs (Debugf,
// Info, Warnw, Errorln, Fatal, Printf, Log…) or asks whether a level is on
// (DebugEnabled): a package-level logger (Istio's scope.Analysis, a
// *log.Scope whose levels are atomics) is written to, not shared state
// its callers couple through.
func loggingMethod(name string) bool {
	if strings.HasSuffix(name, "Enabled") {
		return true
	}
	for _, level := range []string{"Debug", "Info", "Warn", "Warning", "Error", "Fatal", "Panic", "Print", "Trace", "Log"} {
		if rest, ok := strings.CutPrefix(name, level); ok && (rest == "" || rest == "f" || rest == "ln" || rest == "w" || rest == "s") {
			return true
		}
	}
	return false
}

// hasLockOrMap reports whether t (or what it points to) is a struct holding a
// mutex, an atomic or a map: a type built to be mutated while shared.
func hasLockOrMap(t types.Type) bool {
	if ptr, ok := t.Underlying().(*types.Pointer); ok {
		t = ptr.Elem()
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok {
		return false
	}
	for f := range st.Fields() {
		ft := f.Type()
		if _, ok := ft.Underlying().(*types.Map); ok {
			return true
		}
		if named, ok := types.Unalias(ft).(*types.Named); ok && named.Obj().Pkg() != nil {
			if path := named.Obj().Pkg().Path(); path == "sync" || path == "sync/atomic" {
				return true
			}
		}
	}
	return false
}

// outermost returns the function fn is declared in, through every level
// of closures, or fn.
func outermost(fn *ssa.Function) *ssa.Function {
	for fn.Parent() != nil {
		fn = fn.Parent()
	}
	return fn
}

// isInit reports whether fn runs only during package initialisation.
func isInit(fn *ssa.Function) bool {
	fn = outermost(fn)
	return fn.Synthetic == "package initializer" || strings.HasPrefix(fn.Name(), "init#") || fn.Name() == "init"
}

// mutableGlobals returns the globals written, or handed on by address,
// outside package initialisation and other than by start-up code (see
// launchers). Others (sentinel errors, lookup tables, configuration set
// once) are read-only in effect and couple nothing.
func mutableGlobals(uses []globalUse, startup func(globalUse) bool) map[*ssa.Global]bool {
	mut := map[*ssa.Global]bool{}
	for _, u := range uses {
		if mutates(u, startup) {
			mut[u.global] = true
		}
	}
	return mut
}

// mutates reports whether an access writes its global, or hands on its
// address, outside initialisation and start-up.
func mutates(u globalUse, startup func(globalUse) bool) bool {
	if u.access == "read" || isInit(u.fn) || startup(u) || isPool(u.global.Type().(*types.Pointer).Elem()) {
		return false
	}
	return u.access != "ref" || refMutates(u.global)
}

// isPool reports whether t is a pool of reusable objects: sync.Pool, a
// pointer to one, or a type named …Pool built on one (a pool per size
// class, a checksum pool). Taking from and returning to a pool hands no
// data from one user to another: every process has its own, and two
// components sharing one share nothing a split would have to carry.
func isPool(t types.Type) bool {
	return poolType(t, 0)
}

func poolType(t types.Type, depth int) bool {
	if depth > 3 {
		return false
	}
	switch u := types.Unalias(t).(type) {
	case *types.Pointer:
		return poolType(u.Elem(), depth+1)
	case *types.Slice:
		return poolType(u.Elem(), depth+1)
	case *types.Array:
		return poolType(u.Elem(), depth+1)
	case *types.Named:
		obj := u.Obj()
		if obj.Pkg() != nil && obj.Pkg().Path() == "sync" && obj.Name() == "Pool" {
			return true
		}
		if !strings.HasSuffix(obj.Name(), "Pool") {
			return false
		}
		st, ok := u.Underlying().(*types.Struct)
		if !ok {
			return false
		}
		for f := range st.Fields() {
			if poolType(f.Type(), depth+1) {
				return true
			}
		}
	}
	return false
}

// refMutates decides whether handing on the address of g can mutate it: true
// for types built to be mutated while shared (locks, maps), and for plain
// values of module types, whose pointer methods are the usual way to change them.
func refMutates(g *ssa.Global) bool {
	elem := g.Type().(*types.Pointer).Elem()
	if hasLockOrMap(elem) {
		return true
	}
	switch elem.Underlying().(type) {
	case *types.Signature, *types.Interface:
		return false
	}
	named, ok := types.Unalias(elem).(*types.Named)
	return ok && named.Obj().Pkg() == g.Pkg.Pkg
}

// addStateEdges adds a "state" edge for every access from one component to a
// mutable package-level variable of another that is shared (in a program
// where something writes it, see linkage.writtenWith), other than a call
// through a function or interface only its own package sets (an entry
// point, reached by the calls the call graph already has), and records each component's
// mutable variables, from the module's accesses to package-level variables
// and those of them that are mutable (see mutableGlobals).
func (p *Program) addStateEdges(g *graph.Graph, uses []globalUse, mut map[*ssa.Global]bool, shared func(globalUse) bool) {
	type key struct{ from, to string }
	edges := map[key]*graph.Edge{}
	access := map[key]map[string]map[string]bool{}
	// foreignWrite holds the variables some other component than their
	// own writes, ownWrite those their own package sets after
	// initialisation (in Init, Start…, start-up or not). A read of a
	// variable no one else writes that only calls what it holds is a
	// call through an entry point (locator), not shared state.
	foreignWrite, ownWrite := map[*ssa.Global]bool{}, map[*ssa.Global]bool{}
	for _, u := range uses {
		if u.access == "read" || isInit(u.fn) {
			continue
		}
		if p.FuncComponent(u.fn) != p.ComponentOf(u.global.Pkg.Pkg.Path()) {
			foreignWrite[u.global] = true
		} else {
			ownWrite[u.global] = true
		}
	}
	locator := func(u globalUse) bool { return u.access == "read" && u.callOnly && !foreignWrite[u.global] }
	for _, u := range uses {
		owner := p.ComponentOf(u.global.Pkg.Pkg.Path())
		if c := g.Component(owner); c != nil && mut[u.global] {
			c.MutableState = append(c.MutableState, u.global.Pkg.Pkg.Name()+"."+u.global.Name())
		}
		from := p.FuncComponent(u.fn)
		if from == owner || from == "" || isInit(u.fn) {
			continue
		}
		if locator(u) {
			if c := g.Component(owner); c != nil && ownWrite[u.global] {
				c.EntryPoints = append(c.EntryPoints, u.global.Pkg.Pkg.Name()+"."+u.global.Name())
			}
			continue
		}
		if !mut[u.global] || !shared(u) {
			continue
		}
		k := key{from, owner}
		e := edges[k]
		if e == nil {
			e = &graph.Edge{From: from, To: owner, Kind: graph.KindState, Mechanism: "global"}
			edges[k] = e
			access[k] = map[string]map[string]bool{}
		}
		name := u.global.Pkg.Pkg.Name() + "." + u.global.Name()
		if access[k][name] == nil {
			access[k][name] = map[string]bool{}
		}
		acc := u.access
		if acc == "ref" {
			acc = "write"
		}
		access[k][name][acc] = true
		e.Static++
		e.Evidence = append(e.Evidence, graph.Evidence{Pos: p.RelPos(u.pos), Detail: shortName(u.fn) + " " + verb(acc) + " " + name})
	}
	keys := make([]key, 0, len(edges))
	for k := range edges {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b key) int { return cmp.Or(cmp.Compare(a.from, b.from), cmp.Compare(a.to, b.to)) })
	for _, k := range keys {
		e := edges[k]
		for _, name := range sortedKeys(access[k]) {
			e.State = append(e.State, graph.StateAccess{Var: name, Access: strings.Join(sortedKeys(access[k][name]), ",")})
		}
		e.EvidenceTotal = len(e.Evidence)
		g.Edges = append(g.Edges, e)
	}
}

func verb(access string) string {
	if access == "write" {
		return "writes"
	}
	return "reads"
}
