package analyzer

import (
	"slices"

	"golang.org/x/tools/go/ssa"

	"github.com/podsplit/podsplit/graph"
)

// markRuns lists, of the programs linking a component
// (graph.Component.Programs), those whose code runs it
// (graph.Component.Runs). A program links every package its imports name,
// and many systems build each binary from one package every main imports:
// OpenIM's thirteen mains each call one constructor of pkg/common/cmd,
// which imports every service's code, so each binary links all thirteen
// services and runs one. What a main reaches by the functions its code
// names (see commandReach.reach: calls, function values, the methods of
// the module's types it converts to an interface, the variables it reads),
// from its main package and the initialisation of every package whose
// code it runs, is what it runs. A component no program's code reaches
// (registered in a package initialiser, found by reflection) keeps every
// program linking it.
func (p *Program) markRuns(g *graph.Graph, cr *commandReach, l *linkage) {
	if l == nil || !l.mains || len(l.roots) < 2 {
		return
	}
	funcs := p.packageFuncs()
	reached := map[string][]string{} // component → programs reaching it
	for _, root := range l.roots {
		id := p.ComponentOf(root)
		var start []*ssa.Function
		for i, q := range p.Packages {
			if sp := p.SSAPackages[i]; sp != nil && q.PkgPath == root {
				start = append(start, funcs[sp]...)
			}
		}
		if id == "" || len(start) == 0 {
			continue
		}
		// The program runs the initialisation of every package whose
		// code it runs (cobra commands a package registers in init and
		// its Execute runs), found until no new package turns up.
		used := map[*ssa.Package]bool{}
		for len(start) > 0 {
			var next []*ssa.Function
			cr.reach(start, nil, func(fn *ssa.Function, c string) bool {
				if !slices.Contains(reached[c], id) {
					reached[c] = append(reached[c], id)
				}
				if fn.Pkg != nil && !used[fn.Pkg] {
					used[fn.Pkg] = true
					if init := fn.Pkg.Func("init"); init != nil {
						next = append(next, init)
					}
				}
				return true
			})
			start = next
		}
	}
	for _, c := range g.Components {
		if len(c.Programs) < 2 {
			continue
		}
		var runs []string
		for _, prog := range c.Programs {
			if slices.Contains(reached[c.ID], prog) {
				runs = append(runs, prog)
			}
		}
		if len(runs) > 0 && len(runs) < len(c.Programs) {
			c.Runs = runs // sorted, as c.Programs is
		}
	}
}
