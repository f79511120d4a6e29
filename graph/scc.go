package graph

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	dgraph "github.com/dominikbraun/graph"
)

// Directed builds a dominikbraun/graph view of g holding only the edges for
// which keep returns true (all edges when keep is nil). Components are vertices;
// parallel edges of one pair are collapsed.
func (g *Graph) Directed(keep func(*Edge) bool) dgraph.Graph[string, string] {
	d := dgraph.New(dgraph.StringHash, dgraph.Directed())
	for _, c := range g.Components {
		_ = d.AddVertex(c.ID)
	}
	for _, e := range g.Edges {
		if e.From == e.To || (keep != nil && !keep(e)) {
			continue
		}
		// ErrEdgeAlreadyExists is expected for parallel edges.
		_ = d.AddEdge(e.From, e.To)
	}
	return d
}

// IsDependency reports whether an edge makes its source depend on its target
// in the code: calls and state access do; links through the network, IPC and
// stored data do not bind the code of one side to the other.
func IsDependency(e *Edge) bool { return e.Kind == KindCall || e.Kind == KindState }

// SCCs returns the strongly connected components of the dependency graph
// (calls and state) that hold more than one component: groups that call each
// other in a cycle and so must move as one. Each group and the list are sorted.
func (g *Graph) SCCs() [][]string {
	sccs, err := dgraph.StronglyConnectedComponents(g.Directed(IsDependency))
	if err != nil {
		panic(fmt.Sprintf("graph: strongly connected components: %v", err)) // directed graph: cannot fail
	}
	var out [][]string
	for _, s := range sccs {
		if len(s) > 1 {
			slices.Sort(s)
			out = append(out, s)
		}
	}
	slices.SortFunc(out, func(a, b []string) int { return cmp.Compare(a[0], b[0]) })
	return out
}

// A Condensed node stands for one strongly connected component.
type Condensed struct {
	ID      string   // the smallest member id, or "a+b+…" for cycles
	Members []string // sorted
}

// Condensation returns the condensation of the dependency graph in leaf-first
// order: every node comes after all nodes it depends on. Ties are broken by id,
// so the order is stable.
func (g *Graph) Condensation() []Condensed {
	sccOf := map[string]int{}
	var nodes []Condensed
	for _, s := range g.SCCs() {
		for _, m := range s {
			sccOf[m] = len(nodes)
		}
		nodes = append(nodes, Condensed{ID: strings.Join(s, "+"), Members: s})
	}
	for _, c := range g.Components {
		if _, ok := sccOf[c.ID]; !ok {
			sccOf[c.ID] = len(nodes)
			nodes = append(nodes, Condensed{ID: c.ID, Members: []string{c.ID}})
		}
	}
	d := dgraph.New(dgraph.StringHash, dgraph.Directed(), dgraph.PreventCycles())
	for _, n := range nodes {
		_ = d.AddVertex(n.ID)
	}
	for _, e := range g.Edges {
		if !IsDependency(e) {
			continue
		}
		a, b := sccOf[e.From], sccOf[e.To]
		if a == b {
			continue
		}
		// Reverse: a dependency must come before its dependents.
		_ = d.AddEdge(nodes[b].ID, nodes[a].ID)
	}
	order, err := dgraph.StableTopologicalSort(d, func(a, b string) bool { return a < b })
	if err != nil {
		panic(fmt.Sprintf("graph: condensation order: %v", err)) // acyclic by construction
	}
	byID := map[string]Condensed{}
	for _, n := range nodes {
		byID[n.ID] = n
	}
	out := make([]Condensed, len(order))
	for i, id := range order {
		out[i] = byID[id]
	}
	return out
}
