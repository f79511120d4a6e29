package manifest

import (
	"slices"
)

// stepFiles are the files of one step directory, before its README.
type stepFiles struct {
	index   int
	dir     string
	files   map[string][]byte // relative to dir
	objects []string          // the files that hold objects, sorted
	// kept lists, per unit, the governance concerns that stay in the code
	// at this step.
	kept map[string][]string
	// listening lists the units given a port they do not listen on yet.
	listening []string
}

// kustomization is the kustomize.config.k8s.io/v1beta1 Kustomization of a
// step directory, reduced to the fields podsplit sets.
type kustomization struct {
	APIVersion string   `json:"apiVersion"`
	Kind       string   `json:"kind"`
	Namespace  string   `json:"namespace,omitempty"`
	Resources  []string `json:"resources"`
}

// step builds the objects of step index i.
func (b *builder) step(i int) (stepFiles, error) {
	us, err := units(b.p.Steps[i].Topology)
	if err != nil {
		return stepFiles{}, err
	}
	sf := stepFiles{index: i, dir: b.dirs[i], files: map[string][]byte{}, kept: map[string][]string{}}
	var objs []object
	for _, u := range us {
		p, err := policyOf(u)
		if err != nil {
			return stepFiles{}, err
		}
		objs = append(objs,
			object{kind: "ServiceAccount", name: u.name, v: b.serviceAccount(u)},
			object{kind: "Deployment", name: u.name, v: b.deployment(i, u, us)})
		if svc := b.service(i, u, p); svc != nil {
			objs = append(objs, object{kind: "Service", name: u.name, v: svc})
		}
		objs = append(objs, b.istioObjects(i, u, p)...)
		if kept := b.keptInCode(i, u, p); len(kept) > 0 {
			sf.kept[u.name] = kept
		}
		if ports := b.ports(u); len(ports) == 1 && ports[0].created {
			sf.listening = append(sf.listening, u.name)
		}
	}
	for _, o := range objs {
		data, err := b.encode(o.v)
		if err != nil {
			return stepFiles{}, err
		}
		sf.files[o.file()] = data
		sf.objects = append(sf.objects, o.file())
	}
	slices.Sort(sf.objects)
	if err := b.addKustomization(sf.files, "kustomization.yaml", sf.objects); err != nil {
		return stepFiles{}, err
	}
	if b.opts.OAM {
		if err := b.addOAM(i, us, sf.files); err != nil {
			return stepFiles{}, err
		}
	}
	return sf, nil
}

func (b *builder) addKustomization(files map[string][]byte, path string, resources []string) error {
	data, err := b.encode(kustomization{
		APIVersion: "kustomize.config.k8s.io/v1beta1",
		Kind:       "Kustomization",
		Namespace:  b.opts.Namespace,
		Resources:  resources,
	})
	if err != nil {
		return err
	}
	files[path] = data
	return nil
}
