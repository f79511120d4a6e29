package evidence

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/pprof/profile"

	"github.com/podsplit/podsplit/graph"
)

func TestBaseName(t *testing.T) {
	for sym, want := range map[string]string{
		"Place":                       "Place",
		"(*Service).Place":            "Service.Place",
		"Service.Place":               "Service.Place",
		"(*Service).Place.func1":      "Service.Place",
		"(*Service).Place.func1.2":    "Service.Place",
		"(*Service).Place-fm":         "Service.Place",
		"Map[...]":                    "Map",
		"Map[go.shape.int,x.com/y.T]": "Map",
		"(*List[...]).Push":           "List.Push",
		"glob..func1":                 "glob",
		"init.0":                      "init",
		"Run.gowrap1":                 "Run",
		"Run.deferwrap2":              "Run",
		"Each-range1":                 "Each",
	} {
		if got := baseName(sym); got != want {
			t.Errorf("baseName(%q) = %q, want %q", sym, got, want)
		}
	}
	if got := escapePath("gopkg.in/yaml.v3"); got != "gopkg.in/yaml%2ev3" {
		t.Errorf("escapePath = %q", got)
	}
}

// TestFrameNames ties runtime function names to the shapes module.
func TestFrameNames(t *testing.T) {
	s := recordShapes(t)
	res := load(t, s.dir)
	x := newFuncIndex(res.Program, newFileIndex(res.Program))
	const mod = "example.com/shapes/"
	for _, tc := range []struct {
		name, file string
		status     int
		comp       string
	}{
		{mod + "c.(*Heavy).Work", "/build/c/c.go", frameMapped, mod + "c"},
		{mod + "a.Run.func1", "/build/a/a.go", frameMapped, mod + "a"},
		// A closure of c inlined into a.Run is named after a.Run but
		// written in c, which its file tells.
		{mod + "a.Run.Work.func1", "c.go (inlined)", frameMapped, mod + "c"},
		{mod + "b.Sum[...]", "/build/b/b.go", frameMapped, mod + "b"},
		{mod + "a.glob..func1", "/build/a/a.go", frameMapped, mod + "a"},
		{"main.main", "/elsewhere/cmd/app/main.go", frameMapped, mod + "cmd/app"},
		{mod + "a.Gone", "/build/a/a.go", frameUnmapped, mod + "a"},
		{mod + "a.TestRun", "/build/a/a_test.go", frameTest, mod + "a"},
		{mod + "g.New", "/build/g/g.go", frameOutside, ""},
		{"runtime.main", "/go/src/runtime/proc.go", frameExternal, ""},
		{"main.main", "/tmp/_testmain.go", frameExternal, ""},
	} {
		if tc.file == "c.go (inlined)" {
			tc.file = filepath.Join(s.dir, "c", "c.go")
		}
		fi := x.resolve(tc.name, tc.file)
		if fi.status != tc.status || fi.comp != tc.comp {
			t.Errorf("%s in %s: status %d component %q, want %d %q", tc.name, tc.file, fi.status, fi.comp, tc.status, tc.comp)
		}
	}
}

func TestFramesInlined(t *testing.T) {
	fn := func(name string) *profile.Function { return &profile.Function{Name: name} }
	s := &profile.Sample{Location: []*profile.Location{
		{Line: []profile.Line{{Function: fn("leaf"), Line: 3}, {Function: fn("inlinedCaller"), Line: 7}}},
		{Line: []profile.Line{{Function: fn("root"), Line: 9}}},
	}}
	var got []string
	for _, f := range frames(s) {
		got = append(got, f.fn)
	}
	if want := []string{"leaf", "inlinedCaller", "root"}; !slices.Equal(got, want) {
		t.Errorf("frames %v, want %v", got, want)
	}
}

// TestInlinedPair merges a profile whose only cross-component call was
// inlined: both functions share one location.
func TestInlinedPair(t *testing.T) {
	s := recordShapes(t)
	run := &profile.Function{ID: 1, Name: "example.com/shapes/a.Run", Filename: filepath.Join(s.dir, "a/a.go")}
	work := &profile.Function{ID: 2, Name: "example.com/shapes/c.(*Heavy).Work", Filename: filepath.Join(s.dir, "c/c.go")}
	loc := &profile.Location{ID: 1, Address: 0x1000, Line: []profile.Line{{Function: work, Line: 9}, {Function: run, Line: 29}}}
	p := &profile.Profile{
		SampleType: []*profile.ValueType{{Type: "samples", Unit: "count"}, {Type: "cpu", Unit: "nanoseconds"}},
		PeriodType: &profile.ValueType{Type: "cpu", Unit: "nanoseconds"}, Period: 10_000_000,
		Sample:   []*profile.Sample{{Location: []*profile.Location{loc}, Value: []int64{3, 30_000_000}}},
		Location: []*profile.Location{loc}, Function: []*profile.Function{run, work},
	}
	var buf bytes.Buffer
	if err := p.Write(&buf); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "inlined.pprof")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	res := load(t, s.dir)
	if err := Merge(res, []string{path}, Options{}); err != nil {
		t.Fatal(err)
	}
	e := edge(t, res.Graph, "a", "c")
	if e.CPUNs != 30_000_000 || !hasEvidenceAt(e, "a/a.go:29", "30ms CPU below this call (pprof)") {
		t.Errorf("a → c: %+v", e)
	}
}

func hasEvidenceAt(e *graph.Edge, pos, detail string) bool {
	return slices.Contains(e.Evidence, graph.Evidence{Pos: pos, Detail: detail})
}

// TestRuntimeDir reads a directory of inputs, with and without a manifest.
func TestRuntimeDir(t *testing.T) {
	s := recordShapes(t)
	dir := t.TempDir()
	copyFile(t, s.cover, filepath.Join(dir, "coverage.out"))
	copyFile(t, s.cpu, filepath.Join(dir, "cpu", "a.pprof"))
	res := load(t, s.dir)
	if err := Merge(res, []string{dir}, Options{}); err != nil {
		t.Fatal(err)
	}
	if st := res.Graph.Stats.Runtime; len(st.Inputs) != 2 || edge(t, res.Graph, "a", "b").Runtime != 8 {
		t.Errorf("plain directory: inputs %v", st.Inputs)
	}
	man := `{"schema": "podsplit.runtime/v1", "mode": "tests", "inputs": [{"path": "coverage.out", "kind": "coverprofile"}]}`
	if err := os.WriteFile(filepath.Join(dir, ManifestFile), []byte(man), 0o644); err != nil {
		t.Fatal(err)
	}
	res = load(t, s.dir)
	if err := Merge(res, []string{dir}, Options{}); err != nil {
		t.Fatal(err)
	}
	if st := res.Graph.Stats.Runtime; len(st.Inputs) != 1 {
		t.Errorf("with a manifest: inputs %v, want only coverage.out", st.Inputs)
	}
	man = `{"schema": "podsplit.runtime/v1", "mode": "tests", "inputs": [{"path": "../coverage.out", "kind": "coverprofile"}]}`
	if err := os.WriteFile(filepath.Join(dir, ManifestFile), []byte(man), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Merge(load(t, s.dir), []string{dir}, Options{}); err == nil {
		t.Error("a manifest naming a file outside its directory was accepted")
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestSplit(t *testing.T) {
	for _, tc := range []struct {
		n       int64
		weights []int64
		want    []int64
	}{
		{4, []int64{1, 1}, []int64{2, 2}},
		{5, []int64{1, 1}, []int64{3, 2}},
		{10, []int64{1, 1, 1}, []int64{4, 3, 3}},
		{4, []int64{1, 30}, []int64{0, 4}},
		{0, []int64{1, 1}, []int64{0, 0}},
		{1 << 62, []int64{1 << 62, 1 << 62}, []int64{1 << 61, 1 << 61}},
	} {
		if got := split(tc.n, tc.weights); !slices.Equal(got, tc.want) {
			t.Errorf("split(%d, %v) = %v, want %v", tc.n, tc.weights, got, tc.want)
		}
	}
}

func TestPercentile(t *testing.T) {
	var v []int64
	for i := int64(1); i <= 10; i++ {
		v = append(v, i)
	}
	for p, want := range map[int]int64{50: 5, 95: 10, 99: 10, 10: 1} {
		if got := percentile(v, p); got != want {
			t.Errorf("p%d = %d, want %d", p, got, want)
		}
	}
}
