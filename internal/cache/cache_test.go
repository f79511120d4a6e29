package cache

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func open(t *testing.T) *Cache {
	t.Helper()
	c, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestPutGet(t *testing.T) {
	c := open(t)
	if _, ok := c.Get("result", "k1"); ok {
		t.Fatal("hit in an empty cache")
	}
	if err := c.Put("result", "k1", []byte("payload")); err != nil {
		t.Fatal(err)
	}
	got, ok := c.Get("result", "k1")
	if !ok || string(got) != "payload" {
		t.Fatalf("Get = %q, %v; want payload, true", got, ok)
	}
	if _, ok := c.Get("types", "k1"); ok {
		t.Error("kinds share entries")
	}
	if err := c.Put("result", "k1", nil); err != nil {
		t.Fatal(err)
	}
	if got, ok := c.Get("result", "k1"); !ok || len(got) != 0 {
		t.Errorf("empty payload: Get = %q, %v", got, ok)
	}
}

func TestOpenDefault(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "c")
	t.Setenv(EnvDir, dir)
	c, err := Open("")
	if err != nil || c.Dir() != dir {
		t.Fatalf("Open(\"\") = %v, %v; want the directory of $%s", c, err, EnvDir)
	}
	t.Setenv(EnvDir, "")
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	if c, err := Open(""); err != nil || filepath.Base(c.Dir()) != "podsplit" {
		t.Fatalf("Open(\"\") = %v, %v; want a podsplit directory in the user cache", c, err)
	}
}

// TestCorruptEntry damages an entry in the ways a crash or a full disk
// would; each reads as a miss, and the next Put repairs it.
func TestCorruptEntry(t *testing.T) {
	damage := map[string]func([]byte) []byte{
		"truncated":   func(b []byte) []byte { return b[:len(b)-3] },
		"flipped":     func(b []byte) []byte { b[len(b)-1] ^= 1; return b },
		"no header":   func(b []byte) []byte { return b[len(header):] },
		"empty":       func([]byte) []byte { return nil },
		"only header": func([]byte) []byte { return []byte(header) },
	}
	for name, f := range damage {
		t.Run(name, func(t *testing.T) {
			c := open(t)
			if err := c.Put("types", "abc", []byte("some export data")); err != nil {
				t.Fatal(err)
			}
			file := c.path("types", "abc")
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(file, f(data), 0o644); err != nil {
				t.Fatal(err)
			}
			if got, ok := c.Get("types", "abc"); ok {
				t.Fatalf("damaged entry read as %q", got)
			}
			if err := c.Put("types", "abc", []byte("some export data")); err != nil {
				t.Fatal(err)
			}
			if got, ok := c.Get("types", "abc"); !ok || string(got) != "some export data" {
				t.Fatalf("after rewrite: Get = %q, %v", got, ok)
			}
		})
	}
}

// TestConcurrent has writers and readers race on the same keys: a reader
// sees a whole entry or none, and no temporary file is left behind.
func TestConcurrent(t *testing.T) {
	c := open(t)
	payload := func(k int) []byte { return bytes.Repeat([]byte(fmt.Sprint(k)), 50000) }
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for w := range 8 {
		wg.Go(func() {
			for i := range 20 {
				k := (w + i) % 4
				if err := c.Put("result", fmt.Sprint(k), payload(k)); err != nil {
					errs <- err
				}
				if got, ok := c.Get("result", fmt.Sprint((k+1)%4)); ok && !bytes.Equal(got, payload((k+1)%4)) {
					errs <- fmt.Errorf("key %d: read %d bytes of another content", (k+1)%4, len(got))
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	filepath.WalkDir(c.Dir(), func(path string, d os.DirEntry, err error) error {
		if err == nil && strings.HasPrefix(d.Name(), ".tmp-") {
			t.Errorf("temporary file left: %s", path)
		}
		return nil
	})
}

func TestTrim(t *testing.T) {
	c := open(t)
	for _, k := range []string{"old", "new"} {
		if err := c.Put("result", k, []byte(k)); err != nil {
			t.Fatal(err)
		}
	}
	past := timeAgo(Expire + 1)
	if err := os.Chtimes(c.path("result", "old"), past, past); err != nil {
		t.Fatal(err)
	}
	c.Trim()
	if _, ok := c.Get("result", "old"); ok {
		t.Error("an entry unused for longer than Expire survived Trim")
	}
	if _, ok := c.Get("result", "new"); !ok {
		t.Error("Trim removed a fresh entry")
	}
}
