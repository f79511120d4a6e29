package analyzer

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/tools/go/packages"
)

// A listed package is one package as `go list -json` describes it. Its ID
// is the ImportPath field, which for a test variant carries a suffix
// ("p [p.test]"); PkgPath is the ID without it.
type listed struct {
	ID              string `json:"ImportPath"`
	Name            string
	Dir             string
	GoFiles         []string
	CgoFiles        []string
	CompiledGoFiles []string
	Imports         []string
	ImportMap       map[string]string
	Module          *packages.Module
	Standard        bool
	DepOnly         bool
	ForTest         string
	Error           *listError

	// compiled are the compiled files go list reported, and cgo is set
	// when the package uses cgo and CompiledGoFiles holds its Go and cgo
	// source files rather than cgo's output.
	compiled []string
	cgo      bool
}

type listError struct {
	Pos         string
	Err         string
	ImportStack []string
}

// listFields are the fields of `go list -json` the loader reads.
const listFields = "Name,ImportPath,Dir,GoFiles,CgoFiles,CompiledGoFiles,Imports,ImportMap,Module,Standard,DepOnly,ForTest,Error"

// goList describes the packages matching patterns in dir and everything
// they import. It never asks for export data: that would make the go
// command compile every package of the module, which with a cold build
// cache costs far more than the whole analysis. Nor does it ask for the
// compiled files (the output of cgo), which costs the go command a third
// more time even where no package uses cgo: see compiledFiles.
func goList(ctx context.Context, u loadUnit, o *Options) ([]*listed, error) {
	return runList(ctx, u, o, append([]string{"-compiled=false", "-deps=true"}, u.patterns...))
}

// compiledFiles replaces the Go files of the listed cgo packages by the
// files cgo generates from them, which type-checking needs when the
// package's code is analysed.
func compiledFiles(ctx context.Context, u loadUnit, o *Options, cgo []*listed) error {
	if len(cgo) == 0 {
		return nil
	}
	args := []string{"-compiled=true", "-deps=false"}
	for _, lp := range cgo {
		args = append(args, lp.PkgPath())
	}
	list, err := runList(ctx, u, o, args)
	if err != nil {
		return err
	}
	byID := map[string]*listed{}
	for _, lp := range list {
		byID[lp.ID] = lp
	}
	for _, lp := range cgo {
		if c := byID[lp.ID]; c != nil && len(c.compiled) > 0 {
			// cgo's output also imports unsafe, syscall and runtime/cgo,
			// which the go command lists among the dependencies anyway.
			lp.CompiledGoFiles, lp.Imports, lp.ImportMap, lp.cgo = c.compiled, c.Imports, c.ImportMap, false
		}
	}
	return nil
}

// runList runs go list with the loader's flags and the given arguments
// (flags first, then patterns).
func runList(ctx context.Context, u loadUnit, o *Options, extra []string) ([]*listed, error) {
	args := []string{"list", "-e", "-json=" + listFields, fmt.Sprintf("-test=%t", o.Tests),
		"-export=false", "-find=false", "-buildvcs=false", "-pgo=off"}
	if len(o.Tags) > 0 {
		args = append(args, "-tags="+strings.Join(o.Tags, ","))
	}
	if u.newer != nil {
		args = append(args, "-modfile="+u.newer.modfile)
	}
	i := slices.IndexFunc(extra, func(a string) bool { return !strings.HasPrefix(a, "-") })
	if i < 0 {
		i = len(extra)
	}
	args = append(append(append(args, extra[:i]...), "--"), extra[i:]...)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = u.dir
	cmd.Env = listEnv(u.readonly)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	pkgs, err := decodeListed(&stdout)
	if err != nil {
		return nil, fmt.Errorf("reading go list output: %w", err)
	}
	if runErr != nil && len(pkgs) == 0 {
		return nil, fmt.Errorf("go list: %s", firstLine(stderr.String(), runErr))
	}
	return pkgs, nil
}

// decodeListed reads the stream of JSON objects go list prints. When a
// package appears twice (go list reports an invalid import of a package as
// a second, erroneous copy of it), the copy without an error wins.
func decodeListed(r io.Reader) ([]*listed, error) {
	dec := json.NewDecoder(r)
	var out []*listed
	index := map[string]int{}
	for {
		p := new(listed)
		if err := dec.Decode(p); errors.Is(err, io.EOF) {
			return out, nil
		} else if err != nil {
			return nil, err
		}
		if p.ID == "" {
			continue
		}
		p.normalize()
		if i, ok := index[p.ID]; ok {
			if out[i].Error != nil {
				out[i] = p
			}
			continue
		}
		index[p.ID] = len(out)
		out = append(out, p)
	}
}

// normalize makes file names absolute and keeps only Go files among the
// compiled files (the go command lists assembly and C there too; cgo
// output in the build cache has no extension). Until compiledFiles says
// otherwise, a package is compiled from its Go and cgo files.
func (p *listed) normalize() {
	p.GoFiles = absJoin(p.Dir, p.GoFiles, p.CgoFiles)
	for _, f := range absJoin(p.Dir, p.CompiledGoFiles) {
		if ext := filepath.Ext(f); ext == ".go" || ext == "" {
			p.compiled = append(p.compiled, f)
		}
	}
	p.CompiledGoFiles, p.cgo = p.GoFiles, len(p.CgoFiles) > 0
	if p.ID == "unsafe" {
		p.CompiledGoFiles = nil
	}
}

func absJoin(dir string, lists ...[]string) []string {
	var out []string
	for _, list := range lists {
		for _, f := range list {
			if !filepath.IsAbs(f) {
				f = filepath.Join(dir, f)
			}
			out = append(out, f)
		}
	}
	return out
}

// PkgPath is the package path of the ID.
func (p *listed) PkgPath() string {
	path, _, _ := strings.Cut(p.ID, " ")
	return path
}

// resolve maps an import path as written in p's source to the ID of the
// listed package it denotes.
func (p *listed) resolve(path string) string {
	if id, ok := p.ImportMap[path]; ok {
		return id
	}
	return path
}

// listErrors converts go list's error on p into a package error.
func (p *listed) listErrors() []packages.Error {
	if p.Error == nil {
		return nil
	}
	msg := strings.TrimSpace(p.Error.Err)
	if strings.HasPrefix(msg, "import cycle not allowed") && len(p.Error.ImportStack) > 0 {
		msg += fmt.Sprintf(": import stack: %v", p.Error.ImportStack)
	}
	return []packages.Error{{Pos: p.Error.Pos, Msg: msg, Kind: packages.ListError}}
}

// firstLine reduces the go command's error output to its first line, with
// a count of the lines left out, so that a failure reads as one line (a
// go.work naming modules that are not there lists each of them).
func firstLine(out string, err error) string {
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if lines[0] == "" {
		return err.Error()
	}
	if n := len(lines) - 1; n > 0 {
		return fmt.Sprintf("%s (and %d more lines)", lines[0], n)
	}
	return lines[0]
}

// listEnv is goEnv for listing the packages of a unit: when its module's
// vendor directory lists packages it does not hold (readonly; a module zip
// from the proxy keeps vendor/modules.txt and drops the rest), the go
// command's default -mod=vendor would find none of the dependencies, so
// they are read from the module cache instead (-mod=readonly, which never
// rewrites go.mod), unless GOFLAGS chooses a mode itself.
func listEnv(readonly bool) []string {
	env := goEnv()
	if !readonly {
		return env
	}
	for i, kv := range env {
		if flags, ok := strings.CutPrefix(kv, "GOFLAGS="); ok {
			if strings.Contains(flags, "-mod=") {
				return env
			}
			env[i] = kv + " -mod=readonly"
			return env
		}
	}
	return append(env, "GOFLAGS=-mod=readonly")
}

// moduleRoot returns the nearest directory at or above dir holding a
// go.mod file, or dir.
func moduleRoot(dir string) string {
	for d := dir; ; {
		if exists(filepath.Join(d, "go.mod")) {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return dir
		}
		d = parent
	}
}

// vendorIncomplete reports whether the vendor directory of the module at
// root lists, in vendor/modules.txt, a package it does not hold.
func vendorIncomplete(root string) bool {
	data, err := os.ReadFile(filepath.Join(root, "vendor", "modules.txt"))
	if err != nil {
		return false
	}
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if !exists(filepath.Join(root, "vendor", filepath.FromSlash(line))) {
			return true
		}
	}
	return false
}
