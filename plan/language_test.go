package plan

import (
	"slices"
	"testing"

	"github.com/podsplit/podsplit/graph"
)

// TestLanguagesNeverShareAProcess plans a Go monolith beside a Python worker
// that calls it over HTTP: step 0 deploys both as they run today, no step
// extracts the worker, and no container mixes languages.
func TestLanguagesNeverShareAProcess(t *testing.T) {
	g := graph.New("example.com/m")
	g.Components = append(g.Components,
		&graph.Component{ID: "example.com/m/cmd/api", Name: "cmd/api", Language: "go", Role: graph.RoleEntrypoint, Dir: "cmd/api"},
		&graph.Component{ID: "example.com/m/orders", Name: "orders", Language: "go", Role: graph.RoleService, Dir: "orders"},
		&graph.Component{ID: "example.com/m/users", Name: "users", Language: "go", Role: graph.RoleService, Dir: "users", MutableState: []string{"users.db"}},
		&graph.Component{ID: "py:worker", Name: "worker", Language: "python", Role: graph.RoleEntrypoint, Dir: "worker"},
		&graph.Component{ID: "py:worker/jobs", Name: "worker/jobs", Language: "python", Role: graph.RoleService, Dir: "worker/jobs"})
	g.Edges = append(g.Edges,
		&graph.Edge{From: "example.com/m/cmd/api", To: "example.com/m/orders", Kind: graph.KindCall, Mechanism: "func", Static: 3},
		&graph.Edge{From: "example.com/m/cmd/api", To: "example.com/m/users", Kind: graph.KindCall, Mechanism: "func", Static: 2},
		&graph.Edge{From: "py:worker", To: "py:worker/jobs", Kind: graph.KindCall, Mechanism: "import", Static: 2},
		&graph.Edge{From: "py:worker/jobs", To: "example.com/m/orders", Kind: graph.KindRPC, Mechanism: "http", Key: "GET /orders/{id}", Static: 1})
	g.Sort()
	p := Make(g, DefaultOptions())
	checkInvariants(t, p)
	step0 := p.Steps[0]
	var names []string
	for _, svc := range step0.Topology {
		names = append(names, svc.Name)
	}
	topologies := [][]Service{p.Target.Services}
	for _, st := range p.Steps {
		topologies = append(topologies, st.Topology)
	}
	for _, top := range topologies {
		for _, svc := range top {
			for _, c := range svc.Containers {
				langs := map[string]bool{}
				for _, id := range c.Components {
					langs[componentLanguage(p, id)] = true
				}
				if len(langs) > 1 {
					t.Errorf("container %s of %s mixes languages: %v", c.Name, svc.Name, c.Components)
				}
			}
		}
	}
	if len(step0.Topology) < 2 {
		t.Fatalf("step 0 deploys %v, want the Go monolith and the Python worker apart", names)
	}
	for _, st := range p.Steps[1:] {
		if slices.ContainsFunc(st.Moves, func(m string) bool { return componentLanguage(p, m) == "python" }) {
			t.Errorf("step %d extracts Python that already runs apart: %v", st.N, st.Moves)
		}
	}
}

func componentLanguage(p *Plan, id string) string {
	for _, c := range p.Components {
		if c.ID == id {
			return c.Language
		}
	}
	return ""
}

// TestNamesAcrossLanguages checks that a Go package and the JavaScript of
// its web UI, both named after their directory, read apart in the text
// plan: the JavaScript component carries its language.
func TestNamesAcrossLanguages(t *testing.T) {
	p := &Plan{Components: []*graph.Component{
		{ID: "example.com/m/admin", Name: "admin", Language: "go"},
		{ID: "js:admin", Name: "admin", Language: "javascript"},
		{ID: "js:admin/views", Name: "admin/views", Language: "javascript"},
	}}
	got := p.short([]string{"example.com/m/admin", "js:admin", "js:admin/views"})
	want := []string{"admin", "admin (javascript)", "admin/views"}
	if !slices.Equal(got, want) {
		t.Errorf("short = %q, want %q", got, want)
	}
}
