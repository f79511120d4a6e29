package plan

import (
	"fmt"
	"slices"
	"strings"

	"github.com/podsplit/podsplit/graph"
)

// Make plans the split of g: a tier verdict for every interacting pair, the
// target topology, the steps from the monolith to it, the metrics of the
// target beside two baselines, and diagnostics. The same graph and options
// give the same plan.
func Make(g *graph.Graph, opts Options) *Plan {
	opts = opts.normalized()
	v := newView(g)
	verdicts := classify(v, opts)
	f := newFacts(v, pinned(v, opts.Together), verdicts)
	// Knowing the libraries, judge the pairs again: a library's calls of
	// what it was handed close no cycle (see view.binds).
	v.lib = f.lib
	verdicts = classify(v, opts)
	_, cycles := v.cycles()
	part := cluster(v, f, verdicts, opts, cycles)
	l := newLayout(v, f, verdicts)
	groups := part.units()
	names := l.names(groups)
	services := make([]Service, len(groups))
	for i, gr := range groups {
		services[i] = l.service(names[i], gr)
	}
	target := Target{Services: sortedServices(services), Libraries: []string{}}
	planned := make([]bool, len(v.comps))
	label := make([]int, len(v.comps))
	for i := range label {
		label[i] = -1
		if f.lib[i] {
			target.Libraries = append(target.Libraries, v.id(i))
		}
	}
	for gi, gr := range groups {
		for _, m := range gr {
			label[m], planned[m] = gi, true
		}
	}
	p := &Plan{
		Schema: Schema, Module: g.Module, Components: v.comps, Edges: sortedEdges(g.Edges),
		Target: target, Cost: opts.Cost, Metrics: measure(v, label), Baselines: baselines(v, planned),
		Steps: planSteps(v, f, l, opts.Cost, groups, names, target.Services),
	}
	for _, vd := range verdicts {
		p.Pairs = append(p.Pairs, vd.Pair)
	}
	if p.Pairs == nil {
		p.Pairs = []Pair{}
	}
	p.Diagnostics = diagnostics(v, f, part, opts)
	return p
}

func sortedEdges(edges []*graph.Edge) []*graph.Edge {
	out := slices.Clone(edges)
	slices.SortFunc(out, compareEdges)
	return out
}

func sortedServices(s []Service) []Service {
	slices.SortFunc(s, func(a, b Service) int { return strings.Compare(a.Name, b.Name) })
	return s
}

// pinned marks the components named in Together sets.
func pinned(v *view, together [][]string) map[int]bool {
	out := map[int]bool{}
	for _, set := range together {
		for _, ref := range set {
			for _, id := range resolve(v.g, ref) {
				out[v.index[id]] = true
			}
		}
	}
	return out
}

// diagnostics explains the plan's choices that a reader may question:
// libraries, merges, conflicts with configuration, and runtime evidence
// read without a request count.
func diagnostics(v *view, f *facts, part *partition, opts Options) []graph.Diagnostic {
	out := []graph.Diagnostic{}
	// Code that did not load or type-check is planned from what did: say
	// so first, as the scan does.
	for _, d := range v.g.Diagnostics {
		if d.Category == "load" {
			out = append(out, d)
		}
	}
	for i := range v.comps {
		if f.lib[i] {
			out = append(out, graph.Diagnostic{Category: "library", Message: fmt.Sprintf("%s is a library: %s", v.name(i), f.libWhy[i])})
		}
	}
	for _, n := range part.notes {
		out = append(out, graph.Diagnostic{Category: "merge", Message: n})
	}
	out = append(out, part.diagnostics()...)
	for _, ref := range append(flatten(opts.Together), flatten(opts.Apart)...) {
		if len(resolve(v.g, ref)) == 0 {
			out = append(out, graph.Diagnostic{Category: "config", Message: fmt.Sprintf("%q names no component", ref)})
		}
	}
	if opts.Cost.Requests == 0 && hasRuntime(v) {
		out = append(out, graph.Diagnostic{Category: "runtime", Message: "runtime counts are read as one request's worth; " +
			"set cost.requests in podsplit.yaml to the number of requests the recording covered"})
	}
	return out
}

func flatten(sets [][]string) []string {
	var out []string
	for _, s := range sets {
		out = append(out, s...)
	}
	return out
}

func hasRuntime(v *view) bool {
	for _, pe := range v.pairs {
		for _, e := range pe.edges {
			if e.Runtime > 0 {
				return true
			}
		}
	}
	return false
}
