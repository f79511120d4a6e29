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
