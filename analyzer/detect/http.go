package detect

import (
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/podsplit/podsplit/analyzer/link"
)

// Router packages recognised, by import path (any major version).
const (
	pkgNetHTTP = "net/http"
	pkgChi     = "github.com/go-chi/chi"
	pkgMux     = "github.com/gorilla/mux"
	pkgGin     = "github.com/gin-gonic/gin"
	pkgEcho    = "github.com/labstack/echo"
)

// verbMethods maps the route methods of chi, gin and echo to HTTP methods.
var verbMethods = map[string]string{
	"Get": "GET", "Post": "POST", "Put": "PUT", "Patch": "PATCH", "Delete": "DELETE",
	"Head": "HEAD", "Options": "OPTIONS", "Connect": "CONNECT", "Trace": "TRACE",
	"GET": "GET", "POST": "POST", "PUT": "PUT", "PATCH": "PATCH", "DELETE": "DELETE",
	"HEAD": "HEAD", "OPTIONS": "OPTIONS", "CONNECT": "CONNECT", "TRACE": "TRACE",
}

// detectHTTP recognises route registrations, client requests and servers'
// listen addresses.
func detectHTTP(s *site) {
	if s.call == nil {
		if s.stores(pkgNetHTTP, "Server", "Addr") {
			s.listenAddr(s.val, "http.Server")
		}
		return
	}
	switch {
	case inPkg(s.pkg, pkgNetHTTP):
		netHTTP(s)
	case inPkg(s.pkg, pkgChi):
		chiRoute(s)
	case inPkg(s.pkg, pkgMux):
		muxRoute(s)
	case inPkg(s.pkg, pkgGin), inPkg(s.pkg, pkgEcho):
		ginEchoRoute(s)
	}
}

func netHTTP(s *site) {
	switch {
	case (s.recv == "" || s.recv == "ServeMux") && (s.name == "Handle" || s.name == "HandleFunc"):
		s.route("", "", s.arg(0), s.arg(1), netHTTPPattern)
	case s.recv == "" && (s.name == "ListenAndServe" || s.name == "ListenAndServeTLS"):
		s.listenAddr(s.arg(0), "http."+s.name)
	case s.recv == "" || s.recv == "Client":
		switch s.name {
		case "Get", "Head", "Post", "PostForm":
			s.client(strings.ToUpper(strings.TrimSuffix(s.name, "Form")), s.arg(0))
		case "NewRequest":
			s.clientMethod(s.arg(0), s.arg(1))
		case "NewRequestWithContext":
			s.clientMethod(s.arg(1), s.arg(2))
		}
	}
}

// netHTTPPattern turns a ServeMux subtree pattern ("/static/") into a
// rest-of-path route; the root "/" is kept exact, as a catch-all would
// swallow every client call.
func netHTTPPattern(p string) string {
	path := p
	if _, rest, ok := strings.Cut(p, " "); ok {
		path = rest
	}
	if strings.HasSuffix(path, "/") && path != "/" && !strings.HasSuffix(path, "{$}") {
		return p + "*"
	}
	return p
}

func chiRoute(s *site) {
	if m, ok := verbMethods[s.name]; ok {
		s.route(m, prefixOf(s.d, s.recvV, 0), s.arg(0), s.arg(1), nil)
		return
	}
	switch s.name {
	case "Handle", "HandleFunc":
		s.route("", prefixOf(s.d, s.recvV, 0), s.arg(0), s.arg(1), nil)
	case "Method", "MethodFunc":
		m, _ := s.str(s.arg(0))
		s.route(strings.ToUpper(m), prefixOf(s.d, s.recvV, 0), s.arg(1), s.arg(2), nil)
	}
}

func muxRoute(s *site) {
	switch {
	case s.recv == "Router" && (s.name == "HandleFunc" || s.name == "Handle"):
		s.route(muxMethods(s.d, s.result), prefixOf(s.d, s.recvV, 0), s.arg(0), s.arg(1), nil)
	case s.name == "Path" && (s.recv == "Router" || s.recv == "Route"):
		s.route(muxMethods(s.d, s.result)+muxMethods(s.d, s.recvV), prefixOf(s.d, s.recvV, 0), s.arg(0), nil, nil)
	}
}

// muxMethods follows a gorilla/mux route along its chained calls
// (.Methods("GET").HandlerFunc(h)) and returns the first method named.
func muxMethods(d *pass, v ssa.Value) string {
	for i := 0; v != nil && i < 8; i++ {
		if c, ok := v.(*ssa.Call); ok && calleeName(c) == "Methods" && len(c.Call.Args) > 1 {
			for _, m := range d.variadic(c.Call.Args[1], 0) {
				if m.exact {
					return strings.ToUpper(m.s)
				}
			}
		}
		v = nextInChain(v)
	}
	return ""
}

// nextInChain returns the result of the call that takes v as receiver.
func nextInChain(v ssa.Value) ssa.Value {
	if v == nil || v.Referrers() == nil {
		return nil
	}
	for _, r := range *v.Referrers() {
		if c, ok := r.(*ssa.Call); ok && len(c.Call.Args) > 0 && c.Call.Args[0] == v && c.Call.StaticCallee() != nil {
			return c
		}
	}
	return nil
}

func calleeName(c *ssa.Call) string {
	if fn := c.Call.StaticCallee(); fn != nil {
		return fn.Name()
	}
	if c.Call.IsInvoke() {
		return c.Call.Method.Name()
	}
	return ""
}

func ginEchoRoute(s *site) {
	if m, ok := verbMethods[s.name]; ok {
		s.route(m, prefixOf(s.d, s.recvV, 0), s.arg(0), s.arg(1), nil)
		return
	}
	switch s.name {
	case "Any":
		s.route("", prefixOf(s.d, s.recvV, 0), s.arg(0), s.arg(1), nil)
	case "Handle", "Add": // gin Handle(method, path, h...), echo Add(method, path, h)
		if s.recv == "Context" {
			return
		}
		m, _ := s.str(s.arg(0))
		s.route(strings.ToUpper(m), prefixOf(s.d, s.recvV, 0), s.arg(1), s.arg(2), nil)
	}
}

// route records a served route; method "" means any. norm, if set,
// rewrites the pattern into the shared syntax.
//
// A pattern read from the elements of a table a loop ranges over (for _,
// r := range []struct{path string; …}{{path: "/a"}, …} { mux.Handle(r.path,
// …) }) records one route per element, when every element's is constant.
func (s *site) route(method, prefix string, pattern, handler ssa.Value, norm func(string) string) {
	p, exact := s.str(pattern)
	if !exact {
		table, ok := s.d.tableStrings(pattern)
		if !ok {
			s.unresolved("HTTP route", p)
			return
		}
		for _, p := range table {
			s.addRoute(method, prefix, p, handler, norm)
		}
		return
	}
	s.addRoute(method, prefix, p, handler, norm)
}

func (s *site) addRoute(method, prefix, p string, handler ssa.Value, norm func(string) string) {
	if norm != nil {
		p = norm(p)
	}
	if m, rest, ok := strings.Cut(p, " "); ok && method == "" {
		method, p = m, strings.TrimSpace(rest)
	}
	p = joinRoute(prefix, p)
	key := p
	if method != "" {
		key = method + " " + p
	}
	s.fact(link.Serve, link.HTTP, key, handlerName(handler))
}

func joinRoute(prefix, p string) string {
	if prefix == "" {
		return p
	}
	return strings.TrimSuffix(prefix, "/") + "/" + strings.TrimPrefix(p, "/")
}

// clientMethod records a request whose method is an argument.
func (s *site) clientMethod(method, url ssa.Value) {
	m, exact := s.str(method)
	if !exact || m == "" {
		m = "*"
	}
	s.client(strings.ToUpper(m), url)
}

func (s *site) client(method string, url ssa.Value) {
	u, _ := s.str(url)
	if u == dynamic || u == "" {
		s.unresolved("HTTP client URL", u)
		return
	}
	s.fact(link.Call, link.HTTP, method+" "+u, "")
}

// listenAddr records a TCP listen address.
func (s *site) listenAddr(v ssa.Value, detail string) {
	addr, exact := s.str(v)
	if !exact {
		s.unresolved("listen address", addr)
		return
	}
	if port, _ := link.Port(addr); port != "" {
		s.fact(link.Listen, link.TCP, port, detail+" "+addr)
	}
}

// handlerName names the function a handler value refers to, for evidence.
func handlerName(v ssa.Value) string {
	switch h := v.(type) {
	case *ssa.Function:
		return "handler " + funcName(h)
	case *ssa.MakeClosure:
		return "handler " + funcName(h.Fn.(*ssa.Function))
	case *ssa.ChangeType:
		return handlerName(h.X)
	case *ssa.MakeInterface:
		return handlerName(h.X)
	}
	return ""
}
