package gate

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/podsplit/podsplit/config"
	"github.com/podsplit/podsplit/internal/pipeline"
)

// Options configure Run and AssertWith. The zero value reads podsplit.yaml
// and its baseline at the repository root and uses the default analysis.
type Options struct {
	// Config is the configuration file; "" means podsplit.yaml in the
	// analysed directory.
	Config string
	// Baseline overrides the baseline file the configuration names.
	Baseline string
	// Runtime lists runtime evidence: coverage, profiles, traces.
	Runtime []string
	// Algo, Tags and Tests are as in analyzer.Options.
	Algo  string
	Tags  []string
	Tests bool
}

// BaselinePath returns the baseline file of a configuration: override if
// set, else the configuration's baseline key taken relative to the
// configuration file, else podsplit.baseline.json beside it.
func BaselinePath(cfg *config.Config, override string) string {
	if override != "" {
		return override
	}
	dir := filepath.Dir(cfg.Path)
	if cfg.Baseline != "" {
		if filepath.IsAbs(cfg.Baseline) {
			return cfg.Baseline
		}
		return filepath.Join(dir, filepath.FromSlash(cfg.Baseline))
	}
	return filepath.Join(dir, BaselineFile)
}

// Evaluate checks the input and compares the violations with a baseline.
// The report's file names are left for the caller to set.
func Evaluate(in Input, cfg *config.Config, base *Baseline) (*Report, error) {
	res, err := Check(in, cfg)
	if err != nil {
		return nil, err
	}
	return &Report{Result: res, Diff: Compare(res.Violations, base)}, nil
}

// Run analyses the Go repository at dir as podsplit gate does and checks it
// against its configuration and baseline.
func Run(ctx context.Context, dir string, opts Options) (*Report, error) {
	root, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("running the gate: %w", err)
	}
	cfgPath := opts.Config
	if cfgPath == "" {
		cfgPath = filepath.Join(root, config.FileName)
	}
	cfg, err := config.Load(cfgPath)
	if err != nil {
		return nil, err
	}
	res, err := pipeline.Run(ctx, pipeline.Options{Dir: root, Algo: opts.Algo, Tags: opts.Tags, Tests: opts.Tests,
		Runtime: opts.Runtime, Config: cfg})
	if err != nil {
		return nil, err
	}
	prog := res.Program
	basePath := BaselinePath(cfg, opts.Baseline)
	base, _, err := LoadBaseline(basePath)
	if err != nil {
		return nil, err
	}
	r, err := Evaluate(Input{Graph: res.Graph, Sites: res.Sites, Plan: makePlan(res.Graph, cfg)}, cfg, base)
	if err != nil {
		return nil, err
	}
	r.Config, r.Baseline = relTo(prog.Root, cfgPath), relTo(prog.Root, basePath)
	return r, nil
}

// Assert runs the gate on the repository at dir, as an architecture test:
//
//	func TestArchitecture(t *testing.T) { gate.Assert(t, "..") }
//
// It fails t with one error per new violation, in the text format's
// "file:line: rule: message" form, and logs baseline entries no longer
// found.
func Assert(t testing.TB, dir string) {
	t.Helper()
	AssertWith(t, dir, Options{})
}

// AssertWith is Assert with options.
func AssertWith(t testing.TB, dir string, opts Options) {
	t.Helper()
	ctx := context.Background()
	if c, ok := t.(interface{ Context() context.Context }); ok {
		ctx = c.Context()
	}
	r, err := Run(ctx, dir, opts)
	if err != nil {
		t.Fatalf("podsplit gate: %v", err)
		return // Fatalf returns for a testing.TB other than *testing.T
	}
	for _, v := range r.Diff.New {
		t.Errorf("%s: %s: %s", r.position(v), v.Rule, v.Message)
	}
	for _, e := range r.Diff.Fixed {
		t.Logf("%s: %s: fixed: %s: %s", e.File, e.Rule, e.Subject, r.fixedHint())
	}
	if !r.Passed() {
		t.Logf("podsplit gate: %s", r.Summary())
	}
}

// relTo returns path relative to root with slashes, or path itself when it
// lies outside root.
func relTo(root, path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return filepath.ToSlash(path)
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil || strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(path)
	}
	return filepath.ToSlash(rel)
}

// RepoPrefix returns the directory of root relative to the enclosing
// repository (the nearest parent holding .git) with a trailing slash, so
// that positions can be given relative to the repository as code hosts
// want them; "" when root is the repository root or no repository is found.
func RepoPrefix(root string) string {
	abs, err := filepath.Abs(root)
	if err != nil {
		return ""
	}
	for d := abs; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil {
			rel, _ := filepath.Rel(d, abs)
			if rel == "." {
				return ""
			}
			return filepath.ToSlash(rel) + "/"
		} else if !errors.Is(err, fs.ErrNotExist) {
			return ""
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}
