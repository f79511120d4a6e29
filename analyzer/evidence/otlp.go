package evidence

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"go.opentelemetry.io/collector/pdata/ptrace"
)

// A traceInput is the spans of one OTLP/JSON input.
type traceInput struct {
	path  string
	spans []span
}

// A span is the part of an OTLP span that tells who called whom.
type span struct {
	trace, id, parent string
	service           string
	kind              ptrace.SpanKind
	name              string
	durNs             int64
	attrs             map[string]string // the attributes spanAttrs lists
	links             []string          // trace+span ids of linked spans
}

// spanAttrs are the span attributes read: they tell the mechanism, the key
// (route, method, topic) and the peer of a call.
var spanAttrs = []string{
	"rpc.system", "rpc.service", "rpc.method",
	"messaging.system", "messaging.destination.name", "messaging.destination",
	"http.request.method", "http.method", "http.route", "url.path", "http.target",
	"peer.service",
}

// loadTraces parses OTLP/JSON traces: one export request, or several in a
// row, one per line, as the collector's file exporter writes them.
func loadTraces(data []byte) (spans []span, err error) {
	defer func() {
		if r := recover(); r != nil {
			spans, err = nil, fmt.Errorf("parsing OTLP/JSON traces: %v", r)
		}
	}()
	if !bytes.Contains(data, []byte(`"resourceSpans"`)) && !bytes.Contains(data, []byte(`"resource_spans"`)) {
		return nil, ErrUnknownKind
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	var u ptrace.JSONUnmarshaler
	for n := 1; ; n++ {
		var doc json.RawMessage
		if err := dec.Decode(&doc); err == io.EOF {
			return spans, nil
		} else if err != nil {
			return nil, fmt.Errorf("parsing OTLP/JSON traces (document %d): %w", n, err)
		}
		td, err := u.UnmarshalTraces(doc)
		if err != nil {
			return nil, fmt.Errorf("parsing OTLP/JSON traces (document %d): %w", n, err)
		}
		spans = appendSpans(spans, td)
	}
}

func appendSpans(out []span, td ptrace.Traces) []span {
	for _, rs := range td.ResourceSpans().All() {
		service := ""
		if v, ok := rs.Resource().Attributes().Get("service.name"); ok {
			service = v.AsString()
		}
		for _, ss := range rs.ScopeSpans().All() {
			for _, s := range ss.Spans().All() {
				out = append(out, newSpan(service, s))
			}
		}
	}
	return out
}

func newSpan(service string, s ptrace.Span) span {
	sp := span{
		trace: s.TraceID().String(), id: s.SpanID().String(), service: service,
		kind: s.Kind(), name: s.Name(), attrs: map[string]string{},
	}
	if !s.ParentSpanID().IsEmpty() {
		sp.parent = s.ParentSpanID().String()
	}
	if end, start := s.EndTimestamp(), s.StartTimestamp(); end > start {
		sp.durNs = int64(end - start)
	}
	for _, k := range spanAttrs {
		if v, ok := s.Attributes().Get(k); ok {
			sp.attrs[k] = v.AsString()
		}
	}
	for _, l := range s.Links().All() {
		sp.links = append(sp.links, l.TraceID().String()+l.SpanID().String())
	}
	return sp
}
