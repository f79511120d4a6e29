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
func newIndex(t *tree, files []*file) *index {
	ix := &index{byID: map[string]*graph.Component{}, comp: map[string]string{},
		pyModules: map[string][]*file{}, pyRoots: map[*file]string{}, pyNames: map[*file]string{}, javaPackages: map[string][]*file{}, jsFiles: map[string]*file{}}
	ix.files = slices.Clone(files)
	slices.SortFunc(ix.files, func(a, b *file) int { return strings.Compare(a.Path, b.Path) })
	tsDirs := map[string]bool{}
	for _, f := range ix.files {
		if f.Lang == TypeScript {
			tsDirs[path.Dir(f.Path)] = true
		}
	}
	for _, f := range ix.files {
		id, name := componentOf(f, t.PyPackages, tsDirs)
		ix.comp[f.Path] = id
		c := ix.byID[id]
		if c == nil {
			c = &graph.Component{ID: id, Name: name, Language: f.Lang, Dir: path.Dir(f.Path)}
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

// componentOf gives a file's component id and name. The id scheme:
//
//	py:DIR        a Python package (or a directory of loose modules), by directory
//	java:PACKAGE  a Java package, by its declared name
//	ts:DIR        a directory holding TypeScript (and maybe JavaScript)
//	js:DIR        a directory holding only JavaScript
//
// DIR is repository-relative with slashes, "." for the root.
func componentOf(f *file, pyPkgs, tsDirs map[string]bool) (id, name string) {
	dir := path.Dir(f.Path)
	switch f.Lang {
	case Python:
		name = dir
		if pyPkgs[dir] {
			name = strings.TrimSuffix(pyModule(dir+"/__init__.py", pyPkgs), ".__init__")
		}
		return "py:" + dir, name
	case Java:
		if f.Package == "" {
			return "java:" + dir, dir
		}
		return "java:" + f.Package, f.Package
	}
	if tsDirs[dir] {
		return "ts:" + dir, dir
	}
	return "js:" + dir, dir
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
	common := strings.Split(pkgs[0], ".")
	for _, p := range pkgs[1:] {
		parts := strings.Split(p, ".")
		n := 0
		for n < len(common) && n < len(parts) && common[n] == parts[n] {
			n++
		}
		common = common[:n]
	}
	strip := max(len(common)-1, 0)
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
