package analyzer

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"go/types"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"

	"golang.org/x/tools/go/gcexportdata"
)

// A TypesCache keeps the export data of dependency packages between runs,
// under keys that cover everything the types depend on (see keyOf).
// Implementations must be safe for concurrent use and may drop or lose
// entries at any time; a corrupt entry only costs a type-check from source.
type TypesCache interface {
	Get(key string) ([]byte, bool)
	Put(key string, data []byte)
}

// goEnvInfo is what the loader needs of the go command's environment.
type goEnvInfo struct {
	GOARCH, GOVERSION, GOROOT, GOMODCACHE, GOCACHE string
}

// readGoEnv asks the go command of dir for its environment.
func readGoEnv(ctx context.Context, dir string) (*goEnvInfo, error) {
	cmd := exec.CommandContext(ctx, "go", "env", "-json", "GOARCH", "GOVERSION", "GOROOT", "GOMODCACHE", "GOCACHE")
	cmd.Dir, cmd.Env = dir, goEnv()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go env: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	var env goEnvInfo
	if err := json.Unmarshal(out, &env); err != nil {
		return nil, fmt.Errorf("go env: %w", err)
	}
	return &env, nil
}

// immutable reports whether a file's name identifies its content: files of
// the standard library (fixed by the Go version), of the module cache
// (read-only, verified against go.sum when extracted) and of the build
// cache (named by the hash of their content).
func (e *goEnvInfo) immutable(name string, standard bool) bool {
	under := func(dir string) bool {
		return dir != "" && strings.HasPrefix(name, dir+string(filepath.Separator))
	}
	return (standard && under(e.GOROOT)) || under(e.GOMODCACHE) || under(e.GOCACHE)
}

// typesVersion identifies the writer of cached export data: podsplit's
// format, the version of golang.org/x/tools that encodes it and of go/types
// that type-checked the source.
var typesVersion = sync.OnceValue(func() string {
	v := "podsplit-types/1 " + runtime.Version()
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, m := range bi.Deps {
			if m.Path == "golang.org/x/tools" {
				v += " x/tools@" + m.Version
			}
		}
	}
	return v
})

// keyOf sets n.key when n's types may come from, or go to, the cache: a
// package checked for its API only, without errors from go list, not a
// test variant, whose imports all have keys. The key hashes typesVersion,
// the target architecture (type sizes) and Go version, the package's
// identity and language version, its imports with their keys, and every
// compiled file: by name where the name identifies the content (see
// immutable), by content elsewhere. The contents read are kept in n.src.
func (c *checker) keyOf(n *node) {
	lp := n.lp
	if c.cache == nil || n.mode != modeAPI || lp.Error != nil || strings.Contains(lp.ID, " ") {
		return
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\n%s %s\n%s %s cgo=%t\n", typesVersion(), c.env.GOARCH, c.env.GOVERSION, lp.ID, lp.Name, lp.cgo)
	if lp.Module != nil {
		fmt.Fprintf(h, "module %s %s go%s\n", lp.Module.Path, lp.Module.Version, lp.Module.GoVersion)
	}
	paths := importPaths(lp)
	for _, path := range slices.Sorted(maps.Keys(paths)) {
		dep := n.imports[paths[path]]
		if dep == nil || dep.key == "" {
			return
		}
		fmt.Fprintf(h, "import %s %s\n", path, dep.key)
	}
	n.src = map[string][]byte{}
	for _, name := range lp.CompiledGoFiles {
		if c.env.immutable(name, lp.Standard) {
			fmt.Fprintf(h, "file %s\n", name)
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			return
		}
		n.src[name] = src
		fmt.Fprintf(h, "file %s %x\n", name, sha256.Sum256(src))
	}
	n.key = hex.EncodeToString(h.Sum(nil))
}

// readCached loads n's types from the cache; it reports false on a miss or
// an unreadable entry, and the package is then checked from source.
func (c *checker) readCached(n *node) bool {
	if n.key == "" {
		return false
	}
	data, ok := c.cache.Get(n.key)
	if !ok {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	tp, err := readExport(data, c, n.pkg.PkgPath)
	if err != nil {
		delete(c.byPath, n.pkg.PkgPath)
		return false
	}
	n.pkg.Types = tp
	return true
}

// readExport decodes export data, turning a decoder panic on a damaged
// entry into an error.
func readExport(data []byte, c *checker, path string) (tp *types.Package, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("reading cached types of %s: %v", path, r)
		}
	}()
	return gcexportdata.Read(bytes.NewReader(data), c.fset, c.byPath, path)
}

// writeCached records the types of a cache-eligible package checked from
// source: in byPath, so that the export data of its importers can refer to
// them, and in the cache when the package has no errors.
func (c *checker) writeCached(n *node) {
	if n.key == "" {
		return
	}
	c.mu.Lock()
	c.byPath[n.pkg.PkgPath] = n.pkg.Types
	c.mu.Unlock()
	if len(n.pkg.Errors) > 0 {
		return
	}
	if data, err := writeExport(c, n.pkg.Types); err == nil {
		c.cache.Put(n.key, data)
	}
}

// writeExport encodes export data, turning an encoder panic on a package
// it cannot represent into an error.
func writeExport(c *checker, tp *types.Package) (data []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("encoding types of %s: %v", tp.Path(), r)
		}
	}()
	var buf bytes.Buffer
	err = gcexportdata.Write(&buf, c.fset, tp)
	return buf.Bytes(), err
}
