package manifest

import (
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/podsplit/podsplit/manifest/internal/udiff"
)

// Diff returns a unified diff of the objects (and kustomizations) of two
// steps of files, "" when they deploy the same. A step is named by its
// number ("2") or its directory ("02-sidecar-notifications").
func Diff(files Files, stepA, stepB string) (string, error) {
	dirA, err := StepDir(files, stepA)
	if err != nil {
		return "", err
	}
	dirB, err := StepDir(files, stepB)
	if err != nil {
		return "", err
	}
	return diffDirs(files, dirA, dirB), nil
}

// StepDir resolves a step name to its directory under steps/.
func StepDir(files Files, step string) (string, error) {
	dirs := stepDirsOf(files)
	if slices.Contains(dirs, step) {
		return step, nil
	}
	if n, err := strconv.Atoi(step); err == nil {
		for _, d := range dirs {
			if strings.HasPrefix(d, fmt.Sprintf("%02d-", n)) {
				return d, nil
			}
		}
	}
	return "", fmt.Errorf("%w: no step %q (have %s)", ErrBadOption, step, strings.Join(dirs, ", "))
}

func stepDirsOf(files Files) []string {
	var dirs []string
	for f := range files {
		rest, ok := strings.CutPrefix(f, "steps/")
		if !ok {
			continue
		}
		if d, _, ok := strings.Cut(rest, "/"); ok && !slices.Contains(dirs, d) {
			dirs = append(dirs, d)
		}
	}
	slices.Sort(dirs)
	return dirs
}

// stepContent maps the deployable files of a step directory, relative to
// it, to their text; READMEs describe and are left out.
func stepContent(files Files, dir string) map[string]string {
	out := map[string]string{}
	prefix := "steps/" + dir + "/"
	for f, data := range files {
		rel, ok := strings.CutPrefix(f, prefix)
		if ok && path.Base(rel) != "README.md" {
			out[rel] = string(data)
		}
	}
	return out
}

func diffDirs(files Files, dirA, dirB string) string {
	a, b := stepContent(files, dirA), stepContent(files, dirB)
	names := sortedKeys(a)
	for n := range b {
		if _, ok := a[n]; !ok {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	var w strings.Builder
	for _, n := range names {
		ta, inA := a[n]
		tb, inB := b[n]
		nameA, nameB := "a/"+dirA+"/"+n, "b/"+dirB+"/"+n
		if !inA {
			nameA = "/dev/null"
		}
		if !inB {
			nameB = "/dev/null"
		}
		w.WriteString(udiff.Unified(nameA, nameB, ta, tb))
	}
	return w.String()
}

// changes summarises, object file by object file, what step b changes
// relative to step a: "added", "removed" or "changed".
func changes(a, b map[string][]byte) []string {
	var out []string
	for _, n := range sortedKeys(b) {
		old, ok := a[n]
		switch {
		case !ok:
			out = append(out, "added "+n)
		case string(old) != string(b[n]):
			out = append(out, "changed "+n)
		}
	}
	for _, n := range sortedKeys(a) {
		if _, ok := b[n]; !ok {
			out = append(out, "removed "+n)
		}
	}
	return out
}
