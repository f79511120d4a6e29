package evidence

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/podsplit/podsplit/analyzer"
	"github.com/podsplit/podsplit/graph"
)

// writeModule extracts testdata/name.txtar into dir.
func writeModule(dir, name string) error {
	ar, err := txtar.ParseFile(filepath.Join("testdata", name+".txtar"))
	if err != nil {
		return err
	}
	for _, f := range ar.Files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// command runs a program in dir with the go environment and extra env.
func command(dir string, env []string, name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(append(GoEnv(), "GOFLAGS="), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return nil
}

// shapes is the shapes module with runtime data recorded from it once for
// all tests: a coverage profile and a CPU profile of the test of package a,
// and the coverage counters of cmd/app built with -cover and run once.
type shapes struct {
	dir, cover, cpu, covdata string
}

var (
	shapesOnce sync.Once
	shapesData shapes
	shapesErr  error
	shapesTmp  string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if shapesTmp != "" {
		os.RemoveAll(shapesTmp)
	}
	os.Exit(code)
}

func recordShapes(t *testing.T) shapes {
	t.Helper()
	shapesOnce.Do(func() {
		shapesTmp, shapesErr = os.MkdirTemp("", "evidence-shapes-")
		if shapesErr == nil {
			shapesData, shapesErr = doRecordShapes(shapesTmp)
		}
	})
	if shapesErr != nil {
		t.Fatal(shapesErr)
	}
	return shapesData
}

func doRecordShapes(tmp string) (shapes, error) {
	s := shapes{dir: filepath.Join(tmp, "shapes"), cover: filepath.Join(tmp, "cover.out"),
		cpu: filepath.Join(tmp, "cpu.pprof"), covdata: filepath.Join(tmp, "covdata")}
	bin := filepath.Join(tmp, "app")
	steps := []func() error{
		func() error { return writeModule(s.dir, "shapes") },
		func() error {
			return command(s.dir, nil, "go", "test", "-covermode=count", "-coverpkg=./...", "-coverprofile="+s.cover,
				"-cpuprofile="+s.cpu, "-o", filepath.Join(tmp, "a.test"), "./a")
		},
		func() error {
			return command(s.dir, nil, "go", "build", "-cover", "-covermode=atomic", "-coverpkg=./...", "-o", bin, "./cmd/app")
		},
		func() error { return os.Mkdir(s.covdata, 0o755) },
		func() error { return command(tmp, []string{"GOCOVERDIR=" + s.covdata}, bin) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return s, err
		}
	}
	return s, nil
}

// load analyses the module in dir with the given call-graph algorithm.
func load(t testing.TB, dir string) *analyzer.Result {
	t.Helper()
	prog, err := analyzer.Load(context.Background(), analyzer.Options{Dir: dir, Algo: "vta"})
	if err != nil {
		t.Fatal(err)
	}
	return analyzer.Extract(prog)
}

// edge returns the call edge between two packages of the shapes module.
func edge(t testing.TB, g *graph.Graph, from, to string) *graph.Edge {
	t.Helper()
	const mod = "example.com/shapes/"
	e := g.Edge(mod+from, mod+to, graph.KindCall, "func")
	if e == nil {
		t.Fatalf("no call edge %s → %s", from, to)
	}
	return e
}

func calleeRuntime(t testing.TB, e *graph.Edge, fn string) int64 {
	t.Helper()
	c := callee(e, fn)
	if c == nil {
		t.Fatalf("edge %s → %s has no callee %s (callees %+v)", e.From, e.To, fn, e.Callees)
	}
	return c.Runtime
}

func hasEvidence(e *graph.Edge, substr string) bool {
	for _, ev := range e.Evidence {
		if strings.Contains(ev.Detail, substr) {
			return true
		}
	}
	return false
}
