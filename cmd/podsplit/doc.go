package main

const rootLong = `podsplit reads a Go repository as it is, finds every way its parts interact
(function calls, shared package-level state, local IPC, network RPC, shared
data), weighs them with runtime evidence, groups the parts by intimacy
(process, pod, network) and writes a staged split plan with Kubernetes
manifests for every step, reports, and a CI architecture gate.

Scanning never runs the analysed code: the go command it invokes is pinned to
the local toolchain (GOTOOLCHAIN=local) and no generators or build scripts run.

Exit codes: 0 success, 1 gate violations, 2 usage or configuration error,
3 analysis failure, 4 bad input (missing directory, no Go module, patterns
that match nothing).`

const scanLong = `Scan analyses a repository and writes its results into the output directory:

  graph.json   the component graph (schema podsplit.graph/v1)
  graph.dot    the same graph in Graphviz DOT
  graph.svg    the graph laid out by the embedded Graphviz
  plan.json    the split plan (schema podsplit.plan/v1)
  plan.md      the plan in Markdown, for a pull request or a job summary
  manifests/   Kubernetes manifests for every step of the plan
  report.html  one self-contained page to review the plan

and prints a summary table. The argument is a repository root (a module, a
go.work workspace, or a directory holding several modules), or package
patterns relative to the current module. Components are the module's
packages; edges are cross-package calls resolved by the chosen call-graph
algorithm (vta by default, with class-hierarchy fallback at calls of the
module's own interfaces where type flow has no evidence), accesses to
another package's mutable package-level state, and the IPC, RPC and data
links found in the code of every language.

Nothing is written unless every output could be produced.`

const graphLong = `Graph prints the component graph to standard output in one format:
json (schema podsplit.graph/v1), dot, svg or mermaid.

Edges are styled by kind: calls grey, shared state bold red, IPC blue, RPC
green, shared data amber; when runtime evidence was given, edges never seen
at runtime are dashed.`
