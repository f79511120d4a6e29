//go:build cgo

package polyglot

import (
	"strings"

	ts "github.com/tree-sitter/go-tree-sitter"
)

func lowerJS(l *lowerer, capture string, n *ts.Node) {
	switch capture {
	case "import":
		l.jsImport(n)
	case "call":
		c := l.addCall(n, func() *call { return l.jsCall(n) })
		l.jsDynamicImport(n, c)
	case "class", "method", "func":
		l.jsDecl(n)
	case "var":
		if name := n.ChildByFieldName("name"); name != nil && name.Kind() == "identifier" {
			l.f.bind(l.text(name), binding{Value: l.jsValue(n.ChildByFieldName("value"))})
		}
	case "assign":
		if left := n.ChildByFieldName("left"); left.Kind() == "identifier" || left.Kind() == "member_expression" {
			l.f.bind(l.jsName(left), binding{Value: l.jsValue(n.ChildByFieldName("right"))})
		}
	case "field":
		name := n.ChildByFieldName("name")
		if name == nil {
			name = n.ChildByFieldName("property")
		}
		b := binding{Type: l.jsType(n), Value: l.jsValue(n.ChildByFieldName("value"))}
		l.f.bind("this."+l.text(name), b)
	case "param":
		if p := n.ChildByFieldName("pattern"); p != nil && p.Kind() == "identifier" {
			b := binding{Type: l.jsType(n)}
			l.f.bind(l.text(p), b)
			if strings.Contains(l.text(n), "private ") || strings.Contains(l.text(n), "public ") ||
				strings.Contains(l.text(n), "protected ") || strings.Contains(l.text(n), "readonly ") {
				l.f.bind("this."+l.text(p), b)
			}
		}
	case "string":
		if n.StartByte() < l.skipStrings {
			return // an import's source
		}
		if v := l.jsValue(n); v.Kind == vString {
			l.f.Literals = append(l.f.Literals, literal{Text: v.Str, Line: line(n)})
		}
	}
}

// jsType is the simple name of a declaration's type annotation.
func (l *lowerer) jsType(n *ts.Node) string {
	t := n.ChildByFieldName("type")
	if t == nil {
		return ""
	}
	return simpleType(strings.TrimSpace(strings.TrimPrefix(l.text(t), ":")))
}

// jsImport lowers import declarations and re-exports.
func (l *lowerer) jsImport(n *ts.Node) {
	l.skipStrings = n.EndByte()
	src := l.jsValue(n.ChildByFieldName("source"))
	if !src.isString() {
		return
	}
	ln := line(n)
	add := func(symbol, local string) {
		l.f.Imports = append(l.f.Imports, importSpec{Module: src.Str, Symbol: symbol, Local: local, Line: ln})
	}
	var clause *ts.Node
	for _, c := range namedChildren(n) {
		if c.Kind() == "import_clause" {
			clause = c
		}
	}
	if clause == nil {
		add("*", "")
		return
	}
	for _, c := range namedChildren(clause) {
		switch c.Kind() {
		case "identifier":
			add("default", l.text(c))
		case "namespace_import":
			if c.NamedChildCount() > 0 {
				add("*", l.text(c.NamedChild(0)))
			}
		case "named_imports":
			for _, s := range namedChildren(c) {
				if s.Kind() != "import_specifier" {
					continue
				}
				name, local := l.field(s, "name"), l.field(s, "alias")
				if local == "" {
					local = name
				}
				add(name, local)
			}
		}
	}
}

// jsDynamicImport records require("m") and import("m") as imports, bound to
// the names a declaration destructures or assigns them to.
func (l *lowerer) jsDynamicImport(n *ts.Node, c *call) {
	fn := n.ChildByFieldName("function")
	if fn == nil || !(fn.Kind() == "import" || (c.Name == "require" && c.Recv.Kind == vOther)) || len(c.Args) == 0 || !c.Args[0].isString() {
		return
	}
	mod, ln := c.Args[0].Str, line(n)
	decl := n.Parent()
	if decl != nil && decl.Kind() == "await_expression" {
		decl = decl.Parent()
	}
	name := (*ts.Node)(nil)
	if decl != nil && decl.Kind() == "variable_declarator" {
		name = decl.ChildByFieldName("name")
	}
	switch {
	case name != nil && name.Kind() == "identifier":
		l.f.Imports = append(l.f.Imports, importSpec{Module: mod, Symbol: "*", Local: l.text(name), Line: ln})
	case name != nil && name.Kind() == "object_pattern":
		for _, p := range namedChildren(name) {
			switch p.Kind() {
			case "shorthand_property_identifier_pattern":
				l.f.Imports = append(l.f.Imports, importSpec{Module: mod, Symbol: l.text(p), Local: l.text(p), Line: ln})
			case "pair_pattern":
				l.f.Imports = append(l.f.Imports, importSpec{Module: mod, Symbol: l.field(p, "key"), Local: l.field(p, "value"), Line: ln})
			}
		}
	default:
		l.f.Imports = append(l.f.Imports, importSpec{Module: mod, Symbol: "*", Line: ln})
	}
}

func (l *lowerer) jsCall(n *ts.Node) *call {
	c := &call{Line: line(n), New: n.Kind() == "new_expression"}
	fn := n.ChildByFieldName("function")
	if c.New {
		fn = n.ChildByFieldName("constructor")
	}
	// The TypeScript grammar parses "await a.b<T>(x)" with the await
	// around the callee.
	for fn != nil && (fn.Kind() == "await_expression" || fn.Kind() == "parenthesized_expression" || fn.Kind() == "non_null_expression") && fn.NamedChildCount() > 0 {
		fn = fn.NamedChild(0)
	}
	switch {
	case fn == nil:
	case fn.Kind() == "identifier":
		c.Name = l.text(fn)
	case fn.Kind() == "member_expression":
		c.Name = l.field(fn, "property")
		c.Recv = l.jsValue(fn.ChildByFieldName("object"))
	default:
		c.Recv = l.jsValue(fn)
	}
	for _, a := range namedChildren(n.ChildByFieldName("arguments")) {
		if a.Kind() != "comment" {
			c.Args = append(c.Args, l.jsValue(a))
		}
	}
	return c
}

func (l *lowerer) jsDecl(n *ts.Node) {
	d := decl{Kind: "func", Name: l.field(n, "name"), Line: line(n), Class: l.enclosingClass()}
	var decorators []*ts.Node
	switch n.Kind() {
	case "method_definition":
		d.Kind = "method"
		for s := n.PrevNamedSibling(); s != nil && s.Kind() == "decorator"; s = s.PrevNamedSibling() {
			decorators = append([]*ts.Node{s}, decorators...)
		}
	case "function_declaration":
	default:
		d.Kind = "class"
		defer l.open(n, "class", d.Name)
		for _, c := range namedChildren(n) {
			switch c.Kind() {
			case "decorator":
				decorators = append(decorators, c)
			case "class_heritage":
				for _, h := range namedChildren(c) {
					for _, t := range namedChildren(h) {
						d.Bases = append(d.Bases, l.text(t))
					}
					if h.Kind() == "identifier" || h.Kind() == "member_expression" {
						d.Bases = append(d.Bases, l.text(h))
					}
				}
			}
		}
		if p := n.Parent(); p != nil && p.Kind() == "export_statement" {
			for _, c := range namedChildren(p) {
				if c.Kind() == "decorator" {
					decorators = append(decorators, c)
				}
			}
		}
	}
	for _, dn := range decorators {
		d.Decorators = append(d.Decorators, l.jsDecorator(dn))
	}
	l.f.Decls = append(l.f.Decls, d)
}

// jsDecorator lowers @Get(":id") as a call and @Injectable as one without arguments.
func (l *lowerer) jsDecorator(n *ts.Node) *call {
	if n.NamedChildCount() == 0 {
		return &call{Line: line(n)}
	}
	e := n.NamedChild(0)
	if e.Kind() == "call_expression" {
		return l.memo(e, func() *call { return l.jsCall(e) })
	}
	name := l.jsName(e)
	c := &call{Line: line(n), Name: name}
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		c.Name, c.Recv = name[i+1:], value{Kind: vName, Str: name[:i]}
	}
	return c
}

// jsName renders an identifier or a chain of property accesses as a dotted name.
func (l *lowerer) jsName(n *ts.Node) string {
	if v := l.jsValue(n); v.Kind == vName {
		return v.Str
	}
	return ""
}

func (l *lowerer) jsValue(n *ts.Node) value {
	if n == nil {
		return value{}
	}
	switch n.Kind() {
	case "string":
		var s strings.Builder
		for _, c := range namedChildren(n) {
			s.WriteString(l.text(c))
		}
		return value{Kind: vString, Str: unescape(s.String())}
	case "template_string":
		return l.jsTemplate(n)
	case "binary_expression":
		left, right := l.jsValue(n.ChildByFieldName("left")), l.jsValue(n.ChildByFieldName("right"))
		if l.field(n, "operator") == "+" && anyString(left, right) {
			return concat(left, right)
		}
	case "parenthesized_expression", "await_expression", "as_expression", "satisfies_expression", "non_null_expression":
		if n.NamedChildCount() > 0 {
			return l.jsValue(n.NamedChild(0))
		}
	case "identifier", "this", "property_identifier", "shorthand_property_identifier":
		return value{Kind: vName, Str: l.text(n)}
	case "number":
		return value{Kind: vString, Str: l.text(n)}
	case "member_expression":
		if obj := l.jsValue(n.ChildByFieldName("object")); obj.Kind == vName {
			return value{Kind: vName, Str: obj.Str + "." + l.field(n, "property")}
		}
	case "call_expression", "new_expression":
		return value{Kind: vCall, Call: l.memo(n, func() *call { return l.jsCall(n) })}
	case "array":
		v := value{Kind: vList}
		for _, c := range namedChildren(n) {
			v.Items = append(v.Items, l.jsValue(c))
		}
		return v
	case "object":
		return l.jsObject(n)
	}
	return value{}
}

func (l *lowerer) jsTemplate(n *ts.Node) value {
	v := value{Kind: vString}
	for _, c := range namedChildren(n) {
		switch c.Kind() {
		case "string_fragment", "escape_sequence":
			v.Str += unescape(l.text(c))
		case "template_substitution":
			v.Str += hole
			var e value
			if c.NamedChildCount() > 0 {
				e = l.jsValue(c.NamedChild(0))
			}
			v.Holes = append(v.Holes, e)
		}
	}
	return v
}

func (l *lowerer) jsObject(n *ts.Node) value {
	v := value{Kind: vObject, Fields: map[string]value{}}
	for _, p := range namedChildren(n) {
		switch p.Kind() {
		case "pair":
			key := p.ChildByFieldName("key")
			k := l.text(key)
			if key.Kind() == "string" {
				k = l.jsValue(key).Str
			}
			v.Fields[k] = l.jsValue(p.ChildByFieldName("value"))
		case "shorthand_property_identifier":
			v.Fields[l.text(p)] = value{Kind: vName, Str: l.text(p)}
		}
	}
	return v
}
