package analyzer_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/podsplit/podsplit/analyzer"
)

// TestInterfaces checks graph.Component.Interfaces on the cases of
// testdata/interfaces: each line of a case's want file names a component
// and, after it, exactly the interfaces it offers. Test files are loaded,
// so that a type declared in one is seen and left out.
func TestInterfaces(t *testing.T) {
	files, _ := filepath.Glob("testdata/interfaces/*.txtar")
	if len(files) == 0 {
		t.Fatal("no test cases")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			t.Parallel()
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			p, err := analyzer.Load(context.Background(), analyzer.Options{Dir: writeArchive(t, ar), Algo: "vta", Tests: true})
			if err != nil {
				t.Fatal(err)
			}
			g := analyzer.Extract(p).Graph
			for _, f := range ar.Files {
				if f.Name != "want" {
					continue
				}
				for _, line := range strings.Split(strings.TrimSpace(string(f.Data)), "\n") {
					w := strings.Fields(line)
					c := g.Component(w[0])
					if c == nil {
						t.Fatalf("no component %s", w[0])
					}
					if !slices.Equal(c.Interfaces, w[1:]) && len(c.Interfaces)+len(w[1:]) > 0 {
						t.Errorf("%s offers %q, want %q", w[0], c.Interfaces, w[1:])
					}
				}
			}
		})
	}
}
