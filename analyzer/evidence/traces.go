package evidence

import (
	"cmp"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/podsplit/podsplit/graph"
)

// A call is one call between two services seen in traces.
type call struct {
	from, to  string // service names
	mech, key string
	durNs     int64
	input     string
}

// pairCalls finds the calls between services: a server or consumer span
// whose parent (or, for messages, linked) span belongs to another service,
// and client or producer spans that name their peer service when the peer
// left no span of its own.
func pairCalls(inputs []traceInput) []call {
	byID := map[string]*span{}
	for _, in := range inputs {
		for i := range in.spans {
			s := &in.spans[i]
			byID[s.trace+s.id] = s
		}
	}
	answered := map[*span]bool{}
	var calls []call
	for _, in := range inputs {
		for i := range in.spans {
			s := &in.spans[i]
			if s.kind != ptrace.SpanKindServer && s.kind != ptrace.SpanKindConsumer {
				continue
			}
			if p := caller(s, byID); p != nil {
				answered[p] = true
				calls = append(calls, newCall(p, s, p.service, s.service, in.path))
			}
		}
	}
	for _, in := range inputs {
		for i := range in.spans {
			c := &in.spans[i]
			peer := c.attrs["peer.service"]
			if answered[c] || peer == "" || peer == c.service || (c.kind != ptrace.SpanKindClient && c.kind != ptrace.SpanKindProducer) {
				continue
			}
			calls = append(calls, newCall(c, c, c.service, peer, in.path))
		}
	}
	return calls
}

// caller returns the span of another service that s answers, or nil.
func caller(s *span, byID map[string]*span) *span {
	ids := append([]string{s.trace + s.parent}, s.links...)
	for _, id := range ids {
		if p := byID[id]; p != nil && p.service != s.service && p.service != "" && s.service != "" {
			return p
		}
	}
	return nil
}

func newCall(client, server *span, from, to, input string) call {
	c := call{from: from, to: to, mech: mechanism(client, server), input: input, durNs: client.durNs}
	if c.durNs == 0 || (client.kind != ptrace.SpanKindClient && client.kind != ptrace.SpanKindProducer) {
		c.durNs = server.durNs
	}
	c.key = callKey(c.mech, client, server)
	return c
}

// attr returns an attribute of the server span, else of the client span.
func attr(client, server *span, keys ...string) string {
	for _, s := range []*span{server, client} {
		for _, k := range keys {
			if v := s.attrs[k]; v != "" {
				return v
			}
		}
	}
	return ""
}

// mechanism tells how a call travelled, from the semantic conventions.
func mechanism(client, server *span) string {
	switch {
	case attr(client, server, "rpc.system") == "grpc":
		return "grpc"
	case attr(client, server, "messaging.system") != "" ||
		client.kind == ptrace.SpanKindProducer || server.kind == ptrace.SpanKindConsumer:
		return "broker"
	case attr(client, server, "http.request.method", "http.method", "http.route", "url.path", "http.target") != "":
		return "http"
	}
	return "rpc"
}

// callKey names what was called as static edges key it: "METHOD /route",
// the gRPC service or the topic.
func callKey(mech string, client, server *span) string {
	switch mech {
	case "grpc":
		// The full service name, as static gRPC edges are keyed.
		if svc := attr(client, server, "rpc.service"); svc != "" {
			return svc
		}
	case "broker":
		if t := attr(client, server, "messaging.destination.name", "messaging.destination"); t != "" {
			return t
		}
	case "http":
		if r := attr(client, server, "http.route"); r != "" {
			if m := attr(client, server, "http.request.method", "http.method"); m != "" {
				return m + " " + r
			}
			return r
		}
	}
	return server.name
}

type callGroup struct {
	from, to, mech, key, input string
}

// applyTraces adds the calls between services to rpc edges between the
// components the services map to.
func (m *merger) applyTraces(inputs []traceInput) {
	if len(inputs) == 0 {
		return
	}
	groups := map[callGroup][]int64{}
	unmapped := map[string]int{}
	for _, c := range pairCalls(inputs) {
		from, okFrom := m.serviceComponent(c.from)
		to, okTo := m.serviceComponent(c.to)
		if !okFrom || !okTo {
			m.stats.CallsUnmapped++
			for svc, ok := range map[string]bool{c.from: okFrom, c.to: okTo} {
				if !ok {
					unmapped[svc]++
				}
			}
			continue
		}
		m.stats.CallsMapped++
		if from != to {
			k := callGroup{from, to, c.mech, c.key, c.input}
			groups[k] = append(groups[k], c.durNs)
		}
	}
	m.addCalls(groups)
	m.reportServices(inputs, unmapped)
}

func (m *merger) addCalls(groups map[callGroup][]int64) {
	keys := make([]callGroup, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b callGroup) int {
		return cmp.Or(cmp.Compare(a.from, b.from), cmp.Compare(a.to, b.to), cmp.Compare(a.mech, b.mech),
			cmp.Compare(a.key, b.key), cmp.Compare(a.input, b.input))
	})
	for _, k := range keys {
		durs := groups[k]
		slices.Sort(durs)
		e := m.rpcEdge(k.from, k.to, k.mech, k.key)
		e.Runtime += int64(len(durs))
		e.Observed = true
		nt := m.note(e, filepath.ToSlash(k.input))
		nt.traces = append(nt.traces, fmt.Sprintf("%d calls %s over %s (OTLP trace): p50 %s, p95 %s, p99 %s",
			len(durs), k.key, k.mech, formatNs(percentile(durs, 50)), formatNs(percentile(durs, 95)), formatNs(percentile(durs, 99))))
	}
}

// percentile returns the nearest-rank percentile of sorted values.
func percentile(sorted []int64, p int) int64 {
	if len(sorted) == 0 {
		return 0
	}
	rank := (p*len(sorted) + 99) / 100
	return sorted[max(rank, 1)-1]
}

// rpcEdge returns the rpc edge for a call: a static one with the same ends
// and mechanism (the one whose key matches, if any), or a new one.
func (m *merger) rpcEdge(from, to, mech, key string) *graph.Edge {
	var cands []*graph.Edge
	for _, e := range m.g.Edges {
		if e.From == from && e.To == to && e.Kind == graph.KindRPC && e.Mechanism == mech {
			if e.Key == key || (e.Key != "" && (strings.HasSuffix(key, e.Key) || strings.HasSuffix(e.Key, key))) {
				return e
			}
			cands = append(cands, e)
		}
	}
	if len(cands) > 0 {
		return cands[0]
	}
	e := &graph.Edge{From: from, To: to, Kind: graph.KindRPC, Mechanism: mech, Key: key, Evidence: []graph.Evidence{}}
	m.g.Edges = append(m.g.Edges, e)
	return e
}

func (m *merger) reportServices(inputs []traceInput, unmapped map[string]int) {
	svcs := make([]string, 0, len(unmapped))
	for s := range unmapped {
		svcs = append(svcs, s)
	}
	slices.Sort(svcs)
	for _, s := range svcs {
		m.diag("", "traces name service %q (%d calls), which matches no component; map it to one in the service mapping", s, unmapped[s])
	}
	if m.stats.CallsUnmapped > m.stats.CallsMapped {
		for _, in := range inputs {
			m.loud(in.path, "%d of %d calls between services in the traces could not be tied to components; map the services to components",
				m.stats.CallsUnmapped, m.stats.CallsUnmapped+m.stats.CallsMapped)
		}
	}
}
