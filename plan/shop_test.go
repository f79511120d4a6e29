package plan

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/podsplit/podsplit/graph"
)

// The demo monolith and its reference decomposition (fixtures/shop).
const shopDir = "../fixtures/shop"

// minShopMoJoFM is the least MoJoFM accepted against the reference. The
// shop has 19 packages in 4 services and 6 libraries; the largest possible
// distance is 15 moves, so each misplaced package costs about 6.7 points.
// 85 allows two misplacements: a change of heuristics may trade one
// package, but a plan that breaks the core (merging inventory or users into
// it, or splitting the cycle) costs more and fails.
const minShopMoJoFM = 85

func loadShop(t *testing.T) *graph.Graph {
	t.Helper()
	if _, err := os.Stat(filepath.Join(shopDir, "go.mod")); err != nil {
		t.Skip("fixtures/shop not present")
	}
	if testing.Short() {
		t.Skip("analyses a whole module")
	}
	return analyse(t, shopDir, "")
}

// TestShop checks the tiers of the pairs the shop is built around and the
// plan's agreement with the reference decomposition.
func TestShop(t *testing.T) {
	g := loadShop(t)
	p := Make(g, DefaultOptions())
	ids := byName(g)
	for _, w := range [][]string{
		{"tier", "catalog", "orders", "process", "shared mutable state: orders writes catalog.PriceCache"},
		{"tier", "cart", "catalog", "process", "shared mutable state: cart writes catalog.PriceCache"},
		{"tier", "orders", "payments", "process", "call cycle: orders ↔ payments"},
		{"tier", "cart", "catalog", "process", "chan<- catalog.PriceChange): channel"},
		{"tier", "notifications", "orders", "pod", "already talks over local IPC: orders → notifications (unix /var/run/shop/notify.sock)"},
		{"tier", "events", "notifications", "network", "already talks RPC: events → notifications (broker order.placed)"},
		{"tier", "cart", "inventory", "network", "already talks RPC"},
		{"sidecar", "notifications"},
		{"library", "money"},
	} {
		check(t, p, ids, w)
	}
	checkInvariants(t, p)
	if want, got := planJSON(t, g, DefaultOptions()), planJSON(t, shuffled(g, rand.New(rand.NewPCG(3, 4))), DefaultOptions()); !bytes.Equal(want, got) {
		t.Error("the shop's plan depends on the order of the graph")
	}
	truth, err := os.ReadFile(filepath.Join(shopDir, "decomposition.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := Evaluate(p, bytes.NewReader(truth))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	_ = WriteEval(&out, res)
	t.Logf("against decomposition.tsv:\n%s", out.String())
	if res.MoJoFM < minShopMoJoFM || len(res.OnlyInTruth) > 0 {
		t.Errorf("MoJoFM %.2f < %d, or packages missing from the plan: %v", res.MoJoFM, minShopMoJoFM, res.OnlyInTruth)
	}
}
