package detect

import (
	"cmp"
	"go/constant"
	"go/token"
	"go/types"
	"path"
	"slices"
	"strconv"
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
	st, ok := deref(t).Underlying().(*types.Struct)
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

// callString resolves the string results of the few standard functions
// that build names from parts.
func (d *pass) callString(c *ssa.Call, depth int) resolved {
	fn := c.Call.StaticCallee()
	if fn == nil || fn.Pkg == nil {
		return dyn()
	}
	args := c.Call.Args
	if d.p.FuncComponent(fn) != "" {
		return d.fallback(fn, args, depth)
	}
	switch fn.Pkg.Pkg.Path() + "." + fn.Name() {
	case "fmt.Sprintf":
		return d.sprintf(args, depth)
	case "path.Join", "path/filepath.Join":
		return d.join(d.variadic(args[0], depth), "/", true)
	case "strings.Join":
		sep := d.resolve(args[1], depth+1)
		if !sep.exact {
			return dyn()
		}
		return d.join(d.variadic(args[0], depth), sep.s, false)
	case "net.JoinHostPort":
		return concat(concat(d.resolve(args[0], depth+1), lit(":")), d.resolve(args[1], depth+1))
	case "strconv.Itoa", "strconv.FormatInt":
		return d.resolve(args[0], depth+1)
	case "net/url.JoinPath":
		parts := append([]resolved{d.resolve(args[0], depth+1)}, d.variadic(args[1], depth)...)
		return d.join(parts, "/", false)
	}
	return dyn()
}

func (d *pass) join(parts []resolved, sep string, clean bool) resolved {
	out := lit("")
	for i, p := range parts {
		if i > 0 {
			out = concat(out, lit(sep))
		}
		out = concat(out, p)
	}
	if clean && out.exact {
		out.s = path.Clean(out.s)
	}
	return out
}

// variadic resolves the elements of a slice built from a literal (how
// SSA passes variadic arguments): stores into an array allocation.
func (d *pass) variadic(v ssa.Value, depth int) []resolved {
	sl, ok := v.(*ssa.Slice)
	if !ok {
		if c, ok := v.(*ssa.Const); ok && c.IsNil() {
			return nil
		}
		return []resolved{dyn()}
	}
	alloc, ok := sl.X.(*ssa.Alloc)
	if !ok {
		return []resolved{dyn()}
	}
	n := int(deref(alloc.Type()).(*types.Array).Len())
	out := make([]resolved, n)
	for i := range out {
		out[i] = dyn()
	}
	for _, ref := range *alloc.Referrers() {
		ia, ok := ref.(*ssa.IndexAddr)
		if !ok {
			continue
		}
		idx, ok := ia.Index.(*ssa.Const)
		if !ok {
			continue
		}
		i := int(idx.Int64())
		for _, r := range *ia.Referrers() {
			if st, ok := r.(*ssa.Store); ok && st.Addr == ia && i < n {
				out[i] = d.resolve(st.Val, depth+1)
			}
		}
	}
	return out
}

// sprintf expands a constant format: %s %v %d %q and friends take their
// argument when it is constant and "*" otherwise.
func (d *pass) sprintf(args []ssa.Value, depth int) resolved {
	format := d.resolve(args[0], depth+1)
	if !format.exact {
		return dyn()
	}
	vals := d.variadic(args[1], depth)
	out := lit("")
	f := format.s
	n := 0
	for i := 0; i < len(f); i++ {
		if f[i] != '%' {
			out.s += string(f[i])
			continue
		}
		j := i + 1
		for j < len(f) && strings.IndexByte("+-# 0123456789.[]*", f[j]) >= 0 {
			j++
		}
		if j >= len(f) {
			break
		}
		if f[j] == '%' {
			out.s += "%"
			i = j
			continue
		}
		arg := dyn()
		if n < len(vals) && (f[j] == 's' || f[j] == 'v' || f[j] == 'd') {
			arg = vals[n]
		}
		n++
		out = concat(out, arg)
		i = j
	}
	return out
}

// fallback resolves a call to a module helper of the shape
// env(key, fallback string) string, one of whose results is its last
// parameter: the constant passed there is the value when the environment
// says nothing, and is taken as a default.
func (d *pass) fallback(fn *ssa.Function, args []ssa.Value, depth int) resolved {
	sig := fn.Signature
	n := sig.Params().Len()
	if n < 2 || sig.Results().Len() != 1 || !isString(sig.Results().At(0).Type()) || len(fn.Params) != n || len(args) != n {
		return dyn()
	}
	last := fn.Params[n-1]
	if !isString(last.Type()) || !returns(fn, last) {
		return dyn()
	}
	r := d.resolve(args[n-1], depth+1)
	if r.exact {
		key, _ := d.str(args[0])
		r.note = "default of " + fn.Name() + "(" + strconv.Quote(key) + ")"
	}
	return r
}

// returns reports whether fn returns v, directly or through a phi.
func returns(fn *ssa.Function, v ssa.Value) bool {
	for _, b := range fn.Blocks {
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok || len(ret.Results) != 1 {
			continue
		}
		switch r := ret.Results[0].(type) {
		case *ssa.Parameter:
			if r == v {
				return true
			}
		case *ssa.Phi:
			if slices.Contains(r.Edges, v) {
				return true
			}
		}
	}
	return false
}
