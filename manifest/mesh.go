package manifest

import (
	"slices"
	"strconv"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// retryOn lists the failures a mesh retries, per protocol: those where the
// server cannot have acted on the request, and HTTP server errors.
var retryOn = map[string]string{
	protoHTTP: "5xx,reset,connect-failure,refused-stream",
	protoGRPC: "reset,connect-failure,refused-stream,unavailable,cancelled,resource-exhausted",
	"":        "5xx,reset,connect-failure,refused-stream",
}

// meshActive reports whether governance objects belong in step index i.
func (b *builder) meshActive(i int) bool {
	return b.opts.Mesh != MeshNone && i >= b.meshFrom
}

// istioObjects builds the VirtualService and DestinationRule that carry the
// unit's governance at step index i, if any.
func (b *builder) istioObjects(i int, u unit, p policy) []object {
	ports := b.ports(u)
	if b.opts.Mesh != MeshIstio || !b.meshActive(i) || len(ports) == 0 {
		return nil
	}
	proto := b.protocol(u)
	var out []object
	// Istio applies HTTP routes to HTTP and gRPC traffic only; retries and
	// timeouts of plain TCP stay in the code.
	if (p.has(concernRetry) || p.has(concernTimeout)) && proto != protoTCP {
		out = append(out, object{kind: "VirtualService", name: u.name, v: b.virtualService(u, p, proto, ports)})
	}
	if p.has(concernBreaker) || p.has(concernRateLimit) {
		out = append(out, object{kind: "DestinationRule", name: u.name, v: b.destinationRule(u, p)})
	}
	return out
}

func (b *builder) virtualService(u unit, p policy, proto string, ports []netPort) *virtualService {
	vs := &virtualService{
		TypeMeta:   metav1.TypeMeta{APIVersion: istioNetworking, Kind: "VirtualService"},
		ObjectMeta: metav1.ObjectMeta{Name: u.name, Labels: b.labels(u.name, "mesh-policy")},
		Spec:       virtualServiceSpec{Hosts: []string{u.name}},
	}
	for _, port := range ports {
		r := httpRoute{
			Name:  portName(proto, port.port, len(ports)),
			Route: []httpRouteDestination{{Destination: destination{Host: u.name, Port: &portSelector{Number: uint32(port.port)}}}},
		}
		if len(ports) > 1 {
			r.Match = []httpMatchRequest{{Port: uint32(port.port)}}
		}
		if p.has(concernTimeout) {
			r.Timeout = p.timeout
		}
		if p.has(concernRetry) {
			r.Retries = &httpRetry{Attempts: int32(p.retries), PerTryTimeout: p.perTry, RetryOn: retryOn[proto]}
		}
		vs.Spec.HTTP = append(vs.Spec.HTTP, r)
	}
	return vs
}

func (b *builder) destinationRule(u unit, p policy) *destinationRule {
	tp := &trafficPolicy{}
	if p.has(concernBreaker) {
		tp.OutlierDetection = &outlierDetection{
			Consecutive5xxErrors: uint32(p.breakerErrors),
			Interval:             p.breakerInterval,
			BaseEjectionTime:     p.ejectionTime,
		}
	}
	if p.has(concernRateLimit) {
		tp.ConnectionPool = &connectionPoolSettings{
			TCP:  &tcpSettings{MaxConnections: int32(p.maxConns)},
			HTTP: &httpSettings{HTTP1MaxPendingRequests: int32(p.maxPending), HTTP2MaxRequests: int32(p.maxReqs)},
		}
	}
	return &destinationRule{
		TypeMeta:   metav1.TypeMeta{APIVersion: istioNetworking, Kind: "DestinationRule"},
		ObjectMeta: metav1.ObjectMeta{Name: u.name, Labels: b.labels(u.name, "mesh-policy")},
		Spec:       destinationRuleSpec{Host: u.name, TrafficPolicy: tp},
	}
}

// linkerdAnnotations carry the unit's governance on its Service, where
// Linkerd 2.16 and later read retries, timeouts and failure accrual.
// Linkerd has no per-Service connection limit: rate limits stay in code.
func (b *builder) linkerdAnnotations(i int, u unit, p policy, proto string) map[string]string {
	if b.opts.Mesh != MeshLinkerd || !b.meshActive(i) {
		return nil
	}
	a := map[string]string{}
	if p.has(concernRetry) {
		if proto == protoGRPC {
			a["retry.linkerd.io/grpc"] = "cancelled,deadline-exceeded,internal,resource-exhausted,unavailable"
		} else {
			a["retry.linkerd.io/http"] = "5xx"
		}
		a["retry.linkerd.io/limit"] = strconv.Itoa(p.retries)
		a["retry.linkerd.io/timeout"] = p.perTry
	}
	if p.has(concernTimeout) {
		a["timeout.linkerd.io/request"] = p.timeout
	}
	if p.has(concernBreaker) {
		a["balancer.linkerd.io/failure-accrual"] = "consecutive"
		a["balancer.linkerd.io/failure-accrual-consecutive-max-failures"] = strconv.Itoa(p.breakerErrors)
		a["balancer.linkerd.io/failure-accrual-consecutive-min-penalty"] = p.ejectionTime
	}
	if len(a) == 0 {
		return nil
	}
	return a
}

// keptInCode lists the unit's governance concerns that stay in the code at
// step index i, because no mesh object takes them over there.
func (b *builder) keptInCode(i int, u unit, p policy) []string {
	if !b.meshActive(i) {
		return sortedUnion(p.concerns, p.kept)
	}
	kept := append([]string{}, p.kept...)
	proto := b.protocol(u)
	for _, c := range p.concerns {
		tcpOnly := (c == concernRetry || c == concernTimeout) && proto == protoTCP && b.opts.Mesh == MeshIstio
		if tcpOnly || (c == concernRateLimit && b.opts.Mesh == MeshLinkerd) || len(b.ports(u)) == 0 {
			kept = append(kept, c)
		}
	}
	return sortedUnion(kept, nil)
}

func sortedUnion(a, b []string) []string {
	out := append(append([]string{}, a...), b...)
	slices.Sort(out)
	return slices.Compact(out)
}
