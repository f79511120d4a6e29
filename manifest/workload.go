package manifest

import (
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Annotations and labels that mesh injection and tooling read.
const (
	istioInject      = "sidecar.istio.io/inject"
	linkerdInject    = "linkerd.io/inject"
	defaultContainer = "kubectl.kubernetes.io/default-container"
)

// deployment builds the Deployment of unit u at step index i.
func (b *builder) deployment(i int, u unit, all []unit) *appsv1.Deployment {
	podLabels := b.labels(u.name, u.role(b))
	annotations := map[string]string{defaultContainer: u.main.name}
	switch b.opts.Mesh {
	case MeshIstio:
		podLabels[istioInject] = "true"
	case MeshLinkerd:
		annotations[linkerdInject] = "enabled"
	}
	return &appsv1.Deployment{
		TypeMeta:   metav1.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"},
		ObjectMeta: metav1.ObjectMeta{Name: u.name, Labels: b.labels(u.name, u.role(b))},
		Spec: appsv1.DeploymentSpec{
			Selector: &metav1.LabelSelector{MatchLabels: b.selector(u.name)},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: podLabels, Annotations: annotations},
				Spec:       b.podSpec(i, u, all),
			},
		},
	}
}

// podSpec builds the Pod of unit u: the main container, its sidecars, the
// volumes their links need, and a hardened security context.
func (b *builder) podSpec(i int, u unit, all []unit) corev1.PodSpec {
	ports := b.ports(u)
	probe := b.probe(u, ports)
	res := b.resources(u)
	spec := corev1.PodSpec{
		ServiceAccountName:           u.name,
		AutomountServiceAccountToken: ptr(false),
		EnableServiceLinks:           ptr(false),
		SecurityContext:              podSecurity(),
		Volumes:                      volumes(u),
	}
	for _, bx := range u.boxes() {
		c := corev1.Container{
			Name:            bx.name,
			Image:           b.image(i, bx.name),
			ImagePullPolicy: corev1.PullIfNotPresent,
			Env:             b.env(u, bx, all),
			Ports:           containerPorts(bx, ports),
			Resources:       res[bx.name],
			VolumeMounts:    mounts(bx),
			SecurityContext: containerSecurity(),
		}
		if bx.c != nil && bx.c.Command != "" && bx.c.CommandOf == bx.c.Main {
			c.Args = []string{bx.c.Command} // the program runs the command it is given
		}
		if probe != nil && probe.box == bx.name {
			c.ReadinessProbe = probe.readiness()
			c.LivenessProbe = probe.liveness()
		}
		switch {
		case bx.name == u.main.name:
			spec.Containers = append([]corev1.Container{c}, spec.Containers...)
		case b.opts.Sidecars == SidecarsNative:
			c.RestartPolicy = ptr(corev1.ContainerRestartPolicyAlways)
			spec.InitContainers = append(spec.InitContainers, c)
		default:
			spec.Containers = append(spec.Containers, c)
		}
	}
	return spec
}

// role is the unit's app.kubernetes.io/component: "server" when it accepts
// network connections, "worker" otherwise.
func (u unit) role(b *builder) string {
	if len(b.ports(u)) > 0 {
		return "server"
	}
	return "worker"
}

func (b *builder) image(i int, container string) string {
	return b.opts.Registry + "/" + container + ":" + b.tags[i][container]
}

// uid is the non-root user every container runs as: the "nonroot" user of
// distroless images, which the generated Dockerfiles use.
const uid = 65532

func podSecurity() *corev1.PodSecurityContext {
	return &corev1.PodSecurityContext{
		RunAsNonRoot:   ptr(true),
		RunAsUser:      ptr(int64(uid)),
		RunAsGroup:     ptr(int64(uid)),
		FSGroup:        ptr(int64(uid)),
		SeccompProfile: &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault},
	}
}

func containerSecurity() *corev1.SecurityContext {
	return &corev1.SecurityContext{
		AllowPrivilegeEscalation: ptr(false),
		ReadOnlyRootFilesystem:   ptr(true),
		RunAsNonRoot:             ptr(true),
		Capabilities:             &corev1.Capabilities{Drop: []corev1.Capability{"ALL"}},
	}
}

func ptr[T any](v T) *T { return &v }
