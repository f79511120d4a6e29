package analyzer_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/podsplit/podsplit/analyzer"
	"github.com/podsplit/podsplit/report"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestGoldenShop compares the component graph of fixtures/shop, as JSON and
// DOT, with the golden files, and checks two runs are byte-identical.
func TestGoldenShop(t *testing.T) {
	dir, _ := filepath.Abs("../fixtures/shop")
	var runs [2]map[string][]byte
	for i := range runs {
		p, err := analyzer.Load(context.Background(), analyzer.Options{Dir: dir})
		if err != nil {
			t.Fatal(err)
		}
		g := analyzer.Extract(p).Graph
		var js, dot bytes.Buffer
		if err := report.JSON(&js, g); err != nil {
			t.Fatal(err)
		}
		if err := report.DOT(&dot, g); err != nil {
			t.Fatal(err)
		}
		runs[i] = map[string][]byte{"shop.graph.json": js.Bytes(), "shop.graph.dot": dot.Bytes()}
	}
	for name, got := range runs[0] {
		if !bytes.Equal(got, runs[1][name]) {
			t.Errorf("%s differs between two runs", name)
		}
		golden := filepath.Join("testdata", "golden", name)
		if *update {
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test ./analyzer -run Golden -update)", err)
		}
		if diff := cmp.Diff(string(want), string(got)); diff != "" {
			t.Errorf("%s mismatch (-want +got):\n%s", name, diff)
		}
	}
}
