//go:build cgo

package polyglot

import (
	"bytes"
	"cmp"
	"context"
	_ "embed"
	"fmt"
	"os"
	"runtime"
	"slices"
	"sync"

	ts "github.com/tree-sitter/go-tree-sitter"
	tsjava "github.com/tree-sitter/tree-sitter-java/bindings/go"
	tsjs "github.com/tree-sitter/tree-sitter-javascript/bindings/go"
	tspython "github.com/tree-sitter/tree-sitter-python/bindings/go"
	tsts "github.com/tree-sitter/tree-sitter-typescript/bindings/go"
)

// Enabled reports whether this build can parse other languages.
const Enabled = true

var (
	//go:embed queries/python.scm
	pythonQuery string
	//go:embed queries/java.scm
	javaQuery string
	//go:embed queries/ecmascript.scm
	ecmascriptQuery string
	//go:embed queries/javascript.scm
	javascriptQuery string
	//go:embed queries/typescript.scm
	typescriptQuery string
)

// A grammar is one tree-sitter language with its compiled query and the
// function that lowers the query's captures into a file.
type grammar struct {
	lang  *ts.Language
	query *ts.Query
	names []string // capture names by index
	lower func(l *lowerer, capture string, n *ts.Node)
}

// grammars holds every grammar by name ("python", "java", "javascript",
// "typescript", "tsx"); queries are compiled once per analysis and shared
// by the workers, which only read them.
type grammars map[string]*grammar

// newGrammars compiles the queries of the grammars sources use.
func newGrammars(sources []source) (grammars, error) {
	used := map[string]bool{}
	for _, s := range sources {
		used[s.Grammar] = true
	}
	defs := []struct {
		name  string
		lang  *ts.Language
		query string
		lower func(*lowerer, string, *ts.Node)
	}{
		{"python", ts.NewLanguage(tspython.Language()), pythonQuery, lowerPython},
		{"java", ts.NewLanguage(tsjava.Language()), javaQuery, lowerJava},
		{"javascript", ts.NewLanguage(tsjs.Language()), ecmascriptQuery + javascriptQuery, lowerJS},
		{"typescript", ts.NewLanguage(tsts.LanguageTypescript()), ecmascriptQuery + typescriptQuery, lowerJS},
		{"tsx", ts.NewLanguage(tsts.LanguageTSX()), ecmascriptQuery + typescriptQuery, lowerJS},
	}
	gs := grammars{}
	for _, d := range defs {
		if !used[d.name] {
			continue
		}
		q, qerr := ts.NewQuery(d.lang, d.query)
		if qerr != nil {
			gs.Close()
			return nil, fmt.Errorf("compiling %s query: %w", d.name, qerr)
		}
		gs[d.name] = &grammar{lang: d.lang, query: q, names: q.CaptureNames(), lower: d.lower}
	}
	return gs, nil
}

// Close frees the compiled queries.
func (gs grammars) Close() {
	for _, g := range gs {
		g.query.Close()
	}
}

// parseAll parses sources with a pool of workers, one parser each, and
// returns the files in the order of sources.
func parseAll(ctx context.Context, sources []source, workers int) ([]*file, error) {
	gs, err := newGrammars(sources)
	if err != nil {
		return nil, err
	}
	defer gs.Close()
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	out := make([]*file, len(sources))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, max(len(sources), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := ts.NewParser()
			defer p.Close()
			for i := range jobs {
				out[i] = parseOne(p, gs, sources[i])
			}
		}()
	}
	for i := range sources {
		if ctx.Err() != nil {
			break
		}
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("parsing sources: %w", err)
	}
	return out, nil
}

// parseOne reads, parses and lowers one source. A file that cannot be read
// or parsed comes back with ParseError set and whatever could be lowered.
func parseOne(p *ts.Parser, gs grammars, s source) *file {
	f := &file{Path: s.Path, Lang: s.Lang, Generated: s.Generated}
	src, err := os.ReadFile(s.Abs)
	if err != nil {
		f.ParseError = fmt.Sprintf("reading: %v", err)
		return f
	}
	f.Lines = bytes.Count(src, []byte{'\n'})
	if len(src) > 0 && src[len(src)-1] != '\n' {
		f.Lines++
	}
	g := gs[s.Grammar]
	if err := p.SetLanguage(g.lang); err != nil {
		f.ParseError = fmt.Sprintf("setting %s grammar: %v", s.Grammar, err)
		return f
	}
	tree := p.Parse(src, nil)
	if tree == nil {
		f.ParseError = "parser returned no tree"
		return f
	}
	defer tree.Close()
	root := tree.RootNode()
	if root.HasError() {
		f.ErrorLine = firstError(root)
		f.ParseError = fmt.Sprintf("syntax error at line %d", f.ErrorLine)
	}
	lower(g, root, src, f)
	return f
}

// lower runs g's query over the tree and lowers its captures into f,
// outer nodes first and then in document order: the lowerer keeps a stack
// of the classes and functions it is inside.
func lower(g *grammar, root *ts.Node, src []byte, f *file) {
	qc := ts.NewQueryCursor()
	defer qc.Close()
	var caps []ts.QueryCapture
	matches := qc.Matches(g.query, root, src)
	for m := matches.Next(); m != nil; m = matches.Next() {
		caps = append(caps, m.Captures...)
	}
	slices.SortStableFunc(caps, func(a, b ts.QueryCapture) int {
		return cmp.Or(cmp.Compare(a.Node.StartByte(), b.Node.StartByte()), cmp.Compare(b.Node.EndByte(), a.Node.EndByte()))
	})
	l := &lowerer{src: src, f: f, calls: map[uintptr]*call{}, docs: map[uintptr]bool{}}
	for i := range caps {
		l.at(&caps[i].Node)
		g.lower(l, g.names[caps[i].Index], &caps[i].Node)
	}
}

// firstError returns the line of the first ERROR or MISSING node.
func firstError(n *ts.Node) int {
	for n.HasError() && !n.IsError() && !n.IsMissing() {
		var next *ts.Node
		for i := range n.ChildCount() {
			if c := n.Child(i); c != nil && (c.HasError() || c.IsError() || c.IsMissing()) {
				next = c
				break
			}
		}
		if next == nil {
			break
		}
		n = next
	}
	return int(n.StartPosition().Row) + 1
}
