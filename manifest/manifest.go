package manifest

import (
	"errors"
	"fmt"
	"path"
	"slices"

	"github.com/podsplit/podsplit/plan"
)

// Mesh and sidecar choices.
const (
	MeshIstio       = "istio"
	MeshLinkerd     = "linkerd"
	MeshNone        = "none"
	SidecarsNative  = "native"
	SidecarsClassic = "classic"
)

// Options control how the plan is deployed.
type Options struct {
	// Mesh is the service mesh governance moves to: "istio" (default),
	// "linkerd" or "none".
	Mesh string
	// Sidecars is "native" (default: init containers with restartPolicy
	// Always) or "classic" (plain containers).
	Sidecars string
	// OAM adds a KubeVela/OAM Application per step, under the step's oam/.
	OAM bool
	// Registry prefixes image names; default "registry.example.com/PARTOF".
	Registry string
	// Namespace, when set, is written into every step's kustomization.
	Namespace string
	// PartOf is the app.kubernetes.io/part-of label; default: the project
	// the plan's module path names (plan.ProjectName: containerd for
	// github.com/containerd/containerd/v2).
	PartOf string
}

// Files maps slash-separated paths, relative to the output directory, to
// their content.
type Files map[string][]byte

// Owned names the directories of Build's output that it generates whole:
// a writer may remove what it finds there that Build did not return (a step
// an earlier plan had).
var Owned = []string{"steps", "docker"}

// ErrBadOption reports an option value Build does not know.
var ErrBadOption = errors.New("bad option")

// Build returns the manifests of every step of p: steps/NN-slug/ with a
// kustomization.yaml, one file per object and a README.md; docker/NAME/
// Dockerfile per container image, in the language of its code; and a
// top-level README.md.
func Build(p *plan.Plan, opts Options) (Files, error) {
	opts, err := opts.withDefaults(p)
	if err != nil {
		return nil, fmt.Errorf("building manifests: %w", err)
	}
	if len(p.Steps) == 0 {
		return nil, errors.New("building manifests: the plan has no steps")
	}
	b := newBuilder(p, opts)
	files := Files{}
	var steps []stepFiles
	for i := range p.Steps {
		sf, err := b.step(i)
		if err != nil {
			return nil, fmt.Errorf("building manifests: step %d: %w", p.Steps[i].N, err)
		}
		steps = append(steps, sf)
	}
	for i, sf := range steps {
		var prev *stepFiles
		if i > 0 {
			prev = &steps[i-1]
		}
		for name, data := range sf.files {
			files[path.Join("steps", sf.dir, name)] = data
		}
		files[path.Join("steps", sf.dir, "README.md")] = b.stepReadme(sf, prev)
	}
	docker, err := b.dockerfiles()
	if err != nil {
		return nil, fmt.Errorf("building manifests: %w", err)
	}
	for name, data := range docker {
		files[name] = data
	}
	files["README.md"] = b.readme(steps)
	return files, nil
}

func (o Options) withDefaults(p *plan.Plan) (Options, error) {
	if o.Mesh == "" {
		o.Mesh = MeshIstio
	}
	if o.Sidecars == "" {
		o.Sidecars = SidecarsNative
	}
	if !slices.Contains([]string{MeshIstio, MeshLinkerd, MeshNone}, o.Mesh) {
		return o, fmt.Errorf("%w: unknown mesh %q (want istio, linkerd or none)", ErrBadOption, o.Mesh)
	}
	if !slices.Contains([]string{SidecarsNative, SidecarsClassic}, o.Sidecars) {
		return o, fmt.Errorf("%w: unknown sidecar style %q (want native or classic)", ErrBadOption, o.Sidecars)
	}
	if o.PartOf == "" {
		o.PartOf = plan.ProjectName(p.Module)
	}
	o.PartOf = name(o.PartOf)
	if o.Namespace != "" && name(o.Namespace) != o.Namespace {
		return o, fmt.Errorf("%w: namespace %q is not a DNS-1123 label", ErrBadOption, o.Namespace)
	}
	if o.Registry == "" {
		o.Registry = "registry.example.com/" + o.PartOf
	}
	return o, nil
}
