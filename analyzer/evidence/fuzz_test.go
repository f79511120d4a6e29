package evidence

import (
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// The seed corpora under testdata/fuzz are real data recorded from the
// shapes module; go test -run TestWriteSeeds -seeds rewrites them.
var writeSeeds = flag.Bool("seeds", false, "rewrite the fuzz seed corpora under testdata/fuzz from fresh recordings")

func FuzzCoverProfile(f *testing.F) {
	f.Add([]byte("mode: count\nexample.com/a/a.go:3.14,5.2 1 7\n"))
	f.Add([]byte("mode: set\nexample.com/a/a.go:3.14,5.2 1 1\nexample.com/a/a.go:3.14,5.2 1 1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		profs, err := parseCoverProfile(data)
		if err != nil {
			return
		}
		for _, p := range profs {
			for _, b := range p.Blocks {
				if b.Count < 0 || b.StartLine <= 0 || b.EndLine < b.StartLine {
					t.Fatalf("accepted bad block %+v", b)
				}
			}
		}
	})
}

func FuzzProfile(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0x1f, 0x8b, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		in, err := loadProfile(data)
		if err != nil {
			return
		}
		if in.cpu < 0 || in.cpu >= len(in.prof.SampleType) {
			t.Fatalf("accepted a profile without CPU time: index %d", in.cpu)
		}
		for _, s := range in.prof.Sample {
			_ = s.Value[in.cpu]
			frames(s)
		}
	})
}

func FuzzTraces(f *testing.F) {
	f.Add([]byte(`{"resourceSpans": []}`))
	f.Add([]byte(`{"resourceSpans": [{"scopeSpans": [{"spans": [{"traceId": "zz"}]}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		spans, err := loadTraces(data)
		if err != nil {
			return
		}
		for _, c := range pairCalls([]traceInput{{path: "fuzz", spans: spans}}) {
			if c.from == c.to {
				t.Fatalf("a call from a service to itself: %+v", c)
			}
		}
	})
}

// TestWriteSeeds records fresh seeds for the fuzz targets.
func TestWriteSeeds(t *testing.T) {
	if !*writeSeeds {
		t.Skip("run with -seeds to rewrite the fuzz seed corpora")
	}
	s := recordShapes(t)
	cover, err := os.ReadFile(s.cover)
	if err != nil {
		t.Fatal(err)
	}
	cpu, err := os.ReadFile(s.cpu)
	if err != nil {
		t.Fatal(err)
	}
	writeSeed(t, "FuzzCoverProfile", "shapes", cover)
	writeSeed(t, "FuzzProfile", "shapes-gzip", cpu)
	writeSeed(t, "FuzzProfile", "shapes-raw", gunzipped(t, cpu))
	writeSeed(t, "FuzzTraces", "client-server", smallTraces(t))
}

func gunzipped(t *testing.T, data []byte) []byte {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if _, err := out.ReadFrom(zr); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func smallTraces(t *testing.T) []byte {
	b := newTraceBuilder()
	c := b.span("orders", ptrace.SpanKindClient, 1, pcommon.SpanID{}, 3*time.Millisecond, map[string]string{"http.request.method": "GET"})
	b.span("pricing", ptrace.SpanKindServer, 1, c.SpanID(), 2*time.Millisecond, map[string]string{"http.route": "/quote"})
	p := b.span("orders", ptrace.SpanKindProducer, 2, pcommon.SpanID{}, time.Millisecond, map[string]string{"messaging.system": "kafka"})
	b.span("events", ptrace.SpanKindConsumer, 2, p.SpanID(), time.Millisecond, nil)
	return b.json(t)
}

func writeSeed(t *testing.T, target, name string, data []byte) {
	dir := filepath.Join("testdata", "fuzz", target)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	content := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", data)
	if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
