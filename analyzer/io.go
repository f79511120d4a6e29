package analyzer

import "strings"

// ioPrefixes maps third-party client packages to the kind of I/O using them means.
var ioPrefixes = []struct{ prefix, kind string }{
	{"google.golang.org/grpc", "grpc"},
	{"connectrpc.com/connect", "grpc"},
	{"github.com/segmentio/kafka-go", "broker"},
	{"github.com/IBM/sarama", "broker"},
	{"github.com/Shopify/sarama", "broker"},
	{"github.com/nats-io/nats.go", "broker"},
	{"github.com/rabbitmq/amqp091-go", "broker"},
	{"github.com/streadway/amqp", "broker"},
	{"github.com/redis/go-redis", "redis"},
	{"github.com/go-redis/redis", "redis"},
	{"github.com/jackc/pgx", "sql"},
	{"github.com/jmoiron/sqlx", "sql"},
	{"gorm.io/gorm", "sql"},
	{"go.mongodb.org/mongo-driver", "mongo"},
	{"github.com/aws/aws-sdk-go", "cloud"},
	{"cloud.google.com/go", "cloud"},
}

// grpcValues are the packages of gRPC that build and read values (status
// codes, errors, metadata, the peer of a call, options) and talk to no one:
// an errors package returning status.Error(codes.NotFound, …) does no I/O.
var grpcValues = map[string]bool{
	"codes": true, "status": true, "metadata": true, "peer": true, "grpclog": true,
	"keepalive": true, "backoff": true, "attributes": true,
}

var osFileFuncs = map[string]bool{
	"Open": true, "OpenFile": true, "Create": true, "ReadFile": true, "WriteFile": true,
	"Remove": true, "RemoveAll": true, "Mkdir": true, "MkdirAll": true, "ReadDir": true,
	"Rename": true, "Truncate": true, "Symlink": true, "Link": true, "CreateTemp": true, "MkdirTemp": true,
}

// classifyIO names the kind of I/O that calling name of package pkg
// performs; recv is the name of the method's receiver type (a pointer's
// element, or the interface called through), "" for a function.
func classifyIO(pkg, recv, name string) string {
	switch pkg {
	case "":
		return ""
	case "net":
		if strings.HasPrefix(name, "Dial") || strings.HasPrefix(name, "Listen") {
			return "net"
		}
	case "net/http":
		// Only a client's requests and a server's listening are I/O:
		// http.Header.Get or url-like lookups on a request share the
		// names of http.Get and (*http.Client).Get and read a map.
		switch recv {
		case "", "Client":
			switch name {
			case "Get", "Post", "Head", "PostForm", "Do":
				return "http"
			}
		case "Transport", "RoundTripper":
			if name == "RoundTrip" {
				return "http"
			}
		}
		if httpServes(recv, name) {
			return "http"
		}
		return ""
	case "database/sql":
		switch name {
		case "Open", "OpenDB", "Query", "QueryContext", "QueryRow", "QueryRowContext", "Exec", "ExecContext", "Prepare", "PrepareContext", "Begin", "BeginTx":
			return "sql"
		}
	case "os":
		if osFileFuncs[name] {
			return "file"
		}
	case "os/exec":
		if strings.HasPrefix(name, "Command") {
			return "exec"
		}
	case "syscall":
		if recv != "" {
			return "" // methods of values: an Errno's Error or Is, a Signal's String
		}
		return "syscall"
	case "github.com/go-kit/kit/transport/http":
		// go-kit's client calls another service; its server only wraps
		// a handler, which serves nothing until something listens.
		if strings.HasPrefix(name, "New") && strings.HasSuffix(name, "Client") {
			return "http"
		}
		return ""
	case "github.com/go-kit/kit/transport/grpc":
		if name == "NewClient" {
			return "grpc"
		}
		return ""
	}
	if sub, ok := strings.CutPrefix(pkg, "google.golang.org/grpc/"); ok && grpcValues[sub] {
		return ""
	}
	for _, p := range ioPrefixes {
		if pkg == p.prefix || strings.HasPrefix(pkg, p.prefix+"/") {
			return p.kind
		}
	}
	return ""
}

// httpServes reports whether calling name of net/http (of a type named
// recv, "" for a function) serves HTTP: http.ListenAndServe, a Server's
// Serve or ServeTLS.
func httpServes(recv, name string) bool {
	if recv != "" && recv != "Server" {
		return false
	}
	switch name {
	case "ListenAndServe", "ListenAndServeTLS", "Serve", "ServeTLS":
		return true
	}
	return false
}
