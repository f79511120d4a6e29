package analyzer

import "testing"

func TestClassifyIO(t *testing.T) {
	for _, tc := range []struct{ pkg, recv, name, want string }{
		{"google.golang.org/grpc", "", "NewServer", "grpc"},
		{"google.golang.org/grpc", "", "Dial", "grpc"},
		{"google.golang.org/grpc/credentials", "", "NewClientTLSFromFile", "grpc"},
		{"google.golang.org/grpc/status", "", "Error", ""},
		{"google.golang.org/grpc/codes", "", "String", ""},
		{"google.golang.org/grpc/metadata", "", "FromIncomingContext", ""},
		{"net", "", "Dial", "net"},
		{"net", "", "ParseIP", ""},
		{"os", "", "ReadFile", "file"},
		{"os", "", "Getenv", ""},
		{"github.com/segmentio/kafka-go", "", "NewReader", "broker"},
		{"github.com/go-kit/kit/transport/http", "", "NewClient", "http"},
		{"github.com/go-kit/kit/transport/http", "", "NewExplicitClient", "http"},
		{"github.com/go-kit/kit/transport/http", "", "NewServer", ""},
		{"github.com/go-kit/kit/transport/grpc", "", "NewClient", "grpc"},
		{"github.com/go-kit/kit/transport/grpc", "", "NewServer", ""},
		{"net/http", "", "Get", "http"},
		{"net/http", "Client", "Do", "http"},
		{"net/http", "Server", "ListenAndServe", "http"},
		{"net/http", "RoundTripper", "RoundTrip", "http"},
		{"net/http", "Header", "Get", ""},
		{"net/http", "Request", "PostForm", ""},
		{"net/http", "ResponseWriter", "Write", ""},
		{"syscall", "", "Kill", "syscall"},
		{"syscall", "Errno", "Error", ""},
	} {
		if got := classifyIO(tc.pkg, tc.recv, tc.name); got != tc.want {
			t.Errorf("classifyIO(%q, %q, %q) = %q, want %q", tc.pkg, tc.recv, tc.name, got, tc.want)
		}
	}
}
