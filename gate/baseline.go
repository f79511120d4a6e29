package gate

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
)

// BaselineSchema names the version of the baseline file format.
const BaselineSchema = "podsplit.baseline/v1"

// BaselineFile is the default baseline file name, beside podsplit.yaml.
const BaselineFile = "podsplit.baseline.json"

// A Baseline is the set of accepted violations.
type Baseline struct {
	Schema  string  `json:"schema"`
	Entries []Entry `json:"violations"`
}

// An Entry is one accepted violation. Only the rule and fingerprint count
// when comparing; the file and subject are there for people reading diffs
// of the baseline, and carry no line numbers so moving code does not
// change the file.
type Entry struct {
	Rule        string `json:"rule"`
	File        string `json:"file,omitempty"`
	Subject     string `json:"subject"`
	Fingerprint string `json:"fingerprint"`
}

// NewBaseline returns the baseline accepting the given violations.
func NewBaseline(vs []Violation) *Baseline {
	b := &Baseline{Schema: BaselineSchema, Entries: []Entry{}}
	for _, v := range vs {
		b.Entries = append(b.Entries, Entry{Rule: v.Rule, File: v.File(), Subject: v.Subject, Fingerprint: v.Fingerprint})
	}
	b.sort()
	return b
}

func (b *Baseline) sort() {
	slices.SortFunc(b.Entries, func(x, y Entry) int {
		return cmp.Or(cmp.Compare(x.Rule, y.Rule), cmp.Compare(x.File, y.File),
			cmp.Compare(x.Subject, y.Subject), cmp.Compare(x.Fingerprint, y.Fingerprint))
	})
}

// LoadBaseline reads a baseline file. A missing file is an empty baseline;
// the returned bool says whether the file existed.
func LoadBaseline(path string) (*Baseline, bool, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return NewBaseline(nil), false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("reading baseline: %w", err)
	}
	b, err := ParseBaseline(data)
	if err != nil {
		return nil, true, fmt.Errorf("reading baseline %s: %w", path, err)
	}
	return b, true, nil
}

// ParseBaseline decodes a baseline, strictly.
func ParseBaseline(data []byte) (*Baseline, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var b Baseline
	if err := dec.Decode(&b); err != nil {
		return nil, fmt.Errorf("decoding baseline: %w", err)
	}
	if b.Schema != BaselineSchema {
		return nil, fmt.Errorf("decoding baseline: schema %q, want %q", b.Schema, BaselineSchema)
	}
	for i, e := range b.Entries {
		if e.Rule == "" || e.Fingerprint == "" {
			return nil, fmt.Errorf("decoding baseline: entry %d lacks a rule or fingerprint", i+1)
		}
	}
	b.sort()
	return &b, nil
}

// Marshal encodes the baseline as sorted, indented JSON ending in a newline,
// so that the same violations always give the same bytes.
func (b *Baseline) Marshal() []byte {
	c := *b
	c.Entries = slices.Clone(b.Entries)
	if c.Entries == nil {
		c.Entries = []Entry{}
	}
	c.sort()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	_ = enc.Encode(c) // plain strings: cannot fail
	return buf.Bytes()
}

// Save writes the baseline to path through a temporary file renamed into
// place, so that no reader sees half a baseline.
func (b *Baseline) Save(path string) error {
	tmp := path + ".tmp"
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("writing baseline: %w", err)
	}
	if err := os.WriteFile(tmp, b.Marshal(), 0o644); err != nil {
		return fmt.Errorf("writing baseline: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("writing baseline: %w", err)
	}
	return nil
}

// A Diff splits the violations of a check against a baseline.
type Diff struct {
	New       []Violation // not in the baseline: these fail the gate
	Baselined []Violation // accepted by the baseline
	Fixed     []Entry     // in the baseline but no longer found
}

// Compare splits violations into new and baselined ones, and finds the
// baseline entries that no longer occur.
func Compare(vs []Violation, b *Baseline) Diff {
	accepted := map[string]bool{}
	for _, e := range b.Entries {
		accepted[e.Rule+"\x00"+e.Fingerprint] = true
	}
	found := map[string]bool{}
	var d Diff
	for _, v := range vs {
		k := v.Rule + "\x00" + v.Fingerprint
		found[k] = true
		if accepted[k] {
			d.Baselined = append(d.Baselined, v)
		} else {
			d.New = append(d.New, v)
		}
	}
	for _, e := range b.Entries {
		if !found[e.Rule+"\x00"+e.Fingerprint] {
			d.Fixed = append(d.Fixed, e)
		}
	}
	return d
}
