package gate

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/podsplit/podsplit/analyzer"
	"github.com/podsplit/podsplit/config"
	"github.com/podsplit/podsplit/graph"
	"github.com/podsplit/podsplit/plan"
)

// ErrNoServices is returned when the configuration declares no services:
// there are no boundaries to check.
var ErrNoServices = errors.New("podsplit.yaml declares no services (run podsplit init to write one)")

// Input is what the gate checks.
type Input struct {
	// Graph is the component graph, with links and runtime evidence merged.
	Graph *graph.Graph
	// Sites are every cross-component call site. The graph keeps at most
	// graph.MaxEvidence positions per edge, too few to name each call.
	Sites []*analyzer.Site
	// Plan, if set, gives the tier verdicts and steps for the tier-ceiling
	// and max-cut-sites rules; without it those parts are skipped.
	Plan *plan.Plan
}

// A Result is the outcome of a check.
type Result struct {
	// Violations are sorted by position, then rule and subject.
	Violations []Violation `json:"violations"`
	// Notes say what could not be checked, and why.
	Notes []string `json:"notes,omitempty"`
	// ICP is the inter-call percentage of the declared services, in [0, 1].
	ICP float64 `json:"icp"`
}

// Check applies the rules of cfg to the input.
func Check(in Input, cfg *config.Config) (*Result, error) {
	if len(cfg.Services) == 0 {
		return nil, ErrNoServices
	}
	if in.Graph == nil {
		return nil, errors.New("checking boundaries: no graph")
	}
	l := newLayout(in.Graph, cfg)
	c := &checker{in: in, cfg: cfg, l: l}
	res := &Result{ICP: icp(in.Graph, l)}
	rules := []struct {
		on  bool
		run func() []Violation
	}{
		{config.Enabled(cfg.Rules.NoCrossServiceCalls), c.crossServiceCalls},
		{config.Enabled(cfg.Rules.NoSharedState), c.sharedState},
		{config.Enabled(cfg.Rules.NoNewCycles), c.cycles},
		{config.Enabled(cfg.Rules.TierCeiling), c.tierCeiling},
		{cfg.Rules.MaxICP > 0, func() []Violation { return c.maxICP(res.ICP) }},
		{cfg.Rules.MaxCutSitesPerStep > 0, c.maxCutSites},
	}
	for _, r := range rules {
		if r.on {
			res.Violations = append(res.Violations, r.run()...)
		}
	}
	res.Notes = append(append(l.notes, c.notes...), loadNotes(in.Graph)...)
	finish(res.Violations)
	return res, nil
}

type checker struct {
	in    Input
	cfg   *config.Config
	l     *layout
	notes []string
}

func (c *checker) note(format string, args ...any) {
	c.notes = append(c.notes, fmt.Sprintf(format, args...))
}

// loadNotes warns that code which failed to load was not checked: a
// package that does not type-check has no call graph.
func loadNotes(g *graph.Graph) []string {
	var first graph.Diagnostic
	n := 0
	for _, d := range g.Diagnostics {
		if d.Category == "load" {
			if n == 0 {
				first = d
			}
			n++
		}
	}
	if n == 0 {
		return nil
	}
	return []string{fmt.Sprintf("%s while loading; code that does not type-check is not checked (first: %s: %s)",
		plural(n, "error"), first.Pos, first.Message)}
}

// keyed sets the parts a violation's fingerprint is made of.
func keyed(v Violation, parts ...string) Violation {
	h := sha256.New()
	h.Write([]byte(v.Rule))
	for _, p := range parts {
		h.Write([]byte{0})
		h.Write([]byte(p))
	}
	v.key = string(h.Sum(nil))
	return v
}

// finish sorts violations and fingerprints them: the key, numbered by
// occurrence in source order among violations with the same key.
func finish(vs []Violation) {
	slices.SortFunc(vs, compareViolations)
	seen := map[string]int{}
	for i := range vs {
		n := seen[vs[i].key]
		seen[vs[i].key] = n + 1
		sum := sha256.Sum256([]byte(vs[i].key + "\x00" + strconv.Itoa(n)))
		vs[i].Fingerprint = hex.EncodeToString(sum[:16])
	}
}

func compareViolations(a, b Violation) int {
	fa, la := splitPos(a.Pos)
	fb, lb := splitPos(b.Pos)
	return cmp.Or(cmp.Compare(fa, fb), cmp.Compare(la, lb), cmp.Compare(a.Rule, b.Rule),
		cmp.Compare(a.Subject, b.Subject), cmp.Compare(a.Message, b.Message))
}
