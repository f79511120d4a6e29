package report

import (
	"slices"
	"strconv"
	"strings"

	"github.com/podsplit/podsplit/plan"
)

// stepView is one step of the timeline.
type stepView struct {
	N             int
	Title, Kind   string
	Moves         []string
	Cuts          []cutRow
	API           []string
	Blockers      []string
	Rollback      string
	Latency       float64
	Before, After []serviceCard
	// BeforeMore and AfterMore count unchanged services folded out of
	// large pictures.
	BeforeMore, AfterMore int
	Manifests             []manifestFile
	// Unchanged counts the step's manifests left out because they are the
	// same as in the step before.
	Unchanged int
	// Names are the short names of the components the step moves, for search.
	Names string
}

type cutRow struct {
	Pos, From, To, Callee, Tier string
}

// A serviceCard draws one service of a topology. State is "new" or
// "changed" in the picture after a step, "gone" or "changed" before it.
type serviceCard struct {
	Name       string
	State      string
	Containers []containerCard
}

type containerCard struct {
	Name    string
	Sidecar bool
	Links   []string
	Chips   []chip
	More    int
}

type chip struct {
	Name  string
	Moved bool
}

type manifestFile struct {
	Path, Body string
}

// chipCap is the number of components named per container in a topology
// picture; the moved ones come first, and the rest are counted.
const chipCap = 12

// stepViews builds the timeline and sorts the manifests into their steps;
// files outside "steps/NN-…/" are returned apart.
func stepViews(p *plan.Plan, manifests map[string][]byte) ([]stepView, []manifestFile) {
	names := componentNames(p)
	byStep, other := manifestsByStep(manifests)
	unchanged := changedManifests(byStep)
	var out []stepView
	var before []plan.Service
	for _, s := range p.Steps {
		moved := map[string]bool{}
		var moves []string
		for _, id := range s.Moves {
			moved[id] = true
			moves = append(moves, names.of(id))
		}
		v := stepView{N: s.N, Title: s.Title, Kind: s.Kind, Moves: moves, API: s.API, Blockers: s.Blockers,
			Rollback: s.Rollback, Latency: s.AddedLatencyUS, Manifests: byStep[s.N], Unchanged: unchanged[s.N], Names: strings.Join(moves, " ")}
		for _, c := range s.Cut {
			v.Cuts = append(v.Cuts, cutRow{Pos: c.Pos, From: names.of(c.From), To: names.of(c.To), Callee: c.Callee, Tier: c.Tier})
		}
		v.Before, v.BeforeMore = foldUnchanged(topologyCards(before, s.Topology, moved, names, "gone"))
		v.After, v.AfterMore = foldUnchanged(topologyCards(s.Topology, before, moved, names, "new"))
		out = append(out, v)
		before = s.Topology
	}
	return out, other
}

// topologyCards draws services, marking those absent from other with
// absent and those whose components differ with "changed".
func topologyCards(services, other []plan.Service, moved map[string]bool, names nameMap, absent string) []serviceCard {
	others := map[string]string{}
	for _, s := range other {
		others[s.Name] = membersKey(s)
	}
	var cards []serviceCard
	for _, s := range services {
		card := serviceCard{Name: s.Name}
		switch key, ok := others[s.Name]; {
		case !ok && len(other) > 0:
			card.State = absent
		case ok && key != membersKey(s):
			card.State = "changed"
		}
		for _, c := range s.Containers {
			card.Containers = append(card.Containers, containerCardOf(c, moved, names))
		}
		cards = append(cards, card)
	}
	return cards
}

// cardCap is the number of services a topology picture draws in full;
// past it, services the step leaves alone are counted instead, so a plan
// of a hundred steps over a hundred services stays readable and small.
const cardCap = 12

// foldUnchanged keeps every card the step changes and, past cardCap cards,
// folds the unchanged ones into a count.
func foldUnchanged(cards []serviceCard) ([]serviceCard, int) {
	if len(cards) <= cardCap {
		return cards, 0
	}
	var kept []serviceCard
	for _, c := range cards {
		if c.State != "" || slices.ContainsFunc(c.Containers, func(k containerCard) bool {
			return slices.ContainsFunc(k.Chips, func(ch chip) bool { return ch.Moved })
		}) {
			kept = append(kept, c)
		}
	}
	return kept, len(cards) - len(kept)
}

func membersKey(s plan.Service) string {
	var ids []string
	for _, c := range s.Containers {
		ids = append(ids, c.Name+"="+strings.Join(c.Components, ","))
	}
	return strings.Join(ids, ";")
}

func containerCardOf(c plan.Container, moved map[string]bool, names nameMap) containerCard {
	card := containerCard{Name: c.Name, Sidecar: c.Sidecar, Links: c.Links}
	ids := slices.Clone(c.Components)
	// Moved components first, each group in the plan's order.
	slices.SortStableFunc(ids, func(a, b string) int { return boolRank(moved[a]) - boolRank(moved[b]) })
	for i, id := range ids {
		if i == chipCap {
			card.More = len(ids) - chipCap
			break
		}
		card.Chips = append(card.Chips, chip{Name: names.of(id), Moved: moved[id]})
	}
	return card
}

func boolRank(b bool) int {
	if b {
		return 0
	}
	return 1
}

// changedManifests keeps, for every step after the first, only the files
// that differ from the same file of the step before, and counts the rest:
// each step directory is the whole desired state, and repeating it would
// grow the report with the square of the steps (37 MiB for 100 steps).
func changedManifests(byStep map[int][]manifestFile) map[int]int {
	unchanged := map[int]int{}
	steps := slices.Sorted(func(yield func(int) bool) {
		for n := range byStep {
			if !yield(n) {
				return
			}
		}
	})
	prev := map[string]string{}
	for _, n := range steps {
		cur := map[string]string{}
		var kept []manifestFile
		for _, f := range byStep[n] {
			name := f.Path[strings.LastIndexByte(f.Path, '/')+1:]
			cur[name] = f.Body
			if body, ok := prev[name]; ok && body == f.Body && name != "README.md" {
				unchanged[n]++
				continue
			}
			kept = append(kept, f)
		}
		byStep[n] = kept
		prev = cur
	}
	return unchanged
}

// manifestsByStep sorts manifest files by the step their directory names:
// "steps/03-extract-orders/deployment.yaml" belongs to step 3.
func manifestsByStep(files map[string][]byte) (map[int][]manifestFile, []manifestFile) {
	byStep := map[int][]manifestFile{}
	var other []manifestFile
	for _, path := range slices.Sorted(mapsKeys(files)) {
		f := manifestFile{Path: path, Body: string(files[path])}
		if n, ok := stepOfPath(path); ok {
			byStep[n] = append(byStep[n], f)
		} else {
			other = append(other, f)
		}
	}
	return byStep, other
}

func stepOfPath(path string) (int, bool) {
	rest, ok := strings.CutPrefix(path, "steps/")
	if !ok {
		return 0, false
	}
	dir, _, ok := strings.Cut(rest, "/")
	if !ok {
		return 0, false
	}
	num, _, _ := strings.Cut(dir, "-")
	n, err := strconv.Atoi(num)
	return n, err == nil
}
