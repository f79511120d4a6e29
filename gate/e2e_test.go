package gate_test

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/podsplit/podsplit/config"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
	binDir  string
)

// TestMain removes the podsplit binary the end-to-end tests build, once,
// on first use.
func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// podsplitBin builds the podsplit command once per test binary.
func podsplitBin(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		binDir, binErr = os.MkdirTemp("", "podsplit-gate-e2e")
		if binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "podsplit")
		if runtime.GOOS == "windows" {
			binPath += ".exe"
		}
		out, err := exec.Command("go", "build", "-o", binPath, "github.com/podsplit/podsplit/cmd/podsplit").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("building podsplit: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// podsplit runs the command and returns its stdout, stderr and exit code.
func podsplit(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(podsplitBin(t), args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	return out.String(), errb.String(), code
}

// copyTree copies the directory src into dst.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A forbidden call is a pull request's shortcut: a new function in one
// package that calls straight into another.
type forbiddenCall struct {
	from, to string // package directories
	call     string // the call expression
}

// candidates are calls that compile without import cycles in the shop.
var candidates = []forbiddenCall{
	{"notifications", "inventory", "inventory.NewMemoryStore(nil)"},
	{"inventory", "notifications", "notifications.NewDispatcher(nil)"},
	{"inventory", "users", "users.NewMemoryRepository()"},
	{"catalog", "users", "users.NewMemoryRepository()"},
}

// pickForbidden returns the first candidate whose two packages lie in
// services that podsplit init's configuration keeps in separate processes.
func pickForbidden(t *testing.T, cfg *config.Config) forbiddenCall {
	t.Helper()
	const mod = "example.com/shop/"
	for _, c := range candidates {
		a, b := cfg.ServiceOf("example.com/shop", mod+c.from), cfg.ServiceOf("example.com/shop", mod+c.to)
		if a == "" || b == "" || a == "-" || b == "-" || a == b || ceiling(cfg, a, b) == "process" {
			continue
		}
		return c
	}
	t.Fatalf("podsplit init put every candidate pair in one service; add a candidate for services %v", cfg.Services)
	return forbiddenCall{}
}

func ceiling(cfg *config.Config, a, b string) string {
	for _, r := range cfg.Tiers {
		if (r.Between[0] == a && r.Between[1] == b) || (r.Between[0] == b && r.Between[1] == a) {
			return r.Max
		}
	}
	return "network"
}

// writePR adds the forbidden call in a new file, below pad blank comment
// lines, and returns the file's repository-relative name and the call's line.
func writePR(t *testing.T, dir string, c forbiddenCall, pad int) (string, int) {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "package %s\n\nimport %q\n\n", filepath.Base(c.from), "example.com/shop/"+c.to)
	b.WriteString(strings.Repeat("//\n", pad))
	fmt.Fprintf(&b, "// Shortcut is a pull request's shortcut across a service boundary.\nfunc Shortcut() {\n\t_ = %s\n}\n", c.call)
	name := c.from + "/shortcut.go"
	if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(name)), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	line := strings.Count(b.String()[:strings.Index(b.String(), c.call)], "\n") + 1
	return name, line
}

// TestEndToEnd follows a team through the gate on a copy of fixtures/shop:
// init, a pull request with a forbidden call, the baseline, code moving
// down, the call's removal.
func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("analyses fixtures/shop several times")
	}
	dir := t.TempDir()
	copyTree(t, filepath.Join("..", "fixtures", "shop"), dir)

	out, errOut, code := podsplit(t, "init", dir)
	if code != 0 {
		t.Fatalf("init: exit %d\n%s%s", code, out, errOut)
	}
	cfg, err := config.Load(filepath.Join(dir, "podsplit.yaml"))
	if err != nil {
		t.Fatalf("init wrote a configuration that does not load: %v", err)
	}
	if _, _, code := podsplit(t, "init", dir); code != 2 {
		t.Errorf("second init without --force: exit %d, want 2", code)
	}
	if out, errOut, code := podsplit(t, "gate", dir); code != 0 {
		t.Fatalf("gate right after init: exit %d, want 0\n%s%s", code, out, errOut)
	}

	c := pickForbidden(t, cfg)
	file, line := writePR(t, dir, c, 0)
	sarifPath := filepath.Join(t.TempDir(), "gate.sarif")
	githubPath := filepath.Join(t.TempDir(), "gate.github")
	out, _, code = podsplit(t, "gate", "--write", "sarif="+sarifPath, "--write", "github="+githubPath, dir)
	want := fmt.Sprintf("%s:%d: cross-service-call: ", file, line)
	if code != 1 || !strings.Contains(out, want) {
		t.Fatalf("gate with the forbidden call: exit %d, want 1 and a line starting %q\n%s", code, want, out)
	}
	sarif, err := os.ReadFile(sarifPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := validateSARIF(t, sarif); err != nil {
		t.Errorf("gate's SARIF output does not match the schema: %v", err)
	}
	if gh, _ := os.ReadFile(githubPath); !strings.Contains(string(gh), fmt.Sprintf("::error file=%s,line=%d,", file, line)) {
		t.Errorf("github format lacks the annotation for %s:%d:\n%s", file, line, gh)
	}

	if out, errOut, code := podsplit(t, "gate", "--update-baseline", dir); code != 0 {
		t.Fatalf("gate --update-baseline: exit %d\n%s%s", code, out, errOut)
	}
	if out, _, code := podsplit(t, "gate", dir); code != 0 {
		t.Fatalf("gate with the call baselined: exit %d, want 0\n%s", code, out)
	}

	writePR(t, dir, c, 10)
	if out, _, code := podsplit(t, "gate", dir); code != 0 || !strings.Contains(out, " 0 new violations") {
		t.Fatalf("gate with the baselined call ten lines down: exit %d, want 0\n%s", code, out)
	}

	if err := os.Remove(filepath.Join(dir, filepath.FromSlash(file))); err != nil {
		t.Fatal(err)
	}
	out, _, code = podsplit(t, "gate", dir)
	if code != 0 || !strings.Contains(out, file+": cross-service-call: fixed: ") {
		t.Fatalf("gate after removing the call: exit %d, want 0 and the entry reported fixed\n%s", code, out)
	}
}

// TestExitCodes checks the documented exit codes for bad input.
func TestExitCodes(t *testing.T) {
	dir, _ := extract(t, "testdata/rules.txtar")
	bare, _ := extract(t, "testdata/rules.txtar")
	if err := os.Remove(filepath.Join(bare, "podsplit.yaml")); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(t.TempDir(), "podsplit.yaml")
	if err := os.WriteFile(bad, []byte("services:\n  a: [./a/...]\nrulez: {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"violations", []string{"gate", dir}, 1, "gate failed: 10 new violations"},
		{"unknown key", []string{"gate", "--config", bad, dir}, 2, "podsplit.yaml:3: unknown key \"rulez\""},
		{"bad format", []string{"gate", "--format", "xml", dir}, 2, "--format must be one of"},
		{"bad write", []string{"gate", "--write", "sarif", dir}, 2, "--write wants format=file"},
		{"missing dir", []string{"gate", filepath.Join(dir, "nope")}, 4, "no such directory"},
		{"no config", []string{"gate", bare}, 2, "declares no services"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, code := podsplit(t, tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.stderr) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, stderr, tc.code, tc.stderr)
			}
		})
	}
}
