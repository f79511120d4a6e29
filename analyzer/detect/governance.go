package detect

import (
	"fmt"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/podsplit/podsplit/analyzer"
	"github.com/podsplit/podsplit/analyzer/link"
	"github.com/podsplit/podsplit/graph"
)

// Governance concerns: the cross-cutting code a service mesh sidecar can
// take over.
const (
	Retry          = "retry"
	CircuitBreaker = "circuit-breaker"
	RateLimit      = "rate-limit"
	Auth           = "auth"
	Metrics        = "metrics"
	Tracing        = "tracing"
	Logging        = "logging"
)

// governanceLibs maps library import paths (and the packages below them)
// to the concern that using them implements; the longest prefix wins.
var governanceLibs = map[string]string{
	"github.com/cenkalti/backoff":                          Retry,
	"github.com/avast/retry-go":                            Retry,
	"github.com/hashicorp/go-retryablehttp":                Retry,
	"github.com/sethvargo/go-retry":                        Retry,
	"github.com/sony/gobreaker":                            CircuitBreaker,
	"github.com/afex/hystrix-go":                           CircuitBreaker,
	"github.com/eapache/go-resiliency/breaker":             CircuitBreaker,
	"github.com/failsafe-go/failsafe-go":                   CircuitBreaker,
	"golang.org/x/time/rate":                               RateLimit,
	"go.uber.org/ratelimit":                                RateLimit,
	"github.com/ulule/limiter":                             RateLimit,
	"github.com/didip/tollbooth":                           RateLimit,
	"github.com/golang-jwt/jwt":                            Auth,
	"github.com/lestrrat-go/jwx":                           Auth,
	"github.com/coreos/go-oidc":                            Auth,
	"golang.org/x/oauth2":                                  Auth,
	"github.com/casbin/casbin":                             Auth,
	"github.com/prometheus/client_golang":                  Metrics,
	"go.opentelemetry.io/otel/metric":                      Metrics,
	"github.com/rcrowley/go-metrics":                       Metrics,
	"github.com/armon/go-metrics":                          Metrics,
	"go.opentelemetry.io/otel":                             Tracing,
	"go.opentelemetry.io/contrib/instrumentation":          Tracing,
	"github.com/opentracing/opentracing-go":                Tracing,
	"github.com/openzipkin/zipkin-go":                      Tracing,
	"github.com/grpc-ecosystem/go-grpc-middleware/logging": Logging,
	"github.com/gorilla/handlers":                          Logging,
}

// loggers are logging libraries: a call to one counts as the logging
// concern only inside middleware, where it logs traffic.
var loggers = []string{"log", "log/slog", "go.uber.org/zap", "github.com/rs/zerolog", "github.com/sirupsen/logrus"}

// governanceConcern returns the concern of a library package path, or "".
func governanceConcern(pkg string) string {
	if first, _, _ := strings.Cut(pkg, "/"); !strings.Contains(first, ".") {
		return "" // the standard library
	}
	best, concern := "", ""
	for lib, c := range governanceLibs {
		if inPkg(pkg, lib) && len(lib) > len(best) {
			best, concern = lib, c
		}
	}
	return concern
}

// detectGovernance recognises calls into governance libraries anywhere,
// and logging and Authorization checks inside HTTP middleware and gRPC
// interceptors.
func detectGovernance(s *site) {
	if s.call == nil {
		return
	}
	concern, ok := s.d.concerns[s.pkg]
	if !ok {
		concern = governanceConcern(s.pkg)
		s.d.concerns[s.pkg] = concern
	}
	if concern == "" && s.d.inMiddleware(s.fn) {
		switch {
		case slices.ContainsFunc(loggers, func(l string) bool { return inPkg(s.pkg, l) }):
			concern = Logging
		case s.pkg == pkgNetHTTP && s.recv == "Header" && s.name == "Get":
			if h, _ := s.d.str(s.arg(0)); strings.EqualFold(h, "Authorization") {
				concern = Auth
			}
		case s.pkg == "crypto/subtle":
			concern = Auth
		}
	}
	if concern == "" {
		return
	}
	callee := s.name
	if s.recv != "" {
		callee = s.recv + "." + s.name
	}
	s.fact(link.Use, link.Governance, concern, s.pkg+" "+callee)
	top := topLevel(s.fn)
	if !slices.Contains(s.d.govFuncs[top], concern) {
		s.d.govFuncs[top] = append(s.d.govFuncs[top], concern)
	}
}

// topLevel returns the declared function a closure belongs to.
func topLevel(fn *ssa.Function) *ssa.Function {
	for fn.Parent() != nil {
		fn = fn.Parent()
	}
	if o := fn.Origin(); o != nil {
		return o
	}
	return fn
}

// inMiddleware reports whether fn or a function enclosing it has the
// shape of HTTP middleware (takes and returns an http.Handler, directly or
// through a returned function) or of a gRPC interceptor.
func (d *pass) inMiddleware(fn *ssa.Function) bool {
	for f := fn; f != nil; f = f.Parent() {
		if middlewareShaped(f.Signature) {
			return true
		}
	}
	return false
}

func middlewareShaped(sig *types.Signature) bool { return middlewareShape(sig, nil) }

// middlewareShape is middlewareShaped, following returned functions: seen
// holds the signatures on the way, since a function type may return itself
// (type stateFn func() stateFn, as in nats-server's parser).
func middlewareShape(sig *types.Signature, seen []*types.Signature) bool {
	if slices.Contains(seen, sig) {
		return false
	}
	if mentions(sig.Params(), "net/http", "Handler") && mentions(sig.Results(), "net/http", "Handler") {
		return true
	}
	for i := 0; i < sig.Results().Len(); i++ {
		if inner, ok := sig.Results().At(i).Type().Underlying().(*types.Signature); ok && middlewareShape(inner, append(seen, sig)) {
			return true
		}
	}
	for _, h := range []string{"UnaryHandler", "StreamHandler", "UnaryInvoker", "Streamer"} {
		if mentions(sig.Params(), pkgGRPC, h) {
			return true
		}
	}
	return false
}

func mentions(t *types.Tuple, pkg, name string) bool {
	for i := 0; i < t.Len(); i++ {
		named, ok := types.Unalias(t.At(i).Type()).(*types.Named)
		if ok && named.Obj().Name() == name && named.Obj().Pkg() != nil && named.Obj().Pkg().Path() == pkg {
			return true
		}
	}
	return false
}

// A govCount counts a component's declared functions and those that are
// governance code (use a governance library or are middleware).
type govCount struct{ funcs, gov int }

func (d *pass) countFunction(fn *ssa.Function) {
	if fn.Parent() != nil || fn.Synthetic != "" || fn.Object() == nil || d.p.IsGenerated(fn.Pos()) {
		return
	}
	comp := d.p.FuncComponent(fn)
	if d.gov[comp] == nil {
		d.gov[comp] = &govCount{}
	}
	d.gov[comp].funcs++
}

// governanceRoles gives role governance to components whose functions are
// mostly governance code, and keeps their concerns.
func (d *pass) governanceRoles(g *graph.Graph) {
	govFuncs := map[string]int{}
	concerns := map[string][]string{}
	for fn, cs := range d.govFuncs {
		if d.p.IsGenerated(fn.Pos()) || fn.Parent() != nil || fn.Synthetic != "" {
			continue // counted as countFunction counts the total
		}
		comp := d.p.FuncComponent(fn)
		govFuncs[comp]++
		concerns[comp] = append(concerns[comp], cs...)
	}
	for _, fn := range d.p.Funcs() {
		if fn.Parent() == nil && fn.Synthetic == "" && fn.Object() != nil && d.govFuncs[fn] == nil &&
			!d.inTest(fn) && !d.p.IsGenerated(fn.Pos()) && middlewareShaped(fn.Signature) {
			govFuncs[d.p.FuncComponent(fn)]++
		}
	}
	for _, c := range g.Components {
		n, total := govFuncs[c.ID], d.gov[c.ID]
		if c.External || c.Role == graph.RoleEntrypoint || total == nil || n*2 <= total.funcs || len(concerns[c.ID]) == 0 {
			continue
		}
		cs := slices.Compact(slices.Sorted(slices.Values(concerns[c.ID])))
		c.Role = graph.RoleGovernance
		c.RoleReason = fmt.Sprintf("%d of %d functions are governance code (%s): a candidate for a mesh sidecar",
			n, total.funcs, strings.Join(cs, ", "))
	}
}

// propagateGovernance gives a component the concerns of the functions it
// calls directly in governance components: a service that wraps its calls
// in a retry helper relies on retry even though the library call sits in
// the helper's package, and its sidecar will have to provide it.
func (d *pass) propagateGovernance(sites []*analyzer.Site, g *graph.Graph) {
	for _, s := range sites {
		if d.p.IsGenerated(s.Caller.Pos()) || d.inTest(s.Caller) {
			continue
		}
		for i, callee := range s.Callees {
			if c := g.Component(s.To[i]); c == nil || c.Role != graph.RoleGovernance {
				continue
			}
			for _, c := range d.govFuncs[topLevel(callee)] {
				d.add(link.Fact{Component: s.From, Role: link.Use, Mechanism: link.Governance, Key: c,
					Pos: s.RelPos, Detail: "through " + funcName(topLevel(callee)) + " in " + s.To[i]})
			}
		}
	}
}
