package analyzer

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
)

// Building each package's SSA as soon as it is checked gives the graph
// that building them all at the end gives, and releases every package's
// type information.
func TestStreamedSSAMatchesBatch(t *testing.T) {
	dir, err := filepath.Abs("../fixtures/shop")
	if err != nil {
		t.Fatal(err)
	}
	graphOf := func(batch bool) []byte {
		p, err := Load(context.Background(), Options{Dir: dir, Algo: "vta", batch: batch})
		if err != nil {
			t.Fatal(err)
		}
		for i, pkg := range p.Packages {
			if pkg.TypesInfo != nil {
				t.Errorf("batch=%v: %s keeps its type information", batch, pkg.PkgPath)
			}
			if p.SSAPackages[i] == nil && len(pkg.Errors) == 0 {
				t.Errorf("batch=%v: %s has no SSA", batch, pkg.PkgPath)
			}
		}
		b, err := json.Marshal(Extract(p).Graph)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	streamed, batched := graphOf(false), graphOf(true)
	if !bytes.Equal(streamed, batched) {
		t.Errorf("streamed and batch builds differ: %d and %d bytes of JSON", len(streamed), len(batched))
	}
}
