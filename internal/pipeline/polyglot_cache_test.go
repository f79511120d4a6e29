package pipeline

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/podsplit/podsplit/analyzer/polyglot"
)

// fileEntries maps each polyglot entry file of a cache to its
// modification time: Put renames a new file into place, so a rewritten
// entry has a new time.
func fileEntries(t *testing.T, cacheDir string) map[string]time.Time {
	t.Helper()
	out := map[string]time.Time{}
	filepath.WalkDir(filepath.Join(cacheDir, "polyglot"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(d.Name(), ".tmp-") {
			return nil
		}
		if info, err := d.Info(); err == nil {
			out[p] = info.ModTime()
		}
		return nil
	})
	return out
}

// TestPolyglotCache checks the per-file cache of other languages through
// the pipeline, on fixtures/polyglot (Go, Python, Java, TypeScript): the
// analysis is the same without cache, with a cold one, and with only the
// file models warm (the whole-result entry removed); the warm run writes
// no file model, and after a Python file changes only its model is
// written, and the analysis equals one without cache.
func TestPolyglotCache(t *testing.T) {
	if !polyglot.Enabled {
		t.Skip("built without cgo")
	}
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS("../../fixtures/polyglot")); err != nil {
		t.Fatal(err)
	}
	cacheDir := t.TempDir()
	want := render(t, runOK(t, Options{Dir: dir, NoCache: true, CacheDir: cacheDir}))
	if n := len(fileEntries(t, cacheDir)); n != 0 {
		t.Fatalf("a run without cache wrote %d file models", n)
	}
	o := Options{Dir: dir, CacheDir: cacheDir}
	if got := render(t, runOK(t, o)); got != want {
		t.Fatalf("cold cache: analysis differs from the one without cache:\n%s", firstDiff(got, want))
	}
	cold := fileEntries(t, cacheDir)
	if len(cold) < 10 {
		t.Fatalf("cold cache holds %d file models, want one per Python, Java and TypeScript file", len(cold))
	}
	time.Sleep(10 * time.Millisecond) // a rewrite would get a later time
	if err := os.RemoveAll(filepath.Join(cacheDir, "result")); err != nil {
		t.Fatal(err)
	}
	a := runOK(t, o)
	if a.Cached {
		t.Fatal("the whole analysis came from the cache after its entry was removed")
	}
	if got := render(t, a); got != want {
		t.Fatalf("warm file models: analysis differs from the one without cache:\n%s", firstDiff(got, want))
	}
	if changed := changedEntries(cold, fileEntries(t, cacheDir)); len(changed) != 0 {
		t.Errorf("warm file models: %d entries written again, want none", len(changed))
	}

	time.Sleep(10 * time.Millisecond)
	write(t, dir, "worker/db.py", read(t, dir, "worker/db.py")+"\n\ndef purge():\n    return \"DELETE FROM audit_log\"\n")
	a = runOK(t, Options{Dir: dir, CacheDir: cacheDir})
	if a.Cached {
		t.Error("an edited tree was read from the cache")
	}
	after := fileEntries(t, cacheDir)
	if changed := changedEntries(cold, after); len(changed) != 1 {
		t.Errorf("after editing one file %d file models were written, want 1", len(changed))
	}
	got, ref := render(t, a), render(t, runOK(t, Options{Dir: dir, NoCache: true}))
	if got != ref {
		t.Errorf("after editing one file: analysis differs from the one without cache:\n%s", firstDiff(got, ref))
	}
	if !strings.Contains(got, "audit_log") {
		t.Error("the edit is not in the analysis")
	}
}

// changedEntries lists the entries of after that are new or rewritten.
func changedEntries(before, after map[string]time.Time) []string {
	var out []string
	for p, mt := range after {
		if old, ok := before[p]; !ok || !old.Equal(mt) {
			out = append(out, p)
		}
	}
	return out
}
