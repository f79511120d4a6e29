// Package pipeline runs podsplit's analysis from a repository to its
// component graph: load → extract → detect links (Go and other languages,
// matched in one step) → merge runtime evidence. The CLI and the gate's Go
// API both call Run, so they cannot drift apart.
package pipeline

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/podsplit/podsplit/analyzer"
	"github.com/podsplit/podsplit/analyzer/detect"
	"github.com/podsplit/podsplit/analyzer/evidence"
	"github.com/podsplit/podsplit/analyzer/link"
	"github.com/podsplit/podsplit/analyzer/polyglot"
	"github.com/podsplit/podsplit/config"
)

// ErrRuntime marks runtime evidence that could not be read.
var ErrRuntime = errors.New("runtime evidence")

// Options controls a run. Dir, Patterns, Tags, Tests, Algo and MaxFanout
// are as in analyzer.Options.
type Options struct {
	Dir       string
	Patterns  []string
	Tags      []string
	Tests     bool
	Algo      string
	MaxFanout int
	// Runtime lists runtime evidence: coverprofiles, GOCOVERDIR and record
	// directories, pprof profiles, OTLP/JSON traces.
	Runtime []string
	// Config is the repository's configuration; nil means defaults.
	Config *config.Config
	// Progress, if set, is told the name of each long stage as it starts.
	Progress func(stage string)
}

// An Analysis is the component graph with what it was made from.
type Analysis struct {
	*analyzer.Result
	Config *config.Config
	// Facts are the link facts of every language.
	Facts []link.Fact
}

// Run analyses the repository.
func Run(ctx context.Context, o Options) (*Analysis, error) {
	cfg := o.Config
	if cfg == nil {
		cfg = &config.Config{}
	}
	progress := o.Progress
	if progress == nil {
		progress = func(string) {}
	}
	p, err := analyzer.Load(ctx, analyzer.Options{
		Dir: o.Dir, Patterns: o.Patterns, Tags: o.Tags, Tests: o.Tests, Algo: o.Algo,
		MaxFanout: o.MaxFanout, Progress: progress, Group: GroupFunc(cfg),
	})
	if err != nil {
		return nil, err
	}
	a := &Analysis{Result: analyzer.Extract(p), Config: cfg}
	progress("detecting links")
	a.Facts = detect.Detect(a.Result)
	if len(o.Patterns) == 0 {
		progress("analysing other languages")
		other, err := polyglot.Analyze(ctx, p.Root, a.Graph, polyglot.Options{Tests: o.Tests})
		if err != nil {
			return nil, fmt.Errorf("analysing other languages: %w", err)
		}
		a.Facts = append(a.Facts, other...)
	}
	link.Match(a.Graph, a.Facts)
	if len(o.Runtime) > 0 {
		progress("merging runtime evidence")
		if err := evidence.Merge(a.Result, o.Runtime, evidence.Options{Services: cfg.Runtime.Services}); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrRuntime, err)
		}
	}
	a.Graph.Sort()
	return a, nil
}

// LoadConfig reads the configuration file at path, or podsplit.yaml at the
// repository root when path is empty and that file exists; without either,
// the defaults apply.
func LoadConfig(root, path string) (*config.Config, error) {
	if path == "" {
		path = filepath.Join(root, config.FileName)
		if _, err := os.Stat(path); err != nil {
			return &config.Config{}, nil
		}
	}
	return config.Load(path)
}

// GroupFunc maps packages to the component groups of the configuration.
func GroupFunc(cfg *config.Config) func(module, pkg string) string {
	if len(cfg.Groups) == 0 {
		return nil
	}
	return func(module, pkg string) string {
		if id := cfg.GroupOf(module, pkg); id != "" {
			return module + "/" + id
		}
		return ""
	}
}
