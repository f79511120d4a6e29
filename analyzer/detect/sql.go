package detect

import (
	"fmt"
	"strings"

	"github.com/podsplit/podsplit/analyzer/link"
	"github.com/podsplit/podsplit/analyzer/link/sqltable"
	"github.com/podsplit/podsplit/graph"
)

// sqlPackages are the SQL client libraries whose query methods are
// recognised whatever their parameter is called.
var sqlPackages = []string{
	"database/sql", "github.com/jmoiron/sqlx", "github.com/jackc/pgx", "gorm.io/gorm",
}

// sqlMethods are the methods that run or prepare a query text.
var sqlMethods = map[string]bool{
	"Exec": true, "ExecContext": true, "Query": true, "QueryContext": true,
	"QueryRow": true, "QueryRowContext": true, "Prepare": true, "PrepareContext": true,
	"Get": true, "GetContext": true, "Select": true, "SelectContext": true,
	"NamedExec": true, "NamedExecContext": true, "NamedQuery": true, "NamedQueryContext": true,
	"MustExec": true, "MustExecContext": true, "Queryx": true, "QueryxContext": true,
	"QueryRowx": true, "QueryRowxContext": true, "Preparex": true, "PreparexContext": true,
	"PrepareNamed": true, "PrepareNamedContext": true, "Raw": true, "Queue": true,
}

// detectSQL recognises query texts handed to SQL clients: the methods of
// database/sql, sqlx, pgx and gorm's Raw/Exec, and any method of the same
// names whose string parameter is called query or sql, which covers the
// DBTX interface of sqlc-generated code and hand-written equivalents.
// Tables come from the query text through the SQL parser of sqltable.
func detectSQL(s *site) {
	if s.call == nil || !sqlMethods[s.name] || s.sig == nil {
		return
	}
	i, known := s.queryParam()
	if i < 0 {
		return
	}
	q, exact := s.str(s.arg(i))
	if !known && strings.Trim(q, "*") != "" && !looksLikeSQL(q) {
		return // a query of another language (JMESPath, PromQL, a search index's)
	}
	if !exact {
		s.unresolved("SQL query", q)
		return
	}
	res, err := sqltable.Extract(q)
	if err != nil {
		s.d.diags = append(s.d.diags, sqlDiag(s.where(), q, err))
		return
	}
	detail := "query " + abbreviate(q)
	if res.Heuristic {
		detail += " (heuristic: the parser rejected it: " + strings.Join(strings.Fields(res.ParseError), " ") + ")"
	}
	for _, r := range res.Refs {
		access := link.Read
		if r.Write {
			access = link.Write
		}
		s.d.add(link.Fact{Component: s.comp, Role: access, Mechanism: link.SQL, Key: r.Table,
			Access: access, Pos: s.where(), Detail: detail})
	}
}

// queryParam returns the index (receiver excluded) of the query argument,
// or -1 when the call is not a query, and whether the method is one of a
// known SQL client library's.
func (s *site) queryParam() (int, bool) {
	known := false
	for _, p := range sqlPackages {
		known = known || inPkg(s.pkg, p)
	}
	params := s.sig.Params()
	for i := 0; i < params.Len(); i++ {
		p := params.At(i)
		if !isString(p.Type()) {
			continue
		}
		if known || p.Name() == "query" || p.Name() == "sql" {
			return i, known
		}
		return -1, known
	}
	return -1, known
}

// sqlStatements are the words an SQL statement starts with.
var sqlStatements = map[string]bool{
	"select": true, "insert": true, "update": true, "delete": true, "with": true, "create": true,
	"alter": true, "drop": true, "replace": true, "merge": true, "upsert": true, "truncate": true,
	"call": true, "exec": true, "execute": true, "explain": true, "show": true, "begin": true,
	"commit": true, "rollback": true, "set": true, "grant": true, "revoke": true, "values": true,
	"copy": true, "lock": true, "analyze": true, "vacuum": true, "pragma": true, "use": true,
	"describe": true, "desc": true, "savepoint": true, "release": true, "start": true, "table": true,
}

// looksLikeSQL reports whether a query text (its constant part) starts,
// past comments and parentheses, with a word an SQL statement starts
// with. A method named like a query runner whose parameter is called
// query, outside the known SQL libraries, often runs another language:
// Kyverno's JSONContext().Query("request.object") is JMESPath, and
// PromQL and LogQL clients have Query(query string) too.
func looksLikeSQL(q string) bool {
	for {
		q = strings.TrimLeft(q, " \t\r\n(")
		switch {
		case strings.HasPrefix(q, "--"):
			_, rest, _ := strings.Cut(q, "\n")
			q = rest
		case strings.HasPrefix(q, "/*"):
			_, rest, _ := strings.Cut(q, "*/")
			q = rest
		default:
			end := strings.IndexFunc(q, func(r rune) bool { return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') })
			if end < 0 {
				end = len(q)
			}
			return sqlStatements[strings.ToLower(q[:end])]
		}
	}
}

// abbreviate shortens a query for evidence: one line, at most 80 bytes.
func abbreviate(q string) string {
	q = strings.Join(strings.Fields(q), " ")
	if len(q) > 80 {
		q = q[:77] + "..."
	}
	return q
}

// sqlDiag reports a constant query in which no table could be found.
func sqlDiag(pos, q string, err error) graph.Diagnostic {
	return graph.Diagnostic{Pos: pos, Category: "sql",
		Message: fmt.Sprintf("no table found in query %q: %s", abbreviate(q), strings.Join(strings.Fields(err.Error()), " "))}
}
