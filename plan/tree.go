package plan

import (
	"path"
	"slices"
	"strings"

	"github.com/podsplit/podsplit/graph"
)

// The package tree is the strongest prior on how engineers split a system:
// the directory a part lives in usually names the domain it belongs to.
// domains finds, for every component, its domain directory: walking down
// from the repository root, the first directory that is not a mere
// container. A container is a directory that only groups its children: one
// with no package of its own whose several children are parts of the system
// (internal/{orders,users}, services/{geo,rate}, go/vt/{vtgate,vttablet}),
// or one whose name says so (cmd, pkg, libs, …) whatever it holds. A
// directory with no package of its own whose children are mostly the layers
// of one part (orders/{domain,adapters,ports}, internal/{handler,service,
// repository}) is that part's domain, not a container.
type tree struct {
	own  map[string]bool // directories holding a component
	main map[string]bool // directories holding a main package
	// base is the analysed root: the deepest directory holding every
	// analysed component ("" for the repository), when patterns narrow
	// the scan to a subtree (./examples/hotrod/...).
	base string
	// sharedApart is set when business code lives outside the shared
	// containers, which then hold code put apart to be shared.
	sharedApart bool

	children map[string]map[string]bool // directory → child names on the way to components
	// containers memoises container, which walks a directory's subtree:
	// filled once own, main and base are set, which newFacts does first.
	containers map[string]bool
}

// alwaysContainers hold unrelated parts by convention.
var alwaysContainers = set("cmd", "cmds", "pkg", "pkgs", "src", "lib", "libs", "shared", "common", "platform", "third_party", "vendor", "tools", "contrib", "examples", "plugins", "ext")

// layerNames are the usual names of the layers and technical parts of one
// domain; a directory whose children mostly carry them is one domain.
var layerNames = set(
	"adapter", "adapters", "api", "apis", "app", "application", "biz", "cache", "client", "clients", "cmd",
	"command", "commands", "common", "conf", "config", "configs", "controller", "controllers", "core", "dao",
	"data", "database", "db", "delivery", "domain", "dto", "endpoint", "endpoints", "entity", "entities",
	"event", "events", "gen", "generated", "grpc", "handler", "handlers", "helper", "helpers", "http",
	"infra", "infrastructure", "internal", "jobs", "logic", "middleware", "middlewares", "migrations", "mock",
	"mocks", "model", "models", "pb", "persistence", "pkg", "port", "ports", "proto", "protos", "query",
	"repo", "repos", "repositories", "repository", "rest", "route", "router", "routes", "schema",
	"server", "service", "services", "storage", "store", "stores", "svc", "test", "testing", "testutil",
	"transport", "types", "usecase", "usecases", "util", "utils", "view", "views", "web", "worker",
)

func set(names ...string) map[string]bool {
	m := map[string]bool{}
	for _, n := range names {
		m[n] = true
	}
	return m
}

// dirOf is the repository-relative directory of a component, "" for the root.
func dirOf(g *graph.Graph, c *graph.Component) string {
	d := strings.Trim(c.Dir, "/")
	if d == "." {
		d = ""
	}
	if d == "" && c.Dir == "" && c.ID != g.Module {
		if rest, ok := strings.CutPrefix(c.ID, g.Module+"/"); ok {
			d = rest
		} else if c.Language != "go" {
			d = c.Name
		}
	}
	return d
}

// key names the domain a directory belongs to across layer-first layouts:
// the domain directory without its layer and container segments, so that
// internal/handler/orders and internal/repository/orders are one domain,
// and cmd/orders joins it. The last segment always stays.
func key(domain string) string {
	if domain == "" {
		return ""
	}
	parts := strings.Split(domain, "/")
	var kept []string
	for _, p := range parts[:len(parts)-1] {
		if !layerNames[p] && !alwaysContainers[p] {
			kept = append(kept, p)
		}
	}
	return strings.Join(append(kept, parts[len(parts)-1]), "/")
}

func newTree(dirs []string) *tree {
	t := &tree{own: map[string]bool{}, main: map[string]bool{}, children: map[string]map[string]bool{}}
	for _, d := range dirs {
		t.own[d] = true
		for d != "" {
			parent := path.Dir(d)
			if parent == "." {
				parent = ""
			}
			if t.children[parent] == nil {
				t.children[parent] = map[string]bool{}
			}
			t.children[parent][path.Base(d)] = true
			d = parent
		}
	}
	return t
}

// container reports whether dir only groups its children. Children that
// are containers themselves (internal/{app/{orders,users}, pkg/…}) say
// nothing about whether dir is one domain, and are not counted.
func (t *tree) container(dir string) bool {
	if c, ok := t.containers[dir]; ok {
		return c
	}
	if t.containers == nil {
		t.containers = map[string]bool{}
	}
	c := t.isContainer(dir)
	t.containers[dir] = c
	return c
}

func (t *tree) isContainer(dir string) bool {
	if dir == "" || alwaysContainers[path.Base(dir)] || t.above(dir) {
		return true
	}
	if t.own[dir] && !t.programRoot(dir) && !t.hub(dir) {
		return false
	}
	parts, layers := 0, 0
	for k := range t.children[dir] {
		if t.container(dir + "/" + k) {
			continue
		}
		parts++
		if layerNames[k] {
			layers++
		}
	}
	return 2*layers < parts || parts == 0
}

// hub reports whether a directory with a package of its own is still a
// container: two or more of its children are subtrees of their own (they
// hold packages in directories below them) and are not layers. The package
// at the top is then a base its parts share (service/{frontend,history,
// matching}/… beside service/fx.go), not a domain holding its adapters
// (orders/{postgres,memory} beside orders/orders.go).
func (t *tree) hub(dir string) bool {
	n := 0
	for k := range t.children[dir] {
		if !layerNames[k] && len(t.children[dir+"/"+k]) > 0 {
			n++
		}
	}
	return n >= 2
}

// above reports whether dir is the analysed root or one of its parents,
// which group what was analysed as the repository root does.
func (t *tree) above(dir string) bool {
	return t.base != "" && (dir == t.base || strings.HasPrefix(t.base, dir+"/"))
}

// topLevel reports whether dir is a directory right below the analysed
// root (daemon, operator: where Cilium keeps each program and its own
// packages).
func (t *tree) topLevel(dir string) bool {
	rel, in := t.relative(dir)
	return in && rel != "" && !strings.Contains(rel, "/")
}

// underCmd reports whether dir lies below a cmd/ directory at the top of
// the analysed root, where Go projects file their programs' start-up.
func (t *tree) underCmd(dir string) bool {
	rel, in := t.relative(dir)
	return in && strings.HasPrefix(rel, "cmd/")
}

// relative returns dir relative to the analysed root ("" for the root
// itself), and whether dir lies at or below it; a directory elsewhere
// comes back as it is.
func (t *tree) relative(dir string) (string, bool) {
	if t.base == "" {
		return dir, true
	}
	if dir == t.base {
		return "", true
	}
	if rel, ok := strings.CutPrefix(dir, t.base+"/"); ok {
		return rel, true
	}
	return dir, false
}

// devTooling reports whether dir lies in development tooling below the
// analysed root (graph.DevTooling), or holds a main package in pkg/
// (graph.LibraryMain).
func (t *tree) devTooling(dir string) bool {
	rel, in := t.relative(dir)
	return in && (graph.DevTooling(rel) || t.main[dir] && graph.LibraryMain(rel))
}

// programRoot reports whether dir is the root of a program laid out like a
// repository of its own: its package is a main package, and it has a
// container among its children (examples/hotrod/{main.go, cmd/, pkg/,
// services/{customer,driver}}). Its main package is then no more a domain
// holding the subtree than a main package at the repository root is.
func (t *tree) programRoot(dir string) bool {
	if !t.main[dir] {
		return false
	}
	for k := range t.children[dir] {
		if t.container(dir + "/" + k) {
			return true
		}
	}
	return false
}

// domain returns the domain directory of a component directory. A domain
// reached through directories that each hold nothing but the next one
// (internal/orders/postgres, where orders holds only postgres) is named by
// the topmost of them: the subtree is the same, the name is the domain's.
func (t *tree) domain(dir string) string {
	if dir == "" {
		return ""
	}
	parts := strings.Split(dir, "/")
	for i := range parts {
		d := strings.Join(parts[:i+1], "/")
		if i == len(parts)-1 || !t.container(d) {
			return t.lift(d)
		}
	}
	return dir
}

// lift climbs from a domain directory through parents that have no
// package of their own, this one child, and no container name.
func (t *tree) lift(d string) string {
	for {
		parent := path.Dir(d)
		if parent == "." || parent == "" || t.own[parent] || len(t.children[parent]) != 1 || alwaysContainers[path.Base(parent)] {
			return d
		}
		d = parent
	}
}

// placeNames say where code sits, not what it is about; roleNames say
// what a program does. A service is named after neither when anything
// better is at hand.
var (
	placeNames = set("bin", "cmd", "cmds", "common", "core", "go", "internal", "lib", "libs", "main",
		"pkg", "pkgs", "shared", "src", "app", "apps")
	roleNames = set("daemon", "server", "servers", "service", "services", "svc", "worker", "workers")
)

// domainName is the service name a domain directory suggests: its base
// name, or the module's for the root and for directory names that only
// say where code sits.
func domainName(module, dir string) string {
	dir = unversioned(dir)
	base := path.Base(dir)
	if stem, v, ok := strings.Cut(base, "."); ok && graph.IsVersion(v) && stem != "" {
		base = stem // controller.v1beta1 is a controller
	}
	if dir == "" || dir == "." || placeNames[base] {
		base = ProjectName(module)
	}
	return base
}

// unversioned drops the version elements ending a directory:
// pkg/frontend/v1 is a frontend, cmd/db-manager/v1beta1 the db-manager.
func unversioned(dir string) string {
	for dir != "" && dir != "." && graph.IsVersion(path.Base(dir)) {
		dir = path.Dir(dir)
	}
	return dir
}

// sameName reports whether two names call the same thing, loosely: equal
// once lower-cased, stripped of separators and of suffixes such as
// "-service", "svc", "server" or a daemon's "d", or one a plural of the
// other, or sharing a long common prefix (notifyd, notifications).
func sameName(a, b string) bool {
	a, b = normName(a), normName(b)
	if a == "" || b == "" {
		return false
	}
	if a == b || a+"s" == b || b+"s" == a {
		return true
	}
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n >= 5 && 5*n >= 4*min(len(a), len(b))
}

func normName(s string) string {
	s = strings.ToLower(path.Base(s))
	s = strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
	for _, suffix := range []string{"microservice", "service", "server", "daemon", "worker", "svc", "srv", "api", "app", "cmd"} {
		if t, ok := strings.CutSuffix(s, suffix); ok && len(t) >= 3 {
			s = t
			break
		}
	}
	if len(s) > 4 && strings.HasSuffix(s, "d") && !strings.HasSuffix(s, "ed") {
		s = s[:len(s)-1]
	}
	return s
}

func sortedSet(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
