//go:build cgo

package polyglot

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/podsplit/podsplit/graph"
	"github.com/podsplit/podsplit/internal/cache"
)

// BenchmarkParse measures parsing and lowering throughput, in files per
// second, on a generated corpus of realistic files per language: Python
// (Flask, requests, SQL), Java (Spring, RestTemplate, Kafka), TypeScript
// (Express, axios, imports) and TSX (React components).
func BenchmarkParse(b *testing.B) {
	dir := b.TempDir()
	const perLang = 40
	writeCorpus(b, dir, perLang)
	t, err := walk(dir, Options{})
	if err != nil {
		b.Fatal(err)
	}
	for _, lang := range []string{"python", "java", "typescript", "tsx", "all"} {
		var srcs []source
		for _, s := range t.Sources {
			if lang == "all" || s.Grammar == lang {
				srcs = append(srcs, s)
			}
		}
		b.Run(lang, func(b *testing.B) {
			cpu := cpuTime()
			for b.Loop() {
				if _, err := parseAll(context.Background(), srcs, Options{}); err != nil {
					b.Fatal(err)
				}
			}
			report(b, len(srcs)*b.N, cpuTime()-cpu)
		})
	}
}

// BenchmarkAnalyze measures the whole front end on the same corpus: walk,
// parse, components, import edges and link facts, in four states of the
// file cache (Options.Cache):
//
//   - nocache: every file parsed, nothing stored;
//   - cold: an empty cache each run: every file parsed and its model stored;
//   - warm: every model read from the cache, nothing parsed;
//   - edit: a warm cache and one file changed before each run, as after a
//     one-file commit: that file parsed and stored, the others read.
func BenchmarkAnalyze(b *testing.B) {
	dir := b.TempDir()
	const perLang = 40
	writeCorpus(b, dir, perLang)
	caches := b.TempDir()
	newCache := func(b *testing.B) FileCache {
		d, err := os.MkdirTemp(caches, "")
		if err != nil {
			b.Fatal(err)
		}
		c, err := cache.Open(d)
		if err != nil {
			b.Fatal(err)
		}
		return c.Bucket("polyglot")
	}
	analyze := func(b *testing.B, c FileCache) {
		if _, err := Analyze(context.Background(), dir, graph.New("bench"), Options{Cache: c, Build: "bench"}); err != nil {
			b.Fatal(err)
		}
	}
	measure := func(name string, setup func(b *testing.B) FileCache, each func(b *testing.B, i int) FileCache) {
		b.Run(name, func(b *testing.B) {
			c := setup(b)
			cpu := cpuTime()
			i := 0
			for b.Loop() {
				if each != nil {
					c = each(b, i)
				}
				analyze(b, c)
				i++
			}
			report(b, 4*perLang*b.N, cpuTime()-cpu)
		})
	}
	none := func(*testing.B) FileCache { return nil }
	warm := func(b *testing.B) FileCache {
		c := newCache(b)
		analyze(b, c)
		return c
	}
	measure("nocache", none, nil)
	measure("cold", none, func(b *testing.B, _ int) FileCache { return newCache(b) })
	measure("warm", warm, nil)
	edited := filepath.Join(dir, "py", "p0", "m0.py")
	orig, err := os.ReadFile(edited)
	if err != nil {
		b.Fatal(err)
	}
	var c FileCache
	measure("edit", func(b *testing.B) FileCache { c = warm(b); return c }, func(b *testing.B, i int) FileCache {
		if err := os.WriteFile(edited, fmt.Appendf(orig, "\n# edit %d\n", i), 0o644); err != nil {
			b.Fatal(err)
		}
		return c
	})
}

// report gives files per second of wall time and, because a shared
// machine makes wall time noisy, files per second of CPU time (the
// process's user and system time, all threads): what one core sustains.
func report(b *testing.B, files int, cpu time.Duration) {
	b.ReportMetric(float64(files)/b.Elapsed().Seconds(), "files/s")
	if cpu > 0 {
		b.ReportMetric(float64(files)/cpu.Seconds(), "files/cpu-s")
	}
}

// cpuTime is the CPU time the process has used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// writeCorpus writes n files per language, each about 120 lines, spread
// over packages of ten files that import each other.
func writeCorpus(b *testing.B, dir string, n int) {
	b.Helper()
	write := func(rel, text string) {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	for i := range n {
		pkg, prev := i/10, max(i/10-1, 0)
		write(fmt.Sprintf("py/p%d/__init__.py", pkg), "")
		write(fmt.Sprintf("py/p%d/m%d.py", pkg, i), repeat(pyUnit, i, pkg, prev))
		write(fmt.Sprintf("java/src/main/java/com/b/p%d/C%d.java", pkg, i),
			fmt.Sprintf("package com.b.p%d;\nimport com.b.p%d.*;\npublic class C%d {\n%s}\n", pkg, prev, i, repeat(javaUnit, i, pkg, prev)))
		write(fmt.Sprintf("ts/p%d/m%d.ts", pkg, i), fmt.Sprintf("import { f0 } from \"../p%d/m%d\";\n%s", prev, prev*10, repeat(tsUnit, i, pkg, prev)))
		write(fmt.Sprintf("tsx/p%d/C%d.tsx", pkg, i), repeat(tsxUnit, i, pkg, prev))
	}
}

// repeat instantiates a unit of code six times with distinct names.
func repeat(unit string, i, pkg, prev int) string {
	var s strings.Builder
	for k := range 6 {
		r := strings.NewReplacer("$I", fmt.Sprint(i), "$K", fmt.Sprint(k), "$P", fmt.Sprint(pkg), "$Q", fmt.Sprint(prev))
		s.WriteString(r.Replace(unit))
	}
	return s.String()
}

const pyUnit = `import requests
from flask import Flask
from py.p$Q import m$Q
app$K = Flask(__name__)

@app$K.route("/r$I/$K/<int:id>", methods=["GET", "POST"])
def handler_$K(id):
    rows = db.execute("SELECT a, b FROM t$K WHERE id = %s", (id,))
    r = requests.get(f"{BASE}/orders/{id}", timeout=3)
    total = sum(x * 2 for x in rows if x)
    return {"id": id, "total": total, "remote": r.json()}

`

const javaUnit = `    @GetMapping("/r$I/$K/{id}")
    public String get$K(@PathVariable String id) {
        String body = rest.getForObject(BASE + "/orders/" + id, String.class);
        kafka.send("topic.$K", body);
        for (int j = 0; j < 10; j++) { body = body + j; }
        return jdbc.queryForObject("SELECT name FROM t$K WHERE id = ?", String.class, id);
    }

`

const tsUnit = `export async function f$K(id: string): Promise<number> {
  const res = await fetch("/orders/" + id, { method: "GET" });
  const data: { total: number } = await res.json();
  app.get("/r$I/$K/:id", (req, res) => res.json({ id: req.params.id }));
  return data.total + f0(id).length;
}

`

const tsxUnit = `export function View$K({ id }: { id: string }) {
  const [v, setV] = useState<number>(0);
  useEffect(() => { axios.get(` + "`/orders/${id}`" + `).then((r) => setV(r.data)); }, [id]);
  return (
    <div className="view">
      <span>{v}</span>
      <button onClick={() => setV(v + 1)}>+</button>
    </div>
  );
}

`
