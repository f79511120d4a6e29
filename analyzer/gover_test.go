package analyzer_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/podsplit/podsplit/analyzer"
)

// TestLoadNewerPatchGo loads a module whose go.mod asks for the release
// after the local Go's, of the same language version: the go command
// pinned to the local toolchain refuses to list it, and podsplit lists it
// through a copy of go.mod naming the local release, leaving go.mod as it
// was. A later language version is still the go command's error.
func TestLoadNewerPatchGo(t *testing.T) {
	out, err := exec.Command("go", "env", "GOVERSION").Output()
	if err != nil {
		t.Fatal(err)
	}
	local := strings.TrimSpace(string(out))
	var major, minor, patch int
	if n, _ := fmt.Sscanf(strings.TrimPrefix(local, "go"), "%d.%d.%d", &major, &minor, &patch); n != 3 {
		t.Skipf("local Go %q has no release number", local)
	}
	load := func(goLine string) (*analyzer.Program, string, error) {
		dir := t.TempDir()
		mod := fmt.Sprintf("module example.com/newer\n\ngo %s\n\ntoolchain go%s\n", goLine, goLine)
		for name, data := range map[string]string{
			"go.mod":         mod,
			"app/app.go":     "package app\n\n// Hello greets.\nfunc Hello() string { return \"hi\" }\n",
			"cmd/hi/main.go": "package main\n\nimport \"example.com/newer/app\"\n\nfunc main() { println(app.Hello()) }\n",
		} {
			if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		p, err := analyzer.Load(context.Background(), analyzer.Options{Dir: dir})
		after, _ := os.ReadFile(filepath.Join(dir, "go.mod"))
		if string(after) != mod {
			t.Errorf("go.mod rewritten:\n%s", after)
		}
		return p, dir, err
	}

	p, _, err := load(fmt.Sprintf("%d.%d.%d", major, minor, patch+1))
	if err != nil {
		t.Fatalf("a later release of the same language version: %v", err)
	}
	if len(p.Packages) != 2 {
		t.Errorf("loaded %d packages, want 2", len(p.Packages))
	}
	found := false
	for _, d := range p.Diagnostics {
		found = found || d.Category == "load" && strings.Contains(d.Message, "-modfile")
	}
	if !found {
		t.Errorf("no load diagnostic saying go.mod was copied: %v", p.Diagnostics)
	}

	if _, _, err := load(fmt.Sprintf("%d.%d.0", major, minor+1)); err == nil || !strings.Contains(err.Error(), "requires go") {
		t.Errorf("a later language version: err = %v, want the go command's refusal", err)
	}
}
