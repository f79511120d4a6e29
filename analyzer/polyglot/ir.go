package polyglot

import "strings"

// The front end lowers every syntax tree to the small, language-neutral
// model below, so that component building, import resolution and framework
// detection are plain Go over plain data, shared by the three grammars.

// hole stands, inside a lowered string, for a part not known statically: an
// interpolation, a concatenated variable.
const hole = "\x00"

type valueKind uint8

const (
	vOther  valueKind = iota // anything not modelled
	vString                  // Str, with holes; Holes holds their expressions
	vName                    // Str is a dotted name: "requests", "self.session", "this.http"
	vCall                    // Call
	vList                    // Items
	vObject                  // Fields: a JS object literal or a Python dict
)

// A value is what the front end knows about an expression without running it.
type value struct {
	Kind   valueKind
	Str    string
	Holes  []value
	Call   *call
	Items  []value
	Fields map[string]value
}

// isString reports a string known in full, without holes.
func (v value) isString() bool { return v.Kind == vString && !strings.Contains(v.Str, hole) }

// A call is one call expression, constructor call, decorator or annotation.
type call struct {
	// Name is the called function or method; for a constructor, the class.
	Name string
	// Recv is the receiver or qualifier ("requests" in requests.get), vOther when absent.
	Recv value
	New  bool
	Args []value
	// Kw holds keyword arguments (Python) and annotation elements (Java).
	Kw   map[string]value
	Line int
	// recorded is set once the call is in file.Calls.
	recorded bool
}

// arg returns the keyword argument name, or else positional argument i.
func (c *call) arg(i int, name string) (value, bool) {
	if v, ok := c.Kw[name]; ok && name != "" {
		return v, true
	}
	if i >= 0 && i < len(c.Args) {
		return c.Args[i], true
	}
	return value{}, false
}

// recvName is the dotted receiver name, or "".
func (c *call) recvName() string {
	if c.Recv.Kind == vName {
		return c.Recv.Str
	}
	return ""
}

// A decl is a class, function or method definition with its decorators.
type decl struct {
	Kind       string // "class", "func" or "method"
	Name       string
	Class      string // enclosing class of a method
	Decorators []*call
	Bases      []string // superclasses and interfaces, as written
	Line       int
}

// An importSpec is one name an import brings in.
type importSpec struct {
	// Module is the imported module as written: "worker.db", "..util",
	// "com.shop.billing.model.Invoice", "./api/orders", "axios".
	Module string
	// Symbol is the imported member: "" for the module itself, "*" for
	// all of it (a wildcard or a namespace), "default" for a JS default.
	Symbol string
	// Local is the name the file uses for it, "" when none is bound.
	Local string
	Line  int
}

// A binding is what a file-level or local name was assigned or declared as.
// Scopes are flattened: the first binding of a name in a file that tells
// something (a type, or a value that is not opaque) wins, so that
// "session = None" does not hide "session = requests.Session()".
type binding struct {
	Value value
	Type  string // the declared type, when written
}

// A literal is a string constant in the code, kept for SQL detection.
type literal struct {
	Text string
	Line int
}

// A file is one parsed source file.
type file struct {
	Path      string // repository-relative, with slashes
	Lang      string
	Lines     int
	Generated bool
	// Package is the Java package declaration.
	Package  string
	Imports  []importSpec
	Calls    []*call
	Decls    []decl
	Bindings map[string]binding
	Literals []literal
	// Main is set by a Python __main__ guard or a Java static main method.
	Main bool
	// ParseError is the first syntax error, "" when the tree is clean.
	ParseError string
	ErrorLine  int
}

// bind records the first binding of name.
func (f *file) bind(name string, b binding) {
	if name == "" {
		return
	}
	if f.Bindings == nil {
		f.Bindings = map[string]binding{}
	}
	if old, ok := f.Bindings[name]; !ok || old.Type == "" && old.Value.Kind == vOther {
		f.Bindings[name] = b
	}
}
