package plan

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/podsplit/podsplit/graph"
)

// A crossing is what a new boundary between a moving set of components and
// the rest cuts through: the call sites and state accesses that must
// change, the API each side must then expose, what blocks the move, and the
// traffic that will cross it.
type crossing struct {
	cuts     []Cut
	sites    int      // all cut sites, including those past the evidence cap
	api      []string // called by the rest in the moving part
	apiBack  []string // called by the moving part in the rest
	blockers []string
	edges    []*graph.Edge // call edges crossing, for the latency estimate
}

// cross examines the boundary between moving and rest, looking at the given
// pairs; tier is the tier the boundary will have (pod for a sidecar, network
// for an extraction).
func cross(v *view, l *layout, pairs []*pairEdges, moving, rest func(int) bool, tier string) crossing {
	var c crossing
	api, back, blockers := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, pe := range pairs {
		if !(moving(pe.a) && rest(pe.b) || moving(pe.b) && rest(pe.a)) {
			continue
		}
		vd := l.verdict(pe.a, pe.b)
		for _, e := range pe.edges {
			c.addEdge(v, e, vd.Tier, tier, moving, api, back)
		}
		for _, b := range blocking(v, vd, tier) {
			blockers[b] = true
		}
	}
	c.api, c.apiBack, c.blockers = sortedSet(api), sortedSet(back), sortedSet(blockers)
	slices.SortFunc(c.cuts, func(a, b Cut) int {
		return cmp.Or(graph.ComparePos(a.Pos, b.Pos), cmp.Compare(a.From, b.From), cmp.Compare(a.To, b.To), cmp.Compare(a.Callee, b.Callee), cmp.Compare(a.Tier, b.Tier))
	})
	return c
}

func (c *crossing) addEdge(v *view, e *graph.Edge, tier, boundary string, moving func(int) bool, api, back map[string]bool) {
	if e.Kind == graph.KindRPC || e.Kind != graph.KindCall && e.Kind != graph.KindState && boundary == TierPod {
		return // already remote, or a local link a Pod keeps working
	}
	for _, ev := range e.Evidence {
		what := calleeOf(ev.Detail)
		switch e.Kind {
		case graph.KindState:
			what = ev.Detail
		case graph.KindIPC, graph.KindData:
			what = strings.TrimSpace(e.Mechanism + " " + e.Key)
		}
		c.cuts = append(c.cuts, Cut{Pos: ev.Pos, From: e.From, To: e.To, Callee: what, Tier: tier})
	}
	c.sites += max(e.EvidenceTotal, len(e.Evidence))
	// Calls from a main package are wiring: its call sites change (each
	// service's own main takes them over) but they are neither traffic nor
	// API.
	if e.Kind != graph.KindCall || v.comps[v.index[e.From]].Role == graph.RoleEntrypoint {
		return
	}
	c.edges = append(c.edges, e)
	if !v.crossing(e) {
		return
	}
	into := moving(v.index[e.To])
	for _, callee := range e.Callees {
		if into {
			api[apiLine(callee)] = true
		} else {
			back[apiLine(callee)] = true
		}
	}
}

// blocking lists what in a pair's verdict stops the pair from being put a
// tier apart: every reason asking for a tighter tier, and shared stored
// data, which one side must own first.
func blocking(v *view, vd *verdict, tier string) []string {
	var out []string
	pair := v.name(vd.a) + " ↔ " + v.name(vd.b) + ": "
	for _, r := range vd.reasons {
		if tierRank(r.tier) < tierRank(tier) || r.rule == ruleData {
			out = append(out, pair+r.text)
		}
	}
	return out
}

// calleeOf takes the callee out of an evidence detail "caller → callee".
func calleeOf(detail string) string {
	_, callee, ok := strings.Cut(detail, " → ")
	if !ok {
		return ""
	}
	callee, _, _ = strings.Cut(callee, " (")
	return callee
}

// apiLine writes a callee as "pkg.(*T).M(params) results" from its name and
// its signature as go/types prints it ("func (*T).M(params) results").
func apiLine(c graph.Callee) string {
	sig := strings.TrimSpace(strings.TrimPrefix(c.Signature, "func"))
	if strings.HasPrefix(sig, "(") {
		if end := matchParen(sig, 0); end > 0 && end+1 < len(sig) && sig[end+1] == '.' {
			sig = sig[end+2:]
		}
	}
	open := strings.IndexByte(sig, '(')
	if open < 0 {
		return c.Func
	}
	return c.Func + sig[open:]
}

// latency is the time per request the crossing adds when its calls go
// over the given tier instead of staying in process, and what it rests on.
func (c crossing) latency(m CostModel, tier string) (float64, string) {
	t := trafficOf(m, c.edges)
	if t.calls == 0 {
		return 0, ""
	}
	us := t.us(m, tier) - t.us(m, TierProcess)
	if t.runtime {
		return us, fmt.Sprintf("runtime: %s", formatCalls(t.calls, m))
	}
	src := fmt.Sprintf("static estimate: %s, each taken to run once per request", plural(int(t.calls), "call site"))
	loops := 0
	for _, e := range c.edges {
		loops += e.InLoop
	}
	if loops > 0 {
		src += fmt.Sprintf("; %d inside loops run once per iteration, so this is a lower bound", loops)
	}
	return us, src
}
