package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/podsplit/podsplit/graph"
)

func init() { addCommand(newScanCmd) }

// outputs collects the files of a scan in memory, so that nothing is written
// unless every output could be produced.
type outputs struct {
	files map[string][]byte // relative path (slash-separated) → content
	owned []string          // directories generated whole: stale files there are removed
}

func (o *outputs) add(name string, data []byte) { o.files[name] = data }

// A scanOutput produces some of scan's files; each output's file registers one.
type scanOutput func(ctx context.Context, a *analysis, out *outputs) error

var scanOutputs = []scanOutput{graphOutputs}

func graphOutputs(ctx context.Context, a *analysis, out *outputs) error {
	for _, format := range []string{"json", "dot", "svg"} {
		data, err := renderGraph(ctx, a.Graph, format)
		if err != nil {
			return fmt.Errorf("rendering graph.%s: %w", format, err)
		}
		out.add("graph."+format, data)
	}
	return nil
}

func newScanCmd() *cobra.Command {
	var f analyzeFlags
	var outDir string
	cmd := &cobra.Command{
		Use:   "scan [dir|patterns]",
		Short: "Analyse a repository and write the graph, plan, manifests and report",
		Long:  scanLong,
		Example: `  podsplit scan ./fixtures/shop
  podsplit scan -o out --runtime podsplit-runtime .
  podsplit scan --algo cha --tests ./...`,
		RunE: func(cmd *cobra.Command, args []string) error {
			a, err := analyze(cmd.Context(), args, f, cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			out, err := produceOutputs(cmd.Context(), a, scanOutputs)
			if err != nil {
				return err
			}
			if err := writeOutputs(outDir, out); err != nil {
				return err
			}
			return printSummary(cmd.OutOrStdout(), a.Graph, outDir, out)
		},
	}
	f.register(cmd.Flags())
	cmd.Flags().StringVarP(&outDir, "out", "o", "podsplit-out", "output directory")
	return cmd
}

// produceOutputs runs the producers at once, each into outputs of its own,
// and merges them in the producers' order; the first producer's error in
// that order wins. They share the analysis read-only: its plan and
// manifests are memoised under its lock, and Graphviz layouts take turns
// (report.layoutSVG).
func produceOutputs(ctx context.Context, a *analysis, producers []scanOutput) (*outputs, error) {
	parts := make([]*outputs, len(producers))
	errs := make([]error, len(producers))
	var wg sync.WaitGroup
	for i, produce := range producers {
		parts[i] = &outputs{files: map[string][]byte{}}
		wg.Go(func() { errs[i] = produce(ctx, a, parts[i]) })
	}
	wg.Wait()
	out := &outputs{files: map[string][]byte{}}
	for i, part := range parts {
		if errs[i] != nil {
			return nil, errs[i]
		}
		for name, data := range part.files {
			out.add(name, data)
		}
		out.owned = append(out.owned, part.owned...)
	}
	return out, nil
}

// writeOutputs writes every file under dir, each through a temporary file
// renamed into place so that no reader sees a half-written file. A file
// whose content is already there is left alone: replacing a file forces
// its data to disk on many file systems (ext4's auto_da_alloc), which made
// a re-run's writing cost five times its first. Under the directories of
// out.owned, which podsplit generates whole, a file this run did not
// produce is left over from an earlier one (a step the plan no longer has)
// and is removed, with the directories it leaves empty.
func writeOutputs(dir string, out *outputs) error {
	made := map[string]bool{}
	for _, name := range sortedNames(out.files) {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, out.files[name]) {
			continue
		}
		if d := filepath.Dir(path); !made[d] {
			if err := os.MkdirAll(d, 0o755); err != nil {
				return fmt.Errorf("writing output: %w", err)
			}
			made[d] = true
		}
		tmp := path + ".tmp"
		if err := os.WriteFile(tmp, out.files[name], 0o644); err != nil {
			return fmt.Errorf("writing output: %w", err)
		}
		if err := os.Rename(tmp, path); err != nil {
			return fmt.Errorf("writing output: %w", err)
		}
	}
	for _, owned := range out.owned {
		if err := prune(dir, owned, out.files); err != nil {
			return fmt.Errorf("removing stale output: %w", err)
		}
	}
	return nil
}

// prune removes the files under dir/owned that are not in keep (paths
// relative to dir, slash-separated), then the directories left empty.
func prune(dir, owned string, keep map[string][]byte) error {
	root := filepath.Join(dir, filepath.FromSlash(owned))
	var dirs []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && path == root {
			return fs.SkipAll
		}
		if err != nil {
			return err
		}
		if d.IsDir() {
			dirs = append(dirs, path)
			return nil
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		if _, ok := keep[filepath.ToSlash(rel)]; !ok {
			return os.Remove(path)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, d := range slices.Backward(dirs) { // deepest first
		if entries, err := os.ReadDir(d); err == nil && len(entries) == 0 {
			if err := os.Remove(d); err != nil {
				return err
			}
		}
	}
	return nil
}

func sortedNames(m map[string][]byte) []string {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	slices.Sort(names)
	return names
}

// printSummary prints the short table scan ends with.
func printSummary(w io.Writer, g *graph.Graph, dir string, out *outputs) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s: %d components, %s, %d diagnostics\n",
		g.Module, len(g.Components), edgeCounts(g), len(g.Diagnostics))
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	langs := languages(g)
	if langs {
		fmt.Fprint(tw, "LANG\t")
	}
	fmt.Fprintln(tw, "COMPONENT\tROLE\tOUT\tIN\tLINKS\tSTATE")
	for _, c := range g.Components {
		outN, inN, links := 0, 0, 0
		for _, e := range g.Edges {
			switch {
			case e.Kind != graph.KindCall && e.Kind != graph.KindState && (e.From == c.ID || e.To == c.ID):
				links++
			case e.From == c.ID:
				outN++
			case e.To == c.ID:
				inN++
			}
		}
		if langs {
			fmt.Fprintf(tw, "%s\t", c.Language)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%s\n", label(c), c.Role, outN, inN, links, strings.Join(c.MutableState, " "))
	}
	tw.Flush()
	if len(g.Stats.Dropped) > 0 {
		var parts []string
		for _, k := range slices.Sorted(mapsKeys(g.Stats.Dropped)) {
			parts = append(parts, fmt.Sprintf("%s %d", k, g.Stats.Dropped[k]))
		}
		fmt.Fprintf(&b, "dropped as noise: %s\n", strings.Join(parts, ", "))
	}
	for i, d := range g.Diagnostics {
		if i == 5 {
			fmt.Fprintf(&b, "… and %d more diagnostics in graph.json\n", len(g.Diagnostics)-5)
			break
		}
		fmt.Fprintf(&b, "%s\n", formatDiag(d))
	}
	fmt.Fprintf(&b, "wrote %s/: %s\n", filepath.ToSlash(dir), strings.Join(topLevel(out), ", "))
	_, err := w.Write(b.Bytes())
	return err
}

// languages reports whether the graph holds more than one language (external
// endpoints have none).
func languages(g *graph.Graph) bool {
	first := ""
	for _, c := range g.Components {
		switch {
		case c.Language == "":
		case first == "":
			first = c.Language
		case c.Language != first:
			return true
		}
	}
	return false
}

func formatDiag(d graph.Diagnostic) string {
	if d.Pos != "" {
		return fmt.Sprintf("%s: %s: %s", d.Pos, d.Category, d.Message)
	}
	return fmt.Sprintf("%s: %s", d.Category, d.Message)
}

// topLevel lists the output's files and directories at the top level.
func topLevel(out *outputs) []string {
	var names []string
	for _, n := range sortedNames(out.files) {
		if i := strings.IndexByte(n, '/'); i >= 0 {
			n = n[:i+1]
		}
		if !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	return names
}

func edgeCounts(g *graph.Graph) string {
	counts := map[string]int{}
	observed := 0
	for _, e := range g.Edges {
		counts[e.Kind]++
		if e.Observed {
			observed++
		}
	}
	var parts []string
	for _, k := range []string{graph.KindCall, graph.KindState, graph.KindIPC, graph.KindRPC, graph.KindData} {
		if counts[k] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[k], k))
		}
	}
	s := fmt.Sprintf("%d edges", len(g.Edges))
	if len(parts) > 0 {
		s += " (" + strings.Join(parts, ", ") + ")"
	}
	if observed > 0 {
		s += fmt.Sprintf(", %d seen at runtime", observed)
	}
	return s
}

func label(c *graph.Component) string {
	if c.Name != "" {
		return c.Name
	}
	return c.ID
}

func mapsKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}
