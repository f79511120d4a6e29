package plan

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"text/tabwriter"
)

// Library marks a shared library in a reference decomposition.
const Library = "-"

// An EvalResult compares a plan's target with a reference decomposition,
// package by package. See docs/metrics.md for the definitions.
type EvalResult struct {
	// Packages is the number of packages compared: those in both.
	Packages int `json:"packages"`
	// OnlyInTruth and OnlyInPlan list packages the other side lacks.
	OnlyInTruth []string `json:"only_in_truth,omitempty"`
	OnlyInPlan  []string `json:"only_in_plan,omitempty"`
	// Services and TruthServices count the services on each side.
	Services      int `json:"services"`
	TruthServices int `json:"truth_services"`
	// MoJoFM is in percent; libraries form one cluster on each side.
	MoJoFM float64 `json:"mojofm"`
	// ARI is the adjusted Rand index, libraries as one cluster.
	ARI float64 `json:"ari"`
	// Pairwise precision, recall and F1 over the pairs of packages that
	// both sides put in services.
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	// Library precision and recall: packages marked "-".
	LibraryPrecision float64 `json:"library_precision"`
	LibraryRecall    float64 `json:"library_recall"`
}

// ParseTruth reads a reference decomposition: one line per package,
// "package path<TAB>service name", "-" for a shared library; blank lines
// and lines starting with "#" are skipped. Errors name the line.
func ParseTruth(r io.Reader) (map[string]string, error) {
	out := map[string]string{}
	seen := map[string]int{}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		fields := strings.Split(line, "\t")
		if len(fields) != 2 || strings.TrimSpace(fields[0]) == "" || strings.TrimSpace(fields[1]) == "" {
			return nil, fmt.Errorf("reading reference decomposition: line %d: want \"package path<TAB>service name\", got %q", n, line)
		}
		pkg, svc := strings.TrimSpace(fields[0]), strings.TrimSpace(fields[1])
		if first, dup := seen[pkg]; dup {
			return nil, fmt.Errorf("reading reference decomposition: line %d: package %s already listed on line %d", n, pkg, first)
		}
		seen[pkg] = n
		out[pkg] = svc
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading reference decomposition: %w", err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("reading reference decomposition: no packages")
	}
	return out, nil
}

// Assignment maps every package of a plan's target to its service name, or
// to Library. Components without packages count under their id.
func Assignment(p *Plan) map[string]string {
	byComp := map[string]string{}
	for _, s := range p.Target.Services {
		for _, c := range s.Containers {
			for _, id := range c.Components {
				byComp[id] = s.Name
			}
		}
	}
	for _, id := range p.Target.Libraries {
		byComp[id] = Library
	}
	out := map[string]string{}
	for _, c := range p.Components {
		svc, ok := byComp[c.ID]
		if !ok {
			continue
		}
		if len(c.Packages) == 0 {
			out[c.ID] = svc
		}
		for _, pkg := range c.Packages {
			out[pkg] = svc
		}
	}
	return out
}

// Evaluate compares a plan with the reference decomposition read from truth.
func Evaluate(p *Plan, truth io.Reader) (EvalResult, error) {
	ref, err := ParseTruth(truth)
	if err != nil {
		return EvalResult{}, err
	}
	return compare(Assignment(p), ref), nil
}

func compare(plan, ref map[string]string) EvalResult {
	var r EvalResult
	var common []string
	for pkg := range ref {
		if _, ok := plan[pkg]; ok {
			common = append(common, pkg)
		} else {
			r.OnlyInTruth = append(r.OnlyInTruth, pkg)
		}
	}
	for pkg := range plan {
		if _, ok := ref[pkg]; !ok {
			r.OnlyInPlan = append(r.OnlyInPlan, pkg)
		}
	}
	slices.Sort(common)
	slices.Sort(r.OnlyInTruth)
	slices.Sort(r.OnlyInPlan)
	r.Packages = len(common)
	a, b := labels(plan, common), labels(ref, common)
	r.Services, r.TruthServices = services(plan, common), services(ref, common)
	if len(common) == 0 {
		return r
	}
	r.MoJoFM = round2(mojoFM(a, b))
	r.ARI = round4(ari(a, b))
	r.Precision, r.Recall, r.F1 = pairwise(plan, ref, common)
	r.LibraryPrecision, r.LibraryRecall = libraryPR(plan, ref, common)
	return r
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }

// labels numbers the clusters of an assignment over the given packages, in
// order of first appearance; all libraries share one cluster.
func labels(assign map[string]string, pkgs []string) []int {
	ids := map[string]int{}
	out := make([]int, len(pkgs))
	for i, p := range pkgs {
		s := assign[p]
		id, ok := ids[s]
		if !ok {
			id = len(ids)
			ids[s] = id
		}
		out[i] = id
	}
	return out
}

func services(assign map[string]string, pkgs []string) int {
	seen := map[string]bool{}
	for _, p := range pkgs {
		if s := assign[p]; s != Library {
			seen[s] = true
		}
	}
	return len(seen)
}

// ari is the adjusted Rand index of Hubert and Arabie.
func ari(a, b []int) float64 {
	table := map[[2]int]int{}
	rows, cols := map[int]int{}, map[int]int{}
	for i := range a {
		table[[2]int{a[i], b[i]}]++
		rows[a[i]]++
		cols[b[i]]++
	}
	var sum, sumA, sumB float64
	for _, n := range table {
		sum += choose2(n)
	}
	for _, n := range rows {
		sumA += choose2(n)
	}
	for _, n := range cols {
		sumB += choose2(n)
	}
	expected := sumA * sumB / choose2(len(a))
	denom := (sumA+sumB)/2 - expected
	if denom == 0 {
		if sum == sumA && sum == sumB {
			return 1
		}
		return 0
	}
	return (sum - expected) / denom
}

func choose2(n int) float64 { return float64(n) * float64(n-1) / 2 }

// pairwise compares the pairs of packages put in one service, over the
// packages both sides place in services.
func pairwise(plan, ref map[string]string, pkgs []string) (precision, recall, f1 float64) {
	var in []string
	for _, p := range pkgs {
		if plan[p] != Library && ref[p] != Library {
			in = append(in, p)
		}
	}
	var both, inPlan, inRef float64
	for i, x := range in {
		for _, y := range in[i+1:] {
			sp, sr := plan[x] == plan[y], ref[x] == ref[y]
			if sp {
				inPlan++
			}
			if sr {
				inRef++
			}
			if sp && sr {
				both++
			}
		}
	}
	precision, recall = ratio(both, inPlan), ratio(both, inRef)
	if precision+recall > 0 {
		f1 = 2 * precision * recall / (precision + recall)
	}
	return round4(precision), round4(recall), round4(f1)
}

// ratio is x/n, or 1 when n is 0 (nothing claimed, nothing missed).
func ratio(x, n float64) float64 {
	if n == 0 {
		return 1
	}
	return x / n
}

func libraryPR(plan, ref map[string]string, pkgs []string) (precision, recall float64) {
	var both, inPlan, inRef float64
	for _, p := range pkgs {
		lp, lr := plan[p] == Library, ref[p] == Library
		if lp {
			inPlan++
		}
		if lr {
			inRef++
		}
		if lp && lr {
			both++
		}
	}
	return round4(ratio(both, inPlan)), round4(ratio(both, inRef))
}

// WriteEval prints an evaluation as text.
func WriteEval(w io.Writer, r EvalResult) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "packages compared\t%d\n", r.Packages)
	fmt.Fprintf(tw, "services\t%d (reference %d)\n", r.Services, r.TruthServices)
	fmt.Fprintf(tw, "MoJoFM\t%.2f%%\n", r.MoJoFM)
	fmt.Fprintf(tw, "adjusted Rand index\t%.4f\n", r.ARI)
	fmt.Fprintf(tw, "pairwise precision / recall / F1\t%.4f / %.4f / %.4f\n", r.Precision, r.Recall, r.F1)
	fmt.Fprintf(tw, "library precision / recall\t%.4f / %.4f\n", r.LibraryPrecision, r.LibraryRecall)
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, list := range []struct {
		what string
		pkgs []string
	}{{"only in the reference", r.OnlyInTruth}, {"only in the plan", r.OnlyInPlan}} {
		if len(list.pkgs) > 0 {
			if _, err := fmt.Fprintf(w, "%s (%d): %s\n", list.what, len(list.pkgs), strings.Join(list.pkgs, ", ")); err != nil {
				return err
			}
		}
	}
	return nil
}
