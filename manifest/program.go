package manifest

import (
	"path"
	"slices"
	"strings"

	"github.com/podsplit/podsplit/graph"
	"github.com/podsplit/podsplit/plan"
)

// Languages of components, as the Go analyzer and the polyglot front end
// name them.
const (
	langGo         = "go"
	langPython     = "python"
	langJava       = "java"
	langJavaScript = "javascript"
	langTypeScript = "typescript"
)

// A program is what a container runs, as far as the plan tells.
type program struct {
	// lang is the language of the container's code; "" when it mixes
	// languages, which langs then lists.
	lang  string
	langs []string
	// main is the component whose entry starts the program; nil when the
	// plan names none and no component of the language has an entry.
	main *graph.Component
	// site marks a browser application: built into static files and served
	// by a web server, not run by Node.
	site bool
}

// programOf tells what container c runs. Its language is the container's
// Language, else the one language of its components; a component the plan
// does not describe, or describes without a language, is Go, as in plans
// written before other languages were analysed.
func (b *builder) programOf(c *plan.Container) program {
	set := map[string]bool{}
	for _, id := range c.Components {
		set[b.language(id)] = true
	}
	langs := sortedKeys(set)
	prog := program{lang: c.Language, langs: langs}
	switch {
	case prog.lang != "":
	case len(langs) == 0:
		prog.lang = langGo
	case len(langs) == 1:
		prog.lang = langs[0]
	default:
		return prog
	}
	prog.main = b.mainComponent(c, prog.lang)
	prog.site = (prog.lang == langJavaScript || prog.lang == langTypeScript) && browserApp(prog.main)
	return prog
}

func (b *builder) language(id string) string {
	if c := b.comps[id]; c != nil && c.Language != "" {
		return c.Language
	}
	return langGo
}

// mainComponent returns the component that starts the container's
// program: the plan's Main, else the first component of the language with
// an entry, else the first of the language.
func (b *builder) mainComponent(c *plan.Container, lang string) *graph.Component {
	if m := b.comps[c.Main]; m != nil && b.language(m.ID) == lang {
		return m
	}
	ids := slices.Sorted(slices.Values(c.Components))
	var first *graph.Component
	for _, id := range ids {
		comp := b.comps[id]
		if comp == nil || b.language(id) != lang {
			continue
		}
		if comp.Entry != "" {
			return comp
		}
		if first == nil {
			first = comp
		}
	}
	return first
}

// reactEntry is how the polyglot front end says why a file starts a
// program when the file mounts a React application in the browser.
const reactEntry = "mounts the React app"

// browserApp reports whether a JavaScript or TypeScript component is a
// browser application. The polyglot front end makes a browser application
// (a package depending on react-dom, vue, @angular/core, svelte…) one
// component, and says "mounts the React app" of its entry when that entry
// mounts one; an entry written in JSX or TSX runs in a browser too.
// Without either, nothing in the plan tells a browser bundle from a Node
// program, and the component is taken for a Node program.
func browserApp(c *graph.Component) bool {
	if c == nil {
		return false
	}
	if strings.HasPrefix(c.RoleReason, reactEntry) {
		return true
	}
	switch path.Ext(c.Entry) {
	case ".tsx", ".jsx":
		return true
	}
	return false
}

// sources returns the components whose code an image must ship: the
// container's components of its language, and the libraries of that
// language they use, directly or through other libraries. Libraries are
// in no container; they are linked into every unit that uses them.
func (b *builder) sources(img image) []*graph.Component {
	seen := map[string]bool{}
	var queue []string
	for _, id := range img.c.Components {
		if b.language(id) == img.prog.lang && b.comps[id] != nil {
			seen[id] = true
			queue = append(queue, id)
		}
	}
	libs := map[string]bool{}
	for _, id := range b.p.Target.Libraries {
		libs[id] = true
	}
	for len(queue) > 0 {
		from := queue[0]
		queue = queue[1:]
		for _, e := range b.p.Edges {
			to := b.comps[e.To]
			if e.From != from || e.Kind != graph.KindCall || seen[e.To] || to == nil ||
				b.language(e.To) != img.prog.lang || !libs[e.To] && to.Role != graph.RoleLibrary {
				continue
			}
			seen[e.To] = true
			queue = append(queue, e.To)
		}
	}
	var out []*graph.Component
	for _, id := range sortedKeys(seen) {
		out = append(out, b.comps[id])
	}
	return out
}
