package polyglot

import (
	"regexp"
	"strings"
)

// httpVerbs maps lower-case method names used by frameworks to methods.
var httpVerbs = map[string]string{
	"get": "GET", "post": "POST", "put": "PUT", "patch": "PATCH", "delete": "DELETE",
	"head": "HEAD", "options": "OPTIONS",
}

// routeKey renders a server route as link.Fact wants it: "[METHOD ]/path".
func routeKey(method, p string) string {
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	if method == "" {
		return p
	}
	return method + " " + p
}

// joinPath joins a route prefix and a path the way frameworks do.
func joinPath(prefix, p string) string {
	prefix, p = strings.TrimSuffix(prefix, "/"), strings.TrimPrefix(p, "/")
	switch {
	case prefix == "" && p == "":
		return "/"
	case p == "":
		return ensureSlash(prefix)
	case prefix == "":
		return "/" + p
	}
	return ensureSlash(prefix) + "/" + p
}

func ensureSlash(p string) string {
	if strings.HasPrefix(p, "/") {
		return strings.TrimSuffix(p, "/")
	}
	return "/" + strings.TrimSuffix(p, "/")
}

var uriTemplateVar = regexp.MustCompile(`\{[^{}/]*\}`)

// clientKey renders a client call as link.Fact wants it: "METHOD URL"
// with every part not known statically, and every URI-template variable,
// as "*". A URL with nothing constant in it gives "".
func clientKey(method string, url value) string {
	u := uriTemplateVar.ReplaceAllString(keyText(url, "*"), "*")
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	if strings.Trim(u, "*/") == "" && !strings.HasPrefix(u, "/") || !looksLikePath(url) && !strings.HasPrefix(u, "*") {
		return "" // nothing constant, or not a URL: fetch(input)
	}
	if method == "" {
		method = "*"
	}
	return method + " " + u
}

// looksLikePath reports a string that names an HTTP path or URL.
func looksLikePath(v value) bool {
	s := v.Str
	return strings.HasPrefix(s, "/") || strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") ||
		strings.HasPrefix(s, hole+"/")
}

// methodOf reads an HTTP method from a string ("POST", "post") or a name
// ending in one (HttpMethod.POST, RequestMethod.GET).
func methodOf(v value) string {
	s := v.Str
	if v.Kind == vName {
		if i := strings.LastIndexByte(s, '.'); i >= 0 {
			s = s[i+1:]
		}
	} else if v.Kind != vString {
		return ""
	}
	return httpVerbs[strings.ToLower(s)]
}
