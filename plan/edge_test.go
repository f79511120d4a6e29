package plan

import (
	"testing"

	"github.com/podsplit/podsplit/graph"
)

// TestEdgeGraphs plans graphs at the edges: empty, one component, only a
// library and an external endpoint, dangling edges, a self-loop.
func TestEdgeGraphs(t *testing.T) {
	one := graph.New("example.com/one")
	one.Components = append(one.Components, &graph.Component{ID: "example.com/one", Name: "one", Role: graph.RoleEntrypoint})

	odd := graph.New("example.com/odd")
	odd.Components = append(odd.Components,
		&graph.Component{ID: "example.com/odd/lib", Name: "lib", Role: graph.RoleLibrary, Dir: "lib"},
		&graph.Component{ID: "external:https://x", Name: "x", Role: graph.RoleExternal, External: true})
	odd.Edges = append(odd.Edges,
		&graph.Edge{From: "example.com/odd/lib", To: "external:https://x", Kind: graph.KindRPC, Mechanism: "http", Static: 1},
		&graph.Edge{From: "example.com/odd/lib", To: "example.com/odd/lib", Kind: graph.KindCall, Static: 1},
		&graph.Edge{From: "example.com/odd/lib", To: "example.com/odd/gone", Kind: graph.KindCall, Static: 1})

	for _, g := range []*graph.Graph{graph.New("example.com/empty"), one, odd} {
		for _, opts := range []Options{DefaultOptions(), {Services: 3}, {Apart: [][]string{{"a", "b"}}, Together: [][]string{{"lib", "x"}}}} {
			p := Make(g, opts)
			checkInvariants(t, p)
			if len(p.Steps) == 0 || p.Steps[0].Kind != StepMonolith {
				t.Errorf("%s: no step 0", g.Module)
			}
		}
	}
}
