package polyglot

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// decodeFile sets the fields of f that encodeFile stored, and leaves f
// as it was when it fails. It fails on anything encodeFile cannot have
// written: a truncated payload, trailing bytes, a reference out of the
// table or to a later call.
func decodeFile(data []byte, f *file) error {
	d := &decoder{data: data}
	n, _ := d.length()
	d.calls = make([]*call, n)
	for i := range d.calls {
		d.calls[i] = &call{}
	}
	for i, c := range d.calls {
		d.limit = i
		d.call(c)
	}
	d.limit = len(d.calls)
	g := file{Path: f.Path, Lang: f.Lang, Generated: f.Generated,
		Lines: d.int(), Package: d.str(), Imports: d.imports(), Calls: d.refs(), Decls: d.decls()}
	if n, ok := d.length(); ok {
		g.Bindings = make(map[string]binding, n)
		for range n {
			k := d.str()
			g.Bindings[k] = binding{Value: d.value(), Type: d.str()}
		}
	}
	if n, ok := d.length(); ok {
		g.Literals = make([]literal, n)
		for i := range g.Literals {
			g.Literals[i] = literal{Text: d.str(), Line: d.int()}
		}
	}
	g.Main, g.ParseError, g.ErrorLine = d.bool(), d.str(), d.int()
	if d.err == nil && len(d.data) > 0 {
		d.fail("trailing bytes")
	}
	if d.err != nil {
		return fmt.Errorf("decoding %s model: %w", fileFormat, d.err)
	}
	*f = g
	return nil
}

func (d *decoder) imports() []importSpec {
	n, ok := d.length()
	if !ok {
		return nil
	}
	ims := make([]importSpec, n)
	for i := range ims {
		ims[i] = importSpec{Module: d.str(), Symbol: d.str(), Local: d.str(), Line: d.int()}
	}
	return ims
}

func (d *decoder) decls() []decl {
	n, ok := d.length()
	if !ok {
		return nil
	}
	ds := make([]decl, n)
	for i := range ds {
		ds[i] = decl{Kind: d.str(), Name: d.str(), Class: d.str(), Decorators: d.refs(), Bases: d.strs(), Line: d.int()}
	}
	return ds
}

type decoder struct {
	data  []byte
	calls []*call
	limit int
	err   error
}

func (d *decoder) fail(msg string) {
	if d.err == nil {
		d.err = errors.New(msg)
	}
	d.data = nil
}

func (d *decoder) call(c *call) {
	flags := d.uint()
	c.New, c.recorded = flags&callNew != 0, flags&callRecorded != 0
	c.Name = d.str()
	c.Recv = d.value()
	c.Args = d.values()
	c.Kw = d.valueMap()
	c.Line = d.int()
}

func (d *decoder) value() value {
	v := value{Kind: valueKind(d.uint())}
	flags := d.uint()
	if v.Kind > vObject || flags >= hasFields<<1 {
		d.fail("bad value")
		return value{}
	}
	if flags&hasStr != 0 {
		v.Str = d.str()
	}
	if flags&hasHoles != 0 {
		v.Holes = d.values()
	}
	if flags&hasCall != 0 {
		v.Call = d.ref()
	}
	if flags&hasItems != 0 {
		v.Items = d.values()
	}
	if flags&hasFields != 0 {
		v.Fields = d.valueMap()
	}
	return v
}

func (d *decoder) values() []value {
	n, ok := d.length()
	if !ok {
		return nil
	}
	vs := make([]value, n)
	for i := range vs {
		vs[i] = d.value()
	}
	return vs
}

func (d *decoder) valueMap() map[string]value {
	n, ok := d.length()
	if !ok {
		return nil
	}
	m := make(map[string]value, n)
	for range n {
		k := d.str()
		m[k] = d.value()
	}
	return m
}

func (d *decoder) refs() []*call {
	n, ok := d.length()
	if !ok {
		return nil
	}
	cs := make([]*call, n)
	for i := range cs {
		cs[i] = d.ref()
	}
	return cs
}

func (d *decoder) ref() *call {
	i := d.uint()
	switch {
	case i == 0:
		return nil
	case i > uint64(d.limit):
		d.fail("bad call reference")
		return nil
	}
	return d.calls[i-1]
}

func (d *decoder) strs() []string {
	n, ok := d.length()
	if !ok {
		return nil
	}
	ss := make([]string, n)
	for i := range ss {
		ss[i] = d.str()
	}
	return ss
}

// length reads the length of a slice or map; ok is false for nil. Every
// element takes at least one byte, which bounds what a damaged length
// can make the decoder allocate.
func (d *decoder) length() (n int, ok bool) {
	u := d.uint()
	if u == 0 {
		return 0, false
	}
	if u-1 > uint64(len(d.data)) {
		d.fail("bad length")
		return 0, false
	}
	return int(u - 1), true
}

func (d *decoder) uint() uint64 {
	u, n := binary.Uvarint(d.data)
	if n <= 0 {
		d.fail("bad number")
		return 0
	}
	d.data = d.data[n:]
	return u
}

func (d *decoder) int() int {
	i, n := binary.Varint(d.data)
	if n <= 0 || i > math.MaxInt || i < math.MinInt {
		d.fail("bad number")
		return 0
	}
	d.data = d.data[n:]
	return int(i)
}

func (d *decoder) bool() bool {
	switch d.uint() {
	case 0:
		return false
	case 1:
		return true
	}
	d.fail("bad bool")
	return false
}

func (d *decoder) str() string {
	n := d.uint()
	if n > uint64(len(d.data)) {
		d.fail("bad string")
		return ""
	}
	s := string(d.data[:n])
	d.data = d.data[n:]
	return s
}
