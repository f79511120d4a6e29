package detect

import (
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/podsplit/podsplit/analyzer"
	"github.com/podsplit/podsplit/analyzer/link"
)

// A site is one instruction a detector looks at: a call, or a store into
// a field of a struct (how composite literals such as kafka.Writer{Topic:
// …} reach SSA).
type site struct {
	d     *pass
	fn    *ssa.Function
	instr ssa.Instruction
	at    token.Pos
	pos   string // "file:line" of at, computed when first needed
	comp  string

	// For calls: the callee's package path, receiver type name ("" for a
	// function) and name; the receiver value and the other arguments.
	call   *ssa.CallCommon
	sig    *types.Signature
	pkg    string
	recv   string
	name   string
	recvV  ssa.Value
	args   []ssa.Value
	result ssa.Value // the call's value, nil for go and defer

	// For field stores: the struct's package path and name, the field and
	// the value stored.
	field      string
	structName string
	val        ssa.Value

	detector func(*site) // the detector looking at the site, for replay
	last     resolved    // the last string the detector resolved
	via      string      // set on replay: how the key reached the site
}

// where returns the repository-relative position of the site.
func (s *site) where() string {
	if s.pos == "" {
		s.pos = s.d.p.RelPos(s.at)
	}
	return s.pos
}

// str resolves v and remembers the result for unresolved and fact.
func (s *site) str(v ssa.Value) (string, bool) {
	s.last = s.d.resolve(v, 0)
	return s.last.s, s.last.exact
}

// initSite fills s for instr of fn (in component comp); it reports false
// for instructions no detector looks at. Sites are reused across
// instructions, so nothing here allocates for those.
func (d *pass) initSite(s *site, fn *ssa.Function, comp string, instr ssa.Instruction) bool {
	*s = site{d: d, fn: fn, instr: instr, comp: comp, at: instr.Pos()}
	if !s.at.IsValid() {
		s.at = fn.Pos()
	}
	switch in := instr.(type) {
	case ssa.CallInstruction:
		if !s.setCall(in) {
			return false
		}
		if c, ok := in.(*ssa.Call); ok {
			s.result = c
		}
	case *ssa.Store:
		fa, ok := in.Addr.(*ssa.FieldAddr)
		if !ok {
			return false
		}
		named, ok := types.Unalias(pointee(fa.X.Type())).(*types.Named)
		if !ok || named.Obj().Pkg() == nil {
			return false
		}
		st, ok := named.Underlying().(*types.Struct)
		if !ok || fa.Field >= st.NumFields() {
			return false
		}
		s.pkg, s.structName = named.Obj().Pkg().Path(), named.Obj().Name()
		s.field = st.Field(fa.Field).Name()
		s.val = in.Val
	default:
		return false
	}
	return true
}

// setCall fills the call fields; it reports false for calls of function
// values, which name no framework function.
func (s *site) setCall(in ssa.CallInstruction) bool {
	c := in.Common()
	s.call = c
	if c.IsInvoke() {
		named, ok := types.Unalias(c.Value.Type()).(*types.Named)
		if !ok || named.Obj().Pkg() == nil {
			return false
		}
		s.pkg, s.recv, s.name = named.Obj().Pkg().Path(), named.Obj().Name(), c.Method.Name()
		s.sig = c.Method.Type().(*types.Signature)
		s.recvV, s.args = c.Value, c.Args
		return true
	}
	fn := c.StaticCallee()
	if fn == nil || fn.Synthetic == "package initializer" {
		return false
	}
	if o := fn.Origin(); o != nil {
		fn = o
	}
	s.pkg, s.name, s.sig = analyzer.FuncPackage(fn), fn.Name(), fn.Signature
	s.args = c.Args
	if fn.Signature.Recv() != nil {
		s.recv = analyzer.RecvName(fn)
		if len(c.Args) > 0 {
			s.recvV, s.args = c.Args[0], c.Args[1:]
		}
	}
	return true
}

// is reports whether the site calls name of package pkg (or a package
// below it, so that major versions match) on a receiver named one of recvs
// ("" for a plain function; no recvs means any receiver).
func (s *site) is(pkg, name string, recvs ...string) bool {
	if s.call == nil || s.name != name || !inPkg(s.pkg, pkg) {
		return false
	}
	if len(recvs) == 0 {
		return true
	}
	for _, r := range recvs {
		if r == s.recv {
			return true
		}
	}
	return false
}

// inPkg reports whether path is pkg, a major version of it (pkg/v5), or a
// package below it.
func inPkg(path, pkg string) bool {
	return strings.HasPrefix(path, pkg) && (len(path) == len(pkg) || path[len(pkg)] == '/')
}

// stores reports whether the site stores into field of struct name in pkg.
func (s *site) stores(pkg, name, field string) bool {
	return s.val != nil && s.structName == name && s.field == field && inPkg(s.pkg, pkg)
}

// arg returns the i-th argument (receiver excluded), or nil.
func (s *site) arg(i int) ssa.Value {
	if i < len(s.args) {
		return s.args[i]
	}
	return nil
}

// fact records a fact at the site, saying how its key was found when it
// was not a literal.
func (s *site) fact(role, mech, key, detail string) {
	s.d.add(link.Fact{Component: s.comp, Role: role, Mechanism: mech, Key: key, Pos: s.where(), Detail: s.detail(detail)})
}

func (s *site) detail(detail string) string {
	var parts []string
	for _, p := range []string{detail, s.last.note, s.via} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, "; ")
}

// unresolved reports a key the site needs but that is not constant, or
// defers it when the value depends on a parameter (its callers may pass
// constants) or a struct field (a flag may give it a default).
func (s *site) unresolved(what string, got string) {
	if !s.d.replaying && (s.last.param != nil || s.last.field != nil) {
		s.d.pending = append(s.d.pending, *s)
		return
	}
	if got == "" || got == "*" {
		s.d.diag(s.where(), "%s in %s is not a constant", what, funcName(s.fn))
		return
	}
	s.d.diag(s.where(), "%s in %s is not fully constant: %q", what, funcName(s.fn), got)
}

// pointee is the type a pointer of type t points to: t's underlying type
// is the pointer, so a defined pointer type (type P *S, whose p.f selects
// a field of S) counts, as client-go has. t itself when it is no pointer.
func pointee(t types.Type) types.Type {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}

func deref(t types.Type) types.Type {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}

// funcName names fn as "pkg.(*T).M" for evidence.
func funcName(fn *ssa.Function) string {
	if o := fn.Origin(); o != nil {
		fn = o
	}
	pkg := fn.Pkg
	if pkg == nil {
		return fn.Name()
	}
	return pkg.Pkg.Name() + "." + fn.RelString(pkg.Pkg)
}
