package evidence

// ManifestFile is the name of the manifest in a runtime directory.
const ManifestFile = "manifest.json"

// ManifestSchema names the version of the manifest format.
const ManifestSchema = "podsplit.runtime/v1"

// A Manifest describes a runtime directory written by podsplit record: how
// the data was collected and which of its files Merge reads. Files not
// listed (raw counters kept for the user) are not read, so nothing is
// counted twice.
type Manifest struct {
	Schema string `json:"schema"`
	// Mode is "tests" (the module's tests were run) or "command" (a
	// command was run with GOCOVERDIR set).
	Mode     string   `json:"mode"`
	Module   string   `json:"module,omitempty"`
	Patterns []string `json:"patterns,omitempty"`
	Command  []string `json:"command,omitempty"`
	Inputs   []Input  `json:"inputs"`
	// Raw lists files or directories kept beside the inputs, not read.
	Raw []string `json:"raw,omitempty"`
}

// An Input is one file of a runtime directory, by slash-separated path
// relative to the directory.
type Input struct {
	Path string `json:"path"`
	Kind string `json:"kind"`
	// Package is the package whose tests produced a profile.
	Package string `json:"package,omitempty"`
}
