package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/podsplit/podsplit/plan"
)

// tierRank orders tiers from tightest to loosest; unknown tiers rank last.
func tierRank(tier string) int {
	switch tier {
	case plan.TierProcess:
		return 0
	case plan.TierPod:
		return 1
	case plan.TierNetwork:
		return 2
	}
	return 3
}

// writeServices draws one node per service and one for the libraries, with
// one edge per pair of services that interact: coloured by the tightest tier
// among the component pairs it stands for, since that is the one that
// decides whether the split holds.
func (l *planLayout) writeServices(b *strings.Builder) {
	b.WriteString("digraph podsplit {\n")
	edges := l.serviceEdges()
	l.lay = LayoutFor(len(l.services), len(edges))
	header(b, l.lay)
	counts := make([]int, len(l.services))
	for _, c := range l.p.Components {
		if s := l.serviceOf(c.ID); s >= 0 {
			counts[s]++
		}
	}
	for i, name := range l.services {
		if counts[i] == 0 {
			continue
		}
		shape, fill := "box", servicePalette[i%len(servicePalette)]
		if i == len(l.services)-1 {
			shape, fill = "note", "#edf2f7"
		}
		fmt.Fprintf(b, "  s%d [id=\"s%d\", class=\"svc svc-%d\", label=%s, shape=%s, fillcolor=%q, tooltip=%s];\n",
			i, i, i, quote(name+"\n"+plural(counts[i], "component")), shape, fill, quote(name))
	}
	for _, se := range edges {
		style := "solid"
		if l.observed && !se.observed {
			style = "dashed"
		}
		fmt.Fprintf(b, "  s%d -> s%d [id=\"e_s%d_s%d\", class=%s, color=%q, style=%s, penwidth=%.1f, tooltip=%s];\n",
			se.from, se.to, se.from, se.to, quote("tier-"+tierClass(se.tier)), tierColor(se.tier), style,
			weightWidth(se.static, se.runtime), quote(fmt.Sprintf("%s → %s: tightest tier %s, %d component pairs, %d call sites",
				l.services[se.from], l.services[se.to], se.tier, se.pairs, se.static)))
	}
	b.WriteString("}\n")
}

// plural says "1 component", "2 components".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

type serviceEdge struct {
	from, to int
	tier     string
	pairs    int
	static   int
	runtime  int64
	observed bool
}

func (l *planLayout) serviceEdges() []serviceEdge {
	type key struct{ from, to int }
	byKey := map[key]*serviceEdge{}
	for _, pe := range l.pairEdges() {
		from, to := l.serviceOf(pe.a), l.serviceOf(pe.b)
		if from < 0 || to < 0 || from == to {
			continue
		}
		k := key{from, to}
		se := byKey[k]
		if se == nil {
			se = &serviceEdge{from: from, to: to, tier: "none"}
			byKey[k] = se
		}
		tier := ""
		if pe.pair != nil {
			tier = pe.pair.Tier
		}
		if tierRank(tier) < tierRank(se.tier) {
			se.tier = tier
		}
		se.pairs++
		se.static += pe.static
		se.runtime += pe.runtime
		se.observed = se.observed || pe.observed
	}
	out := make([]serviceEdge, 0, len(byKey))
	for _, se := range byKey {
		out = append(out, *se)
	}
	slices.SortFunc(out, func(x, y serviceEdge) int {
		if x.from != y.from {
			return x.from - y.from
		}
		return x.to - y.to
	})
	return out
}
