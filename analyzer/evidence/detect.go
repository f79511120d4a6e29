package evidence

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Kinds of runtime input.
const (
	KindCoverProfile = "coverprofile"
	KindCovData      = "covdata"
	KindPprof        = "pprof"
	KindOTLP         = "otlp"
)

// ErrUnknownKind is returned for an input whose kind cannot be told.
var ErrUnknownKind = errors.New("not a coverprofile, pprof profile, OTLP/JSON trace or GOCOVERDIR directory")

// maxInput bounds what one input may expand to, so that a gzip bomb fails
// cleanly instead of exhausting memory.
const maxInput = 4 << 30

// inputs collects the parsed inputs of a Merge, in the order given.
type inputs struct {
	seen     map[string]bool // absolute paths read, so none counts twice
	names    []string
	covers   []coverInput
	profiles []profileInput
	traces   []traceInput
}

// read reads one path given by the user: a file, a runtime directory with a
// manifest, a GOCOVERDIR, or a directory of such files.
func (in *inputs) read(path string) error {
	st, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("reading runtime data %s: %w", path, err)
	}
	if abs, err := filepath.Abs(path); err == nil {
		if in.seen[abs] {
			return nil
		}
		if in.seen == nil {
			in.seen = map[string]bool{}
		}
		in.seen[abs] = true
	}
	if st.IsDir() {
		return in.readDir(path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("reading runtime data %s: %w", path, err)
	}
	if err := in.readFile(path, data); err != nil {
		return fmt.Errorf("reading runtime data %s: %w", path, err)
	}
	return nil
}

func (in *inputs) readDir(dir string) error {
	if _, err := os.Stat(filepath.Join(dir, ManifestFile)); err == nil {
		return in.readManifest(dir)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("reading runtime data %s: %w", dir, err)
	}
	if isCovDataDir(entries) {
		return in.readCovData(dir)
	}
	n := len(in.names)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		if err := in.read(filepath.Join(dir, e.Name())); err != nil {
			return err
		}
	}
	if len(in.names) == n {
		return fmt.Errorf("reading runtime data %s: %w", dir, ErrUnknownKind)
	}
	return nil
}

// readManifest reads the inputs a runtime directory's manifest lists, and
// only those, so that raw data kept beside them is not counted twice.
func (in *inputs) readManifest(dir string) error {
	path := filepath.Join(dir, ManifestFile)
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("reading runtime data %s: %w", path, err)
	}
	var man Manifest
	if err := json.Unmarshal(data, &man); err != nil {
		return fmt.Errorf("reading runtime data %s: %w", path, err)
	}
	if !strings.HasPrefix(man.Schema, "podsplit.runtime/") {
		return fmt.Errorf("reading runtime data %s: not a podsplit runtime manifest (schema %q)", path, man.Schema)
	}
	for _, f := range man.Inputs {
		if !filepath.IsLocal(filepath.FromSlash(f.Path)) {
			return fmt.Errorf("reading runtime data %s: input %q lies outside the directory", path, f.Path)
		}
		if err := in.read(filepath.Join(dir, filepath.FromSlash(f.Path))); err != nil {
			return err
		}
	}
	return nil
}

// readFile tells the kind of a file from its content and parses it.
func (in *inputs) readFile(path string, data []byte) error {
	data, err := gunzip(data)
	if err != nil {
		return err
	}
	switch {
	case isCoverProfile(data):
		blocks, err := parseCoverProfile(data)
		if err != nil {
			return err
		}
		in.add(KindCoverProfile, path)
		in.covers = append(in.covers, coverInput{path: path, profiles: blocks})
	case isJSON(data):
		spans, err := loadTraces(data)
		if err != nil {
			return err
		}
		in.add(KindOTLP, path)
		in.traces = append(in.traces, traceInput{path: path, spans: spans})
	default:
		prof, err := loadProfile(data)
		if err != nil {
			return err
		}
		in.add(KindPprof, path)
		prof.path = path
		in.profiles = append(in.profiles, prof)
	}
	return nil
}

func (in *inputs) add(kind, path string) {
	in.names = append(in.names, kind+" "+filepath.ToSlash(path))
}

// gunzip expands gzip-compressed data and passes other data through.
// pprof profiles are usually compressed; traces sometimes are.
func gunzip(data []byte) ([]byte, error) {
	if len(data) < 2 || data[0] != 0x1f || data[1] != 0x8b {
		return data, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%w (bad gzip data: %v)", ErrUnknownKind, err)
	}
	out, err := io.ReadAll(io.LimitReader(zr, maxInput+1))
	if err != nil {
		return nil, fmt.Errorf("%w (bad gzip data: %v)", ErrUnknownKind, err)
	}
	if len(out) > maxInput {
		return nil, fmt.Errorf("decompressed data exceeds %d bytes", maxInput)
	}
	return out, nil
}

func isCoverProfile(data []byte) bool {
	return bytes.HasPrefix(data, []byte("mode: "))
}

// isJSON reports data that opens a JSON object: OTLP/JSON traces, as one
// document or as JSON lines.
func isJSON(data []byte) bool {
	data = bytes.TrimLeft(data, " \t\r\n\ufeff")
	return len(data) > 0 && data[0] == '{'
}

func isCovDataDir(entries []os.DirEntry) bool {
	return slices.ContainsFunc(entries, func(e os.DirEntry) bool {
		return !e.IsDir() && strings.HasPrefix(e.Name(), "covmeta.")
	})
}
