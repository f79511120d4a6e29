package main

import (
	"bytes"
	"context"
	"flag"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/spf13/pflag"

	"github.com/podsplit/podsplit/manifest"
)

var update = flag.Bool("update", false, "rewrite golden files")

// shopGolden holds the manifests of fixtures/shop; the manifest package's
// tests validate every file in it against the Kubernetes schemas.
var shopGolden = filepath.Join("..", "..", "manifest", "testdata", "shop")

// TestManifestsShop runs the whole pipeline on fixtures/shop, twice, and
// compares the manifests with the golden tree (go test -update rewrites it).
func TestManifestsShop(t *testing.T) {
	build := func() manifest.Files {
		a, err := analyze(context.Background(), []string{filepath.Join("..", "..", "fixtures", "shop")}, defaultAnalyzeFlags(), io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		files, err := buildManifests(a, manifest.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return files
	}
	files := build()
	again := build()
	for name := range files {
		if !bytes.Equal(files[name], again[name]) {
			t.Errorf("%s differs between two runs", name)
		}
	}
	if *update {
		if err := os.RemoveAll(shopGolden); err != nil {
			t.Fatal(err)
		}
		if err := writeOutputs(shopGolden, &outputs{files: files}); err != nil {
			t.Fatal(err)
		}
		return
	}
	golden := readTree(t, shopGolden)
	if got, want := sortedNames(files), sortedNames(golden); !slices.Equal(got, want) {
		t.Fatalf("files %v, golden %v (go test ./cmd/podsplit -run TestManifestsShop -update)", got, want)
	}
	for name, want := range golden {
		if !bytes.Equal(files[name], want) {
			d, _ := manifest.Diff(manifest.Files{"steps/00-golden/f": want, "steps/01-got/f": files[name]}, "0", "1")
			t.Errorf("%s differs from the golden file (go test ./cmd/podsplit -run TestManifestsShop -update):\n%s", name, d)
		}
	}
}

// defaultAnalyzeFlags returns the flags as the command line leaves them
// when none is given.
func defaultAnalyzeFlags() analyzeFlags {
	var f analyzeFlags
	f.register(pflag.NewFlagSet("test", pflag.ContinueOnError))
	return f
}

func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(path)
		files[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}
