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
