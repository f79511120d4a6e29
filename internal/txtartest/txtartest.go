// Package txtartest runs test cases kept as txtar archives: each archive
// holds a small module (or tree) that is written to a temporary directory
// and analysed for real, and sections such as "want" that hold the case's
// expectations rather than files.
package txtartest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

// Each runs fn as a parallel subtest, named after the file, for every
// archive matching glob; it fails when none does.
func Each(t *testing.T, glob string, fn func(t *testing.T, file string, ar *txtar.Archive)) {
	t.Helper()
	files, err := filepath.Glob(glob)
	if err != nil || len(files) == 0 {
		t.Fatalf("no test cases match %s: %v", glob, err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			t.Parallel()
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			fn(t, file, ar)
		})
	}
}

// Write writes the files of an archive into a new temporary directory,
// leaving out the sections skip names, and returns the directory.
func Write(t testing.TB, ar *txtar.Archive, skip ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range ar.Files {
		if contains(skip, f.Name) {
			continue
		}
		path := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// Section returns the content of the named section, and whether there is
// one.
func Section(ar *txtar.Archive, name string) ([]byte, bool) {
	for _, f := range ar.Files {
		if f.Name == name {
			return f.Data, true
		}
	}
	return nil, false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
