package evidence

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/tools/cover"
)

// A coverInput is one parsed coverage profile.
type coverInput struct {
	path     string
	profiles []*cover.Profile // one per file, blocks sorted and merged
}

// parseCoverProfile parses a text coverage profile as written by go test
// -coverprofile or go tool covdata textfmt. Blocks listed more than once (a
// profile of several test binaries) are summed by the parser.
func parseCoverProfile(data []byte) (profs []*cover.Profile, err error) {
	defer func() {
		if r := recover(); r != nil {
			profs, err = nil, fmt.Errorf("parsing coverprofile: %v", r)
		}
	}()
	profs, err = cover.ParseProfilesFromReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("parsing coverprofile: %w", err)
	}
	for _, p := range profs {
		for _, b := range p.Blocks {
			if b.Count < 0 || b.StartLine <= 0 || b.EndLine < b.StartLine {
				return nil, fmt.Errorf("parsing coverprofile: bad block %s:%d.%d,%d.%d", p.FileName, b.StartLine, b.StartCol, b.EndLine, b.EndCol)
			}
		}
	}
	return profs, nil
}

// readCovData converts a GOCOVERDIR to a text profile in a temporary
// directory and reads that.
func (in *inputs) readCovData(dir string) error {
	tmp, err := os.MkdirTemp("", "podsplit-covdata-")
	if err != nil {
		return fmt.Errorf("reading runtime data %s: %w", dir, err)
	}
	defer os.RemoveAll(tmp)
	out := filepath.Join(tmp, "coverage.out")
	if err := ConvertCovData(context.Background(), dir, out); err != nil {
		return fmt.Errorf("reading runtime data %s: %w", dir, err)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		return fmt.Errorf("reading runtime data %s: %w", dir, err)
	}
	profs, err := parseCoverProfile(data)
	if err != nil {
		return fmt.Errorf("reading runtime data %s: %w", dir, err)
	}
	in.add(KindCovData, dir)
	in.covers = append(in.covers, coverInput{path: dir, profiles: profs})
	return nil
}

// ConvertCovData writes the counters of a GOCOVERDIR as a text profile to
// out, with go tool covdata. This runs the local Go toolchain, never the
// program that wrote the counters.
func ConvertCovData(ctx context.Context, dir, out string) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return fmt.Errorf("converting coverage counters: %w", err)
	}
	absOut, err := filepath.Abs(out)
	if err != nil {
		return fmt.Errorf("converting coverage counters: %w", err)
	}
	cmd := exec.CommandContext(ctx, "go", "tool", "covdata", "textfmt", "-i="+abs, "-o="+absOut)
	cmd.Dir = filepath.Dir(absOut)
	cmd.Env = GoEnv()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("converting coverage counters with go tool covdata: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	return nil
}

// GoEnv is the environment for running the go command: the user's, with the
// toolchain pinned so that it never downloads or switches to another Go.
func GoEnv() []string {
	env := slices.DeleteFunc(os.Environ(), func(kv string) bool {
		return strings.HasPrefix(kv, "GOTOOLCHAIN=")
	})
	return append(env, "GOTOOLCHAIN=local")
}
