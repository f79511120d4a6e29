package link

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/podsplit/podsplit/graph"
)

func fact(comp, role, mech, key, pos string) Fact {
	return Fact{Component: comp, Language: "go", Role: role, Mechanism: mech, Key: key, Pos: pos}
}

// edges renders the edges of g as "from -kind/mech[key]-> to (static)".
func edges(g *graph.Graph) []string {
	var out []string
	for _, e := range g.Edges {
		out = append(out, fmt.Sprintf("%s -%s/%s[%s]-> %s (%d)", e.From, e.Kind, e.Mechanism, e.Key, e.To, e.Static))
	}
	return out
}

func newGraph(ids ...string) *graph.Graph {
	g := graph.New("example.com/shop")
	for _, id := range ids {
		g.Components = append(g.Components, &graph.Component{ID: id, Name: id, Language: "go", Role: graph.RoleService})
	}
	return g
}

func check(t *testing.T, g *graph.Graph, want ...string) {
	t.Helper()
	got := edges(g)
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("edges:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestMatchHTTP(t *testing.T) {
	g := newGraph("api", "web", "orders")
	Match(g, []Fact{
		fact("api", Serve, HTTP, "GET /orders/{id}", "api/api.go:10"),
		fact("api", Serve, HTTP, "POST /orders", "api/api.go:11"),
		fact("api", Serve, HTTP, "GET /orders/recent", "api/api.go:12"),
		fact("orders", Serve, HTTP, "/users/:id/orders", "orders/r.go:5"),
		// dynamic id: the parameter route, not the literal "recent" one
		fact("web", Call, HTTP, "GET */orders/*", "web/c.go:20"),
		// literal path: the more specific literal route wins
		fact("web", Call, HTTP, "GET http://localhost:8080/orders/recent", "web/c.go:21"),
		fact("web", Call, HTTP, "POST http://api.shop.svc.cluster.local/orders?x=1", "web/c.go:22"),
		fact("web", Call, HTTP, "GET */users/*/orders", "web/c.go:23"),
		// public host: external even though the path would match
		fact("web", Call, HTTP, "POST https://fraud.example.com/orders", "web/c.go:24"),
		// method mismatch and no route: external with unknown host
		fact("web", Call, HTTP, "DELETE */orders", "web/c.go:25"),
		// same component: local, no edge
		fact("api", Call, HTTP, "POST */orders", "api/self.go:3"),
	})
	check(t, g,
		"web -rpc/http[GET /orders/{id}]-> api (1)",
		"web -rpc/http[GET /orders/recent]-> api (1)",
		"web -rpc/http[POST /orders]-> api (1)",
		"web -rpc/http[/users/:id/orders]-> orders (1)",
		"web -rpc/http[https://fraud.example.com]-> external:https://fraud.example.com (1)",
		"web -rpc/http[*]-> external:* (1)",
	)
	ext := g.Component("external:https://fraud.example.com")
	if ext == nil || !ext.External || ext.Role != graph.RoleExternal || ext.Name != "fraud.example.com" {
		t.Errorf("external node = %+v", ext)
	}
	if len(g.Diagnostics) != 1 || g.Diagnostics[0].Pos != "web/c.go:25" || g.Diagnostics[0].Category != "unresolved" {
		t.Errorf("diagnostics = %+v", g.Diagnostics)
	}
}

// TestMatchHTTPUnknownURL checks that a call to an unknown host whose path
// is unknown too ("*/*", "/") joins no route of the repository, however
// catch-all, while a constant host with the same path does.
func TestMatchHTTPUnknownURL(t *testing.T) {
	g := newGraph("admin", "version", "es", "e2e")
	Match(g, []Fact{
		fact("admin", Serve, HTTP, "/", "admin/admin.go:131"),
		fact("version", Serve, HTTP, "/version", "version/handler.go:31"),
		fact("es", Call, HTTP, "* */*", "es/client.go:78"),
		fact("es", Call, HTTP, "GET http://*:", "es/client.go:90"),
		fact("e2e", Call, HTTP, "GET http://localhost:16686/", "e2e/e2e.go:65"),
		fact("e2e", Call, HTTP, "GET */v*", "e2e/e2e.go:70"),
	})
	check(t, g,
		"es -rpc/http[*]-> external:* (2)",
		"e2e -rpc/http[/]-> admin (1)",
		"e2e -rpc/http[/version]-> version (1)",
	)
	var unresolved []string
	for _, d := range g.Diagnostics {
		if d.Category == "unresolved" && strings.Contains(d.Message, "no constant path") {
			unresolved = append(unresolved, d.Pos)
		}
	}
	if !slices.Equal(unresolved, []string{"es/client.go:78", "es/client.go:90"}) {
		t.Errorf("diagnostics = %+v", g.Diagnostics)
	}
}

func TestMatchKeys(t *testing.T) {
	g := newGraph("orders", "inventory", "notify", "cli", "daemon")
	Match(g, []Fact{
		fact("orders", Call, GRPC, "inventory.v1.Inventory", "orders/inv.go:3"),
		fact("inventory", Serve, GRPC, "inventory.v1.Inventory", "inventory/srv.go:9"),
		fact("inventory", Serve, GRPC, "other.v1.Other", "inventory/srv.go:10"),
		fact("orders", Produce, Broker, "order.placed", "orders/pub.go:4"),
		fact("orders", Produce, Broker, "order.placed", "orders/pub.go:8"),
		fact("notify", Consume, Broker, "order.*", "notify/sub.go:2"),
		fact("notify", Consume, Broker, "payment.done", "notify/sub.go:3"),
		fact("orders", Dial, Unix, "/run/notify.sock", "orders/n.go:7"),
		fact("notify", Listen, Unix, "/run/notify.sock", "notify/d.go:7"),
		fact("notify", Listen, Unix, "/run/other.sock", "notify/d.go:8"),
		fact("cli", Dial, TCP, "9090", "cli/m.go:3"),
		fact("daemon", Listen, TCP, "9090", "daemon/m.go:3"),
		fact("cli", Exec, ExecMech, "daemon", "cli/m.go:9"),
		fact("cli", Exec, ExecMech, "git", "cli/m.go:10"),
		fact("daemon", Binary, ExecMech, "daemon", "daemon/main.go:1"),
		fact("daemon", Listen, Pipe, "/tmp/q.fifo", "daemon/m.go:20"),
		fact("cli", Write, File, "/tmp/q.fifo", "cli/m.go:30"),
		fact("daemon", Read, File, "/tmp/q.fifo", "daemon/m.go:21"),
		fact("cli", Write, File, "/var/state.json", "cli/m.go:31"),
		fact("notify", Read, File, "/var/state.json", "notify/s.go:1"),
	})
	check(t, g,
		"orders -rpc/grpc[inventory.v1.Inventory]-> inventory (1)",
		"orders -rpc/broker[order.placed]-> notify (2)",
		"orders -ipc/unix[/run/notify.sock]-> notify (1)",
		"cli -ipc/tcp[9090]-> daemon (1)",
		"cli -ipc/exec[daemon]-> daemon (1)",
		"cli -ipc/pipe[/tmp/q.fifo]-> daemon (1)",
		"cli -ipc/file[/var/state.json]-> notify (1)",
	)
	if got := g.Component("notify").Listens; !slices.Equal(got, []string{"unix:/run/notify.sock", "unix:/run/other.sock"}) {
		t.Errorf("notify listens %v", got)
	}
}

func TestMatchData(t *testing.T) {
	g := newGraph("orders", "inventory", "reports", "audit")
	data := func(comp, access, key, pos string) Fact {
		f := fact(comp, access, SQL, key, pos)
		f.Access = access
		return f
	}
	Match(g, []Fact{
		data("orders", Write, "orders", "orders/repo.go:10"),
		data("orders", Read, "orders", "orders/repo.go:20"),
		data("reports", Read, "orders", "reports/q.go:5"),
		data("inventory", Write, "stock", "inventory/repo.go:3"),
		data("orders", Write, "stock", "orders/repo.go:30"),
		data("inventory", Read, "orders", "inventory/q.go:9"),
		data("reports", Read, "products", "reports/q.go:6"),
		data("audit", Read, "products", "audit/q.go:6"),
	})
	check(t, g,
		"orders -data/sql[orders]-> reports (1)",
		"orders -data/sql[orders]-> inventory (1)",
		"inventory -data/sql[stock]-> orders (1)",
		"orders -data/sql[stock]-> inventory (1)",
		"audit -data/sql[products]-> reports (1)",
	)
}

func TestAnnotate(t *testing.T) {
	g := newGraph("api", "mw", "inv")
	Match(g, []Fact{
		fact("api", Serve, HTTP, "GET /readyz", "api/a.go:1"),
		fact("api", Serve, HTTP, "GET /healthz", "api/a.go:2"),
		fact("api", Serve, HTTP, "POST /health", "api/a.go:3"),
		fact("api", Listen, TCP, "8080", "api/a.go:4"),
		fact("inv", Serve, GRPC, GRPCHealthService, "inv/s.go:1"),
		fact("mw", Use, Governance, "retry", "mw/r.go:1"),
		fact("mw", Use, Governance, "metrics", "mw/m.go:1"),
		fact("py/worker", Use, Governance, "tracing", "worker/app.py:3"),
	})
	if c := g.Component("api"); c.Health != "/healthz" || !slices.Equal(c.Listens, []string{"tcp:8080"}) {
		t.Errorf("api: health %q listens %v", c.Health, c.Listens)
	}
	if c := g.Component("inv"); c.Health != "grpc" {
		t.Errorf("inv health %q", c.Health)
	}
	if c := g.Component("mw"); !slices.Equal(c.Governance, []string{"metrics", "retry"}) {
		t.Errorf("mw governance %v", c.Governance)
	}
	if c := g.Component("py/worker"); c == nil || c.Language != "go" || !slices.Equal(c.Governance, []string{"tracing"}) {
		t.Errorf("component added from facts: %+v", c)
	}
}

// TestServes lists the API a component serves: its routes and gRPC
// services, not the health checks, metrics, debugging pages or the
// framework's own gRPC services.
func TestServes(t *testing.T) {
	g := newGraph("api", "inv", "ops")
	Match(g, []Fact{
		fact("api", Serve, HTTP, "POST /orders", "api/a.go:1"),
		fact("api", Serve, HTTP, "GET /orders/{id}", "api/a.go:2"),
		fact("api", Serve, HTTP, "GET /healthz", "api/a.go:3"),
		fact("api", Serve, HTTP, "POST /orders", "api/b.go:9"),
		fact("inv", Serve, GRPC, "inventory.v1.Inventory", "inv/s.go:1"),
		fact("inv", Serve, GRPC, GRPCHealthService, "inv/s.go:2"),
		fact("inv", Serve, GRPC, "grpc.reflection.v1.ServerReflection", "inv/s.go:3"),
		fact("ops", Serve, HTTP, "GET /metrics", "ops/o.go:1"),
		fact("ops", Serve, HTTP, "/debug/pprof/", "ops/o.go:2"),
		fact("ops", Serve, HTTP, "GET /", "ops/o.go:3"),
	})
	if c := g.Component("api"); !slices.Equal(c.Serves, []string{"http GET /orders/{id}", "http POST /orders"}) {
		t.Errorf("api serves %q", c.Serves)
	}
	if c := g.Component("inv"); !slices.Equal(c.Serves, []string{"grpc inventory.v1.Inventory"}) {
		t.Errorf("inv serves %q", c.Serves)
	}
	if c := g.Component("ops"); len(c.Serves) != 0 {
		t.Errorf("ops serves %q", c.Serves)
	}
}

func TestTopicMatch(t *testing.T) {
	tests := []struct {
		pattern, topic string
		want           bool
	}{
		{"order.placed", "order.placed", true},
		{"order.*", "order.placed", true},
		{"order.*", "order.placed.eu", false},
		{"order.>", "order.placed.eu", true},
		{"order.>", "order", false},
		{"audit/order.#", "audit/order.created.eu", true},
		{"audit/order.#", "audit/order", true},
		{"orders:*", "orders:new", true},
		{"order.placed", "order.cancelled", false},
	}
	for _, tt := range tests {
		if got := topicMatch(tt.pattern, tt.topic); got != tt.want {
			t.Errorf("topicMatch(%q, %q) = %v", tt.pattern, tt.topic, got)
		}
	}
}

func TestPort(t *testing.T) {
	tests := []struct {
		addr, port string
		local      bool
	}{
		{":8080", "8080", true},
		{"localhost:50051", "50051", true},
		{"127.0.0.1:9", "9", true},
		{"[::1]:9", "9", true},
		{"0.0.0.0:80", "80", true},
		{"db.example.com:5432", "5432", false},
		{"8080", "", false},
	}
	for _, tt := range tests {
		if p, l := Port(tt.addr); p != tt.port || l != tt.local {
			t.Errorf("Port(%q) = %q, %v", tt.addr, p, l)
		}
	}
}
