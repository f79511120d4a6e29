package report

import (
	"bytes"
	"context"
	"fmt"
	"sync"

	"github.com/goccy/go-graphviz"
)

// Layout effort. Most of the time dot spends on a drawing goes to ordering
// the nodes of each rank to reduce crossings (mincross) and to routing every
// edge as a spline around the nodes; both grow much faster than the graph.
// BenchmarkLayout, on random graphs: 60 components and 395 edges take 2.0 s
// with splines and the usual effort, 0.36 s with straight edges and capped
// ordering; 100 components and 757 edges 31 s with splines, 0.09 s by sfdp.
// On a generated monolith of 252 packages (2,182 edges), graph.svg took
// 110 s with splines. A drawing is therefore laid out in one of three ways,
// by its size.
const (
	// SplineEdges is the edge count up to which dot routes edges as splines
	// with its usual effort.
	SplineEdges = 200
	// DotEdges is the edge count up to which dot lays out the drawing, with
	// straight edges and capped node ordering past SplineEdges; sfdp draws
	// larger ones, as it draws graphs of more than LargeGraph nodes.
	DotEdges = 400
	// LargeGraph is the node count past which drawings are laid out by
	// sfdp: dot's rank assignment grows superlinearly and stalls on
	// thousands of nodes, where a force-directed layout stays fast.
	LargeGraph = 300
)

// A Layout is how one drawing is laid out: the Graphviz engine, and the
// graph attributes that bound its effort.
type Layout struct {
	Engine graphviz.Layout
	// Attrs are graph attributes, comma-separated, written into the DOT
	// source so that Graphviz run by hand on it lays it out the same way.
	Attrs string
}

// LayoutFor chooses the layout of a drawing of nodes nodes and edges edges.
//
// The force-directed layout is capped (maxiter), removes overlaps by
// scaling (prism, the default, takes minutes on a thousand nodes), starts
// from a fixed seed and turns off multilevel coarsening (levels=0), whose
// result depends on the state earlier layouts left the process's Graphviz
// in, so that the same graph is drawn the same way every time.
func LayoutFor(nodes, edges int) Layout {
	switch {
	case nodes > LargeGraph || edges > DotEdges:
		return Layout{Engine: graphviz.SFDP, Attrs: "layout=sfdp, overlap=scale, quadtree=fast, maxiter=150, start=random1, levels=0"}
	case edges > SplineEdges:
		return Layout{Engine: graphviz.DOT, Attrs: "rankdir=LR, nslimit=1, nslimit1=1, mclimit=0.05, remincross=false, splines=line"}
	default:
		return Layout{Engine: graphviz.DOT, Attrs: "rankdir=LR, nslimit=2, mclimit=0.5, searchsize=30, splines=true"}
	}
}

// Large reports whether the layout is force-directed: clusters and the
// direction of ranks do not apply.
func (l Layout) Large() bool { return l.Engine != graphviz.DOT }

// graphvizMu serialises the use of the embedded Graphviz: go-graphviz runs
// every instance in one WebAssembly module, whose memory and C globals are
// shared, so two layouts at once would corrupt each other.
var graphvizMu sync.Mutex

// layoutSVG lays out DOT source with the embedded Graphviz and returns SVG.
// It is safe for concurrent use.
func layoutSVG(ctx context.Context, dot []byte, engine graphviz.Layout) ([]byte, error) {
	graphvizMu.Lock()
	defer graphvizMu.Unlock()
	gv, err := graphviz.New(ctx)
	if err != nil {
		return nil, fmt.Errorf("starting graphviz: %w", err)
	}
	defer gv.Close()
	g, err := graphviz.ParseBytes(dot)
	if err != nil {
		return nil, fmt.Errorf("parsing dot: %w", err)
	}
	if g == nil {
		return nil, fmt.Errorf("parsing dot: no graph")
	}
	defer g.Close()
	gv.SetLayout(engine)
	var svg bytes.Buffer
	if err := gv.Render(ctx, g, graphviz.SVG, &svg); err != nil {
		return nil, fmt.Errorf("rendering svg: %w", err)
	}
	return svg.Bytes(), nil
}
