package plan

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/podsplit/podsplit/graph"
)

// TestDeterministic plans the same graph twice, and once more with its
// components and edges shuffled, and wants byte-identical JSON each time.
func TestDeterministic(t *testing.T) {
	tc := loadCase(t, "testdata/steps.txtar")
	for _, opts := range []Options{DefaultOptions(), {Services: 3}, {Services: 7}} {
		want := planJSON(t, tc.graph, opts)
		if got := planJSON(t, tc.graph, opts); !bytes.Equal(got, want) {
			t.Fatalf("two runs differ with %+v", opts)
		}
		rng := rand.New(rand.NewPCG(1, 2))
		for range 5 {
			g := shuffled(tc.graph, rng)
			if got := planJSON(t, g, opts); !bytes.Equal(got, want) {
				t.Fatalf("shuffled input changes the plan with %+v", opts)
			}
		}
	}
}

func planJSON(t *testing.T, g *graph.Graph, opts Options) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteJSON(&b, Make(g, opts)); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// shuffled returns a copy of g with its components and edges in random order.
func shuffled(g *graph.Graph, rng *rand.Rand) *graph.Graph {
	c := *g
	c.Components = slices.Clone(g.Components)
	c.Edges = slices.Clone(g.Edges)
	rng.Shuffle(len(c.Components), func(i, j int) { c.Components[i], c.Components[j] = c.Components[j], c.Components[i] })
	rng.Shuffle(len(c.Edges), func(i, j int) { c.Edges[i], c.Edges[j] = c.Edges[j], c.Edges[i] })
	return &c
}
