package polyglot

import (
	"strings"

	"github.com/podsplit/podsplit/analyzer/link"
)

// detectClients finds HTTP client calls: requests and httpx in Python;
// fetch, axios and Angular's HttpClient in JS/TS; Spring's RestTemplate,
// WebClient and RestClient in Java.
func detectClients(d *detection) {
	for _, c := range d.f.Calls {
		var method string
		var url value
		var framework string
		switch d.f.Lang {
		case Python:
			method, url, framework = d.pythonClient(c)
		case Java:
			method, url, framework = d.springClient(c)
		default:
			method, url, framework = d.jsClient(c)
		}
		if framework == "" {
			continue
		}
		d.handled[c] = true
		for _, u := range d.strs(url) {
			if key := clientKey(method, u); key != "" {
				d.fact(link.Call, link.HTTP, key, c.Line, framework)
			}
		}
	}
}

// pythonClient reads requests.get(url), requests.request("GET", url),
// session.post(url) on a requests.Session, and the same on httpx and its
// Client/AsyncClient, whose base_url is prefixed.
func (d *detection) pythonClient(c *call) (string, value, string) {
	if !d.originHas(c.Recv, "requests", "httpx", "aiohttp") {
		return "", value{}, ""
	}
	framework := strings.SplitN(d.origin(c.Recv), ".", 2)[0]
	method, url := httpVerbs[c.Name], value{}
	switch {
	case method != "":
		url, _ = c.arg(0, "url")
	case c.Name == "request":
		m, _ := c.arg(0, "method")
		method = methodOf(m)
		url, _ = c.arg(1, "url")
	default:
		return "", value{}, ""
	}
	return method, d.withBase(c.Recv, url, "base_url"), framework
}

// withBase prefixes url with the base URL the client it is called on was
// created with (httpx.Client(base_url=…), axios.create({baseURL: …})).
func (d *detection) withBase(recv, url value, field string) value {
	if recv.Kind != vName {
		return url
	}
	b, ok := d.f.Bindings[recv.Str]
	if !ok || b.Value.Kind != vCall {
		return url
	}
	cons := b.Value.Call
	base, ok := cons.Kw[field]
	if !ok && len(cons.Args) > 0 && cons.Args[0].Kind == vObject {
		base, ok = cons.Args[0].Fields[field]
	}
	bs, isStr := d.f.stringOf(base)
	if !ok || !isStr {
		return url
	}
	u, isStr := d.f.stringOf(url)
	if !isStr || strings.Contains(u.Str, "://") {
		return url
	}
	return concat(value{Kind: vString, Str: strings.TrimSuffix(bs.Str, "/"), Holes: bs.Holes}, u)
}

// jsClient reads fetch(url, {method}), axios.get(url), axios(config),
// instance.post(url) on an axios.create() instance, and http.get(url) on
// Angular's HttpClient.
func (d *detection) jsClient(c *call) (string, value, string) {
	switch {
	case c.Name == "fetch" && (c.Recv.Kind == vOther || c.recvName() == "window" || c.recvName() == "globalThis"):
		url, _ := c.arg(0, "")
		method := "GET"
		if opts, ok := c.arg(1, ""); ok && opts.Kind == vObject {
			if m, ok := opts.Fields["method"]; ok {
				method = methodOf(m)
			}
		}
		return method, url, "fetch"
	case c.Recv.Kind == vOther && strings.HasPrefix(d.libs[c.Name], "axios"):
		cfg, _ := c.arg(0, "")
		if cfg.Kind == vObject {
			return methodOrGet(cfg.Fields["method"]), cfg.Fields["url"], "axios"
		}
		return "GET", cfg, "axios"
	case d.originHas(c.Recv, "axios"):
		if method := httpVerbs[c.Name]; method != "" {
			url, _ := c.arg(0, "")
			return method, d.withBase(c.Recv, url, "baseURL"), "axios"
		}
	case d.originHas(c.Recv, "@angular/common/http", "HttpClient"):
		if method := httpVerbs[c.Name]; method != "" {
			url, _ := c.arg(0, "")
			return method, url, "Angular HttpClient"
		}
	}
	return "", value{}, ""
}

func methodOrGet(v value) string {
	if m := methodOf(v); m != "" {
		return m
	}
	return "GET"
}

// restTemplateMethods maps RestTemplate and Feign-less Spring helpers to methods.
var restTemplateMethods = map[string]string{
	"getForObject": "GET", "getForEntity": "GET", "postForObject": "POST", "postForEntity": "POST",
	"postForLocation": "POST", "put": "PUT", "delete": "DELETE", "patchForObject": "PATCH",
	"exchange": "", "execute": "",
}

// springClient reads restTemplate.getForObject(url, …), exchange(url,
// HttpMethod.X, …), and webClient.get().uri(url, …) chains.
func (d *detection) springClient(c *call) (string, value, string) {
	if method, ok := restTemplateMethods[c.Name]; ok && d.originHas(c.Recv, "RestTemplate") {
		url, _ := c.arg(0, "")
		if method == "" {
			m, _ := c.arg(1, "")
			method = methodOf(m)
		}
		return method, url, "Spring RestTemplate"
	}
	if c.Name != "uri" || c.Recv.Kind != vCall {
		return "", value{}, ""
	}
	verb := c.Recv.Call
	method := httpVerbs[verb.Name]
	if verb.Name == "method" && len(verb.Args) > 0 {
		method = methodOf(verb.Args[0])
	}
	if method == "" || !d.originHas(verb.Recv, "WebClient", "RestClient") {
		return "", value{}, ""
	}
	url, _ := c.arg(0, "")
	return method, url, "Spring " + strings.TrimPrefix(lastDot(d.origin(verb.Recv)), ".")
}

// lastDot returns the last dotted element of a qualified name.
func lastDot(s string) string {
	if i := strings.LastIndexByte(s, '.'); i >= 0 {
		return s[i+1:]
	}
	return s
}

// detectHelperClients finds calls to one helper that are given a path
// literal and an HTTP method, the shape of clients generated from OpenAPI
// (call_api("/orders/{id}", "GET"), request({path: "/orders", method:
// "POST"}), invokeAPI(localVarPath, "GET", …)). It runs last and skips the
// calls other rules recognised.
func detectHelperClients(d *detection) {
	for _, c := range d.f.Calls {
		if d.handled[c] {
			continue
		}
		args := append([]value(nil), c.Args...)
		for _, k := range sortedKeys(c.Kw) {
			args = append(args, c.Kw[k])
		}
		for _, a := range c.Args {
			if a.Kind == vObject {
				for _, k := range sortedKeys(a.Fields) {
					args = append(args, a.Fields[k])
				}
			}
		}
		method, paths := "", []value(nil)
		for _, a := range args {
			if m := methodOf(a); m != "" && method == "" && (a.Kind == vString && a.Str == m ||
				a.Kind == vName && strings.Contains(a.Str, ".") && lastDot(a.Str) == m) {
				method = m
				continue
			}
			if p, ok := d.pathOf(a); ok {
				paths = append(paths, p)
			}
		}
		if method == "" || len(paths) != 1 {
			continue
		}
		d.fact(link.Call, link.HTTP, clientKey(method, paths[0]), c.Line, "helper "+c.Name+" given a path and a method (OpenAPI-style client)")
	}
}

// pathOf reads a path literal, following names bound to one and the
// .replace(…) calls generated clients use to fill in parameters.
func (d *detection) pathOf(v value) (value, bool) {
	for range 4 {
		if v.Kind == vCall && (v.Call.Name == "replace" || v.Call.Name == "replaceAll") {
			v = v.Call.Recv
			continue
		}
		if v.Kind == vName {
			if b, ok := d.f.Bindings[v.Str]; ok && b.Value.Kind != vOther {
				v = b.Value
				continue
			}
		}
		break
	}
	s, ok := d.f.stringOf(v)
	if !ok || !strings.HasPrefix(s.Str, "/") || len(s.Str) < 2 || strings.ContainsAny(s.Str, " \n") {
		return value{}, false
	}
	return s, true
}
