package plan

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/podsplit/podsplit/graph"
)

// Rules of a reason, which say why a pair gets its tier.
const (
	ruleState   = "shared-state"     // process: package-level state of one side used by the other
	ruleCycle   = "cycle"            // process: the pair lies on a call cycle
	ruleParam   = "non-serializable" // process: a value crossing the pair cannot leave the process
	ruleRuntime = "runtime"          // process or pod: measured traffic against the budget
	ruleIPC     = "ipc"              // pod: already talks over local IPC
	ruleFile    = "file"             // pod: shares a local file
	ruleRPC     = "rpc"              // network: already talks RPC
	ruleData    = "data"             // network, noted: shares stored data
	ruleWiring  = "wiring"           // network, noted: a main builds the other side's objects
	ruleCalls   = "calls"            // network: nothing ties the pair closer
)

// A reason is one finding about a pair, with the tier it asks for.
type reason struct {
	tier, rule, text string
	evidence         []graph.Evidence
}

// A verdict is a Pair with the reasons behind it kept apart by rule, for the
// planner's own use.
type verdict struct {
	Pair
	a, b    int // view indices, a < b
	reasons []reason
}

// has reports whether a reason of the given rule asks for the verdict's tier.
func (v *verdict) has(rule string) bool {
	for _, r := range v.reasons {
		if r.rule == rule && r.tier == v.Tier {
			return true
		}
	}
	return false
}

// Classify decides the tier of every interacting pair of components of g:
// "process" when the pair shares mutable state, lies on a call cycle, passes
// values that cannot leave a process, or trades more calls than the latency
// budget allows over IPC; "pod" when it already talks over local IPC, shares
// a local file, or its traffic fits the budget over IPC but not over the
// network; "network" otherwise, and whenever it already talks RPC and
// nothing ties it closer. Pairs are sorted by (A, B).
func Classify(g *graph.Graph, opts Options) []Pair {
	v := newView(g)
	var out []Pair
	for _, vd := range classify(v, opts.normalized()) {
		out = append(out, vd.Pair)
	}
	return out
}

func classify(v *view, opts Options) []*verdict {
	cyc, _ := v.cycles()
	c := classifier{v: v, cost: opts.Cost, cycleOf: cyc}
	out := make([]*verdict, 0, len(v.pairs))
	for _, p := range v.pairs {
		out = append(out, c.judge(p))
	}
	slices.SortFunc(out, func(x, y *verdict) int { return cmp.Or(cmp.Compare(x.A, y.A), cmp.Compare(x.B, y.B)) })
	return out
}

type classifier struct {
	v       *view
	cost    CostModel
	cycleOf []int
}

func (c *classifier) judge(p *pairEdges) *verdict {
	a, b := p.a, p.b
	if c.v.id(a) > c.v.id(b) {
		a, b = b, a
	}
	vd := &verdict{a: p.a, b: p.b, Pair: Pair{A: c.v.id(a), B: c.v.id(b), Reasons: []string{}}}
	for _, e := range p.edges {
		vd.Static += e.Static
		vd.Runtime += e.Runtime
	}
	vd.reasons = append(vd.reasons, c.sharedState(p)...)
	vd.reasons = append(vd.reasons, c.cycle(p)...)
	vd.reasons = append(vd.reasons, c.nonSerializable(p)...)
	vd.reasons = append(vd.reasons, c.links(p)...)
	vd.reasons = append(vd.reasons, c.runtime(p)...)
	if !slices.ContainsFunc(vd.reasons, func(r reason) bool { return r.tier != TierNetwork || r.rule == ruleRPC }) {
		vd.reasons = append(vd.reasons, c.loose(p))
	}
	vd.settle()
	return vd
}

// settle sets the tier to the tightest asked for, orders the reasons from
// tightest to loosest, and keeps the evidence of the decisive ones.
func (vd *verdict) settle() {
	slices.SortStableFunc(vd.reasons, func(x, y reason) int { return cmp.Compare(tierRank(x.tier), tierRank(y.tier)) })
	vd.Tier = vd.reasons[0].tier
	for _, r := range vd.reasons {
		vd.Reasons = append(vd.Reasons, r.text)
		if r.tier == vd.Tier {
			vd.Evidence = append(vd.Evidence, r.evidence...)
		}
	}
	if len(vd.Evidence) > maxPairEvidence {
		vd.Evidence = vd.Evidence[:maxPairEvidence]
	}
}

const maxPairEvidence = 10

// tierRank orders tiers from tightest (0) to loosest.
func tierRank(t string) int {
	switch t {
	case TierProcess:
		return 0
	case TierPod:
		return 1
	}
	return 2
}

// sharedState: a state edge is one side reading or writing a package-level
// variable of the other that is written after initialisation.
func (c *classifier) sharedState(p *pairEdges) []reason {
	var out []reason
	for _, e := range p.edges {
		if e.Kind != graph.KindState {
			continue
		}
		from := c.v.name(c.v.index[e.From])
		for _, s := range e.State {
			verb := "reads"
			if s.Access != "read" {
				verb = "writes"
			}
			ev := evidenceFor(e, s.Var)
			out = append(out, reason{tier: TierProcess, rule: ruleState, evidence: ev,
				text: fmt.Sprintf("shared mutable state: %s %s %s%s", from, verb, s.Var, at(ev))})
		}
	}
	return out
}

// cycle: the pair calls each other, directly or through others.
func (c *classifier) cycle(p *pairEdges) []reason {
	if c.cycleOf[p.a] < 0 || c.cycleOf[p.a] != c.cycleOf[p.b] {
		return nil
	}
	var first *graph.Edge
	for _, e := range p.edges {
		if c.v.binds(e) {
			first = e
			break
		}
	}
	if first == nil {
		return nil
	}
	from, to := c.v.index[first.From], c.v.index[first.To]
	path := c.v.cyclePath(from, to, c.cycleOf)
	names := make([]string, len(path))
	for i, n := range path {
		names[i] = c.v.name(n)
	}
	text := "call cycle: " + joinCycle(names)
	return []reason{{tier: TierProcess, rule: ruleCycle, text: text, evidence: cycleEvidence(c.v, path)}}
}

// joinCycle writes "a ↔ b" for a cycle of two and "a → b → c → a" otherwise.
func joinCycle(names []string) string {
	if len(names) == 3 && names[0] == names[2] {
		return names[0] + " ↔ " + names[1]
	}
	s := ""
	for i, n := range names {
		if i > 0 {
			s += " → "
		}
		s += n
	}
	return s
}

// cycleEvidence takes one call site of each step of the cycle.
func cycleEvidence(v *view, path []int) []graph.Evidence {
	var out []graph.Evidence
	for i := 0; i+1 < len(path); i++ {
		for _, e := range v.out[path[i]] {
			if v.index[e.To] == path[i+1] && v.binds(e) && len(e.Evidence) > 0 {
				out = append(out, e.Evidence[0])
				break
			}
		}
	}
	return out
}

// at formats the first evidence position as " (file:line)".
func at(ev []graph.Evidence) string {
	if len(ev) == 0 || ev[0].Pos == "" {
		return ""
	}
	return " (" + ev[0].Pos + ")"
}
