package polyglot

import (
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// A jsPackage is a directory with a package.json: a workspace package that
// other code imports by name, and whose main and bin files are entrypoints.
type jsPackage struct {
	Name string
	Dir  string
	// Entries are the source files the package's main, module, source,
	// exports and bin fields name, or its conventional index file.
	Entries []string
	// Bins are the files the package runs as programs: bin and the start
	// script's file. Main is the file "main" names: a program only when
	// no other component imports it.
	Bins []string
	Main string
}

type packageJSON struct {
	Name            string            `json:"name"`
	Main            string            `json:"main"`
	Module          string            `json:"module"`
	Source          string            `json:"source"`
	Bin             json.RawMessage   `json:"bin"`
	Scripts         map[string]string `json:"scripts"`
	Dependencies    map[string]string `json:"dependencies"`
	DevDependencies map[string]string `json:"devDependencies"`
}

// browserFrameworks are dependencies that make a package a browser
// application: one bundle, deployed as a whole.
var browserFrameworks = []string{
	"react-dom", "vue", "@angular/core", "svelte", "preact", "solid-js",
	"next", "nuxt", "@remix-run/react", "astro",
}

// browserApp reports whether a package is an application that runs in
// the browser.
func (pj *packageJSON) browserApp() bool {
	for _, dep := range browserFrameworks {
		if _, ok := pj.Dependencies[dep]; ok {
			return true
		}
		if _, ok := pj.DevDependencies[dep]; ok {
			return true
		}
	}
	return false
}

// readPackageJSONs reads the package.json files the walk found, by
// directory. A file that is not valid JSON is reported and skipped.
func readPackageJSONs(root string, rels []string) (map[string]*packageJSON, []skipped) {
	out := map[string]*packageJSON{}
	var bad []skipped
	for _, rel := range rels {
		data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
		pj := &packageJSON{}
		if err == nil {
			err = json.Unmarshal(data, pj)
		}
		if err != nil {
			bad = append(bad, skipped{rel, fmt.Sprintf("reading package.json: %v", err)})
			continue
		}
		out[path.Dir(rel)] = pj
	}
	return out, bad
}

// resolvePackages finds, for each package.json, the files its fields name.
func (ix *index) resolvePackages(pkgs map[string]*packageJSON) {
	ix.workspaces = map[string]*jsPackage{}
	for _, dir := range sortedKeys(pkgs) {
		pj := pkgs[dir]
		p := &jsPackage{Name: pj.Name, Dir: dir}
		for _, m := range []string{pj.Source, pj.Module, pj.Main} {
			if f := ix.jsEntry(p.Dir, m); f != "" {
				p.Entries = append(p.Entries, f)
			}
		}
		p.Main = ix.jsEntry(p.Dir, pj.Main)
		for _, b := range append(binPaths(pj.Bin), startScript(pj.Scripts)) {
			if f := ix.jsEntry(p.Dir, b); f != "" {
				p.Bins = append(p.Bins, f)
			}
		}
		for _, idx := range []string{"src/index", "index", "src/main", "main"} {
			if f := ix.jsFile(path.Join(p.Dir, idx)); f != "" {
				p.Entries = append(p.Entries, f)
			}
		}
		p.Entries, p.Bins = compactStrings(p.Entries), compactStrings(p.Bins)
		if p.Name != "" {
			ix.workspaces[p.Name] = p
		}
		ix.packages = append(ix.packages, p)
	}
}

// binPaths reads "bin": either one path or a map of command → path.
func binPaths(raw json.RawMessage) []string {
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return []string{one}
	}
	var many map[string]string
	_ = json.Unmarshal(raw, &many)
	var out []string
	for _, p := range many {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

// startScript returns the file a "start" script runs with node, ts-node or tsx.
func startScript(scripts map[string]string) string {
	fields := strings.Fields(scripts["start"])
	for i, f := range fields {
		if (f == "node" || f == "ts-node" || f == "tsx") && i+1 < len(fields) {
			return fields[i+1]
		}
	}
	return ""
}

// jsEntry maps a path named in package.json to a parsed source: a build
// output such as dist/index.js is traced back to src/index.ts.
func (ix *index) jsEntry(dir, p string) string {
	if p == "" {
		return ""
	}
	p = path.Join(dir, p)
	if f := ix.jsFile(p); f != "" {
		return f
	}
	for _, out := range []string{"/dist/", "/build/", "/lib/", "/out/"} {
		prefix := strings.TrimPrefix(dir+out, "./")
		if rel, ok := strings.CutPrefix(p, prefix); ok {
			if f := ix.jsFile(path.Join(dir, "src", rel)); f != "" {
				return f
			}
		}
	}
	return ""
}

// jsExtensions are tried, in order, for an import without one.
var jsExtensions = []string{".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts"}

// jsFile resolves an import path to a parsed file: as written, with an
// extension added, as a directory's index file, or, for an import of a
// compiled name ("./x.js"), the TypeScript source.
func (ix *index) jsFile(p string) string {
	if _, ok := ix.jsFiles[p]; ok {
		return p
	}
	stem := p
	if ext := path.Ext(p); ext == ".js" || ext == ".jsx" || ext == ".mjs" || ext == ".cjs" {
		stem = strings.TrimSuffix(p, ext)
	}
	for _, base := range []string{stem, p + "/index"} {
		for _, ext := range jsExtensions {
			if _, ok := ix.jsFiles[base+ext]; ok {
				return base + ext
			}
		}
	}
	return ""
}

func compactStrings(s []string) []string {
	var out []string
	for _, x := range s {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}
