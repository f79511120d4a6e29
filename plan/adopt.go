package plan

import (
	"fmt"
	"slices"
	"strings"

	"github.com/podsplit/podsplit/graph"
)

// adoptLibraries gives each library that one unit alone links to that unit.
// A library is code linked into every service using it; when the plan is
// laid out and exactly one unit calls it, directly or through other
// libraries, it is linked into that unit only and is that unit's code:
// Dapr's resiliency policies, its channels and middleware are called by
// several of the sidecar's domains (actors, API, messaging), so they
// looked shared, but only the sidecar's program links them. Every program
// whose binary links it must be in that unit too. A library stays one
// when its place or name says it serves whoever comes (a shared container,
// generated stubs, a client package, infrastructure), when two or more
// commands of one program run it (each command's service links it), and
// when no program runs it or it lies outside the analysed packages.
func (p *partition) adoptLibraries() {
	ug := p.graph()
	adopt := map[int]int{} // library → the unit linking it
	for i, c := range p.v.comps {
		if !p.f.lib[i] || !p.v.module(i) || c.Unlinked || outside(p.v, i) || p.f.sharedCode(p.v, i) && (inSharedNamed(dirOf(p.v.g, c)) || !p.oneOfPrograms(c)) ||
			p.f.tree.infraNamed(p.f.domain[i], dirOf(p.v.g, c)) && !p.programsInfra(c) || severalCommands(c.Commands) || clientPkg(p.v, i) {
			continue
		}
		if u := p.soleLinker(ug, i); u >= 0 && p.linkedOnlyBy(ug, i, u) {
			adopt[i] = u
		}
	}
	for _, i := range sortedKeys(adopt) {
		u := adopt[i]
		p.f.lib[i], p.in[i] = false, true
		p.f.libWhy[i] = ""
		p.join(ug.units[u][0], i, fmt.Sprintf("%s joins %s: a library no other unit links", p.v.name(i), ug.name(p, u)))
	}
}

// linkedOnlyBy reports whether every program linking component i
// (graph.Component.Programs) is in unit u: a type another program's code
// only declares values of (a resource definition the operator lists and
// the sidecar decodes) is linked there too, calls or none.
func (p *partition) linkedOnlyBy(ug *unitGraph, i, u int) bool {
	for _, id := range p.v.comps[i].Programs {
		if j, ok := p.v.index[id]; !ok || ug.of[j] != u {
			return false
		}
	}
	return true
}

// soleLinker returns the only unit whose members depend on component i,
// directly or through libraries, or -1 (none, or several).
func (p *partition) soleLinker(ug *unitGraph, i int) int {
	linker := -1
	seen := map[int]bool{i: true}
	queue := []int{i}
	for len(queue) > 0 {
		x := queue[0]
		queue = queue[1:]
		for _, e := range p.v.in[x] {
			j, ok := p.v.index[e.From]
			if !ok || seen[j] || !p.v.isDep(e) || p.v.comps[j].Unlinked {
				continue
			}
			seen[j] = true
			switch {
			case ug.of[j] >= 0:
				if linker >= 0 && linker != ug.of[j] {
					return -1
				}
				linker = ug.of[j]
			case p.f.lib[j] && p.v.module(j):
				queue = append(queue, j)
			}
		}
	}
	return linker
}

// severalCommands reports whether two or more commands of one program run
// a component (graph.Component.Commands): each command's service links it.
func severalCommands(ks []string) bool {
	for _, n := range commandCounts(ks) {
		if n > 1 {
			return true
		}
	}
	return false
}

// commandCounts counts, per program, its commands among labels of
// graph.Component.Commands ("cmd/thanos query"); a program's bare name
// (its start-up) counts none.
func commandCounts(ks []string) map[string]int {
	n := map[string]int{}
	for _, k := range ks {
		if prog, _, ok := strings.Cut(k, " "); ok {
			n[prog]++
		}
	}
	return n
}

// oneOfPrograms reports whether exactly one of the scan's two or more
// deployable programs links component c: KEDA's pkg/certificates, filed
// in pkg/ beside the controllers, is linked by the operator alone. Filed
// in pkg/, it is shared with no other program, and the program linking it
// is where it runs; a directory named for sharing (lib/, shared/, common/:
// VictoriaMetrics' lib/) keeps it a library.
func (p *partition) oneOfPrograms(c *graph.Component) bool {
	return len(c.Programs) == 1 && p.f.programCount(p.v) >= 2
}

// programsInfra reports whether component c, named like infrastructure,
// is the infrastructure of the one program linking it (see oneOfPrograms):
// Dapr's pkg/middleware, pkg/retry and pkg/api/errors are linked by the
// sidecar alone. Infrastructure filed among utilities (pkg/util/…) serves
// whoever comes, and that of a program running several commands serves
// each command's service.
func (p *partition) programsInfra(c *graph.Component) bool {
	if dir := dirOf(p.v.g, c); inSharedNamed(dir) || filedUnder(dir, utilNames) {
		return false
	}
	return p.oneOfPrograms(c) && !p.runsCommands(c.Programs[0])
}

// runsCommands reports whether the program of main package id runs
// several commands (graph.Component.Commands), itself or through a
// registry it imports: its infrastructure serves every command's service
// (Cortex's pkg/util/…), even where no command's walk reaches it.
func (p *partition) runsCommands(id string) bool {
	if p.commandPrograms == nil {
		p.commandPrograms = map[string]bool{}
		for _, c := range p.v.comps {
			if p.registering(c.Name) {
				p.commandPrograms[c.ID] = true
			}
		}
		for m, c := range p.v.comps {
			if p.f.entry[m] && slices.ContainsFunc(c.Imports, func(imp string) bool { return p.commandPrograms[imp] }) {
				p.commandPrograms[c.ID] = true // the main starting a registry (cmd/cortex importing pkg/cortex)
			}
		}
	}
	return p.commandPrograms[id]
}
