package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/podsplit/podsplit/internal/txtartest"
	"github.com/podsplit/podsplit/manifest"
	"github.com/podsplit/podsplit/report/htmltest"
)

// shopReport runs the whole pipeline on fixtures/shop and writes its report
// into the test's artifact directory.
func shopReport(t *testing.T) string {
	t.Helper()
	a, err := analyze(context.Background(), []string{filepath.Join("..", "..", "fixtures", "shop")}, defaultAnalyzeFlags(), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	data, err := renderReport(context.Background(), a, manifest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	htmltest.CheckMarkup(t, data)
	path := filepath.Join(t.ArtifactDir(), "report.html")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestReportShopBrowser opens the report of fixtures/shop in headless
// Chromium: it must load nothing and log no error (htmltest fails the test
// otherwise), a click on a step must show its manifests, and a search must
// find a component. The screenshot goes to the test's artifact directory
// (go test -artifacts keeps it); with -update it also becomes docs/report.png.
func TestReportShopBrowser(t *testing.T) {
	htmltest.Browser(t)
	p := htmltest.Open(t, shopReport(t), 3*time.Minute)

	// The first step after the monolith that has manifests.
	step := htmltest.Eval[string](p, `([...document.querySelectorAll("details.step")].find(d => d.id !== "step-0" && d.querySelector(".manifest")) || {id: ""}).id`)
	if step == "" {
		t.Fatal("no step of the shop's plan past step 0 has manifests")
	}
	sel := "#" + step
	if p.Visible(sel + " .manifest pre") {
		t.Fatalf("%s shows its manifests before it is opened", step)
	}
	p.Click(sel + " > summary")
	if !p.Visible(sel + " .manifest pre") {
		t.Fatalf("%s does not show its manifests once opened", step)
	}
	// Each file is a block of its own: open the step's first Deployment.
	path := htmltest.Eval[string](p, `([...document.querySelectorAll("`+sel+` .manifest")].find(d => /deployment-[^/]*\.yaml$/.test(d.dataset.path)) || {dataset: {path: ""}}).dataset.path`)
	if path == "" {
		t.Fatalf("%s has no Deployment manifest", step)
	}
	file := `details[data-path="` + path + `"]`
	p.Click(file + " > summary")
	if yaml := htmltest.Eval[string](p, `document.querySelector('`+file+` pre').textContent`); !p.Visible(file+" pre") || !strings.Contains(yaml, "kind: Deployment") {
		t.Errorf("%s does not show once opened: %q", path, yaml)
	}

	p.Type("#search", "orders")
	if got := htmltest.Eval[string](p, `document.getElementById("search-count").textContent`); !strings.HasSuffix(got, "component") && !strings.HasSuffix(got, "components") || strings.HasPrefix(got, "0 ") {
		t.Errorf("searching orders: count %q", got)
	}
	if n := htmltest.Eval[int](p, `document.querySelectorAll("#components-drawing g.node.hit").length`); n == 0 {
		t.Error("searching orders lights no node up in the drawing")
	}
	p.ScreenshotViewport(filepath.Join(t.ArtifactDir(), "report.png"))

	if *update {
		// The README's picture: the drawings, with nothing searched.
		p.Type("#search", "")
		htmltest.Eval[bool](p, `document.activeElement.blur(), document.getElementById("drawings").scrollIntoView(), true`)
		p.ScreenshotViewport(filepath.Join("..", "..", "docs", "report.png"))
	}
}

// TestReportEscaping analyses a module whose routes and strings hold
// <script>, quotes and </svg>, and checks that its report holds no markup
// but its own.
func TestReportEscaping(t *testing.T) {
	ar, err := txtar.ParseFile(filepath.Join("testdata", "report_escaping.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	dir := txtartest.Write(t, ar)
	a, err := analyze(context.Background(), []string{dir}, defaultAnalyzeFlags(), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	data, err := renderReport(context.Background(), a, manifest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	text := htmltest.CheckMarkup(t, data)
	if strings.Contains(string(data), "<script>alert") || strings.Contains(string(data), "<img src=x") {
		t.Error("a hostile string reached the page unescaped")
	}
	// The type error quotes its string, so the report must show it as text.
	// The routes join it once link detection feeds the graph.
	if !strings.Contains(text, `</svg><script>alert("typeerror")</script>`) {
		t.Error("the report does not show the hostile string of the type error as text")
	}
	if p := htmltest.Open(t, writeTemp(t, data), 3*time.Minute); p != nil {
		if got := htmltest.Eval[string](p, `typeof window.pwned`); got != "undefined" {
			t.Errorf("an injected script ran")
		}
	}
}

func writeTemp(t *testing.T, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
