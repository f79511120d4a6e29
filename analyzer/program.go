package analyzer

import (
	"context"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"os"
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
	// registered holds, per SSA package, the named initialisers it
	// registers (see registryRoots).
	registered map[*ssa.Package]map[string][]*ssa.Function
	// unbuilt holds the static calls of the module's packages that did
	// not type-check (and so have no SSA), read from their syntax.
	unbuilt []unbuiltCall
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
	tmp := ""
	defer func() {
		if tmp != "" {
			os.RemoveAll(tmp)
		}
	}()
	local := &goVersion{ctx: ctx, dir: opts.Dir}
	mkTemp := func() (string, error) {
		if tmp == "" {
			var err error
			tmp, err = os.MkdirTemp("", "podsplit-")
			return tmp, err
		}
		return tmp, nil
	}
	for i := range units {
		root := moduleRoot(units[i].dir)
		units[i].readonly = vendorIncomplete(root)
		if exists(filepath.Join(units[i].dir, "go.work")) {
			continue // -modfile does not apply in workspace mode
		}
		if units[i].newer, err = prepareNewerGo(root, mkTemp, local); err != nil {
			return nil, err
		}
	}
	opts.progress("loading packages")
	p := &Program{Root: opts.Dir, opts: opts, generated: map[string]bool{}}
	var st *streamer
	if !opts.Tests && !opts.batch { // one variant per package: each can be built as soon as it is checked
		st = p.newStreamer()
	}
	pkgs, err := loadPackages(ctx, &opts, units, st.send)
	st.wait()
	if err != nil {
		return nil, err
	}
	for _, u := range units {
		if u.newer != nil {
			p.Diagnostics = append(p.Diagnostics, graph.Diagnostic{Pos: p.relPosString(filepath.Join(moduleRoot(u.dir), "go.mod")), Category: "load", Message: u.newer.message()})
		}
		if u.readonly {
			p.Diagnostics = append(p.Diagnostics, graph.Diagnostic{Pos: p.relPosString(filepath.Join(moduleRoot(u.dir), "vendor", "modules.txt")), Category: "load",
				Message: "vendor/modules.txt lists packages vendor/ does not hold (as in a module zip): dependencies were read from the module cache (-mod=readonly)"})
		}
	}
	p.Packages = p.selectPackages(pkgs)
	if len(p.Packages) == 0 {
		return nil, fmt.Errorf("%w: no package of a module under %s", ErrNoMatch, opts.Dir)
	}
	p.Fset = p.Packages[0].Fset
	opts.progress("building SSA")
	if st != nil {
		p.adoptSSA(st)
		return p, nil
	}
	if err := p.buildSSA(ctx); err != nil {
		return nil, err
	}
	return p, nil
}

// A streamer builds SSA for each package of the module as soon as it is
// type-checked, and then drops its type information, which only SSA
// construction reads: the heap never holds the type information of every
// package at once (a third of it at its largest otherwise). Packages
// arrive after their imports; one goroutine creates and builds them in
// that order while the loader checks others.
type streamer struct {
	p       *Program
	ch      chan *packages.Package
	done    chan struct{}
	prog    *ssa.Program
	created map[*types.Package]bool
	built   map[*packages.Package]*ssa.Package
	diags   []graph.Diagnostic
}

func (p *Program) newStreamer() *streamer {
	st := &streamer{p: p, ch: make(chan *packages.Package, 64), done: make(chan struct{}),
		created: map[*types.Package]bool{}, built: map[*packages.Package]*ssa.Package{}}
	go st.run()
	return st
}

// send hands a checked package to the builder; nil-safe.
func (st *streamer) send(pkg *packages.Package) {
	if st != nil {
		st.ch <- pkg
	}
}

// wait returns once every package sent is built; nil-safe.
func (st *streamer) wait() {
	if st != nil {
		close(st.ch)
		<-st.done
	}
}

func (st *streamer) run() {
	defer close(st.done)
	for pkg := range st.ch {
		if !st.p.ownPackage(pkg) || !wellTyped(pkg) {
			continue // selectPackages leaves it out, or SSA does
		}
		if st.prog == nil {
			st.prog = ssa.NewProgram(pkg.Fset, st.p.builderMode())
		}
		st.created[pkg.Types] = true
		sp := st.prog.CreatePackage(pkg.Types, pkg.Syntax, pkg.TypesInfo, true)
		createImports(st.prog, pkg.Types, st.created)
		if d := buildPackage(pkg, sp); d != nil {
			st.diags = append(st.diags, *d)
		} else {
			st.built[pkg] = sp
		}
		pkg.TypesInfo = nil
	}
}

// buildPackage builds one package's SSA bodies, recovering if its partial
// type information makes the builder fail: it then returns the diagnostic.
func buildPackage(pkg *packages.Package, sp *ssa.Package) (diag *graph.Diagnostic) {
	defer func() {
		if r := recover(); r != nil {
			diag = &graph.Diagnostic{Category: "ssa", Message: fmt.Sprintf("%s: building SSA failed: %v", pkg.PkgPath, r)}
		}
	}()
	sp.Build()
	return nil
}

// adoptSSA takes the program the streamer built.
func (p *Program) adoptSSA(st *streamer) {
	p.SSA = st.prog
	if p.SSA == nil {
		p.SSA = ssa.NewProgram(p.Fset, p.builderMode())
	}
	for _, pkg := range p.Packages {
		sp := st.built[pkg]
		p.SSAPackages = append(p.SSAPackages, sp)
		if sp != nil {
			p.noteGenerated(pkg)
		} else if p.ownPackage(pkg) {
			p.unbuilt = append(p.unbuilt, p.unbuiltCalls(pkg)...)
		}
		pkg.TypesInfo = nil
	}
	slices.SortFunc(st.diags, func(a, b graph.Diagnostic) int { return strings.Compare(a.Message, b.Message) })
	p.Diagnostics = append(p.Diagnostics, st.diags...)
}

// builderMode is the SSA builder mode the algorithm needs.
func (p *Program) builderMode() ssa.BuilderMode {
	mode := ssa.BuilderMode(0)
	if p.opts.Algo == "vta" || p.opts.Algo == "rta" {
		mode |= ssa.InstantiateGenerics
	}
	return mode
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
		if !p.ownPackage(pkg) {
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

// ownPackage reports whether a loaded package belongs to a module under
// Root and is no test binary.
func (p *Program) ownPackage(pkg *packages.Package) bool {
	return pkg.Module != nil && !strings.HasSuffix(pkg.PkgPath, ".test") && p.inRoot(pkg.Module.Dir)
}

func (p *Program) inRoot(dir string) bool {
	rel, err := filepath.Rel(p.Root, dir)
	return err == nil && !strings.HasPrefix(rel, "..")
}

// buildSSA creates SSA packages: bodies for the module's well-typed packages,
// types only for everything they import.
func (p *Program) buildSSA(ctx context.Context) error {
	prog := ssa.NewProgram(p.Fset, p.builderMode())
	created := map[*types.Package]bool{}
	for _, pkg := range p.Packages {
		if !wellTyped(pkg) {
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

// wellTyped reports whether SSA can be built from a package: it
// type-checked without errors of its own. A package importing one of the
// module's packages that did not type-check (packages.Package.IllTyped) is
// built too: its own code is sound, and its calls into the broken package
// reach the declarations that did type-check (a main importing one broken
// package would otherwise lose every call it makes). Should the builder
// trip over the broken types, build drops the package with a diagnostic.
func wellTyped(pkg *packages.Package) bool {
	return pkg.Types != nil && len(pkg.Errors) == 0 && len(pkg.TypeErrors) == 0
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
		if d := buildPackage(p.Packages[i], sp); d != nil {
			p.Diagnostics = append(p.Diagnostics, *d)
			p.SSAPackages[i] = nil
		}
	}
}

// noteGenerated records the package's generated files. The files cgo
// writes from a package's own source say "Code generated by cmd/cgo" but
// hold the package's code: only files of the package's source count. Nor
// do the injectors Google's Wire writes (wire_gen.go): they are the
// program's composition, written from the package's own provider sets,
// and their calls of each part's constructor are what the program runs.
func (p *Program) noteGenerated(pkg *packages.Package) {
	for _, f := range pkg.Syntax {
		if tf := p.Fset.File(f.Pos()); tf != nil && ast.IsGenerated(f) && slices.Contains(pkg.GoFiles, tf.Name()) && !wireInjector(f) {
			p.generated[tf.Name()] = true
		}
	}
}

// wireInjector reports whether a generated file is Wire's: its header
// says "Code generated by Wire".
func wireInjector(f *ast.File) bool {
	for _, g := range f.Comments {
		if g.Pos() > f.Package {
			break
		}
		if strings.Contains(g.Text(), "Code generated by Wire.") {
			return true
		}
	}
	return false
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
