package report

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/goccy/go-graphviz"

	"github.com/podsplit/podsplit/graph"
)

func TestLayoutFor(t *testing.T) {
	for _, c := range []struct {
		nodes, edges int
		engine       graphviz.Layout
		splines      string
	}{
		{20, 60, graphviz.DOT, "splines=true"},
		{100, SplineEdges, graphviz.DOT, "splines=true"},
		{100, SplineEdges + 1, graphviz.DOT, "splines=line"},
		{LargeGraph, DotEdges, graphviz.DOT, "splines=line"},
		{LargeGraph, DotEdges + 1, graphviz.SFDP, ""},
		{LargeGraph + 1, 10, graphviz.SFDP, ""},
	} {
		l := LayoutFor(c.nodes, c.edges)
		if l.Engine != c.engine || l.Large() != (c.engine == graphviz.SFDP) {
			t.Errorf("LayoutFor(%d, %d) = %s, want %s", c.nodes, c.edges, l.Engine, c.engine)
		}
		if c.splines != "" && !strings.Contains(l.Attrs, c.splines) {
			t.Errorf("LayoutFor(%d, %d): attributes %q lack %s", c.nodes, c.edges, l.Attrs, c.splines)
		}
		if l.Large() && !strings.Contains(l.Attrs, "layout=sfdp") {
			t.Errorf("LayoutFor(%d, %d): DOT source would not name sfdp: %q", c.nodes, c.edges, l.Attrs)
		}
	}
}

// denseGraph is a made-up component graph of n components, each calling
// up to deg others at random (seeded).
func denseGraph(n, deg int) *graph.Graph {
	r := rand.New(rand.NewPCG(2, uint64(n)))
	g := &graph.Graph{Module: "example.com/dense"}
	for i := range n {
		g.Components = append(g.Components, &graph.Component{ID: fmt.Sprintf("example.com/dense/p%04d", i), Name: fmt.Sprintf("p%04d", i), Role: graph.RoleService})
	}
	seen := map[[2]int]bool{}
	for i := range n {
		for range deg {
			j := r.IntN(n)
			if j == i || seen[[2]int{i, j}] {
				continue
			}
			seen[[2]int{i, j}] = true
			g.Edges = append(g.Edges, &graph.Edge{From: g.Components[i].ID, To: g.Components[j].ID, Kind: graph.KindCall, Mechanism: "func", Static: 1 + r.IntN(9)})
		}
	}
	return g
}

// A dense graph of eighty components gets straight edges from dot, draws
// every component and edge, and is drawn the same way twice.
func TestSVGDense(t *testing.T) {
	g := denseGraph(80, 4)
	lay := GraphLayout(g)
	if lay.Engine != graphviz.DOT || !strings.Contains(lay.Attrs, "splines=line") {
		t.Fatalf("%d components, %d edges: layout %+v", len(g.Components), len(g.Edges), lay)
	}
	var dot bytes.Buffer
	if err := DOT(&dot, g); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(dot.String(), "splines=line") {
		t.Error("the DOT source does not carry the layout's attributes")
	}
	var a, b bytes.Buffer
	if err := SVG(context.Background(), &a, dot.Bytes(), lay); err != nil {
		t.Fatal(err)
	}
	if err := SVG(context.Background(), &b, dot.Bytes(), lay); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two layouts of one graph differ")
	}
	if n := strings.Count(a.String(), `class="node"`); n != len(g.Components) {
		t.Errorf("%d nodes drawn, want %d", n, len(g.Components))
	}
	if n := strings.Count(a.String(), `class="edge"`); n != len(g.Edges) {
		t.Errorf("%d edges drawn, want %d", n, len(g.Edges))
	}
}

// BenchmarkLayout lays out the component graph of made-up monoliths by the
// layout LayoutFor chooses, and, for comparison, by dot with splines as
// drawings of up to SplineEdges edges are ("splines").
func BenchmarkLayout(b *testing.B) {
	for _, size := range []struct{ n, deg int }{{20, 3}, {60, 7}, {100, 8}, {250, 9}, {500, 9}} {
		g := denseGraph(size.n, size.deg)
		var dot bytes.Buffer
		if err := DOT(&dot, g); err != nil {
			b.Fatal(err)
		}
		lay := GraphLayout(g)
		name := fmt.Sprintf("%dx%d", len(g.Components), len(g.Edges))
		b.Run(name+"/"+string(lay.Engine), func(b *testing.B) {
			for b.Loop() {
				if err := SVG(context.Background(), &bytes.Buffer{}, dot.Bytes(), lay); err != nil {
					b.Fatal(err)
				}
			}
		})
		if size.n <= 60 {
			splined := strings.Replace(dot.String(), lay.Attrs, LayoutFor(1, 1).Attrs, 1)
			b.Run(name+"/splines", func(b *testing.B) {
				for b.Loop() {
					if err := SVG(context.Background(), &bytes.Buffer{}, []byte(splined), LayoutFor(1, 1)); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
