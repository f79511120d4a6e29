package detect

import (
	"go/types"
	"path"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/ssa"
)

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
	arr, ok := pointee(alloc.Type()).Underlying().(*types.Array) // a defined array type too
	if !ok {
		return []resolved{dyn()}
	}
	n := int(arr.Len())
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
