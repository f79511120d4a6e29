//go:build cgo

package polyglot

import (
	"strings"

	ts "github.com/tree-sitter/go-tree-sitter"
)

func lowerJava(l *lowerer, capture string, n *ts.Node) {
	switch capture {
	case "package":
		if n.NamedChildCount() > 0 {
			l.f.Package = l.text(n.NamedChild(n.NamedChildCount() - 1))
		}
	case "import":
		l.javaImport(n)
	case "call":
		l.addCall(n, func() *call { return l.javaCall(n) })
	case "class", "method":
		l.javaDecl(n)
	case "var":
		typ := simpleType(l.field(n, "type"))
		field := n.Kind() == "field_declaration"
		for _, d := range namedChildren(n) {
			if d.Kind() != "variable_declarator" {
				continue
			}
			b := binding{Type: typ, Value: l.javaValue(d.ChildByFieldName("value"))}
			name := l.field(d, "name")
			l.f.bind(name, b)
			if field {
				l.f.bind("this."+name, b)
			}
		}
	case "param":
		l.f.bind(l.field(n, "name"), binding{Type: simpleType(l.field(n, "type"))})
	case "string":
		if v := l.javaValue(n); v.Kind == vString {
			l.f.Literals = append(l.f.Literals, literal{Text: v.Str, Line: line(n)})
		}
	}
}

// javaImport lowers "import a.b.C;", "import a.b.*;" and "import static a.b.C.m;".
func (l *lowerer) javaImport(n *ts.Node) {
	text := strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(l.text(n), "import"), ";"))
	static := strings.HasPrefix(text, "static ")
	name := strings.Join(strings.Fields(strings.TrimPrefix(text, "static ")), "")
	spec := importSpec{Line: line(n)}
	switch i := strings.LastIndexByte(name, '.'); {
	case i < 0:
		return
	case strings.HasSuffix(name, ".*"):
		spec.Module, spec.Symbol = name[:i], "*"
	case static:
		spec.Module, spec.Symbol, spec.Local = name[:i], name[i+1:], name[i+1:]
	default:
		spec.Module, spec.Local = name, name[i+1:]
	}
	l.f.Imports = append(l.f.Imports, spec)
}

func (l *lowerer) javaCall(n *ts.Node) *call {
	c := &call{Line: line(n)}
	if n.Kind() == "object_creation_expression" {
		c.Name, c.New = simpleType(l.field(n, "type")), true
	} else {
		c.Name = l.field(n, "name")
		if obj := n.ChildByFieldName("object"); obj != nil {
			c.Recv = l.javaValue(obj)
		}
	}
	for _, a := range namedChildren(n.ChildByFieldName("arguments")) {
		if a.Kind() != "line_comment" && a.Kind() != "block_comment" {
			c.Args = append(c.Args, l.javaValue(a))
		}
	}
	return c
}

func (l *lowerer) javaDecl(n *ts.Node) {
	d := decl{Kind: "class", Name: l.field(n, "name"), Line: line(n), Class: l.enclosingClass()}
	if n.Kind() == "method_declaration" {
		d.Kind = "method"
	} else {
		defer l.open(n, "class", d.Name)
	}
	var mods *ts.Node
	for _, c := range namedChildren(n) {
		switch c.Kind() {
		case "modifiers":
			mods = c
		case "superclass", "super_interfaces", "extends_interfaces":
			for _, t := range typeNames(c) {
				d.Bases = append(d.Bases, l.text(t))
			}
		}
	}
	for _, a := range namedChildren(mods) {
		if a.Kind() == "annotation" || a.Kind() == "marker_annotation" {
			d.Decorators = append(d.Decorators, l.memo(a, func() *call { return l.javaAnnotation(a) }))
		}
	}
	if d.Kind == "method" && d.Name == "main" && mods != nil && strings.Contains(l.text(mods), "static") {
		l.f.Main = true
	}
	l.f.Decls = append(l.f.Decls, d)
}

// typeNames returns the type nodes under an extends or implements clause.
func typeNames(n *ts.Node) []*ts.Node {
	var out []*ts.Node
	for _, c := range namedChildren(n) {
		switch c.Kind() {
		case "type_list":
			out = append(out, typeNames(c)...)
		case "type_identifier", "scoped_type_identifier", "generic_type":
			out = append(out, c)
		}
	}
	return out
}

// javaAnnotation lowers @Name, @Name(v) and @Name(k = v, …) as a call.
func (l *lowerer) javaAnnotation(n *ts.Node) *call {
	name := l.field(n, "name")
	c := &call{Name: simpleType(name), Line: line(n)}
	for _, a := range namedChildren(n.ChildByFieldName("arguments")) {
		if a.Kind() == "element_value_pair" {
			if c.Kw == nil {
				c.Kw = map[string]value{}
			}
			c.Kw[l.field(a, "key")] = l.javaValue(a.ChildByFieldName("value"))
		} else {
			c.Args = append(c.Args, l.javaValue(a))
		}
	}
	return c
}

func (l *lowerer) javaValue(n *ts.Node) value {
	if n == nil {
		return value{}
	}
	switch n.Kind() {
	case "string_literal":
		t := l.text(n)
		for _, q := range []string{`"""`, `"`} {
			if strings.HasPrefix(t, q) && strings.HasSuffix(t, q) && len(t) >= 2*len(q) {
				return value{Kind: vString, Str: unescape(t[len(q) : len(t)-len(q)])}
			}
		}
	case "binary_expression":
		left, right := l.javaValue(n.ChildByFieldName("left")), l.javaValue(n.ChildByFieldName("right"))
		if l.field(n, "operator") == "+" && anyString(left, right) {
			return concat(left, right)
		}
	case "parenthesized_expression":
		if n.NamedChildCount() > 0 {
			return l.javaValue(n.NamedChild(0))
		}
	case "identifier", "this":
		return value{Kind: vName, Str: l.text(n)}
	case "decimal_integer_literal":
		return value{Kind: vString, Str: l.text(n)}
	case "field_access", "scoped_identifier":
		return value{Kind: vName, Str: strings.Join(strings.Fields(l.text(n)), "")}
	case "method_invocation", "object_creation_expression":
		c := l.memo(n, func() *call { return l.javaCall(n) })
		if c.Name == "format" && (c.recvName() == "String" || c.Recv.Kind == vString) {
			if c.Recv.Kind == vString {
				return formatHoles(c.Recv, percentVerbs)
			}
			if len(c.Args) > 0 && c.Args[0].Kind == vString {
				return formatHoles(c.Args[0], percentVerbs)
			}
		}
		return value{Kind: vCall, Call: c}
	case "element_value_array_initializer", "array_initializer":
		v := value{Kind: vList}
		for _, c := range namedChildren(n) {
			v.Items = append(v.Items, l.javaValue(c))
		}
		return v
	case "annotation", "marker_annotation":
		return value{Kind: vCall, Call: l.memo(n, func() *call { return l.javaAnnotation(n) })}
	}
	return value{}
}
