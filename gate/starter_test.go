package gate_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/podsplit/podsplit/analyzer"
	"github.com/podsplit/podsplit/config"
	"github.com/podsplit/podsplit/gate"
	"github.com/podsplit/podsplit/plan"
)

func analyse(t *testing.T, dir string) *analyzer.Result {
	t.Helper()
	p, err := analyzer.Load(context.Background(), analyzer.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	return analyzer.Extract(p)
}

// starterPlan is a plan of the rules module: a alone; b with c as its
// sidecar in one Pod; d alone; lib a library.
func starterPlan() *plan.Plan {
	const m = "example.com/m/"
	return &plan.Plan{
		Target: plan.Target{
			Services: []plan.Service{
				{Name: "front", Containers: []plan.Container{{Name: "front", Components: []string{m + "a"}}}},
				{Name: "store", Containers: []plan.Container{
					{Name: "store", Components: []string{m + "b"}},
					{Name: "notify", Components: []string{m + "c"}, Sidecar: true}}},
				{Name: "tools", Containers: []plan.Container{{Name: "tools", Components: []string{m + "d"}}}},
			},
			Libraries: []string{m + "lib"},
		},
		Pairs: []plan.Pair{{A: m + "a", B: m + "b", Tier: plan.TierNetwork, Reasons: []string{"coarse, serialisable calls"}}},
		Steps: []plan.Step{{N: 1, Moves: []string{m + "a"}, Cut: []plan.Cut{{Pos: "a/a.go:9"}, {Pos: "a/a.go:11"}}}},
	}
}

// TestStarter writes the starting configuration of a plan, compares it with
// its golden file, loads it back, and checks the module against it.
func TestStarter(t *testing.T) {
	dir, _ := extract(t, "testdata/rules.txtar")
	res := analyse(t, dir)
	keep := &config.Config{Groups: map[string][]string{"tools": {"./d/..."}}, Cluster: config.Cluster{Seed: 7}}
	data, err := gate.Starter(starterPlan(), res.Graph, keep)
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "starter.yaml")
	if *update {
		if err := os.WriteFile(golden, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if string(data) != string(want) {
		t.Errorf("starter configuration differs from %s:\n%s", golden, data)
	}
	cfg, err := config.Parse("podsplit.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(cfg.Services["store"], " "); got != "./b/..." {
		t.Errorf("store owns %q, want ./b/...", got)
	}
	if cfg.Cluster.Seed != 7 || len(cfg.Groups["tools"]) != 1 {
		t.Errorf("planning sections not kept: %+v %+v", cfg.Cluster, cfg.Groups)
	}
	r, err := gate.Check(gate.Input{Graph: res.Graph, Sites: res.Sites}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, v := range r.Violations {
		got = append(got, v.Pos+" "+v.Rule+" "+v.From+"→"+v.To)
	}
	// Every service is a process of its own, so every call between two is a
	// violation, notify and store sharing a Pod notwithstanding; d is now
	// the service tools, so its call of a counts too.
	wantV := []string{
		"a/a.go:9 cross-service-call front→store",
		"a/a.go:10 shared-state front→store",
		"a/a.go:11 cross-service-call front→store",
		"a/a.go:11 shared-state front→store",
		"a/a.go:13 cross-service-call front→store",
		"a/a.go:15 cross-service-call front→notify",
		"a/a.go:15 service-cycle →",
		"b/b.go:18 cross-service-call store→notify",
		"c/c.go:7 cross-service-call notify→front",
		"d/d.go:8 cross-service-call tools→front",
	}
	if strings.Join(got, "\n") != strings.Join(wantV, "\n") {
		t.Errorf("violations under the starter configuration:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(wantV, "\n"))
	}
}
