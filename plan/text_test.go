package plan

import (
	"strings"
	"testing"

	"github.com/podsplit/podsplit/graph"
)

// TestTextDiagnosticPosition checks that the text plan gives a
// diagnostic's position, as the scan's summary does, so a load error
// names the file to fix.
func TestTextDiagnosticPosition(t *testing.T) {
	p := &Plan{Module: "example.com/m", Diagnostics: []graph.Diagnostic{
		{Pos: "legacy/legacy.go:8", Category: "load", Message: "example.com/m/legacy: undefined: orders.Legacy"},
		{Category: "merge", Message: "main joins legacy"},
	}}
	var b strings.Builder
	if err := WriteText(&b, p); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"  legacy/legacy.go:8: load: example.com/m/legacy: undefined: orders.Legacy\n",
		"  merge: main joins legacy\n",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("text plan lacks %q:\n%s", want, b.String())
		}
	}
}
