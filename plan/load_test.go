package plan

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/podsplit/podsplit/analyzer"
	"github.com/podsplit/podsplit/analyzer/detect"
	"github.com/podsplit/podsplit/analyzer/evidence"
	"github.com/podsplit/podsplit/config"
	"github.com/podsplit/podsplit/graph"
)

// A testCase is a txtar archive loaded as a module and analysed for real:
// analyzer.Load, Extract, the link detectors, and runtime evidence when the
// archive holds a coverage profile named runtime.cover.
type testCase struct {
	archive *txtar.Archive
	graph   *graph.Graph
	opts    Options
	// want is the archive's expectation section, one assertion a line.
	want string
}

// special names the archive files that are not part of the module.
var special = map[string]bool{"want": true, "runtime.cover": true, "plan.golden": true}

func loadCase(t *testing.T, file string) *testCase {
	t.Helper()
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	tc := &testCase{archive: ar, opts: DefaultOptions()}
	var cover string
	for _, f := range ar.Files {
		path := filepath.Join(dir, filepath.FromSlash(f.Name))
		switch {
		case f.Name == "want":
			tc.want = string(f.Data)
			continue
		case f.Name == "runtime.cover":
			cover = path
		case special[f.Name]:
			continue
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
		if f.Name == config.FileName {
			cfg, err := config.Parse(path, f.Data)
			if err != nil {
				t.Fatal(err)
			}
			tc.opts = OptionsFromConfig(cfg)
		}
	}
	tc.graph = analyse(t, dir, cover)
	return tc
}

// analyse runs the analysis pipeline on a module directory.
func analyse(t testing.TB, dir, cover string) *graph.Graph {
	t.Helper()
	prog, err := analyzer.Load(context.Background(), analyzer.Options{Dir: dir, Algo: "vta"})
	if err != nil {
		t.Fatal(err)
	}
	res := analyzer.Extract(prog)
	detect.Run(res)
	if cover != "" {
		if err := evidence.Merge(res, []string{cover}, evidence.Options{}); err != nil {
			t.Fatal(err)
		}
	}
	res.Graph.Sort()
	return res.Graph
}

// byName maps component names to ids.
func byName(g *graph.Graph) map[string]string {
	m := map[string]string{}
	for _, c := range g.Components {
		m[c.Name] = c.ID
	}
	return m
}

// wantLines returns the assertions of a want section, without comments.
func wantLines(want string) [][]string {
	var out [][]string
	for _, line := range strings.Split(want, "\n") {
		if i := strings.Index(line, "#"); i >= 0 {
			line = line[:i]
		}
		if f := strings.Fields(line); len(f) > 0 {
			out = append(out, f)
		}
	}
	return out
}
