//go:build cgo

package polyglot

import (
	"context"
	"fmt"
	"slices"

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
	markTooling(g)
	g.Sort()
	return facts, nil
}

// markTooling marks unlinked the components of other languages that are
// development tooling or documentation (graph.DevTooling: a docs site's
// scripts, a test harness in Python), when the scan holds Go code some
// program links: they are not part of what is deployed.
func markTooling(g *graph.Graph) {
	if !slices.ContainsFunc(g.Components, func(c *graph.Component) bool {
		return c.Language == "go" && !c.External && !c.Unlinked
	}) {
		return
	}
	for _, c := range g.Components {
		if c.Language != "go" && !c.External && graph.DevTooling(c.Dir) {
			c.Unlinked = true
		}
	}
}
