package plan

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/podsplit/podsplit/graph"
)

// facts are what the planner knows of each component beyond the graph's
// own fields: its domain directory, whether it is a library for planning,
// and what boundary of its own it has.
type facts struct {
	domain   []string // domain directory (see tree)
	key      []string // the domain's identity across layer-first layouts (see key)
	entry    []bool
	lib      []bool
	libWhy   []string
	boundary []string // why the component stands on its own, "" if nothing does
}

// infraNames name technical parts shared across a system rather than a
// business domain; a top-level package so named and used by several domains
// is infrastructure, linked into each of them.
var infraNames = set(
	"auth", "cache", "clock", "codec", "config", "conf", "db", "dialer", "discovery", "encoding",
	"errors", "errs", "events", "grpcutil", "httputil", "log", "logger", "logging", "metrics",
	"middleware", "monitoring", "observability", "registry", "retry", "store", "storage", "telemetry",
	"tls", "tracing", "trace", "util", "utils", "validation", "version",
)

func newFacts(v *view, pinned map[int]bool) *facts {
	n := len(v.comps)
	f := &facts{domain: make([]string, n), key: make([]string, n), entry: make([]bool, n), lib: make([]bool, n),
		libWhy: make([]string, n), boundary: make([]string, n)}
	var dirs []string
	for _, c := range v.comps {
		dirs = append(dirs, dirOf(v.g, c))
	}
	t := newTree(dirs)
	for i, c := range v.comps {
		f.domain[i] = t.domain(dirs[i])
		f.key[i] = key(f.domain[i])
		f.entry[i] = c.Role == graph.RoleEntrypoint
		f.boundary[i] = boundaryOf(v, i)
	}
	f.findLibraries(v, pinned)
	return f
}

// boundaryOf says what makes a component a part of its own: mutable state
// of its own, a link it serves, or I/O it does itself (storage, an external
// API, a broker). Generated protobuf descriptors do not count as state.
func boundaryOf(v *view, i int) string {
	c := v.comps[i]
	var state []string
	for _, s := range c.MutableState {
		if !generatedState(s) {
			state = append(state, s)
		}
	}
	if len(state) > 0 {
		return "owns mutable state: " + strings.Join(firstN(state, 3), ", ")
	}
	for _, e := range v.in[i] {
		if e.Kind == graph.KindRPC || e.Kind == graph.KindIPC {
			return fmt.Sprintf("serves %s %s", e.Mechanism, e.Key)
		}
	}
	if len(c.IO) > 0 {
		return "does its own I/O: " + strings.Join(c.IO, ", ")
	}
	return ""
}

// generatedState recognises the package-level variables protoc-gen-go
// writes (File_x_proto, file_x_proto_rawDesc…).
func generatedState(v string) bool {
	_, name, _ := strings.Cut(v, ".")
	return strings.HasPrefix(name, "File_") || strings.HasPrefix(name, "file_") && strings.Contains(name, "_proto")
}

func firstN(s []string, n int) []string {
	if len(s) > n {
		return append(slices.Clone(s[:n]), "…")
	}
	return s
}

// findLibraries marks the components that are linked into every unit using
// them rather than placed in one. A library serves no link and keeps its
// state to itself: package-level variables no other component touches are
// duplicated harmlessly in every process that links it (a lock around
// printing, a lazily built table). It does no I/O, or it is governance code
// (until the mesh takes it over), or a technical package doing I/O for its
// callers (a database helper, a tracing setup, a Kafka producer, generated
// gRPC stubs) that lives apart from any business domain. It depends on
// nothing but other libraries, and it is used from two or more domains
// other than its own, or by another library, which carries it along. A
// component pinned by configuration is never a library.
//
// The libraries are the largest set meeting these conditions: start from
// every candidate and drop, until nothing changes, those depending on a
// non-library or no longer used widely enough.
func (f *facts) findLibraries(v *view, pinned map[int]bool) {
	for i, c := range v.comps {
		f.lib[i] = !pinned[i] && !f.entry[i] && v.module(i) && !servesOrShares(v, i) &&
			(len(c.IO) == 0 || c.Role == graph.RoleGovernance || technical(f.domain[i], dirOf(v.g, c)))
	}
	for changed := true; changed; {
		changed = false
		for i := range v.comps {
			if f.lib[i] && (!f.leaf(v, i) || len(f.foreignDomains(v, i)) < 2 && !f.usedByLibrary(v, i)) {
				f.lib[i], changed = false, true
			}
		}
	}
	for i, c := range v.comps {
		if !f.lib[i] {
			continue
		}
		users := strings.Join(f.foreignDomains(v, i), ", ")
		switch {
		case len(c.IO) == 0 && users == "":
			f.libWhy[i] = "no I/O, no state shared with others, needed by other libraries"
		case len(c.IO) == 0:
			f.libWhy[i] = "no I/O, no state shared with others, used by " + users
		case c.Role == graph.RoleGovernance:
			f.libWhy[i] = "governance code, used by " + users
		default:
			f.libWhy[i] = "shared technical package (I/O: " + strings.Join(c.IO, ", ") + "), used by " + users
		}
	}
}

// usedByLibrary reports whether a library depends on component i.
func (f *facts) usedByLibrary(v *view, i int) bool {
	for _, e := range v.in[i] {
		if v.isDep(e) && f.lib[v.index[e.From]] {
			return true
		}
	}
	return false
}

// servesOrShares reports whether other components reach component i other
// than by calling it: through its package-level state or a link it serves.
func servesOrShares(v *view, i int) bool {
	for _, e := range v.in[i] {
		if e.Kind == graph.KindState || e.Kind == graph.KindRPC || e.Kind == graph.KindIPC {
			return true
		}
	}
	return false
}

// leaf reports whether component i depends only on libraries.
func (f *facts) leaf(v *view, i int) bool {
	for _, e := range v.out[i] {
		if v.isDep(e) && !f.lib[v.index[e.To]] && v.module(v.index[e.To]) {
			return false
		}
	}
	return true
}

// foreignDomains lists the domains, other than i's own, of the components
// depending on i.
func (f *facts) foreignDomains(v *view, i int) []string {
	seen := map[string]bool{}
	for _, e := range v.in[i] {
		j := v.index[e.From]
		if v.isDep(e) && f.key[j] != f.key[i] && !f.lib[j] {
			seen[f.domain[j]] = true
		}
	}
	out := sortedSet(seen)
	for k, d := range out {
		if d == "" {
			out[k] = "(root)"
		}
	}
	return out
}

// technical reports whether a package lives apart from any business
// domain: its directory is its own top-level domain named like
// infrastructure or generated stubs, or it sits in a shared container.
func technical(domain, dir string) bool {
	base := path.Base(dir)
	if infraNames[base] || strings.HasSuffix(base, "pb") || strings.HasSuffix(base, "proto") || base == "gen" {
		return true
	}
	for _, part := range strings.Split(dir, "/") {
		if alwaysContainers[part] && part != "cmd" {
			return domain == dir
		}
	}
	return false
}
