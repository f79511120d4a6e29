package gate

import (
	"fmt"
	"slices"
	"strings"

	"github.com/podsplit/podsplit/config"
	"github.com/podsplit/podsplit/graph"
	"github.com/podsplit/podsplit/plan"
)

// library is the service of components matched by a libraries pattern, as
// config.ServiceOf reports it.
const library = "-"

// A layout places the graph's components in the declared services.
type layout struct {
	cfg     *config.Config
	service map[string]string // component id → service, library, or "" for none
	notes   []string
}

func newLayout(g *graph.Graph, cfg *config.Config) *layout {
	l := &layout{cfg: cfg, service: map[string]string{}}
	used := map[string]bool{}
	for _, c := range g.Components {
		if c.External {
			continue
		}
		s := l.place(g, c)
		l.service[c.ID] = s
		used[s] = true
		if s == "" {
			l.notes = append(l.notes, fmt.Sprintf("component %s belongs to no declared service or library: its links are not checked", label(c)))
		}
	}
	for _, name := range sortedKeys(cfg.Services) {
		if !used[name] {
			l.notes = append(l.notes, fmt.Sprintf("service %s matches no analysed package", name))
		}
	}
	l.checkTierRules()
	return l
}

// place returns the service of a component: the service of its packages,
// or, when they disagree, that of the first one, with a note.
func (l *layout) place(g *graph.Graph, c *graph.Component) string {
	pkgs := c.Packages
	if len(pkgs) == 0 {
		pkgs = []string{c.ID}
	}
	var found []string
	for _, pkg := range pkgs {
		s := l.cfg.ServiceOf(moduleOf(g, pkg), pkg)
		if !slices.Contains(found, s) {
			found = append(found, s)
		}
	}
	if len(found) > 1 {
		l.notes = append(l.notes, fmt.Sprintf("component %s spans %s; it is checked as part of %s",
			label(c), strings.Join(names(found), " and "), name(found[0])))
	}
	return found[0]
}

// checkTierRules notes tier rules that name the same pair twice: the first
// one applies.
func (l *layout) checkTierRules() {
	seen := map[[2]string]bool{}
	for _, t := range l.cfg.Tiers {
		k := pairKey(t.Between[0], t.Between[1])
		if seen[k] {
			l.notes = append(l.notes, fmt.Sprintf("tiers: %s and %s have more than one ceiling; the first applies", k[0], k[1]))
		}
		seen[k] = true
	}
}

// boundary reports whether a link between components a and b crosses from
// one declared service to another, and which.
func (l *layout) boundary(a, b string) (from, to string, ok bool) {
	from, to = l.service[a], l.service[b]
	ok = from != "" && to != "" && from != library && to != library && from != to
	return from, to, ok
}

// ceiling returns the tightest tier allowed between two services.
func (l *layout) ceiling(a, b string) string {
	k := pairKey(a, b)
	for _, t := range l.cfg.Tiers {
		if pairKey(t.Between[0], t.Between[1]) == k {
			return t.Max
		}
	}
	return plan.TierNetwork
}

// apart reports whether two services must run in separate processes.
func (l *layout) apart(a, b string) bool { return l.ceiling(a, b) != plan.TierProcess }

var tierRank = map[string]int{plan.TierProcess: 0, plan.TierPod: 1, plan.TierNetwork: 2}

// tighter reports whether tier t binds more closely than ceiling c.
func tighter(t, c string) bool {
	rt, ok := tierRank[t]
	return ok && rt < tierRank[c]
}

func pairKey(a, b string) [2]string {
	if b < a {
		a, b = b, a
	}
	return [2]string{a, b}
}

// moduleOf returns the module of g that holds pkg: the longest module path
// that is pkg or a prefix of it.
func moduleOf(g *graph.Graph, pkg string) string {
	best := g.Module
	mods := g.Modules
	if len(mods) == 0 {
		mods = []string{g.Module}
	}
	bestLen := -1
	for _, m := range mods {
		if (pkg == m || strings.HasPrefix(pkg, m+"/")) && len(m) > bestLen {
			best, bestLen = m, len(m)
		}
	}
	return best
}

func label(c *graph.Component) string {
	if c.Name != "" {
		return c.Name
	}
	return c.ID
}

func name(s string) string {
	switch s {
	case "":
		return "no service"
	case library:
		return "the libraries"
	}
	return "service " + s
}

func names(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = name(s)
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
