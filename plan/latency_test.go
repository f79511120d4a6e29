package plan

import (
	"strings"
	"testing"

	"github.com/podsplit/podsplit/graph"
)

// A static estimate says when some of the calls it counts once run inside
// loops: then it is a lower bound.
func TestLatencyLoops(t *testing.T) {
	m := DefaultCost()
	once := crossing{edges: []*graph.Edge{{Kind: graph.KindCall, Static: 2}}}
	looped := crossing{edges: []*graph.Edge{{Kind: graph.KindCall, Static: 2, InLoop: 1}, {Kind: graph.KindCall, Static: 1, InLoop: 1}}}
	_, src := once.latency(m, TierNetwork)
	if strings.Contains(src, "loop") || !strings.Contains(src, "2 call sites") {
		t.Errorf("no loops: %q", src)
	}
	_, src = looped.latency(m, TierNetwork)
	if !strings.Contains(src, "3 call sites") || !strings.Contains(src, "2 inside loops") || !strings.Contains(src, "lower bound") {
		t.Errorf("loops: %q", src)
	}
}
