package graph

import (
	"cmp"
	"strconv"
	"strings"
)

// ComparePos orders "file:line[:col]" positions as evidence is ordered.
func ComparePos(a, b string) int { return comparePos(a, b) }

// comparePos orders "file:line[:col]" positions by file, then numerically by
// line and column, so that evidence reads top to bottom.
func comparePos(a, b string) int {
	fa, la, ca := splitPos(a)
	fb, lb, cb := splitPos(b)
	return cmp.Or(cmp.Compare(fa, fb), cmp.Compare(la, lb), cmp.Compare(ca, cb), cmp.Compare(a, b))
}

func splitPos(p string) (file string, line, col int) {
	file = p
	for _, dst := range []*int{&col, &line} {
		i := strings.LastIndexByte(file, ':')
		if i < 0 {
			break
		}
		n, err := strconv.Atoi(file[i+1:])
		if err != nil {
			break
		}
		*dst, file = n, file[:i]
	}
	if line == 0 && col != 0 {
		line, col = col, 0
	}
	return file, line, col
}
