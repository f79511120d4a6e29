package evidence

import (
	"math/big"
	"slices"
)

// split divides n in proportion to weights (not all zero) into whole parts
// that add up to n: each part is rounded down, and what is left goes one by
// one to the parts with the largest remainders, earlier parts first on ties.
func split(n int64, weights []int64) []int64 {
	var total big.Int
	for _, w := range weights {
		total.Add(&total, big.NewInt(w))
	}
	parts := make([]int64, len(weights))
	rems := make([]*big.Int, len(weights))
	left := n
	for i, w := range weights {
		var q, r big.Int
		q.Mul(big.NewInt(n), big.NewInt(w))
		q.QuoRem(&q, &total, &r)
		parts[i], rems[i] = q.Int64(), &r
		left -= parts[i]
	}
	order := make([]int, len(weights))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return -rems[a].Cmp(rems[b]) })
	for i := 0; left > 0; i++ {
		parts[order[i%len(order)]]++
		left--
	}
	return parts
}
