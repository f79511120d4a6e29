package plan

import (
	"fmt"
	"strings"

	"github.com/podsplit/podsplit/graph"
)

// nonSerializable: a parameter or result of a function called across the
// pair cannot be copied into another process (a channel, a func, a sync
// primitive, an open file or stream, a context whose values the callee
// reads, a pointer the callee writes through, an object with behaviour).
//
// A call resolved only by the module's types (graph.Edge.ByType: no value
// flow told which implementation an interface call reaches) is let
// through too: its target is a guess among the module's implementations,
// and a guess glues no pair into one process (Loki's distributor calling
// a dskit client pool's GetClientFor, resolved to the bloom gateway's).
//
// Two kinds of call are wiring rather than traffic and are let through: calls
// from a main package, which builds every part's objects and will be
// rewritten per service anyway; and the dependencies handed to a constructor
// (objects and interfaces; channels and funcs still count, since the
// constructed part would call them later). A result that is a handle to an
// object of the callee's own package ("search.New() *search.Index") becomes
// a client stub when the callee moves away, and is let through as well.
func (c *classifier) nonSerializable(p *pairEdges) []reason {
	var out []reason
	for _, e := range p.edges {
		if !c.v.crossing(e) || c.v.comps[c.v.index[e.From]].Role == graph.RoleEntrypoint || e.ByTypeOnly() {
			continue
		}
		for _, callee := range e.Callees {
			for _, ns := range callee.NonSerializable {
				if text := paramReason(callee, ns); text != "" {
					ev := evidenceFor(e, callee.Func)
					out = append(out, reason{tier: TierProcess, rule: ruleParam, evidence: ev, text: text + at(ev)})
				}
			}
		}
	}
	return out
}

// paramReason returns the reason text for one non-serialisable entry of a
// callee ("ch chan<- Event: channel", "result *T: …"), or "" when it is
// wiring or a handle as described above.
func paramReason(callee graph.Callee, ns string) string {
	what, why, _ := strings.Cut(ns, ": ")
	if markerField(why) {
		return ""
	}
	pkg, _, _ := strings.Cut(callee.Func, ".")
	wiring := isConstructor(callee) || isRegistration(callee)
	if typ, ok := strings.CutPrefix(what, "result "); ok {
		if ownType(pkg, typ) || wiring {
			return "" // a handle to what the callee built
		}
		return fmt.Sprintf("non-serialisable result: %s returns %s: %s", callee.Func, typ, why)
	}
	if wiring && why != "channel" && why != "function value" {
		return "" // an object handed whole, whatever its fields hold
	}
	return fmt.Sprintf("non-serialisable parameter: %s(%s): %s", callee.Func, what, why)
}

// markerField recognises the zero-size marker fields protoc-gen-go puts in
// every message (DoNotCompare is [0]func()): they carry no data, and a
// generated message is made to be serialised.
func markerField(why string) bool {
	for _, f := range []string{"field DoNotCompare:", "field DoNotCopy:", "field NoUnkeyedLiterals:"} {
		if strings.Contains(why, f) {
			return true
		}
	}
	return false
}

// ownType reports whether a type names a type of package pkg, through
// pointers, slices and maps: "*search.Index", "[]search.Hit".
func ownType(pkg, typ string) bool {
	t := strings.TrimLeft(typ, "*[]")
	return pkg != "" && strings.HasPrefix(t, pkg+".")
}

// isConstructor reports whether a callee builds an object: a plain function
// named New…, Must…, Open… or Init…, or returning its own package's type.
func isConstructor(callee graph.Callee) bool {
	_, name, _ := strings.Cut(callee.Func, ".")
	if strings.ContainsAny(name, "()$") {
		return false
	}
	for _, prefix := range []string{"New", "Must", "Open", "Init"} {
		if strings.HasPrefix(name, prefix) {
			return true
		}
	}
	_, results := splitSignature(callee.Signature)
	first := ""
	if r := splitTop(results); len(r) > 0 {
		first = strings.TrimPrefix(paramType(r[0]), "*")
	}
	return first != "" && !strings.ContainsAny(first, ".[]( ") && first[0] >= 'A' && first[0] <= 'Z'
}

// isRegistration reports whether a callee wires an object into a table
// once, at start-up, rather than serving a request: a function or method
// named Register… (protoc's RegisterFooServer(s *grpc.Server, srv),
// Cortex's api.(*API).RegisterRuler(r)) or one returning an http.Handler
// built around what it is handed (querier.MetadataHandler(m)), unless it
// is handed a handler too: middleware wraps every request in process. What
// a registration is handed is wiring, like a constructor's dependencies.
func isRegistration(callee graph.Callee) bool {
	name := callee.Func
	if i := strings.LastIndexAny(name, ".)"); i >= 0 {
		name = name[i+1:]
	}
	if strings.HasPrefix(name, "Register") && !strings.ContainsAny(name, "$") {
		return true
	}
	params, results := splitSignature(callee.Signature)
	r := splitTop(results)
	if len(r) != 1 || !httpHandler[paramType(r[0])] {
		return false
	}
	for _, p := range splitTop(params) {
		if httpHandler[strings.TrimPrefix(paramType(p), "...")] {
			return false // middleware: it runs around the handler on every request
		}
	}
	return true
}

// httpHandler names the types an HTTP handler or transport goes by.
var httpHandler = set("net/http.Handler", "net/http.HandlerFunc", "net/http.RoundTripper")

// links: the links the pair already has that are not function calls.
func (c *classifier) links(p *pairEdges) []reason {
	var out []reason
	for _, e := range p.edges {
		from, to := c.v.name(c.v.index[e.From]), c.v.name(c.v.index[e.To])
		link := strings.TrimSpace(e.Mechanism + " " + e.Key)
		ev := e.Evidence
		switch {
		case e.Kind == graph.KindIPC && e.Mechanism != "file":
			out = append(out, reason{tier: TierPod, rule: ruleIPC, evidence: ev,
				text: fmt.Sprintf("already talks over local IPC: %s → %s (%s)%s", from, to, link, at(ev))})
		case e.Mechanism == "file":
			out = append(out, reason{tier: TierPod, rule: ruleFile, evidence: ev,
				text: fmt.Sprintf("shares a local file: %s → %s (%s)%s", from, to, link, at(ev))})
		case e.Kind == graph.KindData:
			out = append(out, reason{tier: TierNetwork, rule: ruleData, evidence: ev,
				text: fmt.Sprintf("shares stored data: %s → %s (%s): one side must own it%s", from, to, link, at(ev))})
		case e.Kind == graph.KindRPC:
			out = append(out, reason{tier: TierNetwork, rule: ruleRPC, evidence: ev,
				text: fmt.Sprintf("already talks RPC: %s → %s (%s)%s", from, to, link, at(ev))})
		case e.Kind == graph.KindCall && c.v.comps[c.v.index[e.From]].Role == graph.RoleEntrypoint && hasNonSerializable(e):
			out = append(out, reason{tier: TierNetwork, rule: ruleWiring, evidence: ev,
				text: fmt.Sprintf("wiring: %s builds %s's objects; each service's own main will%s", from, to, at(ev))})
		}
	}
	return out
}

func hasNonSerializable(e *graph.Edge) bool {
	for _, c := range e.Callees {
		if len(c.NonSerializable) > 0 {
			return true
		}
	}
	return false
}

// runtime: measured call traffic against the latency budget. It decides
// nothing for a pair that only talks RPC, which already pays the network.
func (c *classifier) runtime(p *pairEdges) []reason {
	t := trafficOf(c.cost, p.edges)
	if !t.runtime || t.calls == 0 {
		return nil
	}
	m := c.cost
	ipc, net := t.us(m, TierPod), t.us(m, TierNetwork)
	calls := formatCalls(t.calls, m)
	ev := runtimeEvidence(p)
	switch {
	case ipc > m.BudgetUS:
		return []reason{{tier: TierProcess, rule: ruleRuntime, evidence: ev, text: fmt.Sprintf(
			"runtime: %s × %s over IPC = %s > budget %s", calls, formatUS(m.callUS(TierPod, t.bytes)), formatUS(ipc), formatUS(m.BudgetUS))}}
	case net > m.BudgetUS:
		return []reason{{tier: TierPod, rule: ruleRuntime, evidence: ev, text: fmt.Sprintf(
			"runtime: %s × %s over IPC = %s fits the budget %s; over the network %s does not",
			calls, formatUS(m.callUS(TierPod, t.bytes)), formatUS(ipc), formatUS(m.BudgetUS), formatUS(net))}}
	}
	return []reason{{tier: TierNetwork, rule: ruleRuntime, evidence: ev, text: fmt.Sprintf(
		"runtime: %s × %s over the network = %s fits the budget %s", calls, formatUS(m.callUS(TierNetwork, t.bytes)), formatUS(net), formatUS(m.BudgetUS))}}
}

func formatCalls(n float64, m CostModel) string {
	if m.Requests > 0 {
		return fmt.Sprintf("%.4g calls per request", n)
	}
	return fmt.Sprintf("%.0f calls", n)
}

func runtimeEvidence(p *pairEdges) []graph.Evidence {
	var out []graph.Evidence
	for _, e := range p.edges {
		if e.Runtime > 0 {
			out = append(out, graph.Evidence{Pos: firstPos(e), Detail: fmt.Sprintf("%s → %s: %d calls at runtime", e.From, e.To, e.Runtime)})
		}
	}
	return out
}

func firstPos(e *graph.Edge) string {
	if len(e.Evidence) > 0 {
		return e.Evidence[0].Pos
	}
	return ""
}

// loose is the reason of a pair that nothing ties closer than the network.
func (c *classifier) loose(p *pairEdges) reason {
	sites, reuse, kinds := 0, 0, map[string]bool{}
	for _, e := range p.edges {
		sites += e.Static
		kinds[e.Kind] = true
		if e.Reuse() {
			reuse += e.Static
		}
	}
	text := fmt.Sprintf("no shared state, no cycle, serialisable calls only (%d call sites)", sites)
	switch {
	case !kinds[graph.KindCall] && !kinds[graph.KindState]:
		text = "no calls between them"
	case reuse == sites:
		text = fmt.Sprintf("code reuse only: %d call sites of pure functions (no state, channel or I/O), which the caller links", sites)
	}
	return reason{tier: TierNetwork, rule: ruleCalls, text: text}
}

// evidenceFor returns the evidence of an edge whose detail names the given
// function or variable ("caller → callee", "f writes pkg.V"), or else all of it.
func evidenceFor(e *graph.Edge, name string) []graph.Evidence {
	var out []graph.Evidence
	for _, ev := range e.Evidence {
		if strings.HasSuffix(ev.Detail, name) || strings.Contains(ev.Detail, "→ "+name+" ") || strings.HasSuffix(ev.Detail, " "+name) {
			out = append(out, ev)
		}
	}
	if len(out) == 0 {
		return e.Evidence
	}
	return out
}
