//go:build cgo

package polyglot_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/podsplit/podsplit/analyzer/link"
	"github.com/podsplit/podsplit/analyzer/polyglot"
	"github.com/podsplit/podsplit/graph"
	"github.com/podsplit/podsplit/internal/txtartest"
)

// TestCases runs every testdata/*.txtar case: the archive's files are
// written to a temporary directory, analysed, their facts matched, and
// the lines of its "want" file checked:
//
//	component ID LANGUAGE ROLE      !component ID
//	edge FROM TO KIND MECH [KEY]    !edge FROM TO KIND MECH [KEY]
//	fact COMP ROLE MECH KEY         !fact COMP ROLE MECH KEY
//	callee FROM TO FUNC             evidence FROM TO TEXT
//	diag CATEGORY [POS]             !diag CATEGORY
//	listens COMP ADDR               entry COMP FILE
//
// Arguments with spaces are double-quoted.
func TestCases(t *testing.T) {
	txtartest.Each(t, "testdata/*.txtar", func(t *testing.T, _ string, ar *txtar.Archive) {
		dir := txtartest.Write(t, ar, "want")
		data, ok := txtartest.Section(ar, "want")
		if !ok {
			t.Fatal("case has no want file")
		}
		want := strings.Split(string(data), "\n")
		g, facts := analyze(t, dir)
		checked := 0
		for _, line := range want {
			line = strings.TrimSpace(line)
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			checked++
			args, err := splitArgs(line)
			if err != nil {
				t.Fatalf("want line %q: %v", line, err)
			}
			if msg := check(g, facts, args); msg != "" {
				t.Errorf("%s: %s", line, msg)
			}
		}
		if checked == 0 {
			t.Fatal("want file checks nothing")
		}
		if t.Failed() {
			t.Log(dump(g, facts))
		}
	})
}

// analyze runs the front end on dir and matches its facts into the graph.
func analyze(t testing.TB, dir string) (*graph.Graph, []link.Fact) {
	t.Helper()
	g := graph.New("example.com/test")
	facts, err := polyglot.Analyze(context.Background(), dir, g, polyglot.Options{})
	if err != nil {
		t.Fatal(err)
	}
	link.Match(g, facts)
	return g, facts
}

// splitArgs splits a want line into words; double-quoted words may hold spaces.
func splitArgs(line string) ([]string, error) {
	var out []string
	for line = strings.TrimSpace(line); line != ""; line = strings.TrimSpace(line) {
		if line[0] == '"' {
			q, err := strconv.QuotedPrefix(line)
			if err != nil {
				return nil, err
			}
			s, _ := strconv.Unquote(q)
			out = append(out, s)
			line = line[len(q):]
			continue
		}
		word, rest, _ := strings.Cut(line, " ")
		out = append(out, word)
		line = rest
	}
	return out, nil
}

func check(g *graph.Graph, facts []link.Fact, a []string) string {
	neg := strings.HasPrefix(a[0], "!")
	verb := strings.TrimPrefix(a[0], "!")
	found, detail := false, ""
	switch {
	case verb == "component" && (len(a) == 4 || neg && len(a) == 2):
		c := g.Component(a[1])
		found = c != nil && (neg || c.Language == a[2] && c.Role == a[3])
		if c != nil {
			detail = fmt.Sprintf("have language %s role %s (%s)", c.Language, c.Role, c.RoleReason)
		}
	case verb == "edge" && (len(a) == 5 || len(a) == 6):
		found = findEdge(g, a[1:]) != nil
	case verb == "fact" && len(a) == 5:
		found = slices.ContainsFunc(facts, func(f link.Fact) bool {
			return f.Component == a[1] && f.Role == a[2] && f.Mechanism == a[3] && f.Key == a[4]
		})
	case verb == "callee" && len(a) == 4:
		if e := findEdge(g, []string{a[1], a[2], graph.KindCall, polyglot.MechanismImport}); e != nil {
			found = slices.ContainsFunc(e.Callees, func(c graph.Callee) bool { return c.Func == a[3] })
			detail = fmt.Sprintf("callees %v", e.Callees)
		}
	case verb == "evidence" && len(a) == 4:
		for _, e := range g.EdgesBetween(a[1], a[2]) {
			for _, ev := range e.Evidence {
				found = found || e.From == a[1] && strings.Contains(ev.Pos+" "+ev.Detail, a[3])
			}
		}
	case verb == "diag" && len(a) >= 2:
		found = slices.ContainsFunc(g.Diagnostics, func(d graph.Diagnostic) bool {
			return d.Category == a[1] && (len(a) == 2 || strings.HasPrefix(d.Pos, a[2]))
		})
	case verb == "entry" && len(a) == 3:
		if c := g.Component(a[1]); c != nil {
			found, detail = c.Entry == a[2], "have "+c.Entry
		}
	case verb == "listens" && len(a) == 3:
		if c := g.Component(a[1]); c != nil {
			found = slices.Contains(c.Listens, a[2])
		}
	default:
		return "unknown check"
	}
	switch {
	case neg && found:
		return "found, want none " + detail
	case !neg && !found:
		return "not found " + detail
	}
	return ""
}

// findEdge finds the edge FROM TO KIND MECH [KEY].
func findEdge(g *graph.Graph, a []string) *graph.Edge {
	for _, e := range g.Edges {
		if e.From == a[0] && e.To == a[1] && e.Kind == a[2] && e.Mechanism == a[3] && (len(a) < 5 || e.Key == a[4]) {
			return e
		}
	}
	return nil
}

// dump renders what the analysis found, for failure messages.
func dump(g *graph.Graph, facts []link.Fact) string {
	var b strings.Builder
	for _, c := range g.Components {
		fmt.Fprintf(&b, "component %s %s %s (%s) listens=%v\n", c.ID, c.Language, c.Role, c.RoleReason, c.Listens)
	}
	for _, e := range g.Edges {
		fmt.Fprintf(&b, "edge %s %s %s %s %q static=%d callees=%v\n", e.From, e.To, e.Kind, e.Mechanism, e.Key, e.Static, e.Callees)
		for _, ev := range e.Evidence {
			fmt.Fprintf(&b, "    %s %s\n", ev.Pos, ev.Detail)
		}
	}
	for _, f := range facts {
		fmt.Fprintf(&b, "fact %s %s %s %q %s %s\n", f.Component, f.Role, f.Mechanism, f.Key, f.Pos, f.Detail)
	}
	for _, d := range g.Diagnostics {
		fmt.Fprintf(&b, "diag %s %s %s\n", d.Category, d.Pos, d.Message)
	}
	return b.String()
}

// TestDump prints the analysis of the directory PODSPLIT_POLYGLOT_DUMP names.
func TestDump(t *testing.T) {
	dir := os.Getenv("PODSPLIT_POLYGLOT_DUMP")
	if dir == "" {
		t.Skip("set PODSPLIT_POLYGLOT_DUMP to a directory to print its analysis")
	}
	g, facts := analyze(t, dir)
	t.Log("\n" + dump(g, facts))
}

// TestDeterministic analyses the fixture with one worker and with many and
// wants byte-identical graphs and facts.
func TestDeterministic(t *testing.T) {
	dir, _ := filepath.Abs("../../fixtures/polyglot")
	var outs []string
	for _, workers := range []int{1, 8} {
		g := graph.New("example.com/polyglot")
		facts, err := polyglot.Analyze(context.Background(), dir, g, polyglot.Options{Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		link.Match(g, facts)
		b, err := json.Marshal(struct {
			G *graph.Graph
			F []link.Fact
		}{g, facts})
		if err != nil {
			t.Fatal(err)
		}
		outs = append(outs, string(b))
	}
	if outs[0] != outs[1] {
		t.Errorf("output depends on the number of workers:\n%s\n%s", outs[0], outs[1])
	}
}
