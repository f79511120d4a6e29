package plan

import (
	"slices"
	"strings"

	"github.com/podsplit/podsplit/config"
	"github.com/podsplit/podsplit/graph"
)

// Options tune planning. The zero value plans with the defaults.
type Options struct {
	// Cost is the cost model; zero fields take the defaults of DefaultCost.
	Cost CostModel
	// Resolution is the γ of weighted modularity; 0 means 1.
	Resolution float64
	// Services asks for this many services; 0 lets the planner choose.
	Services int
	// Seed seeds the randomised community detection; 0 means 1.
	Seed int64
	// Together lists sets of components that must share a service; Apart
	// lists pairs that must not. Entries name components by id, by name
	// relative to the module, or by package pattern ("./catalog/...").
	Together, Apart [][]string
}

// DefaultOptions returns the options used when nothing is configured.
func DefaultOptions() Options {
	return Options{Cost: DefaultCost(), Resolution: 1, Seed: 1}
}

// OptionsFromConfig returns the planning options of a configuration:
// pins, the cost model with its overrides, and the clustering settings.
func OptionsFromConfig(c *config.Config) Options {
	o := DefaultOptions()
	if c == nil {
		return o
	}
	o.Together, o.Apart = c.Together, c.Apart
	if c.Cluster.Resolution > 0 {
		o.Resolution = c.Cluster.Resolution
	}
	o.Services = c.Cluster.Services
	if c.Cluster.Seed != 0 {
		o.Seed = c.Cluster.Seed
	}
	if c.Cost != nil {
		o.Cost = CostModel{ProcessUS: c.Cost.ProcessUS, PodUS: c.Cost.PodUS, NetworkUS: c.Cost.NetworkUS,
			BytesPerUS: c.Cost.BytesPerUS, BudgetUS: c.Cost.BudgetUS, Requests: c.Cost.Requests}
	}
	return o.normalized()
}

// normalized fills zero fields with their defaults.
func (o Options) normalized() Options {
	d := DefaultCost()
	c := &o.Cost
	for _, f := range []struct {
		v   *float64
		def float64
	}{
		{&c.ProcessUS, d.ProcessUS}, {&c.PodUS, d.PodUS}, {&c.NetworkUS, d.NetworkUS},
		{&c.BytesPerUS, d.BytesPerUS}, {&c.BudgetUS, d.BudgetUS},
	} {
		if *f.v <= 0 {
			*f.v = f.def
		}
	}
	if c.Requests < 0 {
		c.Requests = 0
	}
	if o.Resolution <= 0 {
		o.Resolution = 1
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.Services < 0 {
		o.Services = 0
	}
	return o
}

// resolve maps a name from configuration to the component ids it means: a
// component id, a component name, a path relative to the module, or a
// package pattern, which names every component holding a matching package.
func resolve(g *graph.Graph, ref string) []string {
	ref = strings.TrimSpace(ref)
	for _, c := range g.Components {
		if c.ID == ref || c.Name == ref || c.ID == g.Module+"/"+strings.TrimPrefix(ref, "./") {
			return []string{c.ID}
		}
	}
	var out []string
	for _, c := range g.Components {
		pkgs := c.Packages
		if len(pkgs) == 0 {
			pkgs = []string{c.ID}
		}
		for _, p := range pkgs {
			if config.Match(ref, g.Module, p) {
				out = append(out, c.ID)
				break
			}
		}
	}
	slices.Sort(out)
	return out
}
