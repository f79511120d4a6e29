package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/podsplit/podsplit/config"
	"github.com/podsplit/podsplit/gate"
	"github.com/podsplit/podsplit/plan"
)

func init() { addCommand(newGateCmd) }

// gateFlags are the flags of podsplit gate.
type gateFlags struct {
	format   string
	baseline string
	update   bool
	writes   []string // "format=file"
}

func newGateCmd() *cobra.Command {
	var f analyzeFlags
	var g gateFlags
	cmd := &cobra.Command{
		Use:   "gate [dir|patterns]",
		Short: "Check the code against the boundaries in podsplit.yaml, for CI",
		Long:  gateLong,
		Example: `  podsplit gate
  podsplit gate --format sarif > podsplit.sarif
  podsplit gate --write sarif=podsplit.sarif --write markdown="$GITHUB_STEP_SUMMARY" --format github
  podsplit gate --update-baseline`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := g.check(); err != nil {
				return err
			}
			a, err := analyze(cmd.Context(), args, f, cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			return runGate(a, g, cmd.OutOrStdout())
		},
	}
	f.register(cmd.Flags())
	fs := cmd.Flags()
	fs.StringVar(&g.format, "format", "text", "output format: "+strings.Join(gate.Formats, ", "))
	fs.StringVar(&g.baseline, "baseline", "", "baseline file (default: podsplit.baseline.json beside the configuration)")
	fs.BoolVar(&g.update, "update-baseline", false, "accept every current violation: rewrite the baseline and pass")
	fs.StringArrayVar(&g.writes, "write", nil, "also write the report as `format=file` (repeatable)")
	return cmd
}

func (g gateFlags) check() error {
	if !slices.Contains(gate.Formats, g.format) {
		return usageErr("--format must be one of %s, got %q", strings.Join(gate.Formats, ", "), g.format)
	}
	for _, w := range g.writes {
		format, file, ok := strings.Cut(w, "=")
		if !ok || file == "" || !slices.Contains(gate.Formats, format) {
			return usageErr("--write wants format=file with a format among %s, got %q", strings.Join(gate.Formats, ", "), w)
		}
	}
	return nil
}

// runGate checks an analysis against its configuration and baseline,
// prints the report, and returns an exitViolations error when it fails.
func runGate(a *analysis, g gateFlags, stdout io.Writer) error {
	if a.Config.Path == "" {
		return usageErr("no %s at %s and no --config: %w", config.FileName, a.Root, gate.ErrNoServices)
	}
	basePath := gate.BaselinePath(a.Config, g.baseline)
	base, existed, err := gate.LoadBaseline(basePath)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	in := gate.Input{Graph: a.Graph, Sites: a.Sites, Plan: gatePlan(a)}
	r, err := gate.Evaluate(in, a.Config, base)
	if errors.Is(err, gate.ErrNoServices) {
		return &exitError{code: exitUsage, err: fmt.Errorf("%s: %w", a.Config.Path, err)}
	} else if err != nil {
		return err
	}
	r.Prefix = gate.RepoPrefix(a.Root)
	r.Config, r.Baseline = gateRel(a.Root, a.Config.Path), gateRel(a.Root, basePath)
	if !existed && !g.update {
		r.Result.Notes = append(r.Result.Notes, fmt.Sprintf("no baseline at %s: every violation is new", r.Baseline))
	}
	if g.update {
		return updateBaseline(r, basePath, stdout)
	}
	if err := writeReports(r, g, stdout); err != nil {
		return err
	}
	if !r.Passed() {
		return &exitError{code: exitViolations, err: fmt.Errorf("gate failed: %s", r.Summary())}
	}
	return nil
}

// gatePlan is the plan the tier-ceiling and max-cut-sites rules read, made
// as podsplit plan makes it.
func gatePlan(a *analysis) *plan.Plan {
	return plan.Make(a.Graph, plan.OptionsFromConfig(a.Config))
}

func updateBaseline(r *gate.Report, path string, stdout io.Writer) error {
	if err := gate.NewBaseline(r.Result.Violations).Save(path); err != nil {
		return err
	}
	_, err := fmt.Fprintf(stdout, "wrote %s: %d violations accepted (%d new, %d dropped as fixed)\n",
		r.Baseline, len(r.Result.Violations), len(r.Diff.New), len(r.Diff.Fixed))
	return err
}

// writeReports prints the report in the main format and writes the extra
// ones; every file is complete before it replaces what was there.
func writeReports(r *gate.Report, g gateFlags, stdout io.Writer) error {
	for _, w := range g.writes {
		format, file, _ := strings.Cut(w, "=")
		if err := writeReportFile(file, format, r); err != nil {
			return err
		}
	}
	return gate.Write(stdout, g.format, r)
}

func writeReportFile(path, format string, r *gate.Report) error {
	var b strings.Builder
	if err := gate.Write(&b, format, r); err != nil {
		return err
	}
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("writing %s: %w", path, err)
		}
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// gateRel names path relative to root, with slashes, when it lies inside.
func gateRel(root, path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return filepath.ToSlash(path)
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil || strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(path)
	}
	return filepath.ToSlash(rel)
}

const gateLong = `Gate checks the code against the target boundaries declared in podsplit.yaml
(services, libraries, tier ceilings and rules; see docs/ci.md) and fails only on
violations that are not in the baseline.

Rules: cross-service-call, shared-state, service-cycle, tier-ceiling, max-icp,
max-cut-sites. Each violation has a fingerprint without line numbers, so moving
code does not make an accepted violation new. The baseline is
podsplit.baseline.json beside the configuration, the configuration's baseline
key, or --baseline; --update-baseline rewrites it with every current violation.
Baseline entries no longer found are reported as fixed, so that the baseline
only shrinks.

Formats: text ("file:line: rule: message", the default), sarif (SARIF 2.1.0 for
GitHub code scanning), github (workflow command annotations), markdown (a job
summary) and codequality (GitLab Code Quality). --write format=file writes more
formats from the same run. Positions are relative to the repository root (the
nearest parent holding .git).

Exit codes: 0 no new violations, 1 new violations, 2 usage or configuration
error (including a missing podsplit.yaml or a malformed baseline), 3 analysis
failure, 4 bad input (missing directory, no Go module).`
