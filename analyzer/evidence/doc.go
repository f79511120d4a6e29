// Package evidence weighs the edges of a component graph by how the program
// actually ran.
//
// Static analysis says which component can call which; runtime evidence says
// how often and at what cost, which decides between keeping two components in
// one process, one Pod or apart over the network. Merge reads runtime inputs,
// ties them to the static result of analyzer.Extract and updates the graph's
// edges in place.
//
// Terms used here:
//
//   - An input is one file or directory of runtime data. Its kind is told from
//     its content: a text coverage profile ("coverprofile"), a directory of
//     binary coverage counters written by a program built with -cover
//     ("covdata", a GOCOVERDIR), a pprof CPU profile ("pprof"), or OTLP/JSON
//     traces ("otlp"). A runtime directory written by podsplit record holds
//     several inputs and a manifest naming them.
//   - A block is a run of statements with one execution counter in a
//     coverage profile. Every call site lies in one block, so the block's
//     count is the number of times the site executed.
//   - A site is a call site of the module whose callees lie in another
//     component (analyzer.Site). A site is measured when coverage counted
//     its file, and mapped when a block of that file holds it.
//   - A frame is one function of a profile's call stack; inlined calls are
//     frames of their own. A frame is mapped when it names a function of
//     the analysed packages. Two adjacent frames of different components
//     form a pair, whose CPU time goes to the call edge between them.
//   - A call, in traces, is a span of one service whose parent is a span of
//     another service; services are mapped to components by name.
//
// Everything that cannot be tied to the code is counted in the graph's
// runtime statistics and listed as a diagnostic of category "runtime"; an
// input most of which could not be tied says so loudly, because its numbers
// then describe some other code.
package evidence
