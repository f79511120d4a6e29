package sqltable

import (
	"log/slog"
	"strings"
	"testing"

	vtlog "vitess.io/vitess/go/vt/log"
)

// render shows refs as "orders:w items:r" for compact expectations.
func render(res Result) string {
	var parts []string
	for _, r := range res.Refs {
		mode := "r"
		if r.Write {
			mode = "w"
		}
		parts = append(parts, r.Table+":"+mode)
	}
	s := strings.Join(parts, " ")
	if res.Heuristic {
		s += " (heuristic)"
	}
	return s
}

func TestExtract(t *testing.T) {
	tests := []struct{ query, want string }{
		{"SELECT id, total FROM orders WHERE id = ?", "orders:r"},
		{"SELECT o.id, i.sku FROM orders o JOIN order_items i ON i.order_id = o.id WHERE o.user_id = $1", "order_items:r orders:r"},
		{"INSERT INTO orders (id, status) VALUES ($1, $2)", "orders:w"},
		{"INSERT INTO archive SELECT * FROM orders WHERE status = 'done'", "archive:w orders:r"},
		{"UPDATE stock SET reserved = reserved + $1 WHERE sku = $2 AND on_hand - reserved >= $1", "stock:w"},
		{"DELETE FROM stock_reservations WHERE order_id = $1", "stock_reservations:w"},
		{"DELETE r FROM stock_reservations r JOIN orders o ON o.id = r.order_id WHERE o.status = 'cancelled'", "orders:r stock_reservations:w"},
		{"WITH recent AS (SELECT * FROM orders WHERE created_at > now()) SELECT count(*) FROM recent", "orders:r"},
		{"SELECT * FROM products WHERE sku IN (SELECT sku FROM stock WHERE on_hand > 0)", "products:r stock:r"},
		{"CREATE TABLE IF NOT EXISTS products (sku TEXT PRIMARY KEY, name TEXT NOT NULL)", "products:w"},
		{"SELECT name FROM public.products", "public.products:r"},
		// PostgreSQL-only syntax, rewritten before parsing.
		{"INSERT INTO stock (sku, on_hand) VALUES ($1, $2) ON CONFLICT (sku) DO UPDATE SET on_hand = stock.on_hand + EXCLUDED.on_hand RETURNING sku", "stock:w"},
		{"SELECT id::text FROM \"Orders\" WHERE name ILIKE $1", "orders:r"},
		{"UPDATE orders SET status = $1, updated_at = now() WHERE id = $2 RETURNING id", "orders:w"},
		{"SELECT sku FROM stock WHERE sku = $1 FOR UPDATE", "stock:r"},
		// Several statements in one text.
		{"CREATE TABLE a (x INT); CREATE TABLE b (y INT);", "a:w b:w"},
		// The parser rejects this (UPDATE … FROM is PostgreSQL only): heuristic.
		{"UPDATE stock s SET reserved = s.reserved - r.quantity FROM stock_reservations r WHERE r.sku = s.sku", "stock:w stock_reservations:r (heuristic)"},
	}
	for _, tt := range tests {
		res, err := Extract(tt.query)
		if err != nil {
			t.Errorf("Extract(%q): %v", tt.query, err)
			continue
		}
		if got := render(res); got != tt.want {
			t.Errorf("Extract(%q) = %q, want %q", tt.query, got, tt.want)
		}
	}
}

func TestExtractRejects(t *testing.T) {
	for _, q := range []string{"", "hello world", "not sql at all; really"} {
		if res, err := Extract(q); err == nil {
			t.Errorf("Extract(%q) = %v, want an error", q, res)
		}
	}
}

func TestBlankStrings(t *testing.T) {
	got := blankStrings("SELECT 'it''s FROM x' FROM t")
	if want := "SELECT '' FROM t"; got != want {
		t.Errorf("blankStrings = %q, want %q", got, want)
	}
}

func BenchmarkExtract(b *testing.B) {
	q := "SELECT o.id, i.sku FROM orders o JOIN order_items i ON i.order_id = o.id WHERE o.user_id = $1 ORDER BY o.created_at DESC LIMIT 100"
	for b.Loop() {
		if _, err := Extract(q); err != nil {
			b.Fatal(err)
		}
	}
}

// The parser's own logging (DDL it cannot parse, which a scan of dapr
// printed as a JSON line on the terminal) is silenced: the result says why
// a query fell back to the heuristic.
func TestParserQuiet(t *testing.T) {
	if _, err := Extract("CREATE TABLE IF NOT EXISTS configtable (KEY VARCHAR NOT NULL, VALUE VARCHAR NOT NULL)"); err != nil {
		t.Log(err)
	}
	cur := vtlog.SwapLogger(slog.Default())
	vtlog.SwapLogger(cur)
	if cur.Handler() != slog.DiscardHandler {
		t.Errorf("vitess logs through %T, want slog.DiscardHandler", cur.Handler())
	}
}
