package manifest

import (
	"hash/fnv"
	"path"
	"slices"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
)

// Variables naming the address a container must listen on for links the
// split creates: a loopback link from a container of its Pod, or the port
// of a unit that other units start calling over the network.
const (
	podListenVar = "POD_LISTEN_ADDR"
	netListenVar = "LISTEN_ADDR"
)

// Loopback links the split creates get a port in [newPortBase,
// newPortBase+newPorts), chosen from the listening container's name so
// that it stays the same from step to step.
const (
	newPortBase = 10000
	newPorts    = 10000
)

// env names the address of every peer the container talks to: the other
// containers of its Pod it shares a link with, and the units it calls over
// the network; and, when the split creates a loopback link to it, the
// address it must listen on.
func (b *builder) env(u unit, bx box, all []unit) []corev1.EnvVar {
	vars := map[string]string{}
	if addr := b.listenAddr(u, bx); addr != "" {
		vars[podListenVar] = addr
	}
	for _, p := range b.ports(u) {
		if p.created && p.box == bx.name {
			vars[netListenVar] = "tcp::" + strconv.Itoa(p.port)
		}
	}
	for _, peer := range u.boxes() {
		if peer.name == bx.name {
			continue
		}
		if addr := b.linkTo(u, bx, peer); addr != "" {
			vars[envName(peer.name)] = addr
		}
	}
	for _, t := range all {
		if t.name == u.name {
			continue
		}
		ports := b.ports(t)
		if len(ports) == 0 || !b.talks(bx.c.Components, sortedKeys(t.comps)) {
			continue
		}
		if _, taken := vars[envName(t.name)]; !taken {
			vars[envName(t.name)] = "tcp:" + t.name + ":" + strconv.Itoa(ports[0].port)
		}
	}
	var env []corev1.EnvVar
	for _, k := range sortedKeys(vars) {
		env = append(env, corev1.EnvVar{Name: k, Value: vars[k]})
	}
	return env
}

// linkTo returns the address at which bx reaches peer, or "" when they
// share no link or bx only serves it. The side that listens on a link's
// address serves it; without listener evidence call edges decide, and when
// those are silent too both sides get the address.
func (b *builder) linkTo(u unit, bx, peer box) string {
	for _, l := range links(bx) {
		switch {
		case l.newTo != "":
			if hasComponent(peer, l.newTo) && b.reaches(bx, peer) {
				return "tcp:127.0.0.1:" + strconv.Itoa(b.newPort(u, peer.name))
			}
		case slices.ContainsFunc(links(peer), func(o link) bool { return o == l }):
			switch {
			case b.listens(bx, l):
			case b.listens(peer, l) || b.reaches(bx, peer):
				return l.String()
			}
		}
	}
	return ""
}

// reaches reports whether bx may be the calling side towards peer: it calls
// peer, or neither is known to call the other.
func (b *builder) reaches(bx, peer box) bool {
	return b.talks(bx.c.Components, peer.c.Components) || !b.talks(peer.c.Components, bx.c.Components)
}

// listenAddr returns the loopback address bx must listen on for a link the
// split creates, or "".
func (b *builder) listenAddr(u unit, bx box) string {
	for _, peer := range u.boxes() {
		if peer.name == bx.name {
			continue
		}
		for _, l := range links(peer) {
			if l.newTo != "" && hasComponent(bx, l.newTo) && b.reaches(peer, bx) {
				return "tcp:127.0.0.1:" + strconv.Itoa(b.newPort(u, bx.name))
			}
		}
	}
	return ""
}

// listens reports whether a component of bx accepts connections on l.
func (b *builder) listens(bx box, l link) bool {
	for _, id := range bx.c.Components {
		if c := b.comps[id]; c != nil && slices.ContainsFunc(c.Listens, func(s string) bool { return parseLink(s) == l }) {
			return true
		}
	}
	return false
}

// hasComponent reports whether bx holds a component whose last path
// element is name.
func hasComponent(bx box, name string) bool {
	return slices.ContainsFunc(bx.c.Components, func(id string) bool { return path.Base(id) == name })
}

// newPort returns the port container listens on for links the split
// creates in unit u: a hash of its name, moved on past ports the Pod
// already uses.
func (b *builder) newPort(u unit, container string) int {
	taken := map[int]bool{}
	for _, p := range b.ports(u) {
		taken[p.port] = true
	}
	for _, bx := range u.boxes() {
		for _, l := range links(bx) {
			if p := l.loopbackPort(); p > 0 {
				taken[p] = true
			}
		}
	}
	boxes := u.boxes()
	slices.SortFunc(boxes, func(a, b box) int { return strings.Compare(a.name, b.name) })
	for _, bx := range boxes {
		h := fnv.New32a()
		h.Write([]byte(bx.name))
		p := newPortBase + int(h.Sum32()%newPorts)
		for taken[p] {
			p = newPortBase + (p-newPortBase+1)%newPorts
		}
		taken[p] = true
		if bx.name == container {
			return p
		}
	}
	return 0
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
