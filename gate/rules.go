package gate

import (
	"strconv"
	"strings"
)

// Rule ids. They are part of the output contract: SARIF ruleIds, baseline
// entries and suppressions in users' tools refer to them.
const (
	RuleCrossServiceCall = "cross-service-call"
	RuleSharedState      = "shared-state"
	RuleServiceCycle     = "service-cycle"
	RuleTierCeiling      = "tier-ceiling"
	RuleMaxICP           = "max-icp"
	RuleMaxCutSites      = "max-cut-sites"
)

// A Rule describes one rule for people and for SARIF consumers.
type Rule struct {
	ID    string
	Name  string // PascalCase, as SARIF wants for reportingDescriptor.name
	Key   string // the podsplit.yaml key that switches or sets it
	Short string // one sentence
	Help  string // Markdown: why it matters and how to fix it
}

// Rules lists every rule in a fixed order.
var Rules = []Rule{
	{RuleCrossServiceCall, "CrossServiceCall", "rules.no_cross_service_calls",
		"In-process call across a declared service boundary.",
		"Two declared services whose ceiling is `pod` or `network` will run in separate processes, " +
			"so a plain function call between them cannot survive the split. Call the other service " +
			"through its client (HTTP, gRPC, a message) or move the code; if the two services may " +
			"still share a process, set their ceiling to `process` in the `tiers` section."},
	{RuleSharedState, "SharedState", "rules.no_shared_state",
		"Package-level state shared across a declared service boundary.",
		"A package-level variable of one service read or written by another ties both to one " +
			"address space. Give the owning service an API for the data, or move the variable to " +
			"the service that uses it."},
	{RuleServiceCycle, "ServiceCycle", "rules.no_new_cycles",
		"Declared services depend on each other in a cycle.",
		"Services that call each other in a cycle cannot be deployed, versioned or rolled back " +
			"independently. Break the cycle with an event, a callback interface owned by the " +
			"lower service, or by merging the services."},
	{RuleTierCeiling, "TierCeiling", "rules.tier_ceiling",
		"Two services are linked more tightly than their ceiling allows.",
		"The `tiers` section sets the tightest link allowed between two services. A Unix socket, " +
			"localhost connection or shared file needs both ends in one Pod, so it breaks a " +
			"`network` ceiling; a plan verdict of `process` or `pod` (shared state, non-serialisable " +
			"parameters, very frequent calls) breaks a looser ceiling. Loosen the coupling or " +
			"change the ceiling."},
	{RuleMaxICP, "MaxICP", "rules.max_icp",
		"Too large a share of interactions crosses service boundaries.",
		"ICP (inter-call percentage) is the share of weighted interactions between components " +
			"that cross a declared service boundary. A rising ICP means the services are growing " +
			"chattier than planned. Move the chatty code together or raise `rules.max_icp`."},
	{RuleMaxCutSites, "MaxCutSites", "rules.max_cut_sites_per_step",
		"A split step cuts too many call sites.",
		"Every call site a step cuts must be rewritten as a remote call in the same change. " +
			"Keep steps small: split the services differently or raise `rules.max_cut_sites_per_step`."},
}

// RuleByID returns the rule with the given id.
func RuleByID(id string) (Rule, bool) {
	for _, r := range Rules {
		if r.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}

// A Violation is one breach of a rule.
type Violation struct {
	Rule string `json:"rule"`
	// Pos is the repository-relative "file:line"; "" for findings about the
	// whole repository.
	Pos string `json:"pos,omitempty"`
	// From and To are the declared services involved, when there are two.
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
	// Subject says what the violation is about without saying where:
	// "orders.(*Service).checkout → payments.(*Service).Charge".
	Subject     string `json:"subject"`
	Message     string `json:"message"`
	Fingerprint string `json:"fingerprint"`

	key string // the fingerprint's parts, before numbering occurrences
}

// File returns the file of the violation's position, "" when it has none.
func (v Violation) File() string {
	file, _ := splitPos(v.Pos)
	return file
}

// Line returns the line of the violation's position, 0 when it has none.
func (v Violation) Line() int {
	_, line := splitPos(v.Pos)
	return line
}

func splitPos(pos string) (string, int) {
	i := strings.LastIndexByte(pos, ':')
	if i < 0 {
		return pos, 0
	}
	n, err := strconv.Atoi(pos[i+1:])
	if err != nil {
		return pos, 0
	}
	return pos[:i], n
}
