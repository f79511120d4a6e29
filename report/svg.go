package report

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"github.com/goccy/go-graphviz"
)

// LargeGraph is the node count past which SVG layout switches from dot to
// sfdp: dot's rank assignment grows superlinearly and stalls on thousands of
// nodes, where a force-directed layout stays fast.
const LargeGraph = 300

// SVG renders DOT source to SVG with the embedded Graphviz. nodes is the
// number of nodes, which chooses the layout engine.
func SVG(ctx context.Context, w io.Writer, dot []byte, nodes int) error {
	gv, err := graphviz.New(ctx)
	if err != nil {
		return fmt.Errorf("starting graphviz: %w", err)
	}
	defer gv.Close()
	g, err := graphviz.ParseBytes(dot)
	if err != nil {
		return fmt.Errorf("parsing dot: %w", err)
	}
	if g == nil {
		return fmt.Errorf("parsing dot: no graph")
	}
	defer g.Close()
	if nodes > LargeGraph {
		gv.SetLayout(graphviz.SFDP)
	}
	var buf bytes.Buffer
	if err := gv.Render(ctx, g, graphviz.SVG, &buf); err != nil {
		return fmt.Errorf("rendering svg: %w", err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}
