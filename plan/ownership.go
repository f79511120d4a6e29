package plan

import (
	"fmt"
	"slices"
	"strings"

	"github.com/podsplit/podsplit/graph"
)

// absorbOwned merges, until nothing changes, every unit owned by one other
// unit (see owner) that has no boundary of its own (see unitBoundary) into
// that owner. The units their boundary keeps apart from their owner are
// then noted with the boundary.
func (p *partition) absorbOwned() {
	for changed := true; changed; {
		changed = false
		ug := p.graph()
		for u, members := range ug.units {
			owner := p.owner(ug, u)
			if owner < 0 || p.unitBoundary(ug, u) != "" {
				continue
			}
			before := len(p.notes)
			p.join(ug.units[owner][0], members[0], fmt.Sprintf("%s joins %s: reached only through it, no boundary of its own%s",
				ug.name(p, u), ug.name(p, owner), p.builtBy(ug, u, owner)))
			changed = changed || len(p.notes) > before
		}
	}
	ug := p.graph()
	for u, members := range ug.units {
		if owner := p.owner(ug, u); owner >= 0 {
			if b := p.unitBoundary(ug, u); b != "" {
				p.kept = append(p.kept, keptApart{members[0], ug.units[owner][0], fmt.Sprintf("%s stays apart from %s although reached only through it: %s",
					ug.name(p, u), ug.name(p, owner), b)})
			}
		}
	}
}

// owner returns the unit that owns unit u, or -1: the only unit that
// depends on u (main packages aside), when u holds no main package and
// that unit is no hub.
func (p *partition) owner(ug *unitGraph, u int) int {
	if slices.ContainsFunc(ug.units[u], func(m int) bool { return p.f.entry[m] }) {
		return -1
	}
	if o := p.soleOwner(ug, u); o >= 0 && !p.isHub(ug, o) {
		return o
	}
	return -1
}

// soleOwner returns the only unit, main packages aside, that depends on
// unit u, or -1.
func (p *partition) soleOwner(ug *unitGraph, u int) int {
	owner := -1
	for _, x := range ug.preds(u) {
		if p.entryUnit(ug.units[x]) {
			continue
		}
		if owner >= 0 {
			return -1
		}
		owner = x
	}
	return owner
}

// builtBy says, for a unit joining its owner although it offers interfaces
// of its own, that the owner builds it: the interfaces do not make it a
// part of its own.
func (p *partition) builtBy(ug *unitGraph, u, owner int) string {
	offered, builders := p.offered(ug, u)
	if len(offered) == 0 || !slices.Contains(builders, owner) {
		return ""
	}
	return fmt.Sprintf(" (it offers %s, but %s builds it itself)", strings.Join(firstN(offered, 3), ", "), ug.name(p, owner))
}

// unitBoundary returns what makes unit u a part of its own, or "": the
// boundary of one of its members (mutable state, a link it serves, I/O it
// does itself), else the command of a multi-command program it is the code
// of (see unitCommand: that command deploys it, whoever else runs it in
// process, as Argo CD's CLI runs the controller's reconciliation), else an
// interface it offers to users that are handed its implementation (see
// offered).
func (p *partition) unitBoundary(ug *unitGraph, u int) string {
	if b := p.boundary(ug.units[u]); b != "" {
		return b
	}
	if k := unitCommand(p.v, ug.units[u]); k != "" {
		prog, cmd, _ := strings.Cut(k, " ")
		return fmt.Sprintf("it is the code of command %s of %s", cmd, prog)
	}
	offered, builders := p.offered(ug, u)
	if len(offered) == 0 || len(builders) > 0 {
		return ""
	}
	return fmt.Sprintf("%s offers %s, implemented inside it and handed to its users rather than built by them",
		ug.name(p, u), strings.Join(firstN(offered, 3), ", "))
}

// offered lists the exported interfaces unit u's members implement
// themselves (graph.Component.Interfaces), with the units that build u's
// objects: those calling one of its constructors. Main packages are left
// out: they are composition roots, wiring every part's objects.
//
// Such an interface is an API of the unit's own, a seam where a client of
// the remote service can stand in for the local implementation, only when
// the code using the unit is handed that implementation: then the
// composition root already chooses it, and the users hold the unit as a
// collaborator. A unit its user builds for itself (an LRU cache behind a
// Cache interface, a codec, a clock) is that user's implementation detail,
// whatever interface it declares.
func (p *partition) offered(ug *unitGraph, u int) (offered []string, builders []int) {
	seen := map[int]bool{}
	for _, m := range ug.units[u] {
		offered = append(offered, p.v.comps[m].Interfaces...)
		for _, e := range p.v.in[m] {
			from := p.v.index[e.From]
			x := ug.of[from]
			if x < 0 || x == u || seen[x] || p.f.entry[from] || e.Kind != graph.KindCall || !p.v.isDep(e) {
				continue
			}
			for _, c := range e.Callees {
				if isConstructor(c) {
					seen[x] = true
					builders = append(builders, x)
					break
				}
			}
		}
	}
	return offered, builders
}
