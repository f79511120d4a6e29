package plan

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/podsplit/podsplit/config"
	"github.com/podsplit/podsplit/graph"
	"github.com/podsplit/podsplit/internal/pipeline"
)

// A testCase is a txtar archive loaded as a module and analysed for real by
// the pipeline the CLI runs (load, extract, link detection, and runtime
// evidence when the archive holds a coverage profile named runtime.cover).
type testCase struct {
	archive *txtar.Archive
	graph   *graph.Graph
	opts    Options
	// want is the archive's expectation section, one assertion a line.
	want string
}

// special names the archive files that are not part of the module.
// A "patterns" file holds the package patterns to scan, as on the command
// line; without it the whole module is.
var special = map[string]bool{"want": true, "runtime.cover": true, "plan.golden": true, "patterns": true}

func loadCase(t *testing.T, file string) *testCase {
	t.Helper()
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	tc := &testCase{archive: ar, opts: DefaultOptions()}
	var cover string
	var patterns []string
	for _, f := range ar.Files {
		path := filepath.Join(dir, filepath.FromSlash(f.Name))
		switch {
		case f.Name == "want":
			tc.want = string(f.Data)
			continue
		case f.Name == "runtime.cover":
			cover = path
		case f.Name == "patterns":
			patterns = strings.Fields(string(f.Data))
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
	tc.graph = analyse(t, dir, cover, patterns...)
	return tc
}

// analyse runs the analysis pipeline the CLI runs on a module directory,
// with a coverage profile as runtime evidence when cover is not empty, on
// the packages patterns match (all of them without patterns).
func analyse(t testing.TB, dir, cover string, patterns ...string) *graph.Graph {
	t.Helper()
	opts := pipeline.Options{Dir: dir, Algo: "vta", Patterns: patterns}
	if cover != "" {
		opts.Runtime = []string{cover}
	}
	a, err := pipeline.Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return a.Graph
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
