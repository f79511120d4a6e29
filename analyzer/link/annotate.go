package link

import (
	"net"
	"slices"
	"strings"
)

// healthPaths are the routes taken for health checks, best first.
var healthPaths = []string{"/healthz", "/health", "/livez", "/readyz", "/ready", "/live", "/ping", "/status", "/-/healthy"}

// GRPCHealthService is the full name of the standard gRPC health service.
const GRPCHealthService = "grpc.health.v1.Health"

// annotate copies per-component facts onto the components: governance
// concerns, sockets listened on, and the health route served.
func (b *builder) annotate(facts []Fact) {
	health := map[string]int{} // component → index into healthPaths
	for _, f := range facts {
		c := b.component(f.Component, f.Language)
		switch {
		case f.Role == Use && f.Mechanism == Governance:
			if !slices.Contains(c.Governance, f.Key) {
				c.Governance = append(c.Governance, f.Key)
			}
		case f.Role == Listen && (f.Mechanism == TCP || f.Mechanism == Unix):
			if l := f.Mechanism + ":" + f.Key; !slices.Contains(c.Listens, l) {
				c.Listens = append(c.Listens, l)
				slices.Sort(c.Listens)
			}
		case f.Role == Serve && f.Mechanism == HTTP:
			r := parseRoute(f.Key)
			if !infraRoute(r) {
				addSorted(&c.Serves, "http "+f.Key)
			}
			if r.method != "" && r.method != "GET" && r.method != "HEAD" {
				continue
			}
			p := "/" + joinLiterals(r)
			if i := slices.Index(healthPaths, p); i >= 0 {
				if cur, ok := health[c.ID]; !ok || i < cur {
					health[c.ID] = i
					c.Health = p
				}
			}
		case f.Role == Serve && f.Mechanism == GRPC && f.Key == GRPCHealthService:
			if c.Health == "" {
				c.Health = "grpc"
			}
		case f.Role == Serve && f.Mechanism == GRPC && !strings.HasPrefix(f.Key, "grpc.") && f.Key != "":
			addSorted(&c.Serves, "grpc "+f.Key) // grpc.reflection.v1…, grpc.channelz… are the framework's
		}
	}
}

// infraRoutes are the first path segments of routes that serve the
// process rather than an API: health checks (those of healthPaths),
// metrics, profiling and debug pages.
var infraRoutes = func() map[string]bool {
	out := map[string]bool{"metrics": true, "debug": true, "version": true, "favicon.ico": true, "robots.txt": true}
	for _, p := range healthPaths {
		first, _, _ := strings.Cut(strings.TrimPrefix(p, "/"), "/")
		out[first] = true
	}
	return out
}()

// infraRoute reports whether a route serves the process rather than an
// API, or is the root alone.
func infraRoute(r route) bool {
	if len(r.segs) == 0 {
		return true
	}
	first := r.segs[0]
	return first.kind == segLiteral && (infraRoutes[first.text] || first.text == "")
}

func addSorted(list *[]string, s string) {
	if i, found := slices.BinarySearch(*list, s); !found {
		*list = slices.Insert(*list, i, s)
	}
}

// joinLiterals renders a route whose segments are all literal, or "?".
func joinLiterals(r route) string {
	var parts []string
	for _, s := range r.segs {
		if s.kind != segLiteral {
			return "?"
		}
		parts = append(parts, s.text)
	}
	return strings.Join(parts, "/")
}

// Port returns the port of a listen or dial address (":8080",
// "localhost:8080", "[::1]:8080") and whether its host is this machine:
// empty, unspecified or loopback. Dials to other hosts are not IPC.
func Port(addr string) (port string, local bool) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || port == "" {
		return "", false
	}
	if host == "" || host == "localhost" {
		return port, true
	}
	ip := net.ParseIP(host)
	return port, ip != nil && (ip.IsLoopback() || ip.IsUnspecified())
}
