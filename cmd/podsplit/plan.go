package main

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/podsplit/podsplit/plan"
)

func init() {
	addCommand(newPlanCmd)
	scanOutputs = append(scanOutputs, planOutputs)
}

var planFormats = []string{"text", "json", "markdown"}

// planFlags override the clustering settings of podsplit.yaml.
type planFlags struct {
	services   int
	resolution float64
}

func (pf *planFlags) register(fs *pflag.FlagSet) {
	fs.IntVar(&pf.services, "services", 0, "number of services to aim for (overrides clustering.services; 0: let the planner choose)")
	fs.Float64Var(&pf.resolution, "resolution", 0, "resolution of weighted modularity (overrides clustering.resolution; 0: the configured value or 1)")
}

// apply checks the flags and writes those given on the command line into
// the analysis's configuration, before anything is planned.
func (pf *planFlags) apply(cmd *cobra.Command, a *analysis) error {
	fs := cmd.Flags()
	if fs.Changed("services") {
		if pf.services < 0 {
			return usageErr("--services must not be negative")
		}
		a.Config.Cluster.Services = pf.services
	}
	if fs.Changed("resolution") {
		if pf.resolution < 0 {
			return usageErr("--resolution must not be negative")
		}
		a.Config.Cluster.Resolution = pf.resolution
	}
	return nil
}

func newPlanCmd() *cobra.Command {
	var f analyzeFlags
	var pf planFlags
	var format string
	cmd := &cobra.Command{
		Use:   "plan [dir|patterns]",
		Short: "Print the split plan: tier verdicts, target topology and ordered steps",
		Long:  planLong,
		Example: `  podsplit plan ./fixtures/shop
  podsplit plan --format markdown . >> "$GITHUB_STEP_SUMMARY"
  podsplit plan --format json --services 4 --runtime podsplit-runtime .`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !slices.Contains(planFormats, format) {
				return usageErr("unknown format %q (want one of %s)", format, strings.Join(planFormats, ", "))
			}
			a, err := analyze(cmd.Context(), args, f, cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			if err := pf.apply(cmd, a); err != nil {
				return err
			}
			out, err := renderPlan(a.plan(), format)
			if err != nil {
				return err
			}
			_, err = cmd.OutOrStdout().Write(out)
			return err
		},
	}
	f.register(cmd.Flags())
	pf.register(cmd.Flags())
	cmd.Flags().StringVar(&format, "format", "text", "output format: text, json or markdown")
	return cmd
}

// plan returns the plan of the analysed graph under the configuration,
// made once: scan's outputs, the manifests and the report share it.
func (a *analysis) plan() *plan.Plan {
	a.planOnce.Do(func() { a.planned = plan.Make(a.Graph, plan.OptionsFromConfig(a.Config)) })
	return a.planned
}

// renderPlan renders a plan in one format, in memory.
func renderPlan(p *plan.Plan, format string) ([]byte, error) {
	var buf bytes.Buffer
	var err error
	switch format {
	case "json":
		err = plan.WriteJSON(&buf, p)
	case "markdown":
		err = plan.WriteMarkdown(&buf, p)
	default:
		err = plan.WriteText(&buf, p)
	}
	if err != nil {
		return nil, fmt.Errorf("rendering plan: %w", err)
	}
	return buf.Bytes(), nil
}

// planOutputs adds plan.json and plan.md to scan's outputs.
func planOutputs(_ context.Context, a *analysis, out *outputs) error {
	for _, f := range []struct{ name, format string }{{"plan.json", "json"}, {"plan.md", "markdown"}} {
		data, err := renderPlan(a.plan(), f.format)
		if err != nil {
			return err
		}
		out.add(f.name, data)
	}
	return nil
}

const planLong = `Plan analyses a repository and prints how to split it.

For every pair of interacting components it gives a tier with its reasons:
process (shared mutable state, a call cycle, a value that cannot leave the
process, or more traffic than the latency budget allows over IPC), pod
(local IPC, a shared file, or traffic that fits the budget over IPC but not
over the network), or network. It then groups the components into target
services, keeping libraries out (they are linked into each user), and lays
out the road there: step 0 is the monolith as it runs today, then
governance moves to the mesh, pod-tier parts become sidecar containers, and
services are extracted one per step, leaf-first and least risky first. Each
step lists what moves, the call sites to change, the API the moved part
must expose, blockers, the added latency per request and how to roll back.

Formats: text (default), json (schema podsplit.plan/v1) and markdown (for a
pull-request comment or CI job summary). podsplit.yaml can group packages
into components, pin components together or apart, and override the cost
model and the clustering; --services and --resolution override the latter.
See docs/plan.md for the algorithm and docs/metrics.md for the metrics.`
