package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/podsplit/podsplit/analyzer"
	"github.com/podsplit/podsplit/config"
	"github.com/podsplit/podsplit/internal/synth"
	"github.com/podsplit/podsplit/internal/txtartest"
	"github.com/podsplit/podsplit/report"
)

// writeArchive writes a txtar archive of testdata into a new directory.
func writeArchive(t *testing.T, name string) string {
	t.Helper()
	ar, err := txtar.ParseFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return txtartest.Write(t, ar)
}

// render is everything an analysis hands its consumers, as text: the graph
// as `podsplit graph --format json` prints it, the sites as the gate reads
// them, and the link facts.
func render(t *testing.T, a *Analysis) string {
	t.Helper()
	var buf bytes.Buffer
	if err := report.JSON(&buf, a.Graph); err != nil {
		t.Fatal(err)
	}
	for _, s := range a.Sites {
		var callees []string
		for _, fn := range s.Callees {
			callees = append(callees, analyzer.ShortName(fn))
		}
		fmt.Fprintf(&buf, "site %s %s %s %s→%v %v dynamic=%v bytype=%v\n", s.Pos, s.RelPos,
			analyzer.ShortName(s.Caller), s.From, s.To, callees, s.Dynamic, s.ByType)
	}
	facts, err := json.Marshal(a.Facts)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&buf, "facts %s\nroot %s modules %v\n", facts, a.Program.Root, a.Program.Modules)
	return buf.String()
}

func runOK(t *testing.T, o Options) *Analysis {
	t.Helper()
	a, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestCacheIdentical checks that an analysis read from the cache is, byte
// for byte, the analysis computed without it, on the demo monolith, a
// generated one and the small case.
func TestCacheIdentical(t *testing.T) {
	shop, _ := filepath.Abs("../../fixtures/shop")
	dirs := map[string]func(t *testing.T) string{
		"fixtures/shop": func(*testing.T) string { return shop },
		"shop.txtar":    func(t *testing.T) string { return writeArchive(t, "shop.txtar") },
		"synth": func(t *testing.T) string {
			dir := t.TempDir()
			if _, err := synth.Generate(dir, synth.Options{Packages: 40, Seed: 3}); err != nil {
				t.Fatal(err)
			}
			return dir
		},
	}
	for name, mk := range dirs {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := mk(t)
			want := render(t, runOK(t, Options{Dir: dir, NoCache: true}))
			o := Options{Dir: dir, CacheDir: t.TempDir()}
			for i, wantCached := range []bool{false, true, true} {
				a := runOK(t, o)
				if a.Cached != wantCached {
					t.Errorf("run %d: Cached = %v, want %v", i, a.Cached, wantCached)
				}
				if got := render(t, a); got != want {
					t.Fatalf("run %d (cached %v) differs from the analysis without cache:\n%s", i, a.Cached, firstDiff(got, want))
				}
			}
		})
	}
}

// TestDetach checks that a detached analysis, with or without the cache,
// is the analysis itself, and that it no longer holds the loaded program.
func TestDetach(t *testing.T) {
	dir, _ := filepath.Abs("../../fixtures/shop")
	want := render(t, runOK(t, Options{Dir: dir, NoCache: true}))
	for _, o := range []Options{{Dir: dir, NoCache: true, Detach: true}, {Dir: dir, CacheDir: t.TempDir(), Detach: true}} {
		a := runOK(t, o)
		if got := render(t, a); got != want {
			t.Fatalf("detached (no cache %v) differs:\n%s", o.NoCache, firstDiff(got, want))
		}
		if a.Cached || a.Program.Packages != nil || len(a.Program.SSA.AllPackages()) != 0 {
			t.Errorf("detached analysis keeps the loaded program: cached %v, %d packages, %d SSA packages",
				a.Cached, len(a.Program.Packages), len(a.Program.SSA.AllPackages()))
		}
		if len(a.Sites) == 0 || a.Sites[0].Caller.Pkg != nil {
			t.Errorf("sites keep their SSA functions")
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

// TestCacheInvalidation changes each kind of input in turn: the analysis
// must be recomputed, and match an analysis without the cache.
func TestCacheInvalidation(t *testing.T) {
	dir := writeArchive(t, "shop.txtar")
	o := Options{Dir: dir, CacheDir: t.TempDir()}
	runOK(t, o)
	check := func(what string, o Options, wantCached bool) *Analysis {
		t.Helper()
		a := runOK(t, o)
		if a.Cached != wantCached {
			t.Errorf("%s: Cached = %v, want %v", what, a.Cached, wantCached)
		}
		ref := o
		ref.NoCache = true
		if got, want := render(t, a), render(t, runOK(t, ref)); got != want {
			t.Errorf("%s: differs from the analysis without cache:\n%s", what, firstDiff(got, want))
		}
		return a
	}
	check("unchanged", o, true)
	write(t, dir, ".git/HEAD", "ref: refs/heads/other\n")
	check("version-control metadata changed", o, true)
	write(t, dir, "store/audit.go", "package store\n\nfunc Audit(key string) {}\n")
	write(t, dir, "orders/orders.go", strings.Replace(read(t, dir, "orders/orders.go"),
		"store.Count++", "store.Count++\n\tstore.Audit(r.URL.Path)", 1))
	a := check("a file changed", o, false)
	if !strings.Contains(render(t, a), "store.Audit") {
		t.Error("the new call to store.Audit is not in the analysis")
	}
	check("the same change again", o, true)
	write(t, dir, "web/app.py", strings.Replace(read(t, dir, "web/app.py"), "/orders\"", "/order\"", 1))
	check("a Python file changed", o, false)
	cha := o
	cha.Algo = "cha"
	check("another algorithm", cha, false)
	grouped := o
	grouped.Config = &config.Config{Groups: map[string][]string{"backend": {"./orders/...", "./store/..."}}}
	check("another configuration", grouped, false)
	if err := os.WriteFile(filepath.Join(dir, "trace.json"), []byte(`{"resourceSpans":[]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	check("runtime evidence", Options{Dir: dir, CacheDir: o.CacheDir, Runtime: []string{filepath.Join(dir, "trace.json")}}, false)
}

func write(t *testing.T, dir, name, data string) {
	t.Helper()
	path := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func read(t *testing.T, dir, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestCacheCorrupt damages every entry of the cache: the next run ignores
// them, computes the same analysis, and writes them again.
func TestCacheCorrupt(t *testing.T) {
	dir := writeArchive(t, "shop.txtar")
	o := Options{Dir: dir, CacheDir: t.TempDir()}
	want := render(t, runOK(t, o))
	n := 0
	filepath.WalkDir(o.CacheDir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Base(path) == "trim.txt" {
			return nil
		}
		data, _ := os.ReadFile(path)
		data[len(data)-1] ^= 0xff
		n++
		return os.WriteFile(path, data, 0o644)
	})
	if n < 3 {
		t.Fatalf("damaged %d entries; want results, types and file indexes", n)
	}
	a := runOK(t, o)
	if a.Cached {
		t.Error("a damaged entry was used")
	}
	if got := render(t, a); got != want {
		t.Fatalf("analysis after damage differs:\n%s", firstDiff(got, want))
	}
	if a := runOK(t, o); !a.Cached || render(t, a) != want {
		t.Errorf("damaged entries were not written again (cached %v)", a.Cached)
	}
}

// TestCacheConcurrent runs analyses of one tree at the same time, in this
// process and in others, against one cache: none may read a partial
// entry, and the cache they leave must give the same analysis.
func TestCacheConcurrent(t *testing.T) {
	dir := writeArchive(t, "shop.txtar")
	cacheDir := t.TempDir()
	want := render(t, runOK(t, Options{Dir: dir, NoCache: true}))
	var wg sync.WaitGroup
	outs := make([]string, 4)
	for i := range outs {
		wg.Go(func() {
			if i%2 == 0 {
				outs[i] = runHelper(t, dir, cacheDir)
				return
			}
			a, err := Run(context.Background(), Options{Dir: dir, CacheDir: cacheDir})
			if err != nil {
				outs[i] = err.Error()
				return
			}
			outs[i] = render(t, a)
		})
	}
	wg.Wait()
	for i, got := range outs {
		if got != want {
			t.Errorf("concurrent run %d differs:\n%s", i, firstDiff(got, want))
		}
	}
	if a := runOK(t, Options{Dir: dir, CacheDir: cacheDir}); !a.Cached || render(t, a) != want {
		t.Errorf("after concurrent runs: cached %v, equal %v", a.Cached, render(t, a) == want)
	}
}

// runHelper runs TestHelperRun in a new process of the test binary.
func runHelper(t *testing.T, dir, cacheDir string) string {
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperRun$")
	cmd.Env = append(os.Environ(), "PODSPLIT_HELPER_DIR="+dir, "PODSPLIT_HELPER_CACHE="+cacheDir)
	out, err := cmd.Output()
	if err != nil {
		return fmt.Sprintf("helper: %v", err)
	}
	got, _, _ := strings.Cut(string(out), "\n--- helper end\n")
	return got
}

// TestHelperRun is a helper process for TestCacheConcurrent.
func TestHelperRun(t *testing.T) {
	dir := os.Getenv("PODSPLIT_HELPER_DIR")
	if dir == "" {
		t.Skip("helper process")
	}
	a := runOK(t, Options{Dir: dir, CacheDir: os.Getenv("PODSPLIT_HELPER_CACHE")})
	fmt.Print(render(t, a) + "\n--- helper end\n")
}
