package analyzer

import (
	"go/token"
	"go/types"
	"strings"
)

// offeredInterfaces lists, for each component, the interfaces it offers as
// an API of its own: exported, non-generic interface types declared in its
// packages, with at least one exported method, that a concrete type
// declared in the same component implements (with value or pointer
// receivers). Such a part defines its contract and hides its
// implementation behind it; an interface implemented only by other
// components is their port, not this component's API.
//
// Types declared in test files or generated files (mocks, gRPC stubs) do
// not count, on either side; nor do packages that did not type-check, nor
// generic types, whose method sets exist only per instance. Entries are
// "pkg.Name", sorted.
func (p *Program) offeredInterfaces() map[string][]string {
	ifaces, concrete := p.declaredTypes()
	out := map[string][]string{}
	for _, id := range sortedKeys(ifaces) {
		byMethod := p.methodIndex(concrete[id])
		for _, tn := range ifaces[id] {
			it := tn.Type().Underlying().(*types.Interface)
			for _, t := range byMethod[it.Method(0).Id()] {
				if types.Implements(types.NewPointer(t), it) {
					out[id] = append(out[id], tn.Pkg().Name()+"."+tn.Name())
					break
				}
			}
		}
	}
	return out
}

// declaredTypes collects, per component, the candidate interfaces and the
// concrete named types declared by hand in its well-typed packages.
func (p *Program) declaredTypes() (ifaces map[string][]*types.TypeName, concrete map[string][]types.Type) {
	ifaces, concrete = map[string][]*types.TypeName{}, map[string][]types.Type{}
	for i, pkg := range p.Packages {
		id := p.ComponentOf(pkg.PkgPath)
		if id == "" || p.SSAPackages[i] == nil || strings.HasSuffix(pkg.PkgPath, "_test") {
			continue // external test packages, and packages without reliable types
		}
		scope := pkg.Types.Scope()
		for _, name := range scope.Names() {
			tn, ok := scope.Lookup(name).(*types.TypeName)
			if !ok || tn.IsAlias() || !p.handWritten(tn.Pos()) {
				continue
			}
			named, ok := tn.Type().(*types.Named)
			if !ok || named.TypeParams().Len() > 0 {
				continue
			}
			if it, ok := named.Underlying().(*types.Interface); ok {
				if tn.Exported() && it.IsMethodSet() && hasExportedMethod(it) {
					ifaces[id] = append(ifaces[id], tn)
				}
				continue
			}
			concrete[id] = append(concrete[id], named)
		}
	}
	return ifaces, concrete
}

// methodIndex maps each method id to the types among ts whose pointer has
// that method, so that an interface is checked only against the types
// having its first method.
func (p *Program) methodIndex(ts []types.Type) map[string][]types.Type {
	index := map[string][]types.Type{}
	for _, t := range ts {
		for sel := range p.SSA.MethodSets.MethodSet(types.NewPointer(t)).Methods() {
			id := sel.Obj().Id()
			index[id] = append(index[id], t)
		}
	}
	return index
}

func hasExportedMethod(it *types.Interface) bool {
	for m := range it.Methods() {
		if m.Exported() {
			return true
		}
	}
	return false
}

// handWritten reports whether pos lies in a file of the package's own
// code: neither a test file nor a generated one.
func (p *Program) handWritten(pos token.Pos) bool {
	if !pos.IsValid() {
		return false
	}
	return !strings.HasSuffix(p.Fset.File(pos).Name(), "_test.go") && !p.IsGenerated(pos)
}
