//go:build cgo

package polyglot

import (
	"strings"

	ts "github.com/tree-sitter/go-tree-sitter"
)

func lowerPython(l *lowerer, capture string, n *ts.Node) {
	switch capture {
	case "import":
		l.pyImport(n)
	case "call":
		l.addCall(n, func() *call { return l.pyCall(n) })
	case "decorator":
		l.pyDecorator(n)
	case "class", "func":
		l.pyDef(n)
	case "assign":
		l.pyAssign(n)
	case "with":
		p := n.ChildByFieldName("value")
		if alias := p.ChildByFieldName("alias"); alias != nil && p.NamedChildCount() > 0 {
			l.f.bind(strings.TrimSpace(l.text(alias)), binding{Value: l.pyValue(p.NamedChild(0))})
		}
	case "string":
		if n.StartByte() < l.skipStrings {
			return
		}
		if n.Kind() == "concatenated_string" {
			l.skipStrings = n.EndByte()
		}
		if v := l.pyValue(n); v.Kind == vString && !l.docs[n.Id()] {
			l.f.Literals = append(l.f.Literals, literal{Text: v.Str, Line: line(n)})
			l.lastLiteral = n.Id()
		}
	case "docstring":
		// The same node is also captured as a string, before or after.
		l.docs[n.Id()] = true
		if k := len(l.f.Literals); k > 0 && l.lastLiteral == n.Id() {
			l.f.Literals = l.f.Literals[:k-1]
		}
	case "guard":
		if t := l.text(n); strings.Contains(t, "__name__") && strings.Contains(t, "__main__") {
			l.f.Main = true
		}
	}
}

// pyImport lowers "import a.b as c" and "from ..a import b as c, *".
func (l *lowerer) pyImport(n *ts.Node) {
	ln := line(n)
	if n.Kind() == "import_statement" {
		for _, c := range namedChildren(n) {
			mod, local := l.pyImportName(c)
			l.f.Imports = append(l.f.Imports, importSpec{Module: mod, Local: local, Line: ln})
		}
		return
	}
	mod := l.field(n, "module_name")
	for _, c := range namedChildren(n) {
		switch {
		case c.Kind() == "wildcard_import":
			l.f.Imports = append(l.f.Imports, importSpec{Module: mod, Symbol: "*", Line: ln})
		case c.Kind() == "dotted_name" || c.Kind() == "aliased_import":
			if c.StartByte() == n.ChildByFieldName("module_name").StartByte() {
				continue
			}
			name, local := l.pyImportName(c)
			l.f.Imports = append(l.f.Imports, importSpec{Module: mod, Symbol: name, Local: local, Line: ln})
		}
	}
}

func (l *lowerer) pyImportName(c *ts.Node) (name, local string) {
	if c.Kind() == "aliased_import" {
		return l.field(c, "name"), l.field(c, "alias")
	}
	return l.text(c), l.text(c)
}

func (l *lowerer) pyCall(n *ts.Node) *call {
	c := &call{Line: line(n)}
	fn := n.ChildByFieldName("function")
	switch fn.Kind() {
	case "identifier":
		c.Name = l.text(fn)
	case "attribute":
		c.Name = l.field(fn, "attribute")
		c.Recv = l.pyValue(fn.ChildByFieldName("object"))
	default:
		c.Recv = l.pyValue(fn)
	}
	args := n.ChildByFieldName("arguments")
	for _, a := range namedChildren(args) {
		switch a.Kind() {
		case "keyword_argument":
			if c.Kw == nil {
				c.Kw = map[string]value{}
			}
			c.Kw[l.field(a, "name")] = l.pyValue(a.ChildByFieldName("value"))
		case "list_splat", "dictionary_splat", "comment":
		default:
			c.Args = append(c.Args, l.pyValue(a))
		}
	}
	return c
}

// pyDecorator lowers a decorator as a call; bare decorators have no arguments.
func (l *lowerer) pyDecorator(n *ts.Node) {
	if n.NamedChildCount() == 0 {
		return
	}
	e := n.NamedChild(0)
	if e.Kind() == "call" {
		l.memo(e, func() *call { return l.pyCall(e) })
		return
	}
	l.memo(n, func() *call {
		v := l.pyValue(e)
		c := &call{Line: line(n)}
		if i := strings.LastIndexByte(v.Str, '.'); v.Kind == vName && i >= 0 {
			c.Name, c.Recv = v.Str[i+1:], value{Kind: vName, Str: v.Str[:i]}
		} else {
			c.Name = v.Str
		}
		return c
	})
}

func (l *lowerer) pyDef(n *ts.Node) {
	d := decl{Kind: "func", Name: l.field(n, "name"), Line: line(n)}
	if n.Kind() == "class_definition" {
		d.Kind = "class"
		for _, b := range namedChildren(n.ChildByFieldName("superclasses")) {
			if b.Kind() != "keyword_argument" {
				d.Bases = append(d.Bases, l.text(b))
			}
		}
	}
	if sc := l.enclosing(); sc.kind == "class" {
		d.Kind, d.Class = "method", sc.name
	}
	if p := n.Parent(); p != nil && p.Kind() == "decorated_definition" {
		for _, dn := range namedChildren(p) {
			if dn.Kind() != "decorator" || dn.NamedChildCount() == 0 {
				continue
			}
			key := dn
			if e := dn.NamedChild(0); e.Kind() == "call" {
				key = e
			}
			l.pyDecorator(dn)
			d.Decorators = append(d.Decorators, l.calls[key.Id()])
		}
	}
	l.f.Decls = append(l.f.Decls, d)
	if d.Kind == "class" {
		l.open(n, "class", d.Name)
	} else {
		l.open(n, "func", d.Name)
	}
}

func (l *lowerer) pyAssign(n *ts.Node) {
	left, right := n.ChildByFieldName("left"), n.ChildByFieldName("right")
	if left == nil || (left.Kind() != "identifier" && left.Kind() != "attribute") {
		return
	}
	b := binding{Type: simpleType(l.field(n, "type"))}
	if right != nil {
		b.Value = l.pyValue(right)
	}
	l.f.bind(l.text(left), b)
	// A class attribute is also bound under its class: Order.__tablename__.
	if sc := l.enclosing(); sc.kind == "class" {
		l.f.bind(sc.name+"."+l.text(left), b)
	}
}

// pyValue lowers an expression.
func (l *lowerer) pyValue(n *ts.Node) value {
	if n == nil {
		return value{}
	}
	switch n.Kind() {
	case "string":
		return l.pyString(n)
	case "concatenated_string":
		var parts []value
		for _, c := range namedChildren(n) {
			parts = append(parts, l.pyString(c))
		}
		return concat(parts...)
	case "binary_operator":
		return l.pyBinary(n)
	case "parenthesized_expression", "await":
		if n.NamedChildCount() > 0 {
			return l.pyValue(n.NamedChild(0))
		}
	case "identifier":
		return value{Kind: vName, Str: l.text(n)}
	case "integer":
		return value{Kind: vString, Str: l.text(n)}
	case "attribute":
		if obj := l.pyValue(n.ChildByFieldName("object")); obj.Kind == vName {
			return value{Kind: vName, Str: obj.Str + "." + l.field(n, "attribute")}
		}
	case "call":
		return l.pyCallValue(n)
	case "list", "tuple", "set":
		v := value{Kind: vList}
		for _, c := range namedChildren(n) {
			v.Items = append(v.Items, l.pyValue(c))
		}
		return v
	case "dictionary":
		return l.pyDict(n)
	}
	return value{}
}

// pyString lowers a literal or f-string; interpolations become holes.
func (l *lowerer) pyString(n *ts.Node) value {
	v := value{Kind: vString}
	for _, c := range namedChildren(n) {
		switch c.Kind() {
		case "string_content":
			v.Str += unescape(l.text(c))
		case "interpolation":
			v.Str += hole
			v.Holes = append(v.Holes, l.pyValue(c.ChildByFieldName("expression")))
		}
	}
	return v
}

func (l *lowerer) pyBinary(n *ts.Node) value {
	left, right := l.pyValue(n.ChildByFieldName("left")), l.pyValue(n.ChildByFieldName("right"))
	switch l.field(n, "operator") {
	case "+":
		if anyString(left, right) {
			return concat(left, right)
		}
	case "%":
		if left.Kind == vString {
			return formatHoles(left, percentVerbs)
		}
	}
	return value{}
}

// pyCallValue lowers a call used as a value; str(x) and "…".format(…) are
// strings with holes.
func (l *lowerer) pyCallValue(n *ts.Node) value {
	c := l.memo(n, func() *call { return l.pyCall(n) })
	switch {
	case c.Name == "str" && c.Recv.Kind == vOther && len(c.Args) == 1:
		return concat(c.Args[0])
	case c.Name == "format" && c.Recv.Kind == vString:
		return formatHoles(c.Recv, bracePlaceholders)
	}
	return value{Kind: vCall, Call: c}
}

func (l *lowerer) pyDict(n *ts.Node) value {
	v := value{Kind: vObject, Fields: map[string]value{}}
	for _, p := range namedChildren(n) {
		if p.Kind() != "pair" {
			continue
		}
		if k := l.pyValue(p.ChildByFieldName("key")); k.isString() {
			v.Fields[k.Str] = l.pyValue(p.ChildByFieldName("value"))
		}
	}
	return v
}
