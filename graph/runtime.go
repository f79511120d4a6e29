package graph

// RuntimeStats summarises the runtime evidence merged into a graph: what was
// read, how much of it could be tied to the code, and how many edges it saw.
type RuntimeStats struct {
	// Inputs lists the runtime inputs read, each as "kind path".
	Inputs []string `json:"inputs"`
	// ObservedEdges and StaticOnlyEdges split the edges into those runtime
	// data saw exercised and those known only from the code.
	ObservedEdges   int `json:"observed_edges"`
	StaticOnlyEdges int `json:"static_only_edges"`
	// Coverage: cross-component call sites inside a counted block
	// (measured), of which executed at least once, and of which bounded
	// (case expressions, which no block holds, counted as often as their
	// switch at most); sites in files the coverage did not instrument;
	// sites in instrumented files but outside every block; blocks that
	// matched no file of the repository.
	SitesMeasured   int `json:"sites_measured,omitempty"`
	SitesBounded    int `json:"sites_bounded,omitempty"`
	SitesExecuted   int `json:"sites_executed,omitempty"`
	SitesUnmeasured int `json:"sites_unmeasured,omitempty"`
	SitesUnmapped   int `json:"sites_unmapped,omitempty"`
	BlocksMapped    int `json:"blocks_mapped,omitempty"`
	BlocksUnmapped  int `json:"blocks_unmapped,omitempty"`
	// Profiles: frames of the module's packages that named a known
	// function (mapped) or not (unmapped), and caller→callee pairs across
	// components that matched no call edge.
	FramesMapped   int `json:"frames_mapped,omitempty"`
	FramesUnmapped int `json:"frames_unmapped,omitempty"`
	PairsUnmatched int `json:"pairs_unmatched,omitempty"`
	// Traces: calls between services tied to two components, and calls
	// whose services named no component.
	CallsMapped   int `json:"calls_mapped,omitempty"`
	CallsUnmapped int `json:"calls_unmapped,omitempty"`
	// MostlyUnmapped names the inputs most of which could not be tied to
	// the code: their evidence is not to be trusted.
	MostlyUnmapped []string `json:"mostly_unmapped,omitempty"`
}
