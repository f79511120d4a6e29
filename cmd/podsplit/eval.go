package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"slices"

	"github.com/spf13/cobra"

	"github.com/podsplit/podsplit/plan"
)

func init() { addCommand(newEvalCmd) }

func newEvalCmd() *cobra.Command {
	var f analyzeFlags
	var pf planFlags
	var truth, format string
	cmd := &cobra.Command{
		Use:   "eval --truth FILE [dir|patterns]",
		Short: "Compare the planned services with a reference decomposition",
		Long:  evalLong,
		Example: `  podsplit eval --truth fixtures/shop/decomposition.tsv ./fixtures/shop
  podsplit eval --truth expert.tsv --services 6 --format json .`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if truth == "" {
				return usageErr("--truth is required")
			}
			if !slices.Contains([]string{"text", "json"}, format) {
				return usageErr("unknown format %q (want text or json)", format)
			}
			data, err := os.ReadFile(truth)
			if err != nil {
				return &exitError{code: exitInput, err: fmt.Errorf("reading reference decomposition: %w", err)}
			}
			if _, err := plan.ParseTruth(bytes.NewReader(data)); err != nil {
				return &exitError{code: exitInput, err: fmt.Errorf("%s: %w", truth, err)}
			}
			a, err := analyze(cmd.Context(), args, f, cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			if err := pf.apply(cmd, a); err != nil {
				return err
			}
			res, err := plan.Evaluate(a.plan(), bytes.NewReader(data))
			if err != nil {
				return &exitError{code: exitInput, err: fmt.Errorf("%s: %w", truth, err)}
			}
			if format == "json" {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(res)
			}
			return plan.WriteEval(cmd.OutOrStdout(), res)
		},
	}
	f.register(cmd.Flags())
	pf.register(cmd.Flags())
	cmd.Flags().StringVar(&truth, "truth", "", "reference decomposition: TSV of package path and service name, \"-\" for a library")
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

const evalLong = `Eval plans the split of a repository as podsplit plan does and compares
the planned services with a reference decomposition: a TSV file with one
line per package, "package path<TAB>service name", where "-" marks a shared
library; lines starting with # are comments.

It prints MoJoFM (Wen and Tzerpos), the adjusted Rand index, pairwise
precision, recall and F1 over packages placed in services, and precision
and recall of the packages marked as libraries. docs/metrics.md defines
them.`
