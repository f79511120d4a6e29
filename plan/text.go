package plan

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"
)

// maxListed caps the call sites and signatures a printer lists per step;
// the JSON form has them all.
const maxListed = 12

// names maps component ids to the names a reader sees. Where components
// of several languages share a name (a Go package nsqadmin and the
// JavaScript of its web UI in the same directory), every one but the Go
// package carries its language: "nsqadmin (javascript)".
func (p *Plan) names() map[string]string {
	count := map[string]int{}
	for _, c := range p.Components {
		count[shortName(c)]++
	}
	m := map[string]string{}
	for _, c := range p.Components {
		m[c.ID] = shortName(c)
		if count[m[c.ID]] > 1 && c.Language != "" && c.Language != "go" {
			m[c.ID] += " (" + c.Language + ")"
		}
	}
	return m
}

func (p *Plan) short(ids []string) []string {
	names := p.names()
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = id
		if n, ok := names[id]; ok {
			out[i] = n
		}
	}
	return out
}

// WriteText prints a plan for a terminal: the target, the verdicts that
// are not network tier, the steps, the metrics and the diagnostics.
func WriteText(w io.Writer, p *Plan) error {
	b := bufio.NewWriter(w)
	fmt.Fprintf(b, "%s: %d services, %d libraries, %d steps\n\n", p.Module, len(p.Target.Services), len(p.Target.Libraries), max(len(p.Steps)-1, 0))
	fmt.Fprintln(b, "TARGET")
	for _, s := range p.Target.Services {
		fmt.Fprintf(b, "  %s%s\n", s.Name, serviceNotes(s))
		for _, c := range s.Containers {
			fmt.Fprintf(b, "    %s %s: %s\n", containerKind(p, c), c.Name, strings.Join(p.short(c.Components), ", "))
		}
	}
	fmt.Fprintf(b, "  libraries: %s\n\n", orNone(p.short(p.Target.Libraries)))
	writePairsText(b, p)
	fmt.Fprintln(b, "STEPS")
	for _, st := range p.Steps {
		writeStepText(b, p, st)
	}
	fmt.Fprintln(b, "METRICS            ICP     SM      IFN     NED     Q")
	fmt.Fprintf(b, "  %-16s %s\n", "plan", metricsRow(p.Metrics))
	for _, bl := range p.Baselines {
		fmt.Fprintf(b, "  %-16s %s\n", bl.Name, metricsRow(bl.Metrics))
	}
	if len(p.Diagnostics) > 0 {
		fmt.Fprintln(b, "\nDIAGNOSTICS")
		for _, d := range p.Diagnostics {
			pos := ""
			if d.Pos != "" {
				pos = d.Pos + ": "
			}
			fmt.Fprintf(b, "  %s%s: %s\n", pos, d.Category, d.Message)
		}
	}
	return b.Flush()
}

func serviceNotes(s Service) string {
	var notes []string
	if len(s.Ports) > 0 {
		notes = append(notes, fmt.Sprintf("ports %v", s.Ports))
	}
	if s.Health != "" {
		notes = append(notes, "health "+s.Health)
	}
	if len(s.Governance) > 0 {
		notes = append(notes, "mesh: "+strings.Join(s.Governance, ", "))
	}
	if len(notes) == 0 {
		return ""
	}
	return " (" + strings.Join(notes, "; ") + ")"
}

func containerKind(p *Plan, c Container) string {
	kind := "container"
	if c.Sidecar {
		kind = "sidecar"
	}
	var extra []string
	if c.Main != "" {
		extra = append(extra, "main "+nameOf(p.names(), c.Main))
	}
	if c.Command != "" {
		extra = append(extra, "command "+c.Command+" of "+nameOf(p.names(), c.CommandOf))
	}
	extra = append(extra, c.Links...)
	if len(extra) > 0 {
		kind += " [" + strings.Join(extra, "; ") + "]"
	}
	return kind
}

func orNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}

func metricsRow(m Metrics) string {
	return fmt.Sprintf("%-7.4f %-7.4f %-7.2f %-7.4f %.4f", m.ICP, m.SM, m.IFN, m.NED, m.Modularity)
}

// writePairsText lists the process and pod verdicts with their reasons and
// counts the network ones.
func writePairsText(b *bufio.Writer, p *Plan) {
	names := p.names()
	counts := map[string]int{}
	for _, pr := range p.Pairs {
		counts[pr.Tier]++
	}
	fmt.Fprintf(b, "TIERS: %d process, %d pod, %d network", counts[TierProcess], counts[TierPod], counts[TierNetwork])
	if n := p.libraryPairs(); n > 0 {
		fmt.Fprintf(b, " (%d tight pairs with a library not shown: it is linked into each side)", n)
	}
	fmt.Fprintln(b)
	for _, tier := range []string{TierProcess, TierPod} {
		for _, pr := range p.Pairs {
			if pr.Tier != tier || p.withLibrary(pr) {
				continue
			}
			fmt.Fprintf(b, "  %-7s %s ↔ %s\n", tier, nameOf(names, pr.A), nameOf(names, pr.B))
			for _, r := range pr.Reasons {
				fmt.Fprintf(b, "          %s\n", r)
			}
		}
	}
	fmt.Fprintln(b)
}

func nameOf(names map[string]string, id string) string {
	if n, ok := names[id]; ok {
		return n
	}
	return id
}

func writeStepText(b *bufio.Writer, p *Plan, st Step) {
	fmt.Fprintf(b, "  %s\n", stepTitle(st))
	if len(st.Moves) > 0 {
		fmt.Fprintf(b, "     moves:    %s\n", strings.Join(p.short(st.Moves), ", "))
	}
	fmt.Fprintf(b, "     deploys:  %s\n", topologyLine(p, st.Topology))
	if st.CutSites > 0 {
		fmt.Fprintf(b, "     cut:      %s\n", plural(st.CutSites, "site"))
		for i, c := range st.Cut {
			if i == maxListed {
				fmt.Fprintf(b, "               … %d more in plan.json\n", st.CutSites-maxListed)
				break
			}
			fmt.Fprintf(b, "               %s  %s\n", c.Pos, c.Callee)
		}
	}
	writeList(b, "api", st.API)
	writeList(b, "api back", st.APIBack)
	writeList(b, "blockers", st.Blockers)
	if st.AddedLatencyUS > 0 {
		fmt.Fprintf(b, "     latency:  +%s per request (%s)\n", formatUS(st.AddedLatencyUS), st.LatencySource)
	}
	if st.N > 0 {
		fmt.Fprintf(b, "     rollback: %s\n", st.Rollback)
	}
	fmt.Fprintln(b)
}

func writeList(b *bufio.Writer, label string, items []string) {
	for i, it := range items {
		if i == maxListed {
			fmt.Fprintf(b, "               … %d more in plan.json\n", len(items)-maxListed)
			break
		}
		head := ""
		if i == 0 {
			head = label + ":"
		}
		fmt.Fprintf(b, "     %-10s%s\n", head, it)
	}
}

// topologyLine summarises a deployment: "shop[shop+notifyd], users".
func topologyLine(p *Plan, services []Service) string {
	var parts []string
	for _, s := range services {
		part := s.Name
		if len(s.Containers) > 1 {
			var cs []string
			for _, c := range s.Containers {
				cs = append(cs, c.Name)
			}
			part += "[" + strings.Join(cs, "+") + "]"
		}
		parts = append(parts, part)
	}
	return strings.Join(parts, ", ")
}

// plural writes "1 site", "3 sites".
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// withLibrary reports whether one side of a pair is a library of the target.
func (p *Plan) withLibrary(pr Pair) bool {
	return slices.Contains(p.Target.Libraries, pr.A) || slices.Contains(p.Target.Libraries, pr.B)
}

// libraryPairs counts the pairs tighter than the network with a library.
func (p *Plan) libraryPairs() int {
	n := 0
	for _, pr := range p.Pairs {
		if pr.Tier != TierNetwork && p.withLibrary(pr) {
			n++
		}
	}
	return n
}
