//go:build cgo

package polyglot

import (
	"strings"

	ts "github.com/tree-sitter/go-tree-sitter"
)

// A lowerer turns the captures of one file's query into that file's model.
type lowerer struct {
	src   []byte
	f     *file
	calls map[uintptr]*call // lowered calls by node id, so nested calls lower once
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

// ancestor returns the nearest ancestor of n of one of kinds, or nil.
func ancestor(n *ts.Node, kinds ...string) *ts.Node {
	for p := n.Parent(); p != nil; p = p.Parent() {
		for _, k := range kinds {
			if p.Kind() == k {
				return p
			}
		}
	}
	return nil
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
