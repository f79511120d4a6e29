package manifest

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// The KubeVela/OAM core.oam.dev/v1beta1 Application, reduced to the fields
// podsplit sets. Components use KubeVela's built-in "webservice" and
// "worker" types; sidecars the "sidecar" trait (so they are classic
// containers whatever --sidecars says); mesh injection the "labels" and
// "annotations" traits.
const oamAPIVersion = "core.oam.dev/v1beta1"

type application struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              applicationSpec `json:"spec"`
}

type applicationSpec struct {
	Components []oamComponent `json:"components"`
}

type oamComponent struct {
	Name       string        `json:"name"`
	Type       string        `json:"type"`
	Properties oamProperties `json:"properties"`
	Traits     []oamTrait    `json:"traits,omitempty"`
}

type oamProperties struct {
	Image          string           `json:"image"`
	Ports          []oamPort        `json:"ports,omitempty"`
	CPU            string           `json:"cpu,omitempty"`
	Memory         string           `json:"memory,omitempty"`
	Env            []oamEnv         `json:"env,omitempty"`
	VolumeMounts   *oamVolumeMounts `json:"volumeMounts,omitempty"`
	ReadinessProbe *oamProbe        `json:"readinessProbe,omitempty"`
	LivenessProbe  *oamProbe        `json:"livenessProbe,omitempty"`
}

type oamPort struct {
	Port   int  `json:"port"`
	Expose bool `json:"expose"`
}

type oamEnv struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type oamVolumeMounts struct {
	EmptyDir []oamEmptyDir `json:"emptyDir"`
}

type oamEmptyDir struct {
	Name      string `json:"name"`
	MountPath string `json:"mountPath"`
}

type oamProbe struct {
	HTTPGet          *oamHTTPGet `json:"httpGet,omitempty"`
	GRPC             *oamGRPC    `json:"grpc,omitempty"`
	PeriodSeconds    int32       `json:"periodSeconds"`
	FailureThreshold int32       `json:"failureThreshold"`
}

type oamHTTPGet struct {
	Path string `json:"path"`
	Port int32  `json:"port"`
}

type oamGRPC struct {
	Port int32 `json:"port"`
}

type oamTrait struct {
	Type       string `json:"type"`
	Properties any    `json:"properties"`
}

type oamSidecar struct {
	Name    string      `json:"name"`
	Image   string      `json:"image"`
	Env     []oamEnv    `json:"env,omitempty"`
	Volumes []oamVolume `json:"volumes,omitempty"`
}

type oamVolume struct {
	Name string `json:"name"`
	Path string `json:"path"`
}

// addOAM writes the step's Application under oam/, with a kustomization
// of its own: an Application and the Deployments it renders must not be
// applied side by side.
func (b *builder) addOAM(i int, us []unit, files map[string][]byte) error {
	app := &application{
		TypeMeta:   metav1.TypeMeta{APIVersion: oamAPIVersion, Kind: "Application"},
		ObjectMeta: metav1.ObjectMeta{Name: b.opts.PartOf, Labels: b.labels(b.opts.PartOf, "application")},
	}
	for _, u := range us {
		app.Spec.Components = append(app.Spec.Components, b.oamComponent(i, u, us))
	}
	data, err := b.encode(app)
	if err != nil {
		return err
	}
	files["oam/application.yaml"] = data
	return b.addKustomization(files, "oam/kustomization.yaml", []string{"application.yaml"})
}

// oamComponent describes unit u from the same Pod spec its Deployment has.
func (b *builder) oamComponent(i int, u unit, us []unit) oamComponent {
	pod := b.podSpec(i, u, us)
	containers := append(append([]corev1.Container{}, pod.Containers...), pod.InitContainers...)
	main := containers[0]
	comp := oamComponent{Name: u.name, Type: "worker", Properties: oamProperties{
		Image:  main.Image,
		CPU:    quantity(main.Resources.Requests, corev1.ResourceCPU),
		Memory: quantity(main.Resources.Requests, corev1.ResourceMemory),
		Env:    oamEnvs(main.Env),
	}}
	for _, p := range main.Ports {
		comp.Type = "webservice"
		comp.Properties.Ports = append(comp.Properties.Ports, oamPort{Port: int(p.ContainerPort), Expose: true})
	}
	comp.Properties.ReadinessProbe = oamProbeOf(main.ReadinessProbe)
	comp.Properties.LivenessProbe = oamProbeOf(main.LivenessProbe)
	for _, m := range main.VolumeMounts {
		if m.Name != tmpVolume {
			if comp.Properties.VolumeMounts == nil {
				comp.Properties.VolumeMounts = &oamVolumeMounts{}
			}
			comp.Properties.VolumeMounts.EmptyDir = append(comp.Properties.VolumeMounts.EmptyDir, oamEmptyDir{Name: m.Name, MountPath: m.MountPath})
		}
	}
	for _, c := range containers[1:] {
		comp.Traits = append(comp.Traits, oamTrait{Type: "sidecar", Properties: oamSidecarOf(c)})
	}
	switch b.opts.Mesh {
	case MeshIstio:
		comp.Traits = append(comp.Traits, oamTrait{Type: "labels", Properties: map[string]string{istioInject: "true"}})
	case MeshLinkerd:
		comp.Traits = append(comp.Traits, oamTrait{Type: "annotations", Properties: map[string]string{linkerdInject: "enabled"}})
	}
	return comp
}

func oamSidecarOf(c corev1.Container) oamSidecar {
	s := oamSidecar{Name: c.Name, Image: c.Image, Env: oamEnvs(c.Env)}
	for _, m := range c.VolumeMounts {
		if m.Name != tmpVolume {
			s.Volumes = append(s.Volumes, oamVolume{Name: m.Name, Path: m.MountPath})
		}
	}
	return s
}

func oamEnvs(env []corev1.EnvVar) []oamEnv {
	var out []oamEnv
	for _, e := range env {
		out = append(out, oamEnv{Name: e.Name, Value: e.Value})
	}
	return out
}

func oamProbeOf(p *corev1.Probe) *oamProbe {
	if p == nil {
		return nil
	}
	out := &oamProbe{PeriodSeconds: p.PeriodSeconds, FailureThreshold: p.FailureThreshold}
	if h := p.HTTPGet; h != nil {
		out.HTTPGet = &oamHTTPGet{Path: h.Path, Port: h.Port.IntVal}
	}
	if g := p.GRPC; g != nil {
		out.GRPC = &oamGRPC{Port: g.Port}
	}
	return out
}

func quantity(l corev1.ResourceList, name corev1.ResourceName) string {
	q, ok := l[name]
	if !ok {
		return ""
	}
	return q.String()
}
