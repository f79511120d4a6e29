//go:build cgo

package polyglot_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/podsplit/podsplit/analyzer"
	"github.com/podsplit/podsplit/analyzer/detect"
	"github.com/podsplit/podsplit/analyzer/link"
	"github.com/podsplit/podsplit/analyzer/polyglot"
	"github.com/podsplit/podsplit/graph"
)

var update = flag.Bool("update", false, "rewrite golden files")

// fixtureWant are the links across languages fixtures/polyglot is built
// to show; the golden file holds the whole graph.
var fixtureWant = [][]string{
	{"py:worker/jobs", "example.com/polyglot/api", "rpc", "http", "GET /orders/{id}"},
	{"ts:web", "example.com/polyglot/api", "rpc", "http", "GET /orders/{id}"},
	{"ts:web", "example.com/polyglot/api", "rpc", "http", "POST /orders"},
	{"ts:web", "java:com.shop.billing", "rpc", "http", "GET /invoices/{id}"},
	{"example.com/polyglot/api/orders", "py:worker", "rpc", "http", "POST /jobs"},
	{"py:worker/jobs", "java:com.shop.billing", "rpc", "broker", "order.placed"},
	{"example.com/polyglot/api/orders", "py:worker", "data", "sql", "orders"},
	{"py:worker", "example.com/polyglot/api/orders", "data", "sql", "orders"},
	{"java:com.shop.billing", "java:com.shop.billing.model", "call", "import"},
	{"py:worker", "py:worker/jobs", "call", "import"},
}

// TestFixture analyses fixtures/polyglot end to end, the Go part with the
// Go analyzer and detectors and the rest with this package, matches all
// facts at once, and compares the graph's nodes and edges with
// testdata/fixture.golden (go test -update rewrites it).
func TestFixture(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a Go module")
	}
	dir, _ := filepath.Abs("../../fixtures/polyglot")
	g := analyzeFixture(t, dir)
	for _, w := range fixtureWant {
		if findEdge(g, w) == nil {
			t.Errorf("no edge %s", strings.Join(w, " "))
		}
	}
	for _, c := range g.Components {
		if c.Language == "" && !c.External {
			t.Errorf("component %s has no language", c.ID)
		}
	}
	got := render(g)
	golden := filepath.Join("testdata", "fixture.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("graph differs from %s (go test -update rewrites it):\n%s", golden, lineDiff(string(want), got))
	}
}

// analyzeFixture runs the whole analysis the way the pipeline does: the
// Go facts and the facts of the other languages meet in one link.Match.
func analyzeFixture(t *testing.T, dir string) *graph.Graph {
	t.Helper()
	prog, err := analyzer.Load(context.Background(), analyzer.Options{Dir: dir, Algo: "static"})
	if err != nil {
		t.Fatal(err)
	}
	res := analyzer.Extract(prog)
	goFacts := detect.Detect(res)
	facts, err := polyglot.Analyze(context.Background(), dir, res.Graph, polyglot.Options{})
	if err != nil {
		t.Fatal(err)
	}
	link.Match(res.Graph, append(goFacts, facts...))
	return res.Graph
}

// render prints the nodes and edges of g, one per line.
func render(g *graph.Graph) string {
	var b strings.Builder
	for _, c := range g.Components {
		fmt.Fprintf(&b, "component %s language=%s role=%s files=%d\n", c.ID, c.Language, c.Role, c.Files)
	}
	for _, e := range g.Edges {
		fmt.Fprintf(&b, "edge %s -> %s %s/%s", e.From, e.To, e.Kind, e.Mechanism)
		if e.Key != "" {
			fmt.Fprintf(&b, " [%s]", e.Key)
		}
		fmt.Fprintf(&b, " static=%d\n", e.Static)
	}
	return b.String()
}

// lineDiff lists the lines only in want (-) and only in got (+).
func lineDiff(want, got string) string {
	in := func(s string) map[string]bool {
		m := map[string]bool{}
		for _, l := range strings.Split(s, "\n") {
			m[l] = true
		}
		return m
	}
	w, g := in(want), in(got)
	var b strings.Builder
	for _, l := range strings.Split(want, "\n") {
		if !g[l] {
			b.WriteString("- " + l + "\n")
		}
	}
	for _, l := range strings.Split(got, "\n") {
		if !w[l] {
			b.WriteString("+ " + l + "\n")
		}
	}
	return b.String()
}
