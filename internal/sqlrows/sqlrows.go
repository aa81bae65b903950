// Package sqlrows reads query results into structs: the one copy of the rows.Next / Scan / Close / Err loop.
// A caller says which fields a row fills, in the order of the query's columns:
//
//	out, err := sqlrows.Query(ctx, db, func(r *Row) []any { return []any{&r.Code, &r.Name} },
//		`SELECT code, name FROM branch_labels`)
package sqlrows

import (
	"context"
	"database/sql"
	"fmt"
	"sync/atomic"
)

// Querier is a database, a connection or a transaction.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// Each runs query and calls fn with every row, scanned into a T by the pointers fields gives; it stops at the
// first error (of the query, a scan or fn) and returns it unwrapped.
func Each[T any](ctx context.Context, q Querier, fields func(*T) []any, fn func(T) error, query string, args ...any) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var v T
		if err := rows.Scan(fields(&v)...); err != nil {
			return err
		}
		if err := fn(v); err != nil {
			return err
		}
	}
	return rows.Err()
}

// EachPaged is Each for a result that may be large (a list of a month's complaints): the query's rows are first
// written, in its order, to a temporary table, which is then read page rows at a time. The DuckDB driver
// materialises a result whole outside the engine's memory limit before the first row is read; a temporary table
// is held within that limit and spills to disk. The table is dropped before EachPaged returns.
func EachPaged[T any](ctx context.Context, db *sql.DB, page int, fields func(*T) []any, fn func(T) error, query string, args ...any) error {
	if page <= 0 {
		return fmt.Errorf("sqlrows: page of %d rows", page)
	}
	conn, err := db.Conn(ctx) // a temporary table lives on one connection
	if err != nil {
		return err
	}
	defer conn.Close()
	name := fmt.Sprintf("sqlrows_page_%d", pageTables.Add(1))
	if _, err := conn.ExecContext(ctx, "CREATE TEMP TABLE "+name+" AS "+query, args...); err != nil {
		return err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "DROP TABLE IF EXISTS "+name)
	for from := 0; ; from += page {
		n := 0
		err := Each(ctx, conn, fields, func(v T) error { n++; return fn(v) },
			"SELECT * FROM "+name+" WHERE rowid >= ? AND rowid < ? ORDER BY rowid", from, from+page)
		if err != nil || n < page {
			return err
		}
	}
}

// pageTables numbers EachPaged's temporary tables.
var pageTables atomic.Int64

// Query runs query and returns every row, scanned into a T by the pointers fields gives.
func Query[T any](ctx context.Context, q Querier, fields func(*T) []any, query string, args ...any) ([]T, error) {
	var out []T
	err := Each(ctx, q, fields, func(v T) error { out = append(out, v); return nil }, query, args...)
	return out, err
}

// Map runs a query of two columns and returns them as a map from the first to the second.
func Map[K comparable, V any](ctx context.Context, q Querier, query string, args ...any) (map[K]V, error) {
	type kv struct {
		k K
		v V
	}
	out := map[K]V{}
	err := Each(ctx, q, func(p *kv) []any { return []any{&p.k, &p.v} }, func(p kv) error { out[p.k] = p.v; return nil }, query, args...)
	return out, err
}
