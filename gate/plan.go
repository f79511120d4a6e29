package gate

import (
	"github.com/podsplit/podsplit/config"
	"github.com/podsplit/podsplit/graph"
	"github.com/podsplit/podsplit/plan"
)

// makePlan plans the split of g under cfg, as podsplit plan does, for the
// rules that read tier verdicts and steps.
func makePlan(g *graph.Graph, cfg *config.Config) *plan.Plan {
	return plan.Make(g, plan.OptionsFromConfig(cfg))
}
