//go:build cgo

// The polyglot front end parses other languages with tree-sitter, which
// needs cgo; without it fixtures/polyglot is Go only.

package manifest

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	"sigs.k8s.io/yaml"

	"github.com/podsplit/podsplit/internal/pipeline"
	"github.com/podsplit/podsplit/plan"
)

// polyglotGolden holds the Dockerfiles of fixtures/polyglot.
const polyglotGolden = "testdata/polyglot"

// TestPolyglot runs the whole pipeline on fixtures/polyglot (Go, Python,
// Java and a TypeScript browser application), plans it as podsplit plan
// does, and compares the Dockerfiles with testdata/polyglot (go test
// -update rewrites them). Every object is validated; the Deployments of
// containers in other languages must not mention Go.
func TestPolyglot(t *testing.T) {
	dir := filepath.Join("..", "fixtures", "polyglot")
	cfg, err := pipeline.LoadConfig(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	a, err := pipeline.Run(context.Background(), pipeline.Options{Dir: dir, Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	p := plan.Make(a.Graph, plan.OptionsFromConfig(a.Config))
	files := build(t, p, Options{})
	docker := Files{}
	for name, data := range files {
		if strings.HasPrefix(name, "docker/") {
			docker[name] = data
		}
	}
	if *update {
		writeGolden(t, polyglotGolden, docker)
		return
	}
	compareGolden(t, polyglotGolden, docker)
	checkLanguages(t, p, files)
}

// checkLanguages checks, for every step, that the Deployment of a
// container whose code is not Go names no Go toolchain, image or variable,
// and that the browser application is served on its web server's port.
func checkLanguages(t *testing.T, p *plan.Plan, files Files) {
	t.Helper()
	b := newBuilder(p, Options{})
	seen := map[string]bool{}
	for i, st := range p.Steps {
		for _, svc := range st.Topology {
			for _, c := range svc.Containers {
				prog := b.programOf(&c)
				seen[prog.lang] = true
				if prog.lang == langGo {
					continue
				}
				file := "steps/" + b.dirs[i] + "/deployment-" + name(svc.Name) + ".yaml"
				container := containerYAML(t, deploymentOf(t, files, file), name(c.Name))
				for _, goish := range []string{"golang", "GOMAXPROCS", "GOMEMLIMIT", "GOGC", "distroless", "/cmd/"} {
					if bytes.Contains(container, []byte(goish)) {
						t.Errorf("%s: container %s (%q code) mentions %s:\n%s", file, c.Name, prog.lang, goish, container)
					}
				}
				if prog.site && !bytes.Contains(container, []byte("containerPort: 8080")) {
					t.Errorf("%s: browser application %s is not served on 8080:\n%s", file, c.Name, container)
				}
			}
		}
	}
	for _, lang := range []string{langGo, langPython, langJava, langTypeScript} {
		if !seen[lang] {
			t.Errorf("no %s container in the plan of fixtures/polyglot; languages: %v", lang, sortedKeys(seen))
		}
	}
}

// containerYAML returns one container of a Deployment's Pod as YAML.
func containerYAML(t *testing.T, d *appsv1.Deployment, container string) []byte {
	t.Helper()
	spec := d.Spec.Template.Spec
	for _, c := range append(slices.Clone(spec.Containers), spec.InitContainers...) {
		if c.Name == container {
			data, err := yaml.Marshal(c)
			if err != nil {
				t.Fatal(err)
			}
			return data
		}
	}
	t.Fatalf("deployment %s has no container %s", d.Name, container)
	return nil
}

func writeGolden(t *testing.T, dir string, files Files) {
	t.Helper()
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	for name, data := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func compareGolden(t *testing.T, dir string, files Files) {
	t.Helper()
	golden := Files{}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(path)
		golden[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := sortedKeys(files), sortedKeys(golden); !slices.Equal(got, want) {
		t.Fatalf("files %v, golden %v (go test ./manifest -run TestPolyglot -update)", got, want)
	}
	for name, want := range golden {
		if !bytes.Equal(files[name], want) {
			t.Errorf("%s differs from the golden file (go test ./manifest -run TestPolyglot -update):\n%s", name, lineDiff(want, files[name]))
		}
	}
}
