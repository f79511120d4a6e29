package manifest

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/podsplit/podsplit/plan"
)

var update = flag.Bool("update", false, "rewrite golden files and the want sections of testdata/*.txtar")

// A case is a txtar archive under testdata/: a plan.json, optionally the
// options.json to build it with, and the expectation:
//
//	want-files        every generated path, one per line
//	want/PATH         the exact content of one generated file
//	want-error        a substring of the error Build must return
func TestCases(t *testing.T) {
	archives, _ := filepath.Glob("testdata/*.txtar")
	if len(archives) == 0 {
		t.Fatal("no test cases")
	}
	for _, file := range archives {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			runCase(t, file)
		})
	}
}

func runCase(t *testing.T, file string) {
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	p, opts := caseInput(t, ar)
	files, err := Build(p, opts)
	if want := section(ar, "want-error"); want != nil {
		if err == nil || !strings.Contains(err.Error(), strings.TrimSpace(string(want))) {
			t.Fatalf("Build: error %v, want one containing %q", err, strings.TrimSpace(string(want)))
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	check(t, files)
	got := map[string][]byte{"want-files": []byte(strings.Join(sortedKeys(files), "\n") + "\n")}
	for _, f := range ar.Files {
		if rel, ok := strings.CutPrefix(f.Name, "want/"); ok {
			got[f.Name] = files[rel]
		}
	}
	if *update {
		for i, f := range ar.Files {
			if data, ok := got[f.Name]; ok {
				ar.Files[i].Data = data
			}
		}
		if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	for _, f := range ar.Files {
		if data, ok := got[f.Name]; ok && !bytes.Equal(data, f.Data) {
			t.Errorf("%s differs (go test -update to accept):\n%s", f.Name, lineDiff(f.Data, data))
		}
	}
}

func caseInput(t *testing.T, ar *txtar.Archive) (*plan.Plan, Options) {
	t.Helper()
	var p plan.Plan
	if err := json.Unmarshal(section(ar, "plan.json"), &p); err != nil {
		t.Fatalf("plan.json: %v", err)
	}
	var opts Options
	if data := section(ar, "options.json"); data != nil {
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&opts); err != nil {
			t.Fatalf("options.json: %v", err)
		}
	}
	return &p, opts
}

func section(ar *txtar.Archive, name string) []byte {
	i := slices.IndexFunc(ar.Files, func(f txtar.File) bool { return f.Name == name })
	if i < 0 {
		return nil
	}
	return ar.Files[i].Data
}

func lineDiff(want, got []byte) string {
	d, _ := Diff(Files{"steps/00-want/f": want, "steps/01-got/f": got}, "00-want", "01-got")
	return d
}
