package detect

import "testing"

func TestLooksLikeSQL(t *testing.T) {
	for q, want := range map[string]bool{
		"SELECT id FROM orders":                         true,
		"  insert into t values (1)":                    true,
		"-- name: GetOrder :one\nSELECT id FROM orders": true,
		"/* hint */ (SELECT 1) UNION (SELECT 2)":        true,
		"WITH x AS (SELECT 1) SELECT * FROM x":          true,
		"request.object":                                false,
		"sum(rate(http_requests_total[5m]))":            false,
		`{app="loki"} |= "error"`:                       false,
		"":                                              false,
		"-- only a comment":                             false,
		"selection.items":                               false,
	} {
		if got := looksLikeSQL(q); got != want {
			t.Errorf("looksLikeSQL(%q) = %v, want %v", q, got, want)
		}
	}
}
