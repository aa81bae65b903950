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
	write := fileWriter(t, dir)
	head := ledgerID + ",处理状态,办结时间\n"
	l1 := write("ledger_1.csv", head+"A,处理中,\nB,处理中,\n")
	l2 := write("ledger_2.csv", head+"A,已办结,2026/8/1 10:00\nB,处理中,\nC,处理中,\n")
	next := write("ledger_3.csv", head+"A,已办结,2026/8/1 10:00\nB,已办结,2026/9/2 11:00\nC,处理中,\nD,处理中,\n")
	db := landedWithHashes(t, dir, l1, l2)
	if err := FloorMonthly(ctx, db, next); err != nil {
		t.Fatal(err)
	}
	conn := openDB(t, db)
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

// TestFloorWritesRecordsEveryRowAndRewritesAsManyComplaints: the monthly job's least writes keep the same new and
// changed rows as the monthly floor, record a sighting of every row of the next ledger, and rewrite as many
// complaints as they kept rows, leaving the complaints as they were.
func TestFloorWritesRecordsEveryRowAndRewritesAsManyComplaints(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	write := fileWriter(t, dir)
	head := ledgerID + ",处理状态\n"
	l1 := write("ledger_1.csv", head+"A,处理中\nB,处理中\nC,处理中\n")
	next := write("ledger_2.csv", head+"A,处理中\nB,已办结\nC,处理中\nD,处理中\nE,处理中\n")
	db := landedWithHashes(t, dir, l1)
	// a warehouse of five complaints, one of them with a NULL column
	wh := filepath.Join(dir, "warehouse.duckdb")
	w, err := sql.Open("duckdb", wh)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Exec(`CREATE TABLE complaints AS SELECT 'k' || i AS complaint_key, i AS n, CASE WHEN i <> 3 THEN 'x' || i END AS note FROM range(5) t(i)`); err != nil {
		t.Fatal(err)
	}
	w.Close()
	if err := FloorWritesPrepare(ctx, db, wh); err != nil {
		t.Fatal(err)
	}
	if err := FloorWrites(ctx, db, next); err != nil {
		t.Fatal(err)
	}
	conn := openDB(t, db)
	var changed, complaints, stored string
	var sightings, batches int
	if err := conn.QueryRow(`SELECT (SELECT string_agg("`+ledgerID+`", ',' ORDER BY "`+ledgerID+`") FROM next_changed),
		(SELECT count(*) FROM sightings), (SELECT count(DISTINCT batch) FROM sightings),
		(SELECT string_agg(complaint_key || ':' || n || ':' || coalesce(note, '-'), ',' ORDER BY complaint_key) FROM complaints),
		(SELECT string_agg(complaint_key, ',' ORDER BY rowid) FROM complaints)`).
		Scan(&changed, &sightings, &batches, &complaints, &stored); err != nil {
		t.Fatal(err)
	}
	// B changed, D and E are new: three rows kept, three complaints rewritten (stored again, after the other two)
	if changed != "B,D,E" || sightings != 5 || batches != 1 {
		t.Errorf("changed %q, %d sightings in %d batches; want B,D,E, 5 in 1", changed, sightings, batches)
	}
	// the first three stored (a five-row table is read in order) are deleted and stored again after the others
	if stored != "k3,k4,k0,k1,k2" {
		t.Errorf("stored in the order %s; want k3,k4,k0,k1,k2", stored)
	}
	if complaints != "k0:0:x0,k1:1:x1,k2:2:x2,k3:3:-,k4:4:x4" {
		t.Errorf("complaints after the rewrite: %s", complaints)
	}
}

// fileWriter writes files into dir, giving each one's path.
func fileWriter(t *testing.T, dir string) func(name, body string) string {
	return func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
}

// landedWithHashes is a floor database in dir with the ledgers landed (the persistent floor) and their row hashes
// prepared (as bench does before the monthly floor).
func landedWithHashes(t *testing.T, dir string, ledgers ...string) string {
	db := filepath.Join(dir, "floor.duckdb")
	if err := FloorPersistent(context.Background(), db, ledgers); err != nil {
		t.Fatal(err)
	}
	if err := FloorHashes(context.Background(), db, len(ledgers)); err != nil {
		t.Fatal(err)
	}
	return db
}

// openDB opens a database file for the test's queries, closed when the test ends.
func openDB(t *testing.T, path string) *sql.DB {
	db, err := sql.Open("duckdb", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
