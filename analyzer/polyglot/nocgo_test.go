//go:build !cgo

package polyglot_test

import (
	"context"
	"testing"

	"github.com/podsplit/podsplit/analyzer/polyglot"
	"github.com/podsplit/podsplit/graph"
)

// TestWithoutCgo checks that a build without cgo says, once, that other
// languages are not analysed, and adds nothing else.
func TestWithoutCgo(t *testing.T) {
	g := graph.New("example.com/x")
	facts, err := polyglot.Analyze(context.Background(), "../../fixtures/polyglot", g, polyglot.Options{})
	if err != nil || len(facts) != 0 || len(g.Components) != 0 {
		t.Fatalf("got facts %v, components %d, error %v; want nothing", facts, len(g.Components), err)
	}
	if len(g.Diagnostics) != 1 || g.Diagnostics[0].Message != polyglot.DisabledMessage {
		t.Fatalf("diagnostics %v, want one saying %q", g.Diagnostics, polyglot.DisabledMessage)
	}
}
