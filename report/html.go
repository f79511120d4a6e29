package report

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"

	"github.com/podsplit/podsplit/graph"
	"github.com/podsplit/podsplit/plan"
)

// The HTML report is one self-contained file for an architect to review a
// plan: an overview (counts, metrics beside baselines, diagnostics), the
// drawings of the plan, the intimacy matrix, the pairs with their reasons,
// and the steps as a timeline with their cut call sites, API, blockers,
// added latency, a before/after picture of the topology and their
// manifests.
//
// Everything is inline: styles, the script and the drawings. A
// Content-Security-Policy forbids every fetch and every script but the
// report's own (by hash), so that neither a mistake in the report nor a
// string of the analysed code can make the page load or run anything.
// Everything reads with JavaScript off; the script only adds search,
// filters, pan and zoom, and copy buttons.

//go:embed templates/report.html.tmpl
var templateFS embed.FS

//go:embed assets/report.css
var reportCSS string

//go:embed assets/report.js
var reportJS string

var reportTemplate = template.Must(template.New("report.html.tmpl").Funcs(template.FuncMap{
	"tierClass": tierClass,
	"us":        formatUS,
	"metric":    func(f float64) string { return fmt.Sprintf("%.3f", f) },
}).ParseFS(templateFS, "templates/report.html.tmpl"))

// An HTMLInput is everything the HTML report shows.
type HTMLInput struct {
	Plan *plan.Plan
	// Graphs are the drawings of the plan, from RenderPlanGraphs.
	Graphs PlanGraphs
	// Manifests maps slash-separated relative paths to YAML; files under
	// "steps/NN-slug/" belong to step NN.
	Manifests map[string][]byte
	// Diagnostics are the analysis's, shown with the plan's own.
	Diagnostics []graph.Diagnostic
	// Note says what produced the report, shown in its header. It should
	// hold no time or absolute path if the report is to be reproducible.
	Note string
}

// HTML writes the report as one self-contained HTML page. The output is a
// pure function of the input: the same input gives the same bytes.
func HTML(w io.Writer, in HTMLInput) error {
	if in.Plan == nil {
		return fmt.Errorf("writing html report: no plan")
	}
	v, err := newView(in)
	if err != nil {
		return fmt.Errorf("writing html report: %w", err)
	}
	var buf bytes.Buffer
	if err := reportTemplate.Execute(&buf, v); err != nil {
		return fmt.Errorf("writing html report: %w", err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// contentPolicy allows nothing to be fetched and only the report's own
// script to run.
func contentPolicy() string {
	sum := sha256.Sum256([]byte(reportJS))
	return "default-src 'none'; script-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) +
		"'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
}

// formatUS shows a latency in µs or ms, whichever reads better.
func formatUS(us float64) string {
	switch {
	case us == 0:
		return "0 µs"
	case us >= 1000:
		return fmt.Sprintf("%.1f ms", us/1000)
	case us < 1:
		return fmt.Sprintf("%.2f µs", us)
	}
	return fmt.Sprintf("%.0f µs", us)
}
