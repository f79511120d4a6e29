// Package record collects runtime data for podsplit by running code: the
// module's tests, or a command the user names. Unlike scanning, which only
// reads code, recording executes it.
//
// A recording is written to a runtime directory (by default
// "podsplit-runtime"), which holds:
//
//   - coverage.out: a text coverage profile whose block counts say how often
//     each call site of the module ran;
//   - cpu/NAME.pprof: with CPU profiling, one CPU profile per package whose
//     tests ran (go test profiles one package at a time);
//   - covdata/: for a command, the raw counters the program wrote (kept for
//     go tool covdata, not read again);
//   - manifest.json: how the data was collected and which files to read.
//
// evidence.Merge reads such a directory given as one --runtime path.
// Recording writes nothing outside the runtime directory: test binaries it
// needs are built into it and removed.
package record

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/podsplit/podsplit/analyzer/evidence"
)

// DefaultDir is the runtime directory written when none is given.
const DefaultDir = "podsplit-runtime"

// Options controls a recording.
type Options struct {
	// Dir is the module directory (tests) or the working directory of the
	// command; empty means the current directory.
	Dir string
	// Out is the runtime directory to write; empty means DefaultDir.
	Out string
	// Patterns select the packages whose tests run; empty means "./...".
	Patterns []string
	// CPUProfile also records a CPU profile of each package's tests.
	CPUProfile bool
	// Stdin, Stdout and Stderr are given to the programs run; nil means
	// none, so that their output is discarded.
	Stdin          io.Reader
	Stdout, Stderr io.Writer
}

// A Result describes a finished recording.
type Result struct {
	// Dir is the absolute runtime directory written.
	Dir      string
	Manifest *evidence.Manifest
	// Warnings are problems that left usable data: failing tests, a
	// command that exited with an error.
	Warnings []string
}

// ErrNoCounters is returned when a recorded command wrote no coverage
// counters: it was not built with -cover, or it did not exit normally.
var ErrNoCounters = errors.New("wrote no coverage counters")

// ErrNotRuntimeDir is returned for an output directory that holds files
// but no manifest: it is not ours to overwrite.
var ErrNotRuntimeDir = errors.New("not empty and not a podsplit runtime directory")

// Files and directories of a runtime directory that a recording replaces.
const (
	coverageFile = "coverage.out"
	cpuDir       = "cpu"
	covDataDir   = "covdata"
	scratchDir   = ".scratch"
)

// prepare makes the runtime directory ready: created, or emptied of a
// previous recording's files. It refuses a directory holding other files.
func prepare(out string) (string, error) {
	if out == "" {
		out = DefaultDir
	}
	abs, err := filepath.Abs(out)
	if err != nil {
		return "", fmt.Errorf("preparing runtime directory: %w", err)
	}
	entries, err := os.ReadDir(abs)
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return "", fmt.Errorf("preparing runtime directory: %w", err)
	case len(entries) > 0:
		if _, err := os.Stat(filepath.Join(abs, evidence.ManifestFile)); err != nil {
			return "", fmt.Errorf("preparing runtime directory %s: %w", out, ErrNotRuntimeDir)
		}
		for _, name := range []string{coverageFile, cpuDir, covDataDir, scratchDir, evidence.ManifestFile} {
			if err := os.RemoveAll(filepath.Join(abs, name)); err != nil {
				return "", fmt.Errorf("preparing runtime directory: %w", err)
			}
		}
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return "", fmt.Errorf("preparing runtime directory: %w", err)
	}
	return abs, nil
}

// writeManifest writes the manifest last, so that a directory with a
// manifest holds a finished recording.
func writeManifest(dir string, m *evidence.Manifest) error {
	m.Schema = evidence.ManifestSchema
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("writing manifest: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, evidence.ManifestFile), append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("writing manifest: %w", err)
	}
	return nil
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func orDefault(dir string) string {
	if dir == "" {
		return "."
	}
	return dir
}
