package report

import (
	"cmp"
	"fmt"
	"html/template"
	"slices"
	"strings"

	"github.com/podsplit/podsplit/graph"
	"github.com/podsplit/podsplit/plan"
)

// view is what the report template shows; newView computes it from the
// input so that the template only lays it out.
type view struct {
	Module, Note   string
	Policy         string
	CSS            template.CSS
	JS             template.JS
	Counts         []count
	Metrics        metricsView
	Diagnostics    []graph.Diagnostic
	ServicesSVG    template.HTML
	ComponentsSVG  template.HTML
	Engine         string
	Large          bool
	TooMany        bool // more components than MaxDrawn
	ComponentCount int
	ServiceOpts    []serviceOpt
	Tiers          []tierLegend
	Comps          []compRow
	Matrix         matrixView
	Pairs          []pairRow
	Steps          []stepView
	Other          []manifestFile
}

type count struct {
	Label string
	Value int
}

type serviceOpt struct {
	Index int
	Name  string
}

type tierLegend struct{ Name, Color string }

// A compRow is one component in the components table. Node is its id in the
// drawings, so that search can light it up there.
type compRow struct {
	Node, Name, ID, Role, Service, Container string
	Svc                                      int
	Lines, Files                             int
	State                                    string
}

// A pairRow is one pair of interacting components with its verdict.
type pairRow struct {
	A, B     string
	Tier     string
	Static   int
	Runtime  int64
	Reasons  []string
	Evidence []graph.Evidence
	More     int
}

// maxPairEvidence is the evidence shown per pair in the table; the drawing's
// tooltips and plan.json have the rest.
const maxPairEvidence = 3

func newView(in HTMLInput) (*view, error) {
	p := in.Plan
	l := newPlanLayout(p)
	v := &view{
		Module: p.Module, Note: in.Note, Policy: contentPolicy(),
		CSS: template.CSS(reportCSS), JS: template.JS(reportJS),
		Metrics: newMetrics(p), Diagnostics: diagnostics(p.Diagnostics, in.Diagnostics),
		Engine: in.Graphs.Engine, Large: in.Graphs.Engine == "sfdp", TooMany: len(p.Components) > MaxDrawn,
		ComponentCount: len(p.Components),
	}
	v.Counts = counts(p, len(v.Diagnostics))
	var err error
	if v.ServicesSVG, err = inlineOptional(in.Graphs.Services, "s-", false); err != nil {
		return nil, fmt.Errorf("services drawing: %w", err)
	}
	if v.ComponentsSVG, err = inlineOptional(in.Graphs.Components, "g-", true); err != nil {
		return nil, fmt.Errorf("components drawing: %w", err)
	}
	for i, name := range l.services {
		v.ServiceOpts = append(v.ServiceOpts, serviceOpt{Index: i, Name: name})
	}
	for _, t := range []string{plan.TierProcess, plan.TierPod, plan.TierNetwork} {
		v.Tiers = append(v.Tiers, tierLegend{Name: t, Color: tierColors[t]})
	}
	v.Comps = compRows(p, l)
	v.Matrix = newMatrix(p, l)
	v.Pairs = pairRows(p)
	v.Steps, v.Other = stepViews(p, in.Manifests)
	return v, nil
}

// inlineOptional inlines an SVG when there is one. The result is marked safe
// HTML only because inlineSVG rebuilt it from an allow-list.
func inlineOptional(svg []byte, prefix string, fit bool) (template.HTML, error) {
	if len(svg) == 0 {
		return "", nil
	}
	s, err := inlineSVG(svg, prefix, fit)
	return template.HTML(s), err
}

// diagnostics merges the plan's diagnostics with the analysis's, sorted and
// without repeats.
func diagnostics(lists ...[]graph.Diagnostic) []graph.Diagnostic {
	var all []graph.Diagnostic
	for _, l := range lists {
		all = append(all, l...)
	}
	slices.SortFunc(all, func(a, b graph.Diagnostic) int {
		return cmp.Or(cmp.Compare(a.Category, b.Category), cmp.Compare(a.Pos, b.Pos), cmp.Compare(a.Message, b.Message))
	})
	return slices.Compact(all)
}

func counts(p *plan.Plan, diags int) []count {
	roles := map[string]int{}
	for _, c := range p.Components {
		roles[c.Role]++
	}
	kinds := map[string]int{}
	for _, e := range p.Edges {
		kinds[e.Kind]++
	}
	tiers := map[string]int{}
	for _, pr := range p.Pairs {
		tiers[pr.Tier]++
	}
	cuts := 0
	for _, s := range p.Steps {
		cuts += len(s.Cut)
	}
	out := []count{{"components", len(p.Components)}}
	out = appendCounts(out, roles, " components", []string{graph.RoleService, graph.RoleEntrypoint, graph.RoleLibrary, graph.RoleGovernance, graph.RoleExternal})
	out = append(out, count{"edges", len(p.Edges)})
	out = appendCounts(out, kinds, " edges", []string{graph.KindCall, graph.KindState, graph.KindIPC, graph.KindRPC, graph.KindData})
	out = append(out, count{"interacting pairs", len(p.Pairs)})
	out = appendCounts(out, tiers, "-tier pairs", []string{plan.TierProcess, plan.TierPod, plan.TierNetwork})
	return append(out, count{"target services", len(p.Target.Services)}, count{"shared libraries", len(p.Target.Libraries)},
		count{"steps", len(p.Steps)}, count{"call sites to cut", cuts}, count{"diagnostics", diags})
}

// appendCounts adds the non-zero counts of m, known keys in order first and
// any other key after them, sorted.
func appendCounts(out []count, m map[string]int, suffix string, order []string) []count {
	keys := slices.Sorted(mapsKeys(m))
	slices.SortStableFunc(keys, func(a, b string) int { return rank(order, a) - rank(order, b) })
	for _, k := range keys {
		if m[k] > 0 {
			out = append(out, count{k + suffix, m[k]})
		}
	}
	return out
}

func rank(order []string, s string) int {
	if i := slices.Index(order, s); i >= 0 {
		return i
	}
	return len(order)
}

func mapsKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// metricsView is the metrics of the plan beside those of the baselines.
type metricsView struct {
	Columns []string
	Rows    []metricRow
}

type metricRow struct {
	Name   string
	Values []float64
}

func newMetrics(p *plan.Plan) metricsView {
	all := []plan.Metrics{p.Metrics}
	m := metricsView{Columns: []string{"this plan"}}
	for _, b := range p.Baselines {
		m.Columns = append(m.Columns, b.Name)
		all = append(all, b.Metrics)
	}
	fields := []struct {
		name string
		get  func(plan.Metrics) float64
	}{
		{"ICP", func(m plan.Metrics) float64 { return m.ICP }},
		{"SM", func(m plan.Metrics) float64 { return m.SM }},
		{"IFN", func(m plan.Metrics) float64 { return m.IFN }},
		{"NED", func(m plan.Metrics) float64 { return m.NED }},
		{"modularity", func(m plan.Metrics) float64 { return m.Modularity }},
	}
	for _, f := range fields {
		row := metricRow{Name: f.name}
		for _, x := range all {
			row.Values = append(row.Values, f.get(x))
		}
		m.Rows = append(m.Rows, row)
	}
	return m
}

func compRows(p *plan.Plan, l *planLayout) []compRow {
	container := map[string]string{}
	for _, s := range p.Target.Services {
		for _, c := range s.Containers {
			for _, id := range c.Components {
				container[id] = c.Name
			}
		}
	}
	rows := make([]compRow, 0, len(p.Components))
	for i, c := range p.Components {
		r := compRow{Node: fmt.Sprintf("c%d", i), Name: label(c), ID: c.ID, Role: c.Role,
			Svc: l.serviceOf(c.ID), Container: container[c.ID], Lines: c.Lines, Files: c.Files,
			State: strings.Join(c.MutableState, ", ")}
		if r.Svc >= 0 {
			r.Service = l.services[r.Svc]
		}
		rows = append(rows, r)
	}
	return rows
}

func pairRows(p *plan.Plan) []pairRow {
	names := componentNames(p)
	rows := make([]pairRow, 0, len(p.Pairs))
	for _, pr := range p.Pairs {
		r := pairRow{A: names.of(pr.A), B: names.of(pr.B), Tier: pr.Tier, Static: pr.Static, Runtime: pr.Runtime, Reasons: pr.Reasons}
		r.Evidence = pr.Evidence[:min(len(pr.Evidence), maxPairEvidence)]
		r.More = len(pr.Evidence) - len(r.Evidence)
		rows = append(rows, r)
	}
	return rows
}

// nameMap gives components their short names.
type nameMap map[string]string

func componentNames(p *plan.Plan) nameMap {
	m := nameMap{}
	for _, c := range p.Components {
		m[c.ID] = label(c)
	}
	return m
}

func (m nameMap) of(id string) string {
	if n, ok := m[id]; ok {
		return n
	}
	return id
}
