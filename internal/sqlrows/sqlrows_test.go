package sqlrows_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
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

func TestEachPagedKeepsOrderAndDropsItsTable(t *testing.T) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // the table must be gone from the one connection there is
	ctx := context.Background()
	fields := func(n *int64) []any { return []any{n} }
	const q = `SELECT (n * 7) % 11 AS v FROM range(?) t(n) ORDER BY v DESC`
	for _, c := range []struct{ rows, page int }{{11, 2}, {10, 5}, {0, 3}, {4, 100}} {
		var got []int64
		if err := sqlrows.EachPaged(ctx, db, c.page, fields, func(n int64) error { got = append(got, n); return nil }, q, c.rows); err != nil {
			t.Fatal(err)
		}
		want, err := sqlrows.Query(ctx, db, fields, q, c.rows)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) || len(got) != c.rows {
			t.Errorf("%d rows by %d: got %v, want %v", c.rows, c.page, got, want)
		}
	}
	stop := errors.New("stop")
	n := 0
	err = sqlrows.EachPaged(ctx, db, 3, fields, func(int64) error {
		n++
		if n == 5 {
			return stop
		}
		return nil
	}, q, 11)
	if !errors.Is(err, stop) || n != 5 {
		t.Errorf("EachPaged stopped after %d rows with %v", n, err)
	}
	if err := sqlrows.EachPaged(ctx, db, 3, fields, func(int64) error { return nil }, `SELECT no_such_column FROM range(3)`); err == nil {
		t.Error("a failing query gave no error")
	}
	var left int
	if err := db.QueryRow(`SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name LIKE 'sqlrows_page_%'`).Scan(&left); err != nil || left != 0 {
		t.Errorf("%d page tables left (%v)", left, err)
	}
}
