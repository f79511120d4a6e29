// Command synthgen writes a synthetic Go monolith for benchmarks:
//
//	go run ./internal/synth/synthgen -n 500 -o /tmp/mono500
//
// It also writes truth.tsv, the true decomposition, in the format of
// podsplit eval --truth.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/podsplit/podsplit/internal/synth"
)

func main() {
	var o synth.Options
	out := flag.String("o", "", "output directory (created; must not exist)")
	flag.IntVar(&o.Packages, "n", 100, "number of packages")
	flag.IntVar(&o.Domains, "domains", 0, "number of domains (default n/10)")
	flag.Float64Var(&o.Cross, "cross", 0.1, "probability that a call leaves its domain")
	flag.BoolVar(&o.Flat, "flat", false, "flat package layout")
	flag.Uint64Var(&o.Seed, "seed", 1, "random seed")
	flag.Parse()
	if err := run(*out, o); err != nil {
		fmt.Fprintf(os.Stderr, "synthgen: %v\n", err)
		os.Exit(1)
	}
}

func run(out string, o synth.Options) error {
	if out == "" {
		return fmt.Errorf("-o is required")
	}
	if err := os.Mkdir(out, 0o755); err != nil {
		return err
	}
	truth, err := synth.Generate(out, o)
	if err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString("# package\tservice\n")
	for _, p := range slices.Sorted(func(yield func(string) bool) {
		for k := range truth {
			if !yield(k) {
				return
			}
		}
	}) {
		fmt.Fprintf(&b, "%s\t%s\n", p, truth[p])
	}
	return os.WriteFile(filepath.Join(out, "truth.tsv"), []byte(b.String()), 0o644)
}
