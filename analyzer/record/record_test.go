package record

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/podsplit/podsplit/analyzer"
	"github.com/podsplit/podsplit/analyzer/evidence"
	"github.com/podsplit/podsplit/graph"
	"github.com/podsplit/podsplit/internal/txtartest"
)

func writeModule(t *testing.T, name string) string {
	t.Helper()
	ar, err := txtar.ParseFile(filepath.Join("testdata", name+".txtar"))
	if err != nil {
		t.Fatal(err)
	}
	return txtartest.Write(t, ar)
}

// tree lists the files below dir, to check that recording wrote nothing
// outside its runtime directory.
func tree(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, path)
			files = append(files, rel)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func readManifest(t *testing.T, dir string) evidence.Manifest {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, evidence.ManifestFile))
	if err != nil {
		t.Fatal(err)
	}
	var m evidence.Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// merged loads the module and merges the runtime directory into it.
func merged(t *testing.T, mod, runtime string) *graph.Graph {
	t.Helper()
	prog, err := analyzer.Load(context.Background(), analyzer.Options{Dir: mod})
	if err != nil {
		t.Fatal(err)
	}
	res := analyzer.Extract(prog)
	if err := evidence.Merge(res, []string{runtime}, evidence.Options{}); err != nil {
		t.Fatal(err)
	}
	return res.Graph
}

func runtimeOf(t *testing.T, g *graph.Graph, from, to string) int64 {
	t.Helper()
	e := g.Edge("example.com/tiny/"+from, "example.com/tiny/"+to, graph.KindCall, "func")
	if e == nil {
		t.Fatalf("no edge %s → %s", from, to)
	}
	return e.Runtime
}

func TestTests(t *testing.T) {
	for _, cpu := range []bool{false, true} {
		t.Run(map[bool]string{false: "coverage", true: "cpuprofile"}[cpu], func(t *testing.T) {
			mod := writeModule(t, "tiny")
			before := tree(t, mod)
			out := filepath.Join(t.TempDir(), "rt")
			res, err := Tests(context.Background(), Options{Dir: mod, Out: out, CPUProfile: cpu})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Warnings) > 0 {
				t.Errorf("warnings: %v", res.Warnings)
			}
			if after := tree(t, mod); !slices.Equal(before, after) {
				t.Errorf("recording changed the module: %v → %v", before, after)
			}
			m := readManifest(t, out)
			var inputs []string
			for _, in := range m.Inputs {
				inputs = append(inputs, in.Kind+" "+in.Path)
			}
			want := []string{"coverprofile coverage.out"}
			if cpu {
				want = append(want, "pprof cpu/a.pprof", "pprof cpu/b.pprof")
			}
			if m.Schema != evidence.ManifestSchema || m.Mode != "tests" || m.Module != "example.com/tiny" || !slices.Equal(inputs, want) {
				t.Errorf("manifest %+v, inputs %v, want %v", m, inputs, want)
			}
			if files := tree(t, out); slices.ContainsFunc(files, func(f string) bool { return strings.HasSuffix(f, ".test") }) {
				t.Errorf("test binaries left behind: %v", files)
			}
			// a's test runs Run once: five calls of b.F. b's own test
			// calls F within b, which is no edge.
			g := merged(t, mod, out)
			if n := runtimeOf(t, g, "a", "b"); n != 5 {
				t.Errorf("a → b runtime %d, want 5", n)
			}
			if n := runtimeOf(t, g, "c", "b"); n != 0 {
				t.Errorf("c → b runtime %d, want 0", n)
			}
		})
	}
}

func TestTestsFailing(t *testing.T) {
	mod := writeModule(t, "tiny")
	bad := "package a\n\nimport \"testing\"\n\nfunc TestFail(t *testing.T) { Run(); t.Fatal(\"fails\") }\n"
	if err := os.WriteFile(filepath.Join(mod, "a", "fail_test.go"), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "rt")
	res, err := Tests(context.Background(), Options{Dir: mod, Out: out})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "go test failed") {
		t.Errorf("warnings %v", res.Warnings)
	}
	if n := runtimeOf(t, merged(t, mod, out), "a", "b"); n != 10 {
		t.Errorf("a → b runtime %d, want 10 (two tests run Run)", n)
	}
}

// buildApp builds cmd/app of the tiny module with coverage counters.
func buildApp(t *testing.T, mod string, cover bool) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "app")
	args := []string{"build", "-o", bin}
	if cover {
		args = append(args, "-cover", "-covermode=atomic", "-coverpkg=./...")
	}
	cmd := exec.Command("go", append(args, "./cmd/app")...)
	cmd.Dir = mod
	cmd.Env = append(evidence.GoEnv(), "GOFLAGS=")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func TestCommand(t *testing.T) {
	mod := writeModule(t, "tiny")
	bin := buildApp(t, mod, true)
	out := filepath.Join(t.TempDir(), "rt")
	var stdout strings.Builder
	res, err := Command(context.Background(), []string{bin}, Options{Out: out, Stdout: &stdout})
	if err != nil {
		t.Fatal(err)
	}
	if stdout.String() != "15\n" || len(res.Warnings) > 0 {
		t.Errorf("stdout %q, warnings %v", stdout.String(), res.Warnings)
	}
	m := readManifest(t, out)
	if m.Mode != "command" || !slices.Equal(m.Command, []string{bin}) || !slices.Equal(m.Raw, []string{"covdata"}) || len(m.Inputs) != 1 {
		t.Errorf("manifest %+v", m)
	}
	g := merged(t, mod, out)
	if n := runtimeOf(t, g, "a", "b"); n != 5 {
		t.Errorf("a → b runtime %d, want 5", n)
	}
	if n := runtimeOf(t, g, "cmd/app", "a"); n != 1 {
		t.Errorf("cmd/app → a runtime %d, want 1", n)
	}

	// Recording again into the same directory replaces the data rather
	// than adding to it; a failing exit is a warning.
	res, err = Command(context.Background(), []string{bin, "3"}, Options{Out: out})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "exit status 3") {
		t.Errorf("warnings %v", res.Warnings)
	}
	if n := runtimeOf(t, merged(t, mod, out), "a", "b"); n != 5 {
		t.Errorf("after a second recording a → b runtime %d, want 5", n)
	}
}

func TestCommandSetMode(t *testing.T) {
	mod := writeModule(t, "tiny")
	bin := filepath.Join(t.TempDir(), "app")
	cmd := exec.Command("go", "build", "-cover", "-o", bin, "./cmd/app")
	cmd.Dir = mod
	cmd.Env = append(evidence.GoEnv(), "GOFLAGS=")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	res, err := Command(context.Background(), []string{bin}, Options{Out: filepath.Join(t.TempDir(), "rt")})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "-covermode=atomic") {
		t.Errorf("warnings %v", res.Warnings)
	}
}

func TestCommandWithoutCover(t *testing.T) {
	mod := writeModule(t, "tiny")
	bin := buildApp(t, mod, false)
	_, err := Command(context.Background(), []string{bin}, Options{Out: filepath.Join(t.TempDir(), "rt")})
	if err == nil || !strings.Contains(err.Error(), "go build -cover") {
		t.Errorf("error %v, want advice to build with -cover", err)
	}
	_, err = Command(context.Background(), []string{filepath.Join(t.TempDir(), "missing")}, Options{Out: filepath.Join(t.TempDir(), "rt")})
	if err == nil || !strings.HasPrefix(err.Error(), "running ") {
		t.Errorf("missing program: %v", err)
	}
}

func TestPrepareRefusesOtherDirs(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := prepare(dir); !errors.Is(err, ErrNotRuntimeDir) {
		t.Errorf("error %v, want ErrNotRuntimeDir", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "notes.txt")); err != nil {
		t.Errorf("the user's file is gone: %v", err)
	}
}

func TestProfileName(t *testing.T) {
	for pkg, want := range map[string]string{
		"example.com/shop":                "shop.pprof",
		"example.com/shop/orders":         "orders.pprof",
		"example.com/shop/catalog/search": "catalog_search.pprof",
	} {
		if got := profileName("example.com/shop", pkg); got != want {
			t.Errorf("profileName(%q) = %q, want %q", pkg, got, want)
		}
	}
}
