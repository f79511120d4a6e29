package plan

import "slices"

// MoJo distance (Tzerpos and Holt) and MoJoFM (Wen and Tzerpos, 2004).
//
// mno(A, B) is the least number of Move and Join operations that turn
// partition A into partition B. Wen and Tzerpos compute it exactly: tag every
// cluster A_i with a cluster B_j it shares the most objects with; objects of
// A_i outside its tag must move (M = n − Σ_i max_j |A_i ∩ B_j|); clusters of
// A that share a tag must be joined (J = |A| − G, where G is the number of
// distinct tags used). Ties between tags are settled by a maximum bipartite
// matching between the clusters of A and their best tags, which maximises G.
//
// MoJoFM(A, B) = (1 − mno(A, B) / max mno(∀A, B)) × 100, where the largest
// distance any partition can have to B is n − g(B), with g(B) computed
// as in the reference implementation: go through B's cluster sizes in
// increasing order, counting one more group each time a size exceeds the
// count so far.

// mno returns the MoJo distance from a to b, partitions given as the
// cluster label of each object (same length, labels 0..k−1 per partition).
func mno(a, b []int) int {
	ka, kb := count(a), count(b)
	v := make([][]int, ka)
	for i := range v {
		v[i] = make([]int, kb)
	}
	for o := range a {
		v[a[o]][b[o]]++
	}
	moves := len(a)
	best := make([][]int, ka) // A_i → tags of maximal overlap
	for i, row := range v {
		m := slices.Max(row)
		moves -= m
		for j, x := range row {
			if x == m && m > 0 {
				best[i] = append(best[i], j)
			}
		}
	}
	return moves + ka - matching(best, kb)
}

func count(labels []int) int {
	k := 0
	for _, l := range labels {
		k = max(k, l+1)
	}
	return k
}

// matching returns the size of a maximum matching of a bipartite graph
// given as adjacency lists from the left side (augmenting paths, Kuhn).
func matching(adj [][]int, right int) int {
	match := make([]int, right)
	for i := range match {
		match[i] = -1
	}
	n := 0
	for u := range adj {
		seen := make([]bool, right)
		if augment(u, adj, match, seen) {
			n++
		}
	}
	return n
}

func augment(u int, adj [][]int, match []int, seen []bool) bool {
	for _, w := range adj[u] {
		if seen[w] {
			continue
		}
		seen[w] = true
		if match[w] < 0 || augment(match[w], adj, match, seen) {
			match[w] = u
			return true
		}
	}
	return false
}

// maxMNO is the largest MoJo distance from any partition to b.
func maxMNO(b []int) int {
	sizes := make([]int, count(b))
	for _, l := range b {
		sizes[l]++
	}
	slices.Sort(sizes)
	g := 0
	for _, s := range sizes {
		if g < s {
			g++
		}
	}
	return len(b) - g
}

// mojoFM returns MoJoFM(a, b) in percent; 100 when b cannot be missed.
func mojoFM(a, b []int) float64 {
	m := maxMNO(b)
	if m == 0 {
		return 100
	}
	return 100 * (1 - float64(mno(a, b))/float64(m))
}
