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
	g := newTestGraph("example.com/bank")
	g.comp("model", graph.RoleService)
	g.comp("seeder", graph.RoleService, "sql")
	g.comp("ledger", graph.RoleService, "sql")
	g.comp("frontend", graph.RoleService, "http")
	g.call([]string{"frontend"}, []string{"ledger"})
	p := Make(g.Graph, DefaultOptions())
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
	g := newTestGraph("example.com/shop")
	g.comp("cartservice", graph.RoleService)
	g.comp("money", graph.RoleService)
	g.comp("frontend", graph.RoleService, "http")
	g.comp("checkout", graph.RoleService, "sql")
	g.comp("ledger", graph.RoleService, "sql")
	g.call([]string{"frontend", "checkout"}, []string{"cartservice", "money"})
	g.call([]string{"ledger"}, []string{"money"})
	p := Make(g.Graph, DefaultOptions())
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
