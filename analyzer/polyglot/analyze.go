//go:build cgo

package polyglot

import (
	"context"
	"fmt"

	"github.com/podsplit/podsplit/analyzer/link"
	"github.com/podsplit/podsplit/graph"
)

// Analyze parses the Python, Java, JavaScript and TypeScript files under
// root and adds to g one component per Python package, Java package and
// JS/TS directory, with call edges (mechanism "import") between those an
// import links, roles, and a diagnostic for every file left out or not
// parsed in full. It returns the link facts found in those files, sorted,
// for link.Match to join with the Go facts. Components already in g are
// left as they are.
func Analyze(ctx context.Context, root string, g *graph.Graph, opts Options) ([]link.Fact, error) {
	t, err := walk(root, opts)
	if err != nil {
		return nil, fmt.Errorf("finding sources: %w", err)
	}
	files, err := parseAll(ctx, t.Sources, opts)
	if err != nil {
		return nil, err
	}
	pkgs, badPkgs := readPackageJSONs(root, t.Packages)
	ix := newIndex(t, files, pkgs)
	ix.resolvePackages(pkgs)
	ix.readProtos(root, t.Protos)
	skipped := append(t.Skipped, badPkgs...)
	for _, s := range skipped {
		g.AddDiagnostic(s.Path, CategorySkipped, s.Reason)
	}
	for _, f := range ix.files {
		if f.ParseError != "" {
			g.AddDiagnostic(fmt.Sprintf("%s:%d", f.Path, max(f.ErrorLine, 1)), CategoryParse,
				fmt.Sprintf("%s file not parsed in full (%s): links from it may be missing", f.Lang, f.ParseError))
		}
	}
	for _, c := range ix.components() {
		if g.Component(c.ID) == nil {
			g.Components = append(g.Components, c)
		}
	}
	ix.addImportEdges(g)
	facts := ix.detectFacts()
	ix.assignRoles(g, facts)
	g.Sort()
	return facts, nil
}
