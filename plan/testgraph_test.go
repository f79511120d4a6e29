package plan

import "github.com/podsplit/podsplit/graph"

// testGraph builds a component graph by hand: one Go package per
// component, in the directory its name gives.
type testGraph struct{ *graph.Graph }

func newTestGraph(module string) testGraph { return testGraph{graph.New(module)} }

func (g testGraph) id(dir string) string { return g.Module + "/" + dir }

// comp adds a component with the given role and kinds of I/O.
func (g testGraph) comp(dir, role string, io ...string) {
	g.Components = append(g.Components, &graph.Component{ID: g.id(dir), Name: dir, Dir: dir,
		Language: "go", Role: role, Files: 1, Packages: []string{g.id(dir)}, IO: io})
}

// call adds a call edge of one site from every component of from to every
// component of to.
func (g testGraph) call(from, to []string) {
	for _, f := range from {
		for _, t := range to {
			g.Edges = append(g.Edges, &graph.Edge{From: g.id(f), To: g.id(t), Kind: graph.KindCall, Mechanism: "func", Static: 1})
		}
	}
}
