package manifest

import (
	"slices"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/podsplit/podsplit/graph"
)

// A netPort is a port a unit accepts network connections on.
type netPort struct {
	port int
	box  string // the container that listens on it
	// created marks the port of a unit that other units call but that
	// listens nowhere yet: the step that extracts it must make it listen.
	created bool
}

// createdPort is the port given to a unit that must start listening.
const createdPort = 8080

// ports returns the unit's network ports, sorted: the plan's, or else the
// TCP listeners of its components, or else, for a browser application,
// the port its web server serves it on. Loopback ports are pod links, not
// network ports, and stay out.
func (b *builder) ports(u unit) []netPort {
	if out, ok := b.portsOf[u.svc]; ok {
		return out
	}
	out := b.findPorts(u)
	b.portsOf[u.svc] = out
	return out
}

// findPorts computes ports for a unit the memo has not seen.
func (b *builder) findPorts(u unit) []netPort {
	loopback := map[int]bool{}
	listeners := map[int]string{}
	for _, bx := range u.boxes() {
		for _, l := range links(bx) {
			if p := l.loopbackPort(); p > 0 {
				loopback[p] = true
			}
		}
		for _, id := range bx.c.Components {
			c := b.comps[id]
			if c == nil {
				continue
			}
			for _, l := range c.Listens {
				p, lb := tcpPort(l)
				if p > 0 && !lb && listeners[p] == "" {
					listeners[p] = bx.name
				}
			}
		}
	}
	nums := slices.Clone(u.svc.Ports)
	if len(nums) == 0 {
		for p := range listeners {
			nums = append(nums, p)
		}
	}
	slices.Sort(nums)
	var out []netPort
	for _, p := range slices.Compact(nums) {
		if p <= 0 || p > 65535 || loopback[p] {
			continue
		}
		owner := listeners[p]
		if owner == "" {
			owner = u.main.name
		}
		out = append(out, netPort{port: p, box: owner})
	}
	if len(out) == 0 && b.programOf(u.main.c).site {
		out = append(out, netPort{port: sitePort, box: u.main.name})
	}
	if len(out) == 0 && b.calledFromOutside(u) {
		out = append(out, netPort{port: createdPort, box: u.main.name, created: true})
	}
	return out
}

// calledFromOutside reports whether code deployed elsewhere calls into u:
// an edge into u from a component that is neither in u nor a library,
// which is linked into u itself.
func (b *builder) calledFromOutside(u unit) bool {
	key := strings.Join(sortedKeys(u.comps), "\x00")
	if v, ok := b.outside[key]; ok {
		return v
	}
	called := false
	for _, e := range b.p.Edges {
		if e.Kind == graph.KindState || e.Kind == graph.KindData || !u.comps[e.To] || u.comps[e.From] {
			continue
		}
		if c := b.comps[e.From]; c != nil && c.Role == graph.RoleLibrary || b.libs[e.From] {
			continue
		}
		called = true
		break
	}
	b.outside[key] = called
	return called
}

// tcpPort parses "tcp:8080", "tcp::8080" or "tcp:HOST:8080" and tells
// whether HOST is a loopback address.
func tcpPort(s string) (port int, loopback bool) {
	rest, ok := strings.CutPrefix(s, "tcp:")
	if !ok {
		return 0, false
	}
	host := ""
	if i := strings.LastIndexByte(rest, ':'); i >= 0 {
		host, rest = rest[:i], rest[i+1:]
	}
	p, err := strconv.Atoi(rest)
	if err != nil {
		return 0, false
	}
	host = strings.Trim(host, "[]")
	return p, host == "localhost" || host == "::1" || strings.HasPrefix(host, "127.")
}

func containerPorts(bx box, ports []netPort) []corev1.ContainerPort {
	var out []corev1.ContainerPort
	for _, p := range ports {
		if p.box == bx.name {
			out = append(out, corev1.ContainerPort{ContainerPort: int32(p.port), Protocol: corev1.ProtocolTCP})
		}
	}
	return out
}

// A probe checks a detected health route: an HTTP path, or the standard
// gRPC health service.
type probe struct {
	box  string
	port int
	path string // "" for gRPC
}

// probe returns the unit's health check, or nil when no health route was
// detected or no port serves it.
func (b *builder) probe(u unit, ports []netPort) *probe {
	if len(ports) == 0 {
		return nil
	}
	health, box := u.svc.Health, ""
	if health == "" {
		health, box = b.componentHealth(u)
	}
	if health == "" {
		return nil
	}
	port := ports[0]
	if i := slices.IndexFunc(ports, func(p netPort) bool { return p.box == box }); i >= 0 {
		port = ports[i]
	}
	pr := &probe{box: port.box, port: port.port, path: health}
	if health == "grpc" {
		pr.path = ""
	}
	return pr
}

// componentHealth finds a health route served by one of the unit's
// components, preferring the main container; the web server of a browser
// application answers on "/".
func (b *builder) componentHealth(u unit) (health, box string) {
	for _, bx := range u.boxes() {
		for _, id := range bx.c.Components {
			if c := b.comps[id]; c != nil && c.Health != "" {
				return c.Health, bx.name
			}
		}
	}
	if b.programOf(u.main.c).site {
		return "/", u.main.name
	}
	return "", ""
}

func (p *probe) handler() corev1.ProbeHandler {
	if p.path == "" {
		// The empty service name asks for the health of the whole server.
		return corev1.ProbeHandler{GRPC: &corev1.GRPCAction{Port: int32(p.port), Service: ptr("")}}
	}
	return corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: p.path, Port: intstr.FromInt32(int32(p.port))}}
}

func (p *probe) readiness() *corev1.Probe {
	return &corev1.Probe{ProbeHandler: p.handler(), PeriodSeconds: 10, FailureThreshold: 3}
}

// liveness restarts a container only after a longer failure than readiness
// tolerates, so that a slow dependency does not cause restart loops.
func (p *probe) liveness() *corev1.Probe {
	return &corev1.Probe{ProbeHandler: p.handler(), PeriodSeconds: 20, FailureThreshold: 6}
}
