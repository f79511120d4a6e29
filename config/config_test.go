package config

import (
	"errors"
	"strings"
	"testing"
)

func TestParseErrorsNameFileLineKey(t *testing.T) {
	for _, tc := range []struct{ name, data, want string }{
		{"unknown key", "version: 1\nservicez:\n  a: [x]\n", `podsplit.yaml:2: unknown key "servicez"`},
		{"bad type", "clustering:\n  resolution: high\n", "podsplit.yaml:2:"},
		{"bad tier", "services:\n  a: [./a]\n  b: [./b]\ntiers:\n  - between: [a, b]\n    max: close\n", `podsplit.yaml:4: tiers: entry 1: max must be one of process, pod, network, got "close"`},
		{"unknown service", "services:\n  a: [./a]\ntiers:\n  - between: [a, c]\n    max: pod\n", `unknown service "c"`},
		{"negative cost", "cost:\n  pod_us: -1\n", "podsplit.yaml:1: cost.pod_us: must not be negative"},
		{"empty group", "groups:\n  core: []\n", "groups.core: needs at least one package pattern"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("podsplit.yaml", []byte(tc.data))
			if err == nil || !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want error containing %q", err, tc.want)
			}
		})
	}
}

func TestParseValid(t *testing.T) {
	c, err := Parse("p.yaml", []byte(`version: 1
groups:
  catalog: [./catalog/...]
services:
  orders: [./orders/..., ./payments]
libraries: [./money]
tiers:
  - between: [orders, orders]
    max: network
rules:
  no_shared_state: false
  max_icp: 0.5
`))
	if err != nil {
		t.Fatal(err)
	}
	const mod = "example.com/shop"
	if got := c.GroupOf(mod, mod+"/catalog/search"); got != "catalog" {
		t.Errorf("GroupOf = %q, want catalog", got)
	}
	if got := c.ServiceOf(mod, mod+"/payments"); got != "orders" {
		t.Errorf("ServiceOf(payments) = %q", got)
	}
	if got := c.ServiceOf(mod, mod+"/money"); got != "-" {
		t.Errorf("ServiceOf(money) = %q", got)
	}
	if Enabled(c.Rules.NoSharedState) || !Enabled(c.Rules.NoNewCycles) || c.Rules.MaxICP != 0.5 {
		t.Errorf("rules = %+v", c.Rules)
	}
}

func TestMatch(t *testing.T) {
	for _, tc := range []struct {
		pat, pkg string
		want     bool
	}{
		{"./...", "m/a/b", true},
		{"./a/...", "m/a", true},
		{"./a/...", "m/ab", false},
		{"m/a", "m/a", true},
		{"m/a", "m/a/b", false},
		{".", "m", true},
	} {
		if got := Match(tc.pat, "m", tc.pkg); got != tc.want {
			t.Errorf("Match(%q, %q) = %v", tc.pat, tc.pkg, got)
		}
	}
}
