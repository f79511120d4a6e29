package gate

import (
	"bytes"
	"fmt"
	"io"
	"strings"
)

// writeGitHub prints GitHub Actions workflow commands: an error annotation
// per new violation, a notice per fixed baseline entry and per note, and
// the verdict as a plain log line.
func writeGitHub(w io.Writer, r *Report) error {
	var b bytes.Buffer
	for _, v := range r.Diff.New {
		file, line := r.where(v)
		fmt.Fprintf(&b, "::error file=%s,line=%d,title=%s::%s\n",
			ghProperty(file), max(line, 1), ghProperty("podsplit "+v.Rule), ghData(v.Message))
	}
	for _, e := range r.Diff.Fixed {
		file := e.File
		if file == "" {
			file = r.Config
		}
		fmt.Fprintf(&b, "::notice file=%s,title=%s::%s\n", ghProperty(r.path(file)),
			ghProperty("podsplit "+e.Rule+" fixed"), ghData(e.Subject+": "+r.fixedHint()))
	}
	for _, n := range r.Result.Notes {
		fmt.Fprintf(&b, "::notice title=podsplit::%s\n", ghData(n))
	}
	fmt.Fprintf(&b, "podsplit gate: %s\n", r.Summary())
	_, err := w.Write(b.Bytes())
	return err
}

var ghDataEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")

// ghData escapes a workflow command's message.
func ghData(s string) string {
	return ghDataEscaper.Replace(s)
}

var ghPropertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")

// ghProperty escapes a workflow command's property value.
func ghProperty(s string) string {
	return ghPropertyEscaper.Replace(s)
}
