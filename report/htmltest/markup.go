package htmltest

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// Elements are the elements a podsplit report may hold: those its template
// writes and the drawing elements its SVG allow-list keeps. Anything else in
// a parsed report was injected.
var Elements = map[string]bool{}

func init() {
	for _, e := range strings.Fields(`html head meta title style body header h1 h2 h3 h4 h5 p nav a
		div input span main section dl dt dd table thead tbody tr th td details summary ul li
		code figure label select option button ol pre br footer script
		svg g text tspan path polygon polyline ellipse circle rect line
		defs linearGradient radialGradient stop`) {
		Elements[e] = true
	}
}

// CheckMarkup parses a report as a browser would and fails the test on
// markup that the report does not write itself: an element outside
// Elements, an event handler, an attribute that loads or links anywhere but
// inside the page, a comment, or a script other than the one that the
// page's Content-Security-Policy allows by hash. It returns the page's
// text, so that a test can check that hostile strings show as text.
func CheckMarkup(t testing.TB, page []byte) string {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	var scripts []string
	policy := ""
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.ElementNode:
			if !Elements[n.Data] {
				t.Errorf("unexpected <%s> element", n.Data)
			}
			if n.Data == "script" && n.FirstChild != nil {
				scripts = append(scripts, n.FirstChild.Data)
			}
			if n.Data == "meta" && attr(n, "http-equiv") == "Content-Security-Policy" {
				policy = attr(n, "content")
			}
			for _, a := range n.Attr {
				checkAttr(t, n.Data, a)
			}
		case html.TextNode:
			text.WriteString(n.Data)
			text.WriteByte('\n')
		case html.CommentNode:
			t.Errorf("unexpected comment %q", n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	checkScripts(t, scripts, policy)
	return text.String()
}

// checkScripts requires exactly one script, the one whose hash the policy
// names, and a policy that fetches nothing.
func checkScripts(t testing.TB, scripts []string, policy string) {
	t.Helper()
	if !strings.Contains(policy, "default-src 'none'") {
		t.Errorf("the Content-Security-Policy %q does not forbid fetches", policy)
	}
	if len(scripts) != 1 {
		t.Errorf("%d scripts, want the report's one", len(scripts))
		return
	}
	sum := sha256.Sum256([]byte(scripts[0]))
	if want := "script-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"; !strings.Contains(policy, want) {
		t.Errorf("the script is not the one the Content-Security-Policy %q allows", policy)
	}
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func checkAttr(t testing.TB, elem string, a html.Attribute) {
	t.Helper()
	name := strings.ToLower(a.Key)
	switch {
	case strings.HasPrefix(name, "on"):
		t.Errorf("<%s> has event handler %s=%q", elem, a.Key, a.Val)
	case name == "src" || name == "srcdoc" || name == "action" || name == "formaction" || a.Namespace != "":
		t.Errorf("<%s> has %s=%q", elem, a.Key, a.Val)
	case name == "href" && !strings.HasPrefix(a.Val, "#"):
		t.Errorf("<%s> links to %q", elem, a.Val)
	case name == "style" && strings.Contains(a.Val, "url("):
		t.Errorf("<%s> has style %q", elem, a.Val)
	}
	if strings.ContainsAny(name, `<>"'/`) {
		t.Errorf("<%s> has an attribute named %q: markup was injected", elem, a.Key)
	}
}
