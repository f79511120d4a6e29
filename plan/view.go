package plan

import (
	"cmp"
	"math"
	"slices"
	"strings"

	"github.com/podsplit/podsplit/graph"
)

// A view indexes a graph for planning: its components by id, and the edges
// of every interacting pair. Everything in it is sorted, so that whatever is
// built by walking it is deterministic.
type view struct {
	g     *graph.Graph
	comps []*graph.Component // sorted by id
	index map[string]int
	// out and in hold each component's edges, self-loops and the edges of
	// components no program links (graph.Component.Unlinked) excluded;
	// hidden counts the latter per component.
	out, in [][]*graph.Edge
	hidden  []int
	pairs   []*pairEdges // sorted by (a, b)
	// lib marks the components planned as libraries, once known: their
	// calls of what they were handed (graph.Edge.HandedOnly) run in their
	// caller's process, and bind nothing (see binds).
	lib []bool
	// callbacks holds the call edges that only call back (see isCallback).
	callbacks map[*graph.Edge]bool
	// contains holds, per command of a multi-command program, the
	// commands it contains (see containing); computed on first use.
	contains map[string]map[string]bool
}

// pairEdges are the edges between two components, both directions; a < b.
type pairEdges struct {
	a, b  int
	edges []*graph.Edge
}

func newView(g *graph.Graph) *view {
	v := &view{g: g, index: map[string]int{}}
	v.comps = slices.Clone(g.Components)
	slices.SortFunc(v.comps, func(a, b *graph.Component) int { return cmp.Compare(a.ID, b.ID) })
	for i, c := range v.comps {
		v.index[c.ID] = i
	}
	v.out = make([][]*graph.Edge, len(v.comps))
	v.in = make([][]*graph.Edge, len(v.comps))
	v.hidden = make([]int, len(v.comps))
	byPair := map[[2]int]*pairEdges{}
	for _, e := range g.Edges {
		from, okf := v.index[e.From]
		to, okt := v.index[e.To]
		if !okf || !okt || from == to {
			continue
		}
		if v.comps[from].Unlinked || v.comps[to].Unlinked {
			v.hidden[from]++ // an unlinked component's code never runs beside the others
			v.hidden[to]++
			continue
		}
		v.out[from] = append(v.out[from], e)
		v.in[to] = append(v.in[to], e)
		k := [2]int{min(from, to), max(from, to)}
		p := byPair[k]
		if p == nil {
			p = &pairEdges{a: k[0], b: k[1]}
			byPair[k] = p
			v.pairs = append(v.pairs, p)
		}
		p.edges = append(p.edges, e)
	}
	for i := range v.comps {
		slices.SortFunc(v.out[i], compareEdges)
		slices.SortFunc(v.in[i], compareEdges)
	}
	for _, p := range v.pairs {
		slices.SortFunc(p.edges, compareEdges)
	}
	slices.SortFunc(v.pairs, func(x, y *pairEdges) int { return cmp.Or(cmp.Compare(x.a, y.a), cmp.Compare(x.b, y.b)) })
	v.findCallbacks()
	return v
}

func (v *view) id(i int) string { return v.comps[i].ID }

// name is the short name of component i, as written in reasons.
func (v *view) name(i int) string { return shortName(v.comps[i]) }

func shortName(c *graph.Component) string {
	if c.Name != "" {
		return c.Name
	}
	return c.ID
}

// module reports whether component i belongs to the repository, as opposed
// to an endpoint outside it.
func (v *view) module(i int) bool {
	c := v.comps[i]
	return !c.External && c.Role != graph.RoleExternal
}

// isCallback reports whether a call edge only runs code that its callee's
// component handed to the caller: the caller holds a function or an object
// the other side passed in on a call of its own (store.WithTx(fn),
// middleware.Authenticate(verify), sort.Slice-style strategies). Such a call
// is the return leg of the forward call, not a dependency of the caller on
// the callee's code (Go's import graph has no cycles, so the caller could
// not even name the callee); the forward call already carries the function
// or object as a non-serialisable parameter.
func (v *view) isCallback(e *graph.Edge) bool { return v.callbacks[e] }

// crossing reports whether an edge is a call that would cross a boundary
// between its ends: neither the return leg of a callback nor the reuse of
// pure code its source links.
func (v *view) crossing(e *graph.Edge) bool {
	return e.Kind == graph.KindCall && !v.isCallback(e) && !e.Reuse()
}

// isDep reports whether an edge makes its source depend on its target's code.
func (v *view) isDep(e *graph.Edge) bool { return graph.IsDependency(e) && !v.callbacks[e] }

// binds reports whether a dependency edge needs its target running beside
// its source: a call edge that only reuses the target's pure code
// (graph.Edge.Reuse) does not, since the source links that code, and so
// closes no cycle.
//
// Nor does a library's call of what it was handed (a writer, an element,
// a hook): the library runs it in its caller's process, and the coupling
// is the caller's. Nor one command's call of what another command's code
// handed it (see commandOf): Argo CD's CLI runs the API server in process
// and hands it a client to call; the server binds nothing to the CLI.
func (v *view) binds(e *graph.Edge) bool {
	if !v.isDep(e) || e.Reuse() || configOnly(e) || e.WiredOnly() {
		return false
	}
	if e.HandedOnly() {
		from := v.index[e.From]
		if v.lib != nil && v.lib[from] {
			return false
		}
		a, b := v.commandOf(from), v.commandOf(v.index[e.To])
		if a != "" && b != "" && a != b {
			return false
		}
		if a == "" && severalCommands(v.comps[from].Commands) {
			return false // code several commands share runs what each hands it
		}
	}
	return true
}

// configOnly reports whether every callee of a call edge is a method of a
// configuration type (named …Config, …Cfg, …Options, …Opts or …Flags):
// registering flags, validating, filling defaults. A program's
// configuration aggregates its parts' (Loki's storage config registers
// the index gateway client's flags), which says how the parts are set up,
// not that one needs the other running: such calls close no cycle.
func configOnly(e *graph.Edge) bool {
	if e.Kind != graph.KindCall || len(e.Callees) == 0 {
		return false
	}
	for _, c := range e.Callees {
		open := strings.Index(c.Func, ".(")
		close := strings.Index(c.Func, ").")
		if open < 0 || close < open {
			return false
		}
		if !graph.ConfigType(strings.TrimPrefix(c.Func[open+2:close], "*")) {
			return false
		}
	}
	return true
}

// findCallbacks marks the callback edges (see isCallback): call edges all
// of whose callees are func literals or method values ("orders.New$1",
// "T.M$bound"), or all of whose sites call a function value (a converter a
// package registered in a setting at initialisation) or a standard
// interface's method on what the caller was handed (graph.Edge.Protocol),
// and call edges whose reverse edge passes behaviour — a function value or
// an object with methods — as a parameter. A call only of what the caller
// was handed (graph.Edge.HandedOnly) is a callback too when the behaviour
// came down a chain of such calls from the callee: Argo Workflows' artifact
// server hands its resources to artifacts.NewDriver, which hands them to
// the HDFS driver, which calls back their GetSecret.
func (v *view) findCallbacks() {
	v.callbacks = map[*graph.Edge]bool{}
	handsDown := map[int][]bool{}
	for i := range v.comps {
		for _, e := range v.out[i] {
			to := v.index[e.To]
			if e.Kind != graph.KindCall {
				continue
			}
			if allLiterals(e) || v.passesBehaviour(to, i) {
				v.callbacks[e] = true
				continue
			}
			if e.HandedOnly() {
				if handsDown[to] == nil {
					handsDown[to] = v.handsDownFrom(to)
				}
				if handsDown[to][i] {
					v.callbacks[e] = true
				}
			}
		}
	}
}

// handsDownFrom returns the components that behaviour passed to a
// constructor reaches from component from, one such call after another
// (see passesBehaviourTo): the object each builds keeps what it was
// handed. Behaviour passed to any call would connect nearly everything
// in a large system through its loggers.
func (v *view) handsDownFrom(from int) []bool {
	seen := make([]bool, len(v.comps))
	work := []int{from}
	for len(work) > 0 {
		x := work[len(work)-1]
		work = work[:len(work)-1]
		for _, e := range v.out[x] {
			y := v.index[e.To]
			if !seen[y] && y != from && e.Kind == graph.KindCall && passesBehaviourTo(e, true) {
				seen[y] = true
				work = append(work, y)
			}
		}
	}
	return seen
}

func allLiterals(e *graph.Edge) bool {
	if len(e.Callees) == 0 {
		return false
	}
	if e.Static > 0 && (e.Indirect >= e.Static || e.Protocol >= e.Static) {
		return true // every site calls a function value or a standard interface's method on what it was handed
	}
	for _, c := range e.Callees {
		if !strings.Contains(c.Func, "$") {
			return false
		}
	}
	return true
}

// passesBehaviour reports whether component from calls component to with a
// function or a behaviour-carrying interface among the parameters.
func (v *view) passesBehaviour(from, to int) bool {
	for _, e := range v.out[from] {
		if v.index[e.To] == to && e.Kind == graph.KindCall && passesBehaviourTo(e, false) {
			return true
		}
	}
	return false
}

// passesBehaviourTo reports whether a call edge passes a function or a
// behaviour-carrying interface among the parameters, to a constructor
// only when builds says so (see isConstructor): what a constructor is
// handed, the object it builds keeps and calls later.
func passesBehaviourTo(e *graph.Edge, builds bool) bool {
	for _, c := range e.Callees {
		if builds && !isConstructor(c) {
			continue
		}
		for _, ns := range c.NonSerializable {
			what, why, _ := strings.Cut(ns, ": ")
			if !strings.HasPrefix(what, "result ") && (why == "function value" || why == "interface value carries behaviour") {
				return true
			}
		}
	}
	return false
}

// weight is how strongly an edge couples its ends, for clustering: call
// sites and state accesses, scaled by an order of magnitude per decade of
// runtime calls when runtime data saw the edge; local IPC and shared data
// count like a call site each; RPC counts nothing, since the two ends
// already live apart.
func weight(e *graph.Edge) float64 {
	switch e.Kind {
	case graph.KindRPC:
		return 0
	case graph.KindIPC, graph.KindData:
		return float64(max(e.Static, 1))
	}
	w := float64(max(e.Static, 1))
	if e.Runtime > 0 {
		w *= 1 + math.Log10(float64(e.Runtime))
	}
	return w
}

func compareEdges(a, b *graph.Edge) int {
	return cmp.Or(cmp.Compare(a.From, b.From), cmp.Compare(a.To, b.To),
		cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Mechanism, b.Mechanism), cmp.Compare(a.Key, b.Key))
}
