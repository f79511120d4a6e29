package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/podsplit/podsplit/graph"
)

// MaxLabelledEdges is the edge count past which edges carry no label (their
// tooltip keeps the details): Graphviz lays out each label as a node of its
// own, and on a 500-package monolith labels make layout 40 times slower.
const MaxLabelledEdges = 200

// DOT writes the component graph in Graphviz DOT. Components are boxes
// (libraries as notes, entrypoints as double boxes, external endpoints as
// ellipses); edges are coloured by kind, and dashed when only known
// statically while other edges were observed at runtime.
func DOT(w io.Writer, g *graph.Graph) error {
	var b strings.Builder
	b.WriteString("digraph podsplit {\n")
	fmt.Fprintf(&b, "  graph [fontname=\"Helvetica\", %s];\n", GraphLayout(g).Attrs)
	b.WriteString("  node [shape=box, style=\"rounded,filled\", fillcolor=\"#f7fafc\", fontname=\"Helvetica\", fontsize=11];\n")
	b.WriteString("  edge [fontname=\"Helvetica\", fontsize=9];\n")
	for _, c := range g.Components {
		fmt.Fprintf(&b, "  %s [label=%s, shape=%s, fillcolor=%q, tooltip=%s];\n",
			quote(c.ID), quote(label(c)), shapeOf(c), fillOf(c), quote(c.ID+" ("+c.Role+")"))
	}
	anyObserved := false
	for _, e := range g.Edges {
		anyObserved = anyObserved || e.Observed
	}
	labels := len(g.Edges) <= MaxLabelledEdges
	for _, e := range g.Edges {
		s := styleOf(e.Kind)
		style := s.style
		if anyObserved && !e.Observed {
			style = "dashed"
		}
		label := ""
		if labels {
			label = "label=" + quote(edgeLabel(e)) + ", "
		}
		fmt.Fprintf(&b, "  %s -> %s [%scolor=%q, fontcolor=%q, style=%s, penwidth=%.1f, tooltip=%s];\n",
			quote(e.From), quote(e.To), label, s.color, s.color, style, penwidth(e), quote(tooltip(e)))
	}
	b.WriteString("}\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// GraphLayout is the layout of the component graph's drawing (see
// LayoutFor).
func GraphLayout(g *graph.Graph) Layout { return LayoutFor(len(g.Components), len(g.Edges)) }

func shapeOf(c *graph.Component) string {
	switch {
	case c.External:
		return "ellipse"
	case c.Role == graph.RoleLibrary:
		return "note"
	case c.Role == graph.RoleEntrypoint:
		return "box3d"
	}
	return "box"
}

func fillOf(c *graph.Component) string {
	switch c.Role {
	case graph.RoleLibrary:
		return "#edf2f7"
	case graph.RoleEntrypoint:
		return "#ebf8ff"
	case graph.RoleGovernance:
		return "#faf5ff"
	case graph.RoleExternal:
		return "#fffaf0"
	}
	return "#f7fafc"
}

// penwidth grows with the number of sites, logarithmically.
func penwidth(e *graph.Edge) float64 {
	w := 1.0
	for n := e.Static; n > 1 && w < 5; n /= 3 {
		w += 0.7
	}
	return w
}

func tooltip(e *graph.Edge) string {
	var lines []string
	for _, ev := range e.Evidence {
		lines = append(lines, ev.Pos+" "+ev.Detail)
		if len(lines) == 5 {
			break
		}
	}
	if e.EvidenceTotal > len(lines) {
		lines = append(lines, fmt.Sprintf("… %d in all", e.EvidenceTotal))
	}
	return strings.Join(lines, "\n")
}

// dotEscaper escapes a DOT string's backslashes, quotes and newlines; built
// once (a Replacer builds its lookup table on first use).
var dotEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)

// quote makes a DOT double-quoted string.
func quote(s string) string {
	return `"` + dotEscaper.Replace(s) + `"`
}
