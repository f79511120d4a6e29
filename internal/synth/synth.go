// Package synth generates synthetic Go monoliths with controlled coupling,
// for tests and benchmarks. A monolith has Domains groups of packages;
// functions call mostly within their domain and, with probability Cross,
// into another one. Every package imports only packages generated before it,
// so there are no import cycles. A stateless "money" library is used by
// every domain, each domain has a package-level cache read from another
// domain, and each domain exposes an interface implemented in its last
// package, injected by main, so the interface calls need cha or vta.
//
// The generator is deterministic for a given Options value, and returns the
// true decomposition (package → domain) so planners can be scored against it.
package synth

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Options shapes a synthetic monolith.
type Options struct {
	Module   string  // module path; default "example.com/synth"
	Packages int     // number of packages besides main and the library
	Domains  int     // number of domains (true services); default Packages/10, at least 1
	Funcs    int     // functions per package; default 6
	Cross    float64 // probability that a call leaves its domain; default 0.1
	Flat     bool    // lay packages out flat instead of under one directory per domain
	Seed     uint64
}

func (o *Options) defaults() {
	if o.Module == "" {
		o.Module = "example.com/synth"
	}
	if o.Packages < 1 {
		o.Packages = 1
	}
	if o.Domains <= 0 {
		o.Domains = max(1, o.Packages/10)
	}
	o.Domains = min(o.Domains, o.Packages)
	if o.Funcs <= 0 {
		o.Funcs = 6
	}
	if o.Cross == 0 {
		o.Cross = 0.1
	}
}

// A Package is one generated package.
type Package struct {
	Path   string // import path
	Dir    string // slash-separated, relative to the module root
	Domain int
}

// Truth maps each package path to its domain name ("-" for the library).
type Truth map[string]string

// Generate writes the monolith into dir (which must exist and be empty) and
// returns its true decomposition.
func Generate(dir string, o Options) (Truth, error) {
	o.defaults()
	files, truth := Files(o)
	for _, name := range slices.Sorted(mapKeys(files)) {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, fmt.Errorf("generating monolith: %w", err)
		}
		if err := os.WriteFile(path, []byte(files[name]), 0o644); err != nil {
			return nil, fmt.Errorf("generating monolith: %w", err)
		}
	}
	return truth, nil
}

// Files returns the monolith's files (relative slash path → content) and
// its true decomposition, without touching the file system.
func Files(o Options) (map[string]string, Truth) {
	o.defaults()
	rng := rand.New(rand.NewPCG(o.Seed, 0x5eed))
	pkgs := layout(o)
	files := map[string]string{
		"go.mod":         fmt.Sprintf("module %s\n\ngo 1.26\n", o.Module),
		"money/money.go": moneyFile,
	}
	truth := Truth{o.Module + "/money": "-"}
	for i, p := range pkgs {
		files[p.Dir+"/"+filepath.Base(p.Dir)+".go"] = packageFile(o, pkgs, i, rng)
		truth[p.Path] = domainName(p.Domain)
	}
	files["cmd/app/main.go"] = mainFile(o, pkgs)
	truth[o.Module+"/cmd/app"] = "app" // the wiring entrypoint: a gateway of its own
	return files, truth
}

func domainName(d int) string { return fmt.Sprintf("d%02d", d) }

// layout assigns packages to domains round-robin in blocks, so each domain's
// packages are contiguous in generation order.
func layout(o Options) []Package {
	pkgs := make([]Package, o.Packages)
	per := (o.Packages + o.Domains - 1) / o.Domains
	for i := range pkgs {
		d := min(i/per, o.Domains-1)
		dir := fmt.Sprintf("%s/p%04d", domainName(d), i)
		if o.Flat {
			dir = fmt.Sprintf("p%04d", i)
		}
		pkgs[i] = Package{Path: o.Module + "/" + dir, Dir: dir, Domain: d}
	}
	return pkgs
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func pkgName(dir string) string { return filepath.Base(dir) }

// callTargets picks, for one function, up to three earlier packages to call:
// within the domain, or with probability Cross, outside it.
func callTargets(o Options, pkgs []Package, i int, rng *rand.Rand) []int {
	var same, other []int
	for j := range i {
		if pkgs[j].Domain == pkgs[i].Domain {
			same = append(same, j)
		} else {
			other = append(other, j)
		}
	}
	var out []int
	for range 1 + rng.IntN(3) {
		pool := same
		if len(other) > 0 && (len(same) == 0 || rng.Float64() < o.Cross) {
			pool = other
		}
		if len(pool) > 0 {
			out = append(out, pool[rng.IntN(len(pool))])
		}
	}
	return out
}

func indent(lines []string) string {
	return "\t" + strings.Join(lines, "\n\t") + "\n"
}
