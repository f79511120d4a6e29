package link

import (
	"net"
	"path"
	"strings"
)

// segment kinds of a route pattern.
const (
	segLiteral = iota
	segParam   // one segment of any value: {id}, :id, <id>, <int:id>, {id:[0-9]+}
	segRest    // the rest of the path: {path...}, *, *path
)

type segment struct {
	kind int
	text string
}

// A route is a parsed server pattern.
type route struct {
	method string // "" for any
	segs   []segment
}

// parseRoute reads "[METHOD ]/path" in the styles of net/http, chi,
// gorilla/mux, gin, echo, Flask and Express.
func parseRoute(key string) route {
	var r route
	if m, rest, ok := strings.Cut(key, " "); ok && isMethod(m) {
		r.method, key = m, strings.TrimSpace(rest)
	}
	if !strings.HasPrefix(key, "/") { // net/http host-qualified pattern
		if i := strings.IndexByte(key, '/'); i >= 0 {
			key = key[i:]
		}
	}
	key = strings.TrimSuffix(key, "{$}")
	for _, s := range splitPath(key) {
		r.segs = append(r.segs, parseSegment(s))
	}
	return r
}

func parseSegment(s string) segment {
	switch {
	case s == "*" || strings.HasPrefix(s, "*") || strings.HasSuffix(s, "...}"):
		return segment{kind: segRest}
	case strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}"),
		strings.HasPrefix(s, ":"),
		strings.HasPrefix(s, "<") && strings.HasSuffix(s, ">"):
		return segment{kind: segParam}
	}
	return segment{kind: segLiteral, text: s}
}

func splitPath(p string) []string {
	p = strings.Trim(p, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

func isMethod(s string) bool {
	switch s {
	case "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "CONNECT", "OPTIONS", "TRACE", "*":
		return true
	}
	return false
}

// A clientURL is a parsed client call key.
type clientURL struct {
	method string // "" or "*" when unknown
	scheme string
	host   string // "*" when not constant, "" when the URL has no host
	path   string
}

// parseClient reads "METHOD URL" where "*" stands for unknown parts.
func parseClient(key string) clientURL {
	var c clientURL
	if m, rest, ok := strings.Cut(key, " "); ok && isMethod(m) {
		c.method, key = m, rest
	}
	if i := strings.IndexAny(key, "?#"); i >= 0 {
		key = key[:i]
	}
	if scheme, rest, ok := strings.Cut(key, "://"); ok && !strings.Contains(scheme, "/") {
		c.scheme, key = scheme, rest
		c.host, c.path = cutHost(key)
		return c
	}
	if strings.HasPrefix(key, "/") {
		c.path = key
		return c
	}
	// A URL whose beginning is not constant ("*/orders/*"): the base,
	// host included, is unknown.
	c.host, c.path = "*", ""
	if i := strings.IndexByte(key, '/'); i >= 0 {
		c.path = key[i:]
	}
	return c
}

func cutHost(s string) (host, p string) {
	if i := strings.IndexByte(s, '/'); i >= 0 {
		return s[:i], s[i:]
	}
	return s, "/"
}

// origin is "scheme://host" of the URL, or "*" when its host is unknown.
// knownPath reports whether some segment of the path is at least partly
// constant ("/api/*", "/v*"): "", "/" and "/*/*" say nothing of the route.
func (c clientURL) knownPath() bool {
	for _, s := range splitPath(c.path) {
		if s != "*" {
			return true
		}
	}
	return false
}

func (c clientURL) origin() string {
	if c.host == "" || strings.Contains(c.host, "*") {
		return "*"
	}
	if c.scheme == "" {
		return c.host
	}
	return c.scheme + "://" + c.host
}

// public reports a host that names a machine outside the deployment: a
// dotted name that is neither loopback, a private address nor a cluster-
// internal suffix. Unknown hosts are not public: they may be ours.
func (c clientURL) public() bool {
	h := c.host
	if h == "" || strings.Contains(h, "*") {
		return false
	}
	if hh, _, err := net.SplitHostPort(h); err == nil {
		h = hh
	}
	if ip := net.ParseIP(strings.Trim(h, "[]")); ip != nil {
		return !(ip.IsLoopback() || ip.IsPrivate() || ip.IsUnspecified() || ip.IsLinkLocalUnicast())
	}
	if !strings.Contains(h, ".") || h == "localhost" {
		return false
	}
	for _, suffix := range []string{".local", ".localhost", ".internal", ".svc", ".cluster.local", ".lan", ".home.arpa"} {
		if strings.HasSuffix(h, suffix) {
			return false
		}
	}
	return true
}

// score tells how well a client path matches a route: -1 for no match,
// otherwise 4 per literal segment matched exactly, 2 per route parameter,
// and 1 per literal segment matched only by a client wildcard, so the most
// specific route wins and a dynamic client segment prefers a parameter.
func (r route) score(method, p string) int {
	if r.method != "" && method != "" && method != "*" && r.method != method {
		return -1
	}
	segs := splitPath(p)
	total := 0
	for i, s := range r.segs {
		if s.kind == segRest {
			return total + 1
		}
		if i >= len(segs) {
			return -1
		}
		switch c := segs[i]; {
		case s.kind == segParam:
			total += 2
		case c == "*":
			total++
		case strings.Contains(c, "*"):
			if ok, _ := path.Match(c, s.text); !ok {
				return -1
			}
			total++
		case c == s.text:
			total += 4
		default:
			return -1
		}
	}
	if len(segs) != len(r.segs) {
		return -1
	}
	return total
}
