package polyglot

import (
	"regexp"
	"strings"
)

var (
	percentVerbs      = regexp.MustCompile(`%(\([^)]*\))?[-+ #0]*[0-9.]*[sdifrxXeEgGcu]`)
	bracePlaceholders = regexp.MustCompile(`\{[^{}]*\}`)
)

// concat joins lowered parts into one string value: strings are kept,
// anything else becomes a hole.
func concat(parts ...value) value {
	out := value{Kind: vString}
	for _, p := range parts {
		if p.Kind == vString {
			out.Str += p.Str
			out.Holes = append(out.Holes, p.Holes...)
			continue
		}
		out.Str += hole
		out.Holes = append(out.Holes, p)
	}
	return out
}

// anyString reports whether one of vs is a string.
func anyString(vs ...value) bool {
	for _, v := range vs {
		if v.Kind == vString {
			return true
		}
	}
	return false
}

// formatHoles turns the placeholders of a format string into holes.
func formatHoles(v value, placeholders *regexp.Regexp) value {
	out := value{Kind: vString, Holes: v.Holes}
	out.Str = placeholders.ReplaceAllString(v.Str, hole)
	for range strings.Count(out.Str, hole) - strings.Count(v.Str, hole) {
		out.Holes = append(out.Holes, value{})
	}
	return out
}

// resolveHoles replaces the holes of a string whose expression is a name
// bound, in the file, to a string constant: f"{API}/orders" with
// API = "http://api:8080" becomes "http://api:8080/orders".
func (f *file) resolveHoles(v value) value { return f.resolveDepth(v, 0) }

// maxConstDepth bounds how many bindings a constant is followed through,
// which also ends self-references (url = url + "/x").
const maxConstDepth = 4

func (f *file) resolveDepth(v value, depth int) value {
	if v.Kind != vString || len(v.Holes) == 0 {
		return v
	}
	parts := strings.Split(v.Str, hole)
	out := value{Kind: vString, Str: parts[0]}
	for i, h := range v.Holes {
		if i+1 >= len(parts) {
			break
		}
		if r := f.constant(h, depth+1); r.Kind == vString {
			out.Str += r.Str
			out.Holes = append(out.Holes, r.Holes...)
		} else {
			out.Str += hole
			out.Holes = append(out.Holes, h)
		}
		out.Str += parts[i+1]
	}
	return out
}

// constant follows a name to the string it is bound to, a few steps deep.
func (f *file) constant(v value, depth int) value {
	if depth > maxConstDepth {
		return value{}
	}
	if v.Kind == vString {
		return f.resolveDepth(v, depth)
	}
	if v.Kind != vName {
		return value{}
	}
	for _, name := range []string{v.Str, strings.TrimPrefix(strings.TrimPrefix(v.Str, "this."), "self.")} {
		if b, ok := f.Bindings[name]; ok && b.Value.Kind != vOther {
			return f.constant(b.Value, depth+1)
		}
	}
	return value{}
}

// stringOf returns the string v stands for, resolving names bound to
// constants, with holes where parts are unknown.
func (f *file) stringOf(v value) (value, bool) {
	switch v.Kind {
	case vString:
		return f.resolveHoles(v), true
	case vName:
		if r := f.constant(v, 0); r.Kind == vString {
			return r, true
		}
	}
	return value{}, false
}

// keyText renders a lowered string with each hole as repl.
func keyText(v value, repl string) string {
	return strings.ReplaceAll(v.Str, hole, repl)
}
