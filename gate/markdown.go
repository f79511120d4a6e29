package gate

import (
	"bytes"
	"fmt"
	"io"
	"strings"
)

// writeMarkdown prints a summary for a CI job page ($GITHUB_STEP_SUMMARY, a
// merge request comment): the verdict, the new violations, the fixed
// baseline entries, the baselined violations folded away, and the notes.
func writeMarkdown(w io.Writer, r *Report) error {
	var b bytes.Buffer
	verdict := "✅ passed"
	if !r.Passed() {
		verdict = "❌ failed"
	}
	fmt.Fprintf(&b, "## podsplit gate: %s\n\n%s · ICP %.3f\n", verdict, r.Summary(), r.Result.ICP)
	if len(r.Diff.New) > 0 {
		b.WriteString("\n### New violations\n\n")
		r.mdTable(&b, r.Diff.New)
	}
	if len(r.Diff.Fixed) > 0 {
		fmt.Fprintf(&b, "\n### Fixed\n\nNo longer found; run `podsplit gate --update-baseline` to drop them from `%s`.\n\n", r.path(r.Baseline))
		b.WriteString("| Rule | File | Subject |\n| --- | --- | --- |\n")
		for _, e := range r.Diff.Fixed {
			fmt.Fprintf(&b, "| `%s` | `%s` | %s |\n", e.Rule, r.path(e.File), mdCell(e.Subject))
		}
	}
	if len(r.Diff.Baselined) > 0 {
		fmt.Fprintf(&b, "\n<details><summary>%s accepted by the baseline</summary>\n\n", plural(len(r.Diff.Baselined), "violation"))
		r.mdTable(&b, r.Diff.Baselined)
		b.WriteString("\n</details>\n")
	}
	if len(r.Result.Notes) > 0 {
		b.WriteString("\n### Notes\n\n")
		for _, n := range r.Result.Notes {
			fmt.Fprintf(&b, "- %s\n", mdCell(n))
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}

func (r *Report) mdTable(b *bytes.Buffer, vs []Violation) {
	b.WriteString("| Rule | Where | Message |\n| --- | --- | --- |\n")
	for _, v := range vs {
		fmt.Fprintf(b, "| `%s` | `%s` | %s |\n", v.Rule, r.position(v), mdCell(v.Message))
	}
}

var mdCellEscaper = strings.NewReplacer("|", `\|`, "\n", " ", "<", "&lt;", ">", "&gt;")

// mdCell escapes text for a Markdown table cell.
func mdCell(s string) string {
	return mdCellEscaper.Replace(s)
}
