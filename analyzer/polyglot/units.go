package polyglot

import (
	"path"
	"slices"
	"strings"

	"github.com/podsplit/podsplit/graph"
)

// An index is the parsed repository: every file, the component it belongs
// to, and what import resolution needs per language.
type index struct {
	files []*file // sorted by path
	byID  map[string]*graph.Component
	comp  map[string]string // file path → component id
	// pyModules maps dotted Python module names to their files, one per
	// source root that defines the name.
	pyModules map[string][]*file
	// pyRoots maps a Python file to its source root: the directory its
	// dotted name is relative to.
	pyRoots map[*file]string
	// pyNames maps a Python file to its dotted module name.
	pyNames map[*file]string
	// javaPackages maps Java packages to their files.
	javaPackages map[string][]*file
	// jsFiles holds the JS/TS files by path.
	jsFiles map[string]*file
	// packages are the package.json directories; workspaces maps their
	// names to them.
	packages   []*jsPackage
	workspaces map[string]*jsPackage
	views      map[*file]*view
	// djangoPrefixes maps a Python module to the URL prefixes under which
	// Django URLconfs include it.
	djangoPrefixes map[string][]string
	// services maps gRPC service names, short and full, to full names.
	services map[string][]string
}

// newIndex assigns every file to its component.
func newIndex(t *tree, files []*file, pkgs map[string]*packageJSON) *index {
	ix := &index{byID: map[string]*graph.Component{}, comp: map[string]string{},
		pyModules: map[string][]*file{}, pyRoots: map[*file]string{}, pyNames: map[*file]string{},
		javaPackages: map[string][]*file{}, jsFiles: map[string]*file{}}
	ix.files = slices.Clone(files)
	slices.SortFunc(ix.files, func(a, b *file) int { return strings.Compare(a.Path, b.Path) })
	lay := newLayout(t, ix.files, pkgs)
	for _, f := range ix.files {
		id, name, dir := lay.componentOf(f)
		ix.comp[f.Path] = id
		c := ix.byID[id]
		if c == nil {
			c = &graph.Component{ID: id, Name: name, Language: f.Lang, Dir: dir}
			ix.byID[id] = c
		}
		if f.Lang == TypeScript {
			c.Language = TypeScript
		}
		c.Files++
		c.Lines += f.Lines
		switch f.Lang {
		case Python:
			mod := pyModule(f.Path, t.PyPackages)
			ix.pyModules[mod] = append(ix.pyModules[mod], f)
			ix.pyRoots[f] = pyRoot(f.Path, t.PyPackages)
			ix.pyNames[f] = mod
		case Java:
			ix.javaPackages[f.Package] = append(ix.javaPackages[f.Package], f)
		default:
			ix.jsFiles[f.Path] = f
		}
	}
	ix.nameJavaComponents()
	return ix
}

// A layout knows what groups files into components beyond their own
// directory: Python packages, browser applications, TypeScript presence.
type layout struct {
	pyPkgs map[string]bool
	// apps are the directories of browser applications: the whole
	// package is one component, as it ships as one bundle.
	apps map[string]bool
	// tsUnits are the JS/TS component directories holding TypeScript.
	tsUnits map[string]bool
}

func newLayout(t *tree, files []*file, pkgs map[string]*packageJSON) *layout {
	lay := &layout{pyPkgs: t.PyPackages, apps: map[string]bool{}, tsUnits: map[string]bool{}}
	for dir, pj := range pkgs {
		if pj.browserApp() {
			lay.apps[dir] = true
		}
	}
	for _, f := range files {
		if f.Lang == TypeScript {
			lay.tsUnits[lay.jsUnit(f.Path)] = true
		}
	}
	return lay
}

// jsUnit is the directory of a JS/TS file's component: the browser
// application enclosing it, or its own directory.
func (lay *layout) jsUnit(rel string) string {
	for d := path.Dir(rel); ; d = path.Dir(d) {
		if lay.apps[d] {
			return d
		}
		if d == "." {
			return path.Dir(rel)
		}
	}
}

// componentOf gives a file's component id, name and directory. The id
// scheme:
//
//	py:DIR        a Python package (or a directory of loose modules), by directory
//	java:PACKAGE  a Java package, by its declared name
//	ts:DIR        a directory, or a browser application, holding TypeScript
//	js:DIR        the same holding only JavaScript
//
// DIR is repository-relative with slashes, "." for the root.
func (lay *layout) componentOf(f *file) (id, name, dir string) {
	dir = path.Dir(f.Path)
	switch f.Lang {
	case Python:
		name = dir
		if lay.pyPkgs[dir] {
			name = pyModule(dir+"/__init__.py", lay.pyPkgs)
		}
		return "py:" + dir, name, dir
	case Java:
		if f.Package == "" {
			return "java:" + dir, dir, dir
		}
		return "java:" + f.Package, f.Package, dir
	}
	dir = lay.jsUnit(f.Path)
	if lay.tsUnits[dir] {
		return "ts:" + dir, dir, dir
	}
	return "js:" + dir, dir, dir
}

// pyModule is the dotted module name of a Python file: its path from the
// highest enclosing directory that is not a package (holds no __init__.py).
func pyModule(rel string, pyPkgs map[string]bool) string {
	var parts []string
	if stem := strings.TrimSuffix(path.Base(rel), ".py"); stem != "__init__" {
		parts = append(parts, stem)
	}
	for d := path.Dir(rel); d != "." && pyPkgs[d]; d = path.Dir(d) {
		parts = append([]string{path.Base(d)}, parts...)
	}
	return strings.Join(parts, ".")
}

// pyRoot is the directory a Python file's dotted name is relative to.
func pyRoot(rel string, pyPkgs map[string]bool) string {
	d := path.Dir(rel)
	for d != "." && pyPkgs[d] {
		d = path.Dir(d)
	}
	return d
}

// nameJavaComponents names Java packages relative to the parent of their
// longest common prefix: com.shop.billing and com.shop.billing.model
// become "billing" and "billing.model".
func (ix *index) nameJavaComponents() {
	var pkgs []string
	for p := range ix.javaPackages {
		if p != "" {
			pkgs = append(pkgs, p)
		}
	}
	if len(pkgs) == 0 {
		return
	}
	slices.Sort(pkgs)
	strip := 0
	if prefix := graph.CommonPrefix(pkgs, "."); prefix != "" {
		strip = strings.Count(prefix, ".")
	}
	for _, p := range pkgs {
		ix.byID["java:"+p].Name = strings.Join(strings.Split(p, ".")[strip:], ".")
		ix.byID["java:"+p].Dir = path.Dir(ix.javaPackages[p][0].Path)
	}
}

// components returns the components sorted by id.
func (ix *index) components() []*graph.Component {
	out := make([]*graph.Component, 0, len(ix.byID))
	for _, c := range ix.byID {
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b *graph.Component) int { return strings.Compare(a.ID, b.ID) })
	return out
}
