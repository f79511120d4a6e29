package analyzer_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/podsplit/podsplit/analyzer"
	"github.com/podsplit/podsplit/internal/txtartest"
)

// TestInterfaces checks graph.Component.Interfaces on the cases of
// testdata/interfaces: each line of a case's want file names a component
// and, after it, exactly the interfaces it offers. Test files are loaded,
// so that a type declared in one is seen and left out.
func TestInterfaces(t *testing.T) {
	txtartest.Each(t, "testdata/interfaces/*.txtar", func(t *testing.T, _ string, ar *txtar.Archive) {
		p, err := analyzer.Load(context.Background(), analyzer.Options{Dir: txtartest.Write(t, ar, "want"), Algo: "vta", Tests: true})
		if err != nil {
			t.Fatal(err)
		}
		g := analyzer.Extract(p).Graph
		want, ok := txtartest.Section(ar, "want")
		if !ok {
			t.Fatal("case has no want file")
		}
		for _, line := range strings.Split(strings.TrimSpace(string(want)), "\n") {
			w := strings.Fields(line)
			c := g.Component(w[0])
			if c == nil {
				t.Fatalf("no component %s", w[0])
			}
			if !slices.Equal(c.Interfaces, w[1:]) && len(c.Interfaces)+len(w[1:]) > 0 {
				t.Errorf("%s offers %q, want %q", w[0], c.Interfaces, w[1:])
			}
		}
	})
}
