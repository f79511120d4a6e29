package analyzer

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFirstLine checks that the go command's failures read as one line.
func TestFirstLine(t *testing.T) {
	exit := errors.New("exit status 1")
	for _, tc := range []struct{ out, want string }{
		{"go: cannot load module a listed in go.work file\ngo: cannot load module b listed in go.work file\n", "go: cannot load module a listed in go.work file (and 1 more lines)"},
		{"pattern ./x: directory not found\n", "pattern ./x: directory not found"},
		{"  \n", "exit status 1"},
	} {
		if got := firstLine(tc.out, exit); got != tc.want {
			t.Errorf("firstLine(%q) = %q, want %q", tc.out, got, tc.want)
		}
	}
}

// A vendor directory listing packages it does not hold makes listing read
// the module cache, unless GOFLAGS chooses a module mode itself; a
// complete one is left to the go command.
func TestListEnvVendor(t *testing.T) {
	root := t.TempDir()
	write := func(name, data string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(filepath.Join(root, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/v\n")
	write("vendor/modules.txt", "# example.com/dep v1.0.0\n## explicit\nexample.com/dep/a\n")
	sub := filepath.Join(root, "cmd", "app")
	goflags := func(env []string) string {
		for _, kv := range env {
			if v, ok := strings.CutPrefix(kv, "GOFLAGS="); ok {
				return v
			}
		}
		return ""
	}
	t.Setenv("GOFLAGS", "-trimpath")
	if got := goflags(listEnv(vendorIncomplete(moduleRoot(sub)))); got != "-trimpath -mod=readonly" {
		t.Errorf("incomplete vendor: GOFLAGS=%q", got)
	}
	t.Setenv("GOFLAGS", "-mod=vendor")
	if got := goflags(listEnv(vendorIncomplete(moduleRoot(sub)))); got != "-mod=vendor" {
		t.Errorf("user's mode: GOFLAGS=%q", got)
	}
	write("vendor/example.com/dep/a/a.go", "package a\n")
	t.Setenv("GOFLAGS", "")
	if got := goflags(listEnv(vendorIncomplete(moduleRoot(sub)))); got != "" {
		t.Errorf("complete vendor: GOFLAGS=%q", got)
	}
}
