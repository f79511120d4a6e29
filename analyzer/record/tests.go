package record

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/mod/modfile"

	"github.com/podsplit/podsplit/analyzer/evidence"
)

// Tests runs the tests of the module in opts.Dir with coverage counted over
// all of the module's packages, and with opts.CPUProfile a CPU profile per
// package, and writes a runtime directory. Failing tests give a warning,
// not an error, when they left coverage behind.
func Tests(ctx context.Context, opts Options) (*Result, error) {
	dir := orDefault(opts.Dir)
	mod, err := modulePath(dir)
	if err != nil {
		return nil, err
	}
	out, err := prepare(opts.Out)
	if err != nil {
		return nil, err
	}
	patterns := opts.Patterns
	if len(patterns) == 0 {
		patterns = []string{"./..."}
	}
	res := &Result{Dir: out, Manifest: &evidence.Manifest{Mode: "tests", Module: mod, Patterns: patterns}}
	if opts.CPUProfile {
		err = testEachPackage(ctx, dir, mod, patterns, opts, res)
	} else {
		err = testAll(ctx, dir, mod, patterns, opts, res)
	}
	if err != nil {
		return nil, err
	}
	res.Manifest.Inputs = append([]evidence.Input{{Path: coverageFile, Kind: evidence.KindCoverProfile}}, res.Manifest.Inputs...)
	return res, writeManifest(out, res.Manifest)
}

func modulePath(dir string) (string, error) {
	data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		return "", fmt.Errorf("recording tests: no go.mod in %s: %w", dir, err)
	}
	mod := modfile.ModulePath(data)
	if mod == "" {
		return "", fmt.Errorf("recording tests: %s/go.mod names no module", dir)
	}
	return mod, nil
}

// coverFlags count every block of every package of the module, whichever
// package's tests run it; atomic counts stay exact in parallel tests.
func coverFlags(mod, profile string) []string {
	return []string{"-covermode=atomic", "-coverpkg=" + mod + "/...", "-coverprofile=" + profile}
}

// testAll runs all tests in one go test, which runs packages in parallel.
func testAll(ctx context.Context, dir, mod string, patterns []string, opts Options, res *Result) error {
	profile := filepath.Join(res.Dir, coverageFile)
	args := append(append([]string{"test"}, coverFlags(mod, profile)...), patterns...)
	if err := goCommand(ctx, dir, opts, args...); err != nil {
		if !exists(profile) {
			return fmt.Errorf("running tests: %w", err)
		}
		res.Warnings = append(res.Warnings, fmt.Sprintf("go test failed (%v): coverage of the tests that ran is kept", err))
	}
	return nil
}

// testEachPackage runs the tests package by package, since go test writes
// one CPU profile for one package, and joins the coverage profiles as go
// test itself does: one mode line, then every block line.
func testEachPackage(ctx context.Context, dir, mod string, patterns []string, opts Options, res *Result) error {
	pkgs, err := testedPackages(ctx, dir, patterns)
	if err != nil {
		return err
	}
	if len(pkgs) == 0 {
		return fmt.Errorf("recording tests: no package matching %s has tests", strings.Join(patterns, " "))
	}
	scratch := filepath.Join(res.Dir, scratchDir)
	defer os.RemoveAll(scratch)
	for _, d := range []string{scratch, filepath.Join(res.Dir, cpuDir)} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return fmt.Errorf("recording tests: %w", err)
		}
	}
	var profiles []string
	for i, pkg := range pkgs {
		cover := filepath.Join(scratch, fmt.Sprintf("%d.out", i))
		cpu := filepath.Join(cpuDir, profileName(mod, pkg))
		args := append([]string{"test"}, coverFlags(mod, cover)...)
		args = append(args, "-cpuprofile="+filepath.Join(res.Dir, cpu), "-o="+filepath.Join(scratch, fmt.Sprintf("%d.test", i)), pkg)
		if err := goCommand(ctx, dir, opts, args...); err != nil {
			if ctx.Err() != nil {
				return fmt.Errorf("running tests: %w", ctx.Err())
			}
			res.Warnings = append(res.Warnings, fmt.Sprintf("go test %s failed (%v)", pkg, err))
		}
		if exists(cover) {
			profiles = append(profiles, cover)
		}
		if exists(filepath.Join(res.Dir, cpu)) {
			res.Manifest.Inputs = append(res.Manifest.Inputs, evidence.Input{Path: filepath.ToSlash(cpu), Kind: evidence.KindPprof, Package: pkg})
		}
	}
	if len(profiles) == 0 {
		return fmt.Errorf("running tests: no package's tests wrote coverage")
	}
	return joinProfiles(profiles, filepath.Join(res.Dir, coverageFile))
}

// testedPackages lists the packages matching patterns that have tests.
func testedPackages(ctx context.Context, dir string, patterns []string) ([]string, error) {
	args := append([]string{"list", "-f", "{{if or .TestGoFiles .XTestGoFiles}}{{.ImportPath}}{{end}}"}, patterns...)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = evidence.GoEnv()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("listing packages: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	var pkgs []string
	for _, line := range strings.Split(string(out), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			pkgs = append(pkgs, line)
		}
	}
	slices.Sort(pkgs)
	return slices.Compact(pkgs), nil
}

// profileName names the CPU profile of a package's tests after its path in
// the module: "catalog_search.pprof", the module's root package after the
// module's last element.
func profileName(mod, pkg string) string {
	rel := strings.TrimPrefix(strings.TrimPrefix(pkg, mod), "/")
	if rel == "" {
		rel = filepath.Base(mod)
	}
	return strings.ReplaceAll(rel, "/", "_") + ".pprof"
}

func joinProfiles(profiles []string, out string) error {
	var buf bytes.Buffer
	for i, p := range profiles {
		f, err := os.Open(p)
		if err != nil {
			return fmt.Errorf("joining coverage profiles: %w", err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		for line := 0; sc.Scan(); line++ {
			if line == 0 && i > 0 {
				continue // the mode line, written once
			}
			buf.Write(sc.Bytes())
			buf.WriteByte('\n')
		}
		f.Close()
		if err := sc.Err(); err != nil {
			return fmt.Errorf("joining coverage profiles: %w", err)
		}
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("joining coverage profiles: %w", err)
	}
	return nil
}

// goCommand runs the go command with the toolchain pinned.
func goCommand(ctx context.Context, dir string, opts Options, args ...string) error {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = evidence.GoEnv()
	cmd.Stdout, cmd.Stderr = opts.Stdout, opts.Stderr
	return cmd.Run()
}
