package plan

import (
	"cmp"
	"fmt"
	"path"
	"slices"
	"strings"
	"unicode"

	"github.com/podsplit/podsplit/graph"
)

// cluster groups the planned components into units, in this order:
//
//  1. the package tree: components of one domain form one unit, and a
//     program in a directory of cmd/ keeps the packages below it;
//  2. what must stay together: configured sets, call cycles, and pairs
//     whose tier is process or pod (pod pairs share a Pod, as sidecars);
//     then the units that one command of a multi-command program runs,
//     and no other (graph.Component.Commands), form one unit;
//  3. ownership: a unit reached only through one other unit, with no
//     boundary of its own, joins it, unless that owner is a hub;
//  4. a unit with no boundary and several owners is no service either: it
//     joins the neighbour whose merge gains the most weighted modularity
//     (the tie-break), never a hub;
//  5. a unit on top whose calls mostly (60% or more) go to one larger unit
//     is that unit's front door and joins it, unless it holds a main
//     package (a program); hubs spreading calls stay;
//  6. entrypoints join the unit they are named after or mostly wire, or the
//     hub they serve, or else stand alone;
//  7. a unit of computation only (no state, no I/O, no link, depending on
//     no other unit) joins the unit using it most: it has nothing to run
//     apart; a unit coupled to no other unit at all, with no main package,
//     is set aside with the libraries;
//  8. with Options.Services, weighted modularity merges or splits units
//     until their number is reached.
//
// Pairs configured apart are never merged; a merge they forbid is reported.
func cluster(v *view, f *facts, verdicts []*verdict, opts Options, cycles [][]int) *partition {
	p := newPartition(v, f)
	p.pinApart(opts.Apart)
	p.mergeDomains()
	p.mergePrograms()
	p.mergeTogether(opts.Together)
	p.mergeCycles(cycles)
	p.mergeTight(verdicts)
	p.mergeCommands()
	p.absorbOwned()
	p.placeOrphans(opts.Resolution)
	p.attachHubs()
	p.attachEntrypoints()
	p.joinWired()
	p.placeComputation()
	p.setAsideIsolated()
	p.setAsideDispatchers()
	p.placeUnlinked()
	p.adoptLibraries()
	if opts.Services > 0 {
		p.fitCount(opts.Services, opts)
	}
	return p
}

// placeComputation joins every unit that is computation only to the unit
// using it most. Such a unit depends on no other unit, and none of its
// members keeps package-level state, serves a link, does I/O (of its own
// or through the libraries it links), is a main package, sits in a
// directory named a service, or is configured apart: a hash function, a
// codec, a helper of one program. Whatever interface it offers, it has nothing to run apart
// (no data, no failure or scaling of its own), so a network hop to it
// would buy nothing; each call would only cost a round trip. Code no
// program links is left to placeUnlinked.
func (p *partition) placeComputation() {
	ug := p.graph()
	apart := p.pinnedApart()
	for u, members := range ug.units {
		if len(ug.deps[u]) > 0 || slices.ContainsFunc(members, func(m int) bool {
			c := p.v.comps[m]
			return p.f.entry[m] || p.f.boundary[m] != "" || ownsState(p.v, m) || len(c.IO) > 0 || apart[m] || c.Unlinked || namedService(dirOf(p.v.g, c)) || p.libraryIO(m)
		}) {
			continue
		}
		best := -1
		for _, x := range ug.preds(u) {
			if best < 0 || ug.w[u][x] > ug.w[u][best] || ug.w[u][x] == ug.w[u][best] && p.codeSize(ug.units[x]) > p.codeSize(ug.units[best]) {
				best = x
			}
		}
		if best >= 0 {
			p.join(ug.units[best][0], members[0], fmt.Sprintf("%s joins %s, which uses it most: computation only (no state, no I/O, no link served), nothing to run apart",
				ug.name(p, u), ug.name(p, best)))
		}
	}
}

// setAsideIsolated sets aside, with the libraries, every unit coupled to
// no other unit at all (no call, state, link or data either way) and
// holding no main package, when the scan holds main packages. A program
// imports such code (code none imports is unlinked, left to
// placeUnlinked) and calls none of it: it is linked for what its init
// registers (a gRPC codec, a database driver, a plugin), and a service of
// it would call nothing and be called by nothing. A unit configured apart
// or in a directory named a service stays. Without main packages nothing
// says the code is unreachable: it stays.
func (p *partition) setAsideIsolated() {
	if !slices.Contains(p.f.entry, true) {
		return
	}
	ug := p.graph()
	apart := p.pinnedApart()
	for u, members := range ug.units {
		if len(ug.w[u]) > 0 || slices.ContainsFunc(members, func(m int) bool {
			c := p.v.comps[m]
			return p.f.entry[m] || apart[m] || c.Unlinked || namedService(dirOf(p.v.g, c))
		}) {
			continue
		}
		p.setAside(members, "coupled to no part of the plan: linked where it is imported (what its init registers), or unused")
	}
}

// setAsideDispatchers sets aside, with the libraries, every unit made only
// of main packages, and the packages holding their commands
// (graph.Component.CommandsOf), whose calls all go to the units its
// program's commands run: a multi-call binary's main (Argo CD's cmd, which
// picks the command by the name it runs under) runs nothing of its own,
// nor does HotROD's main with its cobra cmd/ package, and each command's
// service already runs it with its command. A service of it alone would
// deploy a program that does nothing but dispatch.
func (p *partition) setAsideDispatchers() {
	ug := p.graph()
	for u, members := range ug.units {
		if len(ug.deps[u]) == 0 {
			continue
		}
		names := map[string]bool{}
		for _, m := range members {
			if p.f.entry[m] {
				names[p.v.comps[m].Name] = true
			}
		}
		if slices.ContainsFunc(members, func(m int) bool { return !p.f.entry[m] && !names[p.v.comps[m].CommandsOf] }) {
			continue
		}
		if slices.ContainsFunc(sortedKeys(ug.deps[u]), func(x int) bool {
			prog, _, ok := strings.Cut(unitCommand(p.v, ug.units[x]), " ")
			return !ok || !names[prog]
		}) {
			continue
		}
		p.setAside(members, "the program every command's service runs with its command: it dispatches to them and runs nothing of its own")
	}
}

// setAside takes a unit's members out of the plan, with the libraries,
// saying why.
func (p *partition) setAside(members []int, why string) {
	for _, m := range members {
		p.in[m] = false
		p.f.lib[m] = true
		p.f.libWhy[m] = why
	}
}

// pinnedApart returns the components a pair configured apart names.
func (p *partition) pinnedApart() map[int]bool {
	apart := map[int]bool{}
	for k := range p.apart {
		apart[k[0]], apart[k[1]] = true, true
	}
	return apart
}

// libraryIO reports whether a library component i depends on, directly or
// through other libraries, does I/O: its user then does that I/O too.
func (p *partition) libraryIO(i int) bool {
	seen := map[int]bool{}
	var visit func(i int) bool
	visit = func(i int) bool {
		for _, e := range p.v.out[i] {
			j, ok := p.v.index[e.To]
			if !ok || seen[j] || !p.v.isDep(e) || !p.f.lib[j] {
				continue
			}
			seen[j] = true
			if len(p.v.comps[j].IO) > 0 || visit(j) {
				return true
			}
		}
		return false
	}
	return visit(i)
}

// placeUnlinked decides where the units made only of code no program links
// (graph.Component.Unlinked) go. Their calls never run beside the others,
// so nothing so far placed them by coupling (see newView); only a domain
// shared with linked code did. Such a unit sitting beside a unit of linked
// code (a member in the same directory as one of that unit's, or directly
// below it: a service's own test helpers, code it no longer uses; the
// children of the root or of a directory named a container, cmd/, pkg/…,
// are unrelated) belongs to that unit's codebase and joins it, the one its
// code calls most when there are several. Any other (test support apart,
// an end-to-end suite) is never deployed: it is set aside with the
// libraries.
func (p *partition) placeUnlinked() {
	ug := p.graph()
	unlinked := make([]bool, len(ug.units))
	near := make([]map[int]bool, len(ug.units)) // directories of an unlinked unit's members
	dirs := map[string]map[int]bool{}           // directory → linked units with a member there
	for u, members := range ug.units {
		unlinked[u] = !slices.ContainsFunc(members, func(m int) bool { return !p.v.comps[m].Unlinked })
		for _, m := range members {
			if d := dirOf(p.v.g, p.v.comps[m]); !unlinked[u] {
				if dirs[d] == nil {
					dirs[d] = map[int]bool{}
				}
				dirs[d][u] = true
			}
		}
	}
	for u, members := range ug.units {
		if !unlinked[u] {
			continue
		}
		near[u] = map[int]bool{}
		for _, m := range members {
			parent := path.Dir(dirOf(p.v.g, p.v.comps[m]))
			if parent == "." || p.f.tree.above(parent) || alwaysContainers[path.Base(parent)] || path.Base(parent) == "internal" {
				continue // children of a root or of cmd/, pkg/, internal/… are unrelated parts
			}
			for dir, units := range dirs {
				if dir == parent || path.Dir(dir) == parent {
					for x := range units {
						near[u][x] = true
					}
				}
			}
		}
	}
	calls := make([]map[int]float64, len(ug.units)) // unlinked unit → linked unit → weight of its calls there
	for _, e := range p.v.g.Edges {
		from, okf := p.v.index[e.From]
		to, okt := p.v.index[e.To]
		if !okf || !okt {
			continue
		}
		if uf, ut := ug.of[from], ug.of[to]; uf >= 0 && ut >= 0 && unlinked[uf] && near[uf][ut] {
			if calls[uf] == nil {
				calls[uf] = map[int]float64{}
			}
			calls[uf][ut] += weight(e)
		}
	}
	for u, members := range ug.units {
		if !unlinked[u] {
			continue
		}
		if !slices.ContainsFunc(members, func(m int) bool { return !p.f.tree.devTooling(dirOf(p.v.g, p.v.comps[m])) }) {
			near[u] = nil // development tooling joins no part of the system
		}
		best, most := -1, -1.0
		for _, x := range sortedKeys(near[u]) {
			if w := calls[u][x]; w > most {
				best, most = x, w
			}
		}
		if best >= 0 {
			p.join(ug.units[best][0], members[0], "")
			continue
		}
		p.setAside(members, "linked into no program of the scan a deployment runs: test support, development tooling (hack/, examples/, test/…), or code no binary uses")
	}
}

func (p *partition) pinApart(apart [][]string) {
	for _, pair := range apart {
		if len(pair) != 2 {
			continue
		}
		for _, a := range resolve(p.v.g, pair[0]) {
			for _, b := range resolve(p.v.g, pair[1]) {
				ia, ib := p.v.index[a], p.v.index[b]
				if ia != ib {
					p.apart[[2]int{min(ia, ib), max(ia, ib)}] = true
				}
			}
		}
	}
}

func (p *partition) mergeDomains() {
	first := map[string]int{}
	commands := map[string]map[string]bool{} // domain → the commands owning some of its members
	programs := map[string]map[int]bool{}    // domain → the programs filed in it (programParts)
	for i, m := range p.f.filed {
		if programs[p.f.key[i]] == nil {
			programs[p.f.key[i]] = map[int]bool{}
		}
		programs[p.f.key[i]][m] = true
	}
	for i := range p.v.comps {
		if k := p.v.commandOf(i); k != "" && p.in[i] {
			if commands[p.f.key[i]] == nil {
				commands[p.f.key[i]] = map[string]bool{}
			}
			commands[p.f.key[i]][k] = true
		}
	}
	for i, c := range p.v.comps {
		if !p.in[i] || c.Unlinked && p.f.tree.devTooling(dirOf(p.v.g, c)) {
			continue // development tooling is no part of its neighbours' domain (placeUnlinked)
		}
		d := p.f.key[i]
		if _, ok := p.f.filed[i]; ok && len(programs[d]) > 1 {
			// Two programs filed in one domain (Istio's pilot/cmd/pilot-agent
			// and pilot/cmd/pilot-discovery) are two processes: each keeps
			// its own parts (mergePrograms), and its main is placed by what
			// it runs (attachEntrypoints).
			continue
		}
		if k := p.v.commandOf(i); k != "" && len(commands[d]) > 1 && !sameName(k[strings.LastIndex(k, " ")+1:], path.Base(d)) {
			// Two commands' code shares no domain (mergeCommands); the
			// domain named after one of them is that one's home.
			d += "\x00" + k
		}
		if j, ok := first[d]; ok {
			p.merge(i, j, "")
		} else {
			first[d] = i
		}
	}
}

// mergePrograms keeps a program's own code with it: the packages below the
// directory of a main package in cmd/ or app/ (cmd/collector/app/…;
// cmd/influx_inspect/buildtsi, a subcommand; see programParts) are its
// parts, however much I/O each does, even when another program links them
// too (an all-in-one binary composing the others): the project filed them
// there as that program's.
func (p *partition) mergePrograms() {
	for _, i := range sortedKeys(p.f.filed) {
		if m := p.f.filed[i]; m != i && p.in[i] && p.in[m] {
			p.join(m, i, fmt.Sprintf("%s joins %s: part of that program, in its directory", p.v.name(i), p.v.name(m)))
		}
	}
}

// mergeCommands merges the units that belong to one command of a
// multi-command program: every member a command of the scan reaches is
// reached by that command alone (graph.Component.Commands). A binary with
// a subcommand per service (thanos query|store|receive) runs each
// service's code under its own command, so what one command alone runs is
// that service's, wherever the project filed it.
func (p *partition) mergeCommands() {
	first := map[string]int{}
	ug := p.graph()
	for _, members := range ug.units {
		k := unitCommand(p.v, members)
		if k == "" {
			continue
		}
		if j, ok := first[k]; ok {
			p.join(j, members[0], fmt.Sprintf("%s joins %s: only command %q runs both", p.v.name(members[0]), p.v.name(j), k))
		} else {
			first[k] = members[0]
		}
	}
}

// unitCommand returns the command of a multi-command program that runs
// every member of a unit a command reaches, and no other command does; ""
// when there is none.
func unitCommand(v *view, members []int) string {
	k := ""
	for _, m := range members {
		if len(v.comps[m].Commands) == 0 {
			continue
		}
		x := v.commandOf(m)
		if x == "" || k != "" && x != k {
			return ""
		}
		k = x
	}
	return k
}

// commandOf returns the one command of a multi-command program that reaches
// component i, or "" when there is none: a program reaching it through
// several of its commands, or through its start-up, shares it among them;
// another program linking it (a tool, another binary) does not make it
// less that command's, unless that program's single command reaches it
// too. A command that runs what another runs (see containing) does not
// share the other's code: Argo CD's argocd CLI runs the API server
// in process (argocd --core), and the server's code is argocd-server's.
func (v *view) commandOf(i int) string {
	c := v.comps[i]
	byProgram := map[string][]string{}
	var programs []string
	for _, k := range c.Commands {
		prog, _, _ := strings.Cut(k, " ")
		if _, ok := byProgram[prog]; !ok {
			programs = append(programs, prog)
		}
		byProgram[prog] = append(byProgram[prog], k)
	}
	var found []string
	for _, prog := range programs {
		ks := byProgram[prog]
		if len(ks) > 1 {
			ks = namesakeCommand(c, ks)
		}
		if len(ks) > 1 {
			ks = v.innermost(ks)
		}
		if len(ks) != 1 || !strings.Contains(ks[0], " ") {
			continue
		}
		found = append(found, ks[0])
	}
	if len(found) > 1 {
		// Commands of two programs: the one the package is named after
		// (Mimir's pkg/distributor, which mimirtool's runtimeconfig
		// command links to validate limits, is the distributor's).
		found = namesakeCommand(c, found)
	}
	if len(found) != 1 {
		return ""
	}
	return found[0]
}

// namesakeCommand returns, of several commands of one program reaching a
// component, the one the component's package is named after, alone
// (Thanos's pkg/api/query, which the ruler runs too, is the query
// command's); or ks as they are, when the program's start-up reaches it
// too or no command or several are its namesake.
func namesakeCommand(c *graph.Component, ks []string) []string {
	base := normName(path.Base(c.Name))
	var match []string
	for _, k := range ks {
		_, cmd, ok := strings.Cut(k, " ")
		if !ok {
			return ks
		}
		if normName(cmd) == base {
			match = append(match, k)
		}
	}
	if len(match) > 1 {
		// dskit registers a distributor and a distributor-service:
		// the package is the one its name spells out in full.
		match = slices.DeleteFunc(match, func(k string) bool {
			_, cmd, _ := strings.Cut(k, " ")
			return letters(cmd) != letters(path.Base(c.Name))
		})
	}
	if len(match) == 1 {
		return match
	}
	return ks
}

// letters lowers s and keeps its letters and digits: "query-frontend",
// "query_frontend" and "queryfrontend" spell the same name.
func letters(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, s)
}

// innermost returns, of several commands of one program reaching a
// component, the one every other contains (see containing), alone; or ks
// as they are.
func (v *view) innermost(ks []string) []string {
	contains := v.containing()
	for _, a := range ks {
		all := strings.Contains(a, " ")
		for _, b := range ks {
			if all && b != a && !contains[b][a] {
				all = false
			}
		}
		if all {
			return []string{a}
		}
	}
	return ks
}

// containment is how much of what a command runs another must run too
// to contain it.
const containment = 0.85

// containing returns, per command of a multi-command program, the other
// commands of that program it contains: it reaches at least
// containment of the components each of them reaches, and more
// components in all. Such a command composes the others (an all-in-one
// mode, a CLI running a server in process): it runs their code, which
// stays theirs.
func (v *view) containing() map[string]map[string]bool {
	if v.contains != nil {
		return v.contains
	}
	reach := map[string]map[int]bool{}
	for i, c := range v.comps {
		for _, k := range c.Commands {
			if strings.Contains(k, " ") {
				if reach[k] == nil {
					reach[k] = map[int]bool{}
				}
				reach[k][i] = true
			}
		}
	}
	v.contains = map[string]map[string]bool{}
	for b, rb := range reach {
		progB, _, _ := strings.Cut(b, " ")
		for a, ra := range reach {
			if progA, _, _ := strings.Cut(a, " "); a == b || progA != progB || len(ra) >= len(rb) {
				continue
			}
			shared := 0
			for i := range ra {
				if rb[i] {
					shared++
				}
			}
			if float64(shared) >= containment*float64(len(ra)) {
				if v.contains[b] == nil {
					v.contains[b] = map[string]bool{}
				}
				v.contains[b][a] = true
			}
		}
	}
	return v.contains
}

// join merges two units and records why; a merge forbidden by an apart pin
// is recorded as a conflict when the reason says the two must be together.
func (p *partition) join(a, b int, why string) {
	if !p.in[a] || !p.in[b] || p.find(a) == p.find(b) {
		return
	}
	if !p.sharesProgram(a, b) {
		if why != "" {
			p.refused = append(p.refused, fmt.Sprintf("no program links both %s and %s, so neither joins the other although %s", p.v.name(a), p.v.name(b), why))
		}
		return
	}
	p.merge(a, b, why)
}

// merge merges the units of a and b unless configuration keeps them
// apart, noting why.
func (p *partition) merge(a, b int, why string) {
	if !p.in[a] || !p.in[b] || p.find(a) == p.find(b) {
		return
	}
	if p.union(a, b) {
		if why != "" {
			p.notes = append(p.notes, why)
		}
		return
	}
	if why != "" {
		p.conflicts = append(p.conflicts, fmt.Sprintf("kept apart by configuration although %s", why))
	}
}

func (p *partition) mergeTogether(together [][]string) {
	for _, set := range together {
		var ids []int
		for _, ref := range set {
			for _, id := range resolve(p.v.g, ref) {
				ids = append(ids, p.v.index[id])
			}
		}
		for _, i := range ids[min(1, len(ids)):] {
			p.merge(ids[0], i, fmt.Sprintf("%s and %s are pinned together by configuration", p.v.name(ids[0]), p.v.name(i)))
		}
	}
}

func (p *partition) mergeCycles(cycles [][]int) {
	for _, c := range cycles {
		var names []string
		for _, m := range c {
			names = append(names, p.v.name(m))
		}
		why := "call cycle: " + strings.Join(names, ", ") + " must move as one"
		for _, m := range c[1:] {
			p.join(c[0], m, why)
		}
	}
	p.notes = slices.Compact(p.notes)
}

// mergeTight puts the two sides of every pair that must share a process or
// a Pod in one unit: process pairs, and pod pairs that talk over local IPC
// or trade too much for the network. A pair that is pod-tier only because
// it shares a file is left to the steps: a shared volume serves it across
// Pods, so it does not decide the topology. Nor does a pair of two
// programs' own code (each filed in its program's directory, see
// mergePrograms), or of two commands' code (see commandOf): one program
// or command links the other's code and runs it in its own process, as an
// all-in-one binary does, which ties neither to the other.
func (p *partition) mergeTight(verdicts []*verdict) {
	for _, vd := range verdicts {
		if !bindsTogether(vd) || p.program(vd.a) || p.program(vd.b) {
			continue // main packages and command registries are placed by the program they run
		}
		if pa, ok := p.f.filed[vd.a]; ok {
			if pb, ok := p.f.filed[vd.b]; ok && pa != pb {
				continue // one program links the other's code in process (jaeger v2 embedding the query service)
			}
		}
		if ka, kb := p.v.commandOf(vd.a), p.v.commandOf(vd.b); ka != "" && kb != "" && ka != kb {
			continue // one command runs the other's code in process (argocd --core running the API server)
		} else if ka != "" && kb == "" && p.sharedByCommands(vd.b, vd.a, ka) || kb != "" && ka == "" && p.sharedByCommands(vd.a, vd.b, kb) {
			continue // each command's process links the code they share (Cortex's query frontend and scheduler each run a request queue)
		}
		p.join(vd.a, vd.b, fmt.Sprintf("%s and %s are %s-tier: %s", p.v.name(vd.a), p.v.name(vd.b), vd.Tier, vd.Reasons[0]))
	}
}

// sharedByCommands reports whether component i is run by command k and by
// another command of k's program: code the commands share, which each
// command's process links.
func (p *partition) sharedByCommands(i, j int, k string) bool {
	prog, _, _ := strings.Cut(k, " ")
	ks := p.v.comps[i].Commands
	if commandCounts(ks)[prog] < 2 {
		return false
	}
	if slices.Contains(ks, k) {
		return true
	}
	// Command k's code j uses i although k's walk does not reach it
	// (k calls what the wiring built through an interface: Loki's querier
	// and ingester reading the store pkg/loki's store module builds).
	// Code filed in j's domain is j's to link; code elsewhere that other
	// commands run is shared.
	return p.f.domain[i] != p.f.domain[j]
}

func bindsTogether(vd *verdict) bool {
	switch vd.Tier {
	case TierProcess:
		return true
	case TierPod:
		return vd.has(ruleIPC) || vd.has(ruleRuntime)
	}
	return false
}

// program reports whether component i is a main package, registers the
// commands of a program (graph.Component.Commands: Cortex's pkg/cortex
// registering initDistributor, initQuerier…) or holds them
// (graph.Component.CommandsOf: SeaweedFS's weed/command): the wiring of
// every command builds each one's objects in process, and binds none of
// them to the others.
func (p *partition) program(i int) bool {
	return p.f.entry[i] || p.registering(p.v.comps[i].Name) || p.v.comps[i].CommandsOf != ""
}

// registering reports whether the component named name runs commands
// (graph.Component.Commands names it as their program).
func (p *partition) registering(name string) bool {
	if p.registries == nil {
		p.registries = map[string]bool{}
		for _, c := range p.v.comps {
			for _, k := range c.Commands {
				if prog, _, ok := strings.Cut(k, " "); ok {
					p.registries[prog] = true
				}
			}
		}
	}
	return p.registries[name]
}

// entryUnit reports whether every member of a unit is a main package.
func (p *partition) entryUnit(members []int) bool {
	for _, m := range members {
		if !p.f.entry[m] {
			return false
		}
	}
	return true
}

// isHub reports whether a unit sits on top of the others and depends on
// two or more units, like an API gateway or a frontend. A hub must not
// swallow its callees.
func (p *partition) isHub(ug *unitGraph, u int) bool {
	return len(ug.deps[u]) >= 2 && p.isTop(ug, u)
}

// isTop reports whether nothing but main packages depends on a unit.
func (p *partition) isTop(ug *unitGraph, u int) bool {
	if p.entryUnit(ug.units[u]) {
		return false
	}
	for _, x := range ug.preds(u) {
		if !p.entryUnit(ug.units[x]) {
			return false
		}
	}
	return true
}

// ownProgram reports whether a main package depends on unit u and on no
// other unit: u is then the whole of a program of its own.
func (p *partition) ownProgram(ug *unitGraph, u int) bool {
	for _, x := range ug.preds(u) {
		if p.entryUnit(ug.units[x]) && len(ug.deps[x]) == 1 {
			return true
		}
	}
	return false
}

// boundary returns the first boundary of a unit's members, or "".
func (p *partition) boundary(members []int) string {
	for _, m := range members {
		if b := p.f.boundary[m]; b != "" {
			return p.v.name(m) + " " + b
		}
	}
	return ""
}

// placeOrphans settles the units that ownership left alone although they
// have no boundary of their own (several units depend on them, or none
// does): each joins the neighbouring unit, hubs and main packages aside,
// whose merge gains the most weighted modularity, when the gain is
// positive. The modularity resolution γ is the only tuning it takes.
func (p *partition) placeOrphans(gamma float64) {
	ug := p.graph()
	deg, total := p.degrees(ug)
	for u, members := range ug.units {
		if slices.ContainsFunc(members, func(m int) bool { return p.f.entry[m] }) || p.isHub(ug, u) || p.unitBoundary(ug, u) != "" {
			continue
		}
		best, bestGain := -1, 0.0
		for _, x := range sortedKeys(ug.w[u]) {
			if p.entryUnit(ug.units[x]) || p.isHub(ug, x) && !p.privateTo(ug, u, x) {
				continue
			}
			if g := gain(ug, deg, total, gamma, u, x); g > bestGain {
				best, bestGain = x, g
			}
		}
		if best >= 0 {
			p.join(ug.units[best][0], members[0], fmt.Sprintf("%s joins %s: no boundary of its own, and the closest coupling (modularity gain %.4f)",
				ug.name(p, u), ug.name(p, best), bestGain))
		}
	}
}

// privateTo reports whether unit u is coupled to unit x alone, which uses
// it: u is then x's own code (a package of constants and errors, a helper),
// whatever x is, even a hub that must not swallow the callees it shares
// with others.
func (p *partition) privateTo(ug *unitGraph, u, x int) bool {
	return len(ug.w[u]) == 1 && ug.deps[x][u]
}

// attachHubs merges every unit on top of the others (nothing but main
// packages depends on it) into the unit that gets most of its calls, when
// one gets 60% or more and is the larger: an API in front of one core is
// part of that core, while a gateway spreading its calls over many services
// is not, and a unit never merges into a smaller callee (that would be the
// callee swallowed). A unit holding data of its own is a domain, not a
// front; a unit that a main package of its own runs (a main depending on
// no other unit), or that holds a main package, is a program apart. Both
// stay.
func (p *partition) attachHubs() {
	ug := p.graph()
	for u, members := range ug.units {
		if !p.isTop(ug, u) || p.ownProgram(ug, u) || p.holdsData(members) || slices.ContainsFunc(members, func(m int) bool { return p.f.entry[m] }) {
			continue
		}
		if t, share := p.dominant(ug, u); t >= 0 && p.codeSize(members) < p.codeSize(ug.units[t]) && !p.otherCommand(members, ug.units[t]) {
			p.join(members[0], ug.units[t][0], fmt.Sprintf("front %s joins %s: %.0f%% of its calls go there",
				ug.name(p, u), ug.name(p, t), 100*share))
		}
	}
}

// otherCommand reports whether a unit is the code of one command of a
// program (unitCommand) and another holds the code of a different one: the
// system's authors deploy each command apart (Temporal's frontend, whose
// calls nearly all go to matching's client, is `--service=frontend`), so
// neither is the other's front.
func (p *partition) otherCommand(unit, other []int) bool {
	k := unitCommand(p.v, unit)
	return k != "" && k != unitCommand(p.v, other)
}

// storageIO are the kinds of I/O that keep data of their own.
var storageIO = set("sql", "mongo", "redis", "file", "cloud")

// holdsData reports whether a unit keeps data of its own: mutable state,
// or storage it reads and writes itself. A unit holding data is a domain
// with a boundary, never a mere front for another.
func (p *partition) holdsData(members []int) bool {
	for _, m := range members {
		c := p.v.comps[m]
		if slices.ContainsFunc(c.IO, func(k string) bool { return storageIO[k] }) ||
			slices.ContainsFunc(c.MutableState, func(s string) bool { return !generatedState(s) }) {
			return true
		}
	}
	return false
}

// codeSize counts the members of a unit that are not main packages.
func (p *partition) codeSize(members []int) int {
	n := 0
	for _, m := range members {
		if !p.f.entry[m] {
			n++
		}
	}
	return n
}

// dominant returns the unit (main packages aside) getting 60% or more of
// unit u's coupling weight, with its share, or -1.
func (p *partition) dominant(ug *unitGraph, u int) (int, float64) {
	best, total := -1, 0.0
	for _, x := range sortedKeys(ug.deps[u]) {
		if p.entryUnit(ug.units[x]) {
			continue
		}
		total += ug.w[u][x]
		if best < 0 || ug.w[u][x] > ug.w[u][best] {
			best = x
		}
	}
	if best < 0 || ug.w[u][best] < 0.6*total {
		return -1, 0
	}
	return best, ug.w[u][best] / total
}

// attachEntrypoints places every unit made only of main packages: with the
// unit it is named after, else the unit that gets 60% or more of its calls,
// else the hub it serves, else the unit it calls most (the larger on a
// tie). A main calling no unit of the module (a gateway whose code is all
// in its main package) stays a service of its own.
func (p *partition) attachEntrypoints() {
	ug := p.graph()
	for u, members := range ug.units {
		if !p.entryUnit(members) {
			continue
		}
		if t, why := p.entryTarget(ug, u); t >= 0 {
			p.join(members[0], ug.units[t][0], fmt.Sprintf("main %s joins %s: %s", ug.name(p, u), ug.name(p, t), why))
		}
	}
}

// joinWired joins a program's unit each unit that only that unit depends
// on, when the unit holds a main package and the scan deploys two programs
// or more: a system already split into programs has chosen its services,
// and a part one program wires, which nothing else uses and which has no
// boundary of its own (no link or API it serves, no I/O, no command), is
// that program's. Ownership left it alone, since main packages own nothing
// (they wire every part). In a monolith (one program), such parts are what
// a split may propose, and stay. KEDA's operator starts the ScaledObject
// controller, whose metrics maps made it a service of its own.
//
// A part with a boundary joins too when only that unit's program links it
// (see soleProgram) and that program is not the system itself beside
// satellite programs (see systemProgram): the Istio agent's Envoy
// launcher and bootstrap writer, Kyverno's policy cache and status
// controllers, which only the admission controller runs. A
// monolith's parts (the shop's users and inventory, beside its worker and
// notifier) stay what a split proposes.
func (p *partition) joinWired() {
	programs := 0
	for i, c := range p.v.comps {
		if p.f.entry[i] && !c.Unlinked {
			programs++
		}
	}
	if programs < 2 {
		return // a monolith: its parts are what a split may propose
	}
	ug := p.graph()
	for u, members := range ug.units {
		if slices.ContainsFunc(members, func(m int) bool { return p.f.entry[m] }) || p.isHub(ug, u) {
			continue
		}
		preds := ug.preds(u)
		if len(preds) != 1 || !slices.ContainsFunc(ug.units[preds[0]], func(m int) bool { return p.f.entry[m] }) {
			continue
		}
		if b := p.unitBoundary(ug, u); b == "" {
			p.join(ug.units[preds[0]][0], members[0], fmt.Sprintf("%s joins %s: only its program uses it, and it has no boundary of its own", ug.name(p, u), ug.name(p, preds[0])))
		} else if prog := p.soleProgram(members); prog >= 0 && ug.of[prog] == preds[0] && !p.systemProgram(prog) &&
			!slices.ContainsFunc(members, func(m int) bool { return len(p.v.comps[m].Commands) > 0 }) {
			p.join(ug.units[preds[0]][0], members[0], fmt.Sprintf("%s joins %s: only %s links it, one of the system's programs, whatever it does (%s)", ug.name(p, u), ug.name(p, preds[0]), p.v.name(prog), b))
		}
	}
}

// soleProgram returns the main package of the one deployable program
// linking every member of a unit that some program links
// (graph.Component.Programs), or -1 when none or several do.
func (p *partition) soleProgram(members []int) int {
	prog := ""
	for _, m := range members {
		switch ps := p.v.comps[m].Programs; {
		case len(ps) == 0:
		case len(ps) > 1 || prog != "" && ps[0] != prog:
			return -1
		default:
			prog = ps[0]
		}
	}
	if i, ok := p.v.index[prog]; ok {
		return i
	}
	return -1
}

// systemProgram reports whether the program of main package m links, alone,
// half or more of the code some program links alone: the system itself,
// beside satellite programs (a worker, a sidecar), whose parts are what a
// split proposes.
func (p *partition) systemProgram(m int) bool {
	if p.alone == nil {
		p.alone = map[string]int{}
		for i, c := range p.v.comps {
			if len(c.Programs) == 1 && !p.f.entry[i] {
				p.alone[c.Programs[0]]++
				p.aloneAll++
			}
		}
	}
	return 2*p.alone[p.v.comps[m].ID] >= p.aloneAll
}

func (p *partition) entryTarget(ug *unitGraph, u int) (int, string) {
	name := path.Base(p.f.domain[ug.units[u][0]])
	own, foreign := p.ownCommands(ug.units[u]), p.foreignCommands(ug.units[u])
	taken := func(unit []int) bool { return own(unit) || foreign(unit) } // run by a command: not this main's to join
	var callees []int
	for _, x := range sortedKeys(ug.deps[u]) {
		if !p.entryUnit(ug.units[x]) && !taken(ug.units[x]) {
			callees = append(callees, x)
		}
	}
	slices.SortStableFunc(callees, func(a, b int) int {
		return cmp.Or(cmp.Compare(ug.w[u][b], ug.w[u][a]), cmp.Compare(p.codeSize(ug.units[b]), p.codeSize(ug.units[a])))
	})
	for _, x := range callees {
		if sameName(name, ug.name(p, x)) {
			return x, "named after it"
		}
	}
	if t, share := p.dominant(ug, u); t >= 0 && !taken(ug.units[t]) {
		return t, fmt.Sprintf("%.0f%% of its calls go there", 100*share)
	}
	for _, x := range callees {
		if p.isHub(ug, x) {
			return x, "it serves this hub"
		}
	}
	if len(callees) > 0 {
		return callees[0], "most of its calls go there"
	}
	if t, why := p.importTarget(ug, u); t >= 0 && !taken(ug.units[t]) {
		return t, why
	}
	if t := p.runTarget(ug, u); t >= 0 && !taken(ug.units[t]) {
		return t, "its program alone runs that unit's code, which shared command code starts"
	}
	return -1, ""
}

// runTarget returns the largest unit that the program of unit u's main
// links whole and runs most of the code of alone (graph.Component.Runs),
// or -1: where each main
// calls one constructor of a command package every main links (OpenIM's
// thirteen mains calling pkg/common/cmd, which hands each service's Start
// to a shared start-up helper), the main calls no unit of its own, yet
// its program alone runs its service's code.
func (p *partition) runTarget(ug *unitGraph, u int) int {
	var progs []string
	for _, m := range ug.units[u] {
		if p.f.entry[m] {
			progs = append(progs, p.v.comps[m].ID)
		}
	}
	if len(progs) != 1 {
		return -1
	}
	best := -1
	for x, members := range ug.units {
		if x == u || p.entryUnit(members) {
			continue
		}
		var alone []int
		for _, m := range members {
			if slices.Equal(runBy(p.v.comps[m]), progs) && !p.f.entry[m] {
				alone = append(alone, m)
			}
		}
		if len(alone) == 0 || 2*p.codeSize(alone) <= p.codeSize(members) ||
			slices.ContainsFunc(members, func(m int) bool { return !slices.Contains(p.v.comps[m].Programs, progs[0]) }) {
			continue
		}
		if best < 0 || p.codeSize(members) > p.codeSize(ug.units[best]) {
			best = x
		}
	}
	return best
}

// runBy returns the programs whose code runs component c: Runs, or else
// every program linking it.
func runBy(c *graph.Component) []string {
	if len(c.Runs) > 0 {
		return c.Runs
	}
	return c.Programs
}

// foreignCommands returns whether a unit runs under a command of another
// program than the main packages among members: one whose commands are
// neither theirs nor registered by a package they import. Such a unit is
// deployed as that command's service; a second binary linking its code (a
// command-line client, an admin tool) is a program of its own, not part of
// that service (Loki's logcli and lokitool call the querier's code, which
// runs as `loki -target=querier`).
func (p *partition) foreignCommands(members []int) func([]int) bool {
	mine := map[string]bool{}
	for _, m := range members {
		if !p.program(m) {
			continue
		}
		mine[p.v.comps[m].Name] = true
		for _, id := range p.v.comps[m].Imports {
			if j, ok := p.v.index[id]; ok && p.program(j) {
				mine[p.v.comps[j].Name] = true
			}
		}
	}
	return func(unit []int) bool {
		for _, m := range unit {
			for _, k := range p.v.comps[m].Commands {
				if prog, _, _ := strings.Cut(k, " "); !mine[prog] {
					return true
				}
			}
		}
		return false
	}
}

// ownCommands returns whether a unit belongs to one command of a main
// package among members (unitCommand): a main running several commands is
// the program of each, no part of any one of them, and joins none of
// their units (it may still join the code its start-up runs, as geth's
// main runs the node).
func (p *partition) ownCommands(members []int) func([]int) bool {
	var prefixes []string
	for _, m := range members {
		if p.program(m) {
			prefixes = append(prefixes, p.v.comps[m].Name+" ")
		}
	}
	return func(unit []int) bool {
		k := unitCommand(p.v, unit)
		return k != "" && slices.ContainsFunc(prefixes, func(pre string) bool { return strings.HasPrefix(k, pre) })
	}
}

// importTarget places a main package that calls into no unit by what it
// imports (graph.Component.Imports): the largest unit holding a component
// it imports, when there is one. A main running cmd.RootCommand.Execute()
// starts the program of cmd's unit without a call edge into it. A main no
// deployment runs (graph.Component.Unlinked: development tooling) is left
// to placeUnlinked.
func (p *partition) importTarget(ug *unitGraph, u int) (int, string) {
	if !slices.ContainsFunc(ug.units[u], func(m int) bool { return !p.v.comps[m].Unlinked }) {
		return -1, ""
	}
	best := -1
	for _, m := range ug.units[u] {
		for _, id := range p.v.comps[m].Imports {
			j, ok := p.v.index[id]
			if !ok || ug.of[j] < 0 || ug.of[j] == u || p.entryUnit(ug.units[ug.of[j]]) {
				continue
			}
			if x := ug.of[j]; best < 0 || p.codeSize(ug.units[x]) > p.codeSize(ug.units[best]) {
				best = x
			}
		}
	}
	if best < 0 {
		return -1, ""
	}
	return best, "it imports that unit's code and calls none of it directly"
}

// name names unit u in messages: the directory of its main domain, as the
// unit stands in this snapshot of the partition.
func (ug *unitGraph) name(p *partition, u int) string {
	if ug.names == nil {
		ug.names = make([]string, len(ug.units))
	}
	if ug.names[u] == "" {
		ug.names[u] = mainDomain(p.v, p.f, ug.units[u])
		if ug.names[u] == "" {
			ug.names[u] = "(root)"
		}
	}
	return ug.names[u]
}

// diagnostics reports the units a boundary kept apart from their only
// owner (unless a later stage joined them after all), and what clustering
// could not honour.
func (p *partition) diagnostics() []graph.Diagnostic {
	var out []graph.Diagnostic
	for _, k := range p.kept {
		if p.find(k.unit) != p.find(k.owner) {
			out = append(out, graph.Diagnostic{Category: "boundary", Message: k.why})
		}
	}
	for _, s := range p.refused {
		out = append(out, graph.Diagnostic{Category: "boundary", Message: s})
	}
	for _, c := range p.conflicts {
		out = append(out, graph.Diagnostic{Category: "plan", Message: c})
	}
	return out
}
