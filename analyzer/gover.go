package analyzer

import (
	"context"
	"fmt"
	"go/version"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"golang.org/x/mod/modfile"
)

// A newerGo is a module whose go.mod asks for a later release of the
// language version the local Go speaks (go 1.26.10, with go1.26.8
// installed). Pinned to the local toolchain, the go command refuses to
// list such a module at all, though every release of a language version
// reads the same code; fetching the toolchain asked for would run a Go
// downloaded for the scan. Listing reads instead a copy of go.mod naming
// the local release (the -modfile flag, with go.sum copied beside it) in a
// temporary directory removed once the packages are loaded; the
// repository is not touched. A later language version (go 1.27) is left
// to the go command's error.
type newerGo struct {
	asked, local string // go.mod's version and the local go command's, as "go1.26.10"
	modfile      string // the copy of go.mod
}

// goVersion returns the version of the go command podsplit runs, asking
// it once.
type goVersion struct {
	ctx     context.Context
	dir     string
	version string
	err     error
	asked   bool
}

func (g *goVersion) get() (string, error) {
	if !g.asked {
		g.asked = true
		env, err := readGoEnv(g.ctx, g.dir)
		if err != nil {
			g.err = err
		} else {
			g.version, _, _ = strings.Cut(env.GOVERSION, " ")
		}
	}
	return g.version, g.err
}

// prepareNewerGo returns, for the module at root, the copy of its go.mod
// listing reads (see newerGo), written below the temporary directory
// mkTemp makes on first use, or nil when the module
// asks for no later release than the local one, or for a later language
// version. The local go command is asked for its version only when go.mod
// asks for one later than the Go podsplit was built with.
func prepareNewerGo(root string, mkTemp func() (string, error), local *goVersion) (*newerGo, error) {
	data, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return nil, nil // no go.mod here (a workspace): nothing to copy
	}
	f, err := modfile.Parse(filepath.Join(root, "go.mod"), data, nil)
	if err != nil || f.Go == nil {
		return nil, nil // the go command reports a broken go.mod itself
	}
	asked := "go" + f.Go.Version
	if version.Compare(asked, runtime.Version()) <= 0 {
		return nil, nil
	}
	v, err := local.get()
	if err != nil || !version.IsValid(v) || version.Compare(asked, v) <= 0 || version.Lang(asked) != version.Lang(v) {
		return nil, nil
	}
	// Rewrite the go line only: whatever else the file says is kept as
	// written.
	if err := f.AddGoStmt(strings.TrimPrefix(v, "go")); err != nil {
		return nil, nil
	}
	f.DropToolchainStmt()
	out, err := f.Format()
	if err != nil {
		return nil, nil
	}
	tmp, err := mkTemp()
	if err != nil {
		return nil, fmt.Errorf("copying go.mod for the local Go: %w", err)
	}
	dir, err := os.MkdirTemp(tmp, "gomod-")
	if err != nil {
		return nil, fmt.Errorf("copying go.mod for the local Go: %w", err)
	}
	name := filepath.Join(dir, "go.mod")
	if err := os.WriteFile(name, out, 0o644); err != nil {
		return nil, fmt.Errorf("copying go.mod for the local Go: %w", err)
	}
	if sum, err := os.ReadFile(filepath.Join(root, "go.sum")); err == nil {
		if err := os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644); err != nil {
			return nil, fmt.Errorf("copying go.sum for the local Go: %w", err)
		}
	}
	return &newerGo{asked: asked, local: v, modfile: name}, nil
}

// message is the load diagnostic saying what was done.
func (n *newerGo) message() string {
	return fmt.Sprintf("go.mod asks for %s, a later release of the language version of the local %s: listed through a copy of go.mod naming %s (-modfile), without fetching that toolchain; go.mod is untouched",
		n.asked, n.local, n.local)
}
