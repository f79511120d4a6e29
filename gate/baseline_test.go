package gate_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/podsplit/podsplit/gate"
)

func v(rule, pos, subject, fp string) gate.Violation {
	return gate.Violation{Rule: rule, Pos: pos, Subject: subject, Fingerprint: fp}
}

// TestBaselineRoundTrip: the file is sorted, has no line numbers, and reads
// back to the same entries whatever the order of the violations.
func TestBaselineRoundTrip(t *testing.T) {
	vs := []gate.Violation{
		v("shared-state", "cart/cart.go:96", "cart writes catalog.PriceCache", "22"),
		v("cross-service-call", "orders/orders.go:207", "orders.checkout → payments.Charge", "11"),
		v("cross-service-call", "api/api.go:9", "api.h → users.Get", "33"),
	}
	a := gate.NewBaseline(vs).Marshal()
	b := gate.NewBaseline([]gate.Violation{vs[2], vs[0], vs[1]}).Marshal()
	if string(a) != string(b) {
		t.Fatalf("baseline depends on the order of violations:\n%s\n%s", a, b)
	}
	if strings.Contains(string(a), ":207") || strings.Contains(string(a), ":96") {
		t.Errorf("baseline holds line numbers:\n%s", a)
	}
	if i, j := strings.Index(string(a), "api/api.go"), strings.Index(string(a), "orders/orders.go"); i > j {
		t.Errorf("entries are not sorted:\n%s", a)
	}
	path := filepath.Join(t.TempDir(), "sub", gate.BaselineFile)
	if err := gate.NewBaseline(vs).Save(path); err != nil {
		t.Fatal(err)
	}
	back, existed, err := gate.LoadBaseline(path)
	if err != nil || !existed {
		t.Fatalf("load: %v, existed %v", err, existed)
	}
	if string(back.Marshal()) != string(a) {
		t.Errorf("round trip changed the baseline:\n%s", back.Marshal())
	}
}

func TestLoadBaselineMissing(t *testing.T) {
	b, existed, err := gate.LoadBaseline(filepath.Join(t.TempDir(), "none.json"))
	if err != nil || existed || len(b.Entries) != 0 {
		t.Errorf("got %v, %v, %v; want an empty baseline", b, existed, err)
	}
}

func TestParseBaselineStrict(t *testing.T) {
	for name, data := range map[string]string{
		"unknown field": `{"schema":"podsplit.baseline/v1","violations":[],"extra":1}`,
		"wrong schema":  `{"schema":"podsplit.baseline/v0","violations":[]}`,
		"no rule":       `{"schema":"podsplit.baseline/v1","violations":[{"fingerprint":"aa","subject":"x"}]}`,
		"not json":      `violations: []`,
	} {
		if _, err := gate.ParseBaseline([]byte(data)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestCompare splits violations into new and baselined ones and reports
// entries no longer found; a fingerprint counts only with its rule.
func TestCompare(t *testing.T) {
	base := gate.NewBaseline([]gate.Violation{
		v("cross-service-call", "a.go:1", "kept", "k"),
		v("shared-state", "b.go:2", "gone", "g"),
	})
	d := gate.Compare([]gate.Violation{
		v("cross-service-call", "a.go:40", "kept", "k"),
		v("service-cycle", "c.go:3", "new, same fingerprint as a fixed one", "g"),
	}, base)
	if len(d.New) != 1 || d.New[0].Rule != "service-cycle" {
		t.Errorf("new: %+v", d.New)
	}
	if len(d.Baselined) != 1 || d.Baselined[0].Subject != "kept" {
		t.Errorf("baselined: %+v", d.Baselined)
	}
	if len(d.Fixed) != 1 || d.Fixed[0].Subject != "gone" {
		t.Errorf("fixed: %+v", d.Fixed)
	}
}

// fakeT records what Assert reports instead of failing the real test.
type fakeT struct {
	testing.TB
	errors, logs []string
	fatal        string
}

func (f *fakeT) Helper() {}
func (f *fakeT) Errorf(format string, args ...any) {
	f.errors = append(f.errors, sprintf(format, args...))
}
func (f *fakeT) Logf(format string, args ...any)   { f.logs = append(f.logs, sprintf(format, args...)) }
func (f *fakeT) Fatalf(format string, args ...any) { f.fatal = sprintf(format, args...) }

// TestAssert runs the Go API as a user's architecture test would: it fails
// with one error per new violation, and passes once they are baselined.
func TestAssert(t *testing.T) {
	dir, _ := extract(t, "testdata/rules.txtar")
	ft := &fakeT{TB: t}
	gate.Assert(ft, dir)
	if ft.fatal != "" || len(ft.errors) != 10 || !strings.HasPrefix(ft.errors[0], "a/a.go:9: cross-service-call: ") {
		t.Fatalf("fatal %q, errors:\n%s", ft.fatal, strings.Join(ft.errors, "\n"))
	}
	r, err := gate.Run(context.Background(), dir, gate.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := gate.NewBaseline(r.Result.Violations).Save(filepath.Join(dir, gate.BaselineFile)); err != nil {
		t.Fatal(err)
	}
	ft = &fakeT{TB: t}
	gate.Assert(ft, dir)
	if ft.fatal != "" || len(ft.errors) != 0 {
		t.Fatalf("with a baseline: fatal %q, errors %q", ft.fatal, ft.errors)
	}
	if err := os.Remove(filepath.Join(dir, "podsplit.yaml")); err != nil {
		t.Fatal(err)
	}
	ft = &fakeT{TB: t}
	gate.Assert(ft, dir)
	if !strings.Contains(ft.fatal, "podsplit.yaml") {
		t.Errorf("without a configuration: fatal %q", ft.fatal)
	}
}

var sprintf = fmt.Sprintf
