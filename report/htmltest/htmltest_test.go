package htmltest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// recorder is a testing.TB that keeps the errors it is given instead of
// failing, so that a test can check what Check reports.
type recorder struct {
	*testing.T
	mu   sync.Mutex
	errs []string
}

func (r *recorder) Error(args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, fmt.Sprint(args...))
}

func (r *recorder) Errorf(format string, args ...any) { r.Error(fmt.Sprintf(format, args...)) }

// A page that logs an error, throws, and fetches must fail Check, once per
// problem; a quiet page must pass.
func TestCheck(t *testing.T) {
	Browser(t)
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.html")
	good := filepath.Join(dir, "good.html")
	os.WriteFile(bad, []byte(`<!DOCTYPE html><title>bad</title><img src="missing.png">
<script>console.error("boom")</script><script>throw new Error("thrown")</script>`), 0o644)
	os.WriteFile(good, []byte(`<!DOCTYPE html><title>good</title><p id="p">fine</p><script>console.log("hello")</script>`), 0o644)

	r := &recorder{T: t}
	p := Open(r, bad, time.Minute)
	p.Check()
	joined := strings.Join(r.errs, "\n")
	for _, want := range []string{"console error: \"boom\"", "uncaught exception: Error: thrown", "request for file://", "failed request"} {
		if !strings.Contains(joined, want) {
			t.Errorf("Check did not report %q; it reported:\n%s", want, joined)
		}
	}

	q := Open(t, good, time.Minute)
	if !q.Visible("#p") || q.Visible("#nothing") {
		t.Error("Visible is wrong about the good page")
	}
}
