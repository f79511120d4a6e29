package manifest

import (
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
)

// tmpVolume gives every container a writable /tmp, which a read-only root
// file system otherwise lacks; each container mounts its own subdirectory.
const tmpVolume = "tmp"

// A link is a parsed pod-tier link of a container. The plan writes links
// as "network:address": "unix:/var/run/shop/notify.sock",
// "tcp:127.0.0.1:9000", "file:/var/lib/shop/export.csv"; a loopback link the
// split must create is "tcp:127.0.0.1 (new, to NAME)", NAME being the last
// element of the component at the other end.
type link struct {
	network, addr string
	newTo         string // for a link to be made: the component it leads to
}

var newLink = regexp.MustCompile(`^tcp:(?:127\.0\.0\.1|localhost)? *\(new, to ([^)]+)\)$`)

func parseLink(s string) link {
	if m := newLink.FindStringSubmatch(s); m != nil {
		return link{network: "tcp", newTo: m[1]}
	}
	network, addr, _ := strings.Cut(s, ":")
	if network == "tcp" {
		// A listener on every interface ("tcp:8080", "tcp::8080",
		// "tcp:0.0.0.0:8080") is reached on loopback by its peers.
		host, port, ok := strings.Cut(addr, ":")
		if !ok {
			host, port = "", addr
		}
		if host == "" || host == "0.0.0.0" {
			addr = "127.0.0.1:" + port
		}
	}
	return link{network: network, addr: addr}
}

func (l link) String() string { return l.network + ":" + l.addr }

// dir returns the directory a link's peers must share, or "" when there is
// none: the link is not a socket or file, its path is relative (or an
// abstract socket, "@name"), or it lies in the root directory, which no
// volume can replace.
func (l link) dir() string {
	if (l.network != "unix" && l.network != "file") || !path.IsAbs(l.addr) {
		return ""
	}
	if d := path.Dir(path.Clean(l.addr)); d != "/" {
		return d
	}
	return ""
}

// loopbackPort returns the port of a loopback TCP link, or 0.
func (l link) loopbackPort() int {
	if l.network != "tcp" {
		return 0
	}
	host, port, ok := strings.Cut(l.addr, ":")
	p, err := strconv.Atoi(port)
	if !ok || err != nil || (host != "127.0.0.1" && host != "localhost") {
		return 0
	}
	return p
}

func links(bx box) []link {
	out := make([]link, 0, len(bx.c.Links))
	for _, s := range bx.c.Links {
		out = append(out, parseLink(s))
	}
	return out
}

// ipcVolume names the emptyDir shared by the containers whose sockets or
// files live in dir.
func ipcVolume(dir string) string { return dnsLabel("ipc-"+dir, maxLabel) }

// linkDirs lists the shared directories of a container's links, sorted.
func linkDirs(bx box) []string {
	var dirs []string
	for _, l := range links(bx) {
		if d := l.dir(); d != "" && !slices.Contains(dirs, d) {
			dirs = append(dirs, d)
		}
	}
	slices.Sort(dirs)
	return dirs
}

// volumes are the Pod's volumes: /tmp, and one emptyDir per shared
// directory, so that a socket or file one container creates is seen by its
// peers.
func volumes(u unit) []corev1.Volume {
	vols := []corev1.Volume{emptyDir(tmpVolume)}
	var dirs []string
	for _, bx := range u.boxes() {
		for _, d := range linkDirs(bx) {
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

// mounts gives a container its /tmp and its shared directories; a shared
// directory that is /tmp itself replaces the private one.
func mounts(bx box) []corev1.VolumeMount {
	var ms []corev1.VolumeMount
	dirs := linkDirs(bx)
	if !slices.Contains(dirs, "/tmp") {
		ms = append(ms, corev1.VolumeMount{Name: tmpVolume, MountPath: "/tmp", SubPath: bx.name})
	}
	for _, d := range dirs {
		ms = append(ms, corev1.VolumeMount{Name: ipcVolume(d), MountPath: d})
	}
	return ms
}
