package plan

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/podsplit/podsplit/graph"
)

// synthetic builds a graph of n packages in n/20 domains under internal/,
// with calls (to earlier packages only, as imports allow) mostly inside a
// domain, a stateful first package per domain read by its siblings, one
// main per domain and shared stateless libraries: the shape of a large
// modular monolith.
func synthetic(n int, seed uint64) *graph.Graph {
	rng := rand.New(rand.NewPCG(seed, 7))
	g := graph.New("example.com/big")
	domains := max(n/20, 1)
	var ids []string
	domainOf := map[string]int{}
	add := func(dir, role string, d int) string {
		id := g.Module + "/" + dir
		c := &graph.Component{ID: id, Name: dir, Language: "go", Role: role, Dir: dir, Packages: []string{id}}
		g.Components = append(g.Components, c)
		domainOf[id] = d
		return id
	}
	libs := []string{add("pkg/money", graph.RoleLibrary, -1), add("pkg/log", graph.RoleLibrary, -2)}
	for i := range n {
		d := i % domains
		id := add(fmt.Sprintf("internal/d%03d/p%04d", d, i), graph.RoleService, d)
		if i < domains {
			c := g.Components[len(g.Components)-1]
			c.MutableState, c.IO = []string{"state.Cache"}, []string{"sql"}
		}
		ids = append(ids, id)
	}
	for d := range domains {
		main := add(fmt.Sprintf("cmd/d%03d", d), graph.RoleEntrypoint, d)
		g.Edges = append(g.Edges, call(main, ids[d], 1))
	}
	for i, from := range ids {
		for range 1 + rng.IntN(4) {
			j := rng.IntN(max(i, 1)) // earlier packages only: Go imports form no cycles
			if d := i % domains; rng.Float64() < 0.85 && i >= domains {
				j = d + domains*rng.IntN(i/domains)
			}
			if j != i {
				g.Edges = append(g.Edges, call(from, ids[j], 1+rng.IntN(5)))
			}
		}
		g.Edges = append(g.Edges, call(from, libs[rng.IntN(len(libs))], 2))
		if first := ids[i%domains]; first != from && rng.Float64() < 0.3 {
			g.Edges = append(g.Edges, &graph.Edge{From: from, To: first, Kind: graph.KindState, Mechanism: "global", Static: 1,
				State: []graph.StateAccess{{Var: "state.Cache", Access: "read"}}, Evidence: []graph.Evidence{{Pos: "x.go:1"}}})
		}
	}
	g.Sort()
	return g
}

func call(from, to string, sites int) *graph.Edge {
	return &graph.Edge{From: from, To: to, Kind: graph.KindCall, Mechanism: "func", Static: sites,
		Callees:  []graph.Callee{{Func: "p.F", Signature: "func F(key string, n int64) (int64, error)", Sites: sites}},
		Evidence: []graph.Evidence{{Pos: "x.go:1", Detail: "a.G → p.F"}}}
}

// TestLargeGraph plans a 2,000-package graph and checks the invariants.
func TestLargeGraph(t *testing.T) {
	if testing.Short() {
		t.Skip("plans 2,000 components")
	}
	p := Make(synthetic(2000, 1), DefaultOptions())
	checkInvariants(t, p)
	if len(p.Target.Services) < 50 {
		t.Errorf("%d services for 100 domains", len(p.Target.Services))
	}
}

// BenchmarkMake plans a 2,000-package graph.
func BenchmarkMake(b *testing.B) {
	g := synthetic(2000, 1)
	b.ResetTimer()
	for b.Loop() {
		Make(g, DefaultOptions())
	}
}

// BenchmarkMakeServices plans the same graph asking for 20 services.
func BenchmarkMakeServices(b *testing.B) {
	g := synthetic(2000, 1)
	b.ResetTimer()
	for b.Loop() {
		Make(g, Options{Services: 20})
	}
}
