package plan

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/podsplit/podsplit/graph"
)

// Step kinds.
const (
	StepMonolith = "monolith" // step 0: the system as it runs today
	StepMesh     = "mesh"     // governance concerns move to a mesh sidecar
	StepSidecar  = "sidecar"  // a pod-tier part becomes a sidecar container
	StepExtract  = "extract"  // a network-tier service leaves the monolith
)

// A stepper walks from the monolith to the target, one deployable step at a
// time. The monolith keeps the name of the target service that stays last
// (the core), so that each step changes one Deployment, not its identity.
type stepper struct {
	v      *view
	f      *facts
	l      *layout
	cost   CostModel
	target []Service
	groups [][]int
	names  []string
	core   int
	// byGroup lists the pairs touching each group, so that a crossing
	// looks only at the pairs it can cut.
	byGroup   map[int][]*pairEdges
	of        map[int]int  // component → group
	remaining map[int]bool // components still in the monolith
	extracted []int
	sidecars  []Container // split out of the monolith's main container, still there
	mesh      bool
	steps     []Step
}

func planSteps(v *view, f *facts, l *layout, cost CostModel, groups [][]int, names []string, target []Service) []Step {
	s := &stepper{v: v, f: f, l: l, cost: cost, target: target, groups: groups, names: names,
		byGroup: map[int][]*pairEdges{}, of: map[int]int{}, remaining: map[int]bool{}}
	for g, members := range groups {
		for _, m := range members {
			s.of[m] = g
			s.remaining[m] = true
		}
	}
	for _, pe := range v.pairs {
		ga, okA := s.of[pe.a]
		gb, okB := s.of[pe.b]
		if okA && okB {
			s.byGroup[ga] = append(s.byGroup[ga], pe)
			if gb != ga {
				s.byGroup[gb] = append(s.byGroup[gb], pe)
			}
		}
	}
	s.core = s.findCore()
	s.apartAlready()
	s.monolith()
	s.meshStep()
	s.sidecarSteps()
	s.extractSteps()
	return s.steps
}

// findCore picks the group that stays last: the one holding the main
// package that wires the most, or else the one depending on the most others.
func (s *stepper) findCore() int {
	best, bestScore := 0, -1.0
	anyGo := slices.ContainsFunc(s.groups, func(members []int) bool {
		return len(members) > 0 && s.v.comps[members[0]].Language == "go"
	})
	for g, members := range s.groups {
		if anyGo && (len(members) == 0 || s.v.comps[members[0]].Language != "go") {
			continue // the monolith podsplit splits is the Go one
		}
		score := 0.0
		for _, m := range members {
			for _, e := range s.v.out[m] {
				if s.v.isDep(e) {
					if w := weight(e); s.f.entry[m] {
						score += 1e6 * w
					} else if to, ok := s.of[s.v.index[e.To]]; ok && to != g {
						score += w
					}
				}
			}
		}
		if score > bestScore {
			best, bestScore = g, score
		}
	}
	return best
}

// apartAlready takes out of the monolith the groups that run as programs
// of their own today: those written in another language than the core (a
// process never mixes languages), and those holding a main package of
// their own that share no code with the core's program (services that
// already have their own binaries: nothing the core's main packages
// depend on, directly or not, is in them). Step 0 deploys them as they
// are, without an extraction step.
func (s *stepper) apartAlready() {
	if len(s.groups) == 0 {
		return
	}
	lang := s.language(s.core)
	reach := s.coreProgram()
	for g := range s.groups {
		if g != s.core && (s.language(g) != lang || s.ownBinary(g, reach)) {
			for _, m := range s.groups[g] {
				delete(s.remaining, m)
			}
			s.extracted = append(s.extracted, g)
		}
	}
}

// coreProgram returns the components the core's program runs: its main
// packages and everything they depend on, directly or not (all of the
// core's members when it holds no main package).
func (s *stepper) coreProgram() map[int]bool {
	var work []int
	for _, m := range s.groups[s.core] {
		if s.f.entry[m] {
			work = append(work, m)
		}
	}
	if len(work) == 0 {
		work = slices.Clone(s.groups[s.core])
	}
	return s.v.dependencies(work)
}

// dependencies returns the components from, and every component they
// depend on, directly or not.
func (v *view) dependencies(from []int) map[int]bool {
	reach := map[int]bool{}
	work := slices.Clone(from)
	for _, m := range work {
		reach[m] = true
	}
	for len(work) > 0 {
		m := work[len(work)-1]
		work = work[:len(work)-1]
		for _, e := range v.out[m] {
			if to := v.index[e.To]; v.isDep(e) && !reach[to] {
				reach[to] = true
				work = append(work, to)
			}
		}
	}
	return reach
}

// ownBinary reports whether group g holds a main package and nothing the
// core's program runs (see coreProgram), and is tied to no other group
// closer than the network: a program sharing a local file or a socket
// with the monolith runs beside it today, and its step says how it moves
// out.
func (s *stepper) ownBinary(g int, reach map[int]bool) bool {
	if !slices.ContainsFunc(s.groups[g], func(m int) bool { return s.f.entry[m] }) ||
		slices.ContainsFunc(s.groups[g], func(m int) bool { return reach[m] }) {
		return false
	}
	for _, pe := range s.byGroup[g] {
		if vd := s.l.verdict(pe.a, pe.b); vd != nil && vd.Tier != TierNetwork && s.of[pe.a] != s.of[pe.b] {
			return false
		}
	}
	return true
}

// language is the language of a group's components (the first one's:
// the partition never mixes languages in a group through process ties).
func (s *stepper) language(g int) string {
	if len(s.groups[g]) == 0 {
		return ""
	}
	return s.v.comps[s.groups[g][0]].Language
}

func (s *stepper) monolith() {
	if len(s.groups) == 0 { // nothing but libraries: nothing is deployed
		s.steps = append(s.steps, Step{N: 0, Kind: StepMonolith, Title: "The monolith as it runs today",
			Moves: []string{}, Cut: []Cut{}, Blockers: []string{}, Topology: []Service{}})
		return
	}
	var all []int
	for m := range s.remaining {
		all = append(all, m)
	}
	slices.Sort(all)
	main := s.l.container(s.names[s.core], all, all, false)
	main.Main = s.primaryEntry(all)
	topology := []Service{{Name: s.names[s.core], Containers: []Container{main}}}
	for _, g := range s.extracted {
		topology = append(topology, s.targetService(s.names[g]))
	}
	slices.SortFunc(topology, func(a, b Service) int { return cmp.Compare(a.Name, b.Name) })
	s.steps = append(s.steps, Step{N: 0, Kind: StepMonolith, Title: "The monolith as it runs today",
		Moves: []string{}, Cut: []Cut{}, Blockers: []string{}, Topology: topology})
}

// primaryEntry is the main package that wires the most components.
func (s *stepper) primaryEntry(members []int) string {
	best, most := "", -1
	for _, m := range members {
		if !s.f.entry[m] {
			continue
		}
		n := 0
		for _, e := range s.v.out[m] {
			if s.v.isDep(e) {
				n += e.Static
			}
		}
		if n > most {
			best, most = s.v.id(m), n
		}
	}
	return best
}

// add appends a step, numbering it and filling topology and rollback.
func (s *stepper) add(st Step) {
	st.N = len(s.steps)
	st.Topology = s.topology()
	if st.Rollback == "" {
		st.Rollback = fmt.Sprintf("redeploy step %d", st.N-1)
	}
	if st.Cut == nil {
		st.Cut = []Cut{}
	}
	if st.Blockers == nil {
		st.Blockers = []string{}
	}
	s.steps = append(s.steps, st)
}

// meshStep moves the governance concerns found in code to the mesh.
func (s *stepper) meshStep() {
	concerns := map[string][]string{} // concern → components implementing it
	gov := map[int]bool{}
	for i, c := range s.v.comps {
		for _, g := range c.Governance {
			concerns[g] = append(concerns[g], shortName(c))
		}
		if c.Role == graph.RoleGovernance && s.v.module(i) {
			gov[i] = true
		}
	}
	if len(concerns) == 0 && len(gov) == 0 {
		return
	}
	rest := map[int]bool{}
	var pairs []*pairEdges
	for i := range s.v.comps {
		if !gov[i] && s.v.module(i) {
			rest[i] = true
		}
	}
	for _, pe := range s.v.pairs {
		if gov[pe.a] != gov[pe.b] {
			pairs = append(pairs, pe)
		}
	}
	c := cross(s.v, s.l, pairs, in(gov), in(rest), TierProcess)
	s.mesh = true
	var moves []string
	for _, g := range slices.Sorted(maps.Keys(concerns)) {
		moves = append(moves, g+" ("+strings.Join(concerns[g], ", ")+")")
	}
	if len(moves) == 0 {
		for i := range gov {
			moves = append(moves, shortName(s.v.comps[i]))
		}
		slices.Sort(moves)
	}
	s.add(Step{Kind: StepMesh, Title: "Move governance concerns to a mesh sidecar", Moves: moves,
		Cut: c.cuts, CutSites: c.sites, AddedLatencyUS: 2 * s.cost.PodUS,
		LatencySource: "cost model: one inbound and one outbound hop through the mesh proxy",
		Rollback:      "redeploy step " + fmt.Sprint(len(s.steps)-1) + " with the in-code governance switched back on"})
}

// sidecarSteps splits out, one step each, the sidecar containers of the
// target, in the order of their services and names.
func (s *stepper) sidecarSteps() {
	for _, svc := range s.target {
		for _, c := range svc.Containers {
			if !c.Sidecar {
				continue
			}
			moving := map[int]bool{}
			for _, id := range c.Components {
				moving[s.v.index[id]] = true
			}
			cr := cross(s.v, s.l, s.pairsOf(moving), in(moving), s.restOf(moving), TierPod)
			s.sidecars = append(s.sidecars, c)
			lat, src := cr.latency(s.cost, TierPod)
			s.add(Step{Kind: StepSidecar, Title: fmt.Sprintf("Run %s as a sidecar container (target service %s)", c.Name, svc.Name),
				Moves: c.Components, Cut: cr.cuts, CutSites: cr.sites, API: cr.api, APIBack: cr.apiBack,
				Blockers: cr.blockers, AddedLatencyUS: lat, LatencySource: src})
		}
	}
}

// in turns a set into a membership test.
func in(set map[int]bool) func(int) bool { return func(i int) bool { return set[i] } }

// restOf tests for the components left in the monolith besides moving.
func (s *stepper) restOf(moving map[int]bool) func(int) bool {
	return func(i int) bool { return s.remaining[i] && !moving[i] }
}

// pairsOf lists, once each, the pairs touching the groups of the given components.
func (s *stepper) pairsOf(members map[int]bool) []*pairEdges {
	seen := map[*pairEdges]bool{}
	var out []*pairEdges
	for _, g := range sortedKeys(groupsOf(s.of, members)) {
		for _, pe := range s.byGroup[g] {
			if !seen[pe] {
				seen[pe] = true
				out = append(out, pe)
			}
		}
	}
	return out
}

func groupsOf(of map[int]int, members map[int]bool) map[int]bool {
	out := map[int]bool{}
	for m := range members {
		out[of[m]] = true
	}
	return out
}

// extractSteps takes the services other than the core out of the monolith,
// one per step: leaf-first (fewest services still in the monolith that it
// depends on), then least risk (fewest blockers, fewest cut sites, least
// traffic), then by name.
func (s *stepper) extractSteps() {
	left := map[int]bool{}
	for g := range s.groups {
		if g != s.core && !slices.Contains(s.extracted, g) {
			left[g] = true
		}
	}
	// A candidate's crossing changes only when a group it shares a pair
	// with leaves the monolith, so candidates are kept until then.
	type cand struct {
		c   crossing
		key extractKey
	}
	cache := map[int]*cand{}
	for len(left) > 0 {
		best := -1
		for _, g := range sortedKeys(left) {
			if cache[g] == nil {
				c, key := s.candidate(g)
				cache[g] = &cand{c, key}
			}
			if best < 0 || cache[g].key.less(cache[best].key) {
				best = g
			}
		}
		delete(left, best)
		s.extract(best, cache[best].c, cache[best].key)
		for _, pe := range s.byGroup[best] {
			delete(cache, s.of[pe.a])
			delete(cache, s.of[pe.b])
		}
	}
}

type extractKey struct {
	deps, blockers, sites int
	traffic               float64
	name                  string
}

func (a extractKey) less(b extractKey) bool {
	return cmp.Or(cmp.Compare(a.deps, b.deps), cmp.Compare(a.blockers, b.blockers), cmp.Compare(a.sites, b.sites),
		cmp.Compare(a.traffic, b.traffic), cmp.Compare(a.name, b.name)) < 0
}

func (s *stepper) candidate(g int) (crossing, extractKey) {
	moving := map[int]bool{}
	for _, m := range s.groups[g] {
		moving[m] = true
	}
	rest := s.restOf(moving)
	if prog, _ := commandProgram(s.v, s.groups[g]); prog >= 0 {
		// The program dispatching the command runs it in the extracted
		// service's own process: its calls into the command's code are no
		// cut, however it is built (thanos query-frontend).
		inner := rest
		rest = func(i int) bool { return i != prog && inner(i) }
	}
	deps := map[int]bool{}
	for _, m := range s.groups[g] {
		for _, e := range s.v.out[m] {
			if to, ok := s.of[s.v.index[e.To]]; ok && to != g && s.v.isDep(e) && rest(s.v.index[e.To]) {
				deps[to] = true
			}
		}
	}
	c := cross(s.v, s.l, s.byGroup[g], in(moving), rest, TierNetwork)
	t := trafficOf(s.cost, c.edges)
	return c, extractKey{deps: len(deps), blockers: len(c.blockers), sites: c.sites, traffic: t.calls, name: s.names[g]}
}

func (s *stepper) extract(g int, c crossing, key extractKey) {
	for _, m := range s.groups[g] {
		delete(s.remaining, m)
	}
	s.extracted = append(s.extracted, g)
	s.sidecars = slices.DeleteFunc(s.sidecars, func(c Container) bool { return !s.remaining[s.v.index[c.Components[0]]] })
	var moves []string
	for _, m := range s.groups[g] {
		moves = append(moves, s.v.id(m))
	}
	lat, src := c.latency(s.cost, TierNetwork)
	blockers := c.blockers
	if key.deps > 0 {
		blockers = append(slices.Clone(blockers), fmt.Sprintf("still calls into %d service(s) left in the monolith: they must expose the API in api_back", key.deps))
	}
	s.add(Step{Kind: StepExtract, Title: fmt.Sprintf("Extract %s as its own service", s.names[g]), Moves: moves,
		Cut: c.cuts, CutSites: c.sites, API: c.api, APIBack: c.apiBack, Blockers: blockers,
		AddedLatencyUS: lat, LatencySource: src})
}

// topology is the deployment as it stands: the extracted services as the
// target lays them out, and the monolith with what remains.
func (s *stepper) topology() []Service {
	out := []Service{}
	for _, g := range s.extracted {
		out = append(out, s.targetService(s.names[g]))
	}
	if len(s.remaining) > 0 {
		out = append(out, s.monolithService())
	}
	slices.SortFunc(out, func(a, b Service) int { return cmp.Compare(a.Name, b.Name) })
	return out
}

func (s *stepper) targetService(name string) Service {
	if i, ok := slices.BinarySearchFunc(s.target, name, func(svc Service, n string) int { return cmp.Compare(svc.Name, n) }); ok {
		return s.target[i]
	}
	return Service{Name: name}
}

func (s *stepper) monolithService() Service {
	if len(s.remaining) == len(s.groups[s.core]) {
		return s.targetService(s.names[s.core])
	}
	split := map[string]bool{}
	for _, c := range s.sidecars {
		for _, id := range c.Components {
			split[id] = true
		}
	}
	var mainSet, all []int
	for m := range s.remaining {
		all = append(all, m)
		if !split[s.v.id(m)] {
			mainSet = append(mainSet, m)
		}
	}
	slices.Sort(mainSet)
	slices.Sort(all)
	name := s.names[s.core]
	main := s.l.container(name, mainSet, all, false)
	main.Main = s.primaryEntry(mainSet)
	svc := s.l.serviceInfo(name, all)
	svc.Containers = append([]Container{main}, s.sidecars...)
	if !s.mesh {
		svc.Governance = nil
	}
	return svc
}

// stepTitle is used by the printers: "3. Extract payments as its own service".
func stepTitle(st Step) string {
	return strings.TrimSpace(fmt.Sprintf("%d. %s", st.N, st.Title))
}
