package polyglot

// Languages, as set in graph.Component.Language and link.Fact.Language.
const (
	Python     = "python"
	Java       = "java"
	JavaScript = "javascript"
	TypeScript = "typescript"
)

// Options control Analyze.
type Options struct {
	// Tests includes test files and test directories.
	Tests bool
	// Workers is the number of files parsed at once; 0 means GOMAXPROCS.
	Workers int
	// Cache, if set with Build, keeps the model each file is lowered to
	// between runs: a file whose content was lowered before by the same
	// build is decoded instead of parsed. Everything after that step
	// (components, import resolution, facts, roles) runs on every call,
	// so the result is the same with or without a cache.
	Cache FileCache
	// Build identifies the running podsplit: two runs with the same Build
	// must run the same parsing and lowering code, grammars and queries.
	// internal/pipeline passes the SHA-256 of the executable. Without it,
	// Cache is not used.
	Build string

	// parsed, when set, is called with the path of each file parsed
	// rather than taken from the cache (tests count them).
	parsed func(path string)
}

// A FileCache keeps encoded file models between runs, under keys that
// hash everything a model is computed from (see fileKey). Implementations
// must be safe for concurrent use and may lose entries at any time; an
// entry that does not decode is a miss, and the file is parsed again and
// its entry written anew. *cache.Bucket is one.
type FileCache interface {
	Get(key string) ([]byte, bool)
	Put(key string, data []byte)
}

// Diagnostic categories Analyze adds to the graph.
const (
	// CategoryParse marks a file that could not be read or parsed in full.
	CategoryParse = "parse"
	// CategoryPolyglot marks facts about the polyglot front end itself.
	CategoryPolyglot = "polyglot"
	// CategorySkipped marks a file left out (minified, too large).
	CategorySkipped = "skipped"
)

// DisabledMessage is the diagnostic a build without cgo gives once.
const DisabledMessage = "polyglot analysis is off: podsplit was built without cgo"
