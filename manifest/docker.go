package manifest

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/podsplit/podsplit/plan"
)

// An image is one container image the plan needs, in any step.
type image struct {
	name     string // container name, DNS-safe
	service  string // the service it first appears in
	firstDir string // the step directory it first appears in
	c        *plan.Container
	prog     program // what c runs
	// mixes lists the languages of the definitions that mix languages, and
	// mixedIn the step directories of those definitions: no one image can
	// run them.
	mixes, mixedIn []string
}

// images lists every container of every step once, by name. Its image is
// built from the first definition of one language, preferring one that
// names its main package or component.
func (b *builder) images() []image {
	byName := map[string]*image{}
	for i := range b.p.Steps {
		for j := range b.p.Steps[i].Topology {
			svc := &b.p.Steps[i].Topology[j]
			for k := range svc.Containers {
				b.define(byName, &svc.Containers[k], name(svc.Name), b.dirs[i])
			}
		}
	}
	var out []image
	for _, n := range sortedKeys(byName) {
		out = append(out, *byName[n])
	}
	return out
}

// define records one definition of a container, found in service svc of
// step directory dir.
func (b *builder) define(byName map[string]*image, c *plan.Container, svc, dir string) {
	n := name(c.Name)
	prog := b.programOf(c)
	img, ok := byName[n]
	switch {
	case !ok:
		img = &image{name: n, service: svc, firstDir: dir, c: c, prog: prog}
		byName[n] = img
	case img.prog.lang == "" && prog.lang != "",
		(img.prog.lang == "") == (prog.lang == "") && img.c.Main == "" && c.Main != "":
		img.c, img.prog = c, prog
	}
	if len(prog.langs) > 1 {
		img.mixes = slices.Compact(slices.Sorted(slices.Values(append(img.mixes, prog.langs...))))
		if !slices.Contains(img.mixedIn, dir) {
			img.mixedIn = append(img.mixedIn, dir)
		}
	}
}

// A recipe is how an image is built.
type recipe struct {
	// entry says what starts the program, for the README: a Go main
	// package, a file, a module or a class.
	entry string
	// file is the Dockerfile; nil when podsplit can write none, and none
	// says why.
	file dockerfile
	none string
}

// recipe returns the build of an image, by the language of its code.
func (b *builder) recipe(img image) (recipe, error) {
	lang := img.prog.lang
	if lang != langGo && lang != "" && img.prog.main == nil {
		return recipe{entry: lang, none: "none: the plan describes no " + lang + " component of it"}, nil
	}
	switch lang {
	case langGo:
		return b.goRecipe(img)
	case langPython:
		return b.pythonRecipe(img)
	case langJava:
		return b.javaRecipe(img)
	case langJavaScript, langTypeScript:
		if img.prog.site {
			return b.siteRecipe(img)
		}
		return b.nodeRecipe(img)
	case "":
		mix := andList(img.mixes)
		return recipe{entry: "mixes " + mix, none: "none: one process cannot run " + mix}, nil
	}
	return recipe{entry: lang, none: "none: no build for " + lang}, nil
}

// dockerfiles returns docker/NAME/Dockerfile per image whose build
// podsplit knows: multi-stage, ending in a small runtime image that runs
// as the non-root user the Pods require.
func (b *builder) dockerfiles() (Files, error) {
	files := Files{}
	for _, img := range b.images() {
		r, err := b.recipe(img)
		if err != nil {
			return nil, fmt.Errorf("container %q: %w", img.name, err)
		}
		if r.file == nil {
			continue
		}
		data, err := r.file.render()
		if err != nil {
			return nil, fmt.Errorf("container %q: %w", img.name, err)
		}
		files[path.Join("docker", img.name, "Dockerfile")] = data
	}
	return files, nil
}

// repoRoot is where the Dockerfiles of other languages than Go are built
// from: the paths the plan gives are relative to it.
const repoRoot = "repository (the directory podsplit analysed)"

// header starts every Dockerfile: the syntax it needs (here-documents and
// RUN --mount need BuildKit's Dockerfile 1.4 or later), what the image is
// for and how to build it. root names the directory to build from.
func (b *builder) header(img image, root string) dockerfile {
	return dockerfile{
		comment("syntax=docker/dockerfile:1"),
		comment("Image of container %q of service %q, first deployed by step %s.", img.name, img.service, img.firstDir),
		comment("Build it from the root of the %s:", root),
		comment("  docker build -f docker/%s/Dockerfile -t %s/%s:TAG .", img.name, b.opts.Registry, img.name),
	}
}

// components is the closing line of a header.
func components(img image) instr {
	comps := slices.Clone(img.c.Components)
	slices.Sort(comps)
	return comment("Components: %s", strings.Join(comps, ", "))
}

// mixNote says, when an image mixes languages in some steps, which steps
// its Dockerfile cannot build.
func mixNote(img image) dockerfile {
	if len(img.mixedIn) == 0 || img.prog.lang == "" {
		return nil
	}
	return prose("In %s the container mixes %s code, which no one process runs: this file builds it only where it holds %s alone.",
		strings.Join(img.mixedIn, ", "), andList(img.mixes), img.prog.lang)
}

// andList joins words as prose does: "go", "go and python", "go, java and
// python".
func andList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}
