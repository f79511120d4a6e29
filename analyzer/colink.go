package analyzer

import (
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/tools/go/packages"
	"golang.org/x/tools/go/ssa"

	"github.com/podsplit/podsplit/graph"
)

// A linkage records which of the module's binaries link each of its
// packages: the main packages and, with tests, every package's test binary.
// A dynamic call can only reach a function whose package is linked into the
// same binary as the caller's: a value of a type exists only in a program
// that links the type's package. Without this, a test double or a tool's
// implementation of an interface (a fake logger in a test-support package,
// a mock) is a possible callee of every production call through that
// interface, and ties unrelated parts together.
type linkage struct {
	by    map[string][]uint64 // package path → bit set of the binaries linking it
	roots []string            // package path of each binary's root, by bit
	mains bool                // the roots are main packages (no tests)
}

// newLinkage computes the import closure of every root. It has no answer
// (nil) when the analysed packages hold no root: a library module, or a scan
// narrowed to packages without their main packages.
func (p *Program) newLinkage() *linkage {
	byPath := make(map[string]*packages.Package, len(p.Packages))
	for _, pkg := range p.Packages {
		byPath[pkg.PkgPath] = pkg
	}
	var roots []*packages.Package
	if p.opts.Tests {
		roots = p.Packages
	} else {
		roots = p.deployable()
	}
	if len(roots) == 0 {
		return nil
	}
	words := (len(roots) + 63) / 64
	l := &linkage{by: map[string][]uint64{}, mains: !p.opts.Tests}
	for i, root := range roots {
		l.roots = append(l.roots, root.PkgPath)
		stack := []*packages.Package{root}
		seen := map[string]bool{root.PkgPath: true}
		for len(stack) > 0 {
			pkg := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			bits := l.by[pkg.PkgPath]
			if bits == nil {
				bits = make([]uint64, words)
				l.by[pkg.PkgPath] = bits
			}
			bits[i/64] |= 1 << (i % 64)
			for path := range pkg.Imports {
				if imp := byPath[path]; imp != nil && !seen[path] {
					seen[path] = true
					stack = append(stack, imp)
				}
			}
		}
	}
	return l
}

// deployable returns the main packages that build the system's programs:
// all of them but development tooling (graph.DevTooling), judged below
// the directory holding every analysed package (so that a scan of
// ./examples/hotrod/... still has programs). A tool is a
// program too, but none that a deployment runs: code only tools link is
// never deployed, and a tool's implementation of an interface does not
// reach production calls. When every main is tooling (a repository of
// examples), all of them are.
func (p *Program) deployable() []*packages.Package {
	var mains, dirs []string
	var all []*packages.Package
	for _, pkg := range p.Packages {
		d := filepath.ToSlash(p.pkgDir(pkg))
		if d == "" {
			continue
		}
		dirs = append(dirs, d)
		if pkg.Name == "main" {
			mains = append(mains, d)
			all = append(all, pkg)
		}
	}
	base := graph.CommonPrefix(dirs, "/")
	var out []*packages.Package
	for i, d := range mains {
		rel := strings.TrimPrefix(strings.TrimPrefix(d, base), "/")
		if !graph.DevTooling(rel) && !graph.LibraryMain(rel) {
			out = append(out, all[i])
		}
	}
	if len(out) == 0 {
		return all
	}
	return out
}

// markUnlinked marks the Go components none of whose packages a program
// links (graph.Component.Unlinked), and lists the programs linking the
// others (graph.Component.Programs) when the roots are main packages.
func (l *linkage) markUnlinked(g *graph.Graph, componentOf func(path string) string) {
	if l == nil {
		return
	}
	rootIDs := make([]string, len(l.roots)) // the component of each binary's root, by bit
	for i, root := range l.roots {
		rootIDs[i] = componentOf(root)
	}
	for _, c := range g.Components {
		if c.Language != "go" || c.External || len(c.Packages) == 0 {
			continue
		}
		c.Unlinked = !slices.ContainsFunc(c.Packages, func(path string) bool { return l.by[path] != nil })
		if !l.mains {
			continue
		}
		c.Programs = nil
		for _, path := range c.Packages {
			for i, id := range rootIDs {
				if bits := l.by[path]; bits != nil && bits[i/64]&(1<<(i%64)) != 0 && id != "" && !slices.Contains(c.Programs, id) {
					c.Programs = append(c.Programs, id)
				}
			}
		}
		slices.Sort(c.Programs)
	}
}

// runs reports whether some program links the package of fn: code no
// program links (test support, an end-to-end harness) never runs in a
// deployment, and what it writes (a test setting a package's logger)
// makes no variable mutable there. True when there are no programs to
// tell by, or fn has no package.
func (l *linkage) runs(fn *ssa.Function) bool {
	if l == nil {
		return true
	}
	path := funcPkgPath(fn)
	return path == "" || l.by[path] != nil
}

// writtenWith returns whether an access to a global shares it: whether some
// program links both the accessing code and code writing the global
// (mutates; for a set-up function of the global's package, code calling it
// other than from a launcher, see setupCallers). A program that never writes a variable but at start-up holds
// a copy of it per process, as every program linking a logging package
// holds its logger: Loki's promtail sets its global logger in a push
// target, which the server's programs do not link, so the server's
// parts reading that logger share nothing through it. Always true when
// there are no programs to tell by.
func (l *linkage) writtenWith(uses []globalUse, startup func(globalUse) bool, setupCallers map[*ssa.Function][]string) func(globalUse) bool {
	if l == nil {
		return func(globalUse) bool { return true }
	}
	written := map[*ssa.Global][]uint64{}
	for _, u := range uses {
		if !mutates(u, startup) {
			continue
		}
		// A set-up function of the variable's own package writes it where
		// code other than the launchers calls it.
		pkgs := []string{funcPkgPath(u.fn)}
		if callers, ok := setupCallers[u.fn]; ok && funcPkgPath(u.fn) == u.global.Pkg.Pkg.Path() {
			pkgs = callers
		}
		for _, path := range pkgs {
			bits := l.by[path]
			if bits == nil {
				continue
			}
			w := written[u.global]
			if w == nil {
				w = make([]uint64, len(bits))
				written[u.global] = w
			}
			for i := range bits {
				w[i] |= bits[i]
			}
		}
	}
	return func(u globalUse) bool {
		bits := l.by[funcPkgPath(u.fn)]
		if bits == nil {
			return true
		}
		w := written[u.global]
		for i := range w {
			if bits[i]&w[i] != 0 {
				return true
			}
		}
		return false
	}
}

// together reports whether some binary links the packages of both
// functions. It answers true whenever it cannot tell: no roots, a function
// without a package (a synthetic wrapper), or a caller that no binary links
// (test-support code, a package only a narrowed scan reaches).
func (l *linkage) together(caller, callee *ssa.Function) bool {
	if l == nil {
		return true
	}
	a, b := funcPkgPath(caller), funcPkgPath(callee)
	if a == "" || b == "" || a == b {
		return true
	}
	x := l.by[a]
	if x == nil {
		return true
	}
	y := l.by[b]
	for i := range y {
		if x[i]&y[i] != 0 {
			return true
		}
	}
	return false
}

func funcPkgPath(fn *ssa.Function) string {
	if fn.Pkg == nil {
		if o := fn.Origin(); o != nil && o.Pkg != nil {
			return o.Pkg.Pkg.Path()
		}
		return ""
	}
	return fn.Pkg.Pkg.Path()
}

// importedBy answers whether one component imports another, directly or
// through others: a dynamic call into a component the caller's does not
// import runs what the caller was handed, since it cannot name it.
type importedBy struct {
	users map[string][]string // component → components importing it directly
	memo  map[string]map[string]bool
}

func newImportedBy(importers map[string][]string) *importedBy {
	return &importedBy{users: importers, memo: map[string]map[string]bool{}}
}

// imports reports whether component b imports component a, directly or not.
func (ib *importedBy) imports(b, a string) bool {
	all, ok := ib.memo[a]
	if !ok {
		all = map[string]bool{}
		work := []string{a}
		for len(work) > 0 {
			x := work[len(work)-1]
			work = work[:len(work)-1]
			for _, u := range ib.users[x] {
				if !all[u] {
					all[u] = true
					work = append(work, u)
				}
			}
		}
		ib.memo[a] = all
	}
	return all[b]
}
