package detect

import (
	"go/token"
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
	n, ok := arrayLen(alloc)
	if !ok {
		return []resolved{dyn()}
	}
	out := make([]resolved, n)
	for i := range out {
		out[i] = dyn()
	}
	literalElements(alloc, n, func(i int, ia *ssa.IndexAddr) {
		for _, r := range *ia.Referrers() {
			if st, ok := r.(*ssa.Store); ok && st.Addr == ia {
				out[i] = d.resolve(st.Val, depth+1)
			}
		}
	})
	return out
}

// arrayLen returns the length of the array an allocation holds (a
// defined array type too).
func arrayLen(alloc *ssa.Alloc) (int, bool) {
	arr, ok := pointee(alloc.Type()).Underlying().(*types.Array)
	if !ok {
		return 0, false
	}
	return int(arr.Len()), true
}

// literalElements calls f with the index and the address of each element
// of the array alloc that code addresses by a constant index below n: the
// elements a slice or array literal initialises.
func literalElements(alloc *ssa.Alloc, n int, f func(i int, ia *ssa.IndexAddr)) {
	for _, ref := range *alloc.Referrers() {
		ia, ok := ref.(*ssa.IndexAddr)
		if !ok {
			continue
		}
		if idx, ok := ia.Index.(*ssa.Const); ok && idx.Int64() >= 0 && idx.Int64() < int64(n) {
			f(int(idx.Int64()), ia)
		}
	}
}

// tableStrings resolves a string field read from the element a loop over a
// slice or array literal holds (r.path in for _, r := range
// []route{{path: "/a"}, {path: "/b"}}) to the constant each element of the
// literal stores there, in order. It reports false unless every element
// stores a constant.
func (d *pass) tableStrings(v ssa.Value) ([]string, bool) {
	field, at := -1, ssa.Value(nil)
	switch x := v.(type) {
	case *ssa.Field: // a field of the element, loaded whole
		if ld, ok := x.X.(*ssa.UnOp); ok && ld.Op == token.MUL {
			field, at = x.Field, ld.X
		}
	case *ssa.UnOp: // a field loaded through its address
		if fa, ok := x.X.(*ssa.FieldAddr); ok && x.Op == token.MUL {
			field, at = fa.Field, fa.X
		}
	}
	ia, ok := elementAddr(at)
	if !ok {
		return nil, false
	}
	var alloc *ssa.Alloc
	switch x := ia.X.(type) {
	case *ssa.Slice:
		alloc, _ = x.X.(*ssa.Alloc)
	case *ssa.Alloc:
		alloc = x
	}
	if alloc == nil {
		return nil, false
	}
	n, ok := arrayLen(alloc)
	if !ok || n == 0 {
		return nil, false
	}
	out := make([]string, n)
	set := make([]bool, n)
	literalElements(alloc, n, func(i int, el *ssa.IndexAddr) {
		if s, ok := storedField(el, field, 0); ok {
			out[i], set[i] = s, true
		}
	})
	if slices.Contains(set, false) {
		return nil, false
	}
	return out, true
}

// elementAddr returns the address of the slice or array element a struct
// read at addr came from: the element itself, or a local variable the
// loop copied the element into (the range variable).
func elementAddr(addr ssa.Value) (*ssa.IndexAddr, bool) {
	switch a := addr.(type) {
	case *ssa.IndexAddr:
		return a, true
	case *ssa.Alloc:
		var from *ssa.IndexAddr
		for _, r := range *a.Referrers() {
			st, ok := r.(*ssa.Store)
			if !ok || st.Addr != a {
				continue
			}
			ld, ok := st.Val.(*ssa.UnOp)
			if !ok || ld.Op != token.MUL {
				return nil, false
			}
			ia, ok := ld.X.(*ssa.IndexAddr)
			if !ok || from != nil && from != ia {
				return nil, false
			}
			from = ia
		}
		return from, from != nil
	}
	return nil, false
}

// storedField returns the constant string stored in field of the struct
// at addr: directly, or into the composite literal copied there whole.
func storedField(addr ssa.Value, field, depth int) (string, bool) {
	if depth > 2 {
		return "", false
	}
	for _, r := range *addr.Referrers() {
		switch r := r.(type) {
		case *ssa.FieldAddr:
			if r.Field != field {
				continue
			}
			for _, w := range *r.Referrers() {
				if st, ok := w.(*ssa.Store); ok && st.Addr == r {
					if c, ok := st.Val.(*ssa.Const); ok {
						if v := constString(c); v.exact {
							return v.s, true
						}
					}
				}
			}
		case *ssa.Store:
			if ld, ok := r.Val.(*ssa.UnOp); ok && r.Addr == addr && ld.Op == token.MUL {
				return storedField(ld.X, field, depth+1)
			}
		}
	}
	return "", false
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
