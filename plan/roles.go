package plan

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/podsplit/podsplit/graph"
)

// facts are what the planner knows of each component beyond the graph's
// own fields: its domain directory, whether it is a library for planning,
// and what boundary of its own it has.
type facts struct {
	domain   []string // domain directory (see tree)
	key      []string // the domain's identity across layer-first layouts (see key)
	entry    []bool
	lib      []bool
	libWhy   []string
	boundary []string // why the component stands on its own, "" if nothing does
	tree     *tree
	names    map[string]int // component name → index (byName)
	dirs     map[string]int // directory → component index (see ownInfra)
	// filed maps a component below a program's own directory (cmd/agent,
	// app/vmagent) to that program's main package, and the main to
	// itself (see programParts).
	filed map[int]int
	// programs counts the deployable programs of the scan (see
	// programCount); -1 until counted.
	programs int
	// split holds, for code several programs link that is tied in process
	// to code of programs that never share one, two such partners (see
	// programShared).
	split map[int][2]int
}

// infraNames name technical parts shared across a system rather than a
// business domain; a top-level package so named and used by several domains
// is infrastructure, linked into each of them.
var infraNames = set(
	"auth", "cache", "clock", "codec", "config", "conf", "db", "dialer", "discovery", "encoding",
	"errors", "errs", "events", "grpcutil", "health", "healthcheck", "healthz", "httputil", "log", "logger", "logging", "metrics",
	"middleware", "monitoring", "observability", "pool", "registry", "retry", "store", "storage", "telemetry",
	"tls", "tracing", "trace", "util", "utils", "validation", "version",
)

func newFacts(v *view, pinned map[int]bool, verdicts []*verdict) *facts {
	n := len(v.comps)
	f := &facts{domain: make([]string, n), key: make([]string, n), entry: make([]bool, n), lib: make([]bool, n),
		libWhy: make([]string, n), boundary: make([]string, n), programs: -1}
	var dirs []string
	for _, c := range v.comps {
		dirs = append(dirs, dirOf(v.g, c))
	}
	t := newTree(dirs)
	var analysed []string
	for i, c := range v.comps {
		if c.Role == graph.RoleEntrypoint {
			t.main[dirs[i]] = true
		}
		if c.Files > 0 && c.Language == "go" {
			analysed = append(analysed, dirs[i])
		}
	}
	t.base = graph.CommonPrefix(analysed, "/")
	f.tree = t
	for i, c := range v.comps {
		f.domain[i] = t.domain(dirs[i])
		f.key[i] = key(f.domain[i])
		f.entry[i] = c.Role == graph.RoleEntrypoint
		f.boundary[i] = boundaryOf(v, i, t.infraNamed(f.domain[i], dirs[i]))
	}
	f.filed = programParts(v, f)
	f.tree.sharedApart = f.hasDomainsApart(v)
	f.split = programShared(v, f, verdicts)
	f.findLibraries(v, pinned, sharedAPIs(v, f, verdicts))
	return f
}

// sharedAPIs finds the components whose API cannot leave a process and is
// called from two or more domains other than their own: every one of those
// pairs is process-tier only because of what crosses it (functions,
// interfaces with behaviour, channels), not shared state or a cycle. Such a
// component cannot be a service (no caller could reach it over a network)
// and must not glue its callers' domains into one process either: like a
// generated gRPC stub, a queue or an HTTP middleware, it is code each of
// them links.
func sharedAPIs(v *view, f *facts, verdicts []*verdict) map[int]bool {
	callers := map[int]map[string]bool{}
	for _, vd := range verdicts {
		if vd.Tier != TierProcess || vd.has(ruleState) || vd.has(ruleCycle) || vd.has(ruleRuntime) || !vd.has(ruleParam) {
			continue
		}
		for _, side := range [2][2]int{{vd.a, vd.b}, {vd.b, vd.a}} {
			x, caller := side[0], side[1]
			if !calls(v, caller, x) || f.key[caller] == f.key[x] || f.entry[caller] {
				continue
			}
			if callers[x] == nil {
				callers[x] = map[string]bool{}
			}
			callers[x][f.key[caller]] = true
		}
	}
	out := map[int]bool{}
	for x, keys := range callers {
		out[x] = len(keys) >= 2
	}
	return out
}

// programShared finds the code two or more deployable programs link
// (graph.Component.Programs) that is tied in process (a process-tier or
// IPC pair, see bindsTogether) to the code of two programs no binary
// links together: Istio's analyzers, which the CLI's analyze command and
// istiod's in-cluster analysis each run. Each program links its own copy
// and the ties hold in each process apart, so the code is a library
// linked into each, not a bridge between the two programs' code. It maps
// each such component to two of those partners.
func programShared(v *view, f *facts, verdicts []*verdict) map[int][2]int {
	partners := map[int][]int{}
	for _, vd := range verdicts {
		if !bindsTogether(vd) || f.entry[vd.a] || f.entry[vd.b] {
			continue
		}
		for _, side := range [2][2]int{{vd.a, vd.b}, {vd.b, vd.a}} {
			if len(v.comps[side[0]].Programs) > 1 && len(v.comps[side[1]].Programs) > 0 {
				partners[side[0]] = append(partners[side[0]], side[1])
			}
		}
	}
	out := map[int][2]int{}
	for _, i := range sortedKeys(partners) {
		if !f.programsShare(v, i) {
			continue
		}
		ps := partners[i]
		slices.Sort(ps)
		if a, b, ok := programsApart(v, ps); ok {
			out[i] = [2]int{a, b}
		}
	}
	return out
}

// programsApart returns the first two of components ids that disjoint
// sets of programs link (graph.Component.Programs), if any.
func programsApart(v *view, ids []int) (a, b int, ok bool) {
	for x, a := range ids {
		for _, b := range ids[x+1:] {
			if len(intersect(v.comps[a].Programs, v.comps[b].Programs)) == 0 {
				return a, b, true
			}
		}
	}
	return -1, -1, false
}

// isSplit reports whether component i is code the programs share, tied
// in process to programs no binary links together (programShared).
func (f *facts) isSplit(i int) bool {
	_, ok := f.split[i]
	return ok
}

// programsShare reports whether component i may be code the programs
// share (programShared): not filed in one program's directory, not run
// by a program's commands (see commandShared), nor filed in a command's
// domain (Mimir's pkg/frontend/querymiddleware, which the query-tee tool
// links too).
func (f *facts) programsShare(v *view, i int) bool {
	return !f.programPart(i) && len(v.comps[i].Commands) == 0 && !f.inCommandDomain(v, i)
}

// inCommandDomain reports whether component i is filed in the domain of a
// command's code: the component naming its domain directory is run by a
// program's commands (Loki's pkg/distributor, holding
// pkg/distributor/shardstreams).
func (f *facts) inCommandDomain(v *view, i int) bool {
	j, ok := f.dirIndex(v)[f.domain[i]]
	return ok && j != i && len(v.comps[j].Commands) > 0
}

// calls reports whether component a depends on component b.
func calls(v *view, a, b int) bool {
	for _, e := range v.out[a] {
		if v.isDep(e) && v.index[e.To] == b {
			return true
		}
	}
	return false
}

// boundaryOf says what makes a component a part of its own: state other
// parts use, a link it serves, I/O it does itself (storage, an external
// API, a broker), or routes it serves. The I/O of a package named like infrastructure (infra:
// a config file parser, a logger writing files, a metrics exporter) is
// done for its callers and is no boundary: used by one part, it is that
// part's own.
//
// Package-level state other components read or write is a boundary too:
// the unit it ties together (a process-tier pair) holds that data. State
// only the package itself touches is none: what a Go package keeps to
// itself in package variables is a cache, a registry of metrics, a logger
// or a connection flag (CoreDNS's replacer cache, KEDA's metrics maps),
// kept in the process of whoever uses it.
func boundaryOf(v *view, i int, infra bool) string {
	c := v.comps[i]
	for _, e := range v.in[i] {
		if e.Kind == graph.KindState && len(e.State) > 0 && !generatedState(e.State[0].Var) {
			return fmt.Sprintf("holds state %s uses: %s", v.name(v.index[e.From]), e.State[0].Var)
		}
	}
	for _, e := range v.in[i] {
		if (e.Kind == graph.KindRPC || e.Kind == graph.KindIPC) && !infraProtocol(e) {
			return fmt.Sprintf("serves %s %s", e.Mechanism, e.Key)
		}
	}
	if len(c.IO) > 0 && !infra {
		return "does its own I/O: " + strings.Join(c.IO, ", ")
	}
	if len(c.Serves) > 0 && !infra {
		return "serves an API of its own: " + strings.Join(firstN(c.Serves, 2), ", ")
	}
	return ""
}

// ownsState reports whether component i keeps package-level state of its
// own, generated protobuf descriptors aside.
func ownsState(v *view, i int) bool {
	return slices.ContainsFunc(v.comps[i].MutableState, func(s string) bool { return !generatedState(s) })
}

// generatedState recognises the package-level variables protoc-gen-go
// writes (File_x_proto, file_x_proto_rawDesc…).
func generatedState(v string) bool {
	_, name, _ := strings.Cut(v, ".")
	return strings.HasPrefix(name, "File_") || strings.HasPrefix(name, "file_") && strings.Contains(name, "_proto")
}

func firstN(s []string, n int) []string {
	if len(s) > n {
		return append(slices.Clone(s[:n]), "…")
	}
	return s
}

// findLibraries marks the components that are linked into every unit using
// them rather than placed in one. A library serves no link and keeps its
// state to itself: package-level variables no other component touches are
// duplicated harmlessly in every process that links it (a lock around
// printing, a lazily built table). It does no I/O, or it is governance code
// (until the mesh takes it over), or a technical package doing I/O for its
// callers (a database helper, a tracing setup, a Kafka producer, generated
// gRPC stubs) that lives apart from any business domain. It depends on
// nothing but other libraries, and it is used from two or more domains
// other than its own, or by another library, which carries it along. A
// component pinned by configuration is never a library.
//
// The libraries are the largest set meeting these conditions: start from
// every candidate and drop, until nothing changes, those depending on a
// non-library or no longer used widely enough. A component no program links
// (graph.Component.Unlinked) has no users, and is a library only by what it
// is (stubs, code in a shared container); clustering places the others
// (see placeUnlinked).
func (f *facts) findLibraries(v *view, pinned map[int]bool, shared map[int]bool) {
	carried := make([]bool, len(v.comps))
	apiKeys := map[string]bool{}
	for j, ok := range shared {
		if ok {
			apiKeys[f.key[j]] = true
		}
	}
	for i, c := range v.comps {
		split := f.isSplit(i)
		eligible := !pinned[i] && !f.entry[i] && v.module(i) && (!servesOrShares(v, i) || f.commandShared(v, i) || f.widelyLinked(v, i) || split) && !namedService(dirOf(v.g, c)) && !f.offersEntry(v, i) &&
			(!f.programPart(i) || stubDir(dirOf(v.g, c)))
		f.lib[i] = eligible &&
			(len(c.IO) == 0 || c.Role == graph.RoleGovernance || f.tree.technical(f.domain[i], dirOf(v.g, c)) || shared[i] || clientPkg(v, i) || c.Generated && stubs(c, dirOf(v.g, c)) ||
				f.tree.programSupport(dirOf(v.g, c)) || f.commandShared(v, i) || f.widelyLinked(v, i) || split)
		carried[i] = eligible && !f.lib[i] && f.apiPart(v, i, apiKeys)
		f.lib[i] = f.lib[i] || carried[i]
	}
	for changed := true; changed; {
		changed = false
		for i := range v.comps {
			if f.lib[i] && !outside(v, i) && !readOnly(v, i) && !f.commandShared(v, i) && !f.widelyLinked(v, i) && !f.isSplit(i) && (!f.leaf(v, i) || len(f.foreignDomains(v, i)) < 2 && !f.usedByLibrary(v, i) && !f.sharedCode(v, i) && !f.plumbing(v, i) && !f.tree.programSupport(dirOf(v.g, v.comps[i])) && !f.infraOf(v, i) ||
				(carried[i] || f.commandPart(v, i) && !inSharedNamed(dirOf(v.g, v.comps[i]))) && !f.usedByLibrary(v, i)) {
				f.lib[i], changed = false, true
			}
		}
	}
	f.declarationsHome(v, pinned)
	for i, c := range v.comps {
		if !f.lib[i] {
			continue
		}
		users := strings.Join(f.foreignDomains(v, i), ", ")
		switch {
		case outside(v, i):
			f.libWhy[i] = "outside the analysed packages: linked into the code that calls it"
		case readOnly(v, i):
			f.libWhy[i] = "declarations only: other packages read its constants and variables, and call nothing"
		case len(c.IO) == 0 && users == "":
			f.libWhy[i] = "no I/O, no state shared with others, needed by other libraries"
		case len(c.IO) == 0:
			f.libWhy[i] = "no I/O, no state shared with others, used by " + users
		case c.Role == graph.RoleGovernance:
			f.libWhy[i] = "governance code, used by " + users
		case len(c.IO) > 0 && f.tree.programSupport(dirOf(v.g, c)):
			f.libWhy[i] = "code the programs share, under cmd/ (I/O: " + strings.Join(c.IO, ", ") + "), used by " + users
		case len(c.IO) > 0 && f.plumbing(v, i):
			f.libWhy[i] = "set-up of the programs that start it (I/O: " + strings.Join(c.IO, ", ") + "), used only by " + users
		case f.isSplit(i):
			ab := f.split[i]
			f.libWhy[i] = fmt.Sprintf("linked by %d programs and run in process by code of programs no binary links together (%s, %s): each links its own copy",
				len(c.Programs), v.name(ab[0]), v.name(ab[1]))
		case shared[i] && !f.tree.technical(f.domain[i], dirOf(v.g, c)):
			f.libWhy[i] = "an API that cannot leave a process (I/O: " + strings.Join(c.IO, ", ") + "), called from " + users
		default:
			f.libWhy[i] = "shared technical package (I/O: " + strings.Join(c.IO, ", ") + "), used by " + users
		}
	}
}

// topProgramPart reports whether component i is a part of a program kept
// in a directory right below the root (programParts: Cilium's daemon/cmd),
// the start-up of that program as cmd/<program>/app is of one in cmd/.
func (f *facts) topProgramPart(v *view, i int) bool {
	m, ok := f.filed[i]
	return ok && m != i && f.tree.topLevel(dirOf(v.g, v.comps[m]))
}

// programPart reports whether component i is a part of a program filed in
// its directory (programParts): the project made it that program's, so it
// is no library, whoever else links it (an all-in-one binary composing the
// others, a tool).
func (f *facts) programPart(i int) bool {
	m, ok := f.filed[i]
	return ok && m != i
}

// programParts maps each component below the directory of a main package
// in a directory of cmd/ or app/, at any depth (cmd/collector,
// VictoriaMetrics' app/vmagent, Kyverno's cmd/cli/kubectl-kyverno) to that
// main, and the main to itself: the program's own parts
// (cmd/collector/app/…). A main below another's directory keeps its own.
// So does a main in a directory right below the root (Cilium's daemon/,
// operator/, hubble-relay/, each with its packages below it), unless its
// commands place its code (a package of commands, commands run by name)
// or the directory is cmd/ itself. A main at the root or elsewhere has
// none: the packages below it are the system's domains. Neither has a program
// holding most of the analysed packages (a monolith kept under
// cmd/shop/…): it is the system, and its subtree holds its domains.
func programParts(v *view, f *facts) map[int]int {
	programDirs := set("cmd", "cmds", "app", "apps")
	total := 0
	for i := range v.comps {
		if v.module(i) && v.comps[i].Language == "go" {
			total++
		}
	}
	out := map[int]int{}
	for m, c := range v.comps {
		dir := dirOf(v.g, c)
		parts := strings.Split(dir, "/")
		inProgramDir := slices.ContainsFunc(parts[:len(parts)-1], func(e string) bool { return programDirs[e] })
		top := !inProgramDir && f.tree.topLevel(dir) && !programDirs[path.Base(dir)]
		if !v.module(m) || !f.entry[m] || !inProgramDir && !top {
			continue
		}
		var below []int
		for i, c := range v.comps {
			if v.module(i) && !f.entry[i] && strings.HasPrefix(dirOf(v.g, c), dir+"/") {
				below = append(below, i)
			}
		}
		if 2*len(below) > total || top && slices.ContainsFunc(below, func(i int) bool {
			return len(v.comps[i].Commands) > 0 || v.comps[i].CommandsOf != ""
		}) {
			continue // the system itself; or a program whose commands place its code
		}
		out[m] = m
		for _, i := range below {
			if prev, ok := out[i]; !ok || len(dirOf(v.g, v.comps[prev])) < len(dir) {
				out[i] = m // the deepest main's
			}
		}
	}
	return out
}

// offersEntry reports whether component i offers an entry point in
// process (graph.Component.EntryPoints: vmstorage.VMSelectAPI, the storage
// its package opened, which every process linking it would open again),
// as a link it serves. A package named like infrastructure setting its
// logger or tracer at start-up for others to call offers none: that is a
// process's own set-up, and each process sets its own.
func (f *facts) offersEntry(v *view, i int) bool {
	return len(v.comps[i].EntryPoints) > 0 && !f.tree.infraNamed(f.domain[i], dirOf(v.g, v.comps[i]))
}

// commandShared reports whether three or more subcommands of one program
// run component i (graph.Component.Commands, where the program is a main
// package dispatching to one file per command): each command's service
// runs the binary with its command and links i. Two are not enough: a
// program with two commands is as often one application with two modes
// (serve and migrate) sharing its domain code. A target registered by
// name is no such service: dskit's modules compose (a querier target runs
// the querier, queryable and API modules), so code two modules run is
// not shared between services for that.
func (f *facts) commandShared(v *view, i int) bool {
	for prog, n := range commandCounts(v.comps[i].Commands) {
		if j, known := f.byName(v)[prog]; n > 2 && known && f.entry[j] {
			return true
		}
	}
	return false
}

// widelyLinked reports whether three or more of the scan's programs, and
// at least half of them, link component i (graph.Component.Programs),
// which serves no API of its own: the process infrastructure of a system
// shipping one binary per component (Vitess's servenv, stats, trace and
// grpcclient, linked by 33 to 43 of its programs). Each process holds its
// own copy of its state (hooks, metrics, the tracer) and does its I/O for
// its callers, so it is a library linked into each, I/O, state and
// handed callbacks included, as code three or more subcommands run is.
func (f *facts) widelyLinked(v *view, i int) bool {
	c := v.comps[i]
	if len(c.Programs) < 3 || len(c.Serves) > 0 || len(c.Commands) > 0 {
		return false // code a program's commands run is theirs to share (see commandShared)
	}
	if len(c.Runs) == 1 && !sharingPlace(dirOf(v.g, c)) {
		return false // one program runs it, however many link it (OpenIM's internal/msgtransfer)
	}
	if f.inCommandDomain(v, i) {
		return false // filed in a command's domain (Loki's pkg/distributor/shardstreams), which the tools linking the system's configuration link too
	}
	return 2*len(c.Programs) >= f.programCount(v)
}

// programCount counts the deployable programs linking the scan's
// components (graph.Component.Programs), once.
func (f *facts) programCount(v *view) int {
	if f.programs < 0 {
		all := map[string]bool{}
		for _, x := range v.comps {
			for _, id := range x.Programs {
				all[id] = true
			}
		}
		f.programs = len(all)
	}
	return f.programs
}

// dirIndex indexes the components by directory.
func (f *facts) dirIndex(v *view) map[string]int {
	if f.dirs == nil {
		f.dirs = map[string]int{}
		for j, c := range v.comps {
			f.dirs[dirOf(v.g, c)] = j
		}
	}
	return f.dirs
}

// byName indexes the components by name.
func (f *facts) byName(v *view) map[string]int {
	if f.names == nil {
		f.names = map[string]int{}
		for i, c := range v.comps {
			f.names[c.Name] = i
		}
	}
	return f.names
}

// commandPart reports whether component i is part of one command of a
// multi-command program (commandOf): only that command runs it, so it is
// that command's code, not shared, unless it is named like infrastructure
// or generated stubs, or is a client package (a logger only one command
// uses is still a logger; a service's client stays linked into its
// callers). Another library using it carries it along, as always.
func (f *facts) commandPart(v *view, i int) bool {
	dir := dirOf(v.g, v.comps[i])
	k := v.commandOf(i)
	if k == "" || stubDir(dir) || clientPkg(v, i) {
		return false
	}
	return !f.tree.infraNamed(f.domain[i], dir) || f.ownInfra(v, i, k)
}

// ownInfra reports whether component i, named like infrastructure, is the
// infrastructure of command k: its domain is not named so nor is it filed
// below such a name, and the package of the directory holding it runs
// under k alone too. Argo CD's controller/metrics and controller/cache are
// the controller's, as the controller package is; a cache package beside
// no package of the command (a vendored chunk/cache) is still a library.
func (f *facts) ownInfra(v *view, i int, k string) bool {
	dir := dirOf(v.g, v.comps[i])
	if f.domain[i] != dir && infraNames[path.Base(f.domain[i])] || f.tree.underInfra(dir) {
		return false
	}
	j, ok := f.dirIndex(v)[path.Dir(dir)]
	return ok && j != i && v.commandOf(j) == k
}

// namedService reports whether a directory's name says its authors made it
// a service (cartservice, payment-svc; a bare "service" directory is a
// layer, and "server" often names a shared helper, so neither counts):
// whatever its code looks like, it is not a library to link into others. Service Weaver components (cartservice, shippingservice) are
// plain Go, stateless and free of I/O, and would otherwise pass for
// libraries.
func namedService(dir string) bool {
	base := strings.ToLower(path.Base(dir))
	for _, suffix := range []string{"service", "svc"} {
		if t, ok := strings.CutSuffix(base, suffix); ok && strings.Trim(t, "-_") != "" {
			return true
		}
	}
	return false
}

// sharedCode reports whether component i is code its authors put in a
// shared container (see inShared) and that does no I/O: a library for any
// number of users, one today.
func (f *facts) sharedCode(v *view, i int) bool {
	c := v.comps[i]
	dir := dirOf(v.g, c)
	return (len(c.IO) == 0 || inSharedNamed(dir)) && (len(v.in[i]) > 0 || c.Unlinked) && f.tree.sharedApart && f.tree.inShared(f.domain[i], dir) || stubs(c, dir)
}

// hasDomainsApart reports whether some business code lives outside the
// shared containers: a service's package neither in one nor a main. When
// everything is under pkg/ (cmd/ beside pkg/ holding the whole system),
// pkg/ is where the system lives, not code put apart to be shared.
//
// Only code a program links and that is named for a part of the system
// counts: test suites and development tooling (Dapr's tests/), packages
// named like infrastructure (a top-level utils/), the programs' set-up
// under cmd/ (cmd/daprd/app, cmd/daprd/options) or in a program's own
// directory right below the root (Cilium's daemon/cmd, topProgramPart)
// and the API definitions every program shares (Kyverno's
// api/kyverno/v1, see apiTree) leave
// Dapr's pkg/, which holds its sidecar and every control-plane service,
// where the system lives.
func (f *facts) hasDomainsApart(v *view) bool {
	for i, c := range v.comps {
		dir := dirOf(v.g, c)
		if v.module(i) && !f.entry[i] && c.Language == "go" && !outside(v, i) && !f.tree.underShared(dir) &&
			!c.Unlinked && !f.tree.devTooling(dir) && !f.tree.infraNamed(f.domain[i], dir) && !f.tree.underCmd(dir) && !f.tree.apiTree(dir) && !f.topProgramPart(v, i) {
			return true
		}
	}
	return false
}

// apiTree reports whether dir lies below a top-level api/ or apis/
// directory: the resource types of a Kubernetes-style API, by group and
// version (api/kyverno/v1, apis/keda/v1alpha1), which every program of the
// system declares values of. A top-level api package itself (a shop's
// HTTP API) is no such tree.
func (t *tree) apiTree(dir string) bool {
	rel, _ := t.relative(dir)
	first, rest, ok := strings.Cut(rel, "/")
	return ok && rest != "" && (first == "api" || first == "apis")
}

// stubDir reports whether a directory holds generated RPC or message code:
// its name says so (stubName), or a directory above it is a container of
// generated code (Jaeger's proto-gen/storage_v1, thrift-gen/jaeger,
// gen/go/orders/v1).
func stubDir(dir string) bool {
	parts := strings.Split(strings.ToLower(dir), "/")
	if stubName(parts[len(parts)-1]) {
		return true
	}
	for _, e := range parts[:len(parts)-1] {
		if stubName(e) || strings.HasSuffix(e, "-gen") || strings.HasSuffix(e, "_gen") || e == "generated" || e == "protos" || e == "genproto" {
			return true
		}
	}
	return false
}

// stubName reports whether a directory's name is one generated RPC or
// message code goes by (inventorypb, proto, gen).
func stubName(base string) bool {
	return strings.HasSuffix(base, "pb") || strings.HasSuffix(base, "proto") || base == "gen" ||
		strings.HasSuffix(base, "connect") && base != "connect" // protoc-gen-connect-go: greetv1connect
}

// stubs reports whether a component is generated RPC or message code
// (inventorypb, services/geo/proto, api/gen, or any package whose files
// are all generated: Temporal's api/historyservice/v1): its clients call the
// service through it, so it is linked into each of them, however few,
// and wherever it lives: beside the service that implements it
// (services/geo/proto) as often as apart. Its only state is the
// bookkeeping of generated code.
func stubs(c *graph.Component, dir string) bool {
	base := strings.ToLower(path.Base(dir))
	if !stubDir(dir) && !strings.HasSuffix(base, "protos") && base != "generated" && !c.Generated {
		return false
	}
	for _, s := range c.MutableState {
		if !generatedState(s) {
			return false
		}
	}
	return true
}

// outside reports whether component i is a module package outside the
// analysed ones (patterns narrowed the scan), known only from the edges
// into it: like a dependency, it is linked into whatever calls it.
func outside(v *view, i int) bool {
	c := v.comps[i]
	return v.module(i) && c.Language == "go" && c.Files == 0 && len(c.Packages) == 0
}

// readOnly reports whether Go component i holds declarations only, as far
// as the graph knows: it does no I/O, keeps no mutable state, and nothing
// calls it or is called by it (calls from generated code are noise), so
// its users only read its types, constants and start-up configuration
// (a data model, a config package), and every process linking them gets
// its own copy.
func readOnly(v *view, i int) bool {
	c := v.comps[i]
	return c.Language == "go" && c.Role != graph.RoleEntrypoint && len(c.IO) == 0 && len(c.MutableState) == 0 &&
		len(v.in[i]) == 0 && len(v.out[i]) == 0 && v.hidden[i] == 0
}

// declarationsHome keeps a declarations-only package (see readOnly) in its
// domain directory when a planned part shares it, and it is not filed
// under a technical directory or in a shared container: a service's own
// configuration types (kratos' internal/conf) go with the service, while a
// data model in a domain of its own (Bank of Anthos' model) stays a
// library every user links. Nothing calls such a package, so only its
// place in the tree says whose it is.
func (f *facts) declarationsHome(v *view, pinned map[int]bool) {
	planned := map[string]bool{} // domain directories holding a planned part
	for j := range v.comps {
		if v.module(j) && !f.lib[j] && !f.entry[j] && !v.comps[j].Unlinked {
			planned[f.domain[j]] = true
		}
	}
	for i, c := range v.comps {
		dir := dirOf(v.g, c)
		if f.lib[i] && readOnly(v, i) && !outside(v, i) && !pinned[i] && !c.Unlinked && planned[f.domain[i]] &&
			!f.tree.underInfra(dir) && !(f.tree.sharedApart && f.tree.underShared(dir)) {
			f.lib[i] = false
		}
	}
}

// apiPart reports whether component i, of a domain holding a shared
// in-process API (apiKeys: see sharedAPIs), is a dependency of that
// domain's own packages: the API's implementation (pkg/ring/kv under
// pkg/ring), which goes wherever the API is linked, I/O included, and
// stays a library while a library uses it, whoever else does (Cortex's HA
// tracker uses the ring's key-value store directly, and links it).
func (f *facts) apiPart(v *view, i int, apiKeys map[string]bool) bool {
	if !apiKeys[f.key[i]] {
		return false
	}
	for _, e := range v.in[i] {
		if v.isDep(e) && f.key[v.index[e.From]] == f.key[i] {
			return true
		}
	}
	return false
}

// usedByLibrary reports whether a library depends on component i. A
// library calling only what its caller handed it (a hook, a watcher's
// handler: Argo CD's util/db calling back the controller's cache) does not:
// it runs that code in its caller's process (see view.binds).
func (f *facts) usedByLibrary(v *view, i int) bool {
	for _, e := range v.in[i] {
		if v.isDep(e) && !e.HandedOnly() && f.lib[v.index[e.From]] {
			return true
		}
	}
	return false
}

// plumbing reports whether component i is a package named like
// infrastructure (tracing, metrics, logging, or filed below such a
// directory) that only main packages use: the set-up of a program (a
// profiling endpoint, a tracing exporter, a version check) linked into
// each program that starts it, not a part to deploy on its own.
func (f *facts) plumbing(v *view, i int) bool {
	users := 0
	for _, e := range v.in[i] {
		if v.isDep(e) {
			if !f.entry[v.index[e.From]] {
				return false
			}
			users++
		}
	}
	return users > 0 && f.tree.infraNamed(f.domain[i], dirOf(v.g, v.comps[i]))
}

// infraOf reports whether component i is named like infrastructure and
// used by a part of another domain: a logger, a config parser, a metrics
// helper serves whoever uses it, one user or many, like any library.
func (f *facts) infraOf(v *view, i int) bool {
	return len(f.foreignDomains(v, i)) > 0 && (f.tree.infraNamed(f.domain[i], dirOf(v.g, v.comps[i])) || clientPkg(v, i))
}

// clientPkg reports whether component i is a service's client package
// (pkg/operator/client, pkg/ingester/client, commitserver/apiclient, the
// per-API clients below Argo CD's pkg/apiclient): named client, or filed
// in a directory so named, or whose every kind of I/O is calls the system
// serves itself (Katib's pkg/common/v1beta1, wrapping the DB manager's gRPC
// API for the UI and the controller: see callsSystemOnly), listening
// nowhere. Its I/O is the
// calls its users make to the service; each user links it, as it links
// generated stubs.
func clientPkg(v *view, i int) bool {
	if len(v.comps[i].Listens) > 0 {
		return false
	}
	for _, d := range strings.Split(dirOf(v.g, v.comps[i]), "/") {
		if strings.HasSuffix(d, "client") || strings.HasSuffix(d, "clients") {
			return true
		}
	}
	return callsSystemOnly(v, i)
}

// callsSystemOnly reports whether every kind of I/O component i does is an
// RPC or IPC mechanism by which it calls a part of the system (a link the
// linker matched to a served route, service or socket of the module), and
// code of programs no binary links together calls it. Code that calls
// another part for one program is that program's own (Mimir's querier
// worker pulling queries from the frontend, which tools link too but only
// the server's code calls).
func callsSystemOnly(v *view, i int) bool {
	io := v.comps[i].IO
	if len(io) == 0 || !callersApart(v, i) {
		return false
	}
	for _, kind := range io {
		if !slices.ContainsFunc(v.out[i], func(e *graph.Edge) bool {
			return (e.Kind == graph.KindRPC || e.Kind == graph.KindIPC) && e.Mechanism == kind && v.module(v.index[e.To])
		}) {
			return false
		}
	}
	return true
}

// callersApart reports whether two components calling component i are
// linked by disjoint sets of programs.
func callersApart(v *view, i int) bool {
	var callers []int
	for _, e := range v.in[i] {
		if j := v.index[e.From]; e.Kind == graph.KindCall && v.isDep(e) && len(v.comps[j].Programs) > 0 && !slices.Contains(callers, j) {
			callers = append(callers, j)
		}
	}
	_, _, ok := programsApart(v, callers)
	return ok
}

// programSupport reports whether dir is code the programs share: filed
// under cmd/ (the programs' directory) but below no main package's own
// directory (cmd/internal/flags, cmd/common/status). Like a program's
// set-up, it is linked into each program using it, whatever I/O it does
// for them (a status endpoint, flag files), not a part to deploy.
func (t *tree) programSupport(dir string) bool {
	if !slices.Contains(strings.Split(dir, "/"), "cmd") || t.main[dir] {
		return false
	}
	for m := range t.main {
		if strings.HasPrefix(dir, m+"/") {
			return false
		}
	}
	return true
}

// servesOrShares reports whether other components reach component i other
// than by calling it: through its package-level state or a link it serves.
// An RPC served through generated stubs (a package named like them:
// logproto, orderpb, or below proto-gen/) is served by whoever registers
// an implementation; the stubs are linked into every client and server
// alike.
func servesOrShares(v *view, i int) bool {
	stub := stubDir(dirOf(v.g, v.comps[i])) || v.comps[i].Generated
	for _, e := range v.in[i] {
		if e.Kind == graph.KindState || (e.Kind == graph.KindRPC || e.Kind == graph.KindIPC) && !infraProtocol(e) && !(stub && e.Kind == graph.KindRPC) {
			return true
		}
	}
	return false
}

// infraProtocol reports a link of a standard protocol every server speaks
// (gRPC health checking, reflection, channelz): the code serving it is a
// helper linked into each server, not a boundary of its own.
func infraProtocol(e *graph.Edge) bool {
	for _, p := range []string{"grpc.health.", "grpc.reflection.", "grpc.channelz."} {
		if strings.HasPrefix(e.Key, p) {
			return true
		}
	}
	return false
}

// leaf reports whether component i depends only on libraries. Calls of
// what i was handed (into a component i does not import) are no dependency
// on the callee's code.
func (f *facts) leaf(v *view, i int) bool {
	for _, e := range v.out[i] {
		if v.isDep(e) && !e.HandedOnly() && !f.lib[v.index[e.To]] && v.module(v.index[e.To]) {
			return false
		}
	}
	return true
}

// foreignDomains lists the domains, other than i's own, of the components
// depending on i.
func (f *facts) foreignDomains(v *view, i int) []string {
	seen := map[string]bool{}
	for _, e := range v.in[i] {
		j := v.index[e.From]
		if v.isDep(e) && f.key[j] != f.key[i] && !f.lib[j] {
			seen[f.domain[j]] = true
		}
	}
	out := sortedSet(seen)
	for k, d := range out {
		if d == "" {
			out[k] = "(root)"
		}
	}
	return out
}

// technical reports whether a package lives apart from any business
// domain: its directory is its own top-level domain named like
// infrastructure or generated stubs, or it sits in a shared container
// below the nearest root (the analysed root, or a program root: see
// programRoot), so that examples/hotrod/pkg/log is technical and
// examples/hotrod/services/driver is not.
func (t *tree) technical(domain, dir string) bool {
	if t.infraNamed(domain, dir) || stubDir(dir) {
		return true
	}
	return t.sharedApart && t.inShared(domain, dir)
}

// infraNamed reports whether a package's name, its domain's name or a
// directory above it names infrastructure (infraNames, underInfra).
func (t *tree) infraNamed(domain, dir string) bool {
	return infraNames[path.Base(dir)] || infraNames[path.Base(domain)] || t.underInfra(dir)
}

// underInfra reports whether dir lies below a directory named like
// infrastructure (pkg/util/users, pkg/storage/bucket), below the nearest
// root: what its authors filed under util/ or storage/ is no business
// domain, wherever the system itself lives.
func (t *tree) underInfra(dir string) bool {
	parts := strings.Split(dir, "/")
	for i := len(parts) - 2; i >= 0; i-- {
		d := strings.Join(parts[:i+1], "/")
		if t.above(d) || t.own[d] && t.programRoot(d) {
			return false
		}
		if infraNames[parts[i]] {
			return true
		}
	}
	return false
}

// inShared reports whether a package sits in a shared container (pkg/,
// libs/, common/…) below the nearest root, as its own domain: put there to
// be shared, whoever uses it today. Below a container whose name says
// shared code (lib/, libs/, shared/, common/), every package of such a
// domain is (VictoriaMetrics' lib/fs/fscore as much as lib/fs); pkg/ also
// holds systems' own parts (pkg/querier/worker), so there only the
// domain's own package is.
func (t *tree) inShared(domain, dir string) bool {
	if domain == dir {
		return t.underShared(dir)
	}
	return strings.HasPrefix(dir, domain+"/") && sharedNames[path.Base(path.Dir(domain))] && t.underShared(domain)
}

// inSharedNamed reports whether dir lies below a directory whose name says
// shared code (sharedNames): lib/, common/. What is filed there is shared
// whatever I/O it does, where pkg/ also holds systems' own parts.
func inSharedNamed(dir string) bool {
	return filedUnder(dir, sharedNames)
}

// filedUnder reports whether a directory above dir (dir itself aside)
// has one of names.
func filedUnder(dir string, names map[string]bool) bool {
	parts := strings.Split(dir, "/")
	return slices.ContainsFunc(parts[:len(parts)-1], func(e string) bool { return names[e] })
}

// sharingPlace reports whether a directory, or one above it, is named
// for code every program may link: pkg/, lib/, common/, util/….
func sharingPlace(dir string) bool {
	return slices.ContainsFunc(strings.Split(dir, "/"), func(e string) bool {
		return sharedNames[e] || utilNames[e] || e == "pkg" || e == "pkgs"
	})
}

// sharedNames name directories of code put apart to be shared; utilNames
// those of utilities.
var (
	sharedNames = set("lib", "libs", "shared", "common")
	utilNames   = set("util", "utils")
)

// underShared reports whether dir lies in a shared container below the
// nearest root.
func (t *tree) underShared(dir string) bool {
	parts := strings.Split(dir, "/")
	start := 0
	for i := range len(parts) - 1 {
		if d := strings.Join(parts[:i+1], "/"); t.above(d) || t.own[d] && t.programRoot(d) {
			start = i + 1
		}
	}
	for _, part := range parts[start:] {
		if alwaysContainers[part] && part != "cmd" && part != "examples" {
			return true
		}
	}
	return false
}
