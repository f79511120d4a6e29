package gate

import (
	"fmt"
	"slices"
	"strings"

	"github.com/podsplit/podsplit/analyzer"
	"github.com/podsplit/podsplit/graph"
)

// crossServiceCalls reports every call site whose callees lie in another
// declared service that must run in a separate process: one violation per
// site and callee component.
func (c *checker) crossServiceCalls() []Violation {
	if c.in.Sites == nil && c.hasCallsAcross() {
		c.note("%s: no call sites given, calls not checked", RuleCrossServiceCall)
		return nil
	}
	var out []Violation
	for _, s := range c.in.Sites {
		for _, to := range uniqueTargets(s) {
			from, toSvc, ok := c.l.boundary(s.From, to)
			if !ok || !c.l.apart(from, toSvc) {
				continue
			}
			out = append(out, c.callViolation(s, to, from, toSvc))
		}
	}
	return out
}

func (c *checker) callViolation(s *analyzer.Site, to, from, toSvc string) Violation {
	var callees []string
	for i, fn := range s.Callees {
		if s.To[i] == to {
			callees = append(callees, analyzer.ShortName(fn))
		}
	}
	slices.Sort(callees)
	caller := analyzer.ShortName(s.Caller)
	subject := caller + " → " + strings.Join(callees, ", ")
	how := ""
	switch {
	case s.ByType:
		how = " (dynamic call, resolved by type)"
	case s.Dynamic:
		how = " (dynamic call)"
	}
	v := Violation{
		Rule: RuleCrossServiceCall, Pos: s.RelPos, From: from, To: toSvc, Subject: subject,
		Message: fmt.Sprintf("%s calls %s in-process%s, across the boundary from service %s to service %s (ceiling %s)",
			caller, strings.Join(callees, ", "), how, from, toSvc, c.l.ceiling(from, toSvc)),
	}
	return keyed(v, s.From, to, caller, strings.Join(callees, "\n"))
}

// uniqueTargets returns the callee components of a site, each once, sorted.
func uniqueTargets(s *analyzer.Site) []string {
	out := slices.Clone(s.To)
	slices.Sort(out)
	return slices.Compact(out)
}

// hasCallsAcross reports whether the graph has a call edge the rule would
// look at, so that a missing list of sites is worth a note.
func (c *checker) hasCallsAcross() bool {
	for _, e := range c.in.Graph.Edges {
		if from, to, ok := c.l.boundary(e.From, e.To); ok && e.Kind == graph.KindCall && c.l.apart(from, to) {
			return true
		}
	}
	return false
}

// sharedState reports every package-level variable of one service touched
// by another that must run apart: one violation per variable and pair of
// components, at the first place it is touched.
func (c *checker) sharedState() []Violation {
	var out []Violation
	for _, e := range c.in.Graph.Edges {
		from, to, ok := c.l.boundary(e.From, e.To)
		if e.Kind != graph.KindState || !ok || !c.l.apart(from, to) {
			continue
		}
		for _, st := range e.State {
			v := Violation{
				Rule: RuleSharedState, Pos: statePos(e, st.Var), From: from, To: to,
				Subject: fmt.Sprintf("%s %s %s", componentName(c.in.Graph, e.From), accessVerb(st.Access), st.Var),
				Message: fmt.Sprintf("service %s %s %s, package-level state of service %s (ceiling %s)",
					from, accessVerb(st.Access), st.Var, to, c.l.ceiling(from, to)),
			}
			out = append(out, keyed(v, e.From, e.To, st.Var))
		}
	}
	return out
}

// statePos returns the first evidence of an access to variable name, or the
// edge's first evidence when the cap on evidence dropped it.
func statePos(e *graph.Edge, name string) string {
	for _, ev := range e.Evidence {
		if strings.HasSuffix(ev.Detail, " "+name) {
			return ev.Pos
		}
	}
	if len(e.Evidence) > 0 {
		return e.Evidence[0].Pos
	}
	return ""
}

func accessVerb(access string) string {
	switch access {
	case "read":
		return "reads"
	case "write":
		return "writes"
	}
	return "reads and writes"
}

func componentName(g *graph.Graph, id string) string {
	if c := g.Component(id); c != nil {
		return label(c)
	}
	return id
}
