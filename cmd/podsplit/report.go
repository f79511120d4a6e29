package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/podsplit/podsplit/manifest"
	"github.com/podsplit/podsplit/report"
)

func init() {
	addCommand(newReportCmd)
	scanOutputs = append(scanOutputs, reportOutputs)
}

func newReportCmd() *cobra.Command {
	var f analyzeFlags
	var pf planFlags
	var mf manifestFlags
	var out string
	cmd := &cobra.Command{
		Use:   "report [dir|patterns]",
		Short: "Write the plan as one self-contained HTML page to review",
		Long:  reportLong,
		Example: `  podsplit report ./fixtures/shop
  podsplit report -o shop.html --runtime podsplit-runtime ./fixtures/shop
  xdg-open podsplit-report.html`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := mf.check(); err != nil {
				return err
			}
			a, err := analyze(cmd.Context(), args, f, cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			if err := pf.apply(cmd, a); err != nil {
				return err
			}
			data, err := renderReport(cmd.Context(), a, mf.options())
			if err != nil {
				return err
			}
			if err := writeFile(out, data); err != nil {
				return err
			}
			_, err = fmt.Fprintf(cmd.OutOrStdout(), "wrote %s (%d KiB): open it in a browser\n", out, (len(data)+1023)/1024)
			return err
		},
	}
	f.register(cmd.Flags())
	pf.register(cmd.Flags())
	mf.register(cmd.Flags())
	cmd.Flags().StringVarP(&out, "out", "o", "podsplit-report.html", "output file")
	return cmd
}

// renderReport draws the analysis's plan and writes its HTML report, with
// the manifests built under opts.
func renderReport(ctx context.Context, a *analysis, opts manifest.Options) ([]byte, error) {
	p := a.plan()
	graphs, err := report.RenderPlanGraphs(ctx, p)
	if err != nil {
		return nil, fmt.Errorf("drawing the plan: %w", err)
	}
	files, err := buildManifests(a, opts)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	note := fmt.Sprintf("podsplit %s, call graph by %s", versionString(), a.Flags.algo)
	if len(a.Flags.runtime) > 0 {
		note += fmt.Sprintf(", with %d runtime inputs", len(a.Flags.runtime))
	}
	if err := report.HTML(&buf, report.HTMLInput{Plan: p, Graphs: graphs, Manifests: files, Diagnostics: a.Graph.Diagnostics, Note: note}); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// reportOutputs adds report.html, with the manifests scan writes, to scan's
// outputs.
func reportOutputs(ctx context.Context, a *analysis, out *outputs) error {
	data, err := renderReport(ctx, a, manifest.Options{})
	if err != nil {
		return err
	}
	out.add("report.html", data)
	return nil
}

// writeFile writes data to path through a temporary file renamed into
// place, so that no reader sees half a report.
func writeFile(path string, data []byte) error {
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("writing report: %w", err)
		}
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return fmt.Errorf("writing report: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("writing report: %w", err)
	}
	return nil
}

const reportLong = `Report analyses a repository, plans its split, and writes the plan as one
HTML page for an architect to review. The page is self-contained: styles,
script and drawings are inline and it loads nothing, so it can be mailed,
attached to a pull request or opened from a CI artefact.

It shows:

  overview      counts, the plan's metrics beside the baselines, diagnostics
  drawings      services, and every component with services as boxes; edges
                coloured by tier (process red, pod blue, network green),
                wider with more calls, dashed when runtime evidence never saw
                them; hover an edge for its reasons and evidence
  matrix        the intimacy matrix: tier and call sites for every pair
  pairs         every interacting pair with its tier, reasons and evidence
  steps         the timeline: per step what moves, the call sites to cut, the
                API to expose, blockers, added latency, the topology before
                and after, and the step's manifests

Search by component name, filter the drawing by service and tier, pan and
zoom it; with JavaScript off everything still reads. scan writes the same
page as report.html.`
