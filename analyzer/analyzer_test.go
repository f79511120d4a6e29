package analyzer_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/podsplit/podsplit/analyzer"
	"github.com/podsplit/podsplit/graph"
	"github.com/podsplit/podsplit/internal/txtartest"
)

// TestCases runs every testdata/*.txtar case under each algorithm its
// expectations name. A case holds a module and a "want" file of lines
//
//	[algos] check args…
//
// where algos is "all" or a comma-separated list, and check is one of
// call/!call FROM -> TO, by_type FROM -> TO N, in_loop FROM -> TO N,
// evidence FROM -> TO TEXT,
// state/!state FROM -> TO [VAR ACCESS], mutable COMP VAR, role COMP ROLE,
// scc/!scc A B…, dropped REASON N, diag CATEGORY.
func TestCases(t *testing.T) {
	txtartest.Each(t, "testdata/*.txtar", func(t *testing.T, _ string, ar *txtar.Archive) {
		dir := txtartest.Write(t, ar, "want")
		want := wantLines(t, ar)
		for _, algo := range analyzer.Algorithms {
			g := extract(t, dir, algo)
			for _, w := range want {
				if w.applies(algo) {
					if msg := check(g, w.args); msg != "" {
						t.Errorf("[%s] %s: %s", algo, strings.Join(w.args, " "), msg)
					}
				}
			}
		}
	})
}

type want struct {
	algos []string
	args  []string
}

func (w want) applies(algo string) bool {
	return slices.Contains(w.algos, "all") || slices.Contains(w.algos, algo)
}

func wantLines(t *testing.T, ar *txtar.Archive) []want {
	for _, f := range ar.Files {
		if f.Name != "want" {
			continue
		}
		var out []want
		for _, line := range strings.Split(string(f.Data), "\n") {
			line = strings.TrimSpace(line)
			if line == "" {
				continue
			}
			algos, rest, ok := strings.Cut(strings.TrimPrefix(line, "["), "]")
			if !ok {
				t.Fatalf("bad want line %q", line)
			}
			out = append(out, want{algos: strings.Split(algos, ","), args: strings.Fields(rest)})
		}
		return out
	}
	t.Fatal("case has no want file")
	return nil
}

func extract(t *testing.T, dir, algo string) *graph.Graph {
	t.Helper()
	p, err := analyzer.Load(context.Background(), analyzer.Options{Dir: dir, Algo: algo})
	if err != nil {
		t.Fatalf("[%s] load: %v", algo, err)
	}
	return analyzer.Extract(p).Graph
}

// check evaluates one expectation and returns "" when it holds.
func check(g *graph.Graph, args []string) string {
	neg := strings.HasPrefix(args[0], "!")
	verb := strings.TrimPrefix(args[0], "!")
	switch verb {
	case "call", "state":
		e := g.Edge(args[1], args[3], verb, map[string]string{"call": "func", "state": "global"}[verb])
		if neg {
			return cond(e == nil, "unexpected edge: %+v", e)
		}
		if e == nil {
			return "missing edge; have " + edgeList(g)
		}
		if len(args) > 4 {
			return cond(slices.Contains(e.State, graph.StateAccess{Var: args[4], Access: args[5]}), "state = %+v", e.State)
		}
		return ""
	case "by_type", "handed", "protocol", "pure", "in_loop", "wired", "indirect":
		e := g.Edge(args[1], args[3], graph.KindCall, "func")
		n, _ := strconv.Atoi(args[4])
		return cond(e != nil && edgeCount(e, verb) == n, "edge %+v", e)
	case "nonserial":
		e := g.Edge(args[1], args[3], graph.KindCall, "func")
		var got []string
		if e != nil {
			for _, c := range e.Callees {
				got = append(got, c.NonSerializable...)
			}
		}
		n, _ := strconv.Atoi(args[4])
		return cond(e != nil && len(got) == n, "non-serialisable = %q", got)
	case "evidence":
		e := g.Edge(args[1], args[3], graph.KindCall, "func")
		text := strings.Join(args[4:], " ")
		return cond(e != nil && slices.ContainsFunc(e.Evidence, func(ev graph.Evidence) bool { return strings.Contains(ev.Detail, text) }), "evidence of %+v", e)
	case "mutable":
		c := g.Component(args[1])
		return cond(c != nil && slices.Contains(c.MutableState, args[2]) != neg, "component %+v", c)
	case "entry":
		c := g.Component(args[1])
		return cond(c != nil && slices.Contains(c.EntryPoints, args[2]) != neg, "component %+v", c)
	case "unlinked":
		c := g.Component(args[1])
		return cond(c != nil && c.Unlinked != neg, "component %+v", c)
	case "programs", "runs":
		c := g.Component(args[1])
		want := []string{}
		if args[2] != "-" {
			want = strings.Split(args[2], ",")
		}
		var got []string
		if c != nil {
			got = map[string][]string{"programs": c.Programs, "runs": c.Runs}[verb]
		}
		return cond(c != nil && slices.Equal(append([]string{}, got...), want), "component %+v", c)
	case "commands":
		c := g.Component(args[1])
		want := []string{}
		if args[2] != "-" {
			want = strings.Split(strings.ReplaceAll(args[2], ":", " "), ",")
		}
		return cond(c != nil && slices.Equal(append([]string{}, c.Commands...), want), "component %+v", c)
	case "generated":
		c := g.Component(args[1])
		return cond(c != nil && c.Generated != neg, "component %+v", c)
	case "commands_of":
		c := g.Component(args[1])
		want := args[2]
		if want == "-" {
			want = ""
		}
		return cond(c != nil && c.CommandsOf == want, "component %+v", c)
	case "role":
		c := g.Component(args[1])
		return cond(c != nil && c.Role == args[2], "component %+v", c)
	case "scc":
		found := slices.ContainsFunc(g.SCCs(), func(s []string) bool { return slices.Equal(s, args[1:]) })
		return cond(found != neg, "sccs = %v", g.SCCs())
	case "dropped":
		n, _ := strconv.Atoi(args[2])
		return cond(g.Stats.Dropped[args[1]] == n, "dropped = %v", g.Stats.Dropped)
	case "diag":
		return cond(slices.ContainsFunc(g.Diagnostics, func(d graph.Diagnostic) bool { return d.Category == args[1] }), "diagnostics = %v", g.Diagnostics)
	}
	return "unknown check " + verb
}

// edgeCount reads the site count a check verb names.
func edgeCount(e *graph.Edge, verb string) int {
	switch verb {
	case "by_type":
		return e.ByType
	case "handed":
		return e.Handed
	case "protocol":
		return e.Protocol
	case "pure":
		return e.Pure
	case "wired":
		return e.Wired
	case "indirect":
		return e.Indirect
	}
	return e.InLoop
}

func cond(ok bool, format string, args ...any) string {
	if ok {
		return ""
	}
	return fmt.Sprintf(format, args...)
}

func edgeList(g *graph.Graph) string {
	var s []string
	for _, e := range g.Edges {
		s = append(s, fmt.Sprintf("%s-%s->%s", e.From, e.Kind, e.To))
	}
	return strings.Join(s, ", ")
}
