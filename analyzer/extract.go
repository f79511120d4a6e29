package analyzer

import (
	"cmp"
	"fmt"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/podsplit/podsplit/graph"
)

// A Site is a call site of the module whose callees lie in another component.
// Runtime ingestion attaches execution counts to sites.
type Site struct {
	Pos     token.Position // absolute file name, line and column
	RelPos  string         // repository-relative "file:line"
	Caller  *ssa.Function
	Callees []*ssa.Function // in other components, sorted
	From    string
	// To holds the component of each callee, parallel to Callees.
	To      []string
	Dynamic bool // resolved by an algorithm rather than statically
	// Indirect is set for a call through a function value (not an
	// interface method): whatever it runs was handed to the caller.
	Indirect bool
	// Foreign is set for a call of a method of an interface declared
	// outside the module.
	Foreign bool
	ByType  bool
	// InLoop is set when the call lies inside a loop of its function.
	InLoop bool
	// Wired is set for a call a dependency-injection framework makes
	// (see wiring).
	Wired bool
	// bodies are the functions whose bodies run at the site, one per
	// callee of another component: a generic function's instance rather
	// than its origin, a declared method rather than its wrapper.
	bodies []*ssa.Function
}

// A Result is the outcome of extraction: the graph and the cross-component
// call sites it was aggregated from.
type Result struct {
	Graph   *graph.Graph
	Program *Program
	Sites   []*Site
}

// Extract builds the component graph of a loaded program: one component per
// package (or per configured group), call edges from cross-component call
// sites, state edges from cross-component access to package-level variables,
// and a role for every component.
func Extract(p *Program) *Result {
	g := graph.New(strings.Join(p.Modules, " "))
	if len(p.Modules) == 1 {
		g.Module = p.Modules[0]
	}
	g.Modules = p.Modules
	g.Diagnostics = append(g.Diagnostics, p.Diagnostics...)
	g.Stats.Algorithm = p.opts.Algo
	p.opts.progress("building call graph")
	res := &Result{Graph: g, Program: p}
	p.addComponents(g)
	resolve := p.newResolver(g)
	p.opts.progress("aggregating edges")
	importers := p.importers()
	agg := newAggregator(p, g)
	agg.link.markUnlinked(g, p.ComponentOf)
	agg.up = newImportedBy(importers)
	uses := p.globalUses()
	launchers := p.launchers(importers)
	for id := range p.registries() {
		launchers[id] = true
	}
	startup := p.startupWrite(launchers)
	atStart := p.initOnly()
	uncalled := func(*ssa.Function) bool { return false }
	if agg.link != nil {
		uncalled = p.uncalledFuncs()
	}
	configures := func(u globalUse) bool {
		return startup(u) || !agg.link.runs(u.fn) || atInit(u.fn, atStart) || uncalled(u.fn)
	}
	mut := mutableGlobals(uses, configures)
	pu := newPurity(p.declared, mut)
	wires := p.newWiring(mut)
	var calls []*Site
	record := func(sites ...*Site) { // call sites, which countPure weighs
		res.Sites = append(res.Sites, sites...)
		calls = append(calls, sites...)
	}
	var ops []*ssa.Value
	for _, fn := range p.aggregationOrder(resolve) {
		g.Stats.Functions++
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				ops = pu.instr(fn, instr, ops)
				if s := agg.wired(wires, fn, instr); s != nil {
					record(s)
				}
				if site, ok := instr.(ssa.CallInstruction); ok {
					g.Stats.CallSites++
					callees, byType := resolve(site)
					pu.site(fn, site, callees)
					if s := agg.site(fn, site, callees, byType); s != nil {
						record(s)
					}
					if s := agg.handoff(fn, site); s != nil {
						res.Sites = append(res.Sites, s)
					}
				}
			}
		}
	}
	record(agg.unbuilt(p.unbuilt)...)
	record(agg.hands(wires)...)
	pu.settle()
	cr := p.newCommandReach()
	cr.mark(g)
	p.markRuns(g, cr, agg.link)
	agg.countPure(calls, pu)
	agg.finish()
	p.addStateEdges(g, uses, mut, agg.link.writtenWith(uses, configures, p.setupCallers(launchers)))
	p.addEndpoints(g)
	p.assignRoles(g, importers)
	g.Sort()
	return res
}

// addEndpoints adds a component for every edge end outside the analysed
// packages (a module package reached from them when patterns narrow the
// scan), so that every edge joins two components of the graph.
func (p *Program) addEndpoints(g *graph.Graph) {
	have := map[string]bool{}
	for _, c := range g.Components {
		have[c.ID] = true
	}
	for _, e := range g.Edges {
		for _, id := range []string{e.From, e.To} {
			if !have[id] {
				have[id] = true
				g.Components = append(g.Components, &graph.Component{ID: id, Name: p.componentName(id), Language: "go",
					Role: graph.RoleService, RoleReason: "outside the analysed packages: known only from the edges into it"})
			}
		}
	}
}

type edgeKey struct{ from, to string }

type aggregator struct {
	p       *Program
	g       *graph.Graph
	loops   map[*ssa.Function]map[*ssa.BasicBlock]bool // blocks inside loops, per function
	edges   map[edgeKey]*graph.Edge
	callees map[edgeKey]map[*ssa.Function]*graph.Callee
	seen    map[string]bool // "file:line:col" of sites already counted
	link    *linkage
	up      *importedBy
	// serial and serialTypes memoise nonSerializable per callee and per
	// type: a callee of several components is judged once.
	serial      map[*ssa.Function][]string
	serialTypes map[types.Type]string
}

// nonSerializable is nonSerializable(fn), judged once per function.
func (a *aggregator) nonSerializable(fn *ssa.Function) []string {
	fn = origin(fn)
	why, ok := a.serial[fn]
	if !ok {
		why = nonSerializable(fn, a.serialTypes)
		a.serial[fn] = why
	}
	return slices.Clone(why)
}

func newAggregator(p *Program, g *graph.Graph) *aggregator {
	return &aggregator{p: p, g: g, edges: map[edgeKey]*graph.Edge{},
		callees: map[edgeKey]map[*ssa.Function]*graph.Callee{}, seen: map[string]bool{}, link: p.newLinkage(),
		serial: map[*ssa.Function][]string{}, serialTypes: map[types.Type]string{}}
}

// site records one call site; it returns the Site when it crosses components.
func (a *aggregator) site(caller *ssa.Function, site ssa.CallInstruction, callees []*ssa.Function, byType bool) *Site {
	from := a.p.FuncComponent(caller)
	dynamic := site.Common().StaticCallee() == nil
	var cross, bodies []*ssa.Function
	unlinked := false
	for _, raw := range callees {
		fn := a.p.declared(raw)
		if to := a.p.FuncComponent(fn); to != "" && to != from {
			if dynamic && !a.link.together(caller, fn) {
				unlinked = true
				continue
			}
			cross = append(cross, fn)
			if raw.Origin() != nil {
				bodies = append(bodies, raw)
			} else {
				bodies = append(bodies, fn)
			}
		}
	}
	if len(cross) == 0 {
		if unlinked {
			a.g.Drop("unlinked", 1)
		}
		return nil
	}
	pos := a.p.Fset.Position(site.Pos())
	if !site.Pos().IsValid() {
		pos = a.p.Fset.Position(caller.Pos())
	}
	if !a.keep(caller, site, cross, pos) {
		return nil
	}
	cross = dedupeFuncs(cross)
	s := &Site{Pos: pos, RelPos: a.p.relPosition(pos), Caller: caller, Callees: cross, From: from,
		Dynamic: dynamic, Indirect: dynamic && !site.Common().IsInvoke() && !ownRegistry(caller, site.Common().Value), ByType: byType, InLoop: a.inLoop(caller, site.Block()),
		Foreign: site.Common().IsInvoke() && !a.p.moduleInterface(site.Common().Value.Type()),
		bodies:  bodies}
	a.addAll(s, "")
	return s
}

// ownRegistry reports whether a function value called in fn comes out of
// a package-level variable of fn's own package (for _, f := range
// AddToManagerFuncs { f(m) }, a table its package fills with the
// functions of the packages it imports): the package chose what it
// calls, as surely as by naming it, rather than running what a caller
// handed it.
func ownRegistry(fn *ssa.Function, v ssa.Value) bool {
	for range 8 {
		switch x := v.(type) {
		case *ssa.Global:
			return fn.Pkg != nil && x.Pkg == fn.Pkg
		case *ssa.UnOp:
			v = x.X
		case *ssa.IndexAddr:
			v = x.X
		case *ssa.Index:
			v = x.X
		case *ssa.Lookup:
			v = x.X
		case *ssa.FieldAddr:
			v = x.X
		case *ssa.Field:
			v = x.X
		case *ssa.Slice:
			v = x.X
		case *ssa.Extract: // for _, f := range aMap
			v = x.Tuple
		case *ssa.Next:
			v = x.Iter
		case *ssa.Range:
			v = x.X
		default:
			return false
		}
	}
	return false
}

// countPure counts, on every edge, the call sites all of whose callees in
// the edge's target are pure (see purity).
func (a *aggregator) countPure(sites []*Site, pu *purity) {
	for _, s := range sites {
		if s.Wired {
			continue // composing a part into one's program reuses no code
		}
		impure := map[string]bool{}
		for _, fn := range s.bodies {
			to := a.p.FuncComponent(fn)
			impure[to] = impure[to] || !pu.pure(fn)
		}
		for to, bad := range impure {
			if !bad {
				a.edges[edgeKey{s.From, to}].Pure++
			}
		}
	}
}

// addAll adds every callee of s, counting the site once per edge.
func (a *aggregator) addAll(s *Site, note string) {
	counted := map[string]bool{}
	for _, fn := range s.Callees {
		to := a.p.FuncComponent(fn)
		s.To = append(s.To, to)
		a.add(s, fn, to, !counted[to], note)
		counted[to] = true
	}
}

// handoff records a main package handing a function of another component
// to code outside the analysed packages (a dependency) that runs it (weaver.Run(ctx, frontend.Serve),
// http.HandleFunc("/", web.Index)): the call happens in the dependency,
// whose body is not analysed, so no algorithm sees it, yet it is what the
// program runs. Only main packages are followed: they never merge with what
// they call (the plan places them by the program they run), so the edge
// tells where a program belongs and ties nothing together.
func (a *aggregator) handoff(caller *ssa.Function, site ssa.CallInstruction) *Site {
	callee := site.Common().StaticCallee()
	if callee == nil || caller.Pkg == nil || caller.Pkg.Pkg.Name() != "main" || len(callee.Blocks) > 0 ||
		caller.Synthetic == "package initializer" || a.p.IsGenerated(site.Pos()) {
		return nil
	}
	from := a.p.FuncComponent(caller)
	var cross []*ssa.Function
	for _, arg := range site.Common().Args {
		if fn := a.p.funcValue(arg); fn != nil {
			if to := a.p.FuncComponent(fn); to != "" && to != from {
				cross = append(cross, fn)
			}
		}
	}
	if len(cross) == 0 {
		return nil
	}
	if !site.Pos().IsValid() {
		return nil
	}
	pos := a.p.Fset.Position(site.Pos())
	key := fmt.Sprintf("handoff %s:%d:%d", pos.Filename, pos.Line, pos.Column)
	if a.seen[key] {
		return nil // the same source site in another package variant
	}
	a.seen[key] = true
	s := &Site{Pos: pos, RelPos: a.p.relPosition(pos), Caller: caller, Callees: dedupeFuncs(cross), From: from, Dynamic: true,
		InLoop: a.inLoop(caller, site.Block())}
	a.addAll(s, "handed to "+shortName(callee))
	return s
}

// funcValue returns the declared function a value names: a function, or a
// method value (srv.Serve), or nil.
func (p *Program) funcValue(v ssa.Value) *ssa.Function {
	switch v := v.(type) {
	case *ssa.Function:
		return p.declared(v)
	case *ssa.MakeClosure:
		fn := v.Fn.(*ssa.Function)
		if m, ok := fn.Object().(*types.Func); ok && fn.Synthetic != "" {
			if decl := p.SSA.FuncValue(m); decl != nil {
				return p.declared(decl)
			}
		}
	case *ssa.ChangeType:
		return p.funcValue(v.X)
	}
	return nil
}

// keep applies the noise filters, counting what it drops.
func (a *aggregator) keep(caller *ssa.Function, site ssa.CallInstruction, cross []*ssa.Function, pos token.Position) bool {
	key := fmt.Sprintf("%s:%d:%d", pos.Filename, pos.Line, pos.Column)
	if caller.Synthetic != "" && caller.Synthetic != "package initializer" {
		// go/ssa builds a wrapper once per package needing it: twins
		// of one position, each calling what its own package handed
		// it. They are one site only where they reach the same code.
		names := make([]string, len(cross))
		for i, fn := range cross {
			names[i] = fn.String()
		}
		slices.Sort(names)
		key += " " + strings.Join(names, ",")
	}
	switch {
	case a.seen[key]:
		return false // the same source site in another package variant
	case caller.Synthetic == "package initializer":
		a.g.Drop("init", 1)
	case a.p.IsGenerated(site.Pos()) || (!site.Pos().IsValid() && a.p.IsGenerated(caller.Pos())):
		a.g.Drop("generated", 1)
	case isUniversal(site.Common()):
		a.g.Drop("universal-interface", 1)
	case site.Common().StaticCallee() == nil && len(cross) > a.p.opts.MaxFanout:
		a.g.Drop("fanout", 1)
		a.g.AddDiagnostic(a.p.relPosition(pos), "fanout", fmt.Sprintf(
			"dynamic call in %s may reach %d functions of other components (bound %d); not fanned out",
			shortName(caller), len(cross), a.p.opts.MaxFanout))
	default:
		a.seen[key] = true
		return true
	}
	a.seen[key] = true
	return false
}

// inLoop reports whether block b of fn lies on a cycle of fn's control
// flow graph: the body of a for or range loop, or of a goto loop.
func (a *aggregator) inLoop(fn *ssa.Function, b *ssa.BasicBlock) bool {
	if b == nil {
		return false
	}
	if a.loops == nil {
		a.loops = map[*ssa.Function]map[*ssa.BasicBlock]bool{}
	}
	loops, ok := a.loops[fn]
	if !ok {
		loops = loopBlocks(fn)
		a.loops[fn] = loops
	}
	return loops[b]
}

// loopBlocks returns the blocks of fn that lie on a cycle: those in a
// strongly connected component of its control flow graph with more than
// one block, or with an edge to itself (Tarjan's algorithm).
func loopBlocks(fn *ssa.Function) map[*ssa.BasicBlock]bool {
	out := map[*ssa.BasicBlock]bool{}
	index, low := map[*ssa.BasicBlock]int{}, map[*ssa.BasicBlock]int{}
	onStack := map[*ssa.BasicBlock]bool{}
	var stack []*ssa.BasicBlock
	next := 0
	var visit func(b *ssa.BasicBlock)
	visit = func(b *ssa.BasicBlock) {
		index[b], low[b] = next, next
		next++
		stack = append(stack, b)
		onStack[b] = true
		for _, s := range b.Succs {
			if _, seen := index[s]; !seen {
				visit(s)
				low[b] = min(low[b], low[s])
			} else if onStack[s] {
				low[b] = min(low[b], index[s])
			}
		}
		if low[b] != index[b] {
			return
		}
		var scc []*ssa.BasicBlock
		for {
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			onStack[top] = false
			scc = append(scc, top)
			if top == b {
				break
			}
		}
		if len(scc) > 1 || slices.Contains(b.Succs, b) {
			for _, x := range scc {
				out[x] = true
			}
		}
	}
	for _, b := range fn.Blocks {
		if _, seen := index[b]; !seen {
			visit(b)
		}
	}
	return out
}

// isUniversal reports an interface call of a method of the protocols every
// error and printable value speaks: Error() and String(), and the
// unwrapping and formatting methods that the errors and fmt packages look
// for (Unwrap, Is, As, Cause, GoString, Format). Called through an
// interface, they link almost everything to everything and carry no
// coupling: the value was handed over as data.
func isUniversal(call *ssa.CallCommon) bool {
	if !call.IsInvoke() {
		return false
	}
	sig := call.Method.Type().(*types.Signature)
	return slices.Contains(universalMethods[call.Method.Name()], shape(sig))
}

// universalMethods are the protocol methods isUniversal accepts, with the
// shapes (see shape) each may have.
var universalMethods = map[string][]string{
	"Error":    {"() string"},
	"String":   {"() string"},
	"GoString": {"() string"},
	"Unwrap":   {"() error", "() []error"},
	"Cause":    {"() error"},
	"Is":       {"(error) bool"},
	"As":       {"(any) bool", "(interface{}) bool"},
	"Format":   {"(fmt.State, rune)"},
}

// shape writes a signature's parameter and result types without names:
// "(error) bool".
func shape(sig *types.Signature) string {
	list := func(t *types.Tuple) string {
		var parts []string
		for v := range t.Variables() {
			parts = append(parts, types.TypeString(v.Type(), (*types.Package).Name))
		}
		return strings.Join(parts, ", ")
	}
	s := "(" + list(sig.Params()) + ")"
	switch r := list(sig.Results()); {
	case sig.Results().Len() > 1:
		s += " (" + r + ")"
	case r != "":
		s += " " + r
	}
	return s
}

// add records that site s calls fn of component to; first is true for the
// first callee of s in that component, so each site counts once per edge.
func (a *aggregator) add(s *Site, fn *ssa.Function, to string, first bool, note string) {
	k := edgeKey{s.From, to}
	e := a.edges[k]
	if e == nil {
		e = &graph.Edge{From: s.From, To: to, Kind: graph.KindCall, Mechanism: "func"}
		a.edges[k] = e
		a.callees[k] = map[*ssa.Function]*graph.Callee{}
	}
	if first {
		e.Static++
		if s.ByType {
			e.ByType++
		}
		if s.InLoop {
			e.InLoop++
		}
		if s.Indirect {
			e.Indirect++
		}
		if s.Wired {
			e.Wired++
		}
		if s.Dynamic && !a.up.imports(s.From, to) {
			e.Handed++
			if s.Foreign {
				e.Protocol++
			}
		}
	}
	detail := shortName(s.Caller) + " → " + shortName(fn)
	if s.ByType {
		detail += " (resolved by type)"
	}
	if note != "" {
		detail += " (" + note + ")"
	}
	e.Evidence = append(e.Evidence, graph.Evidence{Pos: s.RelPos, Detail: detail})
	c := a.callees[k][origin(fn)]
	if c == nil {
		c = &graph.Callee{Func: shortName(fn), Signature: signature(fn), NonSerializable: a.nonSerializable(fn)}
		a.callees[k][origin(fn)] = c
	}
	c.Sites++
}

func (a *aggregator) finish() {
	keys := make([]edgeKey, 0, len(a.edges))
	for k := range a.edges {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(x, y edgeKey) int { return cmp.Or(cmp.Compare(x.from, y.from), cmp.Compare(x.to, y.to)) })
	for _, k := range keys {
		e := a.edges[k]
		e.EvidenceTotal = len(e.Evidence)
		for _, c := range a.callees[k] {
			e.Callees = append(e.Callees, *c)
		}
		a.g.Edges = append(a.g.Edges, e)
	}
}

// declared maps a synthetic method wrapper (the pointer-receiver form of a
// value method, a promoted method) to the method as declared in the source.
func (p *Program) declared(fn *ssa.Function) *ssa.Function {
	if fn.Synthetic == "" {
		return fn
	}
	if obj, ok := fn.Object().(*types.Func); ok {
		if decl := p.SSA.FuncValue(obj); decl != nil {
			return decl
		}
	}
	return fn
}

func origin(fn *ssa.Function) *ssa.Function {
	if o := fn.Origin(); o != nil {
		return o
	}
	return fn
}

func dedupeFuncs(fns []*ssa.Function) []*ssa.Function {
	seen := map[*ssa.Function]bool{}
	var out []*ssa.Function
	for _, fn := range fns {
		if o := origin(fn); !seen[o] {
			seen[o] = true
			out = append(out, fn)
		}
	}
	slices.SortFunc(out, func(x, y *ssa.Function) int { return cmp.Compare(shortName(x), shortName(y)) })
	return out
}

// ShortName names fn as graph.Callee.Func does, so that runtime evidence can
// find the callee entry of a function.
func ShortName(fn *ssa.Function) string { return shortName(fn) }

// shortName names a function the way a Go programmer writes it:
// "orders.(*Service).Place", "orders.New$1".
func shortName(fn *ssa.Function) string {
	fn = origin(fn)
	var pkg *types.Package
	if obj := fn.Object(); obj != nil {
		pkg = obj.Pkg()
	} else if fn.Pkg != nil {
		pkg = fn.Pkg.Pkg
	}
	if pkg == nil {
		return fn.String()
	}
	return pkg.Name() + "." + fn.RelString(pkg)
}

// signature renders the Go signature of fn as declared in its package.
func signature(fn *ssa.Function) string {
	fn = origin(fn)
	obj := fn.Object()
	if obj == nil {
		return types.TypeString(fn.Signature, nil)
	}
	return types.ObjectString(obj, types.RelativeTo(obj.Pkg()))
}
