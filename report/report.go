// Package report writes podsplit's results in the formats people and tools
// read: JSON (the machine-readable contract), DOT and SVG (Graphviz),
// Mermaid, Markdown and HTML. Every writer is a pure function of the value it
// is given; none reads flags or the file system.
package report

import (
	"strings"

	"github.com/podsplit/podsplit/graph"
)

// edgeStyle is how an edge kind is drawn.
type edgeStyle struct {
	color string
	style string // DOT style
	arrow string // Mermaid link
}

var kindStyles = map[string]edgeStyle{
	graph.KindCall:  {color: "#4a5568", style: "solid", arrow: "-->"},
	graph.KindState: {color: "#c53030", style: "bold", arrow: "==>"},
	graph.KindIPC:   {color: "#2b6cb0", style: "solid", arrow: "-.->"},
	graph.KindRPC:   {color: "#2f855a", style: "solid", arrow: "-.->"},
	graph.KindData:  {color: "#b7791f", style: "solid", arrow: "-.-"},
}

func styleOf(kind string) edgeStyle {
	if s, ok := kindStyles[kind]; ok {
		return s
	}
	return edgeStyle{color: "#718096", style: "solid", arrow: "-->"}
}

// label is the short name shown for a component.
func label(c *graph.Component) string {
	if c.Name != "" {
		return c.Name
	}
	return c.ID
}

// edgeLabel summarises an edge: its kind or mechanism, the static site count
// and, when observed, the runtime count.
func edgeLabel(e *graph.Edge) string {
	var b strings.Builder
	switch e.Kind {
	case graph.KindCall:
		b.WriteString("calls")
	case graph.KindState:
		b.WriteString("state")
	default:
		b.WriteString(e.Mechanism)
		if e.Key != "" {
			b.WriteString(" " + e.Key)
		}
	}
	if e.Static > 0 {
		b.WriteString(" ×" + itoa(int64(e.Static)))
	}
	if e.Observed {
		b.WriteString(" (run " + itoa(e.Runtime) + ")")
	}
	return b.String()
}
