// Package sqltable finds the tables a SQL statement reads and writes.
//
// A reference is one table named by a statement, with whether the statement
// writes it. Writing means changing rows or schema: the target of INSERT,
// UPDATE, DELETE, REPLACE and of DDL (CREATE, ALTER, DROP, TRUNCATE, RENAME).
// Every other table named (FROM, JOIN, sub-queries, the source of INSERT …
// SELECT) is read. Names of common table expressions and column qualifiers
// are not tables and are left out. Names are lower-cased, as PostgreSQL
// folds unquoted identifiers, and keep their schema qualifier if written.
//
// Statements are parsed by the Vitess SQL parser (MySQL grammar). PostgreSQL
// text is accepted after a rewrite that keeps every table reference: $n
// placeholders, ::type casts, double-quoted identifiers, ILIKE, ON CONFLICT
// and RETURNING clauses are mapped to what the grammar knows. A statement the
// parser still rejects goes to a keyword heuristic, and the result says so.
package sqltable

import (
	"cmp"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"

	vtlog "vitess.io/vitess/go/vt/log"
	"vitess.io/vitess/go/vt/sqlparser"
)

// A Ref is one table a statement touches.
type Ref struct {
	Table string
	Write bool
}

// A Result is what Extract found in a query text.
type Result struct {
	// Refs are sorted by table; a table both read and written appears
	// once, as written.
	Refs []Ref
	// Heuristic is true when the parser rejected the text and the tables
	// come from keyword matching; ParseError says why the parser refused.
	Heuristic  bool
	ParseError string
}

var (
	parserOnce sync.Once
	parser     *sqlparser.Parser
	parserErr  error
)

func getParser() (*sqlparser.Parser, error) {
	parserOnce.Do(func() {
		// The parser logs the DDL it cannot parse to stderr; a query it
		// refuses falls back to the heuristic and says why in ParseError.
		vtlog.SwapLogger(slog.New(slog.DiscardHandler))
		parser, parserErr = sqlparser.New(sqlparser.Options{})
	})
	return parser, parserErr
}

// Extract returns the tables query touches. It fails only when neither the
// parser nor the heuristic finds a table.
func Extract(query string) (Result, error) {
	p, err := getParser()
	if err != nil {
		return Result{}, fmt.Errorf("creating sql parser: %w", err)
	}
	refs, perr := parseRefs(p, query)
	if perr != nil {
		refs, perr = parseRefs(p, postgresToMySQL(query))
	}
	if perr == nil {
		return Result{Refs: normalize(refs)}, nil
	}
	refs = heuristicRefs(query)
	if len(refs) == 0 {
		return Result{}, fmt.Errorf("parsing sql: %w", perr)
	}
	return Result{Refs: normalize(refs), Heuristic: true, ParseError: perr.Error()}, nil
}

// parseRefs parses every statement of text and collects their references.
func parseRefs(p *sqlparser.Parser, text string) ([]Ref, error) {
	pieces, err := p.SplitStatementToPieces(text)
	if err != nil {
		return nil, err
	}
	var refs []Ref
	parsed := 0
	for _, piece := range pieces {
		if strings.TrimSpace(piece) == "" {
			continue
		}
		stmt, err := p.Parse(piece)
		if err != nil {
			return nil, err
		}
		parsed++
		refs = append(refs, statementRefs(stmt)...)
	}
	if parsed == 0 {
		return nil, fmt.Errorf("no statement")
	}
	return refs, nil
}

// normalize lower-cases names, merges duplicates (a write wins) and sorts.
func normalize(refs []Ref) []Ref {
	byName := map[string]bool{}
	for _, r := range refs {
		name := strings.ToLower(strings.Trim(r.Table, "`\""))
		if name == "" || name == "dual" {
			continue
		}
		byName[name] = byName[name] || r.Write
	}
	out := make([]Ref, 0, len(byName))
	for name, w := range byName {
		out = append(out, Ref{Table: name, Write: w})
	}
	slices.SortFunc(out, func(a, b Ref) int { return cmp.Compare(a.Table, b.Table) })
	return out
}
