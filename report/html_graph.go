package report

import (
	"bytes"
	"context"
	"fmt"

	"github.com/goccy/go-graphviz"

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

// RenderPlanGraphs lays out the plan's drawings with the embedded Graphviz.
// Components are laid out by dot while there are at most LargeGraph of
// them, by sfdp past that.
func RenderPlanGraphs(ctx context.Context, p *plan.Plan) (PlanGraphs, error) {
	var out PlanGraphs
	var err error
	if out.Services, err = renderDOT(ctx, p, PlanDOTOptions{Services: true}, graphviz.DOT); err != nil {
		return PlanGraphs{}, fmt.Errorf("drawing services: %w", err)
	}
	if len(p.Components) > MaxDrawn {
		return out, nil
	}
	out.Engine = string(graphviz.DOT)
	if len(p.Components) > LargeGraph {
		out.Engine = string(graphviz.SFDP)
	}
	if out.Components, err = renderDOT(ctx, p, PlanDOTOptions{}, graphviz.Layout(out.Engine)); err != nil {
		return PlanGraphs{}, fmt.Errorf("drawing components: %w", err)
	}
	return out, nil
}

// renderDOT draws one graph. The embedded Graphviz is one WebAssembly
// module for the whole process, so a layout must not depend on what the
// module did before: PlanDOT turns off sfdp's multilevel coarsening, the
// one part of it that does.
func renderDOT(ctx context.Context, p *plan.Plan, opts PlanDOTOptions, engine graphviz.Layout) ([]byte, error) {
	var dot bytes.Buffer
	if err := PlanDOT(&dot, p, opts); err != nil {
		return nil, err
	}
	gv, err := graphviz.New(ctx)
	if err != nil {
		return nil, fmt.Errorf("starting graphviz: %w", err)
	}
	defer gv.Close()
	g, err := graphviz.ParseBytes(dot.Bytes())
	if err != nil {
		return nil, fmt.Errorf("parsing dot: %w", err)
	}
	defer g.Close()
	gv.SetLayout(engine)
	var svg bytes.Buffer
	if err := gv.Render(ctx, g, graphviz.SVG, &svg); err != nil {
		return nil, fmt.Errorf("rendering svg: %w", err)
	}
	return svg.Bytes(), nil
}
