//go:build cgo

package polyglot

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/podsplit/podsplit/internal/txtartest"
)

// modelFiles parses every source of the txtar cases, the fixture and a
// generated corpus, without cache.
func modelFiles(t testing.TB) []*file {
	dirs := []string{"../../fixtures/polyglot"}
	cases, _ := filepath.Glob("testdata/*.txtar")
	for _, name := range cases {
		ar, err := txtar.ParseFile(name)
		if err != nil {
			t.Fatal(err)
		}
		dirs = append(dirs, txtartest.Write(t, ar))
	}
	var files []*file
	for _, dir := range dirs {
		tr, err := walk(dir, Options{Tests: true})
		if err != nil {
			t.Fatal(err)
		}
		fs, err := parseAll(context.Background(), tr.Sources, Options{})
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, fs...)
	}
	return files
}

// TestFileRoundTrip encodes and decodes the model of every file of the
// test cases: the decoded model equals the original, unexported fields
// included, with the same calls shared between the same places, and
// encodes to the same bytes. Every shorter payload fails to decode.
func TestFileRoundTrip(t *testing.T) {
	files := modelFiles(t)
	shared := 0
	for _, f := range files {
		data, err := encodeFile(f)
		if err != nil {
			t.Fatalf("%s: %v", f.Path, err)
		}
		g := &file{Path: f.Path, Lang: f.Lang, Generated: f.Generated}
		if err := decodeFile(data, g); err != nil {
			t.Fatalf("%s: %v", f.Path, err)
		}
		if !reflect.DeepEqual(f, g) {
			t.Errorf("%s: decoded model differs from the original", f.Path)
		}
		if again, _ := encodeFile(g); !bytes.Equal(again, data) {
			t.Errorf("%s: decoded model encodes differently", f.Path)
		}
		n, msg := sameSharing(f, g)
		if msg != "" {
			t.Errorf("%s: %s", f.Path, msg)
		}
		shared += n
		for cut := range len(data) {
			h := &file{}
			if decodeFile(data[:cut], h) == nil {
				t.Errorf("%s: payload cut to %d of %d bytes decodes", f.Path, cut, len(data))
				break
			}
		}
	}
	if shared == 0 {
		t.Error("no call is reached from two places in any test file: sharing is not tested")
	}
}

// sameSharing walks the calls of two models in the same order and checks
// that one call of a is always the same call of b, and two calls of a two
// calls of b. It returns how many calls were reached more than once.
func sameSharing(a, b *file) (int, string) {
	ab, ba := map[*call]*call{}, map[*call]*call{}
	var pa, pb []*call
	var walkFile func(f *file, out *[]*call)
	var walkValue func(v value, out *[]*call)
	walkCall := func(c *call, out *[]*call) {
		*out = append(*out, c)
	}
	walkValue = func(v value, out *[]*call) {
		if v.Call != nil {
			walkCall(v.Call, out)
			walkValue(v.Call.Recv, out)
			for _, x := range v.Call.Args {
				walkValue(x, out)
			}
			for _, k := range sortedKeys(v.Call.Kw) {
				walkValue(v.Call.Kw[k], out)
			}
		}
		for _, x := range slices.Concat(v.Holes, v.Items) {
			walkValue(x, out)
		}
		for _, k := range sortedKeys(v.Fields) {
			walkValue(v.Fields[k], out)
		}
	}
	walkFile = func(f *file, out *[]*call) {
		var calls []*call
		calls = append(calls, f.Calls...)
		for _, d := range f.Decls {
			calls = append(calls, d.Decorators...)
		}
		for _, c := range calls {
			walkValue(value{Call: c}, out)
		}
		for _, k := range sortedKeys(f.Bindings) {
			walkValue(f.Bindings[k].Value, out)
		}
	}
	walkFile(a, &pa)
	walkFile(b, &pb)
	if len(pa) != len(pb) {
		return 0, fmt.Sprintf("%d call references, decoded %d", len(pa), len(pb))
	}
	repeats := 0
	for i := range pa {
		x, y := pa[i], pb[i]
		if m, ok := ab[x]; ok {
			repeats++
			if m != y {
				return 0, fmt.Sprintf("call reference %d: a shared call became two", i)
			}
		} else if _, ok := ba[y]; ok {
			return 0, fmt.Sprintf("call reference %d: two calls became one", i)
		}
		ab[x], ba[y] = y, x
	}
	return repeats, ""
}

// FuzzDecodeFile checks that no payload makes decoding panic or loop, and
// that a payload that decodes encodes a model that decodes the same.
func FuzzDecodeFile(f *testing.F) {
	for i, m := range modelFiles(f) {
		if i%8 == 0 {
			data, _ := encodeFile(m)
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var a file
		if decodeFile(data, &a) != nil {
			return
		}
		again, err := encodeFile(&a)
		if err != nil {
			t.Fatalf("decoded model does not encode: %v", err)
		}
		var b file
		if err := decodeFile(again, &b); err != nil || !reflect.DeepEqual(a, b) {
			t.Fatalf("decoded model does not round-trip: %v", err)
		}
	})
}
