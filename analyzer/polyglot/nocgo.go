//go:build !cgo

package polyglot

import (
	"context"

	"github.com/podsplit/podsplit/analyzer/link"
	"github.com/podsplit/podsplit/graph"
)

// Enabled reports whether this build can parse other languages.
const Enabled = false

// Analyze, in a build without cgo, parses nothing: tree-sitter is C. It
// adds one diagnostic, so the user learns that other languages were not
// analysed.
func Analyze(ctx context.Context, root string, g *graph.Graph, opts Options) ([]link.Fact, error) {
	g.AddDiagnostic("", CategoryPolyglot, DisabledMessage)
	return nil, nil
}
