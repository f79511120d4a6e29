package report

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"io"
	"strings"
)

// Graphviz writes the identifiers, routes and evidence of the analysed code
// into its SVG (labels, tooltips, titles). To inline that SVG in the report
// without trusting those strings, inlineSVG parses it as XML and writes it
// again from an allow-list: only drawing elements and presentation
// attributes pass, every text node and attribute value is escaped anew, and
// comments, processing instructions, the doctype, scripts, styles, event
// handlers and links are dropped. Whatever the input holds, the output can
// open no element the list does not name.

// svgElements are the elements kept; any other element is dropped with its
// whole subtree.
var svgElements = map[string]bool{
	"svg": true, "g": true, "title": true, "text": true, "tspan": true,
	"path": true, "polygon": true, "polyline": true, "ellipse": true,
	"circle": true, "rect": true, "line": true,
	"defs": true, "linearGradient": true, "radialGradient": true, "stop": true,
	// Graphviz wraps tooltips in <a xlink:title>: the <a> goes, and its
	// title becomes the enclosing element's <title>, which browsers show
	// as a tooltip inline too.
	"a": true,
}

// svgAttrs are the attributes kept on any kept element.
var svgAttrs = map[string]bool{
	"id": true, "class": true, "viewBox": true, "transform": true,
	"x": true, "y": true, "x1": true, "y1": true, "x2": true, "y2": true,
	"cx": true, "cy": true, "r": true, "rx": true, "ry": true,
	"width": true, "height": true, "d": true, "points": true,
	"fill": true, "fill-opacity": true, "stroke": true, "stroke-width": true,
	"stroke-dasharray": true, "stroke-opacity": true, "opacity": true,
	"font-family": true, "font-size": true, "font-weight": true, "font-style": true,
	"text-anchor": true, "text-decoration": true, "baseline-shift": true,
	"offset": true, "stop-color": true, "stop-opacity": true,
	"gradientUnits": true, "gradientTransform": true, "preserveAspectRatio": true,
}

// inlineSVG rewrites Graphviz SVG for inlining into HTML. Every id gets
// prefix, so that several drawings on one page keep distinct ids; url(#…)
// references follow. With fit, the root loses its fixed size so that CSS
// and the script can size it.
func inlineSVG(svg []byte, prefix string, fit bool) (string, error) {
	dec := xml.NewDecoder(bytes.NewReader(svg))
	dec.Strict = true
	// Graphviz declares no entities but the XML ones; a DTD is never read.
	dec.Entity = map[string]string{}
	var out strings.Builder
	s := &svgWriter{out: &out, prefix: prefix, fit: fit}
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", fmt.Errorf("reading svg: %w", err)
		}
		s.token(tok)
	}
	if s.depth != 0 || !s.rooted {
		return "", errors.New("reading svg: no complete <svg> element")
	}
	return out.String(), nil
}

// svgWriter re-emits allowed tokens. skip counts the depth inside a dropped
// element; open is the stack of names written, so that end tags match.
type svgWriter struct {
	out    *strings.Builder
	prefix string
	fit    bool
	skip   int
	open   []string
	depth  int
	rooted bool
}

func (s *svgWriter) token(tok xml.Token) {
	switch t := tok.(type) {
	case xml.StartElement:
		s.start(t)
	case xml.EndElement:
		s.end()
	case xml.CharData:
		if s.skip == 0 && s.depth > 0 {
			s.out.WriteString(html.EscapeString(string(t)))
		}
	}
	// Comments, processing instructions and directives are dropped.
}

func (s *svgWriter) start(t xml.StartElement) {
	name := t.Name.Local
	ok := s.skip == 0 && svgElements[name] && t.Name.Space == svgNS && (s.depth > 0) == (name != "svg")
	if !ok || (s.depth == 0 && s.rooted) {
		s.skip++
		return
	}
	s.rooted = true
	s.depth++
	switch {
	case name == "title":
		// Graphviz titles name DOT nodes ("c0", "c0->c1"); the tooltips
		// that matter come from <a xlink:title>, below. Dropping these
		// keeps one title per element, the one browsers show.
		s.depth--
		s.skip++
		return
	case name == "a" || (name == "g" && isLinkWrapper(t)):
		// Transparent: the children go to the enclosing element, with the
		// tooltip as its title.
		s.open = append(s.open, "")
		if title := attr(t, xlinkNS, "title"); title != "" {
			s.out.WriteString("<title>" + html.EscapeString(title) + "</title>")
		}
		return
	}
	s.open = append(s.open, name)
	s.out.WriteString("<" + name)
	for _, a := range t.Attr {
		if a.Name.Space != "" || !svgAttrs[a.Name.Local] || (s.fit && name == "svg" && (a.Name.Local == "width" || a.Name.Local == "height")) {
			continue
		}
		s.out.WriteString(" " + a.Name.Local + `="` + html.EscapeString(s.value(a)) + `"`)
	}
	s.out.WriteString(">")
}

// isLinkWrapper recognises the <g id="a_…"> Graphviz puts around each <a>.
func isLinkWrapper(t xml.StartElement) bool {
	return len(t.Attr) == 1 && t.Attr[0].Name.Local == "id" && strings.HasPrefix(t.Attr[0].Value, "a_")
}

func (s *svgWriter) end() {
	if s.skip > 0 {
		s.skip--
		return
	}
	s.depth--
	name := s.open[len(s.open)-1]
	s.open = s.open[:len(s.open)-1]
	if name != "" {
		s.out.WriteString("</" + name + ">")
	}
}

// value rewrites ids and internal references with the prefix; any other
// url() is dropped, so that no attribute can make the browser fetch.
func (s *svgWriter) value(a xml.Attr) string {
	v := a.Value
	switch {
	case a.Name.Local == "id":
		return s.prefix + v
	case strings.Contains(v, "url("):
		if rest, ok := strings.CutPrefix(v, "url(#"); ok && strings.HasSuffix(rest, ")") && !strings.ContainsAny(rest[:len(rest)-1], "()") {
			return "url(#" + s.prefix + rest
		}
		return "none"
	}
	return v
}

const (
	svgNS   = "http://www.w3.org/2000/svg"
	xlinkNS = "http://www.w3.org/1999/xlink"
)

func attr(t xml.StartElement, space, local string) string {
	for _, a := range t.Attr {
		if a.Name.Space == space && a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}
