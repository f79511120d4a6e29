package polyglot

import (
	"regexp"
	"strings"

	"github.com/podsplit/podsplit/analyzer/link"
	"github.com/podsplit/podsplit/analyzer/link/sqltable"
)

// sqlStart recognises a literal that is a SQL statement: a statement
// keyword followed, later, by the clause naming its table.
var (
	sqlStart = regexp.MustCompile(`(?is)^\s*(select\s.+\sfrom\s|insert\s+into\s|update\s+\S+\s+set\s|delete\s+from\s|with\s.+\sselect\s|replace\s+into\s|merge\s+into\s)`)
	// DDL is taken in capitals only: "Truncate the file" is prose.
	sqlDDL = regexp.MustCompile(`^\s*(CREATE\s+TABLE|ALTER\s+TABLE|TRUNCATE)\s`)
)

// sqlUpper is a statement keyword in capitals, the way SQL is written in
// code; sqlMarkers are what a lower-case statement must also show to be
// told from prose: a clause, an operator or a parameter.
var (
	sqlUpper   = regexp.MustCompile(`^\s*(SELECT|INSERT|UPDATE|DELETE|WITH|REPLACE|MERGE|CREATE|ALTER|TRUNCATE)\b`)
	sqlMarkers = regexp.MustCompile(`(?i)\b(where|join|values|set|order\s+by|group\s+by|limit|returning)\b|[=*(?]|\$\d|%s`)
)

// sqlHole stands for an interpolated part of a statement: an identifier,
// so the statement still parses, and a table containing it is not known.
const sqlHole = "podsplit_hole"

// sqlIdent is a table name as code writes it, schema-qualified or not.
var sqlIdent = regexp.MustCompile(`^[a-z_][a-z0-9_$]*(\.[a-z_][a-z0-9_$]*)?$`)

// sqlPlaceholders are the DB-API parameter markers (%s, %(name)s) the SQL
// parser does not know; they become "?".
var sqlPlaceholders = regexp.MustCompile(`%(\(\w+\))?s`)

// detectSQL finds the tables that SQL string literals read and write, and
// the tables ORM mappings name (JPA @Table, SQLAlchemy __tablename__).
func detectSQL(d *detection) {
	for _, lit := range d.f.Literals {
		if !sqlStart.MatchString(lit.Text) && !sqlDDL.MatchString(lit.Text) {
			continue
		}
		if !sqlUpper.MatchString(lit.Text) && !sqlMarkers.MatchString(lit.Text) {
			continue // "Select one from the list" is prose
		}
		res, err := sqltable.Extract(sqlPlaceholders.ReplaceAllString(strings.ReplaceAll(lit.Text, hole, sqlHole), "?"))
		if err != nil {
			continue
		}
		detail := "SQL string"
		if res.Heuristic {
			detail += " (read by keywords: the SQL parser rejected it)"
		}
		for _, r := range res.Refs {
			if strings.Contains(r.Table, sqlHole) || !sqlIdent.MatchString(r.Table) {
				continue // a table named at run time: tmp_{suffix}, {0}
			}
			access := link.Read
			if r.Write {
				access = link.Write
			}
			d.dataFact(r.Table, access, lit.Line, detail)
		}
	}
	d.ormTables()
}

func (d *detection) dataFact(table, access string, line int, detail string) {
	d.fact(access, link.SQL, table, line, detail)
	d.facts[len(d.facts)-1].Access = access
}

// ormTables reads @Table(name = "orders") on JPA entities and
// __tablename__ = "orders" in SQLAlchemy models: the component maps the
// table's rows, so it is taken to write it.
func (d *detection) ormTables() {
	for _, dc := range d.f.Decls {
		for _, a := range dc.Decorators {
			if a.Name != "Table" || dc.Kind != "class" {
				continue
			}
			if v, ok := a.Kw["name"]; ok && v.isString() {
				d.dataFact(strings.ToLower(v.Str), link.Write, a.Line, "JPA @Table on "+dc.Name)
			}
		}
	}
	if d.f.Lang != Python {
		return
	}
	for _, dc := range d.f.Decls {
		if dc.Kind != "class" {
			continue
		}
		if b, ok := d.f.Bindings[dc.Name+".__tablename__"]; ok && b.Value.isString() {
			d.dataFact(strings.ToLower(b.Value.Str), link.Write, dc.Line, "SQLAlchemy model "+dc.Name)
		}
	}
}
