package manifest

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/podsplit/podsplit/graph"
)

// TestRender checks that plan values reach a Dockerfile only quoted: in
// the JSON-array form, which must decode back to the same strings, or in
// comments that stay one line.
func TestRender(t *testing.T) {
	odd := []string{`apps/my "ledger"`, "naïve/dir", "a<b>&c", "tab\there", "new\nline"}
	df := dockerfile{
		comment("dir: %s", "one\ntwo\rthree"),
		execForm("COPY", odd),
	}
	data, err := df.render()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines, want 2:\n%s", len(lines), data)
	}
	if lines[0] != "# dir: one two three" {
		t.Errorf("comment %q", lines[0])
	}
	arr, ok := strings.CutPrefix(lines[1], "COPY ")
	if !ok {
		t.Fatalf("instruction %q", lines[1])
	}
	var got []string
	if err := json.Unmarshal([]byte(arr), &got); err != nil {
		t.Fatalf("%s: %v", arr, err)
	}
	if strings.Join(got, "|") != strings.Join(odd, "|") {
		t.Errorf("decoded %q, want %q", got, odd)
	}
	if strings.Contains(arr, `\u003c`) {
		t.Errorf("HTML-escaped: %s", arr)
	}
}

// TestRenderRefuses checks that what would break a line or end a
// here-document early is an error, not a broken Dockerfile.
func TestRenderRefuses(t *testing.T) {
	for _, in := range []instr{
		plain("WORKDIR", "/app\nRUN rm -rf /"),
		plain("RUN", `echo \`),
		heredoc("/x", "a\nEOF\nb\n"),
		heredoc("/x", "no final line break"),
	} {
		if data, err := (dockerfile{in}).render(); err == nil {
			t.Errorf("%+v rendered:\n%s", in, data)
		}
	}
}

func TestRepoPath(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"worker", "worker", true},
		{"apps/my ledger/", "apps/my ledger", true},
		{"./web", "web", true},
		{".", ".", true},
		{"../outside", "", false},
		{"/abs", "", false},
		{"a/$HOME", "", false},
		{`a\b`, "", false},
		{"a/*", "", false},
		{"a/[x]", "", false},
		{"a?", "", false},
		{"a\nb", "", false},
		{"", "", false},
	} {
		got, err := repoPath(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("repoPath(%q) = %q, %v; want %q, ok %v", tc.in, got, err, tc.want, tc.ok)
		}
		if err != nil && !errors.Is(err, errUnsafePath) {
			t.Errorf("repoPath(%q): %v is not errUnsafePath", tc.in, err)
		}
	}
}

// TestPyLayout checks where a Python component's source root is and what
// `python -m` runs, from the names the polyglot front end gives.
func TestPyLayout(t *testing.T) {
	for _, tc := range []struct {
		name, dir, entry string
		root, module     string
		copies           string
	}{
		{"worker", "worker", "worker/app.py", ".", "worker.app", "worker/ → /app/worker/"},
		{"worker.jobs", "worker/jobs", "", ".", "worker.jobs", "worker/ → /app/worker/"},
		{"reporter", "svc/src/reporter", "svc/src/reporter/__main__.py", "svc/src", "reporter", "svc/src/reporter/ → /app/reporter/"},
		{"tools/scripts", "tools/scripts", "tools/scripts/run.py", "tools/scripts", "run", "tools/scripts/*.py → /app/"},
		{".", ".", "main.py", ".", "main", "*.py → /app/"},
	} {
		lay := pyLayoutOf(&graph.Component{Name: tc.name, Dir: tc.dir})
		var copies []string
		for _, c := range lay.copies() {
			copies = append(copies, c[0]+" → "+c[1])
		}
		if lay.root != tc.root || lay.module(tc.entry) != tc.module || strings.Join(copies, ", ") != tc.copies {
			t.Errorf("%s in %s: root %q, module %q, copies %v; want %q, %q, %s",
				tc.name, tc.dir, lay.root, lay.module(tc.entry), copies, tc.root, tc.module, tc.copies)
		}
	}
}

func TestJavaProject(t *testing.T) {
	for _, tc := range []struct {
		dir, entry, project, class string
		maven                      bool
	}{
		{"billing/src/main/java/com/shop/billing", "billing/src/main/java/com/shop/billing/App.java", "billing", "com.shop.billing.App", true},
		{"src/main/java/com/shop", "src/main/java/com/shop/Main.java", ".", "com.shop.Main", true},
		{"a/b/src/main/java", "a/b/src/main/java/Main.java", "a/b", "Main", true},
		{"legacy/java/com/shop", "", "legacy/java/com/shop", "", false},
		{"mysrc/main/java/x", "", "mysrc/main/java/x", "", false},
	} {
		project, maven := javaProject(tc.dir)
		if project != tc.project || maven != tc.maven {
			t.Errorf("javaProject(%q) = %q, %v; want %q, %v", tc.dir, project, maven, tc.project, tc.maven)
		}
		if tc.entry != "" && mainClass(project, tc.entry) != tc.class {
			t.Errorf("mainClass(%q, %q) = %q, want %q", project, tc.entry, mainClass(project, tc.entry), tc.class)
		}
	}
}

func TestBrowserApp(t *testing.T) {
	for _, tc := range []struct {
		c    *graph.Component
		want bool
	}{
		{&graph.Component{RoleReason: "mounts the React app (main.tsx)", Entry: "web/src/main.tsx"}, true},
		{&graph.Component{RoleReason: "mounts the React app (main.js)", Entry: "web/main.js"}, true},
		{&graph.Component{RoleReason: "package.json runs it as a program (index.jsx)", Entry: "admin/index.jsx"}, true},
		{&graph.Component{RoleReason: "starts a server (server.ts)", Entry: "api/server.ts"}, false},
		{&graph.Component{RoleReason: "used by 1 component(s)"}, false},
		{nil, false},
	} {
		if got := browserApp(tc.c); got != tc.want {
			t.Errorf("browserApp(%+v) = %v, want %v", tc.c, got, tc.want)
		}
	}
}
