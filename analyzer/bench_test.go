package analyzer_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/podsplit/podsplit/analyzer"
	"github.com/podsplit/podsplit/internal/synth"
)

func benchScan(b *testing.B, dir string) {
	b.ReportAllocs()
	for b.Loop() {
		p, err := analyzer.Load(context.Background(), analyzer.Options{Dir: dir})
		if err != nil {
			b.Fatal(err)
		}
		analyzer.Extract(p)
	}
}

// BenchmarkScanShop loads and extracts the demo monolith.
func BenchmarkScanShop(b *testing.B) {
	dir, _ := filepath.Abs("../fixtures/shop")
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err != nil {
		b.Skip("fixtures/shop not present")
	}
	benchScan(b, dir)
}

// BenchmarkScanSynth500 loads and extracts a generated 500-package monolith.
func BenchmarkScanSynth500(b *testing.B) {
	dir := b.TempDir()
	if _, err := synth.Generate(dir, synth.Options{Packages: 500, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	benchScan(b, dir)
}
