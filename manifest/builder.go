package manifest

import (
	"fmt"
	"slices"
	"strings"

	"github.com/podsplit/podsplit/graph"
	"github.com/podsplit/podsplit/plan"
)

// A builder holds what every step's objects are derived from.
type builder struct {
	p     *plan.Plan
	opts  Options
	comps map[string]*graph.Component
	dirs  []string // step directory per step index
	// meshFrom is the index of the first step whose mesh policies may exist:
	// the first "mesh" step, so that retries are never done twice, by the
	// code that still has them and by the mesh; 0 when no step is "mesh".
	meshFrom int
	tags     []map[string]string // image tag per step index and container name
	// self is each component's own CPU time in the profile, selfTotal their
	// sum; both zero without a profile.
	self      map[string]int64
	selfTotal int64
	// calls maps a component to the components it has an edge to, other
	// than shared state or data.
	calls map[string]map[string]bool
	// encoded maps the JSON of every object written to its YAML.
	encoded map[string][]byte
	// libs holds the target's libraries; outside memoises
	// calledFromOutside by the components of a unit.
	libs    map[string]bool
	outside map[string]bool
	// portsOf memoises ports by unit: a step asks for the ports of every
	// unit it links to once per unit linking to it.
	portsOf map[*plan.Service][]netPort
}

func newBuilder(p *plan.Plan, opts Options) *builder {
	b := &builder{p: p, opts: opts, comps: map[string]*graph.Component{}, libs: map[string]bool{}, outside: map[string]bool{},
		portsOf: map[*plan.Service][]netPort{}}
	for _, id := range p.Target.Libraries {
		b.libs[id] = true
	}
	for _, c := range p.Components {
		b.comps[c.ID] = c
	}
	b.dirs = stepDirs(p.Steps)
	for i, st := range p.Steps {
		if st.Kind == "mesh" {
			b.meshFrom = i
			break
		}
	}
	b.tags = imageTags(p.Steps)
	b.self, b.selfTotal = selfCPU(p.Edges)
	b.calls = map[string]map[string]bool{}
	for _, e := range p.Edges {
		if e.Kind == graph.KindState || e.Kind == graph.KindData {
			continue
		}
		if b.calls[e.From] == nil {
			b.calls[e.From] = map[string]bool{}
		}
		b.calls[e.From][e.To] = true
	}
	return b
}

// A unit is one service of a step's topology, with object names resolved.
type unit struct {
	name     string
	svc      *plan.Service
	main     box
	sidecars []box
	comps    map[string]bool // component IDs of every container
}

// A box is one container of a unit.
type box struct {
	name string
	c    *plan.Container
}

// units resolves the names of a topology and checks that they are distinct
// once made DNS-safe.
func units(topology []plan.Service) ([]unit, error) {
	var out []unit
	seen := map[string]string{}
	for i := range topology {
		svc := &topology[i]
		u := unit{name: name(svc.Name), svc: svc, comps: map[string]bool{}}
		if prev, dup := seen[u.name]; dup {
			return nil, fmt.Errorf("services %q and %q both deploy as %q", prev, svc.Name, u.name)
		}
		seen[u.name] = svc.Name
		if len(svc.Containers) == 0 {
			return nil, fmt.Errorf("service %q has no containers", svc.Name)
		}
		if err := u.place(); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	slices.SortFunc(out, func(a, b unit) int { return strings.Compare(a.name, b.name) })
	return out, nil
}

// place sorts the unit's containers into its main one and its sidecars.
func (u *unit) place() error {
	mainIdx := slices.IndexFunc(u.svc.Containers, func(c plan.Container) bool { return !c.Sidecar })
	if mainIdx < 0 {
		mainIdx = 0
	}
	seen := map[string]string{}
	for i := range u.svc.Containers {
		c := &u.svc.Containers[i]
		bx := box{name: name(c.Name), c: c}
		if prev, dup := seen[bx.name]; dup {
			return fmt.Errorf("service %q: containers %q and %q both deploy as %q", u.svc.Name, prev, c.Name, bx.name)
		}
		seen[bx.name] = c.Name
		for _, id := range c.Components {
			u.comps[id] = true
		}
		if i == mainIdx {
			u.main = bx
		} else {
			u.sidecars = append(u.sidecars, bx)
		}
	}
	slices.SortFunc(u.sidecars, func(a, b box) int { return strings.Compare(a.name, b.name) })
	return nil
}

// boxes returns the main container and then the sidecars.
func (u *unit) boxes() []box { return append([]box{u.main}, u.sidecars...) }

// inbound returns the mechanisms of the RPC edges that reach the unit.
func (b *builder) inbound(u unit) []string {
	var mechs []string
	for _, e := range b.p.Edges {
		if e.Kind == graph.KindRPC && u.comps[e.To] && !slices.Contains(mechs, e.Mechanism) {
			mechs = append(mechs, e.Mechanism)
		}
	}
	slices.Sort(mechs)
	return mechs
}

// talks reports whether any component in from has an edge to one in to,
// other than shared state or data, which say nothing about who calls whom.
func (b *builder) talks(from, to []string) bool {
	for _, f := range from {
		callees := b.calls[f]
		if len(callees) == 0 {
			continue
		}
		for _, t := range to {
			if callees[t] {
				return true
			}
		}
	}
	return false
}
