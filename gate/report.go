package gate

import (
	"fmt"
	"io"
	"path"
	"strings"
)

// A Report is what the formatters print: a check and its comparison with
// the baseline.
type Report struct {
	Result *Result
	Diff   Diff
	// Prefix turns positions relative to the analysed root into positions
	// relative to the repository root, e.g. "services/shop/" when the module
	// lies below it; "" when the two are one.
	Prefix string
	// Config and Baseline name the configuration and baseline files,
	// relative to the analysed root like positions.
	Config   string
	Baseline string
}

// Formats lists the output formats Write accepts.
var Formats = []string{"text", "sarif", "github", "markdown", "codequality"}

// Write prints the report in the named format.
func Write(w io.Writer, format string, r *Report) error {
	var err error
	switch format {
	case "text":
		err = writeText(w, r)
	case "sarif":
		err = writeSARIF(w, r)
	case "github":
		err = writeGitHub(w, r)
	case "markdown":
		err = writeMarkdown(w, r)
	case "codequality":
		err = writeCodeQuality(w, r)
	default:
		return fmt.Errorf("writing gate report: unknown format %q (want one of %s)", format, strings.Join(Formats, ", "))
	}
	if err != nil {
		return fmt.Errorf("writing gate report as %s: %w", format, err)
	}
	return nil
}

// Passed reports whether the gate passes: no new violations.
func (r *Report) Passed() bool { return len(r.Diff.New) == 0 }

// path returns a repository-relative file name.
func (r *Report) path(file string) string {
	if file == "" || r.Prefix == "" {
		return file
	}
	return path.Join(r.Prefix, file)
}

// where returns the repository-relative "file:line" of a violation, or the
// configuration file for findings about the whole repository, whose
// thresholds live there.
func (r *Report) where(v Violation) (file string, line int) {
	if v.Pos == "" {
		return r.path(r.Config), 0
	}
	return r.path(v.File()), v.Line()
}

// Summary is the one-line verdict, e.g. "1 new violation, 12 baselined, 0 fixed".
func (r *Report) Summary() string {
	return fmt.Sprintf("%s, %d baselined, %d fixed", plural(len(r.Diff.New), "new violation"),
		len(r.Diff.Baselined), len(r.Diff.Fixed))
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// fixedHint tells how to drop fixed entries from the baseline.
func (r *Report) fixedHint() string {
	return "no longer found; run podsplit gate --update-baseline to drop it from " + r.path(r.Baseline)
}
