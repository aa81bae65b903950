package sqlrows_test

import (
	"context"
	"database/sql"
	"errors"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"

	"complaints/internal/sqlrows"
)

func TestQueryEachMap(t *testing.T) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	type row struct {
		N    int64
		Name string
	}
	const q = `SELECT n, 'x' || n FROM range(?) t(n) ORDER BY n`
	got, err := sqlrows.Query(ctx, db, func(r *row) []any { return []any{&r.N, &r.Name} }, q, 3)
	if err != nil || len(got) != 3 || got[2] != (row{2, "x2"}) {
		t.Fatalf("Query: %v %v", got, err)
	}
	stop := errors.New("stop")
	n := 0
	err = sqlrows.Each(ctx, db, func(r *row) []any { return []any{&r.N, &r.Name} }, func(r row) error {
		n++
		if r.N == 1 {
			return stop
		}
		return nil
	}, q, 5)
	if !errors.Is(err, stop) || n != 2 {
		t.Errorf("Each stopped after %d rows with %v", n, err)
	}
	m, err := sqlrows.Map[int64, string](ctx, db, q, 2)
	if err != nil || len(m) != 2 || m[1] != "x1" {
		t.Errorf("Map: %v %v", m, err)
	}
	if _, err := sqlrows.Query(ctx, db, func(r *row) []any { return []any{&r.N} }, q, 1); err == nil {
		t.Error("a scan into too few fields passed")
	}
}
