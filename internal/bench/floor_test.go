package bench

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
)

// TestMonthlyFloorKeepsOnlyNewAndChangedRows: the monthly floor's join on (id, row hash) keeps the next ledger's
// new and changed rows, not the rows already landed unchanged.
func TestMonthlyFloorKeepsOnlyNewAndChangedRows(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	head := ledgerID + ",处理状态,办结时间\n"
	l1 := write("ledger_1.csv", head+"A,处理中,\nB,处理中,\n")
	l2 := write("ledger_2.csv", head+"A,已办结,2026/8/1 10:00\nB,处理中,\nC,处理中,\n")
	next := write("ledger_3.csv", head+"A,已办结,2026/8/1 10:00\nB,已办结,2026/9/2 11:00\nC,处理中,\nD,处理中,\n")
	db := filepath.Join(dir, "floor.duckdb")
	if err := FloorPersistent(ctx, db, []string{l1, l2}); err != nil {
		t.Fatal(err)
	}
	if err := FloorHashes(ctx, db, 2); err != nil {
		t.Fatal(err)
	}
	if err := FloorMonthly(ctx, db, next); err != nil {
		t.Fatal(err)
	}
	conn, err := sql.Open("duckdb", db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var ids string
	var hashes int
	if err := conn.QueryRow(`SELECT string_agg("`+ledgerID+`", ',' ORDER BY "`+ledgerID+`"), (SELECT count(*) FROM row_hashes) FROM next_changed`).Scan(&ids, &hashes); err != nil {
		t.Fatal(err)
	}
	// B changed, D is new; A and C are as landed. Hashes: A x2, B, C from the landed ledgers, then B', D.
	if ids != "B,D" || hashes != 6 {
		t.Errorf("changed %q, %d hashes; want B,D and 6", ids, hashes)
	}
}
