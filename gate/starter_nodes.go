package gate

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"

	"go.yaml.in/yaml/v3"

	"github.com/podsplit/podsplit/config"
	"github.com/podsplit/podsplit/graph"
	"github.com/podsplit/podsplit/plan"
)

func mapping() *yaml.Node { return &yaml.Node{Kind: yaml.MappingNode} }

func scalar(v string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Value: v} }

func flowSeq(vs ...string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
	for _, v := range vs {
		n.Content = append(n.Content, scalar(v))
	}
	return n
}

// add appends key: value to a mapping, with a comment above the key.
func add(m *yaml.Node, key string, value *yaml.Node, comment string) *yaml.Node {
	k := scalar(key)
	k.HeadComment = comment
	m.Content = append(m.Content, k, value)
	return k
}

func servicesNode(units []unit) *yaml.Node {
	m := mapping()
	for _, u := range units {
		v := flowSeq(u.patterns...)
		if u.name != u.service {
			v.LineComment = "a container of the Pod " + u.service
		}
		add(m, u.name, v, "")
	}
	return m
}

// A starterTier is a ceiling to write, with why.
type starterTier struct {
	a, b, max, why string
}

// tierRules returns a ceiling for every pair of units that share a Pod
// (pod) or interact across Pods (network), each with the plan's tightest
// verdict for the pair as the reason.
func tierRules(p *plan.Plan, g *graph.Graph, units []unit) []starterTier {
	unitOf, podOf := map[string]string{}, map[string]string{}
	for _, s := range p.Target.Services {
		for _, c := range s.Containers {
			for _, id := range c.Components {
				podOf[id] = s.Name
			}
		}
	}
	for _, u := range units {
		for _, id := range u.components {
			unitOf[id] = u.name
		}
	}
	tiers := map[[2]string]*starterTier{}
	note := func(a, b, max, why string) {
		k := pairKey(a, b)
		if tiers[k] == nil {
			tiers[k] = &starterTier{a: k[0], b: k[1], max: max}
		}
		if why != "" && tiers[k].why == "" {
			tiers[k].why = why
		}
	}
	for _, u := range units {
		for _, v := range units {
			if u.name < v.name && u.service == v.service {
				note(u.name, v.name, plan.TierPod, "")
			}
		}
	}
	for _, e := range g.Edges {
		if a, b := unitOf[e.From], unitOf[e.To]; a != "" && b != "" && a != b && podOf[e.From] != podOf[e.To] {
			note(a, b, plan.TierNetwork, "")
		}
	}
	for _, pr := range p.Pairs {
		if a, b := unitOf[pr.A], unitOf[pr.B]; tiers[pairKey(a, b)] != nil {
			note(a, b, "", verdict(pr))
		}
	}
	var out []starterTier
	for _, t := range tiers {
		out = append(out, *t)
	}
	slices.SortFunc(out, func(x, y starterTier) int {
		return cmp.Or(cmp.Compare(x.a, y.a), cmp.Compare(x.b, y.b))
	})
	return out
}

func verdict(p plan.Pair) string {
	s := "plan verdict " + p.Tier
	if len(p.Reasons) > 0 {
		s += ": " + p.Reasons[0]
	}
	return s
}

func tiersNode(tiers []starterTier) *yaml.Node {
	seq := &yaml.Node{Kind: yaml.SequenceNode}
	for _, t := range tiers {
		m := mapping()
		add(m, "between", flowSeq(t.a, t.b), "")
		v := scalar(t.max)
		v.LineComment = t.why
		m.Content = append(m.Content, scalar("max"), v)
		seq.Content = append(seq.Content, m)
	}
	return seq
}

// icpMargin is the headroom init leaves above today's ICP: the threshold
// is there to catch drift, while single new calls across a boundary are
// the cross-service-call rule's.
const icpMargin = 0.05

// rulesNode switches every rule on and sets the thresholds a little above
// today's values: they are there to catch drift, and single new calls are
// the cross-service-call rule's.
func rulesNode(p *plan.Plan, g *graph.Graph, cfg *config.Config) *yaml.Node {
	m := mapping()
	add(m, "no_cross_service_calls", scalar("true"), "No in-process call between services whose ceiling is pod or network.")
	add(m, "no_shared_state", scalar("true"), "No package-level variable of one such service touched by another.")
	add(m, "no_new_cycles", scalar("true"), "No cycle of calls or state access between services.")
	add(m, "tier_ceiling", scalar("true"), "No link (IPC, shared file, plan verdict) tighter than the pair's ceiling.")
	value := icp(g, newLayout(g, cfg))
	k := add(m, "max_icp", scalar(strconv.FormatFloat(min(ceilRound(value+icpMargin), 1), 'f', -1, 64)),
		"Most inter-call percentage allowed: the weighted share of interactions\nthat cross a service boundary, in [0, 1]; 0 switches the check off.")
	k.LineComment = fmt.Sprintf("today: %.3f, plus %.2f so that one new call trips only cross-service-call", value, icpMargin)
	most := 0
	for _, s := range p.Steps {
		most = max(most, len(s.Cut))
	}
	k = add(m, "max_cut_sites_per_step", scalar(strconv.Itoa(most+(most+3)/4)),
		"Most call sites one plan step may cut; 0 switches the check off.")
	k.LineComment = fmt.Sprintf("today's largest step cuts %d, plus a quarter of headroom", most)
	return m
}

// carryOver copies the planning sections of an earlier configuration.
func carryOver(doc *yaml.Node, keep *config.Config) error {
	if keep == nil {
		return nil
	}
	sections := []struct {
		key   string
		set   bool
		value any
	}{
		{"groups", len(keep.Groups) > 0, keep.Groups},
		{"together", len(keep.Together) > 0, keep.Together},
		{"apart", len(keep.Apart) > 0, keep.Apart},
		{"cost", keep.Cost != nil, keep.Cost},
		{"clustering", keep.Cluster != (config.Cluster{}), keep.Cluster},
		{"runtime", len(keep.Runtime.Services) > 0, keep.Runtime},
		{"baseline", keep.Baseline != "", keep.Baseline},
	}
	first := true
	for _, s := range sections {
		if !s.set {
			continue
		}
		var n yaml.Node
		if err := n.Encode(s.value); err != nil {
			return fmt.Errorf("writing podsplit.yaml: %s: %w", s.key, err)
		}
		comment := ""
		if first {
			comment, first = "\nKept from the previous podsplit.yaml.", false
		}
		add(doc, s.key, &n, comment)
	}
	return nil
}
