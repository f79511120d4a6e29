package gate

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/podsplit/podsplit/config"
	"github.com/podsplit/podsplit/graph"
	"github.com/podsplit/podsplit/plan"
)

// A unit is one declared service of a starter configuration: one container
// of the plan's target, since each container is a process of its own.
type unit struct {
	name       string
	service    string // the plan service (Pod) holding the container
	components []string
	patterns   []string
}

// Starter writes a starting podsplit.yaml for the target of a plan: one
// declared service per container of the target (the plan's services are
// Pods; their containers are the processes), the plan's libraries, a
// ceiling for every pair of services that interact or share a Pod, and the
// rules with thresholds at today's values so that things only get better.
// The planning sections of keep (groups, pins, cost, clustering, runtime)
// are carried over. Every key has a comment saying what it means. The
// result is checked to load with config.Parse.
func Starter(p *plan.Plan, g *graph.Graph, keep *config.Config) ([]byte, error) {
	units := starterUnits(p, g)
	cfg := &config.Config{Services: map[string][]string{}, Libraries: libraryPatterns(p, g)}
	for _, u := range units {
		cfg.Services[u.name] = u.patterns
	}
	doc := mapping()
	doc.HeadComment = "podsplit.yaml: the target boundaries of " + g.Module + ", checked by podsplit gate.\n" +
		"Written by podsplit init from the current plan; edit it as the target changes.\n" +
		"Reference: docs/ci.md."
	add(doc, "version", scalar("1"), "\nFormat version of this file.")
	add(doc, "services", servicesNode(units), "\nservices: the deployable units of the target, each a name and the Go\n"+
		"package patterns it owns (\"./orders/...\" is orders and everything below it;\n"+
		"the longest matching pattern wins). Each is one container of the plan.")
	add(doc, "libraries", flowSeq(cfg.Libraries...), "\nlibraries: packages linked into every service that uses them; calls into\n"+
		"them cross no boundary. Library patterns win over service patterns.")
	tiers := tierRules(p, g, units)
	cfg.Tiers = nil
	add(doc, "tiers", tiersNode(tiers), "\ntiers: the ceiling of each pair of services, the tightest link allowed:\n"+
		"process (plain calls), pod (IPC inside one Pod), network (RPC). Pairs not\n"+
		"listed may talk only over the network.")
	for _, t := range tiers {
		cfg.Tiers = append(cfg.Tiers, config.TierRule{Between: []string{t.a, t.b}, Max: t.max})
	}
	add(doc, "rules", rulesNode(p, g, cfg), "\nrules: what podsplit gate enforces. Violations listed in the baseline\n"+
		"(podsplit.baseline.json beside this file, or the baseline key) do not fail it.")
	if err := carryOver(doc, keep); err != nil {
		return nil, err
	}
	return render(doc)
}

// starterUnits names the containers of the target and gives each the
// package patterns of its components.
func starterUnits(p *plan.Plan, g *graph.Graph) []unit {
	seen := map[string]int{}
	for _, s := range p.Target.Services {
		for _, c := range s.Containers {
			seen[c.Name]++
		}
	}
	var units []unit
	for _, s := range p.Target.Services {
		for _, c := range s.Containers {
			name := c.Name
			switch {
			case len(s.Containers) == 1:
				name = s.Name
			case seen[c.Name] > 1:
				name = s.Name + "-" + c.Name
			}
			units = append(units, unit{name: name, service: s.Name, components: c.Components, patterns: patternsOf(g, c.Components, true)})
		}
	}
	slices.SortFunc(units, func(a, b unit) int { return strings.Compare(a.name, b.name) })
	return units
}

// libraryPatterns gives the plan's libraries as patterns. A library's
// pattern covers the packages below it only when none of them belongs to
// a service, since library patterns win over service patterns.
func libraryPatterns(p *plan.Plan, g *graph.Graph) []string {
	libs := map[string]bool{}
	for _, id := range p.Target.Libraries {
		libs[id] = true
	}
	var out []string
	for _, id := range p.Target.Libraries {
		below := false
		for _, c := range g.Components {
			if !libs[c.ID] && strings.HasPrefix(c.ID, id+"/") {
				below = true
			}
		}
		out = append(out, patternsOf(g, []string{id}, !below)...)
	}
	return compactPatterns(out)
}

// patternsOf returns module-relative patterns for the packages of the given
// components: "./dir/..." with tree, "./dir" without; "." for the module's
// root package, whose tree would be the whole module.
func patternsOf(g *graph.Graph, ids []string, tree bool) []string {
	var out []string
	for _, id := range ids {
		pkgs := []string{id}
		if c := g.Component(id); c != nil && len(c.Packages) > 0 {
			pkgs = c.Packages
		}
		for _, pkg := range pkgs {
			mod := moduleOf(g, pkg)
			rel, ok := strings.CutPrefix(pkg, mod+"/")
			switch {
			case pkg == mod:
				out = append(out, ".")
			case !ok:
				out = append(out, pkg)
			case tree:
				out = append(out, "./"+rel+"/...")
			default:
				out = append(out, "./"+rel)
			}
		}
	}
	return compactPatterns(out)
}

// compactPatterns sorts patterns and drops those another "/..." pattern of
// the list already covers.
func compactPatterns(pats []string) []string {
	slices.Sort(pats)
	pats = slices.Compact(pats)
	var out []string
	for _, p := range pats {
		covered := false
		for _, q := range pats {
			base, ok := strings.CutSuffix(q, "/...")
			if ok && q != p && (p == base || strings.HasPrefix(p, base+"/")) {
				covered = true
			}
		}
		if !covered {
			out = append(out, p)
		}
	}
	return out
}

func ceilRound(x float64) float64 { return math.Ceil(x*100-1e-9) / 100 }

// render marshals the document and checks that it loads.
func render(doc *yaml.Node) ([]byte, error) {
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{doc}}); err != nil {
		return nil, fmt.Errorf("writing podsplit.yaml: %w", err)
	}
	if _, err := config.Parse(config.FileName, b.Bytes()); err != nil {
		return nil, fmt.Errorf("writing podsplit.yaml: the result does not load: %w", err)
	}
	return b.Bytes(), nil
}
