// Package readmodeltest builds small in-memory warehouses for the tests of reports and dashboards: with hand-made
// mart rows, or landed and normalised from files (Landed). Only tests import it.
package readmodeltest

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"complaints/warehouse"
)

// Open returns a migrated in-memory warehouse, closed when the test ends.
func Open(t testing.TB) *sql.DB {
	t.Helper()
	w, err := warehouse.Open(context.Background(), warehouse.Options{Path: ":memory:", Threads: 1})
	if err != nil {
		t.Fatalf("open warehouse: %v", err)
	}
	t.Cleanup(func() { w.Close() })
	return w.DB
}

// Category inserts one mart_category_month row; month is "YYYY-MM".
func Category(t testing.TB, db *sql.DB, month, code string, received, regulator, major, closed int64) {
	t.Helper()
	_, err := db.Exec(`INSERT INTO mart_category_month (month, business_category, received, received_regulator, received_major, closed)
		VALUES (CAST(? AS DATE), ?, ?, ?, ?, ?)`, month+"-01", code, received, regulator, major, closed)
	if err != nil {
		t.Fatalf("insert mart_category_month %s %s: %v", month, code, err)
	}
}

// Cause inserts one mart_cause_month row.
func Cause(t testing.TB, db *sql.DB, month, code string, received int64) {
	t.Helper()
	if _, err := db.Exec(`INSERT INTO mart_cause_month (month, cause, received) VALUES (CAST(? AS DATE), ?, ?)`, month+"-01", code, received); err != nil {
		t.Fatalf("insert mart_cause_month %s %s: %v", month, code, err)
	}
}

// Batch inserts one batches row; ingestedAt is Beijing wall-clock text "YYYY-MM-DD HH:MM:SS".
func Batch(t testing.TB, db *sql.DB, id int64, source, path, format string, read, accepted, rejected int64, ingestedAt string) {
	t.Helper()
	at, err := time.Parse("2006-01-02 15:04:05", ingestedAt)
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.Exec(`INSERT INTO batches (batch_id, source_system, file_path, file_sha256, file_size, format, rows_read, rows_accepted, rows_rejected, ingested_at)
		VALUES (?, ?, ?, ?, 100, ?, ?, ?, ?, ?)`, id, source, path, path+"-sha", format, read, accepted, rejected, at)
	if err != nil {
		t.Fatalf("insert batch %d: %v", id, err)
	}
}

// Reject inserts n rejects rows with a reason.
func Reject(t testing.TB, db *sql.DB, batchID int64, source, path, reason string, n int) {
	t.Helper()
	for i := range n {
		if _, err := db.Exec(`INSERT INTO rejects (batch_id, source_system, file_path, row_number, reason) VALUES (?, ?, ?, ?, ?)`,
			batchID, source, path, i+2, reason); err != nil {
			t.Fatalf("insert reject: %v", err)
		}
	}
}
