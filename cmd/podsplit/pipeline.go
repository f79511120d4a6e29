package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/podsplit/podsplit/analyzer"
	"github.com/podsplit/podsplit/internal/pipeline"
	"github.com/podsplit/podsplit/manifest"
	"github.com/podsplit/podsplit/plan"
)

// analyzeFlags are the flags shared by every command that analyses code.
type analyzeFlags struct {
	algo    string
	tags    []string
	tests   bool
	runtime []string
	fanout  int
	config  string
	noCache bool
}

func (f *analyzeFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.algo, "algo", "vta", "call-graph algorithm: static, cha, rta or vta")
	fs.StringSliceVar(&f.tags, "tags", nil, "build tags, comma-separated")
	fs.BoolVar(&f.tests, "tests", false, "include _test.go files")
	fs.StringArrayVar(&f.runtime, "runtime", nil, "runtime evidence: coverprofile, pprof profile, OTLP/JSON trace, GOCOVERDIR or `record` directory (repeatable)")
	fs.IntVar(&f.fanout, "max-fanout", 16, "report, rather than fan out, dynamic calls with more callees than this")
	fs.StringVar(&f.config, "config", "", "configuration file (default: podsplit.yaml at the repository root, if present)")
	fs.BoolVar(&f.noCache, "no-cache", false, "neither read nor write podsplit's cache of analyses (default location: the user cache directory, or $PODSPLIT_CACHE)")
}

// target resolves the command-line arguments to a repository root and
// patterns. A single argument naming a directory that holds a go.mod or
// go.work, or no Go files at all (a tree of modules), is the root; anything
// else is a list of package patterns relative to the module around the
// current directory.
func target(args []string) (dir string, patterns []string, err error) {
	if len(args) == 0 {
		args = []string{"."}
	}
	if len(args) == 1 && !strings.Contains(args[0], "...") {
		st, statErr := os.Stat(args[0])
		switch {
		case statErr != nil && looksLikePath(args[0]):
			return "", nil, fmt.Errorf("%w: %s", analyzer.ErrNoDir, args[0])
		case statErr == nil && !st.IsDir():
			return "", nil, fmt.Errorf("%w: %s is a file", analyzer.ErrNoDir, args[0])
		case statErr == nil && isRoot(args[0]):
			return args[0], nil, nil
		}
	}
	root, err := enclosingRoot(".")
	if err != nil {
		return "", nil, err
	}
	for _, a := range args {
		patterns = append(patterns, relPattern(root, a))
	}
	return root, patterns, nil
}

// looksLikePath tells a file-system path from an import-path pattern.
func looksLikePath(s string) bool {
	return strings.HasPrefix(s, ".") || filepath.IsAbs(s)
}

func isRoot(dir string) bool {
	if exists(filepath.Join(dir, "go.mod")) || exists(filepath.Join(dir, "go.work")) {
		return true
	}
	matches, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	return len(matches) == 0
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// enclosingRoot walks up from dir to the nearest go.work or go.mod.
func enclosingRoot(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	modDir := ""
	for d := abs; ; d = filepath.Dir(d) {
		if exists(filepath.Join(d, "go.work")) {
			return d, nil
		}
		if modDir == "" && exists(filepath.Join(d, "go.mod")) {
			modDir = d
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	if modDir == "" {
		return "", fmt.Errorf("%w in %s or any parent", analyzer.ErrNoModule, abs)
	}
	return modDir, nil
}

// relPattern rewrites a pattern given relative to the current directory so
// that it is relative to root; import-path patterns pass through.
func relPattern(root, pat string) string {
	if !strings.HasPrefix(pat, ".") && !filepath.IsAbs(pat) {
		return pat
	}
	abs, err := filepath.Abs(pat)
	if err != nil {
		return pat
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil {
		return pat
	}
	return "./" + filepath.ToSlash(rel)
}

// An analysis is the outcome of the analysis pipeline, with the flags and
// configuration it ran with.
type analysis struct {
	*pipeline.Analysis
	Flags analyzeFlags
	Root  string // repository root, absolute
	// planned caches the plan made from the graph (see plan.go), made once:
	// scan's outputs are produced concurrently.
	planOnce sync.Once
	planned  *plan.Plan
	// manifests caches the manifests built from the plan, per option set
	// (scan's manifests and report show the same ones), under mu.
	mu        sync.Mutex
	manifests map[manifest.Options]manifest.Files
}

// analyze runs the analysis pipeline up to the component graph:
// load → extract → detect links → merge runtime evidence.
func analyze(ctx context.Context, args []string, f analyzeFlags, stderr io.Writer) (*analysis, error) {
	dir, patterns, err := target(args)
	if err != nil {
		return nil, err
	}
	if f.fanout <= 0 {
		return nil, usageErr("--max-fanout must be positive")
	}
	cfg, err := pipeline.LoadConfig(dir, f.config)
	if err != nil {
		return nil, &exitError{code: exitUsage, err: err}
	}
	prog := newProgress(stderr)
	defer prog.done()
	res, err := pipeline.Run(ctx, pipeline.Options{
		Dir: dir, Patterns: patterns, Tags: f.tags, Tests: f.tests, Algo: f.algo,
		MaxFanout: f.fanout, Runtime: f.runtime, Config: cfg, Progress: prog.stage, NoCache: f.noCache,
		Detach: true, // every command reads only what a cached analysis holds
	})
	if errors.Is(err, pipeline.ErrRuntime) {
		return nil, &exitError{code: exitInput, err: err}
	}
	if err != nil {
		return nil, err
	}
	return &analysis{Analysis: res, Flags: f, Root: res.Program.Root}, nil
}

// progress shows the current stage on a terminal and nothing otherwise.
type progress struct {
	w     io.Writer
	shown bool
}

func newProgress(w io.Writer) *progress {
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) && os.Getenv("CI") == "" {
		return &progress{w: w}
	}
	return &progress{}
}

func (p *progress) stage(name string) {
	if p.w == nil {
		return
	}
	fmt.Fprintf(p.w, "\r\033[Kpodsplit: %s…", name)
	p.shown = true
}

func (p *progress) done() {
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
