package analyzer

import (
	"go/token"
	"go/types"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/podsplit/podsplit/graph"
)

// Commands of one binary.
//
// Many systems ship every service in one binary with a subcommand each
// (thanos sidecar|store|query|…, a geth with its tool commands), and keep
// each subcommand in a file of its own beside main.go: main dispatches to
// registerQuery in query.go, registerStore in store.go. Which packages a
// subcommand runs is then the best evidence of which service they belong
// to, and package imports cannot give it: the main package imports them
// all.
//
// A commandReach walks, once the program is built, from each command's
// roots to the components it reaches (see next), with no call graph: the
// chosen algorithm resolves a call through an interface or a function
// value without context, so a shared helper calling back what it was
// handed would tie every command to every other.
type commandReach struct {
	p     *Program
	mains map[*ssa.Package]string // main package → its component's name
	comp  map[*ssa.Function]string
	meths map[types.Type][]*ssa.Function
}

// newCommandReach returns nil when no program of the scan has more than one
// file holding functions, so that no scan pays for what cannot apply.
func (p *Program) newCommandReach(g *graph.Graph) *commandReach {
	cr := &commandReach{p: p, mains: map[*ssa.Package]string{}, comp: map[*ssa.Function]string{},
		meths: map[types.Type][]*ssa.Function{}}
	deployable := map[string]bool{}
	for _, pkg := range p.deployable() {
		deployable[pkg.PkgPath] = true
	}
	for i, pkg := range p.Packages {
		sp := p.SSAPackages[i]
		if sp == nil || pkg.Name != "main" || !deployable[pkg.PkgPath] || len(pkg.Syntax) < 3 {
			continue
		}
		if c := g.Component(p.ComponentOf(pkg.PkgPath)); c != nil {
			cr.mains[sp] = c.Name
		}
	}
	if len(cr.mains) == 0 {
		return nil
	}
	return cr
}

// mark sets graph.Component.Commands for the components the commands of
// each multi-command program reach.
func (cr *commandReach) mark(g *graph.Graph) {
	if cr == nil {
		return
	}
	reached := map[string]map[string]bool{} // component id → commands
	mains := make([]*ssa.Package, 0, len(cr.mains))
	for sp := range cr.mains {
		mains = append(mains, sp)
	}
	slices.SortFunc(mains, func(a, b *ssa.Package) int { return strings.Compare(a.Pkg.Path(), b.Pkg.Path()) })
	for _, sp := range mains {
		own := cr.p.ComponentOf(sp.Pkg.Path())
		dispatch, roots := cr.commandRoots(sp)
		if len(roots) < 2 {
			continue
		}
		isRoot := map[*ssa.Function]bool{}
		for _, fns := range roots {
			for _, fn := range fns {
				isRoot[fn] = true
			}
		}
		name := cr.mains[sp]
		record := func(label string, ids map[string]bool) {
			for id := range ids {
				if id == own {
					continue
				}
				if reached[id] == nil {
					reached[id] = map[string]bool{}
				}
				reached[id][label] = true
			}
		}
		// The program's own start-up (main.go, package initialisation)
		// reaches what every command shares: it stops at the commands.
		record(name, cr.walk(dispatch, isRoot))
		for _, file := range sortedKeys(roots) {
			record(name+" "+commandName(file), cr.reach(roots[file]))
		}
	}
	for _, c := range g.Components {
		if set := reached[c.ID]; set != nil {
			c.Commands = sortedKeys(set)
		}
	}
}

// commandName names a command after its file, without a word saying it is
// one: query_frontend.go → query-frontend, chaincmd.go → chain,
// cmd_serve.go → serve.
func commandName(file string) string {
	name := strings.ReplaceAll(strings.TrimSuffix(filepath.Base(file), ".go"), "_", "-")
	for _, affix := range []string{"-command", "command", "-cmd", "cmd"} {
		if rest := strings.TrimSuffix(name, affix); rest != name && rest != "" {
			return rest
		}
	}
	for _, affix := range []string{"command-", "cmd-"} {
		if rest := strings.TrimPrefix(name, affix); rest != name && rest != "" {
			return rest
		}
	}
	return name
}

// commandRoots returns the dispatching functions of a main package (those
// in the file declaring main, its package initialisation) and, per other
// file, the functions of that file they call or name: the commands.
func (cr *commandReach) commandRoots(sp *ssa.Package) (dispatch []*ssa.Function, roots map[string][]*ssa.Function) {
	mainFn := sp.Func("main")
	if mainFn == nil {
		return nil, nil
	}
	mainFile := cr.file(mainFn)
	var own []*ssa.Function
	for _, fn := range cr.p.Funcs() {
		if fn.Pkg == sp {
			own = append(own, fn)
		}
	}
	for _, fn := range own {
		if f := cr.file(fn); f == mainFile || f == "" && fn.Synthetic == "package initializer" {
			dispatch = append(dispatch, fn)
		}
	}
	roots = map[string][]*ssa.Function{}
	seen := map[*ssa.Function]bool{}
	for _, d := range dispatch {
		cr.next(d, func(fn *ssa.Function) {
			if fn.Pkg != sp || seen[fn] {
				return
			}
			if f := cr.file(fn); f != "" && f != mainFile && !strings.HasSuffix(f, "_test.go") {
				seen[fn] = true
				roots[f] = append(roots[f], fn)
			}
		})
	}
	return dispatch, roots
}

// file returns the file declaring fn (its enclosing function's, for a
// closure), or "" for a synthetic function.
func (cr *commandReach) file(fn *ssa.Function) string {
	for fn.Pos() == token.NoPos && fn.Parent() != nil {
		fn = fn.Parent()
	}
	if fn.Pos() == token.NoPos {
		return ""
	}
	return cr.p.Fset.File(fn.Pos()).Name()
}

// next calls visit for every function fn may run or hand over: the
// functions its instructions name (calls, function values, closures) and
// every method of the module's types it converts to an interface, since
// whoever receives the value may call any of them (net/http calls a
// handler's ServeHTTP). A call through an interface needs no resolving
// then: it can only run a method of a type some reached code converted.
// So a helper closing an io.Closer does not reach every Close of the
// module, only those of the types the command itself created; a call
// resolution without context would tie every command to every other
// through such helpers. Other packages' initialisation is left out: it
// runs in every program.
func (cr *commandReach) next(fn *ssa.Function, visit func(*ssa.Function)) {
	var ops []*ssa.Value
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if mi, ok := instr.(*ssa.MakeInterface); ok {
				for _, m := range cr.methods(mi.X.Type()) {
					visit(m)
				}
			}
			ops = instr.Operands(ops[:0])
			for _, op := range ops {
				if op != nil {
					if g, ok := (*op).(*ssa.Function); ok && (g.Synthetic != "package initializer" || g.Pkg == fn.Pkg) {
						visit(g)
					}
				}
			}
		}
	}
}

// methods returns the methods the module declares for a named type of its
// own, or for the type a pointer points to.
func (cr *commandReach) methods(t types.Type) []*ssa.Function {
	if ms, ok := cr.meths[t]; ok {
		return ms
	}
	var out []*ssa.Function
	base := t
	if ptr, ok := t.(*types.Pointer); ok {
		base = ptr.Elem()
	}
	if named, ok := base.(*types.Named); ok && named.Obj().Pkg() != nil && cr.p.ComponentOf(named.Obj().Pkg().Path()) != "" {
		if sp := cr.p.SSA.Package(named.Obj().Pkg()); sp != nil {
			out = cr.p.declaredMethods(sp, base)
		}
	}
	cr.meths[t] = out
	return out
}

// reach returns the components of the functions a command runs (walk).
func (cr *commandReach) reach(roots []*ssa.Function) map[string]bool {
	return cr.walk(roots, nil)
}

func (cr *commandReach) component(fn *ssa.Function) string {
	id, ok := cr.comp[fn]
	if !ok {
		id = cr.p.FuncComponent(fn)
		cr.comp[fn] = id
	}
	return id
}

// walk returns the components of the functions reachable from start by the
// calls and function values their code names, not entering the functions
// of stop.
func (cr *commandReach) walk(start []*ssa.Function, stop map[*ssa.Function]bool) map[string]bool {
	seen := map[*ssa.Function]bool{}
	out := map[string]bool{}
	work := slices.Clone(start)
	for _, fn := range start {
		seen[fn] = true
	}
	for len(work) > 0 {
		fn := work[len(work)-1]
		work = work[:len(work)-1]
		id := cr.component(fn)
		if id == "" {
			continue // a dependency: its body is not loaded
		}
		out[id] = true
		cr.next(fn, func(g *ssa.Function) {
			if !seen[g] && !stop[g] {
				seen[g] = true
				work = append(work, g)
			}
		})
	}
	return out
}
