package manifest

import (
	"slices"
	"strconv"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// Application protocols of a unit's ports. An empty protocol leaves the
// port unnamed by protocol, so that a mesh detects it from the traffic.
const (
	protoHTTP = "http"
	protoGRPC = "grpc"
	protoTCP  = "tcp"
)

// protocol infers the application protocol of the unit's ports from the
// RPC edges that reach it and its health route.
func (b *builder) protocol(u unit) string {
	mechs := b.inbound(u)
	health := u.svc.Health
	if health == "" {
		health, _ = b.componentHealth(u)
	}
	http := slices.Contains(mechs, "http")
	grpc := slices.Contains(mechs, "grpc") || health == "grpc"
	switch {
	case grpc && !http:
		return protoGRPC
	case http && !grpc, !grpc && health != "":
		return protoHTTP
	case !http && !grpc && len(mechs) > 0:
		return protoTCP
	}
	return ""
}

// service builds the Service of a unit that accepts network connections,
// or returns nil.
func (b *builder) service(i int, u unit, p policy) *corev1.Service {
	ports := b.ports(u)
	if len(ports) == 0 {
		return nil
	}
	proto := b.protocol(u)
	svc := &corev1.Service{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Service"},
		ObjectMeta: metav1.ObjectMeta{Name: u.name, Labels: b.labels(u.name, u.role(b))},
		Spec: corev1.ServiceSpec{
			Selector: b.selector(u.name),
			Type:     corev1.ServiceTypeClusterIP,
		},
	}
	for _, p := range ports {
		sp := corev1.ServicePort{
			Name:       portName(proto, p.port, len(ports)),
			Port:       int32(p.port),
			TargetPort: intstr.FromInt32(int32(p.port)),
			Protocol:   corev1.ProtocolTCP,
		}
		if proto != "" {
			sp.AppProtocol = ptr(proto)
		}
		svc.Spec.Ports = append(svc.Spec.Ports, sp)
	}
	svc.Annotations = b.linkerdAnnotations(i, u, p, proto)
	return svc
}

// portName follows the "<protocol>[-<suffix>]" convention meshes read.
func portName(proto string, port, n int) string {
	if proto == "" {
		return "port-" + strconv.Itoa(port)
	}
	if n == 1 {
		return proto
	}
	return proto + "-" + strconv.Itoa(port)
}

// serviceAccount gives each unit its own identity, which mesh mTLS and
// authorization policies name; it carries no API token.
func (b *builder) serviceAccount(u unit) *corev1.ServiceAccount {
	return &corev1.ServiceAccount{
		TypeMeta:                     metav1.TypeMeta{APIVersion: "v1", Kind: "ServiceAccount"},
		ObjectMeta:                   metav1.ObjectMeta{Name: u.name, Labels: b.labels(u.name, u.role(b))},
		AutomountServiceAccountToken: ptr(false),
	}
}
