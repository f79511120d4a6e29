package gate

import (
	"fmt"
	"strings"

	"github.com/podsplit/podsplit/graph"
	"github.com/podsplit/podsplit/plan"
)

// linkTier returns the loosest tier at which a link still works: local IPC
// (a Unix socket, a localhost connection, a shared file or named pipe)
// needs one Pod; running another program needs its binary in the same
// container. It returns "" for links that work across the network, and for
// calls and state, which the other rules cover.
func linkTier(e *graph.Edge) string {
	switch {
	case e.Kind == graph.KindIPC && e.Mechanism == "exec":
		return plan.TierProcess
	case e.Kind == graph.KindIPC:
		return plan.TierPod
	}
	return ""
}

// tierCeiling reports links and plan verdicts tighter than the ceiling of
// the two services they join.
func (c *checker) tierCeiling() []Violation {
	var out []Violation
	for _, e := range c.in.Graph.Edges {
		from, to, ok := c.l.boundary(e.From, e.To)
		if t := linkTier(e); ok && t != "" && tighter(t, c.l.ceiling(from, to)) {
			out = append(out, c.linkViolation(e, from, to, t))
		}
	}
	if c.in.Plan == nil {
		c.note("%s: no plan given, tier verdicts not checked", RuleTierCeiling)
		return out
	}
	for _, p := range c.in.Plan.Pairs {
		a, b, ok := c.l.boundary(p.A, p.B)
		if ok && tighter(p.Tier, c.l.ceiling(a, b)) {
			out = append(out, c.pairViolation(p, a, b))
		}
	}
	return out
}

func (c *checker) linkViolation(e *graph.Edge, from, to, tier string) Violation {
	what := e.Mechanism
	if e.Key != "" {
		what += " " + e.Key
	}
	pos := ""
	if len(e.Evidence) > 0 {
		pos = e.Evidence[0].Pos
	}
	v := Violation{
		Rule: RuleTierCeiling, Pos: pos, From: from, To: to,
		Subject: fmt.Sprintf("%s → %s over %s", componentName(c.in.Graph, e.From), componentName(c.in.Graph, e.To), what),
		Message: fmt.Sprintf("service %s reaches service %s over %s (%s), which needs tier %s; the ceiling between them is %s",
			from, to, what, e.Kind, tier, c.l.ceiling(from, to)),
	}
	return keyed(v, e.From, e.To, e.Kind, e.Mechanism, e.Key)
}

func (c *checker) pairViolation(p plan.Pair, a, b string) Violation {
	pos := ""
	if len(p.Evidence) > 0 {
		pos = p.Evidence[0].Pos
	}
	why := ""
	if len(p.Reasons) > 0 {
		why = ": " + strings.Join(p.Reasons, "; ")
	}
	g := c.in.Graph
	v := Violation{
		Rule: RuleTierCeiling, Pos: pos, From: a, To: b,
		Subject: fmt.Sprintf("%s ⇄ %s need %s", componentName(g, p.A), componentName(g, p.B), p.Tier),
		Message: fmt.Sprintf("%s (service %s) and %s (service %s) need tier %s, tighter than their ceiling %s%s",
			componentName(g, p.A), a, componentName(g, p.B), b, p.Tier, c.l.ceiling(a, b), why),
	}
	return keyed(v, p.A, p.B, p.Tier)
}
