package manifest

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/podsplit/podsplit/graph"
)

// Images of the Python build.
const (
	pythonImage = "python:3.12-slim"
	venv        = "/venv"
)

// installDeps installs the dependencies of the Python project, whose root
// is not in the plan: the first of the directories given, from the
// component's up to the repository root (bound at /ctx), that has a
// requirements.txt or a pyproject.toml.
const installDeps = `set -e
for d in "$@"; do
	cd "/ctx/$d"
	if [ -f requirements.txt ]; then exec pip install --no-cache-dir -r requirements.txt; fi
	if [ -f pyproject.toml ]; then exec pip install --no-cache-dir .; fi
done
echo "no requirements.txt or pyproject.toml from $1 up: no dependencies installed" >&2
`

// A pyLayout places a Python component in its source root: the directory
// its dotted module names are relative to, which becomes /app in the image.
type pyLayout struct {
	root string // the source root, repository-relative
	pkg  string // the dotted package name; "" for a directory of loose modules
}

// pyLayoutOf reads the layout from the component's Name and Dir: the
// polyglot front end names a package by its dotted name, so a Dir ending
// in that name's path is a package below the rest, its source root. A
// directory of loose modules is named by its path, and is its own root. A
// top-level directory named like a package is taken for one: loose modules
// there still run, as a namespace package, but import their neighbours by
// the package's name.
func pyLayoutOf(c *graph.Component) pyLayout {
	if c.Dir == "." || c.Dir == "" || strings.Contains(c.Name, "/") {
		return pyLayout{root: cmpDir(c.Dir)}
	}
	p := strings.ReplaceAll(c.Name, ".", "/")
	switch {
	case c.Dir == p:
		return pyLayout{root: ".", pkg: c.Name}
	case strings.HasSuffix(c.Dir, "/"+p):
		return pyLayout{root: strings.TrimSuffix(c.Dir, "/"+p), pkg: c.Name}
	}
	return pyLayout{root: c.Dir}
}

func cmpDir(dir string) string {
	if dir == "" {
		return "."
	}
	return dir
}

// module is the dotted name `python -m` runs for an entry file of the
// component, or for the package itself when there is no entry.
func (l pyLayout) module(entry string) string {
	stem := strings.TrimSuffix(path.Base(entry), ".py")
	switch {
	case entry == "" || l.pkg != "" && stem == "__main__":
		return l.pkg
	case l.pkg == "":
		return stem
	}
	return l.pkg + "." + stem
}

// copies returns the COPY sources and targets that put the component's
// code under /app: a package's top-level directory, or a loose directory's
// modules.
func (l pyLayout) copies() [][2]string {
	if l.pkg == "" {
		return [][2]string{{path.Join(l.root, "*.py"), "/app/"}}
	}
	top, _, _ := strings.Cut(l.pkg, ".")
	return [][2]string{{path.Join(l.root, top) + "/", "/app/" + top + "/"}}
}

// pythonRecipe installs the project's dependencies into a virtual
// environment in a builder stage and runs the entry as a module of its
// source root, as `python -m`, so that imports resolve as in development.
func (b *builder) pythonRecipe(img image) (recipe, error) {
	m := img.prog.main
	lay := pyLayoutOf(m)
	module := lay.module(m.Entry)
	copies, err := b.pythonCopies(img)
	if err != nil {
		return recipe{}, err
	}
	deps, err := upward(m.Dir)
	if err != nil {
		return recipe{}, err
	}
	entry, notes := pythonEntry(m, lay, module)
	df := append(b.header(img, repoRoot), notes...)
	df = append(df, components(img))
	df = append(df, mixNote(img)...)
	df = append(df,
		blank(),
		plain("FROM", pythonImage+" AS build"),
		execForm("RUN", []string{"python", "-m", "venv", venv}),
		plain("ENV", "PATH="+venv+"/bin:$PATH"),
		comment("The plan does not list the project's files: install-deps looks for them."),
		heredoc("/usr/local/bin/install-deps", installDeps),
		execForm("RUN", append([]string{"sh", "/usr/local/bin/install-deps"}, deps...), "--mount=type=bind,target=/ctx,rw"),
		blank(),
		plain("FROM", pythonImage),
		plain("ENV", "PATH="+venv+"/bin:$PATH PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1"),
		plain("COPY", venv+" "+venv, "--from=build"),
		plain("WORKDIR", "/app"),
	)
	for _, c := range copies {
		df = append(df, execForm("COPY", c[:]))
	}
	df = append(df,
		plain("USER", runAs),
		execForm("CMD", []string{"python", "-m", module}),
	)
	return recipe{entry: entry, file: df}, nil
}

// pythonEntry says what starts the program, for the README and the
// Dockerfile, and what the step must create when nothing does yet.
func pythonEntry(m *graph.Component, lay pyLayout, module string) (string, dockerfile) {
	entry := fmt.Sprintf("`python -m %s`", module)
	switch {
	case m.Entry != "":
		return entry, prose("Entry: %s, run as the module %s from the source root %q.", m.Entry, module, lay.root)
	case lay.pkg != "":
		return entry + " (to create)", prose("Entry: none was found: the step that adds this container must give the package %s a __main__.py to serve the components below.", lay.pkg)
	}
	return entry + " (to create)", prose("Entry: none was found: the step that adds this container must create %s.", path.Join(lay.root, module+".py"))
}

// pythonCopies returns the COPY instructions' sources and targets for
// every Python component the image ships, sorted and without repeats.
func (b *builder) pythonCopies(img image) ([][2]string, error) {
	var out [][2]string
	for _, c := range b.sources(img) {
		// The layout's paths are parts of Dir.
		if _, err := repoPath(cmpDir(c.Dir)); err != nil {
			return nil, fmt.Errorf("component %s: %w", c.ID, err)
		}
		out = append(out, pyLayoutOf(c).copies()...)
	}
	slices.SortFunc(out, func(a, b [2]string) int { return strings.Compare(a[0]+"\x00"+a[1], b[0]+"\x00"+b[1]) })
	return slices.Compact(out), nil
}

// upward lists dir and each directory above it, up to ".".
func upward(dir string) ([]string, error) {
	d, err := repoPath(cmpDir(dir))
	if err != nil {
		return nil, err
	}
	out := []string{d}
	for d != "." {
		d = path.Dir(d)
		out = append(out, d)
	}
	return out, nil
}
