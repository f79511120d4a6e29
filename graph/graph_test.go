package graph

import "testing"

func TestDevTooling(t *testing.T) {
	for rel, want := range map[string]bool{
		"hack/gen": true, "examples/client": true, "test": true, "docs/src/components/Banner": true,
		"v1/test/cases": true, "v2/examples/x": true, "internal/wasm/sdk/examples/loaders": true, "pkg/examples/x": true,
		"cmd/test": false, "pkg/integration/slack": false, "services/test-runner": false, "v1/server": false,
		"version/test": false, "": false, "tools/doc-generator": true, "v3/tools/querycomparator": true, "pkg/tools": false,
		"unmaintained/fix_dat": true, "other/mq_client_example/agent": true, "grpc-examples/server": true, "example_plugin": true,
		"pkg/unmaintained": false, "pkg/exampleservice": false, "counterexample": false,
		"go/tools/sizegen": true, "go/test/fuzzing": true, "go/vt/vtgate": false, "go": false,
		"go/cmd/vtgate/docgen": true, "cmd/docgenerator": false,
		"samples/extauthz/cmd/extauthz": true, "pkg/test/echo/cmd/server": true, "internal/testing/x": true, "go/pkg/test/x": true,
		"pkg/build/x": false, "pkg/testdata2": false, "services/pkg/test": false,
		"pkg/logql/bench/cmd/stream": true, "pkg/benchmarking": false,
		"deployment/logs-benchmark/generator": true, "cmd/bench-tool": true, "cmd/workbench": false, "cmd/benchstat2": false,
	} {
		if got := DevTooling(rel); got != want {
			t.Errorf("DevTooling(%q) = %v, want %v", rel, got, want)
		}
	}
}

func TestLibraryMain(t *testing.T) {
	for rel, want := range map[string]bool{
		"pkg/loadbalancer/repl": true, "pkg/datapath/loader/tools": true, "go/pkg/x": true, "v2/pkg/tool": true,
		"pkg": false, "cmd/server": false, "daemon": false, "internal/pkg/x": false, "services/pkg/x": false,
	} {
		if got := LibraryMain(rel); got != want {
			t.Errorf("LibraryMain(%q) = %v, want %v", rel, got, want)
		}
	}
}

func TestCommonPrefix(t *testing.T) {
	for _, tc := range []struct {
		paths []string
		sep   string
		want  string
	}{
		{[]string{"examples/hotrod/cmd", "examples/hotrod/services/driver"}, "/", "examples/hotrod"},
		{[]string{"a/b", "c"}, "/", ""},
		{[]string{"com.acme.billing", "com.acme.orders.api"}, ".", "com.acme"},
		{[]string{"only/one"}, "/", "only/one"},
		{nil, "/", ""},
	} {
		if got := CommonPrefix(tc.paths, tc.sep); got != tc.want {
			t.Errorf("CommonPrefix(%q) = %q, want %q", tc.paths, got, tc.want)
		}
	}
}

func TestIsVersion(t *testing.T) {
	for name, want := range map[string]bool{
		"v1": true, "v12": true, "v1beta1": true, "v2alpha3": true, "v1beta": false,
		"v": false, "vault": false, "vbeta1": false, "v1rc1": false, "1": false, "version": false,
	} {
		if got := IsVersion(name); got != want {
			t.Errorf("IsVersion(%q) = %v, want %v", name, got, want)
		}
	}
}
