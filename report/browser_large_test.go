package report

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/podsplit/podsplit/analyzer"
	"github.com/podsplit/podsplit/internal/synth"
	"github.com/podsplit/podsplit/manifest"
	"github.com/podsplit/podsplit/plan"
	"github.com/podsplit/podsplit/report/htmltest"
)

// maxLargeReport is the size the report of the generated 1,000-package
// monolith must stay under, as docs/benchmarks.md states.
const maxLargeReport = 16 << 20

// largeReport analyses a generated monolith of n packages for real (load,
// call graph, plan, manifests) and writes its report.
func largeReport(t *testing.T, n int) (*plan.Plan, []byte) {
	t.Helper()
	dir := t.TempDir()
	if _, err := synth.Generate(dir, synth.Options{Packages: n, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	prog, err := analyzer.Load(ctx, analyzer.Options{Dir: dir, Algo: "vta"})
	if err != nil {
		t.Fatal(err)
	}
	p := plan.Make(analyzer.Extract(prog).Graph, plan.DefaultOptions())
	files, err := manifest.Build(p, manifest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	graphs, err := RenderPlanGraphs(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := HTML(&buf, HTMLInput{Plan: p, Graphs: graphs, Manifests: files, Note: "generated monolith"}); err != nil {
		t.Fatal(err)
	}
	return p, buf.Bytes()
}

// TestBrowserLarge renders the report of a generated 1,000-package monolith:
// it must stay under maxLargeReport, load without errors, draw every
// component, and answer a search and a click.
func TestBrowserLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("analyses a 1,000-package monolith")
	}
	htmltest.Browser(t)
	p, data := largeReport(t, 1000)
	t.Logf("report of %d components, %d edges, %d pairs, %d steps: %d bytes", len(p.Components), len(p.Edges), len(p.Pairs), len(p.Steps), len(data))
	if len(data) > maxLargeReport {
		t.Errorf("the report is %d bytes, over the %d that docs/benchmarks.md states", len(data), maxLargeReport)
	}
	htmltest.CheckMarkup(t, data)
	page := htmltest.Open(t, writeReport(t, data), browserTimeout)
	if n := htmltest.Eval[int](page, `document.querySelectorAll("#components-drawing g.node").length`); n != len(p.Components) {
		t.Errorf("the drawing has %d nodes, want %d", n, len(p.Components))
	}
	last := label(p.Components[len(p.Components)-1])
	page.Type("#search", last)
	if got := htmltest.Eval[string](page, `document.getElementById("search-count").textContent`); got == "" || got[0] == '0' {
		t.Errorf("searching %s: %q", last, got)
	}
	if n := htmltest.Eval[int](page, `document.querySelectorAll("#components-drawing g.node.hit").length`); n == 0 {
		t.Errorf("searching %s lights no node up", last)
	}
	step := fmt.Sprintf("#step-%d", p.Steps[len(p.Steps)-1].N)
	page.Click(step + " > summary")
	if !page.Visible(step + " .step-body") {
		t.Errorf("%s does not open", step)
	}
	page.ScreenshotViewport(filepath.Join(t.ArtifactDir(), "large.png"))
}
