package plan

import (
	"math"
	"strings"
	"testing"

	"github.com/podsplit/podsplit/graph"
)

func TestMoJo(t *testing.T) {
	for _, tc := range []struct {
		name     string
		a, b     []int // cluster of objects 0..n-1
		mno      int
		fm       float64
		ariValue float64
	}{
		// One object (c) must move.
		{"one move", []int{0, 0, 0, 1, 1}, []int{0, 0, 1, 1, 1}, 1, 100 * (1 - 1.0/3), math.NaN()},
		// Three singletons joined twice; no partition can be further from B.
		{"joins", []int{0, 1, 2}, []int{0, 0, 0}, 2, 0, 0},
		{"identical", []int{0, 0, 1, 2, 2}, []int{1, 1, 0, 2, 2}, 0, 100, 1},
		// Every cluster of A ties between both tags: only a matching of
		// tags finds that no join is needed.
		{"ties", []int{0, 0, 1, 1}, []int{0, 1, 0, 1}, 2, 0, -0.5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := mno(tc.a, tc.b); got != tc.mno {
				t.Errorf("mno = %d, want %d", got, tc.mno)
			}
			if got := mojoFM(tc.a, tc.b); math.Abs(got-tc.fm) > 1e-9 {
				t.Errorf("MoJoFM = %.4f, want %.4f", got, tc.fm)
			}
			if !math.IsNaN(tc.ariValue) {
				if got := ari(tc.a, tc.b); math.Abs(got-tc.ariValue) > 1e-9 {
					t.Errorf("ARI = %.4f, want %.4f", got, tc.ariValue)
				}
			}
		})
	}
}

func TestMaxMNO(t *testing.T) {
	// Sizes 1,1,2,6,9 (the shop's reference): g = 4, so 19 − 4.
	var b []int
	for cluster, size := range []int{1, 1, 2, 6, 9} {
		for range size {
			b = append(b, cluster)
		}
	}
	if got := maxMNO(b); got != 15 {
		t.Errorf("maxMNO = %d, want 15", got)
	}
}

func TestParseTruthErrors(t *testing.T) {
	for _, tc := range []struct{ data, want string }{
		{"# c\nexample.com/a\tx\nexample.com/b x\n", "line 3: want"},
		{"example.com/a\tx\n\nexample.com/a\ty\n", "line 3: package example.com/a already listed on line 1"},
		{"example.com/a\t\n", "line 1: want"},
		{"# only comments\n", "no packages"},
	} {
		if _, err := ParseTruth(strings.NewReader(tc.data)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseTruth(%q) = %v, want error containing %q", tc.data, err, tc.want)
		}
	}
}

// TestEvaluate compares a hand-made plan with a reference: one package is
// in the wrong service, one library is missed.
func TestEvaluate(t *testing.T) {
	comp := func(id string) *graph.Component {
		return &graph.Component{ID: "m/" + id, Packages: []string{"m/" + id}}
	}
	p := &Plan{
		Components: []*graph.Component{comp("a"), comp("b"), comp("c"), comp("d"), comp("lib"), comp("util")},
		Target: Target{
			Services: []Service{
				{Name: "s1", Containers: []Container{{Components: []string{"m/a", "m/b", "m/c"}}}},
				{Name: "s2", Containers: []Container{{Components: []string{"m/d", "m/util"}}}},
			},
			Libraries: []string{"m/lib"},
		},
	}
	truth := "m/a\tone\nm/b\tone\nm/c\ttwo\nm/d\ttwo\nm/lib\t-\nm/util\t-\nm/gone\tone\n"
	r, err := Evaluate(p, strings.NewReader(truth))
	if err != nil {
		t.Fatal(err)
	}
	if r.Packages != 6 || len(r.OnlyInTruth) != 1 || r.Services != 2 || r.TruthServices != 2 {
		t.Errorf("counts: %+v", r)
	}
	// Pairs in services on both sides: a, b, c, d. Plan: ab ac bc; truth: ab cd.
	if r.Precision != round4(1.0/3) || r.Recall != 0.5 {
		t.Errorf("pairwise precision/recall = %v/%v, want 1/3 and 1/2", r.Precision, r.Recall)
	}
	if r.LibraryPrecision != 1 || r.LibraryRecall != 0.5 {
		t.Errorf("library precision/recall = %v/%v, want 1 and 0.5", r.LibraryPrecision, r.LibraryRecall)
	}
	// Two moves (c to two, util to the libraries); the reference's sizes
	// 2, 2, 2 allow at most 6 − 2 = 4.
	if r.MoJoFM != 50 {
		t.Errorf("MoJoFM = %v", r.MoJoFM)
	}
}
