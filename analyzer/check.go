package analyzer

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"go/types"
	"maps"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"

	"golang.org/x/tools/go/packages"
)

// A checkMode says how much of a package the loader builds.
type checkMode int

const (
	// modeAPI type-checks the package's declarations without function
	// bodies and keeps no syntax: enough to import it.
	modeAPI checkMode = iota
	// modeFull keeps syntax and full type information, for SSA bodies.
	modeFull
)

// A node is one listed package in the loader's import graph.
type node struct {
	lp      *listed
	mode    checkMode
	imports map[string]*node // by ID
	cyclic  map[string]bool  // imports that close an import cycle
	users   []*node
	waiting int // imports not loaded yet
	pkg     *packages.Package
	// importErr is returned to importers of a package go list could not
	// find or read at all.
	importErr error
	// key addresses the package's export data in the types cache; "" when
	// the package is not cached (see keyOf).
	key string
	src map[string][]byte // file contents read while computing key
}

// A checker type-checks the packages of one go list invocation in
// dependency order, as many at once as there are processors: the
// analysed packages in full, everything else for its API only, from the
// types cache when an entry is there.
type checker struct {
	ctx   context.Context
	fset  *token.FileSet
	sizes types.Sizes
	env   *goEnvInfo
	cache TypesCache

	mu     sync.Mutex                // guards byPath and reads of export data
	byPath map[string]*types.Package // cached-eligible packages loaded so far
	// loaded, if set, receives every package checked in full, after its
	// imports and before any package importing it.
	loaded func(*packages.Package)
}

// newGraph builds the nodes of the listed packages, marking the selected
// ones for full checking, and breaks import cycles (go list has already
// reported them as errors) so that the order of loading is a DAG.
func newGraph(listedPkgs []*listed, full func(*listed) bool) []*node {
	byID := make(map[string]*node, len(listedPkgs))
	nodes := make([]*node, 0, len(listedPkgs))
	for _, lp := range listedPkgs {
		n := &node{lp: lp, imports: map[string]*node{}}
		if full(lp) {
			n.mode = modeFull
		}
		if lp.Error != nil && len(lp.CompiledGoFiles) == 0 {
			n.importErr = errors.New(strings.TrimSpace(lp.Error.Err))
		}
		byID[lp.ID] = n
		nodes = append(nodes, n)
	}
	for _, n := range nodes {
		for _, id := range n.lp.Imports {
			if dep := byID[id]; dep != nil && dep != n {
				n.imports[id] = dep
			}
		}
	}
	breakCycles(nodes)
	for _, n := range nodes {
		for id, dep := range n.imports {
			if !n.cyclic[id] {
				n.waiting++
				dep.users = append(dep.users, n)
			}
		}
	}
	return nodes
}

// breakCycles marks the imports that close a cycle, visiting in ID order so
// the choice is deterministic.
func breakCycles(nodes []*node) {
	const (
		white = iota
		grey
		black
	)
	color := map[*node]int{}
	var visit func(n *node)
	visit = func(n *node) {
		color[n] = grey
		for _, id := range slices.Sorted(maps.Keys(n.imports)) {
			switch dep := n.imports[id]; color[dep] {
			case white:
				visit(dep)
			case grey:
				if n.cyclic == nil {
					n.cyclic = map[string]bool{}
				}
				n.cyclic[id] = true
			}
		}
		color[n] = black
	}
	for _, n := range nodes {
		if color[n] == white {
			visit(n)
		}
	}
}

// run loads every node, each after its imports.
func (c *checker) run(nodes []*node) {
	if len(nodes) == 0 {
		return
	}
	ready := make(chan *node, len(nodes))
	for _, n := range nodes {
		if n.waiting == 0 {
			ready <- n
		}
	}
	var mu sync.Mutex
	remaining := len(nodes)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(nodes)) {
		wg.Go(func() {
			for n := range ready {
				c.load(n)
				if c.loaded != nil && n.mode == modeFull {
					c.loaded(n.pkg)
				}
				mu.Lock()
				for _, u := range n.users {
					if u.waiting--; u.waiting == 0 {
						ready <- u
					}
				}
				if remaining--; remaining == 0 {
					close(ready)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
}

// load type-checks one package: from the types cache when it holds the
// package's export data, else from source.
func (c *checker) load(n *node) {
	n.pkg = c.newPackage(n)
	if n.pkg.PkgPath == "unsafe" {
		n.pkg.Types = types.Unsafe
		if c.cache != nil {
			n.key = "unsafe" // built into the type checker: nothing to hash
		}
		return
	}
	if c.ctx.Err() != nil {
		return
	}
	c.keyOf(n)
	if c.readCached(n) {
		n.src = nil
		return
	}
	c.check(n, c.parse(n))
	c.writeCached(n)
}

// newPackage describes n as go/packages would, with its imports loaded.
func (c *checker) newPackage(n *node) *packages.Package {
	lp := n.lp
	pkg := &packages.Package{
		ID: lp.ID, Name: lp.Name, PkgPath: lp.PkgPath(), GoFiles: lp.GoFiles, CompiledGoFiles: lp.CompiledGoFiles,
		Module: lp.Module, ForTest: lp.ForTest, Fset: c.fset, TypesSizes: c.sizes,
		Errors: lp.listErrors(), Imports: map[string]*packages.Package{},
	}
	for path, id := range importPaths(lp) {
		if dep := n.imports[id]; dep != nil && !n.cyclic[id] {
			pkg.Imports[path] = dep.pkg
		}
	}
	return pkg
}

// check type-checks n's files: declarations only in modeAPI, everything
// with full type information in modeFull.
func (c *checker) check(n *node, files []*ast.File) {
	lp, pkg := n.lp, n.pkg
	pkg.Types = types.NewPackage(pkg.PkgPath, lp.Name)
	cfg := &types.Config{
		Importer:         importerFunc(n.importPkg),
		Sizes:            c.sizes,
		IgnoreFuncBodies: n.mode == modeAPI,
		// A dependency that uses cgo is checked from its cgo source, with
		// references to C left untyped: its API rarely mentions C types,
		// and nothing is built from its bodies.
		FakeImportC: lp.cgo,
		Error: func(err error) {
			if terr, ok := err.(types.Error); ok {
				pkg.TypeErrors = append(pkg.TypeErrors, terr)
			}
		},
	}
	if lp.Module != nil && lp.Module.GoVersion != "" {
		cfg.GoVersion = "go" + lp.Module.GoVersion
	}
	var info *types.Info
	if n.mode == modeFull {
		info = newTypesInfo()
		pkg.Syntax, pkg.TypesInfo = files, info
	}
	err := types.NewChecker(cfg, c.fset, pkg.Types, info).Files(files)
	for _, e := range pkg.TypeErrors {
		pkg.Errors = append(pkg.Errors, packages.Error{Pos: e.Fset.Position(e.Pos).String(), Msg: e.Msg, Kind: packages.TypeError})
	}
	if err != nil && len(pkg.TypeErrors) == 0 { // an error the checker did not report, such as a too new Go version
		pkg.Errors = append(pkg.Errors, packages.Error{Pos: "-", Msg: err.Error(), Kind: packages.UnknownError})
	}
	pkg.IllTyped = len(pkg.Errors) > 0 || n.brokenImport()
}

// importPaths maps each import path as written in lp's files to the ID of
// the package it denotes.
func importPaths(lp *listed) map[string]string {
	out := make(map[string]string, len(lp.Imports))
	mapped := map[string]bool{}
	for path, id := range lp.ImportMap {
		out[path] = id
		mapped[id] = true
	}
	for _, id := range lp.Imports {
		if !mapped[id] && id != "C" {
			out[id] = id
		}
	}
	return out
}

// brokenImport reports whether a package of the analysed modules that n
// imports did not type-check: n's own analysis would rest on broken types.
func (n *node) brokenImport() bool {
	for _, dep := range n.imports {
		if dep.pkg != nil && dep.pkg.IllTyped && dep.lp.Module != nil && dep.lp.Module.Main {
			return true
		}
	}
	return false
}

func (n *node) importPkg(path string) (*types.Package, error) {
	if path == "unsafe" {
		return types.Unsafe, nil
	}
	id := n.lp.resolve(path)
	dep := n.imports[id]
	switch {
	case dep == nil:
		return nil, fmt.Errorf("no metadata for %s", path)
	case n.cyclic[id]:
		return nil, errors.New("import cycle not allowed")
	case dep.importErr != nil:
		return nil, dep.importErr
	case dep.pkg == nil || dep.pkg.Types == nil:
		return nil, fmt.Errorf("%s was not loaded", path)
	}
	return dep.pkg.Types, nil
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

// parse reads and parses the package's files. Packages checked for their
// API only are parsed without comments, which nothing reads there.
func (c *checker) parse(n *node) []*ast.File {
	mode := parser.AllErrors | parser.SkipObjectResolution
	if n.mode == modeFull {
		mode |= parser.ParseComments
	}
	pkg := n.pkg
	var files []*ast.File
	for _, name := range pkg.CompiledGoFiles {
		src, ok := n.src[name]
		if !ok {
			var err error
			if src, err = os.ReadFile(name); err != nil {
				pkg.Errors = append(pkg.Errors, packages.Error{Pos: name + ":1", Msg: err.Error(), Kind: packages.ParseError})
				continue
			}
		}
		f, err := parser.ParseFile(c.fset, name, src, mode)
		var list scanner.ErrorList
		if errors.As(err, &list) {
			for _, e := range list {
				pkg.Errors = append(pkg.Errors, packages.Error{Pos: e.Pos.String(), Msg: e.Msg, Kind: packages.ParseError})
			}
		}
		if f != nil {
			files = append(files, f)
		}
	}
	n.src = nil
	return files
}

func newTypesInfo() *types.Info {
	return &types.Info{
		Types:        map[ast.Expr]types.TypeAndValue{},
		Defs:         map[*ast.Ident]types.Object{},
		Uses:         map[*ast.Ident]types.Object{},
		Implicits:    map[ast.Node]types.Object{},
		Instances:    map[*ast.Ident]types.Instance{},
		Scopes:       map[ast.Node]*types.Scope{},
		Selections:   map[*ast.SelectorExpr]*types.Selection{},
		FileVersions: map[*ast.File]string{},
	}
}
