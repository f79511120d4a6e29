package synth

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"
)

func TestGenerateBuilds(t *testing.T) {
	dir := t.TempDir()
	truth, err := Generate(dir, Options{Packages: 30, Domains: 3, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	if len(truth) != 32 { // 30 packages, money, cmd/app
		t.Errorf("truth has %d entries, want 32", len(truth))
	}
	cmd := exec.Command("go", "vet", "./...")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local", "GOFLAGS=-mod=mod")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("generated module does not vet: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(dir, "d00", "p0000", "p0000.go")); err != nil {
		t.Error(err)
	}
}

func TestDeterministic(t *testing.T) {
	a, ta := Files(Options{Packages: 40, Seed: 3})
	b, tb := Files(Options{Packages: 40, Seed: 3})
	if !reflect.DeepEqual(a, b) || !reflect.DeepEqual(ta, tb) {
		t.Fatal("same options gave different monoliths")
	}
	c, _ := Files(Options{Packages: 40, Seed: 4})
	if reflect.DeepEqual(a, c) {
		t.Fatal("different seeds gave the same monolith")
	}
}
