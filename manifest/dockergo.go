package manifest

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// mainDir returns the main package of a Go container as a path relative to
// the module root, and whether the plan named it; otherwise the package is
// one the step must create, ./cmd/NAME.
func (b *builder) mainDir(img image) (string, bool) {
	m := img.c.Main
	switch {
	case m == "" || b.language(m) != langGo:
		return "./cmd/" + img.name, false
	case m == b.p.Module:
		return ".", true
	case strings.HasPrefix(m, b.p.Module+"/"):
		return "./" + strings.TrimPrefix(m, b.p.Module+"/"), true
	}
	return m, true
}

// goRecipe builds the container's main package in a golang stage and
// copies the static binary into a distroless image.
func (b *builder) goRecipe(img image) (recipe, error) {
	dir, named := b.mainDir(img)
	if !goPackagePath(dir) {
		return recipe{}, fmt.Errorf("main package %q %w", dir, errUnsafePath)
	}
	entry := "`" + dir + "`"
	df := b.header(img, "module")
	if named {
		df = append(df, comment("Main package: %s", dir))
	} else {
		entry += " (to create)"
		df = append(df,
			comment("Main package: %s, which does not exist yet: the step that adds this", dir),
			comment("container must create it to serve the components below."))
	}
	df = append(df, commandNote(img)...)
	df = append(df, components(img))
	df = append(df, mixNote(img)...)
	df = append(df,
		blank(),
		plain("ARG", "GO_VERSION=1"),
		plain("FROM", "golang:${GO_VERSION} AS build"),
		plain("WORKDIR", "/src"),
		plain("COPY", "go.mod go.sum* ./"),
		plain("RUN", "go mod download"),
		plain("COPY", ". ."),
		// The package path goes into the shell form, which the Go
		// toolchain's own restrictions on package paths make safe.
		plain("RUN", `CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/app `+dir),
		blank(),
		plain("FROM", "gcr.io/distroless/static-debian12:nonroot"),
		plain("COPY", "/out/app /app", "--from=build"),
		plain("USER", runAs),
		execForm("ENTRYPOINT", []string{"/app"}),
	)
	return recipe{entry: entry, file: df}, nil
}

// commandNote says which command of a multi-command program the image
// runs (plan.Container.Command), and how it is chosen.
func commandNote(img image) dockerfile {
	c := img.c
	if c.Command == "" {
		return nil
	}
	if c.CommandOf == c.Main {
		return dockerfile{comment("Runs its command %q: the Deployment passes it as the first argument.", c.Command)}
	}
	return dockerfile{comment("Runs the target %q that %s registers: select it as the program's", c.Command, c.CommandOf),
		comment("configuration does (the Deployment passes no argument for it).")}
}

// runAs is the USER of every image: the non-root user the Pods run as.
var runAs = strconv.Itoa(uid) + ":" + strconv.Itoa(uid)

// goPackagePath reports whether p uses only the characters the go command
// allows in import paths, none of which a shell interprets.
func goPackagePath(p string) bool {
	for _, r := range p {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("./-_~+", r) {
			return false
		}
	}
	return p != ""
}
