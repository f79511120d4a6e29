package analyzer_test

import (
	"bytes"
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/podsplit/podsplit/analyzer"
	"github.com/podsplit/podsplit/graph"
	"github.com/podsplit/podsplit/internal/txtartest"
	"github.com/podsplit/podsplit/report"
)

// memTypes is an in-memory analyzer.TypesCache that counts its use.
type memTypes struct {
	mu         sync.Mutex
	m          map[string][]byte
	hits, puts int
}

func (c *memTypes) Get(key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	data, ok := c.m[key]
	if ok {
		c.hits++
	}
	return data, ok
}

func (c *memTypes) Put(key string, data []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[key] = data
	c.puts++
}

func graphJSON(t *testing.T, dir string, types analyzer.TypesCache) string {
	t.Helper()
	p, err := analyzer.Load(context.Background(), analyzer.Options{Dir: dir, Types: types})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := report.JSON(&buf, analyzer.Extract(p).Graph); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// TestTypesCache loads the demo monolith, whose dependencies include
// gRPC, Kafka and Prometheus clients, with dependency types from source,
// then written to a cache, then read from it, then read from damaged
// entries: the graph must not change.
func TestTypesCache(t *testing.T) {
	dir, _ := filepath.Abs("../fixtures/shop")
	want := graphJSON(t, dir, nil)
	c := &memTypes{m: map[string][]byte{}}
	if got := graphJSON(t, dir, c); got != want {
		t.Fatal("graph differs when writing the types cache")
	}
	if c.puts < 100 || c.hits != 0 {
		t.Fatalf("first load: %d entries written, %d read; want every dependency written", c.puts, c.hits)
	}
	written := c.puts
	if got := graphJSON(t, dir, c); got != want {
		t.Fatal("graph differs when reading the types cache")
	}
	if c.hits != written || c.puts != written {
		t.Fatalf("second load: %d of %d entries read, %d written again; want all read, none written", c.hits, written, c.puts-written)
	}
	for k, data := range c.m {
		c.m[k] = data[:len(data)/2]
	}
	if got := graphJSON(t, dir, c); got != want {
		t.Fatal("graph differs with damaged entries")
	}
	if c.puts != 2*written {
		t.Errorf("damaged entries: %d written again, want %d", c.puts-written, written)
	}
}

func loadArchive(t *testing.T, name string, opts analyzer.Options) *graph.Graph {
	t.Helper()
	ar, err := txtar.ParseFile(filepath.Join("testdata", "load", name))
	if err != nil {
		t.Fatal(err)
	}
	opts.Dir = txtartest.Write(t, ar, "want")
	p, err := analyzer.Load(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return analyzer.Extract(p).Graph
}

func hasEdge(g *graph.Graph, from, to string) bool {
	for _, e := range g.Edges {
		if e.From == from && e.To == to {
			return true
		}
	}
	return false
}

func TestLoadCgo(t *testing.T) {
	if out, err := exec.Command("go", "env", "CGO_ENABLED").Output(); err != nil || strings.TrimSpace(string(out)) != "1" {
		t.Skip("cgo is not enabled")
	}
	if _, err := exec.LookPath("gcc"); err != nil {
		t.Skip("no C compiler")
	}
	g := loadArchive(t, "cgo.txtar", analyzer.Options{})
	if len(g.Diagnostics) > 0 {
		t.Errorf("diagnostics: %v", g.Diagnostics)
	}
	for _, e := range [][2]string{{"app", "native"}, {"native", "util"}} {
		if !hasEdge(g, "example.com/cg/"+e[0], "example.com/cg/"+e[1]) {
			t.Errorf("no edge %s → %s through the cgo package", e[0], e[1])
		}
	}
}

func TestLoadErrors(t *testing.T) {
	g := loadArchive(t, "errors.txtar", analyzer.Options{})
	var diags []string
	for _, d := range g.Diagnostics {
		diags = append(diags, d.Pos+" "+d.Message)
	}
	all := strings.Join(diags, "\n")
	for _, want := range []string{"import cycle not allowed", "example.com/nowhere/pkg", "syntax/s.go:3"} {
		if !strings.Contains(all, want) {
			t.Errorf("no diagnostic mentions %q in:\n%s", want, all)
		}
	}
	if !hasEdge(g, "example.com/bad/ok", "example.com/bad/fine") {
		t.Error("the well-typed packages were not analysed")
	}
}

func TestLoadTests(t *testing.T) {
	g := loadArchive(t, "tests.txtar", analyzer.Options{})
	if len(g.Edges) != 0 {
		t.Errorf("without tests: edges %v", g.Edges)
	}
	g = loadArchive(t, "tests.txtar", analyzer.Options{Tests: true})
	for _, to := range []string{"b", "c"} {
		if !hasEdge(g, "example.com/tt/a", "example.com/tt/"+to) {
			t.Errorf("with tests: no edge a → %s from the test files", to)
		}
	}
}
