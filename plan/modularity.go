package plan

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"

	gonum "gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/community"
	"gonum.org/v1/gonum/graph/iterator"
	"gonum.org/v1/gonum/graph/simple"
)

// Weighted modularity (Newman; resolution γ of Reichardt and Bornholdt) of a
// partition of the component graph with total edge weight W, where L_c is
// the weight inside unit c and D_c the summed weighted degree of its members:
//
//	Q = Σ_c [ L_c/W − γ (D_c / 2W)² ]
//
// It only breaks ties and serves --services N: published expert
// decompositions score low on it, so it never overrides the package tree.

// modularity computes Q for a labelling of components (label < 0: left out).
func modularity(v *view, label []int, gamma float64) float64 {
	var total float64
	inside := map[int]float64{}
	degree := map[int]float64{}
	for _, pe := range v.pairs {
		la, lb := label[pe.a], label[pe.b]
		if la < 0 || lb < 0 {
			continue
		}
		w := 0.0
		for _, e := range pe.edges {
			w += weight(e)
		}
		total += w
		degree[la] += w
		degree[lb] += w
		if la == lb {
			inside[la] += w
		}
	}
	if total == 0 {
		return 0
	}
	q := 0.0
	for _, l := range sortedKeys(degree) {
		d := degree[l] / (2 * total)
		q += inside[l]/total - gamma*d*d
	}
	return q
}

func sortedKeys[V any](m map[int]V) []int {
	out := make([]int, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// fitCount merges or splits units until there are n: first splitting the
// largest units along their Louvain communities while there are too few,
// then merging the pair of units with the best modularity gain while there
// are too many. Merges forbidden by configuration are skipped.
func (p *partition) fitCount(n int, opts Options) {
	for len(p.units()) < n {
		if !p.splitLargest(opts) {
			p.conflicts = append(p.conflicts, fmt.Sprintf("asked for %d services, but only %d units could be formed", n, len(p.units())))
			break
		}
	}
	for len(p.units()) > n {
		if !p.mergeBest(opts.Resolution) {
			p.conflicts = append(p.conflicts, fmt.Sprintf("asked for %d services, but pins kept %d apart", n, len(p.units())))
			break
		}
	}
}

// mergeBest merges the two units whose merge gains the most modularity:
// ΔQ = w_xy/W − γ D_x D_y / 2W². Connected pairs are tried first; when no
// pair is connected, the two units of least degree are merged.
func (p *partition) mergeBest(gamma float64) bool {
	ug := p.graph()
	deg, total := p.degrees(ug)
	type cand struct {
		x, y int
		dq   float64
	}
	var cands []cand
	for x := range ug.units {
		for y, w := range ug.w[x] {
			if x < y && w > 0 {
				cands = append(cands, cand{x, y, gain(ug, deg, total, gamma, x, y)})
			}
		}
	}
	slices.SortFunc(cands, func(a, b cand) int {
		return cmp.Or(-cmp.Compare(a.dq, b.dq), cmp.Compare(a.x, b.x), cmp.Compare(a.y, b.y))
	})
	for _, c := range cands {
		if p.union(ug.units[c.x][0], ug.units[c.y][0]) {
			return true
		}
	}
	order := make([]int, len(ug.units))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Or(cmp.Compare(deg[a], deg[b]), cmp.Compare(a, b)) })
	for i, x := range order {
		for _, y := range order[i+1:] {
			if p.union(ug.units[x][0], ug.units[y][0]) {
				return true
			}
		}
	}
	return false
}

// degrees returns the weighted degree of every unit and the total edge
// weight W of the planned components.
func (p *partition) degrees(ug *unitGraph) ([]float64, float64) {
	deg := make([]float64, len(ug.units))
	total := 0.0
	for _, pe := range p.v.pairs {
		ua, ub := ug.of[pe.a], ug.of[pe.b]
		if ua < 0 || ub < 0 {
			continue
		}
		for _, e := range pe.edges {
			deg[ua] += weight(e)
			deg[ub] += weight(e)
			total += weight(e)
		}
	}
	return deg, total
}

// gain is the modularity gained by merging units x and y.
func gain(ug *unitGraph, deg []float64, total, gamma float64, x, y int) float64 {
	if total == 0 {
		return 0
	}
	return ug.w[x][y]/total - gamma*deg[x]*deg[y]/(2*total*total)
}

// splitLargest splits the largest unit of two or more components along its
// Louvain communities (gonum, seeded), or, when Louvain keeps it whole,
// peels off its most loosely attached component.
func (p *partition) splitLargest(opts Options) bool {
	units := p.units()
	slices.SortStableFunc(units, func(a, b []int) int { return cmp.Compare(len(b), len(a)) })
	for _, members := range units {
		if len(members) < 2 {
			return false
		}
		groups := p.louvain(members, opts)
		if len(groups) < 2 {
			groups = p.peel(members)
		}
		for _, m := range members {
			p.parent[m] = m
		}
		for _, g := range groups {
			for _, m := range g[1:] {
				p.union(g[0], m)
			}
		}
		return true
	}
	return false
}

// peel splits off the member with the least coupling to the others.
func (p *partition) peel(members []int) [][]int {
	in := map[int]bool{}
	for _, m := range members {
		in[m] = true
	}
	loosest, least := -1, 0.0
	for _, m := range members {
		w := 0.0
		for _, e := range p.v.out[m] {
			if in[p.v.index[e.To]] {
				w += weight(e)
			}
		}
		for _, e := range p.v.in[m] {
			if in[p.v.index[e.From]] {
				w += weight(e)
			}
		}
		if loosest < 0 || w < least {
			loosest, least = m, w
		}
	}
	rest := slices.DeleteFunc(slices.Clone(members), func(m int) bool { return m == loosest })
	return [][]int{{loosest}, rest}
}

// louvain returns the communities of the subgraph of the given components.
func (p *partition) louvain(members []int, opts Options) [][]int {
	local := map[int]int{}
	for i, m := range members {
		local[m] = i
	}
	g := newWeighted(len(members))
	for _, pe := range p.v.pairs {
		a, okA := local[pe.a]
		b, okB := local[pe.b]
		if !okA || !okB {
			continue
		}
		for _, e := range pe.edges {
			g.add(a, b, weight(e))
		}
	}
	reduced := community.Modularize(g, opts.Resolution, rand.NewPCG(uint64(opts.Seed), uint64(opts.Seed)))
	var out [][]int
	for _, comm := range reduced.Communities() {
		var group []int
		for _, n := range comm {
			group = append(group, members[n.ID()])
		}
		slices.Sort(group)
		out = append(out, group)
	}
	slices.SortFunc(out, func(a, b []int) int { return cmp.Compare(a[0], b[0]) })
	return out
}

// weighted is an undirected weighted graph whose iteration order is fixed
// (gonum's own graphs iterate maps), so that Louvain with a seeded source
// gives the same communities on every run.
type weighted struct {
	adj []map[int64]float64
}

func newWeighted(n int) *weighted {
	g := &weighted{adj: make([]map[int64]float64, n)}
	for i := range g.adj {
		g.adj[i] = map[int64]float64{}
	}
	return g
}

func (g *weighted) add(a, b int, w float64) {
	if a == b || w <= 0 {
		return
	}
	g.adj[a][int64(b)] += w
	g.adj[b][int64(a)] += w
}

func (g *weighted) Node(id int64) gonum.Node {
	if id < 0 || id >= int64(len(g.adj)) {
		return nil
	}
	return simple.Node(id)
}

func (g *weighted) Nodes() gonum.Nodes {
	nodes := make([]gonum.Node, len(g.adj))
	for i := range nodes {
		nodes[i] = simple.Node(i)
	}
	return iterator.NewOrderedNodes(nodes)
}

func (g *weighted) From(id int64) gonum.Nodes {
	var nodes []gonum.Node
	for _, n := range sortedKeys64(g.adj[id]) {
		nodes = append(nodes, simple.Node(n))
	}
	return iterator.NewOrderedNodes(nodes)
}

func sortedKeys64(m map[int64]float64) []int64 {
	out := make([]int64, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func (g *weighted) HasEdgeBetween(x, y int64) bool { _, ok := g.adj[x][y]; return ok }

func (g *weighted) Edge(u, v int64) gonum.Edge { return g.WeightedEdge(u, v) }

func (g *weighted) EdgeBetween(x, y int64) gonum.Edge { return g.WeightedEdge(x, y) }

func (g *weighted) WeightedEdgeBetween(x, y int64) gonum.WeightedEdge { return g.WeightedEdge(x, y) }

func (g *weighted) WeightedEdge(u, v int64) gonum.WeightedEdge {
	w, ok := g.adj[u][v]
	if !ok {
		return nil
	}
	return simple.WeightedEdge{F: simple.Node(u), T: simple.Node(v), W: w}
}

func (g *weighted) Weight(x, y int64) (float64, bool) {
	if x == y {
		return 0, true
	}
	w, ok := g.adj[x][y]
	return w, ok
}
