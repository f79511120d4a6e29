package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/podsplit/podsplit/graph"
)

// Mermaid writes the component graph as a Mermaid flowchart: ids are
// positional (n0, n1, …) so any component name is safe; edges use a link
// style per kind and are listed with linkStyle colours.
func Mermaid(w io.Writer, g *graph.Graph) error {
	var b strings.Builder
	b.WriteString("flowchart LR\n")
	ids := map[string]string{}
	for i, c := range g.Components {
		ids[c.ID] = fmt.Sprintf("n%d", i)
		open, close := "[", "]"
		switch {
		case c.External:
			open, close = "([", "])"
		case c.Role == graph.RoleLibrary:
			open, close = "[/", "/]"
		case c.Role == graph.RoleEntrypoint:
			open, close = "[[", "]]"
		}
		fmt.Fprintf(&b, "  %s%s\"%s\"%s\n", ids[c.ID], open, mermaidText(label(c)), close)
	}
	anyObserved := false
	for _, e := range g.Edges {
		anyObserved = anyObserved || e.Observed
	}
	var styles []string
	for i, e := range g.Edges {
		s := styleOf(e.Kind)
		arrow := s.arrow
		if anyObserved && !e.Observed && arrow == "-->" {
			arrow = "-.->"
		}
		fmt.Fprintf(&b, "  %s %s|\"%s\"| %s\n", ids[e.From], arrow, mermaidText(edgeLabel(e)), ids[e.To])
		dash := ""
		if anyObserved && !e.Observed {
			dash = ",stroke-dasharray:4 3"
		}
		styles = append(styles, fmt.Sprintf("  linkStyle %d stroke:%s%s", i, s.color, dash))
	}
	for _, s := range styles {
		b.WriteString(s + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

var mermaidEscaper = strings.NewReplacer(`"`, "#quot;", "<", "#lt;", ">", "#gt;", "|", "#124;", "\n", " ")

// mermaidText escapes text for a quoted Mermaid label.
func mermaidText(s string) string {
	return mermaidEscaper.Replace(s)
}
