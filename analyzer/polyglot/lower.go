//go:build cgo

package polyglot

import (
	"strings"

	ts "github.com/tree-sitter/go-tree-sitter"
)

// A lowerer turns the captures of one file's query into that file's model.
type lowerer struct {
	src    []byte
	f      *file
	calls  map[uintptr]*call // lowered calls by node id, so nested calls lower once
	scopes []scopeRange
	// skipStrings ends the range whose strings are parts of something
	// already lowered: an implicit concatenation, an import's source.
	skipStrings uint
	// docs marks Python docstrings, which are prose, not SQL;
	// lastLiteral is the node of the literal last recorded.
	docs        map[uintptr]bool
	lastLiteral uintptr
}

func (l *lowerer) text(n *ts.Node) string {
	if n == nil {
		return ""
	}
	return n.Utf8Text(l.src)
}

func line(n *ts.Node) int { return int(n.StartPosition().Row) + 1 }

// field returns the text of n's child under field name.
func (l *lowerer) field(n *ts.Node, name string) string {
	return l.text(n.ChildByFieldName(name))
}

// namedChildren returns n's named children.
func namedChildren(n *ts.Node) []*ts.Node {
	if n == nil {
		return nil
	}
	out := make([]*ts.Node, 0, n.NamedChildCount())
	for i := range n.NamedChildCount() {
		if c := n.NamedChild(i); c != nil {
			out = append(out, c)
		}
	}
	return out
}

// A scopeRange is a class or function the lowerer is inside: captures
// arrive in document order, so a stack of the open ones, popped as
// captures pass their end, tells what encloses each node without walking
// up the tree (ts_node_parent searches down from the root every time).
type scopeRange struct {
	end        uint
	kind, name string // kind "class" or "func"
}

// at pops the scopes that end before n.
func (l *lowerer) at(n *ts.Node) {
	for len(l.scopes) > 0 && l.scopes[len(l.scopes)-1].end <= n.StartByte() {
		l.scopes = l.scopes[:len(l.scopes)-1]
	}
}

// open enters the class or function n.
func (l *lowerer) open(n *ts.Node, kind, name string) {
	l.scopes = append(l.scopes, scopeRange{end: n.EndByte(), kind: kind, name: name})
}

// enclosing is the innermost open scope, zero at top level.
func (l *lowerer) enclosing() scopeRange {
	if len(l.scopes) == 0 {
		return scopeRange{}
	}
	return l.scopes[len(l.scopes)-1]
}

// enclosingClass names the innermost open class, "" when none.
func (l *lowerer) enclosingClass() string {
	for i := len(l.scopes) - 1; i >= 0; i-- {
		if l.scopes[i].kind == "class" {
			return l.scopes[i].name
		}
	}
	return ""
}

// memo returns the call already lowered for n, or lowers it with build.
func (l *lowerer) memo(n *ts.Node, build func() *call) *call {
	if c, ok := l.calls[n.Id()]; ok {
		return c
	}
	c := build()
	l.calls[n.Id()] = c
	return c
}

// addCall records a call once, however many captures reach it.
func (l *lowerer) addCall(n *ts.Node, build func() *call) *call {
	c := l.memo(n, build)
	if !c.recorded {
		c.recorded = true
		l.f.Calls = append(l.f.Calls, c)
	}
	return c
}

var unescaper = strings.NewReplacer(`\n`, "\n", `\t`, "\t", `\r`, "\r", `\"`, `"`, `\'`, "'", `\\`, `\`, "\\`", "`", `\/`, "/")

// unescape decodes the escapes that matter for URLs and SQL.
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	return unescaper.Replace(s)
}

// simpleType strips generics, arrays and qualifiers from a type name:
// "List<Invoice>" → "List", "com.x.Y" → "Y".
func simpleType(t string) string {
	if i := strings.IndexAny(t, "<["); i >= 0 {
		t = t[:i]
	}
	t = strings.TrimSpace(t)
	if i := strings.LastIndexByte(t, '.'); i >= 0 {
		t = t[i+1:]
	}
	return t
}
