package manifest

import (
	"fmt"
	"strings"
)

// maxCuts bounds the call sites listed in a step README.
const maxCuts = 30

// stepReadme writes steps/DIR/README.md: what the step moves, the call
// sites it cuts, the governance left in code, how to roll back, and what
// changes from the previous step, as a summary and as a diff.
func (b *builder) stepReadme(sf stepFiles, prev *stepFiles) []byte {
	st := b.p.Steps[sf.index]
	var w strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&w, format+"\n", args...) }
	line("# Step %d: %s", st.N, st.Title)
	line("")
	line("Kind: %s. Apply with `kubectl apply -k .` or point GitOps at this directory.", st.Kind)
	if st.AddedLatencyUS > 0 {
		line("Added latency: %.0f µs per request, by the plan's cost model.", st.AddedLatencyUS)
	}
	list(&w, "Moves", st.Moves)
	var cuts []string
	for _, c := range st.Cut {
		s := fmt.Sprintf("`%s`: %s → %s (%s)", c.Pos, c.From, c.To, c.Tier)
		if c.Callee != "" {
			s = fmt.Sprintf("`%s`: %s → `%s` (%s)", c.Pos, c.From, c.Callee, c.Tier)
		}
		cuts = append(cuts, s)
	}
	if len(cuts) > maxCuts {
		cuts = append(cuts[:maxCuts], fmt.Sprintf("… and %d more in the plan", len(cuts)-maxCuts))
	}
	list(&w, "Call sites to change", cuts)
	list(&w, "API the moved part exposes", code(st.API))
	list(&w, "Blockers", st.Blockers)
	var kept []string
	for _, u := range sortedKeys(sf.kept) {
		kept = append(kept, fmt.Sprintf("%s: %s", u, strings.Join(sf.kept[u], ", ")))
	}
	list(&w, "Governance that stays in code", kept)
	var notes []string
	for _, u := range sf.listening {
		notes = append(notes, fmt.Sprintf("%s is called from other units but listens on no port yet: it gets port %d, and %s=tcp::%d says where to serve the API it now exposes.", u, createdPort, netListenVar, createdPort))
	}
	list(&w, "To build", notes)
	line("")
	line("## Rollback")
	line("")
	if st.Rollback != "" {
		line("%s", st.Rollback)
		line("")
	}
	if prev != nil {
		line("Manifests: apply `../%s` with pruning, or revert the change that moved GitOps to this step.", prev.dir)
	} else {
		line("Manifests: this is the first step; delete the objects labelled `%s=%s`.", labelPartOf, b.opts.PartOf)
	}
	if prev != nil {
		b.writeChanges(&w, sf, *prev)
	}
	return []byte(w.String())
}

func (b *builder) writeChanges(w *strings.Builder, sf, prev stepFiles) {
	fmt.Fprintf(w, "\n## Changes from %s\n\n", prev.dir)
	ch := changes(prev.files, sf.files)
	if len(ch) == 0 {
		w.WriteString("None: this step changes code only.\n")
		return
	}
	for _, c := range ch {
		fmt.Fprintf(w, "- %s\n", c)
	}
	d := diffDirs(mergeFiles(prefixed(prev), prefixed(sf)), prev.dir, sf.dir)
	lines := strings.SplitAfter(d, "\n")
	if len(lines) > maxDiffLines {
		d = strings.Join(lines[:maxDiffLines], "") + fmt.Sprintf("… %d more lines: podsplit manifests --diff %s,%s\n", len(lines)-maxDiffLines, prev.dir, sf.dir)
	}
	fmt.Fprintf(w, "\n```diff\n%s```\n", d)
}

// prefixed returns a step's files under their steps/DIR/ paths.
func prefixed(sf stepFiles) Files {
	out := Files{}
	for n, data := range sf.files {
		out["steps/"+sf.dir+"/"+n] = data
	}
	return out
}

func mergeFiles(a, b Files) Files {
	out := Files{}
	for n, d := range a {
		out[n] = d
	}
	for n, d := range b {
		out[n] = d
	}
	return out
}

func list(w *strings.Builder, title string, items []string) {
	if len(items) == 0 {
		return
	}
	fmt.Fprintf(w, "\n## %s\n\n", title)
	for _, it := range items {
		fmt.Fprintf(w, "- %s\n", it)
	}
}

func code(items []string) []string {
	var out []string
	for _, s := range items {
		out = append(out, "`"+s+"`")
	}
	return out
}
