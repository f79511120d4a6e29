package main

import (
	"context"
	"errors"
	"io"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/podsplit/podsplit/manifest"
)

// TestProduceOutputs checks that outputs produced at once are merged from
// every producer, owned directories included, and that the error of the
// first producer in order is the one returned, whichever finishes first.
func TestProduceOutputs(t *testing.T) {
	adds := func(name string, owned ...string) scanOutput {
		return func(_ context.Context, _ *analysis, out *outputs) error {
			out.add(name, []byte(name))
			out.owned = append(out.owned, owned...)
			return nil
		}
	}
	out, err := produceOutputs(context.Background(), &analysis{}, []scanOutput{adds("a"), adds("m/x", "m/steps"), adds("b", "m/docker")})
	if err != nil {
		t.Fatal(err)
	}
	if got := sortedNames(out.files); !slices.Equal(got, []string{"a", "b", "m/x"}) {
		t.Errorf("files %v", got)
	}
	if !slices.Equal(out.owned, []string{"m/steps", "m/docker"}) {
		t.Errorf("owned %v", out.owned)
	}

	first, second := errors.New("first"), errors.New("second")
	release := make(chan struct{})
	fails := func(err error, wait bool) scanOutput {
		return func(context.Context, *analysis, *outputs) error {
			if wait {
				<-release // the first producer fails last
			} else {
				defer close(release)
			}
			return err
		}
	}
	if _, err := produceOutputs(context.Background(), &analysis{}, []scanOutput{adds("a"), fails(first, true), fails(second, false)}); !errors.Is(err, first) {
		t.Errorf("error %v, want the first producer's", err)
	}
}

// TestScanOutputsConcurrent checks that scan's outputs produced at once are
// those produced one after another, and that the report and the manifests
// share one build of the manifests.
func TestScanOutputsConcurrent(t *testing.T) {
	shop := filepath.Join("..", "..", "fixtures", "shop")
	analyse := func() *analysis {
		a, err := analyze(context.Background(), []string{shop}, defaultAnalyzeFlags(), io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	a := analyse()
	at, err := produceOutputs(context.Background(), a, scanOutputs)
	if err != nil {
		t.Fatal(err)
	}
	m1, err := buildManifests(a, manifest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	m2, _ := buildManifests(a, manifest.Options{})
	if reflect.ValueOf(m1).Pointer() != reflect.ValueOf(m2).Pointer() {
		t.Error("the manifests were built twice for the same options")
	}
	if m3, _ := buildManifests(a, manifest.Options{Mesh: "linkerd"}); reflect.DeepEqual(m1, m3) {
		t.Error("other options returned the same manifests")
	}

	b := analyse()
	one := &outputs{files: map[string][]byte{}}
	for _, produce := range scanOutputs {
		if err := produce(context.Background(), b, one); err != nil {
			t.Fatal(err)
		}
	}
	if !slices.Equal(sortedNames(at.files), sortedNames(one.files)) {
		t.Fatalf("files differ: %d against %d", len(at.files), len(one.files))
	}
	for name, data := range one.files {
		if string(at.files[name]) != string(data) {
			t.Errorf("%s differs when produced concurrently", name)
		}
	}
}
