package polyglot

import (
	"strconv"
	"strings"

	"github.com/podsplit/podsplit/analyzer/link"
)

// detectListen finds the TCP ports servers listen on: Flask's
// app.run(port=…), uvicorn.run(app, port=…), and listen(port) on Express,
// Fastify, Node's http servers and NestJS apps.
func detectListen(d *detection) {
	for _, c := range d.f.Calls {
		var port value
		var ok bool
		switch {
		case d.f.Lang == Python && c.Name == "run" && d.originHas(c.Recv, "flask", "uvicorn", "fastapi"):
			port, ok = c.Kw["port"]
		case d.f.Lang != Python && d.f.Lang != Java && c.Name == "listen" &&
			(d.jsServer(c.Recv) != "" || d.originHas(c.Recv, "http", "nestjs", "NestFactory")):
			port, ok = c.arg(0, "")
			if ok && port.Kind == vObject {
				port, ok = port.Fields["port"]
			}
		}
		if !ok {
			continue
		}
		if s, isStr := d.f.stringOf(port); isStr && s.isString() {
			if n, err := strconv.Atoi(s.Str); err == nil && n > 0 && n < 65536 {
				d.fact(link.Listen, link.TCP, s.Str, c.Line, "listens on port "+s.Str)
			}
		}
	}
}

// governanceLibs maps imported modules to the cross-cutting concern using
// them implements in code.
var governanceLibs = []struct{ prefix, concern string }{
	{"tenacity", "retry"}, {"backoff", "retry"}, {"urllib3.util.retry", "retry"},
	{"pybreaker", "circuit-breaker"}, {"circuitbreaker", "circuit-breaker"},
	{"slowapi", "rate-limit"}, {"flask_limiter", "rate-limit"},
	{"prometheus_client", "metrics"}, {"opentelemetry", "tracing"},
	{"io.github.resilience4j.retry", "retry"}, {"io.github.resilience4j.circuitbreaker", "circuit-breaker"},
	{"io.github.resilience4j.ratelimiter", "rate-limit"}, {"org.springframework.retry", "retry"},
	{"io.micrometer", "metrics"}, {"io.opentelemetry", "tracing"},
	{"axios-retry", "retry"}, {"opossum", "circuit-breaker"}, {"express-rate-limit", "rate-limit"},
	{"@nestjs/throttler", "rate-limit"}, {"prom-client", "metrics"}, {"@opentelemetry/", "tracing"},
}

// detectGovernance records the governance concerns whose libraries a file imports.
func detectGovernance(d *detection) {
	for _, s := range d.f.Imports {
		for _, g := range governanceLibs {
			if s.Module == g.prefix || strings.HasPrefix(s.Module, strings.TrimSuffix(g.prefix, "/")+".") ||
				strings.HasPrefix(s.Module, strings.TrimSuffix(g.prefix, "/")+"/") {
				d.fact(link.Use, link.Governance, g.concern, s.Line, "imports "+s.Module)
				break
			}
		}
	}
}
