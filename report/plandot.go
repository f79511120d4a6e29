package report

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/podsplit/podsplit/graph"
	"github.com/podsplit/podsplit/plan"
)

// tierColors are the colours of the tiers, shared by the DOT drawing and the
// HTML report's legend: process red (tight), pod blue (IPC), network green
// (RPC), as the edge kinds that allow each tier are drawn in DOT.
var tierColors = map[string]string{
	plan.TierProcess: "#c53030",
	plan.TierPod:     "#2b6cb0",
	plan.TierNetwork: "#2f855a",
}

// untiered colours an edge whose pair has no verdict in the plan.
const untiered = "#718096"

func tierColor(tier string) string {
	if c, ok := tierColors[tier]; ok {
		return c
	}
	return untiered
}

// servicePalette fills the nodes of each service when clusters are not drawn,
// so that the grouping stays visible in a force-directed layout.
var servicePalette = []string{
	"#ebf8ff", "#f0fff4", "#fffaf0", "#faf5ff", "#fff5f7", "#e6fffa",
	"#fefcbf", "#e9d8fd", "#c6f6d5", "#fed7d7", "#bee3f8", "#feebc8",
}

// PlanDOTOptions choose how PlanDOT draws a plan.
type PlanDOTOptions struct {
	// Services draws one node per target service (and one for the shared
	// libraries) instead of one per component: an overview that stays
	// legible at any size.
	Services bool
}

// PlanDOT writes the graph of a plan in Graphviz DOT. Each target service is
// a cluster, its sidecar containers nested clusters, and libraries share a
// dashed cluster. There is one edge per interacting pair: coloured by the
// pair's tier, wider with more call sites and runtime calls, dashed when
// runtime evidence was merged but never saw the pair, and with a tooltip
// giving the tier's reasons and evidence.
//
// When the drawing is laid out by sfdp (past LargeGraph components or
// DotEdges pairs: see LayoutFor), clusters are left out, because the
// force-directed engines ignore them; nodes are
// then filled with their service's colour instead, and edges lose their
// arrowheads and the reasons in their tooltips, which would otherwise make
// most of the drawing's size.
//
// Graph ids are positional ("c0" for the first component, "s0" for the first
// service), so that no identifier of the analysed code reaches DOT syntax
// outside a quoted string. SVG elements carry the same ids, and the classes
// "svc-N" (nodes) and "tier-T" (edges) for filtering.
func PlanDOT(w io.Writer, p *plan.Plan, opts PlanDOTOptions) error {
	dot, _ := writePlanDOT(p, opts)
	_, err := io.WriteString(w, dot)
	return err
}

// writePlanDOT returns PlanDOT's source and the layout it was written for.
func writePlanDOT(p *plan.Plan, opts PlanDOTOptions) (string, Layout) {
	l := newPlanLayout(p)
	var b strings.Builder
	if opts.Services {
		l.writeServices(&b)
	} else {
		l.writeComponents(&b)
	}
	return b.String(), l.lay
}

// planLayout indexes a plan for drawing: where every component lives.
type planLayout struct {
	p        *plan.Plan
	index    map[string]int // component id → position in p.Components
	service  map[string]int // component id → service index, or len(services) for libraries
	services []string       // service names, then "libraries"
	observed bool           // whether any runtime evidence was merged
	lay      Layout         // the layout of the drawing being written
}

func newPlanLayout(p *plan.Plan) *planLayout {
	l := &planLayout{p: p, index: map[string]int{}, service: map[string]int{}}
	for i, c := range p.Components {
		l.index[c.ID] = i
	}
	for i, s := range p.Target.Services {
		l.services = append(l.services, s.Name)
		for _, c := range s.Containers {
			for _, id := range c.Components {
				l.service[id] = i
			}
		}
	}
	l.services = append(l.services, "libraries")
	for _, id := range p.Target.Libraries {
		l.service[id] = len(l.services) - 1
	}
	for _, e := range p.Edges {
		l.observed = l.observed || e.Observed
	}
	return l
}

// serviceOf returns the service index of a component, or -1 when the target
// does not place it.
func (l *planLayout) serviceOf(id string) int {
	if s, ok := l.service[id]; ok {
		return s
	}
	return -1
}

// header writes the graph, node and edge defaults of a drawing laid out by
// lay. Force-directed drawings get small nodes and no arrowheads, which at
// their size would hide more than they show.
func header(b *strings.Builder, lay Layout) {
	if lay.Large() {
		fmt.Fprintf(b, `  graph [fontname="Helvetica", %s, outputorder=edgesfirst];
  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=9, margin="0.05,0.02", height=0.2];
  edge [arrowhead=none];
`, lay.Attrs)
		return
	}
	fmt.Fprintf(b, `  graph [fontname="Helvetica", fontsize=12, %s, outputorder=edgesfirst];
  node [shape=box, style="rounded,filled", fillcolor="#f7fafc", fontname="Helvetica", fontsize=11];
  edge [fontname="Helvetica", fontsize=9, arrowsize=0.6];
`, lay.Attrs)
}

func (l *planLayout) writeComponents(b *strings.Builder) {
	b.WriteString("digraph podsplit {\n")
	edges := l.pairEdges()
	l.lay = LayoutFor(len(l.p.Components), len(edges))
	header(b, l.lay)
	if l.lay.Large() {
		for i, c := range l.p.Components {
			l.writeNode(b, "  ", i, c, servicePalette[max(l.serviceOf(c.ID), 0)%len(servicePalette)])
		}
	} else {
		l.writeClusters(b)
	}
	for _, pe := range edges {
		l.writePairEdge(b, pe)
	}
	b.WriteString("}\n")
}

// writeClusters writes one cluster per service, then the libraries' cluster,
// then the components the target does not place.
func (l *planLayout) writeClusters(b *strings.Builder) {
	byID := map[string]*graph.Component{}
	for _, c := range l.p.Components {
		byID[c.ID] = c
	}
	placed := map[string]bool{}
	node := func(indent, id string) {
		if c := byID[id]; c != nil && !placed[id] {
			placed[id] = true
			l.writeNode(b, indent, l.index[id], c, fillOf(c))
		}
	}
	for si, s := range l.p.Target.Services {
		fmt.Fprintf(b, "  subgraph cluster_s%d {\n    id=\"s%d\"; class=\"svc svc-%d\"; label=%s; style=\"rounded\"; color=\"#a0aec0\";\n", si, si, si, quote(s.Name))
		for ci, c := range s.Containers {
			nested := len(s.Containers) > 1
			indent := "    "
			if nested {
				fmt.Fprintf(b, "    subgraph cluster_s%d_%d {\n      label=%s; style=%s; color=\"#cbd5e0\";\n", si, ci, quote(containerLabel(c)), quote(containerStyle(c)))
				indent = "      "
			}
			for _, id := range c.Components {
				node(indent, id)
			}
			if nested {
				b.WriteString("    }\n")
			}
		}
		b.WriteString("  }\n")
	}
	if len(l.p.Target.Libraries) > 0 {
		fmt.Fprintf(b, "  subgraph cluster_lib {\n    id=\"s%d\"; class=\"svc svc-%d\"; label=\"libraries\"; style=\"dashed,rounded\"; color=\"#a0aec0\";\n", len(l.services)-1, len(l.services)-1)
		for _, id := range l.p.Target.Libraries {
			node("    ", id)
		}
		b.WriteString("  }\n")
	}
	for _, c := range l.p.Components {
		node("  ", c.ID)
	}
}

func containerLabel(c plan.Container) string {
	if c.Sidecar {
		return c.Name + " (sidecar)"
	}
	return c.Name
}

func containerStyle(c plan.Container) string {
	if c.Sidecar {
		return "dashed"
	}
	return "solid"
}

func (l *planLayout) writeNode(b *strings.Builder, indent string, i int, c *graph.Component, fill string) {
	tip := c.ID + " (" + c.Role + ")"
	if c.RoleReason != "" {
		tip += "\n" + c.RoleReason
	}
	fmt.Fprintf(b, "%sc%d [id=\"c%d\", class=\"comp svc-%d\", label=%s, shape=%s, fillcolor=%q, tooltip=%s];\n",
		indent, i, i, l.serviceOf(c.ID), quote(label(c)), shapeOf(c), fill, quote(tip))
}

// A pairEdge is what PlanDOT draws for one interacting pair.
type pairEdge struct {
	a, b     string // component ids, drawn a → b
	both     bool   // edges run both ways
	pair     *plan.Pair
	static   int
	runtime  int64
	observed bool
}

// pairEdges folds the plan's edges into one per unordered pair, directed the
// way the calls go, and attaches each pair's verdict.
func (l *planLayout) pairEdges() []pairEdge {
	type key struct{ a, b string }
	byKey := map[key]*pairEdge{}
	var keys []key
	for _, e := range l.p.Edges {
		if e.From == e.To {
			continue
		}
		k := key{min(e.From, e.To), max(e.From, e.To)}
		pe := byKey[k]
		if pe == nil {
			pe = &pairEdge{a: e.From, b: e.To}
			byKey[k] = pe
			keys = append(keys, k)
		} else if pe.a != e.From {
			pe.both = true
		}
		pe.static += e.Static
		pe.runtime += e.Runtime
		pe.observed = pe.observed || e.Observed
	}
	for i := range l.p.Pairs {
		pr := &l.p.Pairs[i]
		if pe := byKey[key{min(pr.A, pr.B), max(pr.A, pr.B)}]; pe != nil {
			pe.pair = pr
		}
	}
	slices.SortFunc(keys, func(x, y key) int { return strings.Compare(x.a+"\x00"+x.b, y.a+"\x00"+y.b) })
	out := make([]pairEdge, 0, len(keys))
	for _, k := range keys {
		out = append(out, *byKey[k])
	}
	return out
}

func (l *planLayout) writePairEdge(b *strings.Builder, pe pairEdge) {
	ia, okA := l.index[pe.a]
	ib, okB := l.index[pe.b]
	if !okA || !okB {
		return
	}
	tier := ""
	if pe.pair != nil {
		tier = pe.pair.Tier
	}
	style := "solid"
	if l.observed && !pe.observed {
		style = "dashed"
	}
	dir := "forward"
	if pe.both {
		dir = "both"
	}
	tip := pairTooltip(pe)
	if l.lay.Large() {
		// Past a few hundred components the tooltips are most of the
		// drawing's size: keep who, tier and weight; the pairs table has
		// the reasons and evidence.
		tip, _, _ = strings.Cut(tip, "\n")
		tip += fmt.Sprintf(": %s, %d call sites", tierClass(tier), pe.static)
	}
	fmt.Fprintf(b, "  c%d -> c%d [id=\"e_c%d_c%d\", class=%s, color=%q, style=%s, dir=%s, penwidth=%.1f, tooltip=%s];\n",
		ia, ib, ia, ib, quote("tier-"+tierClass(tier)), tierColor(tier), style, dir, weightWidth(pe.static, pe.runtime), quote(tip))
}

// tierClass is the CSS class suffix of a tier; anything unknown is "none".
func tierClass(tier string) string {
	if _, ok := tierColors[tier]; ok {
		return tier
	}
	return "none"
}

// weightWidth grows the pen with the logarithm of call sites and of runtime
// calls, so a hot edge stands out without drowning the rest.
func weightWidth(static int, runtime int64) float64 {
	w := 1 + 0.7*math.Log(float64(max(static, 1)))/math.Log(3) + 0.4*math.Log10(float64(max(runtime, 1)))
	return math.Round(min(w, 6)*10) / 10
}

func pairTooltip(pe pairEdge) string {
	var lines []string
	head := pe.a + " → " + pe.b
	if pe.both {
		head = pe.a + " ↔ " + pe.b
	}
	lines = append(lines, head)
	weight := fmt.Sprintf("%d call sites", pe.static)
	if pe.observed {
		weight += fmt.Sprintf(", %d runtime calls", pe.runtime)
	}
	if pe.pair == nil {
		return strings.Join(append(lines, "no tier verdict", weight), "\n")
	}
	lines = append(lines, "tier "+pe.pair.Tier+"; "+weight)
	lines = append(lines, pe.pair.Reasons...)
	for i, ev := range pe.pair.Evidence {
		if i == 5 {
			lines = append(lines, fmt.Sprintf("… %d places in all", len(pe.pair.Evidence)))
			break
		}
		lines = append(lines, strings.TrimSpace(ev.Pos+" "+ev.Detail))
	}
	return strings.Join(lines, "\n")
}
