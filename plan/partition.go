package plan

import (
	"cmp"
	"slices"
)

// A partition groups the planned components (libraries and external
// endpoints excluded) into units, the services to be, with a union-find
// forest. It remembers why units were merged and which merges are
// forbidden by configuration.
type partition struct {
	v               *view
	f               *facts
	parent          []int
	in              []bool // component takes part (not a library, not external)
	apart           map[[2]int]bool
	notes           []string        // why units were merged, in order
	kept            []keptApart     // units owned by another that stay apart from it
	conflicts       []string        // merges the reasons asked for but configuration forbade
	registries      map[string]bool // names of the components registering commands (program)
	commandPrograms map[string]bool // main packages whose program runs several commands (runsCommands)
	// runs holds, for the root of each unit, the deployable programs
	// linking every member some program links (graph.Component.Programs),
	// main packages aside (each runs a container of its own); nil when no
	// program links any member, and when no one program links them all:
	// only a merge that does not ask (a domain of the package tree, a
	// configured set) makes such a unit, and what joins it later is left
	// to the rules that placed it. See sharesProgram.
	runs    map[int][]string
	refused []string // merges refused because no program links both sides
	// alone counts, per program, the components only it links, of
	// aloneAll in all (see systemProgram); nil until counted.
	alone    map[string]int
	aloneAll int
}

// keptApart is a unit that a boundary kept apart from its only owner: a
// member of each, and why.
type keptApart struct {
	unit, owner int
	why         string
}

func newPartition(v *view, f *facts) *partition {
	p := &partition{v: v, f: f, parent: make([]int, len(v.comps)), in: make([]bool, len(v.comps)), apart: map[[2]int]bool{}, runs: map[int][]string{}}
	for i := range p.parent {
		p.parent[i] = i
		p.in[i] = v.module(i) && !f.lib[i]
		if ps := v.comps[i].Programs; len(ps) > 0 && !f.entry[i] {
			p.runs[i] = ps
		}
	}
	return p
}

func (p *partition) find(i int) int {
	for p.parent[i] != i {
		p.parent[i] = p.parent[p.parent[i]]
		i = p.parent[i]
	}
	return i
}

// canUnion reports whether merging the units of a and b would put a pair
// configured apart into one unit.
func (p *partition) canUnion(a, b int) bool {
	ra, rb := p.find(a), p.find(b)
	if ra == rb {
		return true
	}
	for k := range p.apart {
		x, y := p.find(k[0]), p.find(k[1])
		if (x == ra && y == rb) || (x == rb && y == ra) {
			return false
		}
	}
	return true
}

// sharesProgram reports whether some deployable program links every
// member of the units of a and b that any program links: a service is
// run by one of the system's programs (its manifest runs that binary), so
// a unit holding code no binary links in full would deploy a program
// nobody builds. Code two programs link is two copies, one in each
// process: when it is tied in process to the code of each (Istio's pkg/kube,
// used by istiod's controllers and by the CLI's commands), the ties hold in
// each program apart and join neither program's code to the other's.
// Units no program links (a scan without main packages, test support)
// are free.
func (p *partition) sharesProgram(a, b int) bool {
	ra, rb := p.runs[p.find(a)], p.runs[p.find(b)]
	return ra == nil || rb == nil || len(intersect(ra, rb)) > 0
}

// intersect returns the strings in both sorted slices, sorted.
func intersect(a, b []string) []string {
	var out []string
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			out = append(out, a[i])
			i, j = i+1, j+1
		}
	}
	return out
}

// union merges the units of a and b; the smaller root index stays root so
// that the forest does not depend on the order of merges.
func (p *partition) union(a, b int) bool {
	ra, rb := p.find(a), p.find(b)
	if ra == rb || !p.canUnion(a, b) {
		return false
	}
	if rb < ra {
		ra, rb = rb, ra
	}
	p.parent[rb] = ra
	switch x, y := p.runs[ra], p.runs[rb]; {
	case x == nil:
		p.runs[ra] = y
	case y != nil:
		p.runs[ra] = intersect(x, y)
	}
	delete(p.runs, rb)
	return true
}

// units returns the members of every unit, each sorted, units ordered by
// their smallest member.
func (p *partition) units() [][]int {
	byRoot := map[int][]int{}
	for i := range p.parent {
		if p.in[i] {
			r := p.find(i)
			byRoot[r] = append(byRoot[r], i)
		}
	}
	out := make([][]int, 0, len(byRoot))
	for _, m := range byRoot {
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b []int) int { return cmp.Compare(a[0], b[0]) })
	return out
}

// unitGraph sums the coupling weight between units, both directions, and
// the dependency edges from each unit to each other: the graph the later
// stages of clustering work on.
type unitGraph struct {
	units [][]int
	of    []int // component → unit index, -1 when not planned
	w     []map[int]float64
	deps  []map[int]bool // unit → units it depends on
	size  []int
	names []string // filled by name on demand
}

func (p *partition) graph() *unitGraph {
	units := p.units()
	ug := &unitGraph{units: units, of: make([]int, len(p.v.comps)), w: make([]map[int]float64, len(units)),
		deps: make([]map[int]bool, len(units)), size: make([]int, len(units))}
	for i := range ug.of {
		ug.of[i] = -1
	}
	for u, m := range units {
		ug.w[u], ug.deps[u] = map[int]float64{}, map[int]bool{}
		ug.size[u] = len(m)
		for _, c := range m {
			ug.of[c] = u
		}
	}
	for _, pe := range p.v.pairs {
		ua, ub := ug.of[pe.a], ug.of[pe.b]
		if ua < 0 || ub < 0 || ua == ub {
			continue
		}
		for _, e := range pe.edges {
			ug.w[ua][ub] += weight(e)
			ug.w[ub][ua] += weight(e)
			if p.v.isDep(e) {
				ug.deps[ug.of[p.v.index[e.From]]][ug.of[p.v.index[e.To]]] = true
			}
		}
	}
	return ug
}

// preds lists the units depending on unit u.
func (ug *unitGraph) preds(u int) []int {
	var out []int
	for x := range ug.units {
		if ug.deps[x][u] {
			out = append(out, x)
		}
	}
	return out
}
