package polyglot

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/podsplit/podsplit/analyzer/link"
	"github.com/podsplit/podsplit/graph"
)

// ioLibs maps imported client libraries to the kind of I/O using them means.
var ioLibs = []struct{ prefix, kind string }{
	{"requests", "http"}, {"httpx", "http"}, {"aiohttp", "http"}, {"urllib.request", "http"},
	{"java.net.http", "http"}, {"org.springframework.web.client", "http"}, {"okhttp3", "http"},
	{"axios", "http"}, {"node-fetch", "http"}, {"got", "http"},
	{"psycopg", "sql"}, {"psycopg2", "sql"}, {"pymysql", "sql"}, {"sqlite3", "sql"}, {"sqlalchemy", "sql"},
	{"asyncpg", "sql"}, {"django.db", "sql"}, {"java.sql", "sql"}, {"javax.persistence", "sql"},
	{"jakarta.persistence", "sql"}, {"org.springframework.jdbc", "sql"}, {"org.springframework.data.jpa", "sql"},
	{"pg", "sql"}, {"mysql2", "sql"}, {"better-sqlite3", "sql"}, {"knex", "sql"}, {"typeorm", "sql"},
	{"sequelize", "sql"}, {"@prisma/client", "sql"},
	{"kafka", "broker"}, {"confluent_kafka", "broker"}, {"aiokafka", "broker"}, {"pika", "broker"},
	{"org.apache.kafka", "broker"}, {"org.springframework.kafka", "broker"}, {"org.springframework.amqp", "broker"},
	{"kafkajs", "broker"}, {"amqplib", "broker"}, {"nats", "broker"},
	{"redis", "redis"}, {"ioredis", "redis"}, {"pymongo", "mongo"}, {"mongodb", "mongo"}, {"mongoose", "mongo"},
	{"grpc", "grpc"}, {"io.grpc", "grpc"}, {"@grpc/grpc-js", "grpc"},
}

// ioOf lists the kinds of I/O a file does: its link facts' mechanisms and
// the client libraries it imports.
func ioOf(f *file, facts []link.Fact) []string {
	var kinds []string
	for _, fc := range facts {
		if fc.Mechanism != link.Governance {
			kinds = append(kinds, fc.Mechanism)
		}
	}
	for _, s := range f.Imports {
		for _, l := range ioLibs {
			if s.Module == l.prefix || strings.HasPrefix(s.Module, l.prefix+".") || strings.HasPrefix(s.Module, l.prefix+"/") {
				kinds = append(kinds, l.kind)
			}
		}
	}
	return kinds
}

// entryReason tells why a file starts a program, or "".
func (ix *index) entryReason(f *file, bins map[string]bool) string {
	switch {
	case f.Main && f.Lang == Python:
		return `if __name__ == "__main__"`
	case f.Main:
		return "static main method"
	case path.Base(f.Path) == "__main__.py":
		return "__main__.py"
	case bins[f.Path]:
		return "package.json runs it as a program"
	}
	v := ix.view(f)
	for _, dc := range f.Decls {
		for _, a := range dc.Decorators {
			if a.Name == "SpringBootApplication" {
				return "@SpringBootApplication"
			}
		}
	}
	if f.Lang != JavaScript && f.Lang != TypeScript {
		return ""
	}
	for _, c := range f.Calls {
		switch {
		case c.Name == "createRoot" || c.Name == "hydrateRoot" || c.Name == "render" && v.originHas(c.Recv, "react-dom"):
			return "mounts the React app"
		case c.Name == "listen" && (v.jsServer(c.Recv) != "" || v.originHas(c.Recv, "nestjs", "http")):
			return "starts a server"
		}
	}
	return ""
}

// assignRoles gives every component of ix its role, as the Go analyzer
// does: entrypoint (starts a program), service (does I/O of its own, or is
// not shared widely), library (no I/O, used by two or more components,
// depends only on libraries).
func (ix *index) assignRoles(g *graph.Graph, facts []link.Fact) {
	byFile := map[string][]link.Fact{}
	for _, f := range facts {
		file, _, _ := strings.Cut(f.Pos, ":")
		byFile[file] = append(byFile[file], f)
	}
	bins := map[string]bool{}
	for _, p := range ix.packages {
		for _, b := range p.Bins {
			bins[b] = true
		}
	}
	users, deps := importGraph(g)
	for _, p := range ix.packages {
		if c := ix.comp[p.Main]; p.Main != "" && len(users[c]) == 0 {
			bins[p.Main] = true // the main of a package nobody imports
		}
	}
	entry := map[string]string{}
	for _, f := range ix.files {
		c := ix.byID[ix.comp[f.Path]]
		c.IO = append(c.IO, ioOf(f, byFile[f.Path])...)
		if r := ix.entryReason(f, bins); r != "" && entry[c.ID] == "" {
			entry[c.ID] = r + " (" + path.Base(f.Path) + ")"
			c.Entry = f.Path
		}
	}
	libs := ix.libraries(entry, users, deps)
	for _, c := range ix.components() {
		c.IO = slices.Compact(slices.Sorted(slices.Values(c.IO)))
		switch n := len(users[c.ID]); {
		case entry[c.ID] != "":
			c.Role, c.RoleReason = graph.RoleEntrypoint, entry[c.ID]
		case len(c.IO) > 0:
			c.Role, c.RoleReason = graph.RoleService, "does I/O of its own: "+strings.Join(c.IO, ", ")
		case libs[c.ID]:
			c.Role, c.RoleReason = graph.RoleLibrary, fmt.Sprintf("no I/O, used by %d components, depends only on libraries", n)
		case n < 2:
			c.Role, c.RoleReason = graph.RoleService, fmt.Sprintf("used by %d component(s): not shared widely enough to be a library", n)
		default:
			c.Role, c.RoleReason = graph.RoleService, "depends on components that are not libraries"
		}
	}
}

// importGraph returns, from the import edges of g, the components each
// component is used by and the ones it uses.
func importGraph(g *graph.Graph) (users, deps map[string][]string) {
	users, deps = map[string][]string{}, map[string][]string{}
	for _, e := range g.Edges {
		if e.Kind == graph.KindCall && e.Mechanism == MechanismImport {
			users[e.To] = append(users[e.To], e.From)
			deps[e.From] = append(deps[e.From], e.To)
		}
	}
	return users, deps
}

// libraries starts from every I/O-free, non-entry component with two or
// more users and drops, until nothing changes, those using a non-library.
func (ix *index) libraries(entry map[string]string, users, deps map[string][]string) map[string]bool {
	libs := map[string]bool{}
	for id, c := range ix.byID {
		if entry[id] == "" && len(c.IO) == 0 && len(users[id]) >= 2 {
			libs[id] = true
		}
	}
	for changed := true; changed; {
		changed = false
		for _, id := range sortedKeys(libs) {
			for _, dep := range deps[id] {
				if !libs[dep] {
					delete(libs, id)
					changed = true
					break
				}
			}
		}
	}
	return libs
}
