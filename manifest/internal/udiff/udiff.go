// Package udiff writes line diffs in the unified format of diff -u.
//
// An edit script is computed from the longest common subsequence of the two
// texts' lines; changes are grouped into hunks with three lines of context.
// Inputs are manifests of a few hundred lines, for which the quadratic
// table is small; past maxCells the texts are shown as replaced whole.
package udiff

import (
	"fmt"
	"strings"
)

const (
	context  = 3
	maxCells = 4 << 20
)

// An op is one line of an edit script: ' ' kept, '-' deleted, '+' inserted.
type op struct {
	kind byte
	text string
	a, b int // line indexes in a and b before this op
}

// Unified returns the diff from a to b, headed by their names, or "" when
// they are equal.
func Unified(aName, bName, a, b string) string {
	if a == b {
		return ""
	}
	ops := script(lines(a), lines(b))
	var w strings.Builder
	fmt.Fprintf(&w, "--- %s\n+++ %s\n", aName, bName)
	for _, h := range hunks(ops) {
		writeHunk(&w, ops[h[0]:h[1]])
	}
	return w.String()
}

func lines(s string) []string {
	if s == "" {
		return nil
	}
	l := strings.SplitAfter(s, "\n")
	if l[len(l)-1] == "" {
		l = l[:len(l)-1]
	}
	return l
}

// script returns the edit script turning a into b.
func script(a, b []string) []op {
	if len(a)*len(b) > maxCells {
		return replaceAll(a, b)
	}
	// lcs[i][j] is the length of the LCS of a[i:] and b[j:].
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var ops []op
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			ops = append(ops, op{' ', a[i], i, j})
			i, j = i+1, j+1
		case j < len(b) && (i == len(a) || lcs[i][j+1] > lcs[i+1][j]):
			ops = append(ops, op{'+', b[j], i, j})
			j++
		default:
			ops = append(ops, op{'-', a[i], i, j})
			i++
		}
	}
	return ops
}

func replaceAll(a, b []string) []op {
	var ops []op
	for i, l := range a {
		ops = append(ops, op{'-', l, i, 0})
	}
	for j, l := range b {
		ops = append(ops, op{'+', l, len(a), j})
	}
	return ops
}

// hunks returns [start, end) ranges of ops: each change with up to context
// kept lines around it, ranges that touch merged.
func hunks(ops []op) [][2]int {
	var out [][2]int
	for k, o := range ops {
		if o.kind == ' ' {
			continue
		}
		start, end := max(0, k-context), min(len(ops), k+context+1)
		if n := len(out); n > 0 && start <= out[n-1][1] {
			out[n-1][1] = max(out[n-1][1], end)
		} else {
			out = append(out, [2]int{start, end})
		}
	}
	return out
}

func writeHunk(w *strings.Builder, ops []op) {
	na, nb := 0, 0
	for _, o := range ops {
		if o.kind != '+' {
			na++
		}
		if o.kind != '-' {
			nb++
		}
	}
	fmt.Fprintf(w, "@@ -%s +%s @@\n", span(ops[0].a, na), span(ops[0].b, nb))
	for _, o := range ops {
		w.WriteByte(o.kind)
		w.WriteString(o.text)
		if !strings.HasSuffix(o.text, "\n") {
			w.WriteString("\n\\ No newline at end of file\n")
		}
	}
}

// span formats a hunk range as diff -u does: an empty range is given by
// the line before it.
func span(start, n int) string {
	switch n {
	case 0:
		return fmt.Sprintf("%d,0", start)
	case 1:
		return fmt.Sprintf("%d", start+1)
	}
	return fmt.Sprintf("%d,%d", start+1, n)
}
