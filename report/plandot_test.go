package report

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func planDOT(t *testing.T, name string, opts PlanDOTOptions) string {
	t.Helper()
	var b bytes.Buffer
	if err := PlanDOT(&b, loadPlan(t, name), opts); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestPlanDOTComponents(t *testing.T) {
	dot := planDOT(t, "small.plan.json", PlanDOTOptions{})
	for _, want := range []string{
		// services are clusters, sidecars nested clusters, libraries dashed
		`subgraph cluster_s1 {` + "\n" + `    id="s1"; class="svc svc-1"; label="payments";`,
		`subgraph cluster_s1_1 {` + "\n" + `      label="governance (sidecar)"; style="dashed";`,
		`subgraph cluster_lib {`,
		`c4 [id="c4", class="comp svc-3", label="money", shape=note,`,
		// orders → payments: network green, seen at runtime so solid
		`c6 -> c7 [id="e_c6_c7", class="tier-network", color="#2f855a", style=solid, dir=forward,`,
		// orders → events: never seen while others were, so dashed
		`c6 -> c1 [id="e_c6_c1", class="tier-network", color="#2f855a", style=dashed,`,
		// orders → inventory: call and state folded into one process-tier edge
		`c6 -> c2 [id="e_c6_c2", class="tier-process", color="#c53030", style=solid, dir=forward, penwidth=3.3,`,
		// the tooltip carries the verdict's reasons and evidence
		`orders writes inventory.stock\n4200 calls per request\norders/memory.go:12 writes inventory.stock`,
	} {
		if !strings.Contains(dot, want) {
			t.Errorf("DOT lacks %q", want)
		}
	}
	if n := strings.Count(dot, " -> "); n != 8 {
		t.Errorf("%d edges, want one per interacting pair (8)", n)
	}
}

func TestPlanDOTServices(t *testing.T) {
	dot := planDOT(t, "small.plan.json", PlanDOTOptions{Services: true})
	for _, want := range []string{
		`s0 [id="s0", class="svc svc-0", label="orders\n3 components", shape=box,`,
		`s3 [id="s3", class="svc svc-3", label="libraries\n1 component", shape=note,`,
		// orders → payments holds a network pair only
		`s0 -> s1 [id="e_s0_s1", class="tier-network", color="#2f855a"`,
		// payments → libraries: money is process-tier, the tightest
		`s1 -> s3 [id="e_s1_s3", class="tier-process", color="#c53030"`,
	} {
		if !strings.Contains(dot, want) {
			t.Errorf("DOT lacks %q", want)
		}
	}
	if strings.Contains(dot, "cluster") {
		t.Error("the services drawing has clusters")
	}
}

// Past LargeGraph the drawing drops clusters for sfdp, and is still the
// same bytes on every run.
func TestPlanDOTLarge(t *testing.T) {
	p := synthPlan(LargeGraph + 100)
	var b bytes.Buffer
	if err := PlanDOT(&b, p, PlanDOTOptions{}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "cluster") || !strings.Contains(b.String(), "arrowhead=none") {
		t.Error("a large drawing keeps clusters or arrowheads")
	}
	first, err := RenderPlanGraphs(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	second, err := RenderPlanGraphs(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if first.Engine != "sfdp" || !bytes.Equal(first.Components, second.Components) {
		t.Errorf("engine %s; two layouts equal: %v", first.Engine, bytes.Equal(first.Components, second.Components))
	}
}
