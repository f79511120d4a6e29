package report

import (
	"bytes"
	"context"
	"testing"
)

// BenchmarkReport draws and writes the report of a made-up plan of 1,000
// components (synthPlan), and reports its size.
func BenchmarkReport(b *testing.B) {
	p := synthPlan(1000)
	var size int
	for b.Loop() {
		g, err := RenderPlanGraphs(context.Background(), p)
		if err != nil {
			b.Fatal(err)
		}
		var buf bytes.Buffer
		if err := HTML(&buf, HTMLInput{Plan: p, Graphs: g}); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
	}
	b.ReportMetric(float64(size), "bytes/report")
}
