// Package cache keeps what podsplit computed between runs, in a directory
// under the user's cache directory (os.UserCacheDir()/podsplit, or
// $PODSPLIT_CACHE).
//
// Terms. An entry is a blob stored under a kind ("types", "result",
// "files") and a key. For content-addressed kinds the key is the hex
// SHA-256 of every input the blob was computed from, so a changed input
// gives a new key and an entry is never rewritten with different content.
// Each entry file begins with a header holding the SHA-256 of its payload:
// a truncated or corrupted file fails the check and reads as a miss, and
// the next run writes it again. Entries are written to a temporary file in
// their directory and renamed into place, so a concurrent reader sees the
// old entry, the new one, or none, never part of one; two runs writing the
// same key write the same content and the last rename wins. Trim removes
// entries not used for a while.
package cache

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// EnvDir names the environment variable that overrides the directory.
const EnvDir = "PODSPLIT_CACHE"

// A Cache is a directory of entries. Its methods are safe for concurrent
// use, also by several processes.
type Cache struct {
	dir string
}

// Open opens (creating it if needed) the cache in dir; "" means the
// default: $PODSPLIT_CACHE, else os.UserCacheDir()/podsplit.
func Open(dir string) (*Cache, error) {
	if dir == "" {
		dir = os.Getenv(EnvDir)
	}
	if dir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			return nil, fmt.Errorf("opening the cache: %w", err)
		}
		dir = filepath.Join(base, "podsplit")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("opening the cache: %w", err)
	}
	return &Cache{dir: dir}, nil
}

// Dir returns the cache's directory.
func (c *Cache) Dir() string { return c.dir }

// header starts every entry file; the payload's SHA-256 follows in hex.
const header = "podsplit-cache/1\n"

func (c *Cache) path(kind, key string) string {
	sub := "xx"
	if len(key) >= 2 {
		sub = key[:2]
	}
	return filepath.Join(c.dir, kind, sub, key)
}

// Get returns the payload of an entry; a missing, unreadable or corrupted
// entry is a miss.
func (c *Cache) Get(kind, key string) ([]byte, bool) {
	name := c.path(kind, key)
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, false
	}
	payload, ok := verify(data)
	if !ok {
		return nil, false
	}
	c.touch(name)
	return payload, true
}

// verify checks an entry file's header and returns its payload.
func verify(data []byte) ([]byte, bool) {
	rest, ok := bytes.CutPrefix(data, []byte(header))
	if !ok || len(rest) < sha256.Size*2+1 || rest[sha256.Size*2] != '\n' {
		return nil, false
	}
	sum, payload := rest[:sha256.Size*2], rest[sha256.Size*2+1:]
	got := sha256.Sum256(payload)
	return payload, hex.EncodeToString(got[:]) == string(sum)
}

// Put stores an entry atomically: through a temporary file renamed over
// the entry's name.
func (c *Cache) Put(kind, key string, payload []byte) error {
	name := c.path(kind, key)
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return fmt.Errorf("writing cache entry: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), ".tmp-*")
	if err != nil {
		return fmt.Errorf("writing cache entry: %w", err)
	}
	sum := sha256.Sum256(payload)
	_, err = tmp.WriteString(header + hex.EncodeToString(sum[:]) + "\n")
	if err == nil {
		_, err = tmp.Write(payload)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), name)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("writing cache entry: %w", err)
	}
	return nil
}

// Expire is how long an entry survives without being used.
const Expire = 5 * 24 * time.Hour

// touch marks an entry used, at most once an hour so reads stay cheap.
func (c *Cache) touch(name string) {
	now := now()
	if st, err := os.Stat(name); err == nil && now.Sub(st.ModTime()) > time.Hour {
		os.Chtimes(name, now, now)
	}
}

// Trim removes entries unused for Expire, and temporary files a crashed
// run left behind. It does the work at most once a day; errors are
// ignored, as a stale entry costs only disk space.
func (c *Cache) Trim() {
	mark := filepath.Join(c.dir, "trim.txt")
	now := now()
	if st, err := os.Stat(mark); err == nil && now.Sub(st.ModTime()) < 24*time.Hour {
		return
	}
	if err := os.WriteFile(mark, []byte(now.UTC().Format(time.RFC3339)+"\n"), 0o644); err != nil {
		return
	}
	filepath.WalkDir(c.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path == mark {
			return nil
		}
		if info, err := d.Info(); err == nil && now.Sub(info.ModTime()) > Expire {
			os.Remove(path)
		}
		return nil
	})
}

// A Bucket is the entries of one kind; it satisfies analyzer.TypesCache.
type Bucket struct {
	c    *Cache
	kind string
}

// Bucket returns the entries of kind.
func (c *Cache) Bucket(kind string) *Bucket { return &Bucket{c: c, kind: kind} }

// Get is Cache.Get for the bucket's kind.
func (b *Bucket) Get(key string) ([]byte, bool) { return b.c.Get(b.kind, key) }

// Put is Cache.Put for the bucket's kind; a failed write is ignored, as it
// only costs the recomputation next time.
func (b *Bucket) Put(key string, payload []byte) { _ = b.c.Put(b.kind, key, payload) }
