package analyzer

import (
	"cmp"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// ComponentOf returns the component id of a package path, or "" when the
// package is not part of an analysed module.
func (p *Program) ComponentOf(pkgPath string) string {
	pkgPath = strings.TrimSuffix(pkgPath, "_test")
	for _, m := range p.Modules {
		if pkgPath == m || strings.HasPrefix(pkgPath, m+"/") {
			if p.opts.Group != nil {
				if id := p.opts.Group(m, pkgPath); id != "" {
					return id
				}
			}
			return pkgPath
		}
	}
	return ""
}

// FuncPackage returns the package path a function belongs to in the source:
// its declaring package for methods, wrappers and instances, the enclosing
// function's for closures.
func FuncPackage(fn *ssa.Function) string {
	for fn != nil {
		if o := fn.Origin(); o != nil {
			fn = o
		}
		if obj := fn.Object(); obj != nil {
			if obj.Pkg() == nil {
				return ""
			}
			return obj.Pkg().Path()
		}
		if fn.Parent() != nil {
			fn = fn.Parent()
			continue
		}
		if fn.Pkg != nil {
			return fn.Pkg.Pkg.Path()
		}
		return ""
	}
	return ""
}

// FuncComponent returns the component id of a function, or "".
func (p *Program) FuncComponent(fn *ssa.Function) string {
	return p.ComponentOf(FuncPackage(fn))
}

// Funcs returns the module's functions that have bodies (declared functions,
// methods, closures, generic instances and wrappers reached from them),
// sorted by name and position.
func (p *Program) Funcs() []*ssa.Function {
	if p.funcs != nil {
		return p.funcs
	}
	seen := map[*ssa.Function]bool{}
	var work []*ssa.Function
	add := func(fn *ssa.Function) {
		if fn == nil || seen[fn] || p.FuncComponent(fn) == "" {
			return
		}
		seen[fn] = true
		work = append(work, fn)
	}
	for _, sp := range p.SSAPackages {
		if sp == nil {
			continue
		}
		for _, name := range sortedKeys(sp.Members) {
			switch m := sp.Members[name].(type) {
			case *ssa.Function:
				add(m)
			case *ssa.Type:
				for _, fn := range p.declaredMethods(sp, m.Type()) {
					add(fn)
				}
			}
		}
	}
	for len(work) > 0 {
		fn := work[len(work)-1]
		work = work[:len(work)-1]
		for _, anon := range fn.AnonFuncs {
			add(anon)
		}
		referencedFuncs(fn, add)
	}
	// Sorted by name, then position; each name is computed once (String
	// builds it anew on every call, and the sort would call it n log n
	// times).
	type named struct {
		fn   *ssa.Function
		name string
	}
	var byName []named
	for fn := range seen {
		if len(fn.Blocks) > 0 {
			byName = append(byName, named{fn, fn.String()})
		}
	}
	slices.SortFunc(byName, func(a, b named) int {
		return cmp.Or(cmp.Compare(a.name, b.name), cmp.Compare(a.fn.Pos(), b.fn.Pos()))
	})
	out := make([]*ssa.Function, len(byName))
	for i, n := range byName {
		out[i] = n.fn
	}
	p.funcs = out
	return out
}

// declaredMethods returns the methods declared on a named type of package sp
// (for value and pointer receivers), skipping generic types, whose methods
// only exist as instances.
func (p *Program) declaredMethods(sp *ssa.Package, t types.Type) []*ssa.Function {
	named, ok := t.(*types.Named)
	if !ok || named.TypeParams().Len() > 0 {
		return nil
	}
	var out []*ssa.Function
	for _, recv := range []types.Type{t, types.NewPointer(t)} {
		mset := p.SSA.MethodSets.MethodSet(recv)
		for sel := range mset.Methods() {
			if sel.Obj().Pkg() != sp.Pkg || len(sel.Index()) > 1 {
				continue
			}
			if _, isPtr := recv.(*types.Pointer); isPtr && !pointerRecv(sel.Obj()) {
				continue // the value-receiver method, already added
			}
			if fn := p.SSA.MethodValue(sel); fn != nil {
				out = append(out, fn)
			}
		}
	}
	return out
}

func pointerRecv(obj types.Object) bool {
	sig := obj.Type().(*types.Signature)
	_, ok := sig.Recv().Type().(*types.Pointer)
	return ok
}

// referencedFuncs calls add for every function that fn's instructions name,
// which finds generic instances and wrappers built on demand.
func referencedFuncs(fn *ssa.Function, add func(*ssa.Function)) {
	var ops []*ssa.Value
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			ops = instr.Operands(ops[:0])
			for _, op := range ops {
				if op != nil {
					if g, ok := (*op).(*ssa.Function); ok {
						add(g)
					}
				}
			}
		}
	}
}

// RecvName returns the name of the type whose method fn is (the element of
// a pointer receiver, aliases resolved), or "" for a function or a method
// of an unnamed type.
func RecvName(fn *ssa.Function) string {
	recv := fn.Signature.Recv()
	if recv == nil {
		return ""
	}
	t := types.Unalias(recv.Type())
	if ptr, ok := t.(*types.Pointer); ok {
		t = types.Unalias(ptr.Elem())
	}
	if named, ok := t.(*types.Named); ok {
		return named.Obj().Name()
	}
	return ""
}

// eachOperand calls visit with every operand of every instruction of fn.
func eachOperand(fn *ssa.Function, visit func(instr ssa.Instruction, v ssa.Value)) {
	var ops []*ssa.Value
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			ops = instr.Operands(ops[:0])
			for _, op := range ops {
				if op != nil && *op != nil {
					visit(instr, *op)
				}
			}
		}
	}
}
