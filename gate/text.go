package gate

import (
	"bytes"
	"fmt"
	"io"
)

// writeText prints one "file:line: rule: message" line per new violation,
// then fixed baseline entries and notes, then the verdict.
func writeText(w io.Writer, r *Report) error {
	var b bytes.Buffer
	for _, v := range r.Diff.New {
		fmt.Fprintf(&b, "%s: %s: %s\n", r.position(v), v.Rule, v.Message)
	}
	for _, e := range r.Diff.Fixed {
		file := e.File
		if file == "" {
			file = r.Config
		}
		fmt.Fprintf(&b, "%s: %s: fixed: %s: %s\n", r.path(file), e.Rule, e.Subject, r.fixedHint())
	}
	for _, n := range r.Result.Notes {
		fmt.Fprintf(&b, "note: %s\n", n)
	}
	verdict := "passed"
	if !r.Passed() {
		verdict = "failed"
	}
	fmt.Fprintf(&b, "gate %s: %s (ICP %.3f)\n", verdict, r.Summary(), r.Result.ICP)
	_, err := w.Write(b.Bytes())
	return err
}

// position renders a violation's place as "file:line", or the file alone.
func (r *Report) position(v Violation) string {
	file, line := r.where(v)
	if line == 0 {
		return file
	}
	return fmt.Sprintf("%s:%d", file, line)
}
