package config

import (
	"slices"
	"strings"
)

func (c *Config) validate() error {
	if c.Version != 0 && c.Version != 1 {
		return c.errorf("version", "unsupported version %d (want 1)", c.Version)
	}
	if c.Cluster.Resolution < 0 {
		return c.errorf("clustering.resolution", "must not be negative, got %g", c.Cluster.Resolution)
	}
	if c.Cluster.Services < 0 {
		return c.errorf("clustering.services", "must not be negative, got %d", c.Cluster.Services)
	}
	if c.Cost != nil {
		for key, v := range map[string]float64{"process_us": c.Cost.ProcessUS, "pod_us": c.Cost.PodUS,
			"network_us": c.Cost.NetworkUS, "bytes_per_us": c.Cost.BytesPerUS, "budget_us": c.Cost.BudgetUS, "requests": c.Cost.Requests} {
			if v < 0 {
				return c.errorf("cost."+key, "must not be negative, got %g", v)
			}
		}
	}
	for name, pats := range c.Groups {
		if err := c.checkPatterns("groups."+name, pats); err != nil {
			return err
		}
	}
	for name, pats := range c.Services {
		if err := c.checkPatterns("services."+name, pats); err != nil {
			return err
		}
	}
	for i, set := range c.Apart {
		if len(set) != 2 {
			return c.errorf("apart", "entry %d must name exactly two components, got %d", i+1, len(set))
		}
	}
	return c.checkTiers()
}

func (c *Config) checkPatterns(key string, pats []string) error {
	if len(pats) == 0 {
		return c.errorf(key, "needs at least one package pattern")
	}
	for _, p := range pats {
		if strings.TrimSpace(p) == "" {
			return c.errorf(key, "empty package pattern")
		}
	}
	return nil
}

func (c *Config) checkTiers() error {
	for i, t := range c.Tiers {
		if len(t.Between) != 2 {
			return c.errorf("tiers", "entry %d: between must name two services, got %d", i+1, len(t.Between))
		}
		if !slices.Contains(tiers, t.Max) {
			return c.errorf("tiers", "entry %d: max must be one of %s, got %q", i+1, strings.Join(tiers, ", "), t.Max)
		}
		if len(c.Services) > 0 {
			for _, s := range t.Between {
				if _, ok := c.Services[s]; !ok {
					return c.errorf("tiers", "entry %d: unknown service %q", i+1, s)
				}
			}
		}
	}
	return nil
}

// Match reports whether a package path matches a pattern: an exact path, or
// "path/..." for the path and everything below it. Patterns starting with
// "./" are taken relative to module.
func Match(pattern, module, pkg string) bool {
	if rest, ok := strings.CutPrefix(pattern, "./"); ok {
		pattern = module + "/" + rest
		if rest == "..." {
			pattern = module + "/..."
		}
	} else if pattern == "." {
		pattern = module
	}
	if base, ok := strings.CutSuffix(pattern, "/..."); ok {
		return pkg == base || strings.HasPrefix(pkg, base+"/")
	}
	return pkg == pattern
}

// GroupOf returns the group id whose patterns match pkg, or "" if none. When
// several match, the group with the longest matching pattern wins, then the
// smallest name, so the answer does not depend on map order.
func (c *Config) GroupOf(module, pkg string) string {
	best, bestLen := "", -1
	for _, name := range sortedKeys(c.Groups) {
		for _, p := range c.Groups[name] {
			if Match(p, module, pkg) && len(p) > bestLen {
				best, bestLen = name, len(p)
			}
		}
	}
	return best
}

// ServiceOf returns the declared service of pkg, or "" if none; libraries
// are reported as "-".
func (c *Config) ServiceOf(module, pkg string) string {
	for _, p := range c.Libraries {
		if Match(p, module, pkg) {
			return "-"
		}
	}
	best, bestLen := "", -1
	for _, name := range sortedKeys(c.Services) {
		for _, p := range c.Services[name] {
			if Match(p, module, pkg) && len(p) > bestLen {
				best, bestLen = name, len(p)
			}
		}
	}
	return best
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
