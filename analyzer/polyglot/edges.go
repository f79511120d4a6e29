package polyglot

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/podsplit/podsplit/graph"
)

// MechanismImport is the mechanism of the call edges this package adds:
// one component imports another and calls what it imported.
const MechanismImport = "import"

// Approximate starts the evidence detail of a call resolved by the name an
// import binds, without types: a local name shadowing the import, or a
// method reached through a variable of another type, can mislead it.
const Approximate = "approximate: resolved by name"

// A scope maps the names one file binds by its imports to their targets.
type scope map[string]target

// scopeOf resolves the imports of f; names bound by wildcard imports stand
// for the top-level definitions of the module they import.
func (ix *index) scopeOf(f *file) (scope, []resolved) {
	sc := scope{}
	var imps []resolved
	for _, s := range f.Imports {
		t, ok := ix.resolve(f, s)
		if !ok {
			continue
		}
		imps = append(imps, resolved{spec: s, target: t})
		switch {
		case t.member == "*":
			for _, name := range ix.topLevel(f, t) {
				sc[name] = target{comp: t.comp, module: t.module, member: name}
			}
			if s.Local != "" {
				sc[s.Local] = target{comp: t.comp, module: t.module}
			}
		case s.Local != "":
			sc[s.Local] = t
		}
	}
	return sc, imps
}

// A resolved import is an import whose target is in the repository.
type resolved struct {
	spec   importSpec
	target target
}

// topLevel lists the names a wildcard import of t brings in.
func (ix *index) topLevel(f *file, t target) []string {
	var files []*file
	switch f.Lang {
	case Python:
		if m := ix.pyFind(f, t.module); m != nil {
			files = []*file{m}
		}
	case Java:
		files = ix.javaPackages[t.module]
	default:
		if m, ok := ix.jsFiles[ix.jsFile(t.module)]; ok {
			files = []*file{m}
		}
	}
	var names []string
	for _, m := range files {
		for _, d := range m.Decls {
			if d.Class == "" && d.Kind != "method" {
				names = append(names, d.Name)
			}
		}
	}
	return names
}

// lookup resolves the target of a call by the names the file's imports
// bind: a bound function or class, a member of a bound module or class, or
// a method of a variable whose declared type is bound or that was assigned
// the result of a resolved call (p = fmt.Price(n); p.show()).
func (sc scope) lookup(f *file, c *call) (target, string, bool) {
	return sc.lookupDepth(f, c, 0)
}

func (sc scope) lookupDepth(f *file, c *call, depth int) (target, string, bool) {
	rn := c.recvName()
	if rn == "" && c.Recv.Kind == vOther {
		t, ok := sc[c.Name]
		return t, "", ok
	}
	if rn == "" || depth > 4 {
		return target{}, "", false
	}
	if t, ok := sc[rn]; ok {
		return t, c.Name, true
	}
	if b, ok := f.Bindings[rn]; ok {
		if t, ok := sc[b.Type]; ok && b.Type != "" {
			return t, c.Name, true
		}
		if b.Value.Kind == vCall {
			if t, m, ok := sc.lookupDepth(f, b.Value.Call, depth+1); ok {
				return t, joinModule(m, c.Name), true
			}
		}
	}
	if first, rest, ok := strings.Cut(rn, "."); ok {
		if t, ok := sc[first]; ok {
			return t, rest + "." + c.Name, true
		}
	}
	return target{}, "", false
}

type edgeAcc struct {
	e       *graph.Edge
	sites   map[string]bool
	callees map[string]*graph.Callee
}

// An edgeSet gathers the import edges, one per pair of components.
type edgeSet map[[2]string]*edgeAcc

func (es edgeSet) get(from, to string) *edgeAcc {
	k := [2]string{from, to}
	if es[k] == nil {
		es[k] = &edgeAcc{e: &graph.Edge{From: from, To: to, Kind: graph.KindCall, Mechanism: MechanismImport},
			sites: map[string]bool{}, callees: map[string]*graph.Callee{}}
	}
	return es[k]
}

// addImportEdges adds one call edge per pair of components an import links,
// with the imports and the calls resolved through them as evidence.
// Generated files add none: their imports are the generator's, not a design.
func (ix *index) addImportEdges(g *graph.Graph) {
	es := edgeSet{}
	for _, f := range ix.files {
		if f.Generated {
			g.Drop("imports of generated files", len(f.Imports))
			continue
		}
		ix.fileEdges(es, f)
	}
	keys := make([][2]string, 0, len(es))
	for k := range es {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b [2]string) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) })
	for _, k := range keys {
		a := es[k]
		a.e.Static = len(a.sites)
		for _, name := range sortedKeys(a.callees) {
			a.e.Callees = append(a.e.Callees, *a.callees[name])
		}
		g.Edges = append(g.Edges, a.e)
	}
}

// fileEdges adds the imports of f and the calls resolved through them.
func (ix *index) fileEdges(es edgeSet, f *file) {
	from := ix.comp[f.Path]
	sc, imps := ix.scopeOf(f)
	for _, r := range imps {
		if r.target.comp != from {
			es.get(from, r.target.comp).add(fmt.Sprintf("%s:%d", f.Path, r.spec.Line), "import "+describeImport(r.spec))
		}
	}
	for _, c := range f.Calls {
		t, member, ok := sc.lookup(f, c)
		if !ok || t.comp == from {
			continue
		}
		name := t.qualified(f.Lang)
		if member != "" {
			name += "." + member
		}
		a := es.get(from, t.comp)
		a.add(fmt.Sprintf("%s:%d", f.Path, c.Line), Approximate+": "+name)
		a.callee(name)
	}
}

func (a *edgeAcc) add(pos, detail string) {
	a.sites[pos] = true
	a.e.Evidence = append(a.e.Evidence, graph.Evidence{Pos: pos, Detail: detail})
	a.e.EvidenceTotal++
}

func (a *edgeAcc) callee(name string) {
	if a.callees[name] == nil {
		a.callees[name] = &graph.Callee{Func: name}
	}
	a.callees[name].Sites++
}

func describeImport(s importSpec) string {
	switch s.Symbol {
	case "":
		return s.Module
	case "*":
		return s.Module + " (all)"
	}
	return s.Module + " " + s.Symbol
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
