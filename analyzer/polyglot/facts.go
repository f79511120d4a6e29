package polyglot

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/podsplit/podsplit/analyzer/link"
)

// A detection is the state of link detection in one file: the external
// names its imports bind, and the facts found so far.
type detection struct {
	*view
	comp string
	// handled marks calls a specific rule recognised, so the generic
	// OpenAPI-helper rule does not count them twice.
	handled map[*call]bool
	facts   []link.Fact
}

// A view is one file seen through its imports.
type view struct {
	ix *index
	f  *file
	// libs maps a name the file binds to the qualified external name it
	// imports: "requests" → "requests", "Flask" → "flask.Flask",
	// "RestTemplate" → "org.springframework.web.client.RestTemplate".
	libs map[string]string
	// locals maps a name the file imports from the repository to the
	// file and member it comes from, so origins can follow it there.
	locals map[string]localName
}

// detectors run in order on every file; each adds the facts of one kind.
var detectors = []func(*detection){
	detectRoutes, detectDjango, detectClients, detectGRPC, detectBroker,
	detectSQL, detectListen, detectGovernance, detectHelperClients,
}

// detectFacts returns the link facts of every file, sorted.
func (ix *index) detectFacts() []link.Fact {
	ix.views = map[*file]*view{}
	ix.djangoPrefixes = djangoIncludes(ix)
	var out []link.Fact
	for _, f := range ix.files {
		d := &detection{view: ix.view(f), comp: ix.comp[f.Path], handled: map[*call]bool{}}
		for _, run := range detectors {
			run(d)
		}
		out = append(out, d.facts...)
	}
	slices.SortFunc(out, func(a, b link.Fact) int {
		return cmp.Or(strings.Compare(a.Pos, b.Pos), strings.Compare(a.Mechanism, b.Mechanism),
			strings.Compare(a.Role, b.Role), strings.Compare(a.Key, b.Key), strings.Compare(a.Detail, b.Detail))
	})
	return slices.Compact(out)
}

// A localName is a name imported from a file of the repository.
type localName struct {
	file   *file
	member string
}

// view returns f seen through its imports: the names they bind, split
// into external ones and ones from the repository's own files. Views are
// made once per file.
func (ix *index) view(f *file) *view {
	if d, ok := ix.views[f]; ok {
		return d
	}
	d := &view{ix: ix, f: f, libs: map[string]string{}, locals: map[string]localName{}}
	ix.views[f] = d
	sep := "."
	if f.Lang == JavaScript || f.Lang == TypeScript {
		sep = "#"
	}
	for _, s := range f.Imports {
		if s.Local == "" {
			continue
		}
		if t, ok := ix.resolve(f, s); ok {
			if m := ix.moduleFile(f, t); m != nil {
				d.locals[s.Local] = localName{file: m, member: t.member}
			}
			continue
		}
		switch s.Symbol {
		case "", "*", "default":
			d.libs[s.Local] = s.Module
		default:
			d.libs[s.Local] = s.Module + sep + s.Symbol
		}
	}
	return d
}

// moduleFile is the file a resolved Python or JS import names.
func (ix *index) moduleFile(f *file, t target) *file {
	switch f.Lang {
	case Python:
		return ix.pyFind(f, t.module)
	case JavaScript, TypeScript:
		return ix.jsFiles[ix.jsFile(t.module)]
	}
	return nil
}

// fact records one link fact at a line of the file.
func (d *detection) fact(role, mech, key string, line int, detail string) {
	d.facts = append(d.facts, link.Fact{Component: d.comp, Language: d.f.Lang, Role: role,
		Mechanism: mech, Key: key, Pos: fmt.Sprintf("%s:%d", d.f.Path, line), Detail: detail})
}

// origin names where a value comes from, through the file's imports and
// bindings: requests.Session() → "requests.Session"; a field declared as
// RestTemplate → "org.springframework.web.client.RestTemplate"; a name
// that leads to nothing imported → "".
func (d *view) origin(v value) string { return d.originDepth(v, 0) }

func (d *view) originDepth(v value, depth int) string {
	if depth > 6 {
		return ""
	}
	switch v.Kind {
	case vName:
		if lib, ok := d.libs[v.Str]; ok {
			return lib
		}
		if l, ok := d.locals[v.Str]; ok && l.member != "" && l.member != "*" {
			return d.ix.view(l.file).originDepth(value{Kind: vName, Str: l.member}, depth+1)
		}
		if b, ok := d.f.Bindings[v.Str]; ok {
			if b.Type != "" {
				if lib, ok := d.libs[b.Type]; ok {
					return lib
				}
				return b.Type
			}
			return d.originDepth(b.Value, depth+1)
		}
		if first, rest, ok := strings.Cut(v.Str, "."); ok {
			if lib, ok := d.libs[first]; ok {
				return lib + "." + rest
			}
		}
	case vCall:
		c := v.Call
		if c.Recv.Kind == vOther {
			if lib, ok := d.libs[c.Name]; ok {
				return lib
			}
			return c.Name
		}
		if base := d.originDepth(c.Recv, depth+1); base != "" {
			return base + "." + c.Name
		}
	}
	return ""
}

// originHas reports whether the origin of v contains one of parts,
// ignoring case.
func (d *view) originHas(v value, parts ...string) bool {
	o := strings.ToLower(d.origin(v))
	if o == "" {
		return false
	}
	for _, p := range parts {
		if strings.Contains(o, strings.ToLower(p)) {
			return true
		}
	}
	return false
}

// strings returns the constant strings v holds: itself, or a list's items.
func (d *view) strs(v value) []value {
	if v.Kind == vList {
		var out []value
		for _, it := range v.Items {
			out = append(out, d.strs(it)...)
		}
		return out
	}
	if s, ok := d.f.stringOf(v); ok {
		return []value{s}
	}
	return nil
}
