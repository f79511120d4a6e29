package polyglot

import (
	"strings"

	"github.com/podsplit/podsplit/analyzer/link"
)

// detectRoutes finds HTTP routes declared by decorators and annotations
// (Flask, FastAPI, Spring, NestJS) and by registration calls (Express,
// Fastify, Flask's add_url_rule).
func detectRoutes(d *detection) {
	switch d.f.Lang {
	case Python:
		d.pythonRoutes()
	case Java:
		d.springRoutes()
	default:
		d.nestRoutes()
		d.jsRoutes()
	}
}

// pythonRoutes reads @app.route("/p", methods=[…]), @app.get("/p") and
// @router.api_route(…) on functions, and app.add_url_rule("/p", …) calls.
func (d *detection) pythonRoutes() {
	framework := "Flask"
	for _, lib := range d.libs {
		if strings.HasPrefix(lib, "fastapi") {
			framework = "FastAPI"
		}
	}
	for _, dc := range d.f.Decls {
		for _, c := range dc.Decorators {
			switch {
			case c == nil:
			case c.Name == "route" || c.Name == "api_route":
				d.pyRoute(c, "", c.Name == "route", framework)
			case httpVerbs[c.Name] != "":
				d.pyRoute(c, httpVerbs[c.Name], false, framework)
			}
		}
	}
	for _, c := range d.f.Calls {
		if c.Name == "add_url_rule" || c.Name == "add_api_route" {
			d.pyRoute(c, "", true, framework)
		}
	}
}

// pyRoute records the routes one decorator or registration declares. Its
// receiver must come from flask or fastapi, or be unknown (an app object
// imported from a module the origin cannot follow); a receiver from any
// other library is not a router.
func (d *detection) pyRoute(c *call, method string, defaultGet bool, framework string) {
	if d.origin(c.Recv) != "" && !d.originHas(c.Recv, "flask", "fastapi", "blueprint", "apirouter") {
		return
	}
	p, ok := c.arg(0, "rule")
	if v, isPath := c.Kw["path"]; isPath {
		p, ok = v, true
	}
	if !ok {
		return
	}
	prefix := d.pyRouterPrefix(c.Recv)
	for _, s := range d.strs(p) {
		if s.Str != "" && !looksLikePath(s) {
			continue
		}
		for _, m := range d.pyMethods(c, method, defaultGet) {
			d.fact(link.Serve, link.HTTP, routeKey(m, joinPath(prefix, keyText(s, "*"))), c.Line, framework+" route")
		}
	}
	d.handled[c] = true
}

// pyMethods lists the methods of a route: the decorator's own, its
// methods argument, GET for Flask's route, or "" (any).
func (d *detection) pyMethods(c *call, method string, defaultGet bool) []string {
	if method != "" {
		return []string{method}
	}
	if ms, ok := c.Kw["methods"]; ok {
		var out []string
		for _, m := range d.strs(ms) {
			out = append(out, methodOf(m))
		}
		return out
	}
	if defaultGet {
		return []string{"GET"}
	}
	return []string{""}
}

// pyRouterPrefix is the url_prefix of a Blueprint or the prefix of an
// APIRouter the receiver was created as, "" otherwise.
func (d *detection) pyRouterPrefix(recv value) string {
	if recv.Kind != vName {
		return ""
	}
	b, ok := d.f.Bindings[recv.Str]
	if !ok || b.Value.Kind != vCall {
		return ""
	}
	for _, kw := range []string{"url_prefix", "prefix"} {
		if v, ok := b.Value.Call.Kw[kw]; ok {
			if s, ok := d.f.stringOf(v); ok {
				return keyText(s, "*")
			}
		}
	}
	return ""
}

// springMappings maps Spring mapping annotations to their method.
var springMappings = map[string]string{
	"GetMapping": "GET", "PostMapping": "POST", "PutMapping": "PUT",
	"DeleteMapping": "DELETE", "PatchMapping": "PATCH", "RequestMapping": "",
}

// springRoutes reads @RequestMapping on controller classes as a prefix and
// the mapping annotations of their methods as routes.
func (d *detection) springRoutes() {
	prefixes := map[string][]string{}
	for _, dc := range d.f.Decls {
		for _, a := range dc.Decorators {
			if dc.Kind == "class" && a.Name == "RequestMapping" {
				prefixes[dc.Name] = d.annotationPaths(a)
			}
		}
	}
	for _, dc := range d.f.Decls {
		for _, a := range dc.Decorators {
			if _, ok := springMappings[a.Name]; !ok || dc.Kind != "method" {
				continue
			}
			pre := prefixes[dc.Class]
			if len(pre) == 0 {
				pre = []string{""}
			}
			for _, p := range pre {
				for _, s := range d.annotationPaths(a) {
					for _, m := range springMethods(a) {
						d.fact(link.Serve, link.HTTP, routeKey(m, joinPath(p, s)), a.Line, "Spring @"+a.Name)
					}
				}
			}
		}
	}
}

// springMethods lists the methods of a mapping annotation: its own, or
// @RequestMapping's method element, or "" (any).
func springMethods(a *call) []string {
	method := springMappings[a.Name]
	v, ok := a.Kw["method"]
	if method != "" || !ok {
		return []string{method}
	}
	var out []string
	for _, m := range append(v.Items, v) {
		if mm := methodOf(m); mm != "" {
			out = append(out, mm)
		}
	}
	return out
}

// annotationPaths reads the paths of a mapping annotation: its value,
// path or first argument, a string or an array; [""] when none is given.
func (d *detection) annotationPaths(a *call) []string {
	v, ok := a.arg(0, "value")
	if p, isPath := a.Kw["path"]; isPath {
		v, ok = p, true
	}
	var out []string
	if ok {
		for _, s := range d.strs(v) {
			out = append(out, keyText(s, "*"))
		}
	}
	if len(out) == 0 {
		out = []string{""}
	}
	return out
}

// nestMethods maps NestJS route decorators to their method.
var nestMethods = map[string]string{
	"Get": "GET", "Post": "POST", "Put": "PUT", "Delete": "DELETE", "Patch": "PATCH",
	"Head": "HEAD", "Options": "OPTIONS", "All": "",
}

// nestRoutes reads @Controller("prefix") classes and their @Get(":id")
// methods, when the decorators come from @nestjs/common.
func (d *detection) nestRoutes() {
	fromNest := func(c *call) bool { return strings.HasPrefix(d.libs[c.Name], "@nestjs/") }
	prefixes := map[string]string{}
	for _, dc := range d.f.Decls {
		for _, c := range dc.Decorators {
			if dc.Kind == "class" && c.Name == "Controller" && fromNest(c) {
				prefixes[dc.Name] = d.nestPath(c, "path")
			}
		}
	}
	for _, dc := range d.f.Decls {
		for _, c := range dc.Decorators {
			method, ok := nestMethods[c.Name]
			if dc.Kind != "method" || !ok || !fromNest(c) {
				continue
			}
			key := routeKey(method, joinPath(prefixes[dc.Class], d.nestPath(c, "")))
			d.fact(link.Serve, link.HTTP, key, c.Line, "NestJS @"+c.Name)
		}
	}
}

// nestPath reads a decorator's path: a string or, for @Controller, an
// options object's path field.
func (d *detection) nestPath(c *call, field string) string {
	v, ok := c.arg(0, "")
	if !ok {
		return ""
	}
	if v.Kind == vObject && field != "" {
		v = v.Fields[field]
	}
	if s, ok := d.f.stringOf(v); ok {
		return keyText(s, "*")
	}
	return ""
}

// jsRoutes reads app.get("/p", handler) on Express apps and routers and
// Fastify instances, and fastify.route({method, url}).
func (d *detection) jsRoutes() {
	for _, c := range d.f.Calls {
		framework := d.jsServer(c.Recv)
		if framework == "" {
			continue
		}
		switch method, verb := httpVerbs[c.Name]; {
		case (verb || c.Name == "all") && len(c.Args) >= 2:
			for _, s := range d.strs(c.Args[0]) {
				if looksLikePath(s) {
					d.fact(link.Serve, link.HTTP, routeKey(method, keyText(s, "*")), c.Line, framework+" route")
					d.handled[c] = true
				}
			}
		case c.Name == "route" && len(c.Args) == 1 && c.Args[0].Kind == vObject:
			opts := c.Args[0].Fields
			for _, s := range d.strs(opts["url"]) {
				for _, m := range append(d.strs(opts["method"]), value{}) {
					if mm := methodOf(m); mm != "" || m.Kind == vOther && len(d.strs(opts["method"])) == 0 {
						d.fact(link.Serve, link.HTTP, routeKey(mm, keyText(s, "*")), c.Line, framework+" route")
					}
				}
				d.handled[c] = true
			}
		}
	}
}

// jsServer names the framework a receiver is an app or router of, or "".
func (d *view) jsServer(recv value) string {
	switch {
	case recv.Kind == vOther:
		return ""
	case d.originHas(recv, "fastify") || recv.Kind == vName && recv.Str == "fastify":
		return "Fastify"
	case d.originHas(recv, "express"):
		return "Express"
	case d.originHas(recv, "koa-router", "@koa/router"):
		return "Koa"
	}
	return ""
}
