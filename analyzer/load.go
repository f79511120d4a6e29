// Package analyzer turns a Go repository into a component graph.
//
// It loads the repository's own packages from source (syntax and types) and
// only the declarations of their dependencies (type-checked from source
// without function bodies, or read from a cache of their types), builds
// SSA bodies for the module's functions alone, resolves call sites with one
// of the call-graph algorithms of golang.org/x/tools/go/callgraph, and
// aggregates function-level facts (calls, package-level state access) into
// component-level edges of a graph.Graph. It never runs the analysed code:
// the go command it invokes is pinned to the local toolchain and no
// generators or build scripts run.
package analyzer

import (
	"context"
	"errors"
	"fmt"
	"go/token"
	"go/types"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/tools/go/packages"
)

// Errors of bad input, told apart by the CLI to pick exit codes.
var (
	ErrNoDir     = errors.New("no such directory")
	ErrNoModule  = errors.New("no Go module")
	ErrNoMatch   = errors.New("patterns matched no packages")
	ErrBadOption = errors.New("bad option")
)

// Options controls loading and extraction.
type Options struct {
	// Dir is the repository root: a module, a go.work workspace, or a
	// directory holding modules side by side.
	Dir string
	// Patterns narrow the packages analysed (go list patterns, relative to
	// Dir); empty means every package of every module under Dir.
	Patterns []string
	Tags     []string
	// Tests includes _test.go files.
	Tests bool
	// Algo is the call-graph algorithm: static, cha, rta or vta.
	Algo string
	// MaxFanout bounds the callees of one dynamic call site; sites with
	// more are reported instead of fanned out. Zero means 16.
	MaxFanout int
	// Group maps a package path of a module to its component id ("" for
	// the package's own); nil means one component per package.
	Group func(module, pkgPath string) string
	// Progress, if set, is told the name of each long stage as it starts.
	Progress func(stage string)
	// Types, if set, keeps the types of dependency packages between runs.
	Types TypesCache

	// batch builds SSA after every package is loaded rather than each as
	// it is checked (see streamer): what Tests does, and what tests compare
	// the streamed build with.
	batch bool
}

// A loadUnit is one invocation of the go command: a directory and patterns.
type loadUnit struct {
	dir      string
	patterns []string
	// readonly says the module's vendor/ lists packages it does not
	// hold, so listing reads the module cache (see vendorIncomplete).
	readonly bool
	// newer is set when go.mod asks for a later release of the local Go's
	// language version: listing reads a copy of go.mod (see newerGo).
	newer *newerGo
}

// Algorithms lists the call-graph algorithms Load accepts.
var Algorithms = []string{"static", "cha", "rta", "vta"}

func (o *Options) check() error {
	if o.Algo == "" {
		o.Algo = "vta"
	}
	if !slices.Contains(Algorithms, o.Algo) {
		return fmt.Errorf("%w: unknown algorithm %q (want one of %s)", ErrBadOption, o.Algo, strings.Join(Algorithms, ", "))
	}
	if o.MaxFanout <= 0 {
		o.MaxFanout = 16
	}
	abs, err := filepath.Abs(o.Dir)
	if err != nil {
		return fmt.Errorf("%w: %s", ErrNoDir, o.Dir)
	}
	st, err := os.Stat(abs)
	if err != nil || !st.IsDir() {
		return fmt.Errorf("%w: %s", ErrNoDir, o.Dir)
	}
	o.Dir = abs
	return nil
}

// loadUnits finds the go command invocations that cover Dir.
func loadUnits(dir string, patterns []string) ([]loadUnit, error) {
	if len(patterns) == 0 {
		patterns = []string{"./..."}
	}
	if exists(filepath.Join(dir, "go.work")) {
		return workspaceUnits(dir, patterns)
	}
	if exists(filepath.Join(dir, "go.mod")) {
		return []loadUnit{{dir: dir, patterns: patterns}}, nil
	}
	mods, err := findModules(dir)
	if err != nil {
		return nil, err
	}
	if len(mods) == 0 {
		return nil, fmt.Errorf("%w in %s (no go.mod or go.work found)", ErrNoModule, dir)
	}
	var units []loadUnit
	for _, m := range mods {
		units = append(units, loadUnit{dir: m, patterns: patterns})
	}
	return units, nil
}

// workspaceUnits loads a go.work workspace in one invocation, with the
// default pattern widened to every used module.
func workspaceUnits(dir string, patterns []string) ([]loadUnit, error) {
	if !(len(patterns) == 1 && patterns[0] == "./...") {
		return []loadUnit{{dir: dir, patterns: patterns}}, nil
	}
	path := filepath.Join(dir, "go.work")
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading go.work: %w", err)
	}
	wf, err := modfile.ParseWork(path, data, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: parsing go.work: %v", ErrNoModule, err)
	}
	var pats []string
	for _, u := range wf.Use {
		pats = append(pats, "./"+filepath.ToSlash(filepath.Clean(u.Path))+"/...")
	}
	slices.Sort(pats)
	if len(pats) == 0 {
		return nil, fmt.Errorf("%w: go.work uses no modules", ErrNoModule)
	}
	return []loadUnit{{dir: dir, patterns: pats}}, nil
}

// findModules lists the directories below dir that hold a go.mod, skipping
// vendored, hidden and testdata trees.
func findModules(dir string) ([]string, error) {
	var mods []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // unreadable subtrees are skipped, not fatal
		}
		if d.IsDir() && path != dir && skipDir(d.Name()) {
			return filepath.SkipDir
		}
		if !d.IsDir() && d.Name() == "go.mod" {
			mods = append(mods, filepath.Dir(path))
		}
		return nil
	})
	slices.Sort(mods)
	return mods, err
}

func skipDir(name string) bool {
	switch name {
	case "vendor", "testdata", "node_modules":
		return true
	}
	return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// GoEnviron returns the environment podsplit runs the go command in, so
// that callers asking the go command about a repository see what loading
// sees.
func GoEnviron() []string { return goEnv() }

// goEnv is the environment of the go command: the user's, with the toolchain
// pinned so that loading never downloads or runs another Go, and without a
// -mod=mod flag, which would let loading rewrite the scanned go.mod.
func goEnv() []string {
	env := slices.DeleteFunc(os.Environ(), func(kv string) bool {
		return strings.HasPrefix(kv, "GOTOOLCHAIN=") || strings.HasPrefix(kv, "GOFLAGS=")
	})
	var flags []string
	for _, f := range strings.Fields(os.Getenv("GOFLAGS")) {
		if f != "-mod=mod" {
			flags = append(flags, f)
		}
	}
	if len(flags) > 0 {
		env = append(env, "GOFLAGS="+strings.Join(flags, " "))
	}
	return append(env, "GOTOOLCHAIN=local")
}

// loadPackages lists the packages of each unit and type-checks them: the
// analysed packages (those of a module under Dir that the patterns match)
// from source with syntax and full type information, everything they import
// for its API only, from the types cache where it holds them. It returns
// the analysed packages.
//
// It does not use go/packages: without NeedDeps that asks the go command
// for export data, which compiles every package of the module and, with a
// cold build cache, costs many times the analysis itself; with NeedDeps it
// keeps syntax and type information for every dependency.
func loadPackages(ctx context.Context, o *Options, units []loadUnit, loaded func(*packages.Package)) ([]*packages.Package, error) {
	envc := make(chan error, 1)
	var env *goEnvInfo
	go func() {
		var err error
		env, err = readGoEnv(ctx, o.Dir)
		envc <- err
	}()
	lists := make([][]*listed, len(units))
	selected := make([]map[*listed]bool, len(units))
	for i, u := range units {
		var err error
		if lists[i], err = goList(ctx, u, o); err == nil {
			selected[i] = selectListed(lists[i], o.Dir)
			err = compiledFiles(ctx, u, o, cgoPackages(selected[i]))
		}
		if err != nil {
			<-envc
			return nil, fmt.Errorf("loading packages in %s: %w", u.dir, err)
		}
	}
	if err := <-envc; err != nil {
		return nil, fmt.Errorf("loading packages: %w", err)
	}
	fset := token.NewFileSet() // shared, so positions of every unit are comparable
	var all []*packages.Package
	for i, list := range lists {
		c := &checker{ctx: ctx, fset: fset, sizes: types.SizesFor("gc", env.GOARCH), env: env, cache: o.Types,
			byPath: map[string]*types.Package{}, loaded: loaded}
		nodes := newGraph(list, func(lp *listed) bool { return selected[i][lp] })
		c.run(nodes)
		for _, n := range nodes {
			if selected[i][n.lp] {
				all = append(all, n.pkg)
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if len(all) == 0 {
		return nil, fmt.Errorf("%w: %s", ErrNoMatch, strings.Join(units[0].patterns, " "))
	}
	return all, nil
}

// selectListed picks the packages to analyse: those the patterns matched
// that belong to a module under root, one variant per package path (the
// one with the most files: the test variant when tests are included).
func selectListed(list []*listed, root string) map[*listed]bool {
	best := map[string]*listed{}
	for _, lp := range list {
		if lp.DepOnly || lp.Module == nil || !within(root, lp.Module.Dir) || strings.HasSuffix(lp.PkgPath(), ".test") {
			continue
		}
		if lp.Error != nil && len(lp.CompiledGoFiles) == 0 {
			continue // nothing to analyse: no files, or a pattern naming no package
		}
		path := lp.PkgPath()
		if cur, ok := best[path]; !ok || len(lp.CompiledGoFiles) > len(cur.CompiledGoFiles) {
			best[path] = lp
		}
	}
	out := make(map[*listed]bool, len(best))
	for _, lp := range best {
		out[lp] = true
	}
	return out
}

// cgoPackages lists the selected packages that use cgo, sorted.
func cgoPackages(selected map[*listed]bool) []*listed {
	var out []*listed
	for lp := range selected {
		if lp.cgo {
			out = append(out, lp)
		}
	}
	slices.SortFunc(out, func(a, b *listed) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// within reports whether dir is root or below it.
func within(root, dir string) bool {
	rel, err := filepath.Rel(root, dir)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
