package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const spec = `{
  "io.k8s.api.x.v1.Thing": {
    "description": "A thing.",
    "type": "object",
    "required": ["spec"],
    "properties": {
      "spec": {"$ref": "#/definitions/io.k8s.api.x.v1.Spec", "description": "dropped"},
      "description": {"type": "string", "description": "a property named description stays"}
    },
    "x-kubernetes-group-version-kind": [{"group": "x", "kind": "Thing", "version": "v1"}]
  },
  "io.k8s.api.x.v1.Spec": {
    "type": "object",
    "properties": {
      "port": {"$ref": "#/definitions/io.k8s.apimachinery.pkg.util.intstr.IntOrString"},
      "cpu": {"$ref": "#/definitions/io.k8s.apimachinery.pkg.api.resource.Quantity"},
      "note": {"type": "string", "nullable": true},
      "labels": {"type": "object", "additionalProperties": {"type": "string"}},
      "raw": {"type": "object", "x-kubernetes-preserve-unknown-fields": true, "properties": {"a": {"type": "string"}}},
      "mode": {"type": "string", "enum": ["A", "B"], "x-kubernetes-list-type": "atomic"}
    }
  },
  "io.k8s.apimachinery.pkg.util.intstr.IntOrString": {"type": "string", "format": "int-or-string"},
  "io.k8s.apimachinery.pkg.api.resource.Quantity": {"type": "string"},
  "loop.A": {"type": "object", "properties": {"b": {"$ref": "#/definitions/loop.B"}}},
  "loop.B": {"type": "object", "properties": {"a": {"$ref": "#/definitions/loop.A"}}}
}`

const want = `{"additionalProperties":false,"properties":{` +
	`"apiVersion":{"enum":["x/v1"],"type":"string"},` +
	`"description":{"type":"string"},` +
	`"kind":{"enum":["Thing"],"type":"string"},` +
	`"spec":{"additionalProperties":false,"properties":{` +
	`"cpu":{"oneOf":[{"type":"string"},{"type":"number"}]},` +
	`"labels":{"additionalProperties":{"type":"string"},"type":"object"},` +
	`"mode":{"enum":["A","B"],"type":"string"},` +
	`"note":{"type":["string","null"]},` +
	`"port":{"oneOf":[{"type":"string"},{"type":"integer"}]},` +
	`"raw":{"properties":{"a":{"type":"string"}},"type":"object"}},"type":"object"}},` +
	`"required":["apiVersion","kind","spec"],"type":"object"}`

func TestConvert(t *testing.T) {
	var defs map[string]any
	if err := json.Unmarshal([]byte(spec), &defs); err != nil {
		t.Fatal(err)
	}
	c := &converter{defs: defs}
	s, err := c.definition("io.k8s.api.x.v1.Thing")
	if err != nil {
		t.Fatal(err)
	}
	pinKind(s, "x/v1", "Thing")
	got, _ := json.Marshal(s)
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if _, err := c.definition("loop.A"); err == nil || !strings.Contains(err.Error(), "refers to itself") {
		t.Errorf("cycle: error %v", err)
	}
	if _, err := c.definition("no.Such"); err == nil {
		t.Error("missing definition: no error")
	}
}

func TestFileName(t *testing.T) {
	for _, tc := range []struct{ apiVersion, kind, want string }{
		{"apps/v1", "Deployment", "deployment-apps-v1.json"},
		{"v1", "Service", "service-v1.json"},
		{"networking.istio.io/v1", "VirtualService", "virtualservice-networking-v1.json"},
	} {
		if got := fileName(tc.apiVersion, tc.kind); got != tc.want {
			t.Errorf("fileName(%s, %s) = %s, want %s", tc.apiVersion, tc.kind, got, tc.want)
		}
	}
}

// TestCommitted regenerates the schemas from the module cache, when the
// sources are there, and compares them with the committed ones.
func TestCommitted(t *testing.T) {
	out, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		t.Skip("no go command")
	}
	cache := strings.TrimSpace(string(out))
	swagger := filepath.Join(cache, kubernetesModule, swaggerPath)
	crd := filepath.Join(cache, istioModule, istioCRDPath)
	for _, f := range []string{swagger, crd} {
		if _, err := os.Stat(f); err != nil {
			t.Skipf("sources not in the module cache (go run ./manifest/internal/schemagen fetches them): %v", err)
		}
	}
	files, err := generate(swagger, crd)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range files {
		committed, err := os.ReadFile(filepath.Join("..", "..", "testdata", "k8s-schemas", name))
		if err != nil || string(committed) != string(data) {
			t.Errorf("testdata/k8s-schemas/%s is stale or missing: go run ./manifest/internal/schemagen", name)
		}
	}
}
