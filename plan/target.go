package plan

import (
	"cmp"
	"fmt"
	"maps"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/podsplit/podsplit/graph"
)

// layout turns groups of components into deployable services: names them,
// splits each into containers (process-tied parts share one; a part tied to
// the rest only at pod tier becomes a sidecar), and fills in ports, health
// routes and governance concerns from the graph.
type layout struct {
	v    *view
	f    *facts
	tier map[[2]int]*verdict
	// near lists, for each component, the components it forms a pair with.
	near [][]int
	// concerns caches calledConcerns, which steps ask for again and again.
	concerns map[int][]string
}

func newLayout(v *view, f *facts, verdicts []*verdict) *layout {
	l := &layout{v: v, f: f, tier: map[[2]int]*verdict{}, near: make([][]int, len(v.comps)), concerns: map[int][]string{}}
	for _, vd := range verdicts {
		l.tier[[2]int{vd.a, vd.b}] = vd
		l.near[vd.a] = append(l.near[vd.a], vd.b)
		l.near[vd.b] = append(l.near[vd.b], vd.a)
	}
	return l
}

func toSet(members []int) map[int]bool {
	m := make(map[int]bool, len(members))
	for _, x := range members {
		m[x] = true
	}
	return m
}

func (l *layout) verdict(a, b int) *verdict { return l.tier[[2]int{min(a, b), max(a, b)}] }

// services builds one Service per group, named after the group's main
// domain (see name), sorted by name.
func (l *layout) services(groups [][]int) []Service {
	names := l.names(groups)
	out := make([]Service, 0, len(groups))
	for i, g := range groups {
		out = append(out, l.service(names[i], g))
	}
	slices.SortFunc(out, func(a, b Service) int { return cmp.Compare(a.Name, b.Name) })
	return out
}

// names gives every group a distinct DNS-label name: its main domain's
// name, else the domain's path, else a numbered name.
func (l *layout) names(groups [][]int) []string {
	out := make([]string, len(groups))
	used := map[string]bool{}
	for i, g := range groups {
		name := l.name(g)
		if used[name] {
			name = dnsLabel(strings.ReplaceAll(l.mainDomain(g), "/", "-"))
		}
		for n, base := 2, name; used[name]; n++ {
			name = base + "-" + strconv.Itoa(n)
		}
		used[name] = true
		out[i] = name
	}
	return out
}

// name is the name of the program a group runs, when its main package has
// a name of its own (cmd/shop → shop), else its main domain's name. Of
// several main packages, the group is named after the one whose directory
// holds most of the group's packages, when they are a quarter of it or
// more (cmd/collector with cmd/collector/app beside cmd/all-in-one; not
// go-ethereum's cmd/devp2p, whose three packages sit among 140 beside
// cmd/geth), then the one the repository is named after
// (cmd/containerd beside cmd/gen-manpages in containerd), then the one
// whose program runs most of the group (containerd's runc shim beside its
// stress tool), then the one with the most calls. A group without a main
// package that one command of a multi-command program runs alone
// (unitCommand) is named after that command (thanos query-frontend →
// query-frontend). A group whose main has packages of its own below it,
// but fewer than a quarter of the group, is named after its main domain:
// the program embeds code that is not its own.
func (l *layout) name(group []int) string {
	type rank struct {
		below    int
		namesake bool
		reach    int
		calls    float64
		own      int // the group's packages below the main's directory
	}
	better := func(a, b rank) bool {
		if a.below != b.below {
			return a.below > b.below
		}
		if a.namesake != b.namesake {
			return a.namesake
		}
		if a.reach != b.reach {
			return a.reach > b.reach
		}
		return a.calls > b.calls
	}
	members := map[int]bool{}
	for _, x := range group {
		members[x] = true
	}
	best, bestRank := -1, rank{}
	namesake := ProjectName(l.v.g.Module)
	runBy := l.programsRunning(group)
	for _, m := range group {
		if !l.f.entry[m] || runBy != nil && !runBy[l.v.comps[m].Name] {
			continue // another program's commands run the group: a tool calling into it names nothing
		}
		dir := dirOf(l.v.g, l.v.comps[m])
		r := rank{namesake: sameName(path.Base(dir), namesake) || dir == "" || dir == "."} // a main at the root is the repository's program
		for _, e := range l.v.out[m] {
			r.calls += weight(e)
		}
		for _, x := range group {
			if strings.HasPrefix(dirOf(l.v.g, l.v.comps[x]), dir+"/") {
				r.below++
			}
		}
		if r.own = r.below; 4*r.below < len(group) {
			r.below = 0 // a few packages of its own in a larger whole name nothing
		}
		for x := range l.v.dependencies([]int{m}) {
			if members[x] {
				r.reach++
			}
		}
		if best < 0 || better(r, bestRank) {
			best, bestRank = m, r
		}
	}
	if best < 0 {
		if k := unitCommand(l.v, group); k != "" {
			return dnsLabel(k[strings.LastIndex(k, " ")+1:])
		}
	}
	if best >= 0 && bestRank.own > 0 && 4*bestRank.own < len(group) && !bestRank.namesake {
		// A program whose own packages are a small part of the group
		// embeds the rest (vmalert-tool's test runner starting the
		// storage and the query engine): the rest names it.
		return dnsLabel(domainName(l.v.g.Module, mainDomain(l.v, l.f, group)))
	}
	if best >= 0 {
		dir := unversioned(dirOf(l.v.g, l.v.comps[best]))
		if dir == "" || dir == "." {
			return dnsLabel(namesake)
		}
		base := path.Base(dir)
		if owner := ownerName(dir); genericPrograms[base] && owner != "" {
			return dnsLabel(owner + "-" + base)
		}
		if base != "." && base != "" && !placeNames[base] && !roleNames[base] {
			return dnsLabel(base)
		}
	}
	domain := domainName(l.v.g.Module, mainDomain(l.v, l.f, group))
	if prog := l.registryRunning(group); prog >= 0 {
		// The command of the registry running the group that is named
		// like its domain names it as the deployment does: Loki's
		// pkg/pattern runs as pattern-ingester.
		if k := l.namesakeCommand(group, prog, domain, false); k != "" {
			return dnsLabel(k)
		}
	}
	if k := majorityCommand(l.v, group); k != "" {
		return dnsLabel(k[strings.LastIndex(k, " ")+1:])
	}
	return dnsLabel(domain)
}

// majorityCommand returns the command of a multi-command program that is
// the one command (see commandOf) of more than half of the group's
// members, or "": Loki's query frontend, whose packages the frontend
// target runs alone but for one it shares with a hidden module.
func majorityCommand(v *view, group []int) string {
	count := map[string]int{}
	for _, m := range group {
		if k := v.commandOf(m); k != "" {
			count[k]++
		}
	}
	for _, k := range slices.Sorted(maps.Keys(count)) {
		if 2*count[k] > len(group) {
			return k
		}
	}
	return ""
}

// programsRunning returns, when the commands a package registers by name
// run members of a group (graph.Component.Commands of a registry, which is
// no main package), those registries that are in the group too, with the
// mains importing them: Cortex's pkg/cortex, beside cmd/cortex. A main
// outside them (Loki's cmd/migrate, a migration tool linking the store
// that pkg/loki's querier and ingester commands run) does not name the
// group. It is nil when no registry's command runs the group; the
// commands of a main package (promtool's check and test beside
// cmd/prometheus) leave naming as it is.
func (l *layout) programsRunning(group []int) map[string]bool {
	var progs map[string]bool
	in := map[int]bool{}
	for _, m := range group {
		in[m] = true
	}
	for _, m := range group {
		for _, k := range l.v.comps[m].Commands {
			j, prog := l.registryOf(k)
			if j < 0 {
				continue
			}
			if progs == nil {
				progs = map[string]bool{}
			}
			if in[j] {
				progs[prog] = true
			}
		}
	}
	if progs != nil {
		for _, m := range group {
			if !l.f.entry[m] || progs[l.v.comps[m].Name] {
				continue
			}
			for _, id := range l.v.comps[m].Imports {
				if j, ok := l.v.index[id]; ok && progs[l.v.comps[j].Name] {
					progs[l.v.comps[m].Name] = true // the main starting that program (cmd/cortex importing pkg/cortex)
				}
			}
		}
	}
	return progs
}

// registryOf returns the package registering by name the command a label
// of graph.Component.Commands names ("pkg/cortex ingester"), with that
// package's name; -1 when the label names a main package's command or
// no command.
func (l *layout) registryOf(label string) (int, string) {
	prog, _, ok := strings.Cut(label, " ")
	if j, known := l.f.byName(l.v)[prog]; ok && known && !l.f.entry[j] {
		return j, prog
	}
	return -1, ""
}

// ProjectName is the last element of a module path that names the project,
// without a major version suffix: github.com/containerd/containerd/v2 →
// containerd.
func ProjectName(module string) string {
	base := path.Base(module)
	if dir := path.Dir(module); dir != "." && graph.IsVersion(base) {
		return path.Base(dir)
	}
	return base
}

// genericPrograms name what kind of program a main package is rather than
// what it is for: app/order/cmd/api and app/payment/cmd/api (go-zero's
// layout) are order-api and payment-api.
// (A role name, server or worker, already gives way to the domain's name.)
var genericPrograms = set("api", "app", "consumer", "cron", "grpc", "http", "job", "main", "mq", "rest", "rpc", "web")

// ownerName is the nearest directory above dir whose name says what it is
// for, skipping containers, layers and generic program names; "" when
// there is none below the root.
func ownerName(dir string) string {
	for d := path.Dir(dir); d != "." && d != "/" && d != ""; d = path.Dir(d) {
		if b := path.Base(d); !alwaysContainers[b] && !placeNames[b] && !layerNames[b] && !genericPrograms[b] {
			return b
		}
	}
	return ""
}

// mainDomain is the domain of a group with the most coupling to the rest
// of the system (libraries aside): the part the others were merged around,
// or that an engineer would name the service after; a domain in a shared
// container only when the group has no other. On a tie, the domain
// holding the most components (main packages count only when nothing else
// is there), then the smallest path.
func (l *layout) mainDomain(group []int) string { return mainDomain(l.v, l.f, group) }

func mainDomain(v *view, f *facts, group []int) string {
	count := map[string]int{}
	for _, m := range group {
		if !f.entry[m] {
			count[f.domain[m]]++
		}
	}
	if len(count) == 0 {
		for _, m := range group {
			count[f.domain[m]]++
		}
	}
	degree := map[string]float64{}
	for _, m := range group {
		for _, edges := range [][]*graph.Edge{v.out[m], v.in[m]} {
			for _, e := range edges {
				if o := v.index[e.From] + v.index[e.To] - m; !f.lib[o] && f.domain[o] != f.domain[m] {
					degree[f.domain[m]] += weight(e)
				}
			}
		}
	}
	doms := make([]string, 0, len(count))
	for d := range count {
		doms = append(doms, d)
	}
	// Code put apart to be shared (lib/promscrape) names no service that
	// holds a part of the system's own (app/vminsert).
	shared := func(d string) int {
		if f.tree.sharedApart && f.tree.inShared(d, d) {
			return 1
		}
		return 0
	}
	slices.SortFunc(doms, func(a, b string) int {
		return cmp.Or(cmp.Compare(shared(a), shared(b)), -cmp.Compare(degree[a], degree[b]), -cmp.Compare(count[a], count[b]), cmp.Compare(a, b))
	})
	return doms[0]
}

// dnsLabel makes a Kubernetes-valid name: lower case, [a-z0-9-], at most 63.
func dnsLabel(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	out := strings.Trim(b.String(), "-")
	if len(out) > 63 {
		out = strings.Trim(out[:63], "-")
	}
	if out == "" {
		out = "svc"
	}
	return out
}

// service lays out one group: containers, ports, health, governance.
func (l *layout) service(name string, group []int) Service {
	s := l.serviceInfo(name, group)
	s.Containers = l.containers(name, group)
	return s
}

// serviceInfo fills a service's ports, health route and governance
// concerns from its components, leaving the containers to the caller.
func (l *layout) serviceInfo(name string, group []int) Service {
	s := Service{Name: name}
	gov := map[string]bool{}
	ports := map[int]bool{}
	for _, m := range group {
		c := l.v.comps[m]
		for _, g := range c.Governance {
			gov[g] = true
		}
		for _, g := range l.calledConcerns(m) {
			gov[g] = true
		}
		for _, ln := range c.Listens {
			if port, ok := strings.CutPrefix(ln, "tcp:"); ok {
				if n, err := strconv.Atoi(port[strings.LastIndexByte(port, ':')+1:]); err == nil {
					ports[n] = true
				}
			}
		}
		if s.Health == "" {
			s.Health = c.Health
		}
	}
	s.Governance = sortedSet(gov)
	for p := range ports {
		s.Ports = append(s.Ports, p)
	}
	slices.Sort(s.Ports)
	return s
}

// calledConcerns lists the concerns of the governance libraries that
// component m calls into: those a function it calls is named after
// (middleware.RateLimit is rate limiting, middleware.Retry retrying).
func (l *layout) calledConcerns(m int) []string {
	if out, ok := l.concerns[m]; ok {
		return out
	}
	var out []string
	defer func() { l.concerns[m] = out }()
	for _, e := range l.v.out[m] {
		to := l.v.comps[l.v.index[e.To]]
		if to.Role != graph.RoleGovernance || !l.v.isDep(e) {
			continue
		}
		for _, g := range to.Governance {
			if slices.ContainsFunc(e.Callees, func(c graph.Callee) bool { return namesConcern(c.Func, g) }) {
				out = append(out, g)
			}
		}
	}
	return out
}

// concernWords are the words a function implementing a concern is named with.
var concernWords = map[string][]string{
	"retry": {"retry", "backoff"}, "circuit-breaker": {"breaker"}, "rate-limit": {"ratelimit", "limiter", "throttle"},
	"auth": {"auth", "token"}, "logging": {"logging", "logger"}, "metrics": {"metric", "prometheus"},
	"tracing": {"trace", "tracing", "span"}, "timeout": {"timeout", "deadline"},
}

func namesConcern(fn, concern string) bool {
	_, name, _ := strings.Cut(strings.ToLower(fn), ".")
	for _, w := range concernWords[concern] {
		if strings.Contains(name, w) {
			return true
		}
	}
	return false
}

// containers splits a group into the containers of one Pod. Components
// linked by anything but a pod-tier pair (a call, shared state) run in one
// process and so share a container; a set of them that reaches the rest only
// through pod-tier pairs (local IPC, heavy traffic) is a sidecar. The main
// container is the set the service's primary main package calls most (else
// the largest); sets with no tie at all join it. Each main package goes into
// the container whose code it calls most, as that container's program.
func (l *layout) containers(service string, group []int) []Container {
	var code, entries []int
	for _, m := range group {
		if l.f.entry[m] {
			entries = append(entries, m)
		} else {
			code = append(code, m)
		}
	}
	if len(code) == 0 {
		return []Container{l.container(service, group, group, false)}
	}
	sets := l.processSets(code)
	main := l.mainSet(sets, entries)
	kept := [][]int{slices.Clone(sets[main])} // kept[0] is the main container
	for i, set := range sets {
		switch {
		case i == main:
		case l.podTied(set, group):
			kept = append(kept, slices.Clone(set))
		default:
			kept[0] = append(kept[0], set...)
		}
	}
	setOf := setIndex(kept)
	for _, e := range entries {
		k, _ := l.calls(e, setOf, len(kept))
		kept[k] = append(kept[k], e)
	}
	out := make([]Container, 0, len(kept))
	used := map[string]bool{service: true}
	for i, set := range kept {
		slices.Sort(set)
		name := service
		if i > 0 {
			name = l.name(set)
			for n := 2; used[name]; n++ {
				name = l.name(set) + "-" + strconv.Itoa(n)
			}
			used[name] = true
		}
		out = append(out, l.container(name, set, group, i > 0))
	}
	return out
}

// mainSet picks the set the primary main package (the one wiring most)
// calls most, or else the largest set.
func (l *layout) mainSet(sets [][]int, entries []int) int {
	primary, most := -1, 0.0
	for _, e := range entries {
		w := 0.0
		for _, edge := range l.v.out[e] {
			w += weight(edge)
		}
		if primary < 0 || w > most {
			primary, most = e, w
		}
	}
	best := 0
	for i, set := range sets {
		if len(set) > len(sets[best]) {
			best = i
		}
	}
	if primary >= 0 {
		if k, w := l.calls(primary, setIndex(sets), len(sets)); w > 0 {
			best = k
		}
	}
	return best
}

// setIndex maps each member of the sets to the index of its set.
func setIndex(sets [][]int) map[int]int {
	of := map[int]int{}
	for i, set := range sets {
		for _, m := range set {
			of[m] = i
		}
	}
	return of
}

// calls returns the set a main package calls most (the first on a tie, so
// the main container by default) and the weight of those calls.
func (l *layout) calls(entry int, setOf map[int]int, n int) (int, float64) {
	w := make([]float64, n)
	for _, e := range l.v.out[entry] {
		if i, ok := setOf[l.v.index[e.To]]; ok {
			w[i] += weight(e)
		}
	}
	best := 0
	for i := range w {
		if w[i] > w[best] {
			best = i
		}
	}
	return best, w[best]
}

// processSets groups a service's components into the sets that must run in
// one process: those linked by any pair that is not pod tier.
func (l *layout) processSets(group []int) [][]int {
	in := toSet(group)
	parent := map[int]int{}
	find := func(i int) int {
		for parent[i] != i {
			i = parent[i]
		}
		return i
	}
	for _, m := range group {
		parent[m] = m
	}
	for _, a := range group {
		for _, b := range l.near[a] {
			if in[b] && l.verdict(a, b).Tier != TierPod {
				ra, rb := find(a), find(b)
				parent[max(ra, rb)] = min(ra, rb)
			}
		}
	}
	byRoot := map[int][]int{}
	for _, m := range group {
		byRoot[find(m)] = append(byRoot[find(m)], m)
	}
	var out [][]int
	for _, r := range sortedKeys(byRoot) {
		out = append(out, byRoot[r])
	}
	return out
}

// podTied reports whether a set must share a Pod with another component of
// its group (a pair that is process-tier would be in the same set).
func (l *layout) podTied(set, group []int) bool {
	in, own := toSet(group), toSet(set)
	for _, a := range set {
		for _, b := range l.near[a] {
			if in[b] && !own[b] && bindsTogether(l.verdict(a, b)) {
				return true
			}
		}
	}
	return false
}

func (l *layout) container(name string, set, group []int, sidecar bool) Container {
	c := Container{Name: name, Sidecar: sidecar}
	in, own := toSet(group), toSet(set)
	runBy := l.programsRunning(group)
	langs := map[string]bool{}
	links := map[string]bool{}
	for _, m := range set {
		comp := l.v.comps[m]
		c.Components = append(c.Components, comp.ID)
		if comp.Language != "" {
			langs[comp.Language] = true
		}
		if l.f.entry[m] && c.Main == "" && (runBy == nil || runBy[comp.Name]) {
			c.Main = comp.ID // not a tool main inside code a registry's commands run
		}
		for _, other := range l.near[m] {
			if !in[other] || own[other] || l.verdict(m, other).Tier != TierPod {
				continue
			}
			for _, link := range podLinks(l.v, m, other) {
				links[link] = true
			}
		}
	}
	slices.Sort(c.Components)
	if len(langs) == 1 {
		c.Language = sortedSet(langs)[0]
	}
	c.Links = sortedSet(links)
	if c.Main == "" {
		if prog, cmd := commandProgram(l.v, set); prog >= 0 {
			c.Command, c.CommandOf = cmd, l.v.id(prog)
			c.Main = l.programMain(prog)
		} else if prog := l.registryRunning(set); prog >= 0 {
			// Several of a registry's commands run the set (Loki's
			// querier, ingester and gateways in one unit): the main
			// starting that registry runs them, with the command the
			// container is named after when there is one (Cortex's
			// ingester, which the querier and ruler run too), else all.
			c.Main = l.programMain(prog)
			if k := l.namesakeCommand(set, prog, name, true); k != "" {
				c.Command, c.CommandOf = k, l.v.id(prog)
			}
		}
	}
	return c
}

// namesakeCommand returns the command of program prog running members of
// set that is named like name, else, when ending is set, one whose last
// words are name (query-scheduler for a scheduler), or "".
func (l *layout) namesakeCommand(set []int, prog int, name string, ending bool) string {
	prefix := l.v.comps[prog].Name + " "
	likes := []func(cmd string) bool{func(cmd string) bool { return sameName(cmd, name) }}
	if ending {
		likes = append(likes, func(cmd string) bool { return strings.HasSuffix(cmd, "-"+name) })
	}
	for _, like := range likes {
		for _, m := range set {
			for _, k := range l.v.comps[m].Commands {
				if cmd, ok := strings.CutPrefix(k, prefix); ok && like(cmd) {
					return cmd
				}
			}
		}
	}
	return ""
}

// registryRunning returns the package registering by name the commands
// that run most members of a set (graph.Component.Commands of a registry,
// no main package), or -1.
func (l *layout) registryRunning(set []int) int {
	count := map[string]int{}
	for _, m := range set {
		seen := map[string]bool{}
		for _, k := range l.v.comps[m].Commands {
			if j, prog := l.registryOf(k); j >= 0 && !seen[prog] {
				seen[prog] = true
				count[prog]++
			}
		}
	}
	best := ""
	for _, prog := range slices.Sorted(maps.Keys(count)) {
		if best == "" || count[prog] > count[best] {
			best = prog
		}
	}
	if best == "" {
		return -1
	}
	return l.f.byName(l.v)[best]
}

// commandProgram returns the component dispatching or registering the one
// command whose code members are (unitCommand), and the command's name;
// -1 when there is none.
func commandProgram(v *view, members []int) (int, string) {
	k := unitCommand(v, members)
	if k == "" {
		return -1, ""
	}
	prog, name, _ := strings.Cut(k, " ")
	for i, c := range v.comps {
		if c.Name == prog {
			return i, name
		}
	}
	return -1, ""
}

// programMain returns the main package running a program's commands: the
// program itself when it is one, else the first main package importing
// it (cmd/cortex for pkg/cortex's registered targets).
func (l *layout) programMain(prog int) string {
	if l.f.entry[prog] {
		return l.v.id(prog)
	}
	for i, c := range l.v.comps {
		if l.f.entry[i] && slices.Contains(c.Imports, l.v.id(prog)) {
			return c.ID
		}
	}
	return ""
}

// podLinks names the local links between two components: the IPC and file
// links they already have, or a localhost link to be made.
func podLinks(v *view, a, b int) []string {
	var out []string
	for _, e := range v.out[a] {
		if v.index[e.To] == b && (e.Kind == graph.KindIPC || e.Kind == graph.KindData && e.Mechanism == "file") {
			out = append(out, e.Mechanism+":"+e.Key)
		}
	}
	for _, e := range v.in[a] {
		if v.index[e.From] == b && (e.Kind == graph.KindIPC || e.Kind == graph.KindData && e.Mechanism == "file") {
			out = append(out, e.Mechanism+":"+e.Key)
		}
	}
	if len(out) == 0 {
		out = append(out, fmt.Sprintf("tcp:127.0.0.1 (new, to %s)", path.Base(v.id(b))))
	}
	return out
}
