package detect

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/podsplit/podsplit/analyzer"
	"github.com/podsplit/podsplit/analyzer/link"
	"github.com/podsplit/podsplit/graph"
)

// TestShop runs the detectors on the demo monolith and checks that every
// mechanism it contains is found.
func TestShop(t *testing.T) {
	dir, _ := filepath.Abs("../../fixtures/shop")
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err != nil {
		t.Skip("fixtures/shop not present")
	}
	if testing.Short() {
		t.Skip("loads a whole module")
	}
	prog, err := analyzer.Load(context.Background(), analyzer.Options{Dir: dir, Algo: "static"})
	if err != nil {
		t.Fatal(err)
	}
	res := analyzer.Extract(prog)
	facts := Run(res)
	if os.Getenv("PODSPLIT_SHOP_VERBOSE") != "" {
		logShop(t, facts, res.Graph)
	}
	for _, want := range shopWant {
		if !hasEdge(res.Graph, want) {
			t.Errorf("no %s/%s edge keyed %q", want.Kind, want.Mechanism, want.Key)
		}
	}
	governance, external := false, false
	for _, c := range res.Graph.Components {
		governance = governance || c.Role == graph.RoleGovernance
		external = external || (c.External && strings.HasPrefix(c.ID, "external:https://"))
	}
	if !governance || !external {
		t.Errorf("governance component found: %v, external HTTP endpoint found: %v", governance, external)
	}
}

func logShop(t *testing.T, facts []link.Fact, g *graph.Graph) {
	for _, f := range facts {
		t.Logf("fact %s %s %s %q %s %s", f.Component, f.Role, f.Mechanism, f.Key, f.Pos, f.Detail)
	}
	for _, e := range g.Edges {
		if e.Kind != graph.KindCall && e.Kind != graph.KindState {
			t.Logf("edge %s -%s/%s[%s]-> %s static=%d", e.From, e.Kind, e.Mechanism, e.Key, e.To, e.Static)
		}
	}
	for _, c := range g.Components {
		t.Logf("component %s role=%s (%s) gov=%v listens=%v health=%q", c.ID, c.Role, c.RoleReason, c.Governance, c.Listens, c.Health)
	}
	for _, d := range g.Diagnostics {
		t.Logf("diag %s %s %s", d.Pos, d.Category, d.Message)
	}
}

// shopWant lists the links the shop fixture is built to contain, by kind,
// mechanism and (where the fixture's brief fixes it) key; an empty Key
// matches any. Component names are left free so the fixture can evolve.
var shopWant = []graph.Edge{
	{Kind: graph.KindIPC, Mechanism: link.Unix},
	{Kind: graph.KindRPC, Mechanism: link.Broker, Key: "order.placed"},
	{Kind: graph.KindRPC, Mechanism: link.GRPC},
	{Kind: graph.KindRPC, Mechanism: link.HTTP},
	{Kind: graph.KindData, Mechanism: link.SQL},
}

func hasEdge(g *graph.Graph, want graph.Edge) bool {
	for _, e := range g.Edges {
		if e.Kind == want.Kind && e.Mechanism == want.Mechanism &&
			(want.From == "" || e.From == want.From) && (want.To == "" || e.To == want.To) &&
			(want.Key == "" || e.Key == want.Key) {
			return true
		}
	}
	return false
}

// BenchmarkRunShop measures detection alone on the shop fixture: loading
// and extraction are outside the timed part.
func BenchmarkRunShop(b *testing.B) {
	dir, _ := filepath.Abs("../../fixtures/shop")
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err != nil {
		b.Skip("fixtures/shop not present")
	}
	prog, err := analyzer.Load(context.Background(), analyzer.Options{Dir: dir, Algo: "static"})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		b.StopTimer()
		res := analyzer.Extract(prog)
		b.StartTimer()
		Run(res)
	}
}
