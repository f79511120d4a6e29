package sqltable

import "vitess.io/vitess/go/vt/sqlparser"

// statementRefs lists the tables of one parsed statement.
func statementRefs(stmt sqlparser.Statement) []Ref {
	writes := writeTargets(stmt)
	ctes := map[string]bool{}
	var refs []Ref
	_ = sqlparser.Walk(func(node sqlparser.SQLNode) (bool, error) {
		switch n := node.(type) {
		case *sqlparser.CommonTableExpr:
			ctes[n.ID.String()] = true
		case *sqlparser.AliasedTableExpr:
			if tn, ok := n.Expr.(sqlparser.TableName); ok {
				refs = append(refs, Ref{Table: qualified(tn), Write: writes[qualified(tn)]})
			}
		case *sqlparser.ColName, *sqlparser.StarExpr:
			return false, nil // qualifiers name aliases, not tables
		}
		return true, nil
	}, stmt)
	for name := range writes {
		refs = append(refs, Ref{Table: name, Write: true})
	}
	out := refs[:0]
	for _, r := range refs {
		if !ctes[r.Table] {
			out = append(out, r)
		}
	}
	return out
}

// writeTargets names the tables stmt changes.
func writeTargets(stmt sqlparser.Statement) map[string]bool {
	w := map[string]bool{}
	switch s := stmt.(type) {
	case *sqlparser.Insert:
		if tn, ok := s.Table.Expr.(sqlparser.TableName); ok {
			w[qualified(tn)] = true
		}
	case *sqlparser.Update:
		topLevelTables(s.TableExprs, w)
	case *sqlparser.Delete:
		if len(s.Targets) == 0 {
			topLevelTables(s.TableExprs, w)
		}
		aliases := aliasTables(s.TableExprs)
		for _, t := range s.Targets {
			name := qualified(t)
			if real, ok := aliases[name]; ok {
				name = real
			}
			w[name] = true
		}
	case sqlparser.DDLStatement:
		for _, t := range s.AffectedTables() {
			w[qualified(t)] = true
		}
	}
	delete(w, "")
	return w
}

// topLevelTables adds the tables directly listed (not joined in) to w.
func topLevelTables(exprs []sqlparser.TableExpr, w map[string]bool) {
	for _, e := range exprs {
		switch t := e.(type) {
		case *sqlparser.AliasedTableExpr:
			if tn, ok := t.Expr.(sqlparser.TableName); ok {
				w[qualified(tn)] = true
			}
		case *sqlparser.JoinTableExpr:
			topLevelTables([]sqlparser.TableExpr{t.LeftExpr}, w)
		}
	}
}

// aliasTables maps each alias of exprs to its table.
func aliasTables(exprs []sqlparser.TableExpr) map[string]string {
	m := map[string]string{}
	_ = sqlparser.Walk(func(node sqlparser.SQLNode) (bool, error) {
		if t, ok := node.(*sqlparser.AliasedTableExpr); ok && !t.As.IsEmpty() {
			if tn, ok := t.Expr.(sqlparser.TableName); ok {
				m[t.As.String()] = qualified(tn)
			}
		}
		return true, nil
	}, sqlparser.TableExprs(exprs))
	return m
}

func qualified(tn sqlparser.TableName) string {
	if tn.Name.IsEmpty() {
		return ""
	}
	if tn.Qualifier.IsEmpty() {
		return tn.Name.String()
	}
	return tn.Qualifier.String() + "." + tn.Name.String()
}
