//go:build cgo

package polyglot

import (
	"testing"

	"github.com/podsplit/podsplit/graph"
)

// TestMarkTooling checks that components of other languages in development
// tooling or documentation are unlinked when some Go program runs, and
// left alone otherwise.
func TestMarkTooling(t *testing.T) {
	build := func(goUnlinked bool) *graph.Graph {
		g := graph.New("example.com/m")
		g.Components = []*graph.Component{
			{ID: "example.com/m/server", Language: "go", Dir: "server", Unlinked: goUnlinked},
			{ID: "ts:docs/src/components/Banner", Language: "typescript", Dir: "docs/src/components/Banner"},
			{ID: "py:tests/harness", Language: "python", Dir: "tests/harness"},
			{ID: "ts:web/src", Language: "typescript", Dir: "web/src"},
			{ID: "py:app/test", Language: "python", Dir: "app/test"},
		}
		markTooling(g)
		return g
	}
	g := build(false)
	for id, want := range map[string]bool{
		"ts:docs/src/components/Banner": true, "py:tests/harness": true,
		"ts:web/src": false, "py:app/test": false, "example.com/m/server": false,
	} {
		if c := g.Component(id); c.Unlinked != want {
			t.Errorf("%s: unlinked %v, want %v", id, c.Unlinked, want)
		}
	}
	if c := build(true).Component("ts:docs/src/components/Banner"); c.Unlinked {
		t.Error("marked without any linked Go code")
	}
}
