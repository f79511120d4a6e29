// Package gate checks a repository against the target boundaries declared in
// podsplit.yaml, so that CI can keep a planned split from eroding.
//
// Terms:
//   - declared service: a name in the configuration's services section with
//     the package patterns it owns. A component belongs to the service whose
//     pattern matches its packages (the longest pattern wins). Components
//     matched by a libraries pattern belong to no service: a library is
//     linked into every service that uses it, so calls into it cross nothing.
//   - ceiling: the tightest tier allowed between two declared services, from
//     the tiers section. A pair without a rule has the ceiling network: two
//     declared services are separate deployments unless the configuration
//     says they share a Pod (pod) or may still share a process (process).
//   - violation: one breach of a rule at one place: a rule id, a
//     repository-relative position, a message, and a fingerprint.
//   - fingerprint: a hash naming a violation by what it is (rule, components,
//     functions, variables) and never by where it is, so that it survives
//     code moving up or down a file. When the same thing occurs several
//     times, the occurrences are numbered in source order.
//   - baseline: the fingerprints of accepted violations. A check fails only
//     on violations not in the baseline (new); baseline entries no longer
//     found are reported as fixed, so that the baseline only shrinks.
//
// The rules, with their stable ids (SARIF ruleIds and baseline entries):
//
//	cross-service-call  an in-process call between two declared services whose
//	                    ceiling is pod or network (rules.no_cross_service_calls)
//	shared-state        package-level state of one service touched by another
//	                    across such a boundary (rules.no_shared_state)
//	service-cycle       declared services that depend on each other in a cycle
//	                    (rules.no_new_cycles)
//	tier-ceiling        a pair of services linked more tightly than its ceiling
//	                    allows: an IPC link or a shared local file between
//	                    services that must live apart, or a plan verdict tighter
//	                    than the ceiling (rules.tier_ceiling)
//	max-icp             the inter-call percentage of the declared services above
//	                    rules.max_icp
//	max-cut-sites       a plan step that cuts more call sites than
//	                    rules.max_cut_sites_per_step
//
// Check computes the violations; Compare splits them against a Baseline; the
// Write functions print a Report as text, SARIF 2.1.0, GitHub workflow
// commands, Markdown or GitLab Code Quality JSON. Assert runs the whole gate
// inside go test.
package gate
