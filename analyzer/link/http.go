package link

import (
	"fmt"

	"github.com/podsplit/podsplit/graph"
)

// matchHTTP joins each client call to the most specific server route its
// method and path match in another component. A call whose host is not
// constant must name at least one segment of its path: "*/*" or "/" to an
// unknown host could be any server (an Elasticsearch cluster as well as a
// route of ours) and joins none. A call that matches no route,
// or whose host is a public name, becomes an edge to an external node, one
// edge per host keyed by its origin, with the URLs as evidence. A
// call that matches a route of its own component is local and adds nothing.
func (b *builder) matchHTTP(facts []Fact) {
	var servers []Fact
	var routes []route
	for _, f := range facts {
		if f.Role == Serve {
			servers = append(servers, f)
			routes = append(routes, parseRoute(f.Key))
		}
	}
	for _, f := range facts {
		if f.Role != Call {
			continue
		}
		c := parseClient(f.Key)
		if c.public() {
			b.add(f.Component, b.external(c.origin()), graph.KindRPC, HTTP, c.origin(), f, nil)
			continue
		}
		var best []int
		if c.origin() != "*" || c.knownPath() {
			best = bestRoutes(routes, c)
		}
		local := false
		for _, i := range best {
			if servers[i].Component == f.Component {
				local = true
				continue
			}
			b.link(f, servers[i], graph.KindRPC, servers[i].Key)
		}
		if len(best) > 0 || local {
			continue
		}
		b.add(f.Component, b.external(c.origin()), graph.KindRPC, HTTP, c.origin(), f, nil)
		switch {
		case c.origin() == "*" && !c.knownPath():
			b.g.AddDiagnostic(f.Pos, "unresolved", fmt.Sprintf(
				"HTTP client URL %q has no constant host and no constant path: linked to external:*", f.Key))
		case c.origin() == "*":
			b.g.AddDiagnostic(f.Pos, "unresolved", fmt.Sprintf(
				"HTTP client URL %q has no constant host and its path matches no route of the repository: linked to external:*", f.Key))
		}
	}
}

// bestRoutes returns the indexes of the routes with the highest score for c.
func bestRoutes(routes []route, c clientURL) []int {
	best, top := []int(nil), -1
	if c.path == "" {
		return nil
	}
	for i, r := range routes {
		switch s := r.score(c.method, c.path); {
		case s < 0:
		case s > top:
			best, top = []int{i}, s
		case s == top:
			best = append(best, i)
		}
	}
	return best
}
