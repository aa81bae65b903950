package transform

import (
	"context"
	"database/sql"
	"testing"
)

// TestCompensationCanonicalAndFlagged: staging reads ingest's canonical amount text as it is; a raw amount
// ingest could not read is NULL and listed (compensation_unparseable), never read as a wrong number, and a
// negative one (accounting brackets) is listed too.
func TestCompensationCanonicalAndFlagged(t *testing.T) {
	rows := []landed{
		{batch: 1, source: "hotline", id: "A1", received: "2026-10-05 09:00:00"},
		{batch: 1, source: "hotline", id: "A2", received: "2026-10-05 09:00:00"},
		{batch: 1, source: "hotline", id: "A3", received: "2026-10-05 09:00:00"},
		{batch: 1, source: "hotline", id: "A4", received: "2026-10-05 09:00:00"},
	}
	w := setup(t, rows)
	for id, v := range map[string]string{"A1": "1234.50", "A2": "1.234,50", "A3": "-100", "A4": "10000"} {
		if _, err := w.DB.Exec("UPDATE landed_rows SET compensation = ? WHERE source_id = ?", v, id); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Normalize(context.Background(), w, Options{}); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"A1": "1234.50", "A2": "", "A3": "-100.00", "A4": "10000.00"}
	for id, v := range want {
		var got sql.NullString
		if err := w.DB.QueryRow("SELECT CAST(compensation AS VARCHAR) FROM complaints WHERE source_id = ?", id).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got.String != v {
			t.Errorf("%s: compensation %q, want %q", id, got.String, v)
		}
	}
	checks := map[string]string{}
	rs, err := w.DB.Query("SELECT c.source_id, i.check_code FROM consistency_issues i JOIN complaints c USING (complaint_key) WHERE i.check_code LIKE 'compensation%'")
	if err != nil {
		t.Fatal(err)
	}
	for rs.Next() {
		var id, code string
		rs.Scan(&id, &code)
		checks[id] = code
	}
	rs.Close()
	if checks["A2"] != "compensation_unparseable" || checks["A3"] != "compensation_negative" || len(checks) != 2 {
		t.Errorf("checks %v", checks)
	}
}
