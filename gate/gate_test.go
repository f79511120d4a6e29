package gate_test

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/podsplit/podsplit/gate"
	"github.com/podsplit/podsplit/internal/txtartest"
)

var update = flag.Bool("update", false, "rewrite the expectations in testdata")

// extract writes an archive's files, all but its want section, into a
// fresh directory and returns it with the archive.
func extract(t *testing.T, file string) (string, *txtar.Archive) {
	t.Helper()
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return txtartest.Write(t, ar, "want"), ar
}

// checkWant compares got with the archive's want section, or rewrites it
// with -update.
func checkWant(t *testing.T, file string, ar *txtar.Archive, got string) {
	t.Helper()
	for i, f := range ar.Files {
		if f.Name != "want" {
			continue
		}
		if *update {
			ar.Files[i].Data = []byte(got)
			if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		if want := string(f.Data); got != want {
			t.Errorf("%s: got\n%s\nwant\n%s", file, got, want)
		}
		return
	}
	t.Fatalf("%s: no want section", file)
}

// TestRules runs the gate on each archive of testdata/rules*.txtar and
// compares "pos: rule: subject" lines and notes with the want section.
func TestRules(t *testing.T) {
	files, _ := filepath.Glob("testdata/rules*.txtar")
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			dir, ar := extract(t, file)
			r, err := gate.Run(context.Background(), dir, gate.Options{})
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for _, v := range r.Result.Violations {
				b.WriteString(v.Pos + ": " + v.Rule + ": " + v.Subject + "\n")
			}
			for _, n := range r.Result.Notes {
				b.WriteString("note: " + n + "\n")
			}
			checkWant(t, file, ar, b.String())
		})
	}
}
