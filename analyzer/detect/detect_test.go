package detect

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/podsplit/podsplit/analyzer"
	"github.com/podsplit/podsplit/analyzer/link"
	"github.com/podsplit/podsplit/graph"
	"github.com/podsplit/podsplit/internal/txtartest"
)

var update = flag.Bool("update", false, "rewrite the want section of testdata/*.txtar")

// TestDetectors loads each testdata/*.txtar archive as a module, runs the
// detectors and compares what they found with the archive's want section.
// The want section lists every fact, every non-call edge, governance
// roles and concerns, listens, health routes and diagnostics, so a
// negative case fails the test by producing anything at all.
func TestDetectors(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			t.Parallel()
			runArchive(t, file)
		})
	}
}

func runArchive(t *testing.T, file string) {
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	dir := txtartest.Write(t, ar, "want")
	want, _ := txtartest.Section(ar, "want")
	prog, err := analyzer.Load(context.Background(), analyzer.Options{Dir: dir, Algo: "static"})
	if err != nil {
		t.Fatal(err)
	}
	res := analyzer.Extract(prog)
	facts := Run(res)
	got := render(res.Graph, facts)
	if *update {
		writeWant(t, file, ar, got)
		return
	}
	if !bytes.Equal(bytes.TrimSpace(want), bytes.TrimSpace(got)) {
		t.Errorf("%s: detection differs (run go test ./analyzer/detect -update to accept)\n%s", file, diffLines(string(want), string(got)))
	}
}

func writeWant(t *testing.T, file string, ar *txtar.Archive, got []byte) {
	ar.Files = slices.DeleteFunc(ar.Files, func(f txtar.File) bool { return f.Name == "want" })
	ar.Files = append(ar.Files, txtar.File{Name: "want", Data: got})
	if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
		t.Fatal(err)
	}
}

// render prints what detection found, one sorted line per item.
func render(g *graph.Graph, facts []link.Fact) []byte {
	name := func(id string) string {
		if c := g.Component(id); c != nil {
			return c.Name
		}
		return id
	}
	var lines []string
	for _, f := range facts {
		lines = append(lines, fmt.Sprintf("fact %s %s %s %q %s", name(f.Component), f.Role, f.Mechanism, f.Key, f.Pos))
	}
	for _, e := range g.Edges {
		if e.Kind != graph.KindCall && e.Kind != graph.KindState {
			lines = append(lines, fmt.Sprintf("edge %s -%s/%s[%s]-> %s", name(e.From), e.Kind, e.Mechanism, e.Key, name(e.To)))
		}
	}
	for _, c := range g.Components {
		if c.Role == graph.RoleGovernance || c.External {
			lines = append(lines, fmt.Sprintf("role %s %s", c.Name, c.Role))
		}
		if len(c.Governance) > 0 {
			lines = append(lines, fmt.Sprintf("governance %s %s", c.Name, strings.Join(c.Governance, ",")))
		}
		if len(c.Listens) > 0 {
			lines = append(lines, fmt.Sprintf("listens %s %s", c.Name, strings.Join(c.Listens, ",")))
		}
		if c.Health != "" {
			lines = append(lines, fmt.Sprintf("health %s %s", c.Name, c.Health))
		}
	}
	for _, d := range g.Diagnostics {
		if d.Category != "fanout" {
			lines = append(lines, fmt.Sprintf("diag %s %s: %s", d.Category, d.Pos, d.Message))
		}
	}
	slices.Sort(lines)
	return []byte(strings.Join(lines, "\n") + "\n")
}

// diffLines shows the lines want has more often (-) and got has more
// often (+); both lists are sorted, so counting is enough.
func diffLines(want, got string) string {
	count := map[string]int{}
	for _, l := range strings.Split(strings.TrimSpace(want), "\n") {
		count[l]++
	}
	for _, l := range strings.Split(strings.TrimSpace(got), "\n") {
		count[l]--
	}
	var b strings.Builder
	for _, l := range slices.Sorted(maps.Keys(count)) {
		for n := count[l]; n > 0; n-- {
			fmt.Fprintf(&b, "- %s\n", l)
		}
		for n := count[l]; n < 0; n++ {
			fmt.Fprintf(&b, "+ %s\n", l)
		}
	}
	return b.String()
}
