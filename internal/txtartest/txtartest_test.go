package txtartest

import (
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/tools/txtar"
)

func TestWriteAndSection(t *testing.T) {
	ar := txtar.Parse([]byte("-- want --\nx\n-- a/b.go --\npackage b\n-- c.txt --\nc\n"))
	dir := Write(t, ar, "want")
	if b, err := os.ReadFile(filepath.Join(dir, "a", "b.go")); err != nil || string(b) != "package b\n" {
		t.Errorf("a/b.go: %q, %v", b, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "want")); !os.IsNotExist(err) {
		t.Errorf("want was written: %v", err)
	}
	if w, ok := Section(ar, "want"); !ok || string(w) != "x\n" {
		t.Errorf("Section(want) = %q, %v", w, ok)
	}
	if _, ok := Section(ar, "none"); ok {
		t.Error("Section(none) found")
	}
}
