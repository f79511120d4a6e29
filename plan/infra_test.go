package plan

import (
	"slices"
	"testing"

	"github.com/podsplit/podsplit/graph"
)

// infraGraph lays a system out wholly in pkg/ (so pkg/ is no shared
// container): two services and, under pkg/util/, a tenant helper doing I/O
// and a health helper that serves gRPC health checking, both used by both
// services.
func infraGraph() *graph.Graph {
	g := newTestGraph("example.com/sys")
	g.comp("pkg/distributor", graph.RoleService, "grpc")
	g.comp("pkg/ingester", graph.RoleService, "file")
	g.comp("pkg/util/tenant", graph.RoleService, "http")
	g.comp("pkg/util/health", graph.RoleService, "grpc")
	g.call([]string{"pkg/distributor", "pkg/ingester"}, []string{"pkg/util/tenant", "pkg/util/health"})
	g.Edges = append(g.Edges, &graph.Edge{From: g.id("pkg/distributor"), To: g.id("pkg/util/health"),
		Kind: graph.KindRPC, Mechanism: "grpc", Key: "grpc.health.v1.Health", Static: 1})
	return g.Graph
}

// What its authors filed under util/ is technical code even where the whole
// system lives in pkg/, and serving gRPC health checks is no boundary: both
// helpers are libraries, and the two services stay apart.
func TestInfrastructureLibraries(t *testing.T) {
	p := Make(infraGraph(), DefaultOptions())
	checkInvariants(t, p)
	for _, id := range []string{"example.com/sys/pkg/util/tenant", "example.com/sys/pkg/util/health"} {
		if !slices.Contains(p.Target.Libraries, id) {
			t.Errorf("%s is not a library: %v", id, p.Target.Libraries)
		}
	}
	if len(p.Target.Services) != 2 {
		t.Errorf("services = %+v, want distributor and ingester", p.Target.Services)
	}
}

// A link of a business protocol is a boundary: the same helper serving an
// API of its own is no library.
func TestServedProtocolIsBoundary(t *testing.T) {
	g := infraGraph()
	for _, e := range g.Edges {
		if e.Kind == graph.KindRPC {
			e.Key = "sys.v1.Tenants"
		}
	}
	p := Make(g, DefaultOptions())
	if slices.Contains(p.Target.Libraries, "example.com/sys/pkg/util/health") {
		t.Errorf("a part serving sys.v1.Tenants is a library: %v", p.Target.Libraries)
	}
}

// A shared in-process API (a hash ring two services call with callbacks)
// is a library, and so is the implementation only it uses, I/O and all
// (its gossip client): both go wherever the API is linked.
func TestSharedAPICarriesItsImplementation(t *testing.T) {
	g := newTestGraph("example.com/sys")
	g.comp("distributor", graph.RoleService, "grpc")
	g.comp("ingester", graph.RoleService, "file")
	g.comp("ring", graph.RoleService)
	g.comp("ring/gossip", graph.RoleService, "net")
	for _, from := range []string{"distributor", "ingester"} {
		g.Edges = append(g.Edges, &graph.Edge{From: g.id(from), To: g.id("ring"), Kind: graph.KindCall, Mechanism: "func", Static: 1,
			Callees: []graph.Callee{{Func: "ring.Do", Signature: "func Do(f func(string) error) error", Sites: 1,
				NonSerializable: []string{"f func(string) error: function value"}}}})
	}
	g.call([]string{"ring"}, []string{"ring/gossip"})
	p := Make(g.Graph, DefaultOptions())
	checkInvariants(t, p)
	for _, id := range []string{g.id("ring"), g.id("ring/gossip")} {
		if !slices.Contains(p.Target.Libraries, id) {
			t.Errorf("%s is not a library: %v", id, p.Target.Libraries)
		}
	}
	if len(p.Target.Services) != 2 {
		t.Errorf("services = %+v, want distributor and ingester apart", p.Target.Services)
	}
}

// A call of a standard interface's method (an http.ResponseWriter's
// Write) on a value the caller was handed is a callback: the status page
// writing through the API layer's compressing writer closes no cycle with
// the API layer that calls it.
func TestProtocolCallIsCallback(t *testing.T) {
	g := newTestGraph("example.com/sys")
	g.comp("api", graph.RoleService, "http")
	g.comp("status", graph.RoleService, "http")
	g.call([]string{"api"}, []string{"status"})
	g.Edges = append(g.Edges, &graph.Edge{From: g.id("status"), To: g.id("api"), Kind: graph.KindCall, Mechanism: "func",
		Static: 1, Handed: 1, Protocol: 1, Callees: []graph.Callee{{Func: "api.(*gzipWriter).Write", Sites: 1}}})
	for _, pair := range Classify(g.Graph, DefaultOptions()) {
		if pair.Tier != TierNetwork {
			t.Errorf("%s ↔ %s: %s %v", pair.A, pair.B, pair.Tier, pair.Reasons)
		}
	}
}
