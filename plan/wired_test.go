package plan

import (
	"strings"
	"testing"

	"github.com/podsplit/podsplit/graph"
)

// TestWiredClosesNoCycle plans a daemon composing endpoints through a
// dependency-injection framework (a wired call edge daemon → endpoints)
// while endpoints calls daemon: the wired edge says what the program
// composes, not that daemon calls endpoints, so the two form no call
// cycle. A direct call in place of the wiring does.
func TestWiredClosesNoCycle(t *testing.T) {
	for _, wired := range []bool{true, false} {
		g := newTestGraph("example.com/m")
		g.comp("daemon", graph.RoleService, "http")
		g.comp("endpoints", graph.RoleService, "file")
		g.call([]string{"daemon"}, []string{"endpoints"})
		g.call([]string{"endpoints"}, []string{"daemon"})
		for _, e := range g.Edges {
			e.Callees = []graph.Callee{{Func: "f", Signature: "func f(name string) string", Sites: 1}}
			if wired && e.From == g.id("daemon") {
				e.Wired = 1
			}
		}
		p := Make(g.Graph, DefaultOptions())
		checkInvariants(t, p)
		cycle := false
		for _, pr := range p.Pairs {
			for _, r := range pr.Reasons {
				cycle = cycle || strings.Contains(r, "call cycle")
			}
		}
		if cycle == wired {
			t.Errorf("wired %v: call cycle %v; pairs %+v", wired, cycle, p.Pairs)
		}
	}
}
