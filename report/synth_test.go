package report

import (
	"fmt"
	"math/rand/v2"

	"github.com/podsplit/podsplit/graph"
	"github.com/podsplit/podsplit/plan"
)

// synthPlan builds the plan of a made-up monolith of n packages in n/20+1
// services: each package calls three others, mostly inside its service, and
// every tenth service link is seen at runtime. The seed is fixed, so the plan
// is the same on every run.
func synthPlan(n int) *plan.Plan {
	r := rand.New(rand.NewPCG(1, uint64(n)))
	const module = "example.com/big"
	p := &plan.Plan{Schema: plan.Schema, Module: module, Cost: plan.DefaultCost()}
	nsvc := n/20 + 1
	members := make([][]string, nsvc)
	for i := range n {
		id := fmt.Sprintf("%s/svc%02d/pkg%04d", module, i%nsvc, i)
		role := graph.RoleService
		if i%nsvc == nsvc-1 {
			role = graph.RoleLibrary
		}
		p.Components = append(p.Components, &graph.Component{ID: id, Name: fmt.Sprintf("svc%02d/pkg%04d", i%nsvc, i), Language: "go", Role: role})
		members[i%nsvc] = append(members[i%nsvc], id)
	}
	seen := map[[2]string]bool{}
	for i, c := range p.Components {
		for range 3 {
			j := r.IntN(n)
			if r.IntN(4) != 0 { // stay inside the service
				j = (j/nsvc)*nsvc + i%nsvc
				if j >= n {
					j = i
				}
			}
			to := p.Components[j].ID
			if to == c.ID || seen[[2]string{c.ID, to}] {
				continue
			}
			seen[[2]string{c.ID, to}] = true
			e := &graph.Edge{From: c.ID, To: to, Kind: graph.KindCall, Mechanism: "func", Static: 1 + r.IntN(20),
				Evidence: []graph.Evidence{{Pos: fmt.Sprintf("pkg%04d/x.go:%d", i, 10+r.IntN(300)), Detail: "calls Do"}}, EvidenceTotal: 1}
			if r.IntN(10) == 0 {
				e.Runtime, e.Observed = int64(r.IntN(100000)), true
			}
			p.Edges = append(p.Edges, e)
		}
	}
	addPairs(p, func(a, b string) string {
		switch {
		case a[:len(module)+6] == b[:len(module)+6]:
			return plan.TierProcess
		case r.IntN(3) == 0:
			return plan.TierPod
		}
		return plan.TierNetwork
	})
	for s := range nsvc - 1 {
		p.Target.Services = append(p.Target.Services, plan.Service{Name: fmt.Sprintf("svc%02d", s),
			Containers: []plan.Container{{Name: fmt.Sprintf("svc%02d", s), Components: members[s]}}})
	}
	p.Target.Libraries = members[nsvc-1]
	addSteps(p)
	return p
}

// addPairs gives every pair of interacting components the tier tierOf says.
func addPairs(p *plan.Plan, tierOf func(a, b string) string) {
	byKey := map[[2]string]*plan.Pair{}
	var keys [][2]string
	for _, e := range p.Edges {
		k := [2]string{min(e.From, e.To), max(e.From, e.To)}
		pr := byKey[k]
		if pr == nil {
			pr = &plan.Pair{A: k[0], B: k[1], Tier: tierOf(k[0], k[1]), Reasons: []string{"synthetic"}}
			byKey[k] = pr
			keys = append(keys, k)
		}
		pr.Static += e.Static
		pr.Runtime += e.Runtime
		pr.Evidence = append(pr.Evidence, e.Evidence...)
	}
	for _, k := range keys {
		p.Pairs = append(p.Pairs, *byKey[k])
	}
}

// addSteps extracts the target's services one per step, cutting the calls
// that cross into the moved service.
func addSteps(p *plan.Plan) {
	mono := plan.Service{Name: "monolith", Containers: []plan.Container{{Name: "monolith"}}}
	for _, c := range p.Components {
		mono.Containers[0].Components = append(mono.Containers[0].Components, c.ID)
	}
	p.Steps = append(p.Steps, plan.Step{N: 0, Title: "the monolith as it runs today", Kind: "monolith", Topology: []plan.Service{mono}})
	rest := map[string]bool{}
	for _, id := range mono.Containers[0].Components {
		rest[id] = true
	}
	var extracted []plan.Service
	for i, s := range p.Target.Services {
		moves := s.Containers[0].Components
		moved := map[string]bool{}
		for _, id := range moves {
			moved[id], rest[id] = true, false
		}
		st := plan.Step{N: i + 1, Title: "extract " + s.Name, Kind: "extract", Moves: moves,
			API: []string{"func Do(ctx context.Context, req Request) (Response, error)"}, Blockers: []string{}}
		for _, e := range p.Edges {
			if moved[e.To] != moved[e.From] {
				st.Cut = append(st.Cut, plan.Cut{Pos: e.Evidence[0].Pos, From: e.From, To: e.To, Callee: "Do", Tier: plan.TierNetwork})
				st.AddedLatencyUS += p.Cost.NetworkUS
			}
		}
		extracted = append(extracted, s)
		left := plan.Service{Name: "monolith", Containers: []plan.Container{{Name: "monolith"}}}
		for _, c := range p.Components {
			if rest[c.ID] {
				left.Containers[0].Components = append(left.Containers[0].Components, c.ID)
			}
		}
		st.Topology = append([]plan.Service{left}, extracted...)
		p.Steps = append(p.Steps, st)
	}
}
