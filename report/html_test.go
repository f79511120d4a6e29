package report

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/podsplit/podsplit/plan"
	"github.com/podsplit/podsplit/report/htmltest"
)

// loadPlan reads a plan from testdata.
func loadPlan(t testing.TB, name string) *plan.Plan {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var p plan.Plan
	if err := json.Unmarshal(data, &p); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return &p
}

// smallManifests are manifests laid out as the manifest package writes them.
func smallManifests() map[string][]byte {
	return map[string][]byte{
		"steps/00-monolith/deployment.yaml":       []byte("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: shop\n"),
		"steps/01-extract-payments/payments.yaml": []byte("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: payments\n"),
		"steps/01-extract-payments/service.yaml":  []byte("apiVersion: v1\nkind: Service\nmetadata:\n  name: payments\n"),
		"steps/02-extract-events/events.yaml":     []byte("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: events\n"),
		"README.md":                               []byte("# manifests\n"),
	}
}

// render writes the report of p with real Graphviz drawings.
func render(t testing.TB, p *plan.Plan, manifests map[string][]byte) []byte {
	t.Helper()
	g, err := RenderPlanGraphs(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := HTML(&buf, HTMLInput{Plan: p, Graphs: g, Manifests: manifests, Note: "podsplit test"}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestHTMLDeterministic(t *testing.T) {
	p := loadPlan(t, "small.plan.json")
	a := render(t, p, smallManifests())
	b := render(t, loadPlan(t, "small.plan.json"), smallManifests())
	if !bytes.Equal(a, b) {
		t.Fatal("two reports of the same plan differ")
	}
}

func TestHTMLContent(t *testing.T) {
	out := string(render(t, loadPlan(t, "small.plan.json"), smallManifests()))
	for _, want := range []string{
		`<title>podsplit: example.com/shop</title>`,
		"podsplit test",
		// overview: counts, metrics beside the baseline, diagnostics
		"<dt>components</dt><dd>8</dd>", "<th>one service per package</th>", "<td class=\"num\">0.120</td>",
		"call through a func value resolved by type",
		// the drawings: clusters and tier classes reach the SVG
		`id="g-c6" class="node comp svc-0"`, `class="edge tier-network"`, `<svg viewBox=`,
		// matrix: 8 rows of components, a process-tier cell with its weight
		`<td class="t-process" title="orders ↔ inventory: process, 4 call sites, 4200 runtime calls">4</td>`,
		// timeline: a step with its cut, API, blocker, latency and manifests
		`<details class="step" id="step-2">`, "<code>orders/notifier.go:18</code>",
		"func Publish(ctx context.Context, e Event) error", "events.Publish takes a chan Ack: not serialisable",
		"+1.0 ms", "<code>steps/01-extract-payments/service.yaml</code>",
		// before/after: payments is new after step 1, and its components moved
		`<div class="card new"><div class="svc">payments <span class="state">new</span>`, `<span class="chip moved">payments</span>`,
		// a file outside steps/ is listed apart
		`<code>README.md</code>`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	// Five files in four groups (three steps and the rest): the first file
	// of each group is open.
	if n, open := strings.Count(out, `<details class="manifest"`), strings.Count(out, `.yaml" open>`)+strings.Count(out, `.md" open>`); n != 5 || open != 4 {
		t.Errorf("%d manifest blocks, %d open; want 5, 4 open", n, open)
	}
}

func TestManifestsByStep(t *testing.T) {
	byStep, other := manifestsByStep(smallManifests())
	if len(byStep[1]) != 2 || byStep[1][0].Path != "steps/01-extract-payments/payments.yaml" {
		t.Errorf("step 1 manifests = %+v", byStep[1])
	}
	if len(byStep[0]) != 1 || len(byStep[2]) != 1 {
		t.Errorf("steps 0 and 2 have %d and %d manifests, want 1 each", len(byStep[0]), len(byStep[2]))
	}
	if len(other) != 1 || other[0].Path != "README.md" {
		t.Errorf("other manifests = %+v", other)
	}
	for _, bad := range []string{"steps/x.yaml", "steps/final/x.yaml", "stepsx/01-a/x.yaml"} {
		if _, ok := stepOfPath(bad); ok {
			t.Errorf("stepOfPath(%q) found a step", bad)
		}
	}
}

func TestMatrixLevel(t *testing.T) {
	small := loadPlan(t, "small.plan.json")
	if m := newMatrix(small, newPlanLayout(small)); m.Level != "component" || len(m.Rows) != 8 {
		t.Errorf("small plan: %s matrix of %d rows, want component of 8", m.Level, len(m.Rows))
	}
	big := synthPlan(200)
	m := newMatrix(big, newPlanLayout(big))
	// 10 services and the libraries
	if m.Level != "service" || len(m.Rows) != 11 {
		t.Fatalf("big plan: %s matrix of %d rows, want service of 11", m.Level, len(m.Rows))
	}
	for _, r := range m.Rows {
		if len(r.Cells) != len(m.Rows) || !r.Cells[r.N-1].Self {
			t.Errorf("row %s: %d cells, diagonal marked %v", r.Name, len(r.Cells), r.Cells[r.N-1].Self)
		}
	}
}

// hostile makes every string of v hostile by appending a payload that, if
// it ever reached the page unescaped, would open a script, close the SVG
// and the attribute it sits in, and load an image. Equal strings stay equal,
// so the plan's references still hold.
func hostile(v reflect.Value) {
	const payload = `"'></svg></textarea><script>window.pwned=1</script><img src=x onerror="window.pwned=2"><!--`
	switch v.Kind() {
	case reflect.String:
		v.SetString(v.String() + payload)
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			hostile(v.Elem())
		}
	case reflect.Struct:
		for i := range v.NumField() {
			hostile(v.Field(i))
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			hostile(v.Index(i))
		}
	}
}

func hostilePlan(t testing.TB) (*plan.Plan, map[string][]byte) {
	p := loadPlan(t, "small.plan.json")
	hostile(reflect.ValueOf(p))
	files := map[string][]byte{}
	for path, body := range smallManifests() {
		s := []string{path, string(body)}
		hostile(reflect.ValueOf(s))
		files[s[0]] = []byte(s[1])
	}
	return p, files
}

func TestHTMLEscaping(t *testing.T) {
	p, files := hostilePlan(t)
	text := htmltest.CheckMarkup(t, render(t, p, files))
	// The hostile strings must be shown, as text, all over the page:
	// names, tooltips, reasons, evidence, steps, manifests.
	if n := strings.Count(text, "<script>window.pwned=1</script>"); n < 100 {
		t.Errorf("the payload shows as text %d times; want it everywhere a plan string is shown", n)
	}
}

// The allow-list of the SVG writer must stay within what CheckMarkup allows.
func TestSVGElementsChecked(t *testing.T) {
	for e := range svgElements {
		if e != "a" && !htmltest.Elements[e] {
			t.Errorf("svg element %s is kept but htmltest.Elements lacks it", e)
		}
	}
}

// A plan with nothing in it, and one without drawings, still make a page.
func TestHTMLEmpty(t *testing.T) {
	empty := &plan.Plan{Schema: plan.Schema, Module: "example.com/empty"}
	htmltest.CheckMarkup(t, render(t, empty, nil))
	var buf bytes.Buffer
	if err := HTML(&buf, HTMLInput{Plan: loadPlan(t, "small.plan.json")}); err != nil {
		t.Fatal(err)
	}
	if out := buf.String(); strings.Count(out, "<p>No drawing.</p>") != 2 || strings.Contains(out, "The component drawing is left out") {
		t.Error("a report without drawings does not say so")
	}
	if err := HTML(&buf, HTMLInput{}); err == nil {
		t.Error("HTML without a plan gave no error")
	}
}
