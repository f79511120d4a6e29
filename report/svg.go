package report

import (
	"context"
	"io"
)

// SVG renders DOT source to SVG with the embedded Graphviz, laid out by the
// engine of l (see LayoutFor; DOT writes the attributes of the same layout
// into the source).
func SVG(ctx context.Context, w io.Writer, dot []byte, l Layout) error {
	svg, err := layoutSVG(ctx, dot, l.Engine)
	if err != nil {
		return err
	}
	_, err = w.Write(svg)
	return err
}
