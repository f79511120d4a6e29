package synth

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
)

const moneyFile = `// Package money is a stateless value library used by every domain.
package money

import "fmt"

// Money is an amount in cents of a currency.
type Money struct {
	Cents    int64
	Currency string
}

// Add returns a+b; currencies must match.
func Add(a, b Money) Money { return Money{Cents: a.Cents + b.Cents, Currency: a.Currency} }

// Scale multiplies m by n.
func Scale(m Money, n int64) Money { return Money{Cents: m.Cents * n, Currency: m.Currency} }

// Format renders m for people.
func Format(m Money) string { return fmt.Sprintf("%d.%02d %s", m.Cents/100, m.Cents%100, m.Currency) }
`

// packageFile renders package i: Funcs functions that call into earlier
// packages, plus the domain's shared cache (first package of a domain), its
// port interface (declared in the first package) and the port's
// implementation (last package of the domain).
func packageFile(o Options, pkgs []Package, i int, rng *rand.Rand) string {
	p := pkgs[i]
	first, last := domainBounds(pkgs, p.Domain)
	imports := map[string]bool{o.Module + "/money": true}
	var body strings.Builder
	if i == first {
		fmt.Fprintf(&body, "// Cache is the domain's shared mutable state.\nvar Cache = map[string]money.Money{}\n\n")
		fmt.Fprintf(&body, "// Port is implemented at the other end of the domain and injected by main.\ntype Port interface{ Handle(key string, n int64) money.Money }\n\n")
		fmt.Fprintf(&body, "// Impl is the injected implementation of Port.\nvar Impl Port\n\n")
	}
	if i == last && last != first {
		imports[pkgs[first].Path] = true
		fmt.Fprintf(&body, "// Handler implements %s.Port.\ntype Handler struct{ seen int64 }\n\n", pkgName(pkgs[first].Dir))
		fmt.Fprintf(&body, "func (h *Handler) Handle(key string, n int64) money.Money {\n\th.seen += n\n\t%[1]s.Cache[key] = money.Scale(%[1]s.Cache[key], 2)\n\treturn %[1]s.Cache[key]\n}\n\n", pkgName(pkgs[first].Dir))
	}
	for f := range o.Funcs {
		var lines []string
		lines = append(lines, fmt.Sprintf("total := money.Money{Cents: n * %d, Currency: \"EUR\"}", f+1))
		for _, j := range callTargets(o, pkgs, i, rng) {
			imports[pkgs[j].Path] = true
			lines = append(lines, fmt.Sprintf("total = money.Add(total, %s.F%d(key, n-1))", pkgName(pkgs[j].Dir), rng.IntN(o.Funcs)))
		}
		if f == 0 && i != first {
			imports[pkgs[first].Path] = true
			lines = append(lines, fmt.Sprintf("if c, ok := %s.Cache[key]; ok {\n\t\ttotal = money.Add(total, c)\n\t}", pkgName(pkgs[first].Dir)))
		}
		if f == 1 && i != first {
			imports[pkgs[first].Path] = true
			lines = append(lines, fmt.Sprintf("if %[1]s.Impl != nil {\n\t\ttotal = money.Add(total, %[1]s.Impl.Handle(key, n))\n\t}", pkgName(pkgs[first].Dir)))
		}
		lines = append(lines, "return total")
		fmt.Fprintf(&body, "// F%d computes part of the domain's total.\nfunc F%d(key string, n int64) money.Money {\n\tif n <= 0 {\n\t\treturn money.Money{Currency: \"EUR\"}\n\t}\n%s}\n\n", f, f, indent(lines))
	}
	return fmt.Sprintf("// Package %s is generated.\npackage %s\n\n%s%s", pkgName(p.Dir), pkgName(p.Dir), importBlock(imports, p.Path), strings.TrimRight(body.String(), "\n")+"\n")
}

func domainBounds(pkgs []Package, d int) (first, last int) {
	first, last = -1, -1
	for i, p := range pkgs {
		if p.Domain == d {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	return first, last
}

func importBlock(imports map[string]bool, self string) string {
	delete(imports, self)
	paths := slices.Sorted(mapKeys(imports))
	var b strings.Builder
	b.WriteString("import (\n")
	for _, p := range paths {
		fmt.Fprintf(&b, "\t%q\n", p)
	}
	b.WriteString(")\n\n")
	return b.String()
}

// mainFile wires every domain's implementation into its port and calls the
// last package of each domain.
func mainFile(o Options, pkgs []Package) string {
	imports := map[string]bool{"fmt": true}
	var lines []string
	for d := range o.Domains {
		first, last := domainBounds(pkgs, d)
		if first < 0 {
			continue
		}
		imports[pkgs[first].Path] = true
		imports[pkgs[last].Path] = true
		if last != first {
			lines = append(lines, fmt.Sprintf("%s.Impl = &%s.Handler{}", pkgName(pkgs[first].Dir), pkgName(pkgs[last].Dir)))
		}
		lines = append(lines, fmt.Sprintf("fmt.Println(%s.F0(\"k\", 3))", pkgName(pkgs[last].Dir)))
	}
	return fmt.Sprintf("// Command app wires the synthetic monolith.\npackage main\n\n%sfunc main() {\n%s}\n", importBlock(imports, ""), indent(lines))
}
