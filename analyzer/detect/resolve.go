package detect

import (
	"cmp"
	"go/constant"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// dynamic stands for a part of a string not known statically.
const dynamic = "*"

// maxDepth bounds resolution through chains of values and phi cycles.
const maxDepth = 12

// A resolved string: exact when every part was constant. A value that is
// not exact may still be resolvable later: param is the parameter it
// depends on (its callers may pass constants), field the struct field
// (a flag may give it a default).
type resolved struct {
	s     string
	exact bool
	param *ssa.Parameter
	field *types.Var
	note  string // how a non-literal part was taken, e.g. "flag -http default"
}

func lit(s string) resolved { return resolved{s: s, exact: true} }
func dyn() resolved         { return resolved{s: dynamic} }

// str resolves v to a string with "*" for parts not known statically.
func (d *pass) str(v ssa.Value) (string, bool) {
	r := d.resolve(v, 0)
	return r.s, r.exact
}

func (d *pass) resolve(v ssa.Value, depth int) resolved {
	if v == nil || depth > maxDepth {
		return dyn()
	}
	switch v := v.(type) {
	case *ssa.Const:
		return constString(v)
	case *ssa.BinOp:
		if v.Op == token.ADD {
			return concat(d.resolve(v.X, depth+1), d.resolve(v.Y, depth+1))
		}
	case *ssa.ChangeType:
		return d.resolve(v.X, depth+1)
	case *ssa.Convert:
		return d.resolve(v.X, depth+1)
	case *ssa.MakeInterface:
		return d.resolve(v.X, depth+1)
	case *ssa.UnOp:
		if v.Op == token.MUL {
			return d.load(v.X, depth)
		}
	case *ssa.Field:
		return d.fieldValue(fieldVar(v.X.Type(), v.Field))
	case *ssa.Phi:
		return d.phi(v, depth)
	case *ssa.Call:
		return d.callString(v, depth)
	case *ssa.Parameter:
		if r, ok := d.env[v]; ok {
			return r
		}
		return resolved{s: dynamic, param: v}
	case *ssa.FreeVar:
		return d.freeVar(v, depth)
	}
	return dyn()
}

// load resolves *addr: a package-level variable, a struct field, or the
// pointer flag.String returns.
func (d *pass) load(addr ssa.Value, depth int) resolved {
	switch a := addr.(type) {
	case *ssa.Global:
		return d.global(a, depth)
	case *ssa.FreeVar: // a captured variable: the closure holds its address
		if b := d.binding(a); b != nil {
			return d.load(b, depth+1)
		}
	case *ssa.Alloc:
		return d.cell(a, depth)
	case *ssa.FieldAddr:
		return d.fieldValue(fieldVar(a.X.Type(), a.Field))
	case *ssa.Call:
		if fn := a.Call.StaticCallee(); fn != nil && fn.Pkg != nil && fn.Pkg.Pkg.Path() == "flag" && len(a.Call.Args) == 3 {
			r := d.resolve(a.Call.Args[1], depth+1)
			name, _ := d.str(a.Call.Args[0])
			r.note = "default of flag -" + name
			return r
		}
	}
	return dyn()
}

// fieldValue is the default a flag registration gives a struct field,
// once defaults are in use; otherwise it marks the value as field-bound.
func (d *pass) fieldValue(f *types.Var) resolved {
	if f == nil {
		return dyn()
	}
	if r, ok := d.flagDefaults[f]; ok && d.useDefaults {
		return r
	}
	return resolved{s: dynamic, field: f}
}

func fieldVar(t types.Type, i int) *types.Var {
	st, ok := pointee(t).Underlying().(*types.Struct)
	if !ok || i >= st.NumFields() {
		return nil
	}
	return st.Field(i)
}

// freeVar resolves a closure's captured variable through the binding the
// enclosing function made.
func (d *pass) freeVar(v *ssa.FreeVar, depth int) resolved {
	if b := d.binding(v); b != nil {
		return d.resolve(b, depth+1)
	}
	return dyn()
}

// binding returns the value the enclosing function binds to v.
func (d *pass) binding(v *ssa.FreeVar) ssa.Value {
	fn := v.Parent()
	idx := slices.Index(fn.FreeVars, v)
	if fn.Parent() == nil || idx < 0 {
		return nil
	}
	for _, b := range fn.Parent().Blocks {
		for _, instr := range b.Instrs {
			if mc, ok := instr.(*ssa.MakeClosure); ok && mc.Fn == fn && idx < len(mc.Bindings) {
				return mc.Bindings[idx]
			}
		}
	}
	return nil
}

// cell resolves a variable that escaped to the heap (one a closure
// captures) when exactly one store sets it.
func (d *pass) cell(a *ssa.Alloc, depth int) resolved {
	var val ssa.Value
	for _, r := range *a.Referrers() {
		if st, ok := r.(*ssa.Store); ok && st.Addr == a {
			if val != nil {
				return dyn()
			}
			val = st.Val
		}
	}
	if val == nil {
		return dyn()
	}
	return d.resolve(val, depth+1)
}

func constString(c *ssa.Const) resolved {
	if c.Value == nil {
		return lit("")
	}
	switch c.Value.Kind() {
	case constant.String:
		return lit(constant.StringVal(c.Value))
	case constant.Int, constant.Float, constant.Bool:
		return lit(c.Value.ExactString())
	}
	return dyn()
}

func concat(a, b resolved) resolved {
	s := a.s + b.s
	for strings.Contains(s, "**") {
		s = strings.ReplaceAll(s, "**", "*")
	}
	return resolved{s: s, exact: a.exact && b.exact, param: cmp.Or(a.param, b.param),
		field: cmp.Or(a.field, b.field), note: cmp.Or(a.note, b.note)}
}

// phi resolves to the value all edges agree on, or "*".
func (d *pass) phi(v *ssa.Phi, depth int) resolved {
	var first *resolved
	for _, e := range v.Edges {
		if e == v {
			continue
		}
		r := d.resolve(e, depth+1)
		if first == nil {
			first = &r
		} else if *first != r {
			return dyn()
		}
	}
	if first == nil {
		return dyn()
	}
	return *first
}

// global resolves a package-level variable that its package initialiser
// sets to a constant string and nothing in the module writes again.
func (d *pass) global(g *ssa.Global, depth int) resolved {
	if r, ok := d.globals[g]; ok {
		if r == nil {
			return dyn() // cycle
		}
		return *r
	}
	d.globals[g] = nil
	r := dyn()
	if init := g.Pkg.Func("init"); init != nil {
		for _, b := range init.Blocks {
			for _, instr := range b.Instrs {
				if st, ok := instr.(*ssa.Store); ok && st.Addr == g {
					r = d.resolve(st.Val, depth+1)
				}
			}
		}
	}
	if d.rewritten(g) {
		r = dyn()
	}
	d.globals[g] = &r
	return r
}

// rewritten reports whether the global is in the mutable state the
// analyzer found (written after initialisation).
func (d *pass) rewritten(g *ssa.Global) bool {
	c := d.g.Component(d.p.ComponentOf(g.Pkg.Pkg.Path()))
	return c != nil && slices.Contains(c.MutableState, g.Pkg.Pkg.Name()+"."+g.Name())
}
