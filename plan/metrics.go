package plan

import (
	"cmp"
	"math"
	"slices"

	"github.com/podsplit/podsplit/graph"
)

// Bounds of a non-extreme service for NED, in components.
const (
	NEDMin = 5
	NEDMax = 20
)

// measure computes the decomposition metrics of a labelling of the
// components: label[i] is the service of component i, or -1 for libraries
// and external endpoints, which no metric counts. docs/metrics.md defines
// each metric and the published variant it follows.
func measure(v *view, label []int) Metrics {
	return Metrics{
		ICP:        round4(icp(v, label)),
		SM:         round4(structuralModularity(v, label)),
		IFN:        round4(interfaceNumber(v, label)),
		NED:        round4(ned(label)),
		Modularity: round4(modularity(v, label, 1)),
	}
}

// round4 keeps four decimals: metrics are read, not computed with further.
func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }

// icp is the share of calls between services: runtime counts when the
// graph has any, static call sites otherwise.
func icp(v *view, label []int) float64 {
	runtime := false
	for _, pe := range v.pairs {
		for _, e := range pe.edges {
			runtime = runtime || e.Kind == graph.KindCall && e.Runtime > 0
		}
	}
	var inter, total float64
	for _, pe := range v.pairs {
		if label[pe.a] < 0 || label[pe.b] < 0 {
			continue
		}
		for _, e := range pe.edges {
			if e.Kind != graph.KindCall {
				continue
			}
			w := float64(e.Static)
			if runtime {
				w = float64(e.Runtime)
			}
			total += w
			if label[pe.a] != label[pe.b] {
				inter += w
			}
		}
	}
	if total == 0 {
		return 0
	}
	return inter / total
}

// structuralModularity is SM of Jin et al.: mean cohesion μ_i/N_i² of the
// services minus mean coupling σ_ij/(2 N_i N_j) over pairs of services,
// counting dependency edges between components.
func structuralModularity(v *view, label []int) float64 {
	size := map[int]float64{}
	for _, l := range label {
		if l >= 0 {
			size[l]++
		}
	}
	k := float64(len(size))
	if k == 0 {
		return 0
	}
	inside := map[int]float64{}
	between := map[[2]int]float64{}
	for i := range v.comps {
		seen := map[int]bool{}
		for _, e := range v.out[i] {
			j := v.index[e.To]
			if !graph.IsDependency(e) || seen[j] || label[i] < 0 || label[j] < 0 {
				continue
			}
			seen[j] = true
			if label[i] == label[j] {
				inside[label[i]]++
			} else {
				between[[2]int{min(label[i], label[j]), max(label[i], label[j])}]++
			}
		}
	}
	var coh, cop float64
	for _, l := range sortedKeys(size) {
		coh += inside[l] / (size[l] * size[l])
	}
	keys := make([][2]int, 0, len(between))
	for p := range between {
		keys = append(keys, p)
	}
	slices.SortFunc(keys, func(a, b [2]int) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) })
	for _, p := range keys {
		cop += between[p] / (2 * size[p[0]] * size[p[1]])
	}
	sm := coh / k
	if k > 1 {
		sm -= cop / (k * (k - 1) / 2)
	}
	return sm
}

// interfaceNumber is IFN of Jin et al.: the mean number of distinct
// functions each service exposes to the others.
func interfaceNumber(v *view, label []int) float64 {
	exposed := map[int]map[string]bool{}
	services := map[int]bool{}
	for _, l := range label {
		if l >= 0 {
			services[l] = true
		}
	}
	if len(services) == 0 {
		return 0
	}
	for _, pe := range v.pairs {
		for _, e := range pe.edges {
			from, to := v.index[e.From], v.index[e.To]
			if !v.crossing(e) || label[from] < 0 || label[to] < 0 || label[from] == label[to] {
				continue
			}
			if exposed[label[to]] == nil {
				exposed[label[to]] = map[string]bool{}
			}
			for _, c := range e.Callees {
				exposed[label[to]][c.Func] = true
			}
		}
	}
	total := 0
	for _, fns := range exposed {
		total += len(fns)
	}
	return float64(total) / float64(len(services))
}

// ned is the non-extreme distribution in the form of Kalia et al.
// (Mono2Micro), after Wu et al.: the share of components in services of
// fewer than NEDMin or more than NEDMax components. Lower is better.
func ned(label []int) float64 {
	size := map[int]int{}
	n := 0
	for _, l := range label {
		if l >= 0 {
			size[l]++
			n++
		}
	}
	if n == 0 {
		return 0
	}
	fine := 0
	for _, s := range size {
		if s >= NEDMin && s <= NEDMax {
			fine += s
		}
	}
	return 1 - float64(fine)/float64(n)
}

// baselines measures the two reference decompositions: every planned
// component its own service, and everything in one.
func baselines(v *view, planned []bool) []Baseline {
	one, mono := make([]int, len(v.comps)), make([]int, len(v.comps))
	for i := range v.comps {
		one[i], mono[i] = -1, -1
		if planned[i] {
			one[i], mono[i] = i, 0
		}
	}
	return []Baseline{
		{Name: "one-per-package", Metrics: measure(v, one)},
		{Name: "monolith", Metrics: measure(v, mono)},
	}
}
