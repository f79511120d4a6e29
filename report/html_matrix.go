package report

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/podsplit/podsplit/plan"
)

// MatrixMax is the number of components up to which the intimacy matrix has
// a row per component. Past it the matrix has a row per service, since a
// matrix of thousands of rows is neither readable nor small; the pairs table
// still lists every component pair.
const MatrixMax = 60

// matrixView is the intimacy matrix: for every two rows that interact, the
// tier of their pair and its weight (call sites across, both directions).
type matrixView struct {
	Level string // "component" or "service"
	Rows  []matrixRow
}

type matrixRow struct {
	N     int // 1-based, the column header too
	Name  string
	Group string // the service of a component row
	Node  string // the row's id in the drawings
	Cells []matrixCell
}

type matrixCell struct {
	Tier   string // empty when the two do not interact
	Weight int
	Title  string
	Self   bool // on the diagonal
}

func newMatrix(p *plan.Plan, l *planLayout) matrixView {
	if len(p.Components) > MatrixMax {
		return serviceMatrix(l)
	}
	order := make([]int, len(p.Components))
	for i := range order {
		order[i] = i
	}
	// Rows go by service, so that each service is a block on the diagonal.
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Compare(svcKey(l, p.Components[a].ID), svcKey(l, p.Components[b].ID))
	})
	pos := map[string]int{}
	m := matrixView{Level: "component"}
	for n, i := range order {
		c := p.Components[i]
		pos[c.ID] = n
		row := matrixRow{N: n + 1, Name: label(c), Node: fmt.Sprintf("c%d", i), Cells: make([]matrixCell, len(order))}
		row.Cells[n].Self = true
		if s := l.serviceOf(c.ID); s >= 0 {
			row.Group = l.services[s]
		}
		m.Rows = append(m.Rows, row)
	}
	for _, pe := range l.pairEdges() {
		a, b := pos[pe.a], pos[pe.b]
		tier := "none"
		if pe.pair != nil {
			tier = pe.pair.Tier
		}
		title := fmt.Sprintf("%s ↔ %s: %s, %d call sites", m.Rows[a].Name, m.Rows[b].Name, tier, pe.static)
		if pe.observed {
			title += fmt.Sprintf(", %d runtime calls", pe.runtime)
		}
		cell := matrixCell{Tier: tier, Weight: pe.static, Title: title}
		m.Rows[a].Cells[b], m.Rows[b].Cells[a] = cell, cell
	}
	return m
}

// svcKey orders components by service, unplaced ones last.
func svcKey(l *planLayout, id string) int {
	if s := l.serviceOf(id); s >= 0 {
		return s
	}
	return len(l.services)
}

// serviceMatrix folds component pairs into service pairs: the cell shows the
// tightest tier among the pairs between the two services, and the diagonal
// the pairs inside one.
func serviceMatrix(l *planLayout) matrixView {
	m := matrixView{Level: "service"}
	for i, name := range l.services {
		m.Rows = append(m.Rows, matrixRow{N: i + 1, Name: name, Node: fmt.Sprintf("s%d", i), Cells: make([]matrixCell, len(l.services))})
		m.Rows[i].Cells[i].Self = true
	}
	type agg struct {
		tier          string
		pairs, static int
	}
	cells := map[[2]int]*agg{}
	for _, pe := range l.pairEdges() {
		a, b := l.serviceOf(pe.a), l.serviceOf(pe.b)
		if a < 0 || b < 0 {
			continue
		}
		k := [2]int{min(a, b), max(a, b)}
		c := cells[k]
		if c == nil {
			c = &agg{tier: "none"}
			cells[k] = c
		}
		tier := "none"
		if pe.pair != nil {
			tier = pe.pair.Tier
		}
		if tierRank(tier) < tierRank(c.tier) {
			c.tier = tier
		}
		c.pairs++
		c.static += pe.static
	}
	for k, c := range cells {
		title := fmt.Sprintf("%s ↔ %s: tightest tier %s, %d component pairs, %d call sites",
			l.services[k[0]], l.services[k[1]], c.tier, c.pairs, c.static)
		cell := matrixCell{Tier: c.tier, Weight: c.static, Title: title, Self: k[0] == k[1]}
		m.Rows[k[0]].Cells[k[1]], m.Rows[k[1]].Cells[k[0]] = cell, cell
	}
	if len(l.p.Target.Libraries) == 0 {
		m.Rows = m.Rows[:len(m.Rows)-1]
		for i := range m.Rows {
			m.Rows[i].Cells = m.Rows[i].Cells[:len(m.Rows)]
		}
	}
	return m
}
