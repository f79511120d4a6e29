package link

import (
	"cmp"
	"path"
	"slices"
	"strings"

	"github.com/podsplit/podsplit/graph"
)

// Match adds to g the edges that facts imply, the external endpoint nodes
// unmatched HTTP clients reach, and the per-component facts later stages
// need (Governance, Listens, Health). Components named by facts but absent
// from g are added with the fact's language. The graph is sorted afterwards.
func Match(g *graph.Graph, facts []Fact) {
	facts = slices.Clone(facts)
	slices.SortFunc(facts, compareFacts)
	facts = slices.Compact(facts)
	b := &builder{g: g, edges: map[edgeID]*graph.Edge{}}
	for _, e := range g.Edges {
		b.edges[edgeID{e.From, e.To, e.Kind, e.Mechanism, e.Key}] = e
	}
	for _, f := range facts {
		b.component(f.Component, f.Language)
	}
	by := byMechanism(facts)
	b.matchHTTP(by[HTTP])
	b.matchKeys(by[GRPC], Call, Serve, graph.KindRPC, sameKey)
	b.matchKeys(by[Broker], Produce, Consume, graph.KindRPC, topicMatch)
	b.matchKeys(by[Unix], Dial, Listen, graph.KindIPC, sameKey)
	b.matchKeys(by[TCP], Dial, Listen, graph.KindIPC, sameKey)
	b.matchKeys(by[ExecMech], Exec, Binary, graph.KindIPC, sameKey)
	b.matchFiles(append(by[File], by[Pipe]...))
	b.matchData(by[SQL])
	b.matchData(by[Mongo])
	b.annotate(facts)
	b.finish()
}

func compareFacts(a, b Fact) int {
	return cmp.Or(cmp.Compare(a.Mechanism, b.Mechanism), cmp.Compare(a.Key, b.Key),
		cmp.Compare(a.Role, b.Role), cmp.Compare(a.Component, b.Component),
		cmp.Compare(a.Pos, b.Pos), cmp.Compare(a.Access, b.Access),
		cmp.Compare(a.Detail, b.Detail), cmp.Compare(a.Language, b.Language))
}

func byMechanism(facts []Fact) map[string][]Fact {
	m := map[string][]Fact{}
	for _, f := range facts {
		m[f.Mechanism] = append(m[f.Mechanism], f)
	}
	return m
}

func sameKey(consumer, producer string) bool { return consumer == producer }

// topicMatch lets a subscription pattern match a topic: NATS subjects
// and AMQP binding keys ("orders.*" one token, "orders.>" one or more,
// "orders.#" zero or more) and Redis glob patterns.
func topicMatch(pattern, topic string) bool {
	if pattern == topic {
		return true
	}
	if !strings.ContainsAny(pattern, "*>#?[") {
		return false
	}
	if strings.Contains(pattern, ".") || strings.HasSuffix(pattern, ">") {
		ps, ts := strings.Split(pattern, "."), strings.Split(topic, ".")
		for i, p := range ps {
			switch p {
			case ">":
				return i < len(ts)
			case "#":
				return true
			}
			if i >= len(ts) || (p != "*" && p != ts[i]) {
				return false
			}
		}
		return len(ps) == len(ts)
	}
	ok, _ := path.Match(pattern, topic)
	return ok
}

// matchKeys joins every fact of role from to every fact of role to in
// another component whose key matches, as an edge from → to keyed by the
// initiating end (the concrete topic where a subscription is a pattern).
func (b *builder) matchKeys(facts []Fact, from, to, kind string, match func(toKey, fromKey string) bool) {
	var src, dst []Fact
	for _, f := range facts {
		switch f.Role {
		case from:
			src = append(src, f)
		case to:
			dst = append(dst, f)
		}
	}
	for _, s := range src {
		for _, d := range dst {
			if s.Component != d.Component && match(d.Key, s.Key) {
				b.link(s, d, kind, s.Key)
			}
		}
	}
}

// matchFiles joins writers and readers of the same path; a path that is a
// named pipe (some fact says so) makes a pipe edge, any other a file edge.
func (b *builder) matchFiles(facts []Fact) {
	pipes := map[string]bool{}
	for _, f := range facts {
		if f.Mechanism == Pipe {
			pipes[f.Key] = true
		}
	}
	for i := range facts {
		if pipes[facts[i].Key] {
			facts[i].Mechanism = Pipe
		}
	}
	b.matchKeys(facts, Write, Read, graph.KindIPC, sameKey)
}

// matchData joins the components that touch the same table or collection:
// an edge from each writer to each other component touching it. Where
// nobody writes (shared reference data), readers are joined pairwise.
func (b *builder) matchData(facts []Fact) {
	byKey := map[string][]Fact{}
	for _, f := range facts {
		byKey[f.Key] = append(byKey[f.Key], f)
	}
	for _, key := range sortedKeys(byKey) {
		fs := byKey[key]
		written := slices.ContainsFunc(fs, func(f Fact) bool { return f.Access == Write })
		for _, a := range fs {
			for _, c := range fs {
				if a.Component == c.Component {
					continue
				}
				if a.Access == Write || (!written && a.Component < c.Component) {
					b.link(a, c, graph.KindData, key)
				}
			}
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// describe renders a fact as evidence detail: "produce order.placed (kafka-go Writer)".
func describe(f Fact) string {
	s := f.Role
	if f.Access != "" && f.Access != f.Role {
		s += " (" + f.Access + ")"
	}
	s += " " + f.Key
	if f.Detail != "" {
		s += ": " + f.Detail
	}
	return s
}
