// Package polyglot is podsplit's front end for the parts of a repository
// written in Python, Java, JavaScript and TypeScript (TSX included). It
// parses them with tree-sitter and puts them in the same component graph
// as the Go code, with the same link facts, so one link.Match joins a
// Python client to a Go route.
//
// Terms:
//
//   - component: the unit placed on its own, as a Go package is. A Python
//     package (a directory with __init__.py; a directory of loose modules
//     otherwise), a Java package (by its package declaration), a
//     directory of JavaScript or TypeScript files. Ids name the language
//     and are stable across runs:
//
//     py:DIR        py:worker/jobs
//     java:PACKAGE  java:com.shop.billing
//     ts:DIR        ts:server/orders (a directory holding any TypeScript)
//     js:DIR        js:server (a directory of JavaScript only)
//
//     A browser application (a package.json depending on react-dom, vue,
//     @angular/core, svelte…) is one component, ts:web: it ships as one
//     bundle.
//
//     DIR is repository-relative with slashes, "." for the root. Every
//     component has Language "python", "java", "typescript" or
//     "javascript", a Role, Dir, Files and Lines, and, for an entrypoint,
//     Entry: the file that starts the program.
//
//   - import edge: a call edge (kind "call", mechanism "import") from a
//     component to one whose module, package or file it imports. Its
//     callees are the imported functions, classes and methods called
//     through the names the import binds.
//
//   - approximate: calls are resolved by name, without types: db.save()
//     after "from worker import db" is a call of worker.db.save. A local
//     name shadowing an import, or a method reached through a variable
//     of a type the import does not tell, can mislead it, so call
//     evidence says "approximate: resolved by name".
//
//   - fact: one end of a link (link.Fact) seen in the code: a served
//     route, a client call, a produced or consumed topic, a table read or
//     written, a port listened on, a governance library used. Frameworks
//     are recognised by the names the file imports and follows through
//     its own assignments and declared types (the origin of a value:
//     requests.Session() is "requests.Session").
//
//   - generated: a file whose header says a tool wrote it (Code generated,
//     @generated, DO NOT EDIT, auto-generated). It is parsed for facts, so
//     clients generated from OpenAPI or gRPC are seen, but adds no import
//     edges: its imports are the generator's, not a design.
//
// Each syntax tree is lowered, by a tree-sitter query compiled once per
// language and run, to a small language-neutral model (imports, calls
// with their arguments, declarations with their decorators or
// annotations, bindings, string literals); everything after that is
// plain Go shared by the languages. Files are parsed in parallel, one
// parser per worker; results are sorted before use, so output is
// deterministic.
//
// The lowered model of a file depends only on its content, its grammar
// and podsplit's code, so Options.Cache can keep it between runs under a
// key hashing those (Options.Build names the code): a file seen before is
// decoded instead of parsed, and a run whose files are all cached
// compiles no query. Only that step is cached; components, resolution,
// facts and roles are computed on every run from the models, so a change
// to one file costs the parse of that file and the rest of the front end.
//
// Tree-sitter is C: a build without cgo has an Analyze that only adds the
// diagnostic "polyglot analysis is off: podsplit was built without cgo".
package polyglot
