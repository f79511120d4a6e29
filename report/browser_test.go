package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/podsplit/podsplit/report/htmltest"
)

// browserTimeout bounds one browser session; the page is local, so only a
// very slow machine comes near it.
const browserTimeout = 3 * time.Minute

// writeReport renders p to a file in the test's artifact directory, where
// `go test -artifacts` keeps it beside the screenshots.
func writeReport(t *testing.T, data []byte) string {
	t.Helper()
	path := filepath.Join(t.ArtifactDir(), "report.html")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestBrowserReport(t *testing.T) {
	htmltest.Browser(t)
	path := writeReport(t, render(t, loadPlan(t, "small.plan.json"), smallManifests()))
	p := htmltest.Open(t, path, browserTimeout)

	// A closed step hides its manifests; a click shows them.
	if p.Visible("#step-1 .manifest pre") {
		t.Fatal("step 1's manifests show before it is opened")
	}
	p.Click("#step-1 > summary")
	if !p.Visible("#step-1 .manifest pre") {
		t.Fatal("step 1's manifests do not show once it is opened")
	}
	if got := htmltest.Eval[string](p, `document.querySelector("#step-1 .manifest pre").textContent`); !strings.Contains(got, "name: payments") {
		t.Errorf("step 1's first manifest reads %q", got)
	}
	if !p.Visible("#step-1 .copy") {
		t.Error("the copy button does not show with JavaScript on")
	}

	// Searching a component leaves its rows and lights its node up.
	p.Type("#search", "payments")
	if got := htmltest.Eval[string](p, `document.getElementById("search-count").textContent`); got != "1 component" {
		t.Errorf("search count %q, want 1 component", got)
	}
	rows := htmltest.Eval[int](p, `[...document.querySelectorAll("tr[data-node]")].filter(r => r.checkVisibility()).length`)
	if rows != 1 {
		t.Errorf("%d component rows show after the search, want 1", rows)
	}
	if !htmltest.Eval[bool](p, `document.getElementById("g-c7").classList.contains("hit")`) {
		t.Error("the searched component is not lit up in the drawing")
	}
	if !htmltest.Eval[bool](p, `document.querySelector('#steps li[data-name="payments middleware"]').classList.contains("dimmed") === false`) {
		t.Error("the step that moves payments is dimmed")
	}

	// Filters: one service dims the others' nodes; a tier box hides its edges.
	p.Click("#zoom-in")
	if vb := htmltest.Eval[string](p, `document.querySelector("#components-drawing svg").getAttribute("viewBox")`); strings.HasPrefix(vb, "0.00 0.00") {
		t.Errorf("zooming in left the viewBox at %q", vb)
	}
	p.Click(`.tier-toggle[value="network"]`)
	hidden := htmltest.Eval[int](p, `document.querySelectorAll("#components-drawing g.edge.tier-network.off").length`)
	shown := htmltest.Eval[int](p, `document.querySelectorAll("#components-drawing g.edge.tier-network").length`)
	if hidden == 0 || hidden != shown {
		t.Errorf("%d of %d network edges hidden after unticking network", hidden, shown)
	}
	// payments is in service 1, orders in service 0.
	htmltest.Eval[bool](p, `(s => { s.value = "1"; s.dispatchEvent(new Event("change")); return true })(document.getElementById("svc-filter"))`)
	if dimPayments, dimOrders := htmltest.Eval[bool](p, `document.getElementById("g-c7").classList.contains("dim")`),
		htmltest.Eval[bool](p, `document.getElementById("g-c6").classList.contains("dim")`); dimPayments || !dimOrders {
		t.Errorf("filtering on service payments: payments dimmed %v, orders dimmed %v", dimPayments, dimOrders)
	}
	p.ScreenshotViewport(filepath.Join(t.ArtifactDir(), "report.png"))
	p.Screenshot(filepath.Join(t.ArtifactDir(), "report-full.png"))

	// Printing opens every step, so that the paper copy has them all.
	p.PDF(filepath.Join(t.ArtifactDir(), "report.pdf"))
	if closed := htmltest.Eval[int](p, `document.querySelectorAll("details:not([open])").length`); closed != 0 {
		t.Errorf("%d blocks stay closed when printing", closed)
	}
	if vb := htmltest.Eval[string](p, `document.querySelector("#components-drawing svg").getAttribute("viewBox")`); !strings.HasPrefix(vb, "0 0 ") {
		t.Errorf("printing leaves the drawing zoomed in, viewBox %q", vb)
	}
}

func TestBrowserNoScript(t *testing.T) {
	htmltest.Browser(t)
	path := writeReport(t, render(t, loadPlan(t, "small.plan.json"), smallManifests()))
	p := htmltest.Open(t, path, browserTimeout, htmltest.NoScript)
	for _, sel := range []string{"#search", ".copy", "#graph-controls", "#pair-controls"} {
		if p.Visible(sel) {
			t.Errorf("%s needs JavaScript but shows without it", sel)
		}
	}
	for _, sel := range []string{"#components-drawing svg", ".matrix td.t-process", "#pairs tr[data-tier]", "#step-2 > summary"} {
		if !p.Visible(sel) {
			t.Errorf("%s does not show without JavaScript", sel)
		}
	}
	p.Click("#step-2 > summary")
	if !p.Visible("#step-2 .manifest pre") || !p.Visible("#step-2 .blockers") {
		t.Error("an opened step does not show its manifests and blockers without JavaScript")
	}
}

func TestBrowserEscaping(t *testing.T) {
	htmltest.Browser(t)
	pl, files := hostilePlan(t)
	p := htmltest.Open(t, writeReport(t, render(t, pl, files)), browserTimeout)
	p.Click("#step-1 > summary")
	p.Type("#search", "<script>")
	if got := htmltest.Eval[string](p, `typeof window.pwned`); got != "undefined" {
		t.Errorf("an injected script ran: window.pwned is %s", got)
	}
	if n := htmltest.Eval[int](p, `document.querySelectorAll("img, iframe, object, embed").length`); n != 0 {
		t.Errorf("%d injected elements in the page", n)
	}
	// Failed requests (the payload's <img src=x>) fail the test in Check.
}
