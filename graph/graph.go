// Package graph is podsplit's shared model: the component graph.
//
// A component is a unit of code that can be placed on its own: by default one
// package of the analysed module, or a group of packages chosen in config, or a
// part written in another language. An edge says that one component touches
// another and how: a function call (kind "call"), access to package-level state
// ("state"), local inter-process communication ("ipc"), a remote procedure call
// ("rpc"), or shared stored data ("data"). Every edge carries the evidence it
// rests on: positions in the repository and, once runtime data is merged, how
// often it was exercised.
//
// Analyzers produce a *Graph; classification, clustering, planning and the
// printers consume it. Every slice in a Graph is kept sorted by Sort so that
// output built from it is deterministic.
package graph

import (
	"cmp"
	"slices"
	"strings"
)

// Schema names the version of the JSON form of a Graph.
const Schema = "podsplit.graph/v1"

// MaxEvidence caps the evidence kept per edge; Edge.EvidenceTotal keeps the count.
const MaxEvidence = 20

// Edge kinds.
const (
	KindCall  = "call"
	KindState = "state"
	KindIPC   = "ipc"
	KindRPC   = "rpc"
	KindData  = "data"
)

// Component roles.
const (
	RoleService    = "service"
	RoleEntrypoint = "entrypoint"
	RoleLibrary    = "library"
	RoleGovernance = "governance"
	RoleExternal   = "external"
)

// A Component is a node of the graph.
type Component struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Language   string `json:"language"`
	Role       string `json:"role"`
	RoleReason string `json:"role_reason,omitempty"`
	// Dir is the repository-relative directory of the component.
	Dir      string   `json:"dir,omitempty"`
	Packages []string `json:"packages,omitempty"`
	Files    int      `json:"files,omitempty"`
	Lines    int      `json:"lines,omitempty"`
	// Generated is set when every file of the component is generated code
	// ("// Code generated … DO NOT EDIT."): protocol buffer messages and
	// their gRPC stubs, mocks, clients a generator wrote.
	Generated bool `json:"generated,omitempty"`
	// MutableState lists the package-level variables of this component that
	// are written after initialisation.
	MutableState []string `json:"mutable_state,omitempty"`
	// Governance lists the cross-cutting concerns (retry, rate-limit, …)
	// this component implements in code.
	Governance []string `json:"governance,omitempty"`
	// IO lists the kinds of input/output the component does itself.
	IO []string `json:"io,omitempty"`
	// Interfaces lists the exported interfaces the component offers as an
	// API of its own, "store.Repository": declared in its packages, with at
	// least one exported method, and implemented by a concrete type
	// declared in the component too. Test and generated files do not count.
	Interfaces []string `json:"interfaces,omitempty"`
	// External marks a node that stands for something outside the
	// repository, such as an HTTP endpoint the code calls.
	External bool `json:"external,omitempty"`
	// Listens lists the sockets the component accepts connections on,
	// "tcp:8080" or "unix:/run/shop/notify.sock", sorted.
	Listens []string `json:"listens,omitempty"`
	// Health is a health-check route the component serves ("/healthz"),
	// or "grpc" when it registers the standard gRPC health service.
	Health string `json:"health,omitempty"`
	// Serves lists the API the component's own code serves: HTTP routes
	// ("http POST /booking/v1/cargos") and gRPC services ("grpc
	// inventory.v1.Inventory"), health, metrics and debugging routes left
	// out, whether or not anything in the repository calls them. Sorted.
	Serves []string `json:"serves,omitempty"`
	// Entry is the repository-relative file that starts the program of an
	// entrypoint written in another language than Go ("worker/app.py").
	Entry string `json:"entry,omitempty"`
	// Unlinked marks a Go component that no program of the scan links: no
	// main package imports it, directly or not. It is test support (fakes,
	// fixtures, end-to-end suites) or code no binary uses, and never runs in
	// a deployment. Main packages of development tooling (see DevTooling)
	// are no programs here, unless every main is: they and what only they
	// link are unlinked too. Set only when the scan holds a main package,
	// and never with tests included (every test binary is a program then).
	// A component of another language is unlinked when it is development
	// tooling or documentation (a docs site's scripts) and the scan holds
	// linked Go code.
	Unlinked bool `json:"unlinked,omitempty"`
	// Imports lists, for a Go entrypoint, the components of the scan its
	// main package imports directly: the parts its program starts, even
	// those it reaches by no call or state edge of its own
	// (cmd.RootCommand.Execute() reads a variable set up at start-up and
	// runs a dependency's method on it). Sorted.
	Imports []string `json:"imports,omitempty"`
	// Programs lists the main packages of deployable programs whose binary
	// links the component (by the import closure of each main; development
	// tooling aside, see Unlinked), as component ids. Sorted; empty when
	// the scan holds no program, when none links it, and with tests
	// included.
	Programs []string `json:"programs,omitempty"`
	// Runs lists, when it is fewer than Programs, the programs whose code
	// runs the component: the functions a program's main package and the
	// initialisation of the packages it uses name, followed from function
	// to function. A binary links every package its imports name; where
	// every main imports one package of commands that imports every
	// service (OpenIM's pkg/common/cmd), each links all services and runs
	// one. Sorted; empty when it is Programs, or when no program's code
	// reaches the component (registered in an initialiser, found by
	// reflection).
	Runs []string `json:"runs,omitempty"`
	// Commands lists the commands of a multi-command program whose code
	// reaches the component, "cmd/thanos query": a main package whose
	// main.go dispatches to functions kept in files of their own
	// (query.go, store.go) runs one command per file, named after it. The
	// program's name alone ("cmd/thanos") stands for its start-up in
	// main.go, which every command shares. Reach follows calls (as the
	// chosen algorithm resolves them), function values, and the methods of
	// the module's types converted to interfaces. Sorted; empty when no
	// program of the scan has two commands or none reaches the component.
	Commands []string `json:"commands,omitempty"`
	// CommandsOf names, for a package of the module holding the commands
	// of a program whose main hands over to it (one command per file: a
	// cobra cmd/ package, SeaweedFS's weed/command), that program, as
	// its commands' prefix: the package is the program's, run by every
	// command with it, and no command's code.
	CommandsOf string `json:"commands_of,omitempty"`
	// EntryPoints lists the package-level variables holding behaviour (a
	// function or an interface) that the component's own code sets and
	// other components only call through, "vmstorage.VMSelectAPI": an API
	// it offers in process, as a link it serves. Such reads are no shared
	// state; the calls through them are call edges. Sorted.
	EntryPoints []string `json:"entry_points,omitempty"`
}

// Evidence is one place in the code (or in runtime data) an edge rests on.
type Evidence struct {
	Pos    string `json:"pos"`
	Detail string `json:"detail,omitempty"`
}

// A Callee is a function of the target component called across an edge.
type Callee struct {
	Func string `json:"func"`
	// Signature is the Go signature as written in the target package.
	Signature string `json:"signature,omitempty"`
	Sites     int    `json:"sites"`
	// NonSerializable names the parameters or results that cannot cross a
	// process boundary, with the reason, e.g. "ch chan<- Event: channel".
	NonSerializable []string `json:"non_serializable,omitempty"`
	Runtime         int64    `json:"runtime,omitempty"`
}

// A StateAccess is a package-level variable touched across an edge.
type StateAccess struct {
	Var    string `json:"var"`
	Access string `json:"access"` // "read", "write" or "read,write"
}

// An Edge is a directed, typed link between two components.
type Edge struct {
	From      string `json:"from"`
	To        string `json:"to"`
	Kind      string `json:"kind"`
	Mechanism string `json:"mechanism"`
	// Static is the number of distinct code sites that create the link.
	Static  int   `json:"static"`
	Runtime int64 `json:"runtime"`
	CPUNs   int64 `json:"cpu_ns"`
	// Observed is true when runtime data saw the link exercised.
	Observed bool `json:"observed"`
	// Key ties both ends of a non-call link: a route, topic, socket path or table.
	Key     string        `json:"key,omitempty"`
	Callees []Callee      `json:"callees,omitempty"`
	State   []StateAccess `json:"state,omitempty"`
	// ByType counts call sites resolved only by the method sets of the
	// module's own types (a fallback where type flow had no evidence).
	ByType int `json:"by_type,omitempty"`
	// InLoop counts call sites inside a loop of their function: they run
	// once per iteration, so a request may take them many times.
	InLoop int `json:"in_loop,omitempty"`
	// Indirect counts call sites through a function value rather than a
	// direct call or an interface method: each runs a function its caller
	// was handed.
	Indirect int `json:"indirect,omitempty"`
	// Handed counts dynamic call sites into a component that the caller's
	// does not import, directly or through others: the caller cannot name
	// what it calls and runs what it was handed (a writer, a queue element,
	// a registered hook, an injected service).
	Handed int `json:"handed,omitempty"`
	// Protocol counts the handed sites that call a method of an interface
	// declared outside the module (io.Writer, http.ResponseWriter,
	// sort.Interface): a protocol every Go program speaks, on a value the
	// caller was given.
	Protocol int `json:"protocol,omitempty"`
	// Wired counts call sites a dependency-injection framework makes:
	// reading a package-level variable whose initialiser hands the
	// target's constructors to the framework (var Cell =
	// cell.Module(…, cell.Provide(newManager)), fx.Provide(New)), or
	// handing them over in such an initialiser. The source's program runs
	// the target's code, though no call in the module says so.
	Wired int `json:"wired,omitempty"`
	// Pure counts call sites whose callees, and everything they may call,
	// touch no mutable package-level variable, use no channel and do no
	// I/O: code the caller can link instead of calling another part.
	Pure          int        `json:"pure,omitempty"`
	Evidence      []Evidence `json:"evidence"`
	EvidenceTotal int        `json:"evidence_total"`
}

// Reuse reports whether a call edge only calls pure functions (see Pure):
// it reuses the callee's code rather than needing a running instance of the
// callee, so it neither ties the two parts together nor crosses a boundary
// when they are split; the caller links what it calls.
func (e *Edge) Reuse() bool {
	return e.Kind == KindCall && e.Static > 0 && e.Pure >= e.Static
}

// HandedOnly reports whether every site of a call edge runs what its
// source was handed (see Handed): the source depends on none of its
// target's code.
func (e *Edge) HandedOnly() bool {
	return e.Kind == KindCall && e.Static > 0 && e.Handed >= e.Static
}

// WiredOnly reports whether every site of a call edge is made by a
// dependency-injection framework (see Wired): the source composes the
// target into its program and calls nothing of it itself.
func (e *Edge) WiredOnly() bool {
	return e.Kind == KindCall && e.Static > 0 && e.Wired >= e.Static
}

// ByTypeOnly reports whether every site of a call edge was resolved only
// by the module's types (see ByType): its target is a guess among the
// module's implementations.
func (e *Edge) ByTypeOnly() bool {
	return e.Kind == KindCall && e.Static > 0 && e.ByType >= e.Static
}

// IsVersion reports whether a path element names a version (v1, v2): a
// major version of a module, or a generation of the API beside it, in
// Kubernetes' style too (v1beta1, v2alpha3).
func IsVersion(name string) bool {
	if len(name) < 2 || name[0] != 'v' {
		return false
	}
	rest := strings.TrimLeft(name[1:], "0123456789")
	if len(rest) == len(name)-1 {
		return false // no major number
	}
	for _, stage := range []string{"alpha", "beta"} {
		if after, ok := strings.CutPrefix(rest, stage); ok && after != "" && strings.Trim(after, "0123456789") == "" {
			return true
		}
	}
	return rest == ""
}

// ConfigType reports whether a type's name says it holds configuration
// (…Config, …Cfg, …Options, …Opts, …Flags): its methods register flags,
// validate and fill defaults, and a program's configuration aggregates
// every part's.
func ConfigType(name string) bool {
	for _, suffix := range []string{"Config", "Configs", "Cfg", "Options", "Opts", "Flags"} {
		if strings.HasSuffix(name, suffix) {
			return true
		}
	}
	return false
}

// A Diagnostic is a problem or a notable fact found during analysis.
type Diagnostic struct {
	Pos      string `json:"pos,omitempty"`
	Category string `json:"category"`
	Message  string `json:"message"`
}

// Stats counts what the analysis looked at and what it dropped as noise.
type Stats struct {
	Packages  int            `json:"packages"`
	Functions int            `json:"functions"`
	CallSites int            `json:"call_sites"`
	Algorithm string         `json:"algorithm"`
	Dropped   map[string]int `json:"dropped,omitempty"`
	// Runtime is set once runtime evidence has been merged.
	Runtime *RuntimeStats `json:"runtime,omitempty"`
}

// A Graph is the component graph of a repository.
type Graph struct {
	Schema      string       `json:"schema"`
	Module      string       `json:"module"`
	Modules     []string     `json:"modules,omitempty"`
	Components  []*Component `json:"components"`
	Edges       []*Edge      `json:"edges"`
	Diagnostics []Diagnostic `json:"diagnostics"`
	Stats       Stats        `json:"stats"`
}

// New returns an empty graph for module.
func New(module string) *Graph {
	return &Graph{Schema: Schema, Module: module, Components: []*Component{}, Edges: []*Edge{}, Diagnostics: []Diagnostic{}}
}

// Component returns the component with the given id, or nil.
func (g *Graph) Component(id string) *Component {
	for _, c := range g.Components {
		if c.ID == id {
			return c
		}
	}
	return nil
}

// Edge returns the edge identified by its ends, kind and mechanism, or nil.
func (g *Graph) Edge(from, to, kind, mechanism string) *Edge {
	for _, e := range g.Edges {
		if e.From == from && e.To == to && e.Kind == kind && e.Mechanism == mechanism {
			return e
		}
	}
	return nil
}

// AddDiagnostic appends a diagnostic.
func (g *Graph) AddDiagnostic(pos, category, message string) {
	g.Diagnostics = append(g.Diagnostics, Diagnostic{Pos: pos, Category: category, Message: message})
}

// Drop counts one item dropped as noise under reason.
func (g *Graph) Drop(reason string, n int) {
	if n == 0 {
		return
	}
	if g.Stats.Dropped == nil {
		g.Stats.Dropped = map[string]int{}
	}
	g.Stats.Dropped[reason] += n
}

// EdgesBetween returns all edges from a to b and from b to a.
func (g *Graph) EdgesBetween(a, b string) []*Edge {
	var out []*Edge
	for _, e := range g.Edges {
		if (e.From == a && e.To == b) || (e.From == b && e.To == a) {
			out = append(out, e)
		}
	}
	return out
}

// Sort puts every slice of the graph in its canonical order and caps evidence.
func (g *Graph) Sort() {
	slices.SortFunc(g.Components, func(a, b *Component) int { return cmp.Compare(a.ID, b.ID) })
	for _, c := range g.Components {
		slices.Sort(c.Packages)
		c.MutableState = sortedUnique(c.MutableState)
		c.Governance = sortedUnique(c.Governance)
		c.IO = sortedUnique(c.IO)
		c.Interfaces = sortedUnique(c.Interfaces)
		c.EntryPoints = sortedUnique(c.EntryPoints)
	}
	for _, e := range g.Edges {
		e.sort()
	}
	slices.SortFunc(g.Edges, compareEdges)
	slices.SortFunc(g.Diagnostics, func(a, b Diagnostic) int {
		return cmp.Or(cmp.Compare(a.Category, b.Category), comparePos(a.Pos, b.Pos), cmp.Compare(a.Message, b.Message))
	})
	g.Diagnostics = slices.Compact(g.Diagnostics)
}

func compareEdges(a, b *Edge) int {
	return cmp.Or(cmp.Compare(a.From, b.From), cmp.Compare(a.To, b.To),
		cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Mechanism, b.Mechanism), cmp.Compare(a.Key, b.Key))
}

func (e *Edge) sort() {
	slices.SortFunc(e.Callees, func(a, b Callee) int { return cmp.Compare(a.Func, b.Func) })
	slices.SortFunc(e.State, func(a, b StateAccess) int { return cmp.Compare(a.Var, b.Var) })
	slices.SortFunc(e.Evidence, func(a, b Evidence) int {
		return cmp.Or(comparePos(a.Pos, b.Pos), cmp.Compare(a.Detail, b.Detail))
	})
	e.Evidence = slices.Compact(e.Evidence)
	if e.EvidenceTotal < len(e.Evidence) {
		e.EvidenceTotal = len(e.Evidence)
	}
	if len(e.Evidence) > MaxEvidence {
		e.Evidence = e.Evidence[:MaxEvidence]
	}
	if e.Evidence == nil {
		e.Evidence = []Evidence{}
	}
	e.Observed = e.Observed || e.Runtime > 0 || e.CPUNs > 0
}

func sortedUnique(s []string) []string {
	slices.Sort(s)
	return slices.Compact(s)
}

// devDirs name the top-level directories that hold development tooling by
// convention: code generators and build or release scripts (hack/, the
// Kubernetes convention; scripts/, build/), examples and tutorials, test
// drivers, integration suites and benchmarks, documentation and its site,
// and tools/ (doc generators, query comparators, migration helpers: Loki's
// and Cortex's tools/, Argo CD's tools/cmd-docs; a system's shipped
// binaries live in cmd/), and code its authors keep but no longer ship
// (unmaintained/: SeaweedFS's one-off repair tools; attic/).
var devDirs = map[string]bool{
	"hack": true, "scripts": true, "script": true, "build": true,
	"examples": true, "example": true, "_examples": true, "tutorial": true, "tutorials": true,
	"test": true, "tests": true, "e2e": true, "testing": true, "integration": true,
	"benchmark": true, "benchmarks": true, "bench": true, "fuzz": true, "fuzzing": true,
	"docs": true, "doc": true, "website": true, "site": true, "tools": true,
	"unmaintained": true, "attic": true, "samples": true, "sample": true,
}

// containedTestDirs are the devDirs naming test support one level down,
// in the directory a repository keeps its packages in (codeContainers):
// Istio's pkg/test holds its test framework and the echo servers its
// integration tests deploy. Other devDirs (pkg/tools, pkg/integration/
// slack, pkg/build) name domains there.
var (
	containedTestDirs = map[string]bool{"test": true, "tests": true, "testing": true, "e2e": true, "fuzz": true}
	codeContainers    = map[string]bool{"pkg": true, "internal": true}
)

// anywhereDevDirs are the devDirs whose name says tooling at any depth
// (internal/wasm/sdk/examples/loaders); the others (test, build, docs,
// integration, site…) also name business domains or helpers deeper down
// (pkg/integration/slack) and count only at the top.
var anywhereDevDirs = map[string]bool{
	"hack": true, "examples": true, "example": true, "_examples": true, "tutorial": true, "tutorials": true, "e2e": true,
	// A program's documentation generator (Vitess's go/cmd/vtgate/docgen),
	// a package's load generators (Loki's pkg/logql/bench/cmd/…).
	"docgen": true, "bench": true, "benchmark": true, "benchmarks": true,
}

// DevTooling reports whether a slash-separated directory, relative to the
// directory holding the whole scan, lies in development tooling: its first
// element is one of devDirs (hack/gen, examples/client, docs/src/…), or
// its second when the first names a major version (v1/test/cases: OPA
// keeps its v1 API in such a subtree) or the Go code's own root (go/tools,
// see goRoots), or a test directory in pkg/ or internal/ (pkg/test/echo,
// see containedTestDirs), or any element is one of
// anywhereDevDirs (internal/wasm/sdk/examples/loaders) or is named as an
// example (other/mq_client_example/agent).
func DevTooling(rel string) bool {
	parts := strings.Split(rel, "/")
	if slices.ContainsFunc(parts, func(s string) bool { return anywhereDevDirs[s] || exampleName(s) }) {
		return true
	}
	parts = codeParts(parts)
	first := parts[0]
	if codeContainers[first] && len(parts) > 1 && containedTestDirs[parts[1]] {
		return true
	}
	return devDirs[first]
}

// codeParts drops a first element naming a major version (v1/…) or the Go
// code's own root (go/…, see goRoots) from the elements of a directory
// relative to the scan, when more follow: what remains starts at the top
// of the Go code.
func codeParts(parts []string) []string {
	if (IsVersion(parts[0]) || goRoots[parts[0]]) && len(parts) > 1 {
		return parts[1:]
	}
	return parts
}

// LibraryMain reports whether a main package's slash-separated directory,
// relative to the directory holding the whole scan, lies in the top-level
// pkg/ where Go repositories keep their library code (past a version or
// Go-root directory, as DevTooling): a main package there is a tool
// beside the code it exercises (Cilium's pkg/loadbalancer/repl and
// pkg/datapath/loader/tools, Istio's pkg/config/schema/codegen/tools),
// not a program the system deploys, which lives in cmd/ or a directory of
// its own.
func LibraryMain(rel string) bool {
	parts := codeParts(strings.Split(rel, "/"))
	return len(parts) > 1 && parts[0] == "pkg"
}

// goRoots name a top-level directory holding a repository's Go code beside
// other languages' (Vitess keeps go/cmd, go/vt, go/tools and go/test in
// go/): the directories below it are the top-level ones of the Go code.
var goRoots = map[string]bool{"go": true, "golang": true}

// exampleName reports whether a directory's name says it holds an example
// or a benchmark of something: mq_client_example, grpc-examples,
// example_plugin, logs-benchmark (VictoriaLogs' load generator).
func exampleName(s string) bool {
	for _, w := range []string{"example", "examples", "benchmark", "benchmarks", "bench"} {
		if strings.HasSuffix(s, "_"+w) || strings.HasSuffix(s, "-"+w) || strings.HasPrefix(s, w+"_") || strings.HasPrefix(s, w+"-") {
			return true
		}
	}
	return false
}

// CommonPrefix returns the longest run of sep-separated elements that
// starts every one of paths: the deepest directory holding every one of
// a list of slash-separated directories, the common parent of Java
// packages with ".". It is "" for none.
func CommonPrefix(paths []string, sep string) string {
	if len(paths) == 0 {
		return ""
	}
	common := strings.Split(paths[0], sep)
	for _, p := range paths[1:] {
		parts := strings.Split(p, sep)
		n := 0
		for n < len(common) && n < len(parts) && common[n] == parts[n] {
			n++
		}
		common = common[:n]
	}
	return strings.Join(common, sep)
}
