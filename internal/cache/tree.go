package cache

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
)

// TreeOptions narrows HashTree.
type TreeOptions struct {
	// Skip reports directories not to descend into; rel is slash-separated
	// and relative to the root.
	Skip func(rel string) bool
	// Visit, if set, is called with every file hashed, in lexical order.
	Visit func(rel string)
	// Stats, if set, receives counts of the walk.
	Stats *TreeStats
}

// TreeStats counts the files of a walk and those whose content was read.
type TreeStats struct{ Files, Read int }

// now is the clock, replaced in tests.
var now = time.Now

// A stamp is what a file's metadata says about its content: size,
// modification time, and where the system has them, inode and change
// time (which every write updates and no tool can set back). A file whose
// stamp matches the one recorded with its hash, and whose modification
// time is well before the record was written, has that hash still: this
// is how git trusts its index, and it saves reading unchanged files.
type stamp struct {
	size, mtime, ctime int64
	ino                uint64
}

type indexed struct {
	stamp
	hash string
}

// racyWindow is how close to the writing of the index a modification time
// may be before the index no longer vouches for the file: a write in the
// same clock tick as the stat could leave size and time unchanged.
const racyWindow = 2 * time.Second

// HashTree returns the SHA-256 of the names and contents of the files
// under root (root itself when it is a file), walking in lexical order.
// Symbolic links to directories are not followed, as neither the go
// command nor podsplit's walkers follow them; the link's target is hashed
// instead. Contents are read only for files whose metadata changed since
// the last call for the same root, found in an index kept in the cache.
func (c *Cache) HashTree(root string, opt TreeOptions) (string, error) {
	root = filepath.Clean(root)
	indexKey := sum("tree index\n" + root)
	old, written := c.readIndex(indexKey)
	started := now()
	var files []*file
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("hashing %s: %w", root, err)
		}
		rel := relSlash(root, path)
		if d.IsDir() {
			if rel != "." && opt.Skip != nil && opt.Skip(rel) {
				return filepath.SkipDir
			}
			return nil
		}
		files = append(files, newFile(path, rel, d, old, written))
		if opt.Visit != nil {
			opt.Visit(rel)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	read, err := readAll(files)
	if err != nil {
		return "", err
	}
	if opt.Stats != nil {
		*opt.Stats = TreeStats{Files: len(files), Read: read}
	}
	h := sha256.New()
	for _, f := range files {
		io.WriteString(h, f.line+f.hash+"\n")
	}
	if read > 0 || len(old) != countRegular(files) {
		c.writeIndex(indexKey, files, started)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// A file is one entry of a walk: line is what it contributes to the
// tree's hash, followed by hash for a regular file.
type file struct {
	path, rel string
	line      string
	regular   bool
	stamp
	hash string // "" until read
}

// newFile describes one walked entry, taking the hash from the index when
// the index can vouch for it.
func newFile(path, rel string, d fs.DirEntry, old map[string]indexed, written time.Time) *file {
	info, err := os.Stat(path) // follows a link to a file
	if d.Type()&fs.ModeSymlink != 0 && (err != nil || info.IsDir()) {
		target, _ := os.Readlink(path)
		return &file{rel: rel, line: "l " + strconv.Quote(rel) + " " + strconv.Quote(target)}
	}
	if err != nil || !info.Mode().IsRegular() {
		return &file{rel: rel, line: "o " + strconv.Quote(rel)} // sockets, pipes, devices: nothing to read
	}
	f := &file{path: path, rel: rel, line: "f " + strconv.Quote(rel) + " ", regular: true, stamp: stampOf(info)}
	if e, ok := old[rel]; ok && e.stamp == f.stamp && written.Sub(time.Unix(0, max(f.mtime, f.ctime))) > racyWindow {
		f.hash = e.hash
	}
	return f
}

func countRegular(files []*file) int {
	n := 0
	for _, f := range files {
		if f.regular {
			n++
		}
	}
	return n
}

func stampOf(info fs.FileInfo) stamp {
	st := stamp{size: info.Size(), mtime: info.ModTime().UnixNano()}
	st.ino, st.ctime = sysStamp(info)
	return st
}

// readAll hashes the regular files the index did not vouch for, as many
// at once as there are processors, and returns how many it read.
func readAll(files []*file) (int, error) {
	work := make(chan *file)
	errs := make(chan error, 1)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for f := range work {
				if err := f.read(); err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		})
	}
	n := 0
	for _, f := range files {
		if f.regular && f.hash == "" {
			work <- f
			n++
		}
	}
	close(work)
	wg.Wait()
	select {
	case err := <-errs:
		return n, err
	default:
		return n, nil
	}
}

func (f *file) read() error {
	r, err := os.Open(f.path)
	if err != nil {
		return fmt.Errorf("hashing %s: %w", f.path, err)
	}
	defer r.Close()
	h := sha256.New()
	if _, err := io.Copy(h, r); err != nil {
		return fmt.Errorf("hashing %s: %w", f.path, err)
	}
	f.hash = hex.EncodeToString(h.Sum(nil))
	return nil
}

func relSlash(root, path string) string {
	rel, err := filepath.Rel(root, path)
	if err != nil {
		return filepath.ToSlash(path)
	}
	return filepath.ToSlash(rel)
}

func sum(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// readIndex reads the stamps and hashes recorded for a root, and when.
func (c *Cache) readIndex(key string) (map[string]indexed, time.Time) {
	data, ok := c.Get("files", key)
	if !ok {
		return nil, time.Time{}
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	if !sc.Scan() {
		return nil, time.Time{}
	}
	ns, err := strconv.ParseInt(sc.Text(), 10, 64)
	if err != nil {
		return nil, time.Time{}
	}
	out := map[string]indexed{}
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if len(f) != 6 {
			return nil, time.Time{}
		}
		size, err1 := strconv.ParseInt(f[1], 10, 64)
		mtime, err2 := strconv.ParseInt(f[2], 10, 64)
		ctime, err3 := strconv.ParseInt(f[3], 10, 64)
		ino, err4 := strconv.ParseUint(f[4], 10, 64)
		if err1 != nil || err2 != nil || err3 != nil || err4 != nil {
			return nil, time.Time{}
		}
		out[f[0]] = indexed{stamp{size, mtime, ctime, ino}, f[5]}
	}
	return out, time.Unix(0, ns)
}

// writeIndex records the stamps and hashes of this walk; started is when
// the walk began, so that a file modified during it is not vouched for.
func (c *Cache) writeIndex(key string, files []*file, started time.Time) {
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "%d\n", started.UnixNano())
	for _, f := range files {
		if f.regular && !strings.ContainsAny(f.rel, "\t\n") {
			fmt.Fprintf(&buf, "%s\t%d\t%d\t%d\t%d\t%s\n", f.rel, f.size, f.mtime, f.ctime, f.ino, f.hash)
		}
	}
	_ = c.Put("files", key, buf.Bytes())
}
