package evidence

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/podsplit/podsplit/analyzer"
	"github.com/podsplit/podsplit/graph"
)

// Options controls how runtime evidence is tied to the code.
type Options struct {
	// Services maps a service name of the traces to a component, given by
	// id, by name, or by the path of a package it holds. Services not
	// listed are matched to a component by name (see ServiceComponent).
	Services map[string]string
}

// Merge reads the runtime inputs at paths (files or directories, each kind
// told from its content) and weighs the edges of res.Graph with them:
// execution counts from coverage, CPU time from profiles, and calls between
// services from traces. It fails only on inputs it cannot read or whose kind
// it cannot tell; what it cannot tie to the code becomes diagnostics.
func Merge(res *analyzer.Result, paths []string, opts Options) error {
	if len(paths) == 0 {
		return nil
	}
	var in inputs
	for _, p := range paths {
		if err := in.read(p); err != nil {
			return err
		}
	}
	m := newMerger(res, opts)
	m.stats.Inputs = in.names
	m.applyProfiles(in.profiles)
	m.applyCoverage(in.covers)
	m.applyTraces(in.traces)
	m.finish()
	return nil
}

type edgeKey struct{ from, to string }

// A merger holds the state of one Merge: the graph, indexes into it, and
// the evidence gathered per edge before it is written out.
type merger struct {
	res   *analyzer.Result
	g     *graph.Graph
	opts  Options
	stats *graph.RuntimeStats
	calls map[edgeKey]*graph.Edge // the call edges, by their ends
	files *fileIndex
	names *funcIndex
	// weights are CPU nanoseconds per caller→callee function pair, used to
	// apportion the count of a dynamic site among its callees.
	weights  map[pairKey]int64
	profiled bool
	notes    map[*graph.Edge]map[string]*note
}

// A note gathers the runtime facts about one position of one edge, so that
// several sites on a line or samples at a call give one evidence entry.
type note struct {
	measured          bool  // coverage counted a site here
	executed, counted int64 // coverage: site executions, and the part counted on this edge
	split             []string
	cpuNs             int64
	traces            []string
}

func newMerger(res *analyzer.Result, opts Options) *merger {
	m := &merger{res: res, g: res.Graph, opts: opts, stats: &graph.RuntimeStats{},
		calls: map[edgeKey]*graph.Edge{}, weights: map[pairKey]int64{},
		notes: map[*graph.Edge]map[string]*note{}}
	for _, e := range m.g.Edges {
		if e.Kind == graph.KindCall && e.Mechanism == "func" {
			m.calls[edgeKey{e.From, e.To}] = e
		}
	}
	m.files = newFileIndex(res.Program)
	m.names = newFuncIndex(res.Program, m.files)
	return m
}

func (m *merger) note(e *graph.Edge, pos string) *note {
	byPos := m.notes[e]
	if byPos == nil {
		byPos = map[string]*note{}
		m.notes[e] = byPos
	}
	n := byPos[pos]
	if n == nil {
		n = &note{}
		byPos[pos] = n
	}
	return n
}

// diag adds a runtime diagnostic.
func (m *merger) diag(pos, format string, args ...any) {
	m.g.AddDiagnostic(pos, "runtime", fmt.Sprintf(format, args...))
}

// loud reports an input most of which could not be tied to the code.
func (m *merger) loud(input, format string, args ...any) {
	m.stats.MostlyUnmapped = append(m.stats.MostlyUnmapped, input)
	m.diag(input, "MOST OF THIS RUNTIME DATA DOES NOT MATCH THE CODE: "+format, args...)
}

// finish writes the gathered notes as evidence and counts observed edges.
func (m *merger) finish() {
	for e, byPos := range m.notes {
		for pos, n := range byPos {
			for _, d := range n.details() {
				e.Evidence = append(e.Evidence, graph.Evidence{Pos: pos, Detail: d})
				e.EvidenceTotal++
			}
		}
	}
	m.g.Sort()
	for _, e := range m.g.Edges {
		if e.Observed {
			m.stats.ObservedEdges++
		} else {
			m.stats.StaticOnlyEdges++
		}
	}
	slices.Sort(m.stats.MostlyUnmapped)
	m.stats.MostlyUnmapped = slices.Compact(m.stats.MostlyUnmapped)
	m.g.Stats.Runtime = m.stats
}

func (n *note) details() []string {
	var out []string
	if n.measured {
		d := fmt.Sprintf("executed %d times (coverage)", n.executed)
		if n.counted != n.executed {
			d += fmt.Sprintf(", %d of them counted on this edge", n.counted)
		}
		slices.Sort(n.split)
		for _, s := range slices.Compact(n.split) {
			d += "; " + s
		}
		out = append(out, d)
	}
	if n.cpuNs > 0 {
		out = append(out, fmt.Sprintf("%s CPU below this call (pprof)", formatNs(n.cpuNs)))
	}
	slices.SortFunc(n.traces, cmp.Compare)
	return append(out, n.traces...)
}

// listed caps a diagnostic list at a readable length.
func listed(items []string, max int) string {
	if len(items) <= max {
		return strings.Join(items, ", ")
	}
	return strings.Join(items[:max], ", ") + fmt.Sprintf(", and %d more", len(items)-max)
}
