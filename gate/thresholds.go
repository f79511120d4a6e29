package gate

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/podsplit/podsplit/graph"
)

// icp returns the inter-call percentage of the declared services: of all
// interactions (calls, IPC, RPC) between components placed in declared
// services, the share that crosses from one service to another. Each edge
// weighs ln(1+n), n being its runtime count when runtime data saw it and its
// number of static sites otherwise, so that a few very hot edges do not
// drown the rest (after Jin et al., "Functionality-oriented microservice
// extraction based on execution trace clustering", 2018). Calls into
// libraries are left out: a library is linked into every service.
func icp(g *graph.Graph, l *layout) float64 {
	var across, total float64
	for _, e := range g.Edges {
		if e.Kind != graph.KindCall && e.Kind != graph.KindIPC && e.Kind != graph.KindRPC {
			continue
		}
		a, b := l.service[e.From], l.service[e.To]
		if a == "" || b == "" || a == library || b == library {
			continue
		}
		n := float64(e.Static)
		if e.Observed && e.Runtime > 0 {
			n = float64(e.Runtime)
		}
		w := math.Log1p(n)
		total += w
		if a != b {
			across += w
		}
	}
	if total == 0 {
		return 0
	}
	return across / total
}

func (c *checker) maxICP(value float64) []Violation {
	if value <= c.cfg.Rules.MaxICP {
		return nil
	}
	v := Violation{
		Rule: RuleMaxICP, Subject: "icp",
		Message: fmt.Sprintf("the inter-call percentage of the declared services is %.3f, above rules.max_icp %.3f",
			value, c.cfg.Rules.MaxICP),
	}
	return []Violation{keyed(v)}
}

// maxCutSites reports plan steps that cut more call sites than allowed.
func (c *checker) maxCutSites() []Violation {
	if c.in.Plan == nil {
		c.note("%s: no plan given, steps not checked", RuleMaxCutSites)
		return nil
	}
	limit := c.cfg.Rules.MaxCutSitesPerStep
	var out []Violation
	for _, s := range c.in.Plan.Steps {
		if len(s.Cut) <= limit {
			continue
		}
		moves := slices.Clone(s.Moves)
		slices.Sort(moves)
		v := Violation{
			Rule: RuleMaxCutSites, Pos: s.Cut[0].Pos,
			Subject: "step moving " + strings.Join(moves, ", "),
			Message: fmt.Sprintf("step %d (%s) cuts %d call sites, more than rules.max_cut_sites_per_step %d",
				s.N, s.Title, len(s.Cut), limit),
		}
		out = append(out, keyed(v, moves...))
	}
	return out
}
