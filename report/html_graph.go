package report

import (
	"context"
	"fmt"

	"github.com/podsplit/podsplit/plan"
)

// MaxDrawn is the number of components past which the report leaves out the
// component drawing: even capped, a force-directed layout of more nodes
// takes longer than a report should, and a picture of them says little that
// the service drawing, the matrix and the tables do not.
const MaxDrawn = 4000

// PlanGraphs are the drawings of a plan, as Graphviz SVG.
type PlanGraphs struct {
	// Services draws one node per target service.
	Services []byte
	// Components draws every component, services as clusters; nil when the
	// plan has more than MaxDrawn components.
	Components []byte
	// Engine is the Graphviz layout engine that drew Components.
	Engine string
}

// RenderPlanGraphs lays out the plan's drawings with the embedded Graphviz,
// each by the layout LayoutFor gives its size.
func RenderPlanGraphs(ctx context.Context, p *plan.Plan) (PlanGraphs, error) {
	var out PlanGraphs
	var err error
	if out.Services, _, err = renderDOT(ctx, p, PlanDOTOptions{Services: true}); err != nil {
		return PlanGraphs{}, fmt.Errorf("drawing services: %w", err)
	}
	if len(p.Components) > MaxDrawn {
		return out, nil
	}
	var lay Layout
	if out.Components, lay, err = renderDOT(ctx, p, PlanDOTOptions{}); err != nil {
		return PlanGraphs{}, fmt.Errorf("drawing components: %w", err)
	}
	out.Engine = string(lay.Engine)
	return out, nil
}

// renderDOT draws one graph.
func renderDOT(ctx context.Context, p *plan.Plan, opts PlanDOTOptions) ([]byte, Layout, error) {
	dot, lay := writePlanDOT(p, opts)
	svg, err := layoutSVG(ctx, []byte(dot), lay.Engine)
	return svg, lay, err
}
