package plan

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// WriteMarkdown prints a plan as GitHub-flavoured Markdown, fit for a pull
// request comment or a CI job summary: the target as a table, the tight
// verdicts, one collapsible section per step, the metrics beside the
// baselines.
func WriteMarkdown(w io.Writer, p *Plan) error {
	b := bufio.NewWriter(w)
	fmt.Fprintf(b, "## Split plan for `%s`\n\n", p.Module)
	fmt.Fprintf(b, "%d services, %d libraries, %d steps.\n\n", len(p.Target.Services), len(p.Target.Libraries), max(len(p.Steps)-1, 0))
	fmt.Fprintln(b, "### Target\n\n| service | container | components |\n| --- | --- | --- |")
	for _, s := range p.Target.Services {
		for i, c := range s.Containers {
			name := ""
			if i == 0 {
				name = "**" + mdEscape(s.Name) + "**" + mdEscape(serviceNotes(s))
			}
			fmt.Fprintf(b, "| %s | %s %s | %s |\n", name, mdEscape(c.Name), mdEscape(containerKind(p, c)), mdCode(p.short(c.Components)))
		}
	}
	fmt.Fprintf(b, "\nLibraries, linked into every service using them: %s.\n\n", orNone(mdCodes(p.short(p.Target.Libraries))))
	writePairsMarkdown(b, p)
	fmt.Fprintln(b, "### Steps")
	for _, st := range p.Steps {
		writeStepMarkdown(b, p, st)
	}
	fmt.Fprintln(b, "\n### Metrics\n\n| | ICP ↓ | SM ↑ | IFN ↓ | NED ↓ | Q ↑ |\n| --- | --- | --- | --- | --- | --- |")
	fmt.Fprintf(b, "| **plan** | %s |\n", metricsCells(p.Metrics))
	for _, bl := range p.Baselines {
		fmt.Fprintf(b, "| %s | %s |\n", bl.Name, metricsCells(bl.Metrics))
	}
	if len(p.Diagnostics) > 0 {
		fmt.Fprintf(b, "\n<details><summary>%d diagnostics</summary>\n\n", len(p.Diagnostics))
		for _, d := range p.Diagnostics {
			fmt.Fprintf(b, "- %s: %s\n", d.Category, mdEscape(d.Message))
		}
		fmt.Fprintln(b, "\n</details>")
	}
	return b.Flush()
}

func metricsCells(m Metrics) string {
	return fmt.Sprintf("%.4f | %.4f | %.2f | %.4f | %.4f", m.ICP, m.SM, m.IFN, m.NED, m.Modularity)
}

func writePairsMarkdown(b *bufio.Writer, p *Plan) {
	names := p.names()
	counts := map[string]int{}
	for _, pr := range p.Pairs {
		counts[pr.Tier]++
	}
	fmt.Fprintf(b, "### Tiers\n\n%d process, %d pod, %d network pairs. Pairs that must stay closer than the network", counts[TierProcess], counts[TierPod], counts[TierNetwork])
	if n := p.libraryPairs(); n > 0 {
		fmt.Fprintf(b, " (%d more with a library, linked into each side, not shown)", n)
	}
	fmt.Fprintln(b, ":\n\n| pair | tier | why |\n| --- | --- | --- |")
	for _, tier := range []string{TierProcess, TierPod} {
		for _, pr := range p.Pairs {
			if pr.Tier == tier && !p.withLibrary(pr) {
				fmt.Fprintf(b, "| `%s` ↔ `%s` | %s | %s |\n", nameOf(names, pr.A), nameOf(names, pr.B), tier, mdEscape(strings.Join(pr.Reasons, "; ")))
			}
		}
	}
	fmt.Fprintln(b)
}

func writeStepMarkdown(b *bufio.Writer, p *Plan, st Step) {
	fmt.Fprintf(b, "\n<details><summary><b>%s</b>", mdEscape(stepTitle(st)))
	if len(st.Blockers) > 0 {
		fmt.Fprintf(b, " — %d blocker(s)", len(st.Blockers))
	}
	fmt.Fprint(b, "</summary>\n\n")
	if len(st.Moves) > 0 {
		fmt.Fprintf(b, "- **Moves:** %s\n", mdCode(p.short(st.Moves)))
	}
	fmt.Fprintf(b, "- **Deploys:** %s\n", mdEscape(topologyLine(p, st.Topology)))
	if st.AddedLatencyUS > 0 {
		fmt.Fprintf(b, "- **Added latency:** +%s per request (%s)\n", formatUS(st.AddedLatencyUS), mdEscape(st.LatencySource))
	}
	if st.N > 0 {
		fmt.Fprintf(b, "- **Rollback:** %s\n", mdEscape(st.Rollback))
	}
	mdList(b, "Blockers", st.Blockers, false)
	mdList(b, "API the moved part must expose", st.API, true)
	mdList(b, "API the rest must expose to it", st.APIBack, true)
	if st.CutSites > 0 {
		fmt.Fprintf(b, "\n**Call sites to change (%d):**\n\n", st.CutSites)
		for i, c := range st.Cut {
			if i == maxListed {
				fmt.Fprintf(b, "- … %d more in `plan.json`\n", st.CutSites-maxListed)
				break
			}
			fmt.Fprintf(b, "- `%s` → `%s`\n", c.Pos, c.Callee)
		}
	}
	fmt.Fprintln(b, "\n</details>")
}

func mdList(b *bufio.Writer, title string, items []string, code bool) {
	if len(items) == 0 {
		return
	}
	fmt.Fprintf(b, "\n**%s:**\n\n", title)
	for i, it := range items {
		if i == maxListed {
			fmt.Fprintf(b, "- … %d more in `plan.json`\n", len(items)-maxListed)
			break
		}
		if code {
			fmt.Fprintf(b, "- `%s`\n", it)
		} else {
			fmt.Fprintf(b, "- %s\n", mdEscape(it))
		}
	}
}

func mdCode(items []string) string { return strings.Join(mdCodes(items), ", ") }

func mdCodes(items []string) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = "`" + it + "`"
	}
	return out
}

var mdEscaper = strings.NewReplacer("|", "\\|", "<", "&lt;", ">", "&gt;", "*", "\\*", "_", "\\_")

// mdEscape keeps text from breaking a table or turning into markup.
func mdEscape(s string) string {
	return mdEscaper.Replace(s)
}
