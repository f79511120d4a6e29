// Package link turns facts about how code talks to the outside into edges
// of the component graph.
//
// A fact is one end of a link seen in one place of the code: a component
// serves an HTTP route, calls a URL, produces to a topic, listens on a Unix
// socket, reads a table. Facts say nothing about the language they were
// found in beyond a name, so detectors for any language can feed the same
// step. Match joins the ends that share a key (a route, a gRPC service, a
// topic, a socket path or port, a binary name, a file path, a table) into
// edges of kind ipc, rpc or data, with evidence from both ends, and turns
// client calls that reach nothing in the repository into edges to external
// endpoint nodes.
//
// Terms:
//   - role: what the fact's component does at its end (serve, call,
//     produce, consume, listen, dial, write, read, exec, binary, use).
//   - mechanism: how the ends talk (http, grpc, broker, unix, tcp, exec,
//     pipe, file, sql, mongo, governance).
//   - key: what ties both ends, normalised per mechanism (see Fact.Key).
package link

// Roles of a fact.
const (
	Serve   = "serve"   // answers requests on Key (HTTP route, gRPC service)
	Call    = "call"    // sends requests to Key (HTTP URL, gRPC service)
	Produce = "produce" // publishes to a topic, subject, queue or channel
	Consume = "consume" // subscribes to one
	Listen  = "listen"  // accepts connections on a socket path or port
	Dial    = "dial"    // connects to one
	Write   = "write"   // writes a file, pipe, table or collection
	Read    = "read"    // reads one
	Exec    = "exec"    // starts the binary named Key
	Binary  = "binary"  // is the program built as Key
	Use     = "use"     // implements the governance concern Key in code
	// A named pipe is created with role Listen and mechanism Pipe; writers
	// and readers of its path are then matched as a pipe, not a file.
)

// Mechanisms of a fact, which become Edge.Mechanism.
const (
	HTTP       = "http"
	GRPC       = "grpc"
	Broker     = "broker"
	Unix       = "unix"
	TCP        = "tcp"
	ExecMech   = "exec"
	Pipe       = "pipe"
	File       = "file"
	SQL        = "sql"
	Mongo      = "mongo"
	Governance = "governance"
)

// A Fact is one end of a link, or one use of governance code, at one place.
type Fact struct {
	// Component is the graph component id the code belongs to.
	Component string `json:"component"`
	Language  string `json:"language"`
	Role      string `json:"role"`
	Mechanism string `json:"mechanism"`
	// Key ties the ends together:
	//   http serve: "[METHOD ]/path/{param}" (also :param, <param>, *rest)
	//   http call:  "METHOD URL", parts not known statically as "*"
	//   grpc:       the full service name, "inventory.v1.Inventory"
	//   broker:     the topic, subject, queue or channel name
	//   unix, pipe, file: the path; tcp: the port; exec, binary: the
	//   binary's base name; sql: the table; mongo: the collection;
	//   governance: the concern (retry, circuit-breaker, rate-limit,
	//   auth, metrics, tracing, logging).
	Key string `json:"key"`
	// Access is "read" or "write" for sql and mongo facts, "" when unknown.
	Access string `json:"access,omitempty"`
	// Pos is the repository-relative "file:line" of the code.
	Pos    string `json:"pos"`
	Detail string `json:"detail,omitempty"`
}
