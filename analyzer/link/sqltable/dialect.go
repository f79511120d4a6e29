package sqltable

import (
	"regexp"
	"strings"
)

var (
	pgPlaceholder = regexp.MustCompile(`\$\d+`)
	pgCast        = regexp.MustCompile(`::\s*[A-Za-z_][A-Za-z0-9_ ]*?(\([0-9, ]*\))?(\[\])*(\s|,|\)|;|$)`)
	pgReturning   = regexp.MustCompile(`(?is)\bRETURNING\b.*?(;|$)`)
	pgOnConflict  = regexp.MustCompile(`(?is)\bON\s+CONFLICT\b.*?(;|$)`)
	pgILike       = regexp.MustCompile(`(?i)\bILIKE\b`)
	pgDoubleQuote = regexp.MustCompile(`"([^"]+)"`)
)

// postgresToMySQL rewrites PostgreSQL-only syntax into forms the MySQL
// grammar accepts without changing which tables are named. String literals
// are blanked first so the rewrites never act inside them.
func postgresToMySQL(q string) string {
	q = blankStrings(q)
	q = pgPlaceholder.ReplaceAllString(q, "?")
	q = pgCast.ReplaceAllString(q, "$3")
	q = pgOnConflict.ReplaceAllString(q, "$1")
	q = pgReturning.ReplaceAllString(q, "$1")
	q = pgILike.ReplaceAllString(q, "LIKE")
	return pgDoubleQuote.ReplaceAllString(q, "`$1`")
}

// blankStrings empties every single-quoted literal, escaped quotes included.
func blankStrings(q string) string {
	var b strings.Builder
	in := false
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case !in && c == '\'':
			in = true
			b.WriteByte(c)
		case in && c == '\'' && i+1 < len(q) && q[i+1] == '\'':
			i++
		case in && c == '\'':
			in = false
			b.WriteByte(c)
		case !in:
			b.WriteByte(c)
		}
	}
	return b.String()
}

var (
	heuristicWrite = regexp.MustCompile(`(?i)\b(?:INSERT\s+(?:IGNORE\s+)?INTO|REPLACE\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?|(?:CREATE|ALTER|DROP)\s+TABLE(?:\s+IF\s+(?:NOT\s+)?EXISTS)?|MERGE\s+INTO|COPY)\s+(?:ONLY\s+)?([A-Za-z_][\w.]*|"[^"]+"|` + "`[^`]+`" + `)`)
	heuristicRead  = regexp.MustCompile(`(?i)\b(?:FROM|JOIN|USING)\s+(?:ONLY\s+)?([A-Za-z_][\w.]*|"[^"]+"|` + "`[^`]+`" + `)`)
	heuristicCTE   = regexp.MustCompile(`(?i)(?:\bWITH(?:\s+RECURSIVE)?|,)\s+([A-Za-z_]\w*)\s+AS\s*\(`)
)

// sqlWords are keywords that can follow FROM or USING without naming a table.
var sqlWords = map[string]bool{"select": true, "lateral": true, "unnest": true, "generate_series": true}

// heuristicRefs finds tables by the keywords that introduce them. It is the
// fallback for statements the grammar rejects, and is marked as such.
func heuristicRefs(q string) []Ref {
	q = blankStrings(q)
	ctes := map[string]bool{}
	for _, m := range heuristicCTE.FindAllStringSubmatch(q, -1) {
		ctes[strings.ToLower(m[1])] = true
	}
	var refs []Ref
	add := func(name string, write bool) {
		name = strings.ToLower(strings.Trim(name, "`\""))
		if !ctes[name] && !sqlWords[name] {
			refs = append(refs, Ref{Table: name, Write: write})
		}
	}
	for _, m := range heuristicWrite.FindAllStringSubmatch(q, -1) {
		add(m[1], true)
	}
	for _, m := range heuristicRead.FindAllStringSubmatch(q, -1) {
		add(m[1], false)
	}
	return refs
}
