package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/podsplit/podsplit/config"
	"github.com/podsplit/podsplit/internal/cache"
	"github.com/podsplit/podsplit/internal/synth"
)

// BenchmarkRun measures the whole pipeline, as `podsplit graph` runs it, on
// the demo monolith and on generated monoliths of growing size (compare
// sizes to see how time grows with packages), in three states of the cache:
//
//   - nocache: everything from source, nothing read or written;
//   - types: dependency types and the models of other languages' files
//     from a warm cache, the analysis itself recomputed, as after a
//     change to the module's code;
//   - hit: an unchanged tree, the analysis read from the cache.
//
// PODSPLIT_BENCH_DIRS, a space-separated list of module directories, adds
// modules of one's own choosing (a copy of golang.org/x/tools from the module
// cache, say) to profile the pipeline on real code:
//
//	PODSPLIT_BENCH_DIRS=/tmp/tools go test ./internal/pipeline -run '^$' \
//	  -bench 'Run/tools/types' -cpuprofile cpu.out
func BenchmarkRun(b *testing.B) {
	shop, _ := filepath.Abs("../../fixtures/shop")
	inputs := []struct {
		name string
		dir  func(b *testing.B) string
	}{{"shop", func(*testing.B) string { return shop }}}
	for _, n := range []int{100, 200, 400} {
		inputs = append(inputs, struct {
			name string
			dir  func(b *testing.B) string
		}{fmt.Sprintf("synth%d", n), func(b *testing.B) string { return synthDir(b, n) }})
	}
	for _, d := range strings.Fields(os.Getenv("PODSPLIT_BENCH_DIRS")) {
		inputs = append(inputs, struct {
			name string
			dir  func(b *testing.B) string
		}{filepath.Base(d), func(*testing.B) string { return d }})
	}
	for _, in := range inputs {
		b.Run(in.name, func(b *testing.B) {
			dir := in.dir(b)
			c, err := cache.Open(b.TempDir())
			if err != nil {
				b.Fatal(err)
			}
			o := Options{Dir: dir, CacheDir: c.Dir(), Config: &config.Config{}, Progress: func(string) {}}
			b.Run("nocache", func(b *testing.B) {
				benchLoop(b, func() error { _, err := run(context.Background(), o, caches{}); return err })
			})
			b.Run("types", func(b *testing.B) {
				benchLoop(b, func() error { _, err := run(context.Background(), o, newCaches(c)); return err })
			})
			b.Run("hit", func(b *testing.B) {
				benchLoop(b, func() error { _, err := Run(context.Background(), o); return err })
			})
		})
	}
}

func benchLoop(b *testing.B, f func() error) {
	b.ReportAllocs()
	if err := f(); err != nil { // warm the caches, outside the timing
		b.Fatal(err)
	}
	for b.Loop() {
		if err := f(); err != nil {
			b.Fatal(err)
		}
	}
}

func synthDir(b *testing.B, n int) string {
	dir := b.TempDir()
	if _, err := synth.Generate(dir, synth.Options{Packages: n, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err != nil {
		b.Fatal(err)
	}
	return dir
}
