package manifest

import (
	"fmt"
	"path"
	"strings"
	"testing"

	"github.com/yannh/kubeconform/pkg/resource"
	"github.com/yannh/kubeconform/pkg/validator"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	kjson "k8s.io/apimachinery/pkg/runtime/serializer/json"
	"k8s.io/apimachinery/pkg/util/validation"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/yaml"
)

// schemaLocation finds the committed schemas by kubeconform's naming; see
// testdata/k8s-schemas/README.md for how they are made.
const schemaLocation = "testdata/k8s-schemas/{{ .ResourceKind }}{{ .KindSuffix }}.json"

// check validates every generated object and step directory:
//   - Kubernetes kinds decode strictly with the Kubernetes scheme (unknown
//     and duplicate fields are errors); custom resources decode strictly
//     into podsplit's types;
//   - every object but the OAM Application validates with kubeconform
//     against the committed strict schemas, offline;
//   - every object name is a DNS-1123 label;
//   - every kustomization builds with kustomize, to the objects listed.
func check(t *testing.T, files Files) {
	t.Helper()
	for _, err := range validate(files) {
		t.Error(err)
	}
}

// validate returns every problem check finds.
func validate(files Files) []error {
	v, err := validator.New([]string{schemaLocation}, validator.Opts{Strict: true})
	if err != nil {
		return []error{err}
	}
	var errs []error
	for _, name := range sortedKeys(files) {
		base := path.Base(name)
		if !strings.HasPrefix(name, "steps/") || !strings.HasSuffix(base, ".yaml") || base == "kustomization.yaml" {
			continue
		}
		errs = append(errs, objectErrors(v, name, files[name])...)
	}
	return append(errs, kustomizeErrors(files)...)
}

func objectErrors(v validator.Validator, name string, data []byte) []error {
	var meta struct {
		Kind     string `json:"kind"`
		Metadata struct {
			Name string `json:"name"`
		} `json:"metadata"`
	}
	if err := yaml.Unmarshal(data, &meta); err != nil {
		return []error{fmt.Errorf("%s: %w", name, err)}
	}
	var errs []error
	if msgs := validation.IsDNS1123Label(meta.Metadata.Name); len(msgs) > 0 {
		errs = append(errs, fmt.Errorf("%s: name %q: %s", name, meta.Metadata.Name, strings.Join(msgs, "; ")))
	}
	if err := strictDecode(meta.Kind, data); err != nil {
		errs = append(errs, fmt.Errorf("%s: strict decoding: %w", name, err))
	}
	if meta.Kind == "Application" {
		return errs // no schema: KubeVela's CRD is not on the Go module proxy
	}
	res := v.ValidateResource(resource.Resource{Path: name, Bytes: data})
	if res.Status != validator.Valid {
		errs = append(errs, fmt.Errorf("%s: kubeconform: status %d: %v %v", name, res.Status, res.Err, res.ValidationErrors))
	}
	return errs
}

var strictScheme = func() *kjson.Serializer {
	s := runtime.NewScheme()
	if err := appsv1.AddToScheme(s); err != nil {
		panic(err)
	}
	if err := corev1.AddToScheme(s); err != nil {
		panic(err)
	}
	return kjson.NewSerializerWithOptions(kjson.DefaultMetaFactory, s, s, kjson.SerializerOptions{Yaml: true, Strict: true})
}()

func strictDecode(kind string, data []byte) error {
	switch kind {
	case "VirtualService":
		return yaml.UnmarshalStrict(data, &virtualService{})
	case "DestinationRule":
		return yaml.UnmarshalStrict(data, &destinationRule{})
	case "Application":
		return yaml.UnmarshalStrict(data, &application{})
	}
	_, _, err := strictScheme.Decode(data, nil, nil)
	return err
}

// kustomizeErrors builds every kustomization in memory and checks that it
// yields exactly the objects it lists.
func kustomizeErrors(files Files) []error {
	fs := filesys.MakeFsInMemory()
	for name, data := range files {
		if err := fs.WriteFile("/out/"+name, data); err != nil {
			return []error{err}
		}
	}
	k := krusty.MakeKustomizer(krusty.MakeDefaultOptions())
	var errs []error
	for _, name := range sortedKeys(files) {
		if path.Base(name) != "kustomization.yaml" {
			continue
		}
		dir := path.Dir(name)
		m, err := k.Run(fs, "/out/"+dir)
		if err != nil {
			errs = append(errs, fmt.Errorf("kustomize build %s: %w", dir, err))
			continue
		}
		var kz kustomization
		if err := yaml.UnmarshalStrict(files[name], &kz); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
			continue
		}
		if m.Size() != len(kz.Resources) {
			errs = append(errs, fmt.Errorf("kustomize build %s: %d objects, want %d", dir, m.Size(), len(kz.Resources)))
		}
	}
	return errs
}

// TestCheckRejects makes sure the checks can fail.
func TestCheckRejects(t *testing.T) {
	bad := map[string]string{
		"steps/00-x/unknown-field.yaml":    "apiVersion: v1\nkind: Service\nmetadata:\n  name: a\nspec:\n  portz: []\n",
		"steps/00-x/wrong-type.yaml":       "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: a\nspec:\n  replicas: two\n  selector: {}\n  template: {}\n",
		"steps/00-x/duplicate-field.yaml":  "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n  name: b\n",
		"steps/00-x/istio-bad-field.yaml":  "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: a\nspec:\n  hosts: [a]\n  http:\n  - retries: {attempts: 3, bogus: 1}\n    route: [{destination: {host: a}}]\n",
		"steps/00-x/istio-bad-value.yaml":  "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: a\nspec:\n  host: a\n  trafficPolicy:\n    connectionPool:\n      tcp: {maxConnections: lots}\n",
		"steps/00-x/name-not-a-label.yaml": "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: A_b\n",
		"steps/00-x/missing-object.yaml":   "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n",
	}
	for name, doc := range bad {
		files := Files{name: []byte(doc)}
		if strings.Contains(name, "missing-object") {
			files["steps/00-x/kustomization.yaml"] = []byte("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- missing-object.yaml\n- gone.yaml\n")
		}
		if errs := validate(files); len(errs) == 0 {
			t.Errorf("%s: not rejected", name)
		}
	}
}
