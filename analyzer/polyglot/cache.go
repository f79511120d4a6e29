package polyglot

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
)

// fileFormat names the encoded form of a file's model below. Change it
// with the model (ir.go) or its encoding; the build in every key changes
// with any code change too, so this guards against a build that reuses
// an executable's hash, not against stale entries.
const fileFormat = "podsplit-polyglot-file/1"

// fileKey is the cache key of the model of content src lowered with
// grammar by the podsplit identified by build. The model depends on
// nothing else: the lowerer never reads the file's path, and Path, Lang
// and Generated (which the walk sets) are not stored but set on a file
// taken from the cache, so files with equal content share one entry.
func fileKey(build, grammar string, src []byte) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\nbuild %q\ngrammar %q\ncontent %d\n", fileFormat, build, grammar, len(src))
	h.Write(src)
	return hex.EncodeToString(h.Sum(nil))
}

// The encoding is a sequence of varints and length-prefixed strings. A
// call may be reached from several places (file.Calls, a declaration's
// decorators, another call's arguments, a binding), and later stages key
// maps by *call, so calls are stored once, in a table, and referred to by
// number: 0 for nil, i+1 for the table's call i. The table lists a call
// after every call it refers to, which the lowering, whose calls refer
// only to calls inside them, always allows, so a decoded model has no
// cycles. A slice or map is stored as its length plus one, 0 for nil, so
// that nil and empty survive; map entries in key order, so equal models
// encode equally.

// value flags: which of a value's fields follow its kind.
const (
	hasStr = 1 << iota
	hasHoles
	hasCall
	hasItems
	hasFields
)

// call flags.
const (
	callNew = 1 << iota
	callRecorded
)

var errCycle = errors.New("a call refers to itself")

// encodeFile encodes what f's content determines: every field but Path,
// Lang and Generated.
func encodeFile(f *file) ([]byte, error) {
	e := &encoder{index: map[*call]int{}}
	e.collectFile(f)
	e.length(len(e.calls), false)
	for i, c := range e.calls {
		e.limit = i
		e.call(c)
	}
	e.limit = len(e.calls)
	e.int(f.Lines)
	e.str(f.Package)
	e.imports(f.Imports)
	e.refs(f.Calls)
	e.decls(f.Decls)
	e.length(len(f.Bindings), f.Bindings == nil)
	for _, k := range sortedKeys(f.Bindings) {
		e.str(k)
		e.value(f.Bindings[k].Value)
		e.str(f.Bindings[k].Type)
	}
	e.length(len(f.Literals), f.Literals == nil)
	for _, l := range f.Literals {
		e.str(l.Text)
		e.int(l.Line)
	}
	e.bool(f.Main)
	e.str(f.ParseError)
	e.int(f.ErrorLine)
	return e.buf, e.err
}

func (e *encoder) imports(ims []importSpec) {
	e.length(len(ims), ims == nil)
	for _, im := range ims {
		e.str(im.Module)
		e.str(im.Symbol)
		e.str(im.Local)
		e.int(im.Line)
	}
}

func (e *encoder) decls(ds []decl) {
	e.length(len(ds), ds == nil)
	for _, d := range ds {
		e.str(d.Kind)
		e.str(d.Name)
		e.str(d.Class)
		e.refs(d.Decorators)
		e.strs(d.Bases)
		e.int(d.Line)
	}
}

type encoder struct {
	buf   []byte
	calls []*call       // the table
	index map[*call]int // position in the table; -1 while being collected
	limit int           // references must be below this index
	err   error
}

// collectFile fills the call table in the order the encoding visits calls.
func (e *encoder) collectFile(f *file) {
	for _, c := range f.Calls {
		e.collect(c)
	}
	for _, d := range f.Decls {
		for _, c := range d.Decorators {
			e.collect(c)
		}
	}
	for _, k := range sortedKeys(f.Bindings) {
		e.collectValue(f.Bindings[k].Value)
	}
}

func (e *encoder) collect(c *call) {
	if c == nil {
		return
	}
	if _, seen := e.index[c]; seen {
		return
	}
	e.index[c] = -1
	e.collectValue(c.Recv)
	for _, a := range c.Args {
		e.collectValue(a)
	}
	for _, k := range sortedKeys(c.Kw) {
		e.collectValue(c.Kw[k])
	}
	e.index[c] = len(e.calls)
	e.calls = append(e.calls, c)
}

func (e *encoder) collectValue(v value) {
	e.collect(v.Call)
	for _, h := range v.Holes {
		e.collectValue(h)
	}
	for _, it := range v.Items {
		e.collectValue(it)
	}
	for _, k := range sortedKeys(v.Fields) {
		e.collectValue(v.Fields[k])
	}
}

func (e *encoder) call(c *call) {
	var flags uint64
	if c.New {
		flags |= callNew
	}
	if c.recorded {
		flags |= callRecorded
	}
	e.uint(flags)
	e.str(c.Name)
	e.value(c.Recv)
	e.values(c.Args)
	e.valueMap(c.Kw)
	e.int(c.Line)
}

func (e *encoder) value(v value) {
	var flags uint64
	if v.Str != "" {
		flags |= hasStr
	}
	if v.Holes != nil {
		flags |= hasHoles
	}
	if v.Call != nil {
		flags |= hasCall
	}
	if v.Items != nil {
		flags |= hasItems
	}
	if v.Fields != nil {
		flags |= hasFields
	}
	e.uint(uint64(v.Kind))
	e.uint(flags)
	if v.Str != "" {
		e.str(v.Str)
	}
	if v.Holes != nil {
		e.values(v.Holes)
	}
	if v.Call != nil {
		e.ref(v.Call)
	}
	if v.Items != nil {
		e.values(v.Items)
	}
	if v.Fields != nil {
		e.valueMap(v.Fields)
	}
}

func (e *encoder) values(vs []value) {
	e.length(len(vs), vs == nil)
	for _, v := range vs {
		e.value(v)
	}
}

func (e *encoder) valueMap(m map[string]value) {
	e.length(len(m), m == nil)
	for _, k := range sortedKeys(m) {
		e.str(k)
		e.value(m[k])
	}
}

func (e *encoder) refs(cs []*call) {
	e.length(len(cs), cs == nil)
	for _, c := range cs {
		e.ref(c)
	}
}

// ref writes a reference to a call of the table, 0 for nil.
func (e *encoder) ref(c *call) {
	if c == nil {
		e.uint(0)
		return
	}
	i, ok := e.index[c]
	if !ok || i < 0 || i >= e.limit {
		e.err = errCycle
		return
	}
	e.uint(uint64(i) + 1)
}

func (e *encoder) strs(ss []string) {
	e.length(len(ss), ss == nil)
	for _, s := range ss {
		e.str(s)
	}
}

// length writes the length of a slice or map, distinguishing nil.
func (e *encoder) length(n int, isNil bool) {
	if isNil {
		e.uint(0)
		return
	}
	e.uint(uint64(n) + 1)
}

func (e *encoder) uint(u uint64) { e.buf = binary.AppendUvarint(e.buf, u) }
func (e *encoder) int(i int)     { e.buf = binary.AppendVarint(e.buf, int64(i)) }

func (e *encoder) str(s string) {
	e.uint(uint64(len(s)))
	e.buf = append(e.buf, s...)
}

func (e *encoder) bool(b bool) {
	if b {
		e.uint(1)
	} else {
		e.uint(0)
	}
}
