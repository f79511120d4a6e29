package plan

import (
	"slices"
	"testing"

	"github.com/podsplit/podsplit/graph"
)

// A package that nothing calls and that calls nothing, keeps no state and
// does no I/O (a data model whose only code is generated) is a library,
// whatever the analyser's import-based role said; one that does I/O, or that
// others call, is not.
func TestReadOnlyLibrary(t *testing.T) {
	g := graph.New("example.com/bank")
	comp := func(name, role string, io ...string) {
		g.Components = append(g.Components, &graph.Component{ID: "example.com/bank/" + name, Name: name, Dir: name,
			Language: "go", Role: role, Files: 1, Packages: []string{"example.com/bank/" + name}, IO: io})
	}
	comp("model", graph.RoleService)
	comp("seeder", graph.RoleService, "sql")
	comp("ledger", graph.RoleService, "sql")
	comp("frontend", graph.RoleService, "http")
	call := func(from, to string) {
		g.Edges = append(g.Edges, &graph.Edge{From: "example.com/bank/" + from, To: "example.com/bank/" + to,
			Kind: graph.KindCall, Mechanism: "func", Static: 1})
	}
	call("frontend", "ledger")
	p := Make(g, DefaultOptions())
	checkInvariants(t, p)
	if !slices.Contains(p.Target.Libraries, "example.com/bank/model") {
		t.Errorf("model is not a library: %v", p.Target.Libraries)
	}
	for _, id := range []string{"example.com/bank/seeder", "example.com/bank/ledger"} {
		if slices.Contains(p.Target.Libraries, id) {
			t.Errorf("%s is a library", id)
		}
	}
}

// A stateless package free of I/O used by two domains is a library unless
// its name says its authors made it a service (a Service Weaver component
// such as cartservice).
func TestNamedServiceNotLibrary(t *testing.T) {
	g := graph.New("example.com/shop")
	comp := func(name string, io ...string) {
		g.Components = append(g.Components, &graph.Component{ID: "example.com/shop/" + name, Name: name, Dir: name,
			Language: "go", Role: graph.RoleService, Files: 1, Packages: []string{"example.com/shop/" + name}, IO: io})
	}
	comp("cartservice")
	comp("money")
	comp("frontend", "http")
	comp("checkout", "sql")
	for _, from := range []string{"frontend", "checkout"} {
		for _, to := range []string{"cartservice", "money"} {
			g.Edges = append(g.Edges, &graph.Edge{From: "example.com/shop/" + from, To: "example.com/shop/" + to,
				Kind: graph.KindCall, Mechanism: "func", Static: 1})
		}
	}
	p := Make(g, DefaultOptions())
	checkInvariants(t, p)
	if !slices.Equal(p.Target.Libraries, []string{"example.com/shop/money"}) {
		t.Errorf("libraries %v, want only money", p.Target.Libraries)
	}
	for _, name := range []string{"cartservice", "money", "pay-svc", "service", "server", "authserver"} {
		if got, want := namedService("internal/"+name), name == "cartservice" || name == "pay-svc"; got != want {
			t.Errorf("namedService(%s) = %v", name, got)
		}
	}
}
