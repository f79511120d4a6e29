package gate

import (
	"encoding/json"
	"io"
)

// A cqIssue is one entry of a GitLab Code Quality report (a subset of the
// Code Climate issue format).
type cqIssue struct {
	Description string     `json:"description"`
	CheckName   string     `json:"check_name"`
	Fingerprint string     `json:"fingerprint"`
	Severity    string     `json:"severity"`
	Location    cqLocation `json:"location"`
}

type cqLocation struct {
	Path  string  `json:"path"`
	Lines cqLines `json:"lines"`
}

type cqLines struct {
	Begin int `json:"begin"`
}

// writeCodeQuality prints a GitLab Code Quality report: new violations are
// major, baselined ones info, so that merge requests show what got worse.
func writeCodeQuality(w io.Writer, r *Report) error {
	issues := []cqIssue{}
	add := func(vs []Violation, severity string) {
		for _, v := range vs {
			file, line := r.where(v)
			issues = append(issues, cqIssue{
				Description: v.Rule + ": " + v.Message, CheckName: v.Rule, Fingerprint: v.Fingerprint,
				Severity: severity, Location: cqLocation{Path: file, Lines: cqLines{Begin: max(line, 1)}},
			})
		}
	}
	add(r.Diff.New, "major")
	add(r.Diff.Baselined, "info")
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(issues)
}
