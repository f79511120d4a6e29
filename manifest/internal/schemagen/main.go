// Command schemagen writes the JSON schemas that manifest tests validate
// generated objects against, offline, with kubeconform.
//
// It takes the OpenAPI spec of the Kubernetes release that k8s.io/api
// matches (api/openapi-spec/swagger.json of the module k8s.io/kubernetes)
// and the CRDs of the Istio API (kubernetes/customresourcedefinitions.gen.yaml
// of istio.io/api), both fetched into the module cache with
// `go mod download`, never required by the podsplit module. For each kind
// podsplit emits it writes one standalone, strict schema, named as
// kubeconform looks schemas up: KIND-GROUP-VERSION.json, lower case.
//
// Run from the repository root:
//
//	go run ./manifest/internal/schemagen -o manifest/testdata/k8s-schemas
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Sources, pinned: Kubernetes v1.37.2 is the release of k8s.io/api v0.37.2.
const (
	kubernetesModule = "k8s.io/kubernetes@v1.37.2"
	istioModule      = "istio.io/api@v1.32.0"
	swaggerPath      = "api/openapi-spec/swagger.json"
	istioCRDPath     = "kubernetes/customresourcedefinitions.gen.yaml"
)

// builtins are the Kubernetes kinds podsplit emits, by OpenAPI definition.
var builtins = []struct{ def, apiVersion, kind string }{
	{"io.k8s.api.apps.v1.Deployment", "apps/v1", "Deployment"},
	{"io.k8s.api.core.v1.Service", "v1", "Service"},
	{"io.k8s.api.core.v1.ServiceAccount", "v1", "ServiceAccount"},
}

// crds are the custom resources podsplit emits, by CRD name and version.
var crds = []struct{ name, version string }{
	{"virtualservices.networking.istio.io", "v1"},
	{"destinationrules.networking.istio.io", "v1"},
}

func main() {
	out := flag.String("o", "manifest/testdata/k8s-schemas", "output directory")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintf(os.Stderr, "schemagen: %v\n", err)
		os.Exit(1)
	}
}

func run(out string) error {
	k8sDir, err := download(kubernetesModule)
	if err != nil {
		return err
	}
	istioDir, err := download(istioModule)
	if err != nil {
		return err
	}
	schemas, err := generate(filepath.Join(k8sDir, swaggerPath), filepath.Join(istioDir, istioCRDPath))
	if err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	for name, s := range schemas {
		if err := os.WriteFile(filepath.Join(out, name), s, 0o644); err != nil {
			return err
		}
	}
	return os.WriteFile(filepath.Join(out, "README.md"), []byte(readme()), 0o644)
}

// generate returns the schema files by name.
func generate(swaggerFile, crdFile string) (map[string][]byte, error) {
	defs, err := readDefinitions(swaggerFile)
	if err != nil {
		return nil, err
	}
	c := &converter{defs: defs}
	files := map[string][]byte{}
	for _, b := range builtins {
		s, err := c.definition(b.def)
		if err != nil {
			return nil, fmt.Errorf("converting %s: %w", b.def, err)
		}
		pinKind(s, b.apiVersion, b.kind)
		if files[fileName(b.apiVersion, b.kind)], err = encode(s); err != nil {
			return nil, err
		}
	}
	docs, err := readCRDs(crdFile)
	if err != nil {
		return nil, err
	}
	for _, want := range crds {
		apiVersion, kind, s, err := crdSchema(c, docs, want.name, want.version)
		if err != nil {
			return nil, err
		}
		if files[fileName(apiVersion, kind)], err = encode(s); err != nil {
			return nil, err
		}
	}
	return files, nil
}

// fileName names a schema the way kubeconform's default location template
// does: {{ .ResourceKind }}{{ .KindSuffix }}.json.
func fileName(apiVersion, kind string) string {
	group, version, found := strings.Cut(apiVersion, "/")
	if !found {
		return strings.ToLower(kind + "-" + apiVersion + ".json")
	}
	first, _, _ := strings.Cut(group, ".")
	return strings.ToLower(kind + "-" + first + "-" + version + ".json")
}

func readDefinitions(path string) (map[string]any, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading openapi spec: %w", err)
	}
	var spec struct {
		Definitions map[string]any `json:"definitions"`
	}
	if err := json.Unmarshal(data, &spec); err != nil {
		return nil, fmt.Errorf("reading openapi spec: %w", err)
	}
	return spec.Definitions, nil
}

func encode(s map[string]any) ([]byte, error) {
	data, err := json.MarshalIndent(s, "", " ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}

// download fetches a module version into the module cache, outside any
// module so that no go.mod changes, and returns its directory.
func download(module string) (string, error) {
	cmd := exec.Command("go", "mod", "download", "-json", module)
	cmd.Dir = os.TempDir()
	cmd.Env = append(os.Environ(), "GOFLAGS=", "GO111MODULE=on")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	data, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("downloading %s: %w: %s", module, err, strings.TrimSpace(stderr.String()))
	}
	var info struct{ Dir, Error string }
	if err := json.Unmarshal(data, &info); err != nil {
		return "", fmt.Errorf("downloading %s: %w", module, err)
	}
	if info.Error != "" || info.Dir == "" {
		return "", fmt.Errorf("downloading %s: %s", module, info.Error)
	}
	return info.Dir, nil
}

func readme() string {
	var b strings.Builder
	b.WriteString("# Kubernetes JSON schemas for manifest tests\n\n")
	b.WriteString("Generated by `go run ./manifest/internal/schemagen -o manifest/testdata/k8s-schemas`\n")
	b.WriteString("from the root of the repository; do not edit by hand. Sources:\n\n")
	fmt.Fprintf(&b, "- `%s`: `%s` (OpenAPI v2 of Kubernetes)\n", kubernetesModule, swaggerPath)
	fmt.Fprintf(&b, "- `%s`: `%s` (Istio CRDs)\n\n", istioModule, istioCRDPath)
	b.WriteString("Each schema is standalone ($refs resolved), strict (objects reject unknown\n")
	b.WriteString("fields) and pinned to its apiVersion and kind. Descriptions are dropped to keep\n")
	b.WriteString("the files small, and CEL rules (x-kubernetes-validations) cannot be checked here.\n")
	return b.String()
}
