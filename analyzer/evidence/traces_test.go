package evidence

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/podsplit/podsplit/graph"
)

// traceBuilder writes OTLP traces the way an instrumented program's
// exporter would, one resource per service.
type traceBuilder struct {
	td    ptrace.Traces
	spans map[string]ptrace.SpanSlice
	next  byte
}

func newTraceBuilder() *traceBuilder {
	return &traceBuilder{td: ptrace.NewTraces(), spans: map[string]ptrace.SpanSlice{}}
}

func (b *traceBuilder) span(service string, kind ptrace.SpanKind, trace byte, parent pcommon.SpanID, dur time.Duration, attrs map[string]string) ptrace.Span {
	ss, ok := b.spans[service]
	if !ok {
		rs := b.td.ResourceSpans().AppendEmpty()
		rs.Resource().Attributes().PutStr("service.name", service)
		ss = rs.ScopeSpans().AppendEmpty().Spans()
		b.spans[service] = ss
	}
	b.next++
	s := ss.AppendEmpty()
	s.SetTraceID(pcommon.TraceID{trace, 1})
	s.SetSpanID(pcommon.SpanID{b.next, trace, 2})
	s.SetParentSpanID(parent)
	s.SetKind(kind)
	s.SetName(kind.String())
	start := pcommon.Timestamp(1_700_000_000_000_000_000)
	s.SetStartTimestamp(start)
	s.SetEndTimestamp(start + pcommon.Timestamp(dur))
	for k, v := range attrs {
		s.Attributes().PutStr(k, v)
	}
	return s
}

func (b *traceBuilder) json(t *testing.T) []byte {
	t.Helper()
	var m ptrace.JSONMarshaler
	data, err := m.MarshalTraces(b.td)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// shapesTraces: service "a-service" calls "b" over HTTP 100 times taking
// 1..100 ms, calls c over gRPC once (c left no span, the client names
// it), and sends one message to "warehouse", which no component is named.
func shapesTraces(t *testing.T) []byte {
	b := newTraceBuilder()
	for i := 1; i <= 100; i++ {
		c := b.span("a-service", ptrace.SpanKindClient, byte(i), pcommon.SpanID{}, time.Duration(i)*time.Millisecond,
			map[string]string{"http.request.method": "GET"})
		b.span("b", ptrace.SpanKindServer, byte(i), c.SpanID(), time.Duration(i)*time.Microsecond,
			map[string]string{"http.request.method": "GET", "http.route": "/f"})
	}
	b.span("a-service", ptrace.SpanKindClient, 200, pcommon.SpanID{}, time.Millisecond,
		map[string]string{"rpc.system": "grpc", "rpc.service": "c.C", "rpc.method": "Work", "peer.service": "c"})
	p := b.span("a-service", ptrace.SpanKindProducer, 201, pcommon.SpanID{}, time.Millisecond,
		map[string]string{"messaging.system": "kafka", "messaging.destination.name": "orders"})
	cons := b.span("warehouse", ptrace.SpanKindConsumer, 202, pcommon.SpanID{}, time.Millisecond, nil)
	l := cons.Links().AppendEmpty()
	l.SetTraceID(p.TraceID())
	l.SetSpanID(p.SpanID())
	return b.json(t)
}

func TestTraces(t *testing.T) {
	s := recordShapes(t)
	path := filepath.Join(t.TempDir(), "traces.json")
	if err := os.WriteFile(path, shapesTraces(t), 0o644); err != nil {
		t.Fatal(err)
	}
	res := load(t, s.dir)
	if err := Merge(res, []string{path}, Options{}); err != nil {
		t.Fatal(err)
	}
	g := res.Graph
	const mod = "example.com/shapes/"
	ab := g.Edge(mod+"a", mod+"b", graph.KindRPC, "http")
	if ab == nil || ab.Runtime != 100 || !ab.Observed || ab.Key != "GET /f" {
		t.Fatalf("a → b http: %+v", ab)
	}
	if !hasEvidence(ab, "100 calls GET /f over http (OTLP trace): p50 50ms, p95 95ms, p99 99ms") {
		t.Errorf("a → b evidence: %+v", ab.Evidence)
	}
	if ac := g.Edge(mod+"a", mod+"c", graph.KindRPC, "grpc"); ac == nil || ac.Runtime != 1 || ac.Key != "c.C" {
		t.Errorf("a → c grpc: %+v", ac)
	}
	st := g.Stats.Runtime
	if st.CallsMapped != 101 || st.CallsUnmapped != 1 || !hasDiag(g, `"warehouse"`) {
		t.Errorf("stats %+v, diagnostics %+v", st, g.Diagnostics)
	}

	res = load(t, s.dir)
	if err := Merge(res, []string{path}, Options{Services: map[string]string{"warehouse": "e"}}); err != nil {
		t.Fatal(err)
	}
	if ae := res.Graph.Edge(mod+"a", mod+"e", graph.KindRPC, "broker"); ae == nil || ae.Runtime != 1 || ae.Key != "orders" {
		t.Errorf("a → e broker with a service mapping: %+v", ae)
	}
	res = load(t, s.dir)
	if err := Merge(res, []string{path}, Options{Services: map[string]string{"warehouse": mod + "d"}}); err != nil {
		t.Fatal(err)
	}
	if ad := res.Graph.Edge(mod+"a", mod+"d", graph.KindRPC, "broker"); ad == nil || ad.Runtime != 1 {
		t.Errorf("a → d broker with a service mapped by package path: %+v", ad)
	}
}

// TestTracesJSONLines reads the collector file exporter's format: one
// export request per line.
func TestTracesJSONLines(t *testing.T) {
	one := shapesTraces(t)
	spans, err := loadTraces([]byte(string(one) + "\n" + string(one) + "\n"))
	if err != nil {
		t.Fatal(err)
	}
	whole, err := loadTraces(one)
	if err != nil {
		t.Fatal(err)
	}
	if len(spans) != 2*len(whole) || len(whole) != 203 {
		t.Errorf("%d spans from two lines, %d from one document", len(spans), len(whole))
	}
	if _, err := loadTraces([]byte(`{"resourceSpans": [` + "\n" + `{]`)); err == nil || !strings.Contains(err.Error(), "OTLP") {
		t.Errorf("bad JSON: %v", err)
	}
}

func TestServiceComponent(t *testing.T) {
	g := graph.New("example.com/shop")
	for _, id := range []string{"example.com/shop/orders", "example.com/shop/catalog/search", "example.com/shop/admin/search"} {
		g.Components = append(g.Components, &graph.Component{ID: id, Name: strings.TrimPrefix(id, "example.com/shop/")})
	}
	for service, want := range map[string]string{
		"example.com/shop/orders": "example.com/shop/orders",
		"orders":                  "example.com/shop/orders",
		"Orders-Service":          "example.com/shop/orders",
		"orders_svc":              "example.com/shop/orders",
		"catalog/search":          "example.com/shop/catalog/search",
		"search":                  "", // two components end in search
		"payments":                "",
	} {
		if got := ServiceComponent(g, service); got != want {
			t.Errorf("ServiceComponent(%q) = %q, want %q", service, got, want)
		}
	}
}
