package cache

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func timeAgo(d time.Duration) time.Time { return time.Now().Add(-d) }

// later moves the clock so that files written now are outside the racy
// window of an index written now.
func later(t *testing.T) {
	t.Helper()
	now = func() time.Time { return time.Now().Add(time.Hour) }
	t.Cleanup(func() { now = time.Now })
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func hashTree(t *testing.T, c *Cache, dir string, opt TreeOptions) string {
	t.Helper()
	h, err := c.HashTree(dir, opt)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// TestHashTreeContent checks that the hash follows content, also through
// edits that keep a file's size and modification time.
func TestHashTreeContent(t *testing.T) {
	later(t)
	c, dir := open(t), t.TempDir()
	writeFiles(t, dir, map[string]string{"a.go": "package a\n", "b/b.go": "package b\n"})
	h1 := hashTree(t, c, dir, TreeOptions{})
	if h2 := hashTree(t, c, dir, TreeOptions{}); h2 != h1 {
		t.Fatal("hash of an unchanged tree changed")
	}
	file := filepath.Join(dir, "b", "b.go")
	st, _ := os.Stat(file)
	writeFiles(t, dir, map[string]string{"b/b.go": "package c\n"})
	os.Chtimes(file, st.ModTime(), st.ModTime())
	if h3 := hashTree(t, c, dir, TreeOptions{}); h3 == h1 {
		t.Fatal("an edit keeping size and modification time went unnoticed")
	}
	writeFiles(t, dir, map[string]string{"b/b.go": "package b\n"})
	if h4 := hashTree(t, c, dir, TreeOptions{}); h4 != h1 {
		t.Fatal("restoring the content did not restore the hash")
	}
	writeFiles(t, dir, map[string]string{"b/new.go": ""})
	if h5 := hashTree(t, c, dir, TreeOptions{}); h5 == h1 {
		t.Fatal("a new empty file went unnoticed")
	}
}

// TestHashTreeIndex checks that unchanged files are not read again, that
// a damaged index only costs reading them, and that files modified close
// to the index's writing are read again.
func TestHashTreeIndex(t *testing.T) {
	later(t)
	c, dir := open(t), t.TempDir()
	writeFiles(t, dir, map[string]string{"a": "1", "b": "2", "c/d": "3"})
	var st TreeStats
	h1 := hashTree(t, c, dir, TreeOptions{Stats: &st})
	if st != (TreeStats{Files: 3, Read: 3}) {
		t.Fatalf("first walk: %+v, want 3 files read", st)
	}
	hashTree(t, c, dir, TreeOptions{Stats: &st})
	if st.Read != 0 {
		t.Fatalf("second walk read %d files, want 0", st.Read)
	}
	writeFiles(t, dir, map[string]string{"a": "9"})
	hashTree(t, c, dir, TreeOptions{Stats: &st})
	if st.Read != 1 {
		t.Fatalf("after editing one file, read %d, want 1", st.Read)
	}
	key := sum("tree index\n" + filepath.Clean(dir))
	os.WriteFile(c.path("files", key), []byte("garbage"), 0o644)
	writeFiles(t, dir, map[string]string{"a": "1"})
	if h := hashTree(t, c, dir, TreeOptions{Stats: &st}); h != h1 || st.Read != 3 {
		t.Fatalf("with a damaged index: read %d files, hash equal %v; want 3 read, equal", st.Read, h == h1)
	}
	now = time.Now // files now count as modified in the index's clock tick
	os.Remove(c.path("files", key))
	hashTree(t, c, dir, TreeOptions{})
	hashTree(t, c, dir, TreeOptions{Stats: &st})
	if st.Read != 3 {
		t.Fatalf("racy files: read %d, want 3", st.Read)
	}
}

func TestHashTreeSkipVisitLinks(t *testing.T) {
	later(t)
	c, dir := open(t), t.TempDir()
	writeFiles(t, dir, map[string]string{"go.mod": "module m\n", ".git/HEAD": "x", "x/go.mod": "module x\n", "t/f": "data"})
	var visited []string
	skip := func(rel string) bool { return rel == ".git" }
	h1 := hashTree(t, c, dir, TreeOptions{Skip: skip, Visit: func(rel string) { visited = append(visited, rel) }})
	if want := []string{"go.mod", "t/f", "x/go.mod"}; !slices.Equal(visited, want) {
		t.Errorf("visited %q, want %q", visited, want)
	}
	writeFiles(t, dir, map[string]string{".git/HEAD": "y"})
	if hashTree(t, c, dir, TreeOptions{Skip: skip}) != h1 {
		t.Error("a change in a skipped directory changed the hash")
	}
	if err := os.Symlink("t", filepath.Join(dir, "link")); err != nil {
		t.Skip("no symbolic links:", err)
	}
	h2 := hashTree(t, c, dir, TreeOptions{Skip: skip})
	writeFiles(t, dir, map[string]string{"t/f": "other"})
	h3 := hashTree(t, c, dir, TreeOptions{Skip: skip})
	os.Remove(filepath.Join(dir, "link"))
	os.Symlink("x", filepath.Join(dir, "link"))
	h4 := hashTree(t, c, dir, TreeOptions{Skip: skip})
	if h2 == h1 || h3 == h2 || h4 == h3 {
		t.Errorf("adding a link, editing a file, retargeting the link: hashes %v %v %v", h2 == h1, h3 == h2, h4 == h3)
	}
	if _, err := c.HashTree(filepath.Join(dir, "missing"), TreeOptions{}); err == nil {
		t.Error("hashing a missing root succeeded")
	}
}
