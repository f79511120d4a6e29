//go:build cgo

package polyglot

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/podsplit/podsplit/graph"
	"github.com/podsplit/podsplit/internal/cache"
)

const testBuild = "polyglot cache test"

// A run is one analysis: what it returned, rendered, and the files it parsed.
type run struct {
	out    string
	parsed []string
}

// analyzeWith analyses dir with the cache in cacheDir ("" for none) and
// records the files parsed rather than taken from the cache.
func analyzeWith(t *testing.T, dir, cacheDir string, workers int) run {
	t.Helper()
	var mu sync.Mutex
	var r run
	opts := Options{Workers: workers, parsed: func(path string) {
		mu.Lock()
		r.parsed = append(r.parsed, path)
		mu.Unlock()
	}}
	if cacheDir != "" {
		c, err := cache.Open(cacheDir)
		if err != nil {
			t.Fatal(err)
		}
		opts.Cache, opts.Build = c.Bucket("polyglot"), testBuild
	}
	g := graph.New("example.com/polyglot")
	facts, err := Analyze(context.Background(), dir, g, opts)
	if err != nil {
		t.Fatal(err)
	}
	gj, err := json.MarshalIndent(g, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	fj, err := json.MarshalIndent(facts, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	r.out = string(gj) + "\n" + string(fj)
	slices.Sort(r.parsed)
	return r
}

// copyFixture copies fixtures/polyglot into a new directory.
func copyFixture(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS("../../fixtures/polyglot")); err != nil {
		t.Fatal(err)
	}
	return dir
}

// sourceStats returns the paths of the sources under dir and how many
// distinct (grammar, content) pairs they hold: files with equal content
// share one entry.
func sourceStats(t *testing.T, dir string) (paths []string, distinct int) {
	t.Helper()
	tr, err := walk(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, s := range tr.Sources {
		src, err := os.ReadFile(s.Abs)
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, s.Path)
		seen[fileKey(testBuild, s.Grammar, src)] = true
	}
	slices.Sort(paths)
	return paths, len(seen)
}

// entries lists the files of the polyglot kind in a cache directory.
func entries(t *testing.T, cacheDir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(filepath.Join(cacheDir, "polyglot"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.HasPrefix(d.Name(), ".tmp-") {
			out = append(out, p)
		}
		return nil
	})
	return out
}

// TestCacheIdentical analyses fixtures/polyglot without a cache, with a
// cold one and with a warm one: graph and facts must be byte-identical,
// the cold run must parse every distinct file once and store it, and the
// warm run parse nothing.
func TestCacheIdentical(t *testing.T) {
	dir, _ := filepath.Abs("../../fixtures/polyglot")
	paths, distinct := sourceStats(t, dir)
	if len(paths) < 10 {
		t.Fatalf("fixture has %d sources", len(paths))
	}
	want := analyzeWith(t, dir, "", 0)
	if !slices.Equal(want.parsed, paths) {
		t.Fatalf("without cache parsed %v, want every source %v", want.parsed, paths)
	}
	cacheDir := t.TempDir()
	cold := analyzeWith(t, dir, cacheDir, 1) // one worker: equal contents hit
	if len(cold.parsed) != distinct {
		t.Errorf("cold cache parsed %d files, want %d (distinct contents)", len(cold.parsed), distinct)
	}
	if n := len(entries(t, cacheDir)); n != distinct {
		t.Errorf("cold cache left %d entries, want %d", n, distinct)
	}
	warm := analyzeWith(t, dir, cacheDir, 0)
	if len(warm.parsed) != 0 {
		t.Errorf("warm cache parsed %v, want nothing", warm.parsed)
	}
	for name, r := range map[string]run{"cold": cold, "warm": warm} {
		if r.out != want.out {
			t.Errorf("%s cache: analysis differs from the one without cache:\n%s", name, firstDiff(r.out, want.out))
		}
	}
}

func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return fmt.Sprintf("line %d:\n got %s\nwant %s", i+1, g[i], w[i])
		}
	}
	return fmt.Sprintf("got %d lines, want %d", len(g), len(w))
}

// TestCacheEdit edits one file of a warm tree: only that file is parsed
// again, and the analysis equals one without cache, which the edit
// changed.
func TestCacheEdit(t *testing.T) {
	dir := copyFixture(t)
	cacheDir := t.TempDir()
	before := analyzeWith(t, dir, cacheDir, 0)
	name := filepath.Join(dir, "worker", "jobs", "fulfil.py")
	src, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	edit := append(src, []byte("\n\ndef audit(order_id):\n    requests.post(f\"{BILLING}/audits/{order_id}\", timeout=2)\n")...)
	if err := os.WriteFile(name, edit, 0o644); err != nil {
		t.Fatal(err)
	}
	got := analyzeWith(t, dir, cacheDir, 0)
	if want := []string{"worker/jobs/fulfil.py"}; !slices.Equal(got.parsed, want) {
		t.Errorf("after editing one file parsed %v, want %v", got.parsed, want)
	}
	want := analyzeWith(t, dir, "", 0)
	if got.out != want.out {
		t.Errorf("analysis after the edit differs from the one without cache:\n%s", firstDiff(got.out, want.out))
	}
	if got.out == before.out || !strings.Contains(got.out, "/audits/") {
		t.Error("the edit did not change the analysis: the new client call is missing")
	}

	// An edit that keeps the size (and the stamp a tool could restore).
	same := bytes.Replace(edit, []byte("/audits/"), []byte("/audited"), 1)
	if err := os.WriteFile(name, same, 0o644); err != nil {
		t.Fatal(err)
	}
	got = analyzeWith(t, dir, cacheDir, 0)
	if want := []string{"worker/jobs/fulfil.py"}; !slices.Equal(got.parsed, want) {
		t.Errorf("after a same-size edit parsed %v, want %v", got.parsed, want)
	}
	if want := analyzeWith(t, dir, "", 0); got.out != want.out || !strings.Contains(got.out, "/audited") {
		t.Errorf("analysis after a same-size edit differs from the one without cache:\n%s", firstDiff(got.out, want.out))
	}
}

// TestCacheCorrupt damages the cache in two ways: entry files whose
// checksum fails, and well-formed entries whose payload does not decode.
// Both are misses: the file is parsed again, the analysis is the same,
// and the entry is written again.
func TestCacheCorrupt(t *testing.T) {
	dir, _ := filepath.Abs("../../fixtures/polyglot")
	cacheDir := t.TempDir()
	want := analyzeWith(t, dir, cacheDir, 0)
	files := entries(t, cacheDir)
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		data[len(data)-1] ^= 0xff
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	damaged := analyzeWith(t, dir, cacheDir, 1)
	if len(damaged.parsed) != len(files) {
		t.Errorf("with every entry damaged parsed %d files, want %d", len(damaged.parsed), len(files))
	}
	if damaged.out != want.out {
		t.Errorf("analysis with damaged entries differs:\n%s", firstDiff(damaged.out, want.out))
	}
	if r := analyzeWith(t, dir, cacheDir, 0); len(r.parsed) != 0 || r.out != want.out {
		t.Errorf("damaged entries were not written again: parsed %v", r.parsed)
	}

	// A payload the checksum vouches for but that does not decode: cut short.
	c, err := cache.Open(cacheDir)
	if err != nil {
		t.Fatal(err)
	}
	s := sourceOf(t, dir, "worker/app.py")
	src, _ := os.ReadFile(s.Abs)
	key := fileKey(testBuild, s.Grammar, src)
	good, ok := c.Get("polyglot", key)
	if !ok {
		t.Fatal("worker/app.py has no entry")
	}
	if err := c.Put("polyglot", key, good[:len(good)-1]); err != nil {
		t.Fatal(err)
	}
	r := analyzeWith(t, dir, cacheDir, 0)
	if want := []string{"worker/app.py"}; !slices.Equal(r.parsed, want) {
		t.Errorf("with one undecodable entry parsed %v, want %v", r.parsed, want)
	}
	if r.out != want.out {
		t.Errorf("analysis with an undecodable entry differs:\n%s", firstDiff(r.out, want.out))
	}
	if again, _ := c.Get("polyglot", key); !bytes.Equal(again, good) {
		t.Error("the undecodable entry was not written again")
	}
}

// sourceOf returns the source at rel under dir.
func sourceOf(t *testing.T, dir, rel string) source {
	t.Helper()
	tr, err := walk(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range tr.Sources {
		if s.Path == rel {
			return s
		}
	}
	t.Fatalf("no source %s", rel)
	return source{}
}

// TestCacheConcurrent runs analyses at the same time against one cold
// cache directory, each with its cache opened apart as separate processes
// would: all equal the analysis without cache, and the cache they leave
// holds every file, whole.
func TestCacheConcurrent(t *testing.T) {
	dir, _ := filepath.Abs("../../fixtures/polyglot")
	want := analyzeWith(t, dir, "", 0)
	cacheDir := t.TempDir()
	outs := make([]run, 4)
	var wg sync.WaitGroup
	for i := range outs {
		wg.Go(func() { outs[i] = analyzeWith(t, dir, cacheDir, 2) })
	}
	wg.Wait()
	for i, r := range outs {
		if r.out != want.out {
			t.Errorf("concurrent run %d differs:\n%s", i, firstDiff(r.out, want.out))
		}
	}
	if r := analyzeWith(t, dir, cacheDir, 0); len(r.parsed) != 0 || r.out != want.out {
		t.Errorf("after concurrent runs: parsed %v, equal %v", r.parsed, r.out == want.out)
	}
}

// TestCacheOff checks that a cache without a build is not used: a key
// needs the build to be sound.
func TestCacheOff(t *testing.T) {
	dir, _ := filepath.Abs("../../fixtures/polyglot")
	c, err := cache.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Analyze(context.Background(), dir, graph.New("x"), Options{Cache: c.Bucket("polyglot")}); err != nil {
		t.Fatal(err)
	}
	if n := len(entries(t, c.Dir())); n != 0 {
		t.Errorf("a cache without a build got %d entries", n)
	}
}

// TestFileKey checks that the key changes with each input and only with them.
func TestFileKey(t *testing.T) {
	base := fileKey("b1", "python", []byte("x = 1\n"))
	for name, k := range map[string]string{
		"build":   fileKey("b2", "python", []byte("x = 1\n")),
		"grammar": fileKey("b1", "java", []byte("x = 1\n")),
		"content": fileKey("b1", "python", []byte("x = 2\n")),
		"framing": fileKey("b1", "python\"\ncontent 6\nx = 1\n", nil),
	} {
		if k == base {
			t.Errorf("another %s gives the same key", name)
		}
	}
	if fileKey("b1", "python", []byte("x = 1\n")) != base {
		t.Error("the key is not a function of its inputs")
	}
}
