package gate_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/podsplit/podsplit/config"
	"github.com/podsplit/podsplit/gate"
	"github.com/podsplit/podsplit/graph"
	"github.com/podsplit/podsplit/plan"
)

func parseConfig(t *testing.T, yaml string) *config.Config {
	t.Helper()
	cfg, err := config.Parse("podsplit.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// linkGraph has three services linked by a Unix socket (a→b), an executed
// binary (b→c) and HTTP (a→c), and a call between a and b.
func linkGraph() *graph.Graph {
	g := graph.New("example.com/m")
	for _, n := range []string{"a", "b", "c"} {
		g.Components = append(g.Components, &graph.Component{ID: "example.com/m/" + n, Name: n, Packages: []string{"example.com/m/" + n}})
	}
	edge := func(from, to, kind, mech, key, pos string) {
		g.Edges = append(g.Edges, &graph.Edge{From: "example.com/m/" + from, To: "example.com/m/" + to, Kind: kind,
			Mechanism: mech, Key: key, Static: 1, Evidence: []graph.Evidence{{Pos: pos}}})
	}
	edge("a", "b", graph.KindIPC, "unix", "/run/b.sock", "a/a.go:3")
	edge("b", "c", graph.KindIPC, "exec", "c-tool", "b/b.go:5")
	edge("a", "c", graph.KindRPC, "http", "GET /items", "a/a.go:9")
	edge("a", "b", graph.KindCall, "func", "", "a/a.go:12")
	g.Sort()
	return g
}

const threeServices = "services:\n  a: [./a/...]\n  b: [./b/...]\n  c: [./c/...]\n"

func lines(vs []gate.Violation) string {
	var b strings.Builder
	for _, v := range vs {
		b.WriteString(v.Pos + " " + v.Rule + " " + v.Subject + "\n")
	}
	return b.String()
}

// TestTierCeilingLinks: local IPC needs one Pod and an executed binary one
// container, so both break a network ceiling; with ceilings of pod between
// a and b and process between b and c, neither does. HTTP never does.
func TestTierCeilingLinks(t *testing.T) {
	in := gate.Input{Graph: linkGraph(), Sites: nil}
	res, err := gate.Check(in, parseConfig(t, threeServices+"rules: {no_cross_service_calls: false}\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := "a/a.go:3 tier-ceiling a → b over unix /run/b.sock\nb/b.go:5 tier-ceiling b → c over exec c-tool\n"
	if got := lines(res.Violations); got != want {
		t.Errorf("got\n%swant\n%s", got, want)
	}
	res, err = gate.Check(in, parseConfig(t, threeServices+`tiers:
  - {between: [a, b], max: pod}
  - {between: [c, b], max: process}
rules: {no_cross_service_calls: false}
`))
	if err != nil {
		t.Fatal(err)
	}
	if got := lines(res.Violations); got != "" {
		t.Errorf("with looser ceilings, got\n%s", got)
	}
}

// TestCallsWithoutSites: without call sites the call rule cannot run, and
// says so rather than passing silently.
func TestCallsWithoutSites(t *testing.T) {
	res, err := gate.Check(gate.Input{Graph: linkGraph()}, parseConfig(t, threeServices))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(res.Notes, "\n"), "cross-service-call: no call sites given") {
		t.Errorf("notes %q lack the missing sites", res.Notes)
	}
}

// TestPlanRules: a plan verdict tighter than the ceiling, and a step with
// more cuts than allowed.
func TestPlanRules(t *testing.T) {
	p := &plan.Plan{
		Pairs: []plan.Pair{
			{A: "example.com/m/a", B: "example.com/m/c", Tier: plan.TierPod, Reasons: []string{"12000 calls per request"},
				Evidence: []graph.Evidence{{Pos: "a/a.go:9"}}},
			{A: "example.com/m/b", B: "example.com/m/c", Tier: plan.TierNetwork},
		},
		Steps: []plan.Step{
			{N: 1, Title: "extract c", Moves: []string{"example.com/m/c"}, Cut: []plan.Cut{{Pos: "a/a.go:9"}}},
			{N: 2, Title: "extract b", Moves: []string{"example.com/m/b"}, Cut: []plan.Cut{{Pos: "a/a.go:3"}, {Pos: "a/a.go:12"}}},
		},
	}
	cfg := parseConfig(t, threeServices+"rules: {no_cross_service_calls: false, max_cut_sites_per_step: 1}\ntiers: [{between: [a, b], max: pod}, {between: [b, c], max: process}]\n")
	res, err := gate.Check(gate.Input{Graph: linkGraph(), Plan: p}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	want := "a/a.go:3 max-cut-sites step moving example.com/m/b\na/a.go:9 tier-ceiling a ⇄ c need pod\n"
	if got := lines(res.Violations); got != want {
		t.Errorf("got\n%swant\n%s", got, want)
	}
	if !strings.Contains(res.Violations[1].Message, "12000 calls per request") {
		t.Errorf("the tier violation does not say why: %s", res.Violations[1].Message)
	}
}

// TestMaxICP: the a→b call and the a→c RPC cross boundaries; with a and b
// in one service only the RPC does, and ICP falls to a half.
func TestMaxICP(t *testing.T) {
	in := gate.Input{Graph: linkGraph()}
	res, err := gate.Check(in, parseConfig(t, threeServices+"rules: {max_icp: 0.9, tier_ceiling: false, no_cross_service_calls: false}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if res.ICP != 1 || len(res.Violations) != 1 || res.Violations[0].Rule != gate.RuleMaxICP {
		t.Fatalf("ICP %g, violations\n%s", res.ICP, lines(res.Violations))
	}
	res, err = gate.Check(in, parseConfig(t, "services:\n  ab: [./a/..., ./b/...]\n  c: [./c/...]\nrules: {max_icp: 0.9, tier_ceiling: false}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if res.ICP != 0.5 || len(res.Violations) != 0 {
		t.Errorf("ICP %g, violations\n%s", res.ICP, lines(res.Violations))
	}
}

// TestRulesOff: every switch turns its rule off.
func TestRulesOff(t *testing.T) {
	dir, _ := extract(t, "testdata/rules.txtar")
	off := "rules: {no_cross_service_calls: false, no_shared_state: false, no_new_cycles: false, tier_ceiling: false}\n"
	path := filepath.Join(dir, "podsplit.yaml")
	data, _ := os.ReadFile(path)
	if err := os.WriteFile(path, append(data, off...), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := gate.Run(context.Background(), dir, gate.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Result.Violations) != 0 {
		t.Errorf("with every rule off, got\n%s", lines(r.Result.Violations))
	}
}

func TestNoServices(t *testing.T) {
	_, err := gate.Check(gate.Input{Graph: linkGraph()}, parseConfig(t, "libraries: [./a]\n"))
	if err != gate.ErrNoServices {
		t.Errorf("got %v, want ErrNoServices", err)
	}
}

// TestFingerprintsIgnoreLines: moving code down a file keeps every
// fingerprint; a second call of the same function gets a fingerprint of its
// own.
func TestFingerprintsIgnoreLines(t *testing.T) {
	dir, _ := extract(t, "testdata/rules.txtar")
	before := fingerprints(t, dir)
	path := filepath.Join(dir, "a", "a.go")
	src, _ := os.ReadFile(path)
	moved := strings.Replace(string(src), "func A() {", strings.Repeat("// moved\n", 10)+"func A() {", 1)
	if err := os.WriteFile(path, []byte(moved), 0o644); err != nil {
		t.Fatal(err)
	}
	after := fingerprints(t, dir)
	if strings.Join(before, " ") != strings.Join(after, " ") {
		t.Errorf("fingerprints changed when code moved:\n%v\n%v", before, after)
	}
	seen := map[string]bool{}
	for _, f := range before {
		if seen[f] {
			t.Errorf("fingerprint %s occurs twice", f)
		}
		seen[f] = true
	}
}

func fingerprints(t *testing.T, dir string) []string {
	t.Helper()
	r, err := gate.Run(context.Background(), dir, gate.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, v := range r.Result.Violations {
		out = append(out, v.Rule+":"+v.Fingerprint)
	}
	return out
}
