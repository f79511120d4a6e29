package plan

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestShopLayouts lays fixtures/shop out as teams lay out real
// repositories — everything under internal/, pkg/ or src/ beside cmd/,
// services in services/<name>/ with shared code in pkg/, gRPC stubs beside
// the service that implements them — rewriting imports and the reference
// decomposition to match, and checks that the plan still matches the
// reference exactly: the package tree is a prior, not an answer, so moving
// directories must not change what belongs together.
func TestShopLayouts(t *testing.T) {
	if testing.Short() {
		t.Skip("analyses the shop once per layout")
	}
	services := map[string]string{"api": "shop", "cart": "shop", "catalog": "shop", "orders": "shop", "payments": "shop",
		"notifications": "shop", "pricing": "shop", "inventory": "inventory", "users": "users", "reports": "reports"}
	layouts := map[string]func(pkg string) string{
		"internal": func(p string) string { return "internal/" + p },
		"pkg":      func(p string) string { return "pkg/" + p },
		"src":      func(p string) string { return "src/" + p },
		"services": func(p string) string {
			if s, ok := services[p]; ok {
				return "services/" + s + "/" + p
			}
			return "pkg/" + p
		},
		"stubs-beside": func(p string) string {
			if p == "inventorypb" {
				return "inventory/proto"
			}
			return p
		},
	}
	for name, move := range layouts {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := relayout(t, shopDir, "example.com/shop", move)
			truth, err := os.ReadFile(filepath.Join(dir, "decomposition.tsv"))
			if err != nil {
				t.Fatal(err)
			}
			p := Make(analyse(t, dir, ""), DefaultOptions())
			r, err := Evaluate(p, bytes.NewReader(truth))
			if err != nil {
				t.Fatal(err)
			}
			if r.MoJoFM < 100 || len(r.OnlyInTruth)+len(r.OnlyInPlan) > 0 {
				t.Errorf("MoJoFM %.2f%%, %d services (reference %d); only in truth %v, only in plan %v",
					r.MoJoFM, r.Services, r.TruthServices, r.OnlyInTruth, r.OnlyInPlan)
			}
		})
	}
}

// relayout copies the module in src to a new directory, moving each
// top-level package directory other than cmd to move(name) and rewriting
// the import paths in Go files and the reference decomposition.
func relayout(t *testing.T, src, module string, move func(string) string) string {
	t.Helper()
	dst := t.TempDir()
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	renames := map[string]string{}
	for _, e := range entries {
		if e.IsDir() && e.Name() != "cmd" {
			if to := move(e.Name()); to != e.Name() {
				renames[e.Name()] = to
			}
		}
	}
	importRE := regexp.MustCompile(regexp.QuoteMeta(module) + `/([A-Za-z0-9_]+)`)
	rewrite := func(b []byte) []byte {
		return importRE.ReplaceAllFunc(b, func(m []byte) []byte {
			top := string(m[len(module)+1:])
			if to, ok := renames[top]; ok {
				return []byte(module + "/" + to)
			}
			return m
		})
	}
	err = filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		rel = filepath.ToSlash(rel)
		top, rest, _ := strings.Cut(rel, "/")
		if to, ok := renames[top]; ok && rest != "" {
			rel = to + "/" + rest
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if strings.HasSuffix(rel, ".go") || rel == "decomposition.tsv" {
			data = rewrite(data)
		}
		out := filepath.Join(dst, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return err
		}
		return os.WriteFile(out, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}
