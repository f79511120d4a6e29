package gate

import (
	"fmt"
	"slices"
	"strings"

	"github.com/podsplit/podsplit/graph"
)

// cycles reports every cycle of dependencies (calls and state access, as
// for graph.SCCs) between declared services: one violation per strongly
// connected set of services, named by its members.
func (c *checker) cycles() []Violation {
	sg := c.serviceGraph()
	var out []Violation
	for _, members := range sg.SCCs() {
		var links []string
		pos := ""
		for _, e := range sg.Edges {
			if slices.Contains(members, e.From) && slices.Contains(members, e.To) {
				links = append(links, fmt.Sprintf("%s → %s (%s)", e.From, e.To, e.Evidence[0].Pos))
				if pos == "" {
					pos = e.Evidence[0].Pos
				}
			}
		}
		v := Violation{
			Rule: RuleServiceCycle, Pos: pos, Subject: strings.Join(members, " ⇄ "),
			Message: fmt.Sprintf("services %s depend on each other in a cycle: %s",
				strings.Join(members, ", "), strings.Join(links, ", ")),
		}
		out = append(out, keyed(v, members...))
	}
	return out
}

// serviceGraph lifts the dependency edges of the component graph to the
// declared services. Each service edge keeps the first evidence of the
// component edges it stands for.
func (c *checker) serviceGraph() *graph.Graph {
	sg := graph.New("")
	for _, s := range sortedKeys(c.cfg.Services) {
		sg.Components = append(sg.Components, &graph.Component{ID: s})
	}
	for _, e := range c.in.Graph.Edges {
		from, to, ok := c.l.boundary(e.From, e.To)
		if !ok || !graph.IsDependency(e) || len(e.Evidence) == 0 {
			continue
		}
		se := sg.Edge(from, to, graph.KindCall, "")
		if se == nil {
			se = &graph.Edge{From: from, To: to, Kind: graph.KindCall}
			sg.Edges = append(sg.Edges, se)
		}
		se.Evidence = append(se.Evidence, e.Evidence...)
	}
	sg.Sort()
	return sg
}
