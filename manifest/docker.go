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
}

// images lists every container of every step once, by name, with the first
// definition that names its main package.
func (b *builder) images() []image {
	byName := map[string]*image{}
	for i := range b.p.Steps {
		for j := range b.p.Steps[i].Topology {
			svc := &b.p.Steps[i].Topology[j]
			for k := range svc.Containers {
				c := &svc.Containers[k]
				n := name(c.Name)
				if img, ok := byName[n]; !ok {
					byName[n] = &image{name: n, service: name(svc.Name), firstDir: b.dirs[i], c: c}
				} else if img.c.Main == "" && c.Main != "" {
					img.c = c
				}
			}
		}
	}
	var out []image
	for _, n := range sortedKeys(byName) {
		out = append(out, *byName[n])
	}
	return out
}

// isGo reports whether a container runs Go code; podsplit writes
// Dockerfiles for Go only.
func isGo(c *plan.Container) bool { return c.Language == "" || c.Language == "go" }

// mainDir returns the main package of a container as a path relative to
// the module root, and whether the plan named it; otherwise the package is
// one the step must create, ./cmd/NAME.
func (b *builder) mainDir(img image) (string, bool) {
	m := img.c.Main
	switch {
	case m == "":
		return "./cmd/" + img.name, false
	case m == b.p.Module:
		return ".", true
	case strings.HasPrefix(m, b.p.Module+"/"):
		return "./" + strings.TrimPrefix(m, b.p.Module+"/"), true
	}
	return m, true
}

// dockerfiles returns docker/NAME/Dockerfile per Go image: a multi-stage
// build of its main package into a distroless image that runs as the
// non-root user the Pods require.
func (b *builder) dockerfiles() Files {
	files := Files{}
	for _, img := range b.images() {
		if !isGo(img.c) {
			continue
		}
		files[path.Join("docker", img.name, "Dockerfile")] = []byte(b.dockerfile(img))
	}
	return files
}

func (b *builder) dockerfile(img image) string {
	dir, named := b.mainDir(img)
	var w strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&w, format+"\n", args...) }
	line("# syntax=docker/dockerfile:1")
	line("# Image of container %q of service %q, first deployed by step %s.", img.name, img.service, img.firstDir)
	line("# Build it from the root of the module:")
	line("#   docker build -f docker/%s/Dockerfile -t %s/%s:TAG .", img.name, b.opts.Registry, img.name)
	if named {
		line("# Main package: %s", dir)
	} else {
		line("# Main package: %s, which does not exist yet: the step that adds this", dir)
		line("# container must create it to serve the components below.")
	}
	comps := slices.Clone(img.c.Components)
	slices.Sort(comps)
	line("# Components: %s", strings.Join(comps, ", "))
	line("")
	line("ARG GO_VERSION=1")
	line("FROM golang:${GO_VERSION} AS build")
	line("WORKDIR /src")
	line("COPY go.mod go.sum* ./")
	line("RUN go mod download")
	line("COPY . .")
	line(`RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/app %s`, dir)
	line("")
	line("FROM gcr.io/distroless/static-debian12:nonroot")
	line("COPY --from=build /out/app /app")
	line("USER %d:%d", uid, uid)
	line(`ENTRYPOINT ["/app"]`)
	return w.String()
}
