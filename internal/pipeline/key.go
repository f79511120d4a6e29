package pipeline

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/mod/modfile"

	"github.com/podsplit/podsplit/analyzer"
	"github.com/podsplit/podsplit/config"
	"github.com/podsplit/podsplit/internal/cache"
)

// resultVersion changes whenever the stored form of an analysis changes.
const resultVersion = "podsplit-result/1"

// resultKey hashes every input of an analysis, so that equal keys mean
// equal results:
//
//   - podsplit itself: the content of the running executable;
//   - the go command's whole environment (`go env -json` in the root):
//     Go version, GOROOT, GOOS/GOARCH, GOFLAGS, CGO settings, GOWORK…;
//   - the options: patterns, tags, tests, algorithm, fan-out bound, and
//     the configuration's content;
//   - every file under the root, by name and content, except inside
//     version-control directories, and inside other dot-directories unless
//     a pattern names one (the go command and the polyglot walk skip them);
//   - outside the root: a go.work file and the trees it uses, and the
//     directories of local replace directives of the root's modules;
//   - runtime evidence files and directories, by content.
//
// Dependencies in the module cache are fixed by go.mod and go.sum, which
// are files of the tree; the standard library by the Go version. Not
// covered: C headers outside the tree included by cgo preambles, and edits
// to the module cache or GOROOT in place.
func resultKey(ctx context.Context, root string, o Options, c *cache.Cache) (*keyer, string, error) {
	type envResult struct {
		env []byte
		err error
	}
	envc := make(chan envResult, 1)
	go func() { // the go command starts while the tree is walked
		env, err := goEnvJSON(ctx, root)
		envc <- envResult{env, err}
	}()
	k := &keyer{root: root, o: o, c: c}
	tree, modFiles, treeErr := k.hashTree()
	r := <-envc
	if treeErr != nil {
		return nil, "", treeErr
	}
	if r.err != nil {
		return nil, "", r.err
	}
	k.env = r.env
	if err := k.hashFixed(); err != nil {
		return nil, "", err
	}
	key, err := k.compose(tree, modFiles)
	return k, key, err
}

// A keyer computes result keys. The inputs that cannot change while
// podsplit runs (the executable, the go command's environment, the
// options) are hashed once, so that the key can be computed again after
// the analysis at the cost of walking the files.
type keyer struct {
	root  string
	o     Options
	c     *cache.Cache
	env   []byte // go env -json
	fixed []byte // hash of the inputs above
}

// hashFixed hashes podsplit, the go command's environment and the options.
func (k *keyer) hashFixed() error {
	h := sha256.New()
	fmt.Fprintf(h, "%s\n", resultVersion)
	exe, sum, err := executable(k.c)
	if err != nil {
		return err
	}
	fmt.Fprintf(h, "podsplit %q %s\n", exe, sum)
	fmt.Fprintf(h, "goenv %s\n", k.env)
	o := k.o
	opts, err := json.Marshal(struct {
		Patterns, Tags []string
		Tests          bool
		Algo           string
		MaxFanout      int
		Config         *config.Config
	}{o.Patterns, o.Tags, o.Tests, o.Algo, o.MaxFanout, o.Config})
	if err != nil {
		return fmt.Errorf("hashing options: %w", err)
	}
	fmt.Fprintf(h, "options %s\n", opts)
	k.fixed = h.Sum(nil)
	return nil
}

// executable returns the path of the running podsplit and the hash of
// its content, which names podsplit's code in cache keys. The cache's
// file index makes hashing it again cheap.
func executable(c *cache.Cache) (path, sum string, err error) {
	path, err = os.Executable()
	if err == nil {
		sum, err = c.HashTree(path, cache.TreeOptions{})
	}
	if err != nil {
		return "", "", fmt.Errorf("hashing podsplit: %w", err)
	}
	return path, sum, nil
}

// key computes the key again, with the files as they are now.
func (k *keyer) key() (string, error) {
	tree, modFiles, err := k.hashTree()
	if err != nil {
		return "", err
	}
	return k.compose(tree, modFiles)
}

// hashTree hashes the files under the root and lists its go.mod and
// go.work files.
func (k *keyer) hashTree() (string, []string, error) {
	var modFiles []string
	visit := func(rel string) {
		if path.Base(rel) == "go.mod" || path.Base(rel) == "go.work" {
			modFiles = append(modFiles, filepath.Join(k.root, filepath.FromSlash(rel)))
		}
	}
	sum, err := k.c.HashTree(k.root, cache.TreeOptions{Skip: skipDirs(k.o.Patterns), Visit: visit})
	return sum, modFiles, err
}

// compose hashes the fixed inputs, the tree's hash, and the inputs outside
// the tree.
func (k *keyer) compose(tree string, modFiles []string) (string, error) {
	h := sha256.New()
	h.Write(k.fixed)
	fmt.Fprintf(h, "tree %q %s\n", k.root, tree)
	for _, dir := range outside(k.root, modFiles, k.env) {
		if err := hashPath(h, k.c, "outside", dir, cache.TreeOptions{Skip: skipDirs(k.o.Patterns)}); err != nil {
			return "", err
		}
	}
	for _, r := range k.o.Runtime {
		abs, err := filepath.Abs(r)
		if err != nil {
			return "", err
		}
		if err := hashPath(h, k.c, "runtime", abs, cache.TreeOptions{}); err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func hashPath(h io.Writer, c *cache.Cache, what, path string, opt cache.TreeOptions) error {
	sum, err := c.HashTree(path, opt)
	if err != nil {
		return err
	}
	fmt.Fprintf(h, "%s %q %s\n", what, path, sum)
	return nil
}

// skipDirs skips version-control directories always, and other
// dot-directories unless a pattern has an element starting with a dot.
func skipDirs(patterns []string) func(rel string) bool {
	dotted := slices.ContainsFunc(patterns, func(p string) bool {
		return slices.ContainsFunc(strings.Split(filepath.ToSlash(p), "/"), func(e string) bool {
			return strings.HasPrefix(e, ".") && e != "." && e != ".."
		})
	})
	return func(rel string) bool {
		switch name := path.Base(rel); {
		case name == ".git", name == ".hg", name == ".svn", name == ".jj", name == ".bzr":
			return true
		case strings.HasPrefix(name, "."):
			return !dotted
		}
		return false
	}
}

// goEnvJSON returns `go env -json` as the loader's go command sees it in
// dir, minus what changes from call to call.
func goEnvJSON(ctx context.Context, dir string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "go", "env", "-json")
	cmd.Dir, cmd.Env = dir, analyzer.GoEnviron()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go env: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	var vars map[string]string
	if err := json.Unmarshal(out, &vars); err != nil {
		return nil, fmt.Errorf("go env: %w", err)
	}
	// GOGCCFLAGS names a fresh temporary directory on every call; the
	// flags it is made of are in CC, CGO_CFLAGS and the like.
	delete(vars, "GOGCCFLAGS")
	return json.Marshal(vars) // keys sorted
}

// outside lists the inputs of loading that lie outside the root: the
// go.work file the go command uses and the module directories it names,
// and the local directories the root's go.mod files replace modules with.
// Only main modules' replace directives count, and those are all in the
// root or in the go.work.
func outside(root string, modFiles []string, env []byte) []string {
	var goenv struct{ GOWORK string }
	_ = json.Unmarshal(env, &goenv)
	if w := goenv.GOWORK; w != "" && w != "off" && !within(root, w) {
		modFiles = append(modFiles, w)
	}
	seen := map[string]bool{}
	var out []string
	add := func(base, dir string) {
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(filepath.Dir(base), dir)
		}
		if dir = filepath.Clean(dir); !within(root, dir) && !seen[dir] {
			seen[dir] = true
			out = append(out, dir)
		}
	}
	for _, name := range modFiles {
		if !within(root, name) {
			add(name, name)
		}
		for _, dir := range localDirs(name) {
			add(name, dir)
		}
	}
	slices.Sort(out)
	return out
}

// localDirs returns the directories a go.mod or go.work file names: its
// local replacements, and the modules a go.work uses.
func localDirs(name string) []string {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil
	}
	var dirs []string
	if strings.HasSuffix(name, ".work") {
		wf, err := modfile.ParseWork(name, data, nil)
		if err != nil {
			return nil
		}
		for _, u := range wf.Use {
			dirs = append(dirs, u.Path)
		}
		for _, r := range wf.Replace {
			if r.New.Version == "" {
				dirs = append(dirs, r.New.Path)
			}
		}
		return dirs
	}
	mf, err := modfile.ParseLax(name, data, nil)
	if err != nil {
		return nil
	}
	for _, r := range mf.Replace {
		if r.New.Version == "" {
			dirs = append(dirs, r.New.Path)
		}
	}
	return dirs
}

func within(root, name string) bool {
	rel, err := filepath.Rel(root, name)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
