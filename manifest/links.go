package manifest

import (
	"path"
	"slices"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
)

// tmpVolume gives every container a writable /tmp, which a read-only root
// file system otherwise lacks; each container mounts its own subdirectory.
const tmpVolume = "tmp"

// socketDir returns the directory of a Unix-socket link, or "" when there
// is none to share: the link is not a socket, its path is relative (or
// abstract, "@name"), or it lies in the root directory, which no volume
// can replace.
func socketDir(link string) string {
	p, ok := strings.CutPrefix(link, "unix:")
	if !ok || !path.IsAbs(p) {
		return ""
	}
	if d := path.Dir(path.Clean(p)); d != "/" {
		return d
	}
	return ""
}

// ipcVolume names the emptyDir shared by the containers whose sockets live
// in dir.
func ipcVolume(dir string) string { return dnsLabel("ipc-"+dir, maxLabel) }

// socketDirs lists the socket directories of a container's links, sorted.
func socketDirs(bx box) []string {
	var dirs []string
	for _, l := range bx.c.Links {
		if d := socketDir(l); d != "" && !slices.Contains(dirs, d) {
			dirs = append(dirs, d)
		}
	}
	slices.Sort(dirs)
	return dirs
}

// volumes are the Pod's volumes: /tmp, and one emptyDir per socket
// directory, so that a socket one container creates is seen by its peers.
func volumes(u unit) []corev1.Volume {
	vols := []corev1.Volume{emptyDir(tmpVolume)}
	var dirs []string
	for _, bx := range u.boxes() {
		for _, d := range socketDirs(bx) {
			if !slices.Contains(dirs, d) {
				dirs = append(dirs, d)
			}
		}
	}
	slices.Sort(dirs)
	for _, d := range dirs {
		vols = append(vols, emptyDir(ipcVolume(d)))
	}
	return vols
}

func emptyDir(name string) corev1.Volume {
	return corev1.Volume{Name: name, VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}}
}

// mounts gives a container its /tmp and its socket directories; a socket
// directory that is /tmp itself replaces the private one.
func mounts(bx box) []corev1.VolumeMount {
	var ms []corev1.VolumeMount
	dirs := socketDirs(bx)
	if !slices.Contains(dirs, "/tmp") {
		ms = append(ms, corev1.VolumeMount{Name: tmpVolume, MountPath: "/tmp", SubPath: bx.name})
	}
	for _, d := range dirs {
		ms = append(ms, corev1.VolumeMount{Name: ipcVolume(d), MountPath: d})
	}
	return ms
}

// env names the address of every peer the container talks to: the other
// containers of its Pod it shares a link with, and the units it calls over
// the network.
func (b *builder) env(u unit, bx box, all []unit) []corev1.EnvVar {
	vars := map[string]string{}
	for _, peer := range u.boxes() {
		if peer.name == bx.name {
			continue
		}
		if link := b.linkTo(bx, peer); link != "" {
			vars[envName(peer.name)] = link
		}
	}
	for _, t := range all {
		if t.name == u.name {
			continue
		}
		ports := b.ports(t)
		if len(ports) == 0 || !b.talks(bx.c.Components, slicesOf(t.comps)) {
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

// linkTo returns the link over which bx reaches peer, or "" when they share
// none or bx only serves it. The side that listens on the link's address
// serves it; without listener evidence, call edges decide, and when those
// are silent too both sides get the address.
func (b *builder) linkTo(bx, peer box) string {
	for _, l := range bx.c.Links {
		if !slices.Contains(peer.c.Links, l) {
			continue
		}
		switch {
		case b.listens(bx, l):
			continue
		case b.listens(peer, l):
			return l
		case b.talks(bx.c.Components, peer.c.Components) || !b.talks(peer.c.Components, bx.c.Components):
			return l
		}
	}
	return ""
}

// listens reports whether a component of bx accepts connections on link.
func (b *builder) listens(bx box, link string) bool {
	for _, id := range bx.c.Components {
		if c := b.comps[id]; c != nil && slices.Contains(c.Listens, link) {
			return true
		}
	}
	return false
}

func slicesOf(set map[string]bool) []string { return sortedKeys(set) }

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
