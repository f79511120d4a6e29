package plan

import "slices"

// cycles finds the call cycles of the module: the strongly connected
// components of the dependency edges (calls and state access, callbacks
// and code reuse excluded: see binds) that hold more than one component.
// It returns, for every component, the index of its cycle in groups or -1.
func (v *view) cycles() (of []int, groups [][]int) {
	t := tarjan{v: v, index: make([]int, len(v.comps)), low: make([]int, len(v.comps)), on: make([]bool, len(v.comps))}
	for i := range t.index {
		t.index[i] = -1
	}
	for i := range v.comps {
		if t.index[i] < 0 {
			t.visit(i)
		}
	}
	of = make([]int, len(v.comps))
	for i := range of {
		of[i] = -1
	}
	slices.SortFunc(t.sccs, func(a, b []int) int { return a[0] - b[0] })
	for _, s := range t.sccs {
		for _, m := range s {
			of[m] = len(groups)
		}
		groups = append(groups, s)
	}
	return of, groups
}

// tarjan is Tarjan's strongly connected components algorithm, iterative so
// that deep dependency chains cannot overflow the stack.
type tarjan struct {
	v          *view
	index, low []int
	on         []bool
	stack      []int
	next       int
	sccs       [][]int
}

type frame struct{ node, edge int }

func (t *tarjan) visit(root int) {
	work := []frame{{root, 0}}
	t.open(root)
	for len(work) > 0 {
		f := &work[len(work)-1]
		edges := t.v.out[f.node]
		if f.edge < len(edges) {
			e := edges[f.edge]
			f.edge++
			if !t.v.binds(e) {
				continue
			}
			w := t.v.index[e.To]
			switch {
			case t.index[w] < 0:
				t.open(w)
				work = append(work, frame{w, 0})
			case t.on[w]:
				t.low[f.node] = min(t.low[f.node], t.index[w])
			}
			continue
		}
		n := f.node
		work = work[:len(work)-1]
		if len(work) > 0 {
			p := work[len(work)-1].node
			t.low[p] = min(t.low[p], t.low[n])
		}
		if t.low[n] == t.index[n] {
			t.close(n)
		}
	}
}

func (t *tarjan) open(n int) {
	t.index[n], t.low[n] = t.next, t.next
	t.next++
	t.stack = append(t.stack, n)
	t.on[n] = true
}

func (t *tarjan) close(n int) {
	var scc []int
	for {
		m := t.stack[len(t.stack)-1]
		t.stack = t.stack[:len(t.stack)-1]
		t.on[m] = false
		scc = append(scc, m)
		if m == n {
			break
		}
	}
	if len(scc) > 1 {
		slices.Sort(scc)
		t.sccs = append(t.sccs, scc)
	}
}

// cyclePath returns a shortest dependency path from a back to a through b,
// within one cycle group: the cycle a reason names.
func (v *view) cyclePath(a, b int, of []int) []int {
	back := v.shortestPath(b, a, func(n int) bool { return of[n] == of[a] })
	if back == nil {
		return nil
	}
	return append([]int{a}, back...)
}

// shortestPath finds a shortest dependency path from src to dst through
// nodes accepted by keep, by breadth-first search in id order.
func (v *view) shortestPath(src, dst int, keep func(int) bool) []int {
	prev := map[int]int{src: -1}
	queue := []int{src}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		if n == dst {
			var path []int
			for ; n >= 0; n = prev[n] {
				path = append(path, n)
			}
			slices.Reverse(path)
			return path
		}
		for _, e := range v.out[n] {
			w := v.index[e.To]
			if _, seen := prev[w]; seen || !v.binds(e) || !keep(w) {
				continue
			}
			prev[w] = n
			queue = append(queue, w)
		}
	}
	return nil
}
