package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/podsplit/podsplit/manifest"
)

// TestWriteOutputs checks that a second write into the same directory
// replaces changed files, leaves identical ones untouched, removes what an
// earlier run generated under an owned directory and this one did not, and
// keeps everything else.
func TestWriteOutputs(t *testing.T) {
	dir := t.TempDir()
	first := &outputs{owned: []string{"m/steps", "m/docker"}, files: map[string][]byte{
		"graph.json":                 []byte("{}"),
		"m/README.md":                []byte("readme"),
		"m/steps/01-a/x.yaml":        []byte("x: 1"),
		"m/steps/01-a/gone.yaml":     []byte("gone"),
		"m/steps/02-b/y.yaml":        []byte("y: 1"),
		"m/docker/b/Dockerfile":      []byte("FROM b"),
		"m/docker/a/Dockerfile":      []byte("FROM a"),
		"m/steps/01-a/kustomization": []byte("k"),
	}}
	if err := writeOutputs(dir, first); err != nil {
		t.Fatal(err)
	}
	mine := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(mine, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour).Truncate(time.Second)
	same := filepath.Join(dir, "m", "README.md")
	if err := os.Chtimes(same, old, old); err != nil {
		t.Fatal(err)
	}
	second := &outputs{owned: first.owned, files: map[string][]byte{
		"graph.json":                 []byte(`{"a":1}`),
		"m/README.md":                []byte("readme"),
		"m/steps/01-a/x.yaml":        []byte("x: 2"),
		"m/steps/01-a/kustomization": []byte("k"),
		"m/docker/a/Dockerfile":      []byte("FROM a"),
	}}
	if err := writeOutputs(dir, second); err != nil {
		t.Fatal(err)
	}
	var got []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && path != dir {
			rel, _ := filepath.Rel(dir, path)
			got = append(got, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"graph.json", "m", "m/README.md", "m/docker", "m/docker/a", "m/docker/a/Dockerfile",
		"m/steps", "m/steps/01-a", "m/steps/01-a/kustomization", "m/steps/01-a/x.yaml", "notes.txt"}
	if len(got) != len(want) {
		t.Fatalf("tree %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("tree %v, want %v", got, want)
		}
	}
	for name, data := range second.files {
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil || string(b) != string(data) {
			t.Errorf("%s = %q, %v; want %q", name, b, err, data)
		}
	}
	if fi, err := os.Stat(same); err != nil || !fi.ModTime().Equal(old) {
		t.Errorf("identical file was rewritten (mtime %v, want %v)", fi.ModTime(), old)
	}
}

// TestWriteManifestsPrunes checks that the manifests command removes the
// steps an earlier plan wrote into the same directory.
func TestWriteManifestsPrunes(t *testing.T) {
	dir := t.TempDir()
	var out strings.Builder
	first := manifest.Files{"README.md": []byte("r"), "steps/00-monolith/a.yaml": []byte("a"), "steps/01-extract-x/b.yaml": []byte("b")}
	if err := writeManifests(&out, dir, first); err != nil {
		t.Fatal(err)
	}
	second := manifest.Files{"README.md": []byte("r"), "steps/00-monolith/a.yaml": []byte("a")}
	if err := writeManifests(&out, dir, second); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "steps", "01-extract-x")); !os.IsNotExist(err) {
		t.Errorf("the step the second plan does not have is still there: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "steps", "00-monolith", "a.yaml")); err != nil {
		t.Errorf("the kept step is gone: %v", err)
	}
}
