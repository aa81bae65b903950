// Package sqlrows reads query results into structs: the one copy of the rows.Next / Scan / Close / Err loop.
// A caller says which fields a row fills, in the order of the query's columns:
//
//	out, err := sqlrows.Query(ctx, db, func(r *Row) []any { return []any{&r.Code, &r.Name} },
//		`SELECT code, name FROM branch_labels`)
package sqlrows

import (
	"context"
	"database/sql"
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
