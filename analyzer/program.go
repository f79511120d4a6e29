package analyzer

import (
	"context"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/tools/go/packages"
	"golang.org/x/tools/go/ssa"

	"github.com/podsplit/podsplit/graph"
)

// A Program is the loaded repository: its packages, their SSA form, and the
// means to name components and positions.
type Program struct {
	Root    string // absolute repository root
	Fset    *token.FileSet
	Modules []string // module paths, sorted
	// Packages are the module's own packages, loaded from source; with
	// Tests, the test variants replace the plain ones. Their TypesInfo is
	// released once SSA is built.
	Packages []*packages.Package
	SSA      *ssa.Program
	// SSAPackages are the SSA packages of Packages (nil where the package
	// did not type-check).
	SSAPackages []*ssa.Package
	Diagnostics []graph.Diagnostic

	opts      Options
	generated map[string]bool // absolute file name → generated
	funcs     []*ssa.Function // the module's functions with bodies, sorted
}

// Load loads the repository described by opts and builds SSA for its own
// packages. Packages that fail to type-check are reported as diagnostics and
// left out of SSA; the rest is analysed.
func Load(ctx context.Context, opts Options) (*Program, error) {
	if err := opts.check(); err != nil {
		return nil, err
	}
	units, err := loadUnits(opts.Dir, opts.Patterns)
	if err != nil {
		return nil, err
	}
	opts.progress("loading packages")
	pkgs, err := loadPackages(ctx, &opts, units)
	if err != nil {
		return nil, err
	}
	p := &Program{Root: opts.Dir, opts: opts, generated: map[string]bool{}}
	p.Packages = p.selectPackages(pkgs)
	if len(p.Packages) == 0 {
		return nil, fmt.Errorf("%w: no package of a module under %s", ErrNoMatch, opts.Dir)
	}
	p.Fset = p.Packages[0].Fset
	opts.progress("building SSA")
	if err := p.buildSSA(ctx); err != nil {
		return nil, err
	}
	return p, nil
}

func (o *Options) progress(stage string) {
	if o.Progress != nil {
		o.Progress(stage)
	}
}

// selectPackages keeps the packages that belong to a module under Root, with
// one variant per package path (the test variant when tests are included),
// and records load errors as diagnostics.
func (p *Program) selectPackages(pkgs []*packages.Package) []*packages.Package {
	best := map[string]*packages.Package{}
	mods := map[string]bool{}
	for _, pkg := range pkgs {
		if pkg.Module == nil || strings.HasSuffix(pkg.PkgPath, ".test") || !p.inRoot(pkg.Module.Dir) {
			continue
		}
		mods[pkg.Module.Path] = true
		key := pkg.PkgPath
		if cur, ok := best[key]; !ok || len(pkg.CompiledGoFiles) > len(cur.CompiledGoFiles) {
			best[key] = pkg
		}
	}
	var out []*packages.Package
	for _, k := range sortedKeys(best) {
		pkg := best[k]
		out = append(out, pkg)
		for _, e := range pkg.Errors {
			if e.Kind == packages.ListError && len(pkg.TypeErrors) > 0 && strings.HasPrefix(e.Msg, "# ") {
				continue // the compiler's report of the type errors listed below
			}
			p.Diagnostics = append(p.Diagnostics, graph.Diagnostic{
				Pos: p.relPosString(e.Pos), Category: "load", Message: pkg.PkgPath + ": " + e.Msg})
		}
	}
	p.Modules = sortedKeys(mods)
	return out
}

func (p *Program) inRoot(dir string) bool {
	rel, err := filepath.Rel(p.Root, dir)
	return err == nil && !strings.HasPrefix(rel, "..")
}

// buildSSA creates SSA packages: bodies for the module's well-typed packages,
// types only for everything they import.
func (p *Program) buildSSA(ctx context.Context) error {
	mode := ssa.BuilderMode(0)
	if p.opts.Algo == "vta" || p.opts.Algo == "rta" {
		mode |= ssa.InstantiateGenerics
	}
	prog := ssa.NewProgram(p.Fset, mode)
	created := map[*types.Package]bool{}
	for _, pkg := range p.Packages {
		if pkg.Types == nil || pkg.IllTyped || hasTypeErrors(pkg) {
			p.SSAPackages = append(p.SSAPackages, nil)
			continue
		}
		created[pkg.Types] = true
		p.SSAPackages = append(p.SSAPackages, prog.CreatePackage(pkg.Types, pkg.Syntax, pkg.TypesInfo, true))
		p.noteGenerated(pkg)
	}
	for _, pkg := range p.Packages {
		if pkg.Types != nil {
			createImports(prog, pkg.Types, created)
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	p.SSA = prog
	p.build()
	for _, pkg := range p.Packages {
		pkg.TypesInfo = nil // SSA holds what it needs; this is a third of the heap
	}
	return nil
}

func hasTypeErrors(pkg *packages.Package) bool {
	return len(pkg.TypeErrors) > 0
}

// createImports creates types-only SSA packages for the direct imports of
// tp. SSA needs no more: it creates the functions of indirect dependencies
// on demand, and creating every package of the import graph costs time and
// memory in proportion to the whole dependency tree.
func createImports(prog *ssa.Program, tp *types.Package, created map[*types.Package]bool) {
	for _, imp := range tp.Imports() {
		if !created[imp] {
			created[imp] = true
			prog.CreatePackage(imp, nil, nil, true)
		}
	}
}

// build builds the SSA bodies, recovering per package if a package's
// partial type information makes the builder fail.
func (p *Program) build() {
	failed := func() (failed bool) {
		defer func() {
			if r := recover(); r != nil {
				failed = true
			}
		}()
		p.SSA.Build()
		return false
	}()
	if !failed {
		return
	}
	for i, sp := range p.SSAPackages {
		if sp == nil {
			continue
		}
		func() {
			defer func() {
				if r := recover(); r != nil {
					p.Diagnostics = append(p.Diagnostics, graph.Diagnostic{Category: "ssa",
						Message: fmt.Sprintf("%s: building SSA failed: %v", p.Packages[i].PkgPath, r)})
					p.SSAPackages[i] = nil
				}
			}()
			sp.Build()
		}()
	}
}

// noteGenerated records the package's generated files. The files cgo
// writes from a package's own source say "Code generated by cmd/cgo" but
// hold the package's code: only files of the package's source count.
func (p *Program) noteGenerated(pkg *packages.Package) {
	for _, f := range pkg.Syntax {
		if tf := p.Fset.File(f.Pos()); tf != nil && ast.IsGenerated(f) && slices.Contains(pkg.GoFiles, tf.Name()) {
			p.generated[tf.Name()] = true
		}
	}
}

// IsGenerated reports whether the file at pos carries a "Code generated …
// DO NOT EDIT." header.
func (p *Program) IsGenerated(pos token.Pos) bool {
	if !pos.IsValid() {
		return false
	}
	return p.generated[p.Fset.File(pos).Name()]
}

// RelPos returns pos as a repository-relative "file:line" string, or "" when
// pos is not valid.
func (p *Program) RelPos(pos token.Pos) string {
	if !pos.IsValid() {
		return ""
	}
	return p.relPosition(p.Fset.Position(pos))
}

func (p *Program) relPosition(pos token.Position) string {
	return fmt.Sprintf("%s:%d", p.RelFile(pos.Filename), pos.Line)
}

// RelFile returns a file name relative to the repository root, with slashes.
func (p *Program) RelFile(name string) string {
	if rel, err := filepath.Rel(p.Root, name); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return filepath.ToSlash(name)
}

// relPosString converts a go/packages error position ("file:line:col").
func (p *Program) relPosString(pos string) string {
	if pos == "" || pos == "-" {
		return ""
	}
	file, rest, _ := strings.Cut(pos, ":")
	if i := strings.IndexByte(rest, ':'); i >= 0 {
		rest = rest[:i]
	}
	if rest == "" {
		return p.RelFile(file)
	}
	return p.RelFile(file) + ":" + rest
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
