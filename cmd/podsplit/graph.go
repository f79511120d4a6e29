package main

import (
	"bytes"
	"context"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/podsplit/podsplit/graph"
	"github.com/podsplit/podsplit/report"
)

func init() { addCommand(newGraphCmd) }

var graphFormats = []string{"json", "dot", "svg", "mermaid"}

func newGraphCmd() *cobra.Command {
	var f analyzeFlags
	var format string
	cmd := &cobra.Command{
		Use:   "graph [dir|patterns]",
		Short: "Print the component graph as JSON, DOT, SVG or Mermaid",
		Long:  graphLong,
		Example: `  podsplit graph --format mermaid ./fixtures/shop
  podsplit graph --format dot . | dot -Tpng > graph.png
  podsplit graph --algo cha --format json ./internal/...`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !slices.Contains(graphFormats, format) {
				return usageErr("unknown format %q (want one of %s)", format, strings.Join(graphFormats, ", "))
			}
			res, err := analyze(cmd.Context(), args, f, cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			out, err := renderGraph(cmd.Context(), res.Graph, format)
			if err != nil {
				return err
			}
			_, err = cmd.OutOrStdout().Write(out)
			return err
		},
	}
	f.register(cmd.Flags())
	cmd.Flags().StringVar(&format, "format", "json", "output format: json, dot, svg or mermaid")
	return cmd
}

// renderGraph renders the graph in one format, in memory.
func renderGraph(ctx context.Context, g *graph.Graph, format string) ([]byte, error) {
	var buf bytes.Buffer
	var err error
	switch format {
	case "json":
		err = report.JSON(&buf, g)
	case "dot":
		err = report.DOT(&buf, g)
	case "mermaid":
		err = report.Mermaid(&buf, g)
	case "svg":
		var dot bytes.Buffer
		if err = report.DOT(&dot, g); err == nil {
			err = report.SVG(ctx, &buf, dot.Bytes(), report.GraphLayout(g))
		}
	}
	return buf.Bytes(), err
}
