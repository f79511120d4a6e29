// Package plan decides how to split a component graph and in which order.
//
// Terms:
//   - tier: how closely two interacting components must live. "process": same
//     process, plain function calls. "pod": separate containers of one Pod,
//     talking over IPC (a Unix socket on a shared emptyDir, localhost TCP, a
//     shared file). "network": separate Deployments behind Services, talking
//     RPC. Every verdict carries its reasons.
//   - target: the topology the plan leads to: services (Deployments), each
//     with containers (the main one and its sidecars), each container holding
//     components; plus libraries, linked into every unit that uses them.
//   - step: one deployable change on the way from the monolith (step 0) to the
//     target. A step says what moves, which call sites must change, the API the
//     moved part must expose, what blocks it, and what it costs in latency.
//
// The Plan type is the machine-readable output contract (schema
// "podsplit.plan/v1"); fields may be added, never renamed.
package plan

import "github.com/podsplit/podsplit/graph"

// Schema names the version of the JSON form of a Plan.
const Schema = "podsplit.plan/v1"

// Tiers, from tightest to loosest.
const (
	TierProcess = "process"
	TierPod     = "pod"
	TierNetwork = "network"
)

// A Plan is the result of planning: the graph it was made from, a verdict per
// interacting pair, the target topology, the steps to reach it, and metrics.
type Plan struct {
	Schema      string             `json:"schema"`
	Module      string             `json:"module"`
	Components  []*graph.Component `json:"components"`
	Edges       []*graph.Edge      `json:"edges"`
	Pairs       []Pair             `json:"pairs"`
	Target      Target             `json:"target"`
	Steps       []Step             `json:"steps"`
	Metrics     Metrics            `json:"metrics"`
	Baselines   []Baseline         `json:"baselines,omitempty"`
	Cost        CostModel          `json:"cost_model"`
	Diagnostics []graph.Diagnostic `json:"diagnostics"`
}

// A Pair is the tier verdict for two interacting components, A < B.
type Pair struct {
	A        string           `json:"a"`
	B        string           `json:"b"`
	Tier     string           `json:"tier"`
	Reasons  []string         `json:"reasons"`
	Evidence []graph.Evidence `json:"evidence,omitempty"`
	// Static and Runtime sum the edges between the two, both directions.
	Static  int   `json:"static"`
	Runtime int64 `json:"runtime"`
}

// Target is the topology the plan leads to.
type Target struct {
	Services  []Service `json:"services"`
	Libraries []string  `json:"libraries"`
}

// A Service is one Deployment of the target.
type Service struct {
	Name       string      `json:"name"`
	Containers []Container `json:"containers"`
	// Ports the service listens on, from detected listeners.
	Ports []int `json:"ports,omitempty"`
	// Health is a detected health route, e.g. "/healthz".
	Health string `json:"health,omitempty"`
	// Governance lists concerns to move to the mesh (retry, timeout, …).
	Governance []string `json:"governance,omitempty"`
	// GovernanceSettings holds parameters found with the governance code,
	// keyed "concern.parameter": "retry.attempts": "3",
	// "retry.per_try_timeout": "2s", "timeout.request": "10s",
	// "breaker.consecutive_errors": "5", "breaker.ejection_time": "30s",
	// "ratelimit.max_requests": "100". Missing ones take mesh defaults.
	GovernanceSettings map[string]string `json:"governance_settings,omitempty"`
}

// A Container is one container of a service's Pod.
type Container struct {
	Name       string   `json:"name"`
	Components []string `json:"components"`
	Language   string   `json:"language,omitempty"`
	// Main is the main package the container's image is built from, if known.
	Main string `json:"main,omitempty"`
	// Command is the command of a multi-command program that the container
	// runs when its components are that command's code alone
	// (graph.Component.Commands): "query-frontend". Main is then the
	// program's main package.
	Command string `json:"command,omitempty"`
	// CommandOf is the component dispatching or registering Command: Main
	// itself for a subcommand, passed as the program's first argument, or
	// the package registering named initialisers, whose program selects the
	// target by its configuration.
	CommandOf string `json:"command_of,omitempty"`
	// Sidecar is true for every container but the service's main one.
	Sidecar bool `json:"sidecar,omitempty"`
	// Links names the pod-tier links of this container: "unix:/run/x.sock", "tcp:127.0.0.1:9000".
	Links []string `json:"links,omitempty"`
}

// A Step is one deployable change. Step 0 is the monolith as it runs today.
type Step struct {
	N     int      `json:"n"`
	Title string   `json:"title"`
	Kind  string   `json:"kind"` // "monolith", "mesh", "sidecar", "extract"
	Moves []string `json:"moves"`
	// Cut lists the call sites and state accesses that must change, as far
	// as the graph keeps evidence; CutSites counts all of them.
	Cut      []Cut `json:"cut"`
	CutSites int   `json:"cut_sites"`
	// API is the Go signatures the moved part must now expose, as
	// "pkg.(*T).Method(params) results".
	API []string `json:"api,omitempty"`
	// APIBack is what the moved part still calls in the part it leaves,
	// which that part must expose in turn.
	APIBack []string `json:"api_back,omitempty"`
	// AddedLatencyUS is the time per request the step adds; LatencySource
	// says whether it rests on runtime counts or on a static estimate.
	AddedLatencyUS float64  `json:"added_latency_us"`
	LatencySource  string   `json:"latency_source,omitempty"`
	Blockers       []string `json:"blockers"`
	Rollback       string   `json:"rollback,omitempty"`
	// Topology is the deployment after this step.
	Topology []Service `json:"topology"`
}

// A Cut is a call site that must change because its two ends now live apart.
type Cut struct {
	Pos    string `json:"pos"`
	From   string `json:"from"`
	To     string `json:"to"`
	Callee string `json:"callee,omitempty"`
	Tier   string `json:"tier"`
}

// Metrics are decomposition quality measures (see docs/metrics.md).
type Metrics struct {
	ICP        float64 `json:"icp"`
	SM         float64 `json:"sm"`
	IFN        float64 `json:"ifn"`
	NED        float64 `json:"ned"`
	Modularity float64 `json:"modularity"`
}

// A Baseline is the metrics of a reference decomposition, for comparison.
type Baseline struct {
	Name    string  `json:"name"`
	Metrics Metrics `json:"metrics"`
}

// CostModel holds per-call overheads per tier and the latency budget.
type CostModel struct {
	ProcessUS  float64 `json:"process_us" yaml:"process_us"`
	PodUS      float64 `json:"pod_us" yaml:"pod_us"`
	NetworkUS  float64 `json:"network_us" yaml:"network_us"`
	BytesPerUS float64 `json:"bytes_per_us" yaml:"bytes_per_us"`
	BudgetUS   float64 `json:"budget_us" yaml:"budget_us"`
	// Requests is how many requests the runtime evidence covers, so that
	// its call counts can be turned into calls per request; 0 means unknown,
	// and the counts are then taken as one request's worth (the cautious
	// reading: a verdict can only err towards keeping parts closer).
	Requests float64 `json:"requests,omitempty" yaml:"requests"`
}

// DefaultCost returns the cost model of DESIGN.md: per-call overheads of
// 0.01 µs, 30 µs and 1000 µs, 100 bytes serialised per µs, and a budget of
// 50 ms of added latency per request.
func DefaultCost() CostModel {
	return CostModel{ProcessUS: 0.01, PodUS: 30, NetworkUS: 1000, BytesPerUS: 100, BudgetUS: 50000}
}
