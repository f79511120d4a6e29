package gate

import (
	"io"

	"github.com/owenrumney/go-sarif/v2/sarif"
)

// FingerprintKey names podsplit's fingerprint in SARIF partialFingerprints.
const FingerprintKey = "podsplit/v1"

const toolURI = "https://github.com/podsplit/podsplit"

// writeSARIF prints a SARIF 2.1.0 log for GitHub code scanning and other
// SARIF consumers. New violations are errors with baselineState "new";
// baselined ones are notes with baselineState "unchanged", so that code
// scanning tracks them by fingerprint without failing on them. URIs are
// relative to the repository root (uriBaseId %SRCROOT%).
func writeSARIF(w io.Writer, r *Report) error {
	log, err := sarif.New(sarif.Version210)
	if err != nil {
		return err
	}
	run := sarif.NewRunWithInformationURI("podsplit", toolURI)
	for _, rule := range Rules {
		run.AddRule(rule.ID).
			WithName(rule.Name).
			WithShortDescription(sarif.NewMultiformatMessageString(rule.Short)).
			WithFullDescription(sarif.NewMultiformatMessageString(rule.Short + " Switched by " + rule.Key + " in podsplit.yaml.")).
			WithHelp(sarif.NewMultiformatMessageString(rule.Help).WithMarkdown(rule.Help)).
			WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel("error")).
			WithProperties(sarif.Properties{"tags": []string{"architecture", "maintainability"}})
	}
	for _, v := range r.Diff.New {
		run.AddResult(sarifResult(r, v, "error", "new"))
	}
	for _, v := range r.Diff.Baselined {
		run.AddResult(sarifResult(r, v, "note", "unchanged"))
	}
	run.AddInvocation(true)
	log.AddRun(run)
	return log.PrettyWrite(w)
}

func sarifResult(r *Report, v Violation, level, state string) *sarif.Result {
	file, line := r.where(v)
	region := sarif.NewRegion().WithStartLine(max(line, 1))
	loc := sarif.NewPhysicalLocation().
		WithArtifactLocation(sarif.NewSimpleArtifactLocation(file).WithUriBaseId("%SRCROOT%")).
		WithRegion(region)
	res := sarif.NewRuleResult(v.Rule).
		WithRuleIndex(ruleIndex(v.Rule)).
		WithLevel(level).
		WithBaselineState(state).
		WithMessage(sarif.NewTextMessage(v.Message)).
		WithLocations([]*sarif.Location{sarif.NewLocationWithPhysicalLocation(loc)}).
		WithPartialFingerPrints(map[string]any{FingerprintKey: v.Fingerprint})
	props := sarif.Properties{"subject": v.Subject}
	if v.From != "" {
		props["from"], props["to"] = v.From, v.To
	}
	res.AttachPropertyBag(&sarif.PropertyBag{Properties: props})
	return res
}

func ruleIndex(id string) int {
	for i, r := range Rules {
		if r.ID == id {
			return i
		}
	}
	return 0
}
