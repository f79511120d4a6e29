// Package analyzer turns a Go repository into a component graph.
//
// It loads the repository's own packages from source (syntax and types) and
// their dependencies from export data only, builds SSA bodies for the
// module's functions alone, resolves call sites with one of the call-graph
// algorithms of golang.org/x/tools/go/callgraph, and aggregates function-level
// facts (calls, package-level state access) into component-level edges of a
// graph.Graph. It never runs the analysed code: the go command it invokes is
// pinned to the local toolchain and no generators or build scripts run.
package analyzer

import (
	"context"
	"errors"
	"fmt"
	"go/token"
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
}

// A loadUnit is one invocation of the go command: a directory and patterns.
type loadUnit struct {
	dir      string
	patterns []string
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

const loadMode = packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles |
	packages.NeedImports | packages.NeedTypes | packages.NeedSyntax | packages.NeedTypesInfo |
	packages.NeedTypesSizes | packages.NeedModule

// loadPackages runs go/packages for each unit. Without NeedDeps, the listed
// packages are type-checked from source and their dependencies come from
// export data, which is what keeps loading fast.
func loadPackages(ctx context.Context, o *Options, units []loadUnit) ([]*packages.Package, error) {
	var all []*packages.Package
	fset := token.NewFileSet() // shared, so positions of every unit are comparable
	for _, u := range units {
		cfg := &packages.Config{
			Fset:    fset,
			Context: ctx,
			Mode:    loadMode,
			Dir:     u.dir,
			Env:     goEnv(),
			Tests:   o.Tests,
		}
		if len(o.Tags) > 0 {
			cfg.BuildFlags = []string{"-tags=" + strings.Join(o.Tags, ",")}
		}
		pkgs, err := packages.Load(cfg, u.patterns...)
		if err != nil {
			return nil, fmt.Errorf("loading packages in %s: %w", u.dir, err)
		}
		all = append(all, pkgs...)
	}
	all = slices.DeleteFunc(all, func(p *packages.Package) bool {
		return len(p.GoFiles) == 0 && len(p.CompiledGoFiles) == 0 && len(p.Errors) > 0 && p.Types == nil
	})
	if len(all) == 0 {
		return nil, fmt.Errorf("%w: %s", ErrNoMatch, strings.Join(units[0].patterns, " "))
	}
	return all, nil
}
