// Package htmltest opens HTML reports in headless Chromium for tests.
//
// A page opened with Open records every console message of level error,
// every uncaught exception, every failed request and every request for
// anything but the page itself; Check fails the test on any of them, since a
// report must be self-contained and run without errors. Open runs Check when
// the test ends.
//
// The browser is the system Chromium (Debian's chromium). Without one the
// test is skipped, unless the environment variable CI is set: in CI a missing
// browser is a failure.
package htmltest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Browser returns the path of the Chromium binary, skipping the test when
// there is none outside CI and failing it in CI.
func Browser(t testing.TB) string {
	t.Helper()
	for _, name := range []string{os.Getenv("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if name == "" {
			continue
		}
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("no chromium binary found, and CI is set: install Debian's chromium")
	}
	t.Skip("no chromium binary found (install Debian's chromium, or set CHROMIUM); skipping the browser test")
	return ""
}

// A Page is a report open in the browser.
type Page struct {
	t   testing.TB
	ctx context.Context
	url string

	mu       sync.Mutex
	problems []string
}

// An Option changes how Open loads a page.
type Option func(*options)

type options struct{ noScript bool }

// NoScript loads the page with JavaScript disabled, as a reader who turned
// it off would see it.
func NoScript(o *options) { o.noScript = true }

// Open starts a fresh headless Chromium and loads the HTML file at path. The
// browser lives until the test ends, or timeout passes.
func Open(t testing.TB, path string, timeout time.Duration, opts ...Option) *Page {
	t.Helper()
	bin := Browser(t)
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	p := &Page{t: t, url: (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String()}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(bin),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1400, 1000),
	)
	ctx, cancelTab := chromedp.NewContext(ctx, chromedp.WithListener(p.listen))
	p.ctx = ctx
	t.Cleanup(func() {
		p.Check()
		cancelTab()
		cancelAlloc()
		cancel()
	})
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if o.noScript {
		if err := chromedp.Do(ctx); err != nil {
			t.Fatalf("starting chromium: %v", err)
		}
		if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
			t.Fatalf("disabling scripts: %v", err)
		}
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(p.url)); err != nil {
		t.Fatalf("opening %s: %v", path, err)
	}
	return p
}

// listen records what makes a page fail. It runs on the browser's reading
// goroutine, so it only appends.
func (p *Page) listen(ev any) {
	var problem string
	switch e := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeAssert {
			problem = "console " + string(e.Type) + ": " + argsText(e.Args)
		}
	case *runtime.EventExceptionThrown:
		problem = "uncaught exception: " + exceptionText(e.ExceptionDetails)
	case *log.EventEntryAdded:
		if e.Entry != nil && e.Entry.Level == log.EntryLevelError {
			problem = "browser log (" + string(e.Entry.Source) + "): " + e.Entry.Text
		}
	case *network.EventLoadingFailed:
		problem = "failed request " + string(e.RequestID) + ": " + e.ErrorText
	case *network.EventRequestWillBeSent:
		if e.Request != nil && e.Request.URL != p.url {
			problem = "request for " + e.Request.URL + ": the report must be self-contained"
		}
	}
	if problem != "" {
		p.mu.Lock()
		p.problems = append(p.problems, problem)
		p.mu.Unlock()
	}
}

func argsText(args []*runtime.RemoteObject) string {
	s := ""
	for _, a := range args {
		if a == nil {
			continue
		}
		if len(a.Value) > 0 {
			s += string(a.Value) + " "
		} else {
			s += a.Description + " "
		}
	}
	return s
}

func exceptionText(d *runtime.ExceptionDetails) string {
	if d == nil {
		return ""
	}
	if d.Exception != nil && d.Exception.Description != "" {
		return d.Exception.Description
	}
	return d.Text
}

// Check fails the test if the page logged an error, threw, or made a request.
func (p *Page) Check() {
	p.t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, s := range p.problems {
		p.t.Error(s)
	}
	p.problems = nil
}

// Eval evaluates a JavaScript expression and returns its value.
func Eval[T any](p *Page, expr string) T {
	p.t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		p.t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// Click scrolls the element that the CSS selector matches into view and
// clicks its centre with the mouse, as a reader would.
func (p *Page) Click(sel string) {
	p.t.Helper()
	if !p.Visible(sel) {
		p.t.Fatalf("clicking %s: not visible", sel)
	}
	xy := Eval[[]float64](p, fmt.Sprintf(`(function(e){e.scrollIntoView({block:"center"});var r=e.getBoundingClientRect();return [r.left+r.width/2,r.top+r.height/2]})(document.querySelector(%s))`, jsString(sel)))
	if err := chromedp.Do(p.ctx, chromedp.MouseClickXY(xy[0], xy[1])); err != nil {
		p.t.Fatalf("clicking %s: %v", sel, err)
	}
}

// Type sets the value of the input that the selector matches to text, as
// typing would, and fires its input event.
func (p *Page) Type(sel, text string) {
	p.t.Helper()
	if !p.Visible(sel) {
		p.t.Fatalf("typing into %s: not visible", sel)
	}
	Eval[bool](p, fmt.Sprintf(`(function(e){e.focus();e.value=%s;e.dispatchEvent(new Event("input",{bubbles:true}));return true})(document.querySelector(%s))`,
		jsString(text), jsString(sel)))
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// Visible reports whether the element that the selector matches is rendered
// with a size, inside nothing hidden or closed.
func (p *Page) Visible(sel string) bool {
	p.t.Helper()
	return Eval[bool](p, fmt.Sprintf(`(function(){var e=document.querySelector(%s);
if(!e){return false}var r=e.getBoundingClientRect();return r.width>0&&r.height>0&&e.checkVisibility()})()`, jsString(sel)))
}

// Screenshot saves a PNG of the whole page to path.
func (p *Page) Screenshot(path string) {
	p.t.Helper()
	png, err := chromedp.Run(p.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		p.t.Fatalf("taking a screenshot: %v", err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		p.t.Fatal(err)
	}
}

// ScreenshotViewport saves a PNG of what the window shows to path.
func (p *Page) ScreenshotViewport(path string) {
	p.t.Helper()
	png, err := chromedp.Run(p.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		p.t.Fatalf("taking a screenshot: %v", err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		p.t.Fatal(err)
	}
}

// PDF prints the page as a browser's print dialog would, and saves the PDF
// to path.
func (p *Page) PDF(path string) {
	p.t.Helper()
	pdf, err := chromedp.Run(p.ctx, chromedp.PrintToPDF(chromedp.PDFPrintBackground()))
	if err != nil {
		p.t.Fatalf("printing: %v", err)
	}
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		p.t.Fatal(err)
	}
}
