package polyglot

import (
	"slices"
	"strings"

	"github.com/podsplit/podsplit/analyzer/link"
)

// djangoFuncs are the URLconf functions, by the qualified name they are imported as.
var djangoFuncs = map[string]string{
	"django.urls.path": "path", "django.urls.re_path": "re_path", "django.conf.urls.url": "re_path",
	"django.urls.include": "include", "django.conf.urls.include": "include",
}

// djangoFunc tells which URLconf function a call is: "path", "re_path",
// "include" or "".
func (d *view) djangoFunc(c *call) string {
	if c.Recv.Kind != vOther {
		return djangoFuncs[d.origin(value{Kind: vName, Str: c.recvName()})+"."+c.Name]
	}
	return djangoFuncs[d.libs[c.Name]]
}

// A djangoInclude is path("api/", include("orders.urls")) seen in a URLconf.
type djangoInclude struct{ parent, child, prefix string }

// djangoIncludes maps every included URLconf module to the URL prefixes it
// is reached under, following includes through any depth.
func djangoIncludes(ix *index) map[string][]string {
	incs := collectIncludes(ix)
	out := map[string][]string{}
	for _, in := range incs {
		out[in.child] = includePrefixes(incs, in.child, nil)
	}
	return out
}

// collectIncludes finds every path(prefix, include(module)) of the repository.
func collectIncludes(ix *index) []djangoInclude {
	var incs []djangoInclude
	for _, f := range ix.files {
		if f.Lang != Python {
			continue
		}
		v := ix.view(f)
		for _, c := range f.Calls {
			if fn := v.djangoFunc(c); fn != "path" && fn != "re_path" || len(c.Args) < 2 {
				continue
			}
			inc := c.Args[1]
			if inc.Kind != vCall || v.djangoFunc(inc.Call) != "include" {
				continue
			}
			route, ok := v.djangoRoute(c)
			if child := v.includedModule(inc.Call); ok && child != "" {
				incs = append(incs, djangoInclude{ix.pyNames[f], child, route})
			}
		}
	}
	return incs
}

// includePrefixes lists the prefixes mod is reached under: "" for a root
// URLconf, else each includer's prefixes joined with its include's.
func includePrefixes(incs []djangoInclude, mod string, seen []string) []string {
	var ps []string
	included := false
	for _, in := range incs {
		if in.child != mod || slices.Contains(seen, in.parent) {
			continue
		}
		included = true
		for _, p := range includePrefixes(incs, in.parent, append(seen, mod)) {
			ps = append(ps, joinPath(p, in.prefix))
		}
	}
	if !included {
		return []string{""}
	}
	return ps
}

// includedModule names the module an include() call takes: a dotted
// string or an imported module.
func (d *view) includedModule(inc *call) string {
	arg, ok := inc.arg(0, "arg")
	if !ok {
		return ""
	}
	if arg.isString() {
		return arg.Str
	}
	if arg.Kind == vName {
		if l, ok := d.locals[arg.Str]; ok && (l.member == "" || l.member == "*") {
			return d.ix.pyNames[l.file]
		}
	}
	return ""
}

// djangoRoute reads a path() or re_path() route as a link route pattern.
func (d *view) djangoRoute(c *call) (string, bool) {
	v, ok := c.arg(0, "route")
	if !ok {
		return "", false
	}
	s, ok := d.f.stringOf(v)
	if !ok || !s.isString() {
		return "", false
	}
	if d.djangoFunc(c) == "re_path" {
		return regexRoute(s.Str), true
	}
	return s.Str, true
}

// detectDjango finds the routes of Django URLconfs, under the prefixes of
// the URLconfs that include them.
func detectDjango(d *detection) {
	if d.f.Lang != Python {
		return
	}
	prefixes := d.ix.djangoPrefixes[d.ix.pyNames[d.f]]
	if len(prefixes) == 0 {
		prefixes = []string{""}
	}
	for _, c := range d.f.Calls {
		if fn := d.djangoFunc(c); fn != "path" && fn != "re_path" || len(c.Args) < 2 {
			continue
		}
		if inc := c.Args[1]; inc.Kind == vCall && d.djangoFunc(inc.Call) == "include" {
			continue
		}
		route, ok := d.djangoRoute(c)
		if !ok {
			continue
		}
		for _, p := range prefixes {
			d.fact(link.Serve, link.HTTP, routeKey("", joinPath(p, route)), c.Line, "Django URLconf "+d.djangoFunc(c))
		}
	}
}

// regexRoute turns a re_path pattern into a route: anchors go, named
// groups become {name} and other groups *.
func regexRoute(re string) string {
	re = strings.TrimSuffix(strings.TrimPrefix(re, "^"), "$")
	var out strings.Builder
	for i := 0; i < len(re); i++ {
		switch {
		case re[i] == '\\' && i+1 < len(re):
			i++
			out.WriteByte(re[i])
		case re[i] == '(':
			end := groupEnd(re, i)
			if name, ok := strings.CutPrefix(re[i:end], "(?P<"); ok {
				out.WriteString("{" + name[:max(strings.IndexByte(name, '>'), 0)] + "}")
			} else {
				out.WriteByte('*')
			}
			i = end - 1
		case strings.IndexByte("?+*", re[i]) >= 0:
		default:
			out.WriteByte(re[i])
		}
	}
	return out.String()
}

// groupEnd returns the index just after the group opening at i.
func groupEnd(re string, i int) int {
	depth := 0
	for j := i; j < len(re); j++ {
		switch re[j] {
		case '\\':
			j++
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return j + 1
			}
		}
	}
	return len(re)
}
