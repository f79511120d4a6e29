package plan

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/podsplit/podsplit/graph"
)

var update = flag.Bool("update", false, "rewrite the plan.golden section of testdata/*.txtar")

// TestCases plans each testdata/*.txtar module and checks the assertions of
// its want section (see testdata/README.md), the invariants every plan
// keeps, and the text rendering against plan.golden when the archive has one.
func TestCases(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			t.Parallel()
			tc := loadCase(t, file)
			p := Make(tc.graph, tc.opts)
			checkInvariants(t, p)
			ids := byName(tc.graph)
			for _, w := range wantLines(tc.want) {
				check(t, p, ids, w)
			}
			checkGolden(t, file, tc, p)
		})
	}
}

func checkGolden(t *testing.T, file string, tc *testCase, p *Plan) {
	i := slices.IndexFunc(tc.archive.Files, func(f txtar.File) bool { return f.Name == "plan.golden" })
	if i < 0 {
		return
	}
	var got bytes.Buffer
	if err := WriteText(&got, p); err != nil {
		t.Fatal(err)
	}
	if *update {
		tc.archive.Files[i].Data = got.Bytes()
		if err := os.WriteFile(file, txtar.Format(tc.archive), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if want := tc.archive.Files[i].Data; !bytes.Equal(want, got.Bytes()) {
		t.Errorf("text plan differs from plan.golden (go test ./plan -update to accept):\n%s", got.String())
	}
}

// check evaluates one assertion of a want section.
func check(t *testing.T, p *Plan, ids map[string]string, w []string) {
	t.Helper()
	id := func(name string) string {
		if v, ok := ids[name]; ok {
			return v
		}
		t.Fatalf("%v: no component named %q", w, name)
		return ""
	}
	text := func(from int) string { return strings.Join(w[from:], " ") }
	switch w[0] {
	case "tier":
		pr := findPair(p, id(w[1]), id(w[2]))
		if pr == nil {
			t.Fatalf("%v: no pair", w)
		}
		if pr.Tier != w[3] || len(w) > 4 && !anyContains(pr.Reasons, text(4)) {
			t.Errorf("%v: got %s %q", w, pr.Tier, pr.Reasons)
		}
	case "noreason":
		if pr := findPair(p, id(w[1]), id(w[2])); pr != nil && anyContains(pr.Reasons, text(3)) {
			t.Errorf("%v: got %q", w, pr.Reasons)
		}
	case "together", "apart":
		svc := serviceOf(p, id(w[1]))
		for _, n := range w[2:] {
			if same := svc != "" && svc == serviceOf(p, id(n)); same != (w[0] == "together") {
				t.Errorf("%v: %s is in %q, %s in %q", w, w[1], svc, n, serviceOf(p, id(n)))
			}
		}
	case "library", "notlibrary":
		if got := slices.Contains(p.Target.Libraries, id(w[1])); got != (w[0] == "library") {
			t.Errorf("%v: libraries are %v", w, p.Target.Libraries)
		}
	case "sidecar", "main":
		if c := containerOf(p, id(w[1])); c == nil || c.Sidecar != (w[0] == "sidecar") {
			t.Errorf("%v: container %+v", w, c)
		}
	case "services":
		if n, _ := strconv.Atoi(w[1]); len(p.Target.Services) != n {
			t.Errorf("%v: got %d services", w, len(p.Target.Services))
		}
	case "order":
		checkOrder(t, p, ids, w)
	case "name":
		if got := serviceOf(p, id(w[1])); got != w[2] {
			t.Errorf("%v: service named %q", w, got)
		}
	case "running", "notrunning":
		// running: the component's service is deployed apart at step 0
		// and no step moves it.
		svc := serviceOf(p, id(w[1]))
		apart := extractStep(p, id(w[1])) == nil && slices.ContainsFunc(p.Steps[0].Topology, func(s Service) bool { return s.Name == svc }) &&
			len(p.Steps[0].Topology) > 1
		if apart != (w[0] == "running") {
			t.Errorf("%v: service %q, step 0 deploys %d services", w, svc, len(p.Steps[0].Topology))
		}
	case "diag", "nodiag":
		found := slices.ContainsFunc(p.Diagnostics, func(d graph.Diagnostic) bool {
			return d.Category == w[1] && strings.Contains(d.Message, text(2))
		})
		if found != (w[0] == "diag") {
			t.Errorf("%v: diagnostics are %v", w, p.Diagnostics)
		}
	case "blocker", "api", "cut":
		st := extractStep(p, id(w[1]))
		if st == nil {
			t.Fatalf("%v: no step extracts %s", w, w[1])
		}
		list := map[string][]string{"blocker": st.Blockers, "api": st.API, "cut": cutPositions(st)}[w[0]]
		if !anyContains(list, text(2)) {
			t.Errorf("%v: got %q", w, list)
		}
	case "nocut":
		// nocut C TEXT: the step extracting C lists no cut site containing TEXT.
		st := extractStep(p, id(w[1]))
		if st == nil {
			t.Fatalf("%v: no step extracts %s", w, w[1])
		}
		if list := cutPositions(st); anyContains(list, text(2)) {
			t.Errorf("%v: got %q", w, list)
		}
	case "command":
		// command C NAME PROGRAM MAIN: C's container runs command NAME of
		// PROGRAM, built from MAIN.
		c := containerOf(p, id(w[1]))
		if c == nil || c.Command != w[2] || c.CommandOf != id(w[3]) || c.Main != id(w[4]) {
			t.Errorf("%v: container %+v", w, c)
		}
	default:
		t.Fatalf("unknown assertion %v", w)
	}
}

func checkOrder(t *testing.T, p *Plan, ids map[string]string, w []string) {
	t.Helper()
	last := -1
	for _, name := range w[1:] {
		st := extractStep(p, ids[name])
		if st == nil {
			t.Fatalf("%v: no step extracts %s", w, name)
		}
		if st.N <= last {
			t.Errorf("%v: %s extracted at step %d, after step %d", w, name, st.N, last)
		}
		last = st.N
	}
}

func findPair(p *Plan, a, b string) *Pair {
	a, b = min(a, b), max(a, b)
	for i := range p.Pairs {
		if p.Pairs[i].A == a && p.Pairs[i].B == b {
			return &p.Pairs[i]
		}
	}
	return nil
}

func anyContains(list []string, s string) bool {
	return slices.ContainsFunc(list, func(x string) bool { return strings.Contains(x, s) })
}

func serviceOf(p *Plan, id string) string {
	for _, s := range p.Target.Services {
		for _, c := range s.Containers {
			if slices.Contains(c.Components, id) {
				return s.Name
			}
		}
	}
	return ""
}

func containerOf(p *Plan, id string) *Container {
	for _, s := range p.Target.Services {
		for i, c := range s.Containers {
			if slices.Contains(c.Components, id) {
				return &s.Containers[i]
			}
		}
	}
	return nil
}

// extractStep returns the step that moves the component out as a service
// or a sidecar.
func extractStep(p *Plan, id string) *Step {
	for i, st := range p.Steps {
		if (st.Kind == StepExtract || st.Kind == StepSidecar) && slices.Contains(st.Moves, id) {
			return &p.Steps[i]
		}
	}
	return nil
}

func cutPositions(st *Step) []string {
	var out []string
	for _, c := range st.Cut {
		out = append(out, c.Pos+" "+c.Callee)
	}
	return out
}

// checkInvariants holds for every plan: each component of the module is in
// exactly one container or among the libraries; steps are numbered from the
// monolith; the last step deploys the target; every step can be rolled back.
func checkInvariants(t *testing.T, p *Plan) {
	t.Helper()
	seen := map[string]int{}
	for _, s := range p.Target.Services {
		for _, c := range s.Containers {
			for _, id := range c.Components {
				seen[id]++
			}
		}
	}
	for _, id := range p.Target.Libraries {
		seen[id]++
	}
	for _, c := range p.Components {
		if want := map[bool]int{true: 0, false: 1}[c.External]; seen[c.ID] != want {
			t.Errorf("component %s placed %d times in the target, want %d", c.ID, seen[c.ID], want)
		}
	}
	if len(p.Steps) == 0 || p.Steps[0].Kind != StepMonolith {
		t.Fatalf("step 0 is not the monolith: %+v", p.Steps)
	}
	for i, st := range p.Steps {
		if st.N != i || i > 0 && st.Rollback == "" || st.Cut == nil || st.Blockers == nil {
			t.Errorf("step %d malformed: %+v", i, st)
		}
	}
	last := p.Steps[len(p.Steps)-1].Topology
	if len(p.Steps) > 1 && !sameServices(last, p.Target.Services) {
		t.Errorf("last step deploys %v, target is %v", serviceNames(last), serviceNames(p.Target.Services))
	}
}

func sameServices(a, b []Service) bool {
	return slices.Equal(serviceNames(a), serviceNames(b))
}

func serviceNames(s []Service) []string {
	var out []string
	for _, x := range s {
		out = append(out, x.Name)
	}
	return out
}

func TestProjectName(t *testing.T) {
	for module, want := range map[string]string{
		"github.com/containerd/containerd/v2": "containerd",
		"example.com/acme/v10":                "acme",
		"github.com/podsplit/podsplit":        "podsplit",
		"go.temporal.io/server":               "server",
		"example.com/vault":                   "vault",
		"v2":                                  "v2",
	} {
		if got := ProjectName(module); got != want {
			t.Errorf("ProjectName(%q) = %q, want %q", module, got, want)
		}
	}
}

func TestDomainName(t *testing.T) {
	for dir, want := range map[string]string{
		"pkg/frontend/v1":        "frontend", // a version names its parent's generation, not a part
		"api/v2":                 "api",
		"pkg":                    "argo-cd", // a place: the project's name, not the major version's
		"":                       "argo-cd",
		"v2":                     "argo-cd",
		"server/vault":           "vault",
		"pkg/db/v1beta1":         "db", // Kubernetes-style versions too
		"pkg/webhook/v2alpha3":   "webhook",
		"pkg/controller.v1beta1": "controller",
		"pkg/v1beta":             "v1beta", // no stage number: a name
	} {
		if got := domainName("github.com/argoproj/argo-cd/v2", dir); got != want {
			t.Errorf("domainName(%q) = %q, want %q", dir, got, want)
		}
	}
}

func TestStubDir(t *testing.T) {
	for dir, want := range map[string]bool{
		"proto-gen/storage_v1": true, "thrift-gen/jaeger": true, "gen/go/orders/v1": true, "api/orderspb": true,
		"internal/generated/models": true, "pkg/orders": false, "generator/templates": false, "cmd/gen": true,
	} {
		if got := stubDir(dir); got != want {
			t.Errorf("stubDir(%q) = %v, want %v", dir, got, want)
		}
	}
}

func TestStubName(t *testing.T) {
	for base, want := range map[string]bool{
		"orderspb": true, "proto": true, "gen": true, "statusv3alphaconnect": true,
		"connect": false, "orders": false, "generator": false,
	} {
		if got := stubName(base); got != want {
			t.Errorf("stubName(%q) = %v, want %v", base, got, want)
		}
	}
}
