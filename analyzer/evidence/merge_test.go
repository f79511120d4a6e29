package evidence

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/podsplit/podsplit/graph"
)

// TestCoverageCounts checks the counts attached to known sites: a.Run calls
// b.F in a loop of 7, b.G once, and Work four times through an interface
// with one implementation in c and one in d.
func TestCoverageCounts(t *testing.T) {
	s := recordShapes(t)
	for _, tc := range []struct{ name, path string }{
		{"coverprofile", s.cover},
		{"GOCOVERDIR", s.covdata},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := load(t, s.dir)
			// The same input given twice counts once.
			if err := Merge(res, []string{tc.path, tc.path}, Options{}); err != nil {
				t.Fatal(err)
			}
			g := res.Graph
			ab := edge(t, g, "a", "b")
			if ab.Runtime != 8 || !ab.Observed {
				t.Errorf("a → b: runtime %d observed %v, want 8 true", ab.Runtime, ab.Observed)
			}
			if n := calleeRuntime(t, ab, "b.F"); n != 7 {
				t.Errorf("b.F runtime %d, want 7", n)
			}
			if n := calleeRuntime(t, ab, "b.G"); n != 1 {
				t.Errorf("b.G runtime %d, want 1", n)
			}
			if !hasEvidence(ab, "executed 7 times (coverage)") {
				t.Errorf("a → b evidence lacks the count of the b.F site: %+v", ab.Evidence)
			}
			for _, to := range []string{"c", "d"} {
				e := edge(t, g, "a", to)
				if e.Runtime != 2 {
					t.Errorf("a → %s: runtime %d, want 2 (4 calls split evenly)", to, e.Runtime)
				}
				if !hasEvidence(e, "split evenly among 2 callees") {
					t.Errorf("a → %s evidence does not say the count was split: %+v", to, e.Evidence)
				}
			}
			st := g.Stats.Runtime
			if st == nil || st.SitesMeasured == 0 || st.SitesUnmapped != 0 || st.BlocksUnmapped != 0 || len(st.MostlyUnmapped) != 0 {
				t.Errorf("runtime stats %+v", st)
			}
		})
	}
}

// TestProfileWeights checks CPU time on edges and that a CPU profile
// apportions the dynamic site to the callee that did the work.
func TestProfileWeights(t *testing.T) {
	s := recordShapes(t)
	res := load(t, s.dir)
	if err := Merge(res, []string{s.cover, s.cpu}, Options{}); err != nil {
		t.Fatal(err)
	}
	g := res.Graph
	ac, ad := edge(t, g, "a", "c"), edge(t, g, "a", "d")
	if ac.CPUNs <= 0 {
		t.Errorf("a → c: cpu_ns %d, want > 0", ac.CPUNs)
	}
	if ac.Runtime+ad.Runtime != 4 || ac.Runtime <= ad.Runtime {
		t.Errorf("a → c %d, a → d %d: want 4 calls apportioned mostly to c", ac.Runtime, ad.Runtime)
	}
	if !hasEvidence(ac, "apportioned among 2 callees by CPU profile") || !hasEvidence(ac, "CPU below this call (pprof)") {
		t.Errorf("a → c evidence: %+v", ac.Evidence)
	}
	st := g.Stats.Runtime
	if st.FramesMapped == 0 || len(st.MostlyUnmapped) != 0 {
		t.Errorf("runtime stats %+v", st)
	}
	if len(st.Inputs) != 2 || !strings.HasPrefix(st.Inputs[1], "pprof ") {
		t.Errorf("inputs %v", st.Inputs)
	}
}

// TestStaticOnly checks that edges no runtime data saw are told apart.
func TestStaticOnly(t *testing.T) {
	s := recordShapes(t)
	res := load(t, s.dir)
	if err := Merge(res, []string{s.cover}, Options{}); err != nil {
		t.Fatal(err)
	}
	// a.Never is instrumented but never runs.
	e := edge(t, res.Graph, "a", "e")
	if e.Observed || e.Runtime != 0 || !hasEvidence(e, "executed 0 times (coverage)") {
		t.Errorf("a → e: %+v", e)
	}
	// The test of a does not build cmd/app: its site is not measured.
	app := res.Graph.Edge("example.com/shapes/cmd/app", "example.com/shapes/a", graph.KindCall, "func")
	if app == nil || app.Observed || hasEvidence(app, "coverage") {
		t.Errorf("cmd/app → a: %+v", app)
	}
	st := res.Graph.Stats.Runtime
	if st.SitesUnmeasured != 1 || st.SitesMeasured != 5 || st.SitesExecuted != 4 || st.SitesBounded != 1 {
		t.Errorf("sites: %+v", st)
	}
	if st.ObservedEdges == 0 || st.StaticOnlyEdges == 0 || st.ObservedEdges+st.StaticOnlyEdges != len(res.Graph.Edges) {
		t.Errorf("observed %d static-only %d of %d edges", st.ObservedEdges, st.StaticOnlyEdges, len(res.Graph.Edges))
	}
}

// TestMismatchedData feeds data of other code: it must be counted, listed
// and said loudly.
func TestMismatchedData(t *testing.T) {
	s := recordShapes(t)
	dir := t.TempDir()
	other := filepath.Join(dir, "other.out")
	// Two files of other code, and a file of this code that has grown
	// shorter since.
	data := "mode: count\nexample.com/other/x.go:3.10,5.2 1 4\nexample.com/other/y.go:3.10,5.2 1 4\n" +
		"example.com/shapes/b/b.go:3.10,5.2 1 4\nexample.com/shapes/b/b.go:998.10,999.2 1 4\n"
	if err := os.WriteFile(other, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	res := load(t, s.dir)
	if err := Merge(res, []string{other}, Options{}); err != nil {
		t.Fatal(err)
	}
	st := res.Graph.Stats.Runtime
	if st.BlocksUnmapped != 4 || st.BlocksMapped != 0 || len(st.MostlyUnmapped) != 1 {
		t.Errorf("stats %+v", st)
	}
	if !hasDiag(res.Graph, "MOST OF THIS RUNTIME DATA DOES NOT MATCH THE CODE") {
		t.Errorf("no loud diagnostic: %+v", res.Graph.Diagnostics)
	}
}

// TestCaseExpression checks the bound given to a call in a case
// expression, which no coverage block holds.
func TestCaseExpression(t *testing.T) {
	s := recordShapes(t)
	res := load(t, s.dir)
	if err := Merge(res, []string{s.cover}, Options{}); err != nil {
		t.Fatal(err)
	}
	e := edge(t, res.Graph, "f", "b")
	if e.Runtime != 2 || !hasEvidence(e, "executed 2 times (coverage); at most: a case expression, counted by its switch") {
		t.Errorf("f → b: %+v", e)
	}
}

func hasDiag(g *graph.Graph, substr string) bool {
	for _, d := range g.Diagnostics {
		if d.Category == "runtime" && strings.Contains(d.Message, substr) {
			return true
		}
	}
	return false
}

func TestUnknownKind(t *testing.T) {
	s := recordShapes(t)
	dir := t.TempDir()
	for name, data := range map[string]string{
		"a.out":      "\x7fELF\x02\x01\x01\x00garbage",
		"empty":      "",
		"other.json": `{"hello": "world"}`,
	} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		err := Merge(load(t, s.dir), []string{path}, Options{})
		want := "reading runtime data " + path + ": not a coverprofile, pprof profile, OTLP/JSON trace or GOCOVERDIR directory"
		if err == nil || err.Error() != want || !errors.Is(err, ErrUnknownKind) {
			t.Errorf("%s: error %v, want %q", name, err, want)
		}
	}
	if err := Merge(load(t, s.dir), []string{filepath.Join(dir, "missing")}, Options{}); err == nil ||
		!strings.Contains(err.Error(), "reading runtime data "+filepath.Join(dir, "missing")) {
		t.Errorf("missing file: %v", err)
	}
}
