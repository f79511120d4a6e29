package link

import (
	"slices"
	"strings"

	"github.com/podsplit/podsplit/graph"
)

type edgeID struct{ from, to, kind, mech, key string }

// builder adds edges and components to a graph, one edge per pair of
// components, kind, mechanism and key.
type builder struct {
	g     *graph.Graph
	edges map[edgeID]*graph.Edge
	// sites holds the distinct initiating positions of each new edge.
	sites map[*graph.Edge]map[string]bool
}

// component returns the component id, adding it when missing.
func (b *builder) component(id, language string) *graph.Component {
	if c := b.g.Component(id); c != nil {
		return c
	}
	c := &graph.Component{ID: id, Name: id, Language: language, Role: graph.RoleService,
		RoleReason: "found only through the links of its " + language + " code"}
	b.g.Components = append(b.g.Components, c)
	return c
}

// external returns the node that stands for an endpoint outside the repository.
func (b *builder) external(origin string) string {
	id := "external:" + origin
	if b.g.Component(id) != nil {
		return id
	}
	name := origin
	if _, host, ok := strings.Cut(origin, "://"); ok {
		name = host
	}
	if origin == "*" {
		name = "unresolved host"
	}
	b.g.Components = append(b.g.Components, &graph.Component{ID: id, Name: name, Role: graph.RoleExternal,
		RoleReason: "endpoint called by the code and served by nothing in the repository", External: true})
	return id
}

// link records that from (the initiating end) reaches to, tied by key.
func (b *builder) link(from, to Fact, kind, key string) {
	b.add(from.Component, to.Component, kind, from.Mechanism, key, from, &to)
}

// add finds or creates the edge and adds evidence for both ends.
func (b *builder) add(fromID, toID, kind, mech, key string, from Fact, to *Fact) {
	id := edgeID{fromID, toID, kind, mech, key}
	e := b.edges[id]
	if e == nil {
		e = &graph.Edge{From: fromID, To: toID, Kind: kind, Mechanism: mech, Key: key}
		b.edges[id] = e
		b.g.Edges = append(b.g.Edges, e)
	}
	if b.sites == nil {
		b.sites = map[*graph.Edge]map[string]bool{}
	}
	if b.sites[e] == nil {
		b.sites[e] = map[string]bool{}
	}
	b.sites[e][from.Pos] = true
	e.Evidence = append(e.Evidence, graph.Evidence{Pos: from.Pos, Detail: describe(from)})
	if to != nil {
		e.Evidence = append(e.Evidence, graph.Evidence{Pos: to.Pos, Detail: describe(*to)})
	}
}

// finish sets counts from the collected evidence and sorts the graph.
func (b *builder) finish() {
	for e, sites := range b.sites {
		if n := len(sites); n > e.Static {
			e.Static = n
		}
		e.Evidence = compactEvidence(e.Evidence)
		e.EvidenceTotal = max(e.EvidenceTotal, len(e.Evidence))
	}
	b.g.Sort()
}

func compactEvidence(ev []graph.Evidence) []graph.Evidence {
	seen := map[graph.Evidence]bool{}
	return slices.DeleteFunc(ev, func(e graph.Evidence) bool {
		dup := seen[e]
		seen[e] = true
		return dup
	})
}
