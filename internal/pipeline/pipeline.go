// Package pipeline runs podsplit's analysis from a repository to its
// component graph: load → extract → detect links (Go and other languages,
// matched in one step) → merge runtime evidence. The CLI and the gate's Go
// API both call Run, so they cannot drift apart.
//
// Run keeps three things in podsplit's cache (see internal/cache). The
// types of dependency packages, per package, let loading skip
// type-checking them from source (see analyzer.TypesCache). The model of
// each Python, Java, JavaScript and TypeScript file, keyed by its content
// and the executable, lets the polyglot front end skip parsing files it
// has seen (see polyglot.FileCache). The whole analysis, under a key
// hashing every input of it (see resultKey), lets a re-run on an
// unchanged tree skip the analysis. The analysis of the module's Go code
// is never cached per package: call resolution (cha, vta) depends on
// every type and function of the module, so any change to the module's
// code re-analyses all of it, with its dependencies' types taken from the
// cache.
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
	"github.com/podsplit/podsplit/internal/cache"
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
	// NoCache neither reads nor writes podsplit's cache.
	NoCache bool
	// CacheDir is the cache's directory; "" means the default (see
	// cache.Open).
	CacheDir string
	// Detach returns a computed analysis in the form a cached one has (see
	// Analysis.Cached), so that the loaded program, its syntax, types and
	// SSA, can be released while the caller goes on: for callers that read
	// only the graph, the facts and the sites' names, as every command does.
	Detach bool
}

// An Analysis is the component graph with what it was made from.
type Analysis struct {
	*analyzer.Result
	Config *config.Config
	// Facts are the link facts of every language.
	Facts []link.Fact
	// Cached is set when the analysis was read from the cache. Its graph,
	// facts and sites are those of the run that stored it, byte for byte;
	// Program then holds only Root and Modules, and the functions of Sites
	// only their names (what analyzer.ShortName returns), as with
	// Options.Detach.
	Cached bool
}

// Run analyses the repository, or reads the analysis from the cache when
// every input is as when it was stored. A cache that cannot be used only
// makes Run slower.
func Run(ctx context.Context, o Options) (*Analysis, error) {
	if o.Config == nil {
		o.Config = &config.Config{}
	}
	if o.Progress == nil {
		o.Progress = func(string) {}
	}
	c, keys, key := openCache(ctx, o)
	if key != "" {
		if a, ok := readResult(c, key); ok {
			a.Config = o.Config
			return a, nil
		}
	}
	a, err := run(ctx, o, newCaches(c))
	if err != nil {
		return nil, err
	}
	// Store the result only if no input changed while it was computed.
	if key != "" {
		if after, err := keys.key(); err == nil && after == key {
			writeResult(c, key, a)
		}
		c.Trim()
	}
	if o.Detach {
		a.detach()
	}
	return a, nil
}

// openCache opens the cache and computes the key of the analysis; it
// returns a nil cache when caching is off or impossible, and an empty key
// when only the types of dependencies can be cached.
func openCache(ctx context.Context, o Options) (*cache.Cache, *keyer, string) {
	if o.NoCache {
		return nil, nil, ""
	}
	c, err := cache.Open(o.CacheDir)
	if err != nil {
		return nil, nil, ""
	}
	root, err := filepath.Abs(o.Dir)
	if err != nil {
		return c, nil, ""
	}
	if st, err := os.Stat(root); err != nil || !st.IsDir() {
		return c, nil, "" // loading reports the error
	}
	o.Progress("checking the cache")
	keys, key, err := resultKey(ctx, root, o, c)
	if err != nil {
		return c, nil, ""
	}
	return c, keys, key
}

// caches are the parts of the cache the analysis itself uses.
type caches struct {
	types analyzer.TypesCache
	files polyglot.FileCache
	build string // identifies podsplit in the keys of files
}

// newCaches returns the caches of c, none when c is nil. Files of other
// languages are cached only when the executable can be hashed: their keys
// name the code that lowered them.
func newCaches(c *cache.Cache) caches {
	if c == nil {
		return caches{}
	}
	cs := caches{types: c.Bucket("types")}
	if _, sum, err := executable(c); err == nil {
		cs.files, cs.build = c.Bucket("polyglot"), sum
	}
	return cs
}

// run is the analysis itself.
func run(ctx context.Context, o Options, cs caches) (*Analysis, error) {
	cfg, progress := o.Config, o.Progress
	p, err := analyzer.Load(ctx, analyzer.Options{
		Dir: o.Dir, Patterns: o.Patterns, Tags: o.Tags, Tests: o.Tests, Algo: o.Algo,
		MaxFanout: o.MaxFanout, Progress: progress, Group: GroupFunc(cfg), Types: cs.types,
	})
	if err != nil {
		return nil, err
	}
	a := &Analysis{Result: analyzer.Extract(p), Config: cfg}
	progress("detecting links")
	a.Facts = detect.Detect(a.Result)
	if len(o.Patterns) == 0 {
		progress("analysing other languages")
		other, err := polyglot.Analyze(ctx, p.Root, a.Graph, polyglot.Options{Tests: o.Tests, Cache: cs.files, Build: cs.build})
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
