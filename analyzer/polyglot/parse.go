//go:build cgo

package polyglot

import (
	"bytes"
	"cmp"
	"context"
	_ "embed"
	"errors"
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

// grammars compiles the grammars' queries on first use, once per
// analysis, and shares them between the workers, which only read them: a
// run whose files all come from the cache compiles none.
type grammars struct {
	mu       sync.Mutex
	compiled map[string]*grammar // by name: "python", "java", "javascript", "typescript", "tsx"
	err      error               // the first query that failed to compile
}

// grammarDefs are the grammars by name, with their queries and lowering.
var grammarDefs = map[string]struct {
	lang  func() *ts.Language
	query func() string
	lower func(*lowerer, string, *ts.Node)
}{
	"python":     {func() *ts.Language { return ts.NewLanguage(tspython.Language()) }, func() string { return pythonQuery }, lowerPython},
	"java":       {func() *ts.Language { return ts.NewLanguage(tsjava.Language()) }, func() string { return javaQuery }, lowerJava},
	"javascript": {func() *ts.Language { return ts.NewLanguage(tsjs.Language()) }, func() string { return ecmascriptQuery + javascriptQuery }, lowerJS},
	"typescript": {func() *ts.Language { return ts.NewLanguage(tsts.LanguageTypescript()) }, func() string { return ecmascriptQuery + typescriptQuery }, lowerJS},
	"tsx":        {func() *ts.Language { return ts.NewLanguage(tsts.LanguageTSX()) }, func() string { return ecmascriptQuery + typescriptQuery }, lowerJS},
}

// get returns the grammar called name, compiling its query the first time.
func (gs *grammars) get(name string) (*grammar, error) {
	gs.mu.Lock()
	defer gs.mu.Unlock()
	if g, ok := gs.compiled[name]; ok {
		return g, nil
	}
	d, ok := grammarDefs[name]
	if !ok {
		return nil, fmt.Errorf("no grammar %q", name)
	}
	lang := d.lang()
	q, qerr := ts.NewQuery(lang, d.query())
	if qerr != nil {
		err := fmt.Errorf("compiling %s query: %w", name, qerr)
		if gs.err == nil {
			gs.err = err
		}
		return nil, err
	}
	if gs.compiled == nil {
		gs.compiled = map[string]*grammar{}
	}
	g := &grammar{lang: lang, query: q, names: q.CaptureNames(), lower: d.lower}
	gs.compiled[name] = g
	return g, nil
}

// Close frees the compiled queries.
func (gs *grammars) Close() {
	for _, g := range gs.compiled {
		g.query.Close()
	}
}

// parseAll reads, parses and lowers sources with a pool of workers, one
// parser each, and returns the files in the order of sources. With a
// cache (Options.Cache and Build), a file whose model is cached is decoded
// instead, and the model of a file parsed is stored.
func parseAll(ctx context.Context, sources []source, opts Options) ([]*file, error) {
	gs := &grammars{}
	defer gs.Close()
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	out := make([]*file, len(sources))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, max(len(sources), 1)) {
		wg.Go(func() {
			w := &worker{gs: gs, opts: opts}
			defer w.close()
			for i := range jobs {
				out[i] = w.file(sources[i])
			}
		})
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
	if gs.err != nil {
		return nil, gs.err
	}
	return out, nil
}

// A worker turns sources into files, with a parser made on first need.
type worker struct {
	gs     *grammars
	opts   Options
	parser *ts.Parser
}

func (w *worker) close() {
	if w.parser != nil {
		w.parser.Close()
	}
}

// file reads one source and returns its file: decoded from the cache
// when the cache holds its model, else parsed and stored. A file that
// cannot be read or parsed comes back with ParseError set and whatever
// could be lowered; one that cannot be read is not stored.
func (w *worker) file(s source) *file {
	f := &file{Path: s.Path, Lang: s.Lang, Generated: s.Generated}
	src, err := os.ReadFile(s.Abs)
	if err != nil {
		f.ParseError = fmt.Sprintf("reading: %v", err)
		return f
	}
	useCache := w.opts.Cache != nil && w.opts.Build != ""
	var key string
	if useCache {
		key = fileKey(w.opts.Build, s.Grammar, src)
		if data, ok := w.opts.Cache.Get(key); ok && decodeFile(data, f) == nil {
			return f
		}
	}
	if w.opts.parsed != nil {
		w.opts.parsed(s.Path)
	}
	if err := w.parse(s.Grammar, src, f); err != nil {
		f.ParseError = err.Error()
		return f
	}
	if useCache {
		if data, err := encodeFile(f); err == nil {
			w.opts.Cache.Put(key, data)
		}
	}
	return f
}

// parse parses and lowers src into f. It fails only when the grammar is
// not available; a syntax error sets f.ParseError.
func (w *worker) parse(grammar string, src []byte, f *file) error {
	f.Lines = bytes.Count(src, []byte{'\n'})
	if len(src) > 0 && src[len(src)-1] != '\n' {
		f.Lines++
	}
	g, err := w.gs.get(grammar)
	if err != nil {
		return err
	}
	if w.parser == nil {
		w.parser = ts.NewParser()
	}
	if err := w.parser.SetLanguage(g.lang); err != nil {
		return fmt.Errorf("setting %s grammar: %w", grammar, err)
	}
	tree := w.parser.Parse(src, nil)
	if tree == nil {
		return errors.New("parser returned no tree")
	}
	defer tree.Close()
	root := tree.RootNode()
	if root.HasError() {
		f.ErrorLine = firstError(root)
		f.ParseError = fmt.Sprintf("syntax error at line %d", f.ErrorLine)
	}
	lower(g, root, src, f)
	return nil
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
