package analyzer

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"maps"
	"slices"

	"golang.org/x/tools/go/packages"
	"golang.org/x/tools/go/ssa"
	"golang.org/x/tools/go/types/typeutil"
)

// An unbuiltCall is a static call, read from the syntax and the partial
// type information of a package of the module that did not type-check: a
// package with errors of its own gets no SSA, yet the calls that did
// resolve (a function, or a method of a concrete type, of another package
// of the module) are still what it runs. Argo Workflows' argoexec
// commands call a platform package missing its Linux files, and lost every
// edge to the executor they build.
type unbuiltCall struct {
	pkg    string // the caller's package path
	caller string // "commands.initExecutor", for evidence
	pos    token.Pos
	callee *types.Func
}

// unbuiltCalls reads the static calls of an ill-typed package.
func (p *Program) unbuiltCalls(pkg *packages.Package) []unbuiltCall {
	info := pkg.TypesInfo
	if info == nil || pkg.Types == nil || generatedPkg(pkg) {
		return nil
	}
	var out []unbuiltCall
	for _, f := range pkg.Syntax {
		for _, decl := range f.Decls {
			fd, ok := decl.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			caller := pkg.Types.Name() + "." + fd.Name.Name
			if fd.Recv != nil && len(fd.Recv.List) > 0 {
				caller = pkg.Types.Name() + ".(" + types.ExprString(fd.Recv.List[0].Type) + ")." + fd.Name.Name
			}
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				fn, ok := typeutil.Callee(info, call).(*types.Func)
				if !ok || fn.Pkg() == nil || fn.Pkg() == pkg.Types {
					return true
				}
				if sig, ok := fn.Type().(*types.Signature); ok && sig.Recv() != nil && types.IsInterface(sig.Recv().Type()) {
					return true // an interface method: which one runs needs type flow
				}
				out = append(out, unbuiltCall{pkg: pkg.PkgPath, caller: caller, pos: call.Lparen, callee: fn})
				return true
			})
		}
	}
	return out
}

// generatedPkg reports whether every file of a package is generated.
func generatedPkg(pkg *packages.Package) bool {
	for _, f := range pkg.Syntax {
		if !ast.IsGenerated(f) {
			return false
		}
	}
	return len(pkg.Syntax) > 0
}

// unbuilt records the static calls of the packages that did not
// type-check (see unbuiltCall), one site each, with a diagnostic per
// package saying how many were recovered.
func (a *aggregator) unbuilt(calls []unbuiltCall) []*Site {
	sig := types.NewSignatureType(nil, nil, nil, nil, nil, false)
	stand := map[string]*ssa.Function{}
	count := map[string]int{}
	var out []*Site
	for _, c := range calls {
		from := a.p.ComponentOf(c.pkg)
		fn := a.p.SSA.FuncValue(c.callee)
		if fn == nil || from == "" {
			continue
		}
		fn = a.p.declared(fn)
		to := a.p.FuncComponent(fn)
		if to == "" || to == from || !c.pos.IsValid() {
			continue
		}
		pos := a.p.Fset.Position(c.pos)
		key := fmt.Sprintf("%s:%d:%d", pos.Filename, pos.Line, pos.Column)
		if a.seen[key] {
			continue
		}
		a.seen[key] = true
		caller := stand[c.caller]
		if caller == nil {
			caller = a.p.SSA.NewFunction(c.caller, sig, "podsplit: no SSA, the package does not type-check")
			stand[c.caller] = caller
		}
		s := &Site{Pos: pos, RelPos: a.p.relPosition(pos), Caller: caller, Callees: []*ssa.Function{fn}, From: from,
			bodies: []*ssa.Function{fn}}
		a.addAll(s, "read from syntax: the package does not type-check")
		out = append(out, s)
		count[c.pkg]++
	}
	for _, pkg := range slices.Sorted(maps.Keys(count)) {
		a.g.AddDiagnostic("", "load", fmt.Sprintf("%s: %d calls into other components read from its syntax, without SSA: it does not type-check, so calls through interfaces and function values are missing",
			pkg, count[pkg]))
	}
	return out
}
