package record

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/podsplit/podsplit/graph"
)

// TestShop records the tests of the demo monolith fixtures/shop, on a copy,
// and merges the recording into its graph: every block must map, and the
// calls its tests make must show up on the edges.
func TestShop(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the tests of fixtures/shop")
	}
	mod := filepath.Join(t.TempDir(), "shop")
	if err := os.CopyFS(mod, os.DirFS(filepath.Join("..", "..", "fixtures", "shop"))); err != nil {
		t.Fatal(err)
	}
	before := tree(t, mod)
	out := filepath.Join(t.TempDir(), "rt")
	res, err := Tests(context.Background(), Options{Dir: mod, Out: out})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) > 0 {
		t.Errorf("warnings: %v", res.Warnings)
	}
	if after := tree(t, mod); !slices.Equal(before, after) {
		t.Errorf("recording changed the module")
	}
	g := merged(t, mod, out)
	st := g.Stats.Runtime
	if st.BlocksMapped == 0 || st.BlocksUnmapped != 0 || st.SitesUnmapped != 0 || len(st.MostlyUnmapped) != 0 {
		t.Errorf("runtime stats %+v", st)
	}
	if st.ObservedEdges == 0 || st.StaticOnlyEdges == 0 {
		t.Errorf("observed %d, static-only %d edges: want both", st.ObservedEdges, st.StaticOnlyEdges)
	}
	e := g.Edge("example.com/shop/orders", "example.com/shop/pricing", graph.KindCall, "func")
	if e == nil || !e.Observed || e.Runtime == 0 {
		t.Errorf("orders → pricing: %+v", e)
	}
}
