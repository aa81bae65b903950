package transform

import (
	"context"
	"database/sql"
	"testing"
)

// TestClocksInSQL pins domain.md section 4's worked examples through the SQL models (the calendar package pins
// the same dates in Go): internal deadline by complaint type, regulatory deadline with extensions and pauses.
func TestClocksInSQL(t *testing.T) {
	rows := []landed{
		{batch: 1, source: "h", id: "A-general", received: "2026-09-18 09:00:00", category: "信用卡", status: "已办结", replied: "2026-09-22 18:00:00"},
		{batch: 1, source: "h", id: "B-complex", received: "2026-09-18 09:00:00", category: "信用卡", status: "已办结", replied: "2026-10-09 10:00:00"},
		{batch: 1, source: "h", id: "C-general", received: "2025-09-30 23:00:00", category: "信用卡", status: "已办结", replied: "2025-10-16 10:00:00"},
		{batch: 1, source: "h", id: "D-complex", received: "2026-02-13 12:00:00", category: "信用卡", status: "处理中"},
		{batch: 1, source: "h", id: "E-missing", received: "2025-01-24 12:00:00", category: "信用卡", status: "已办结", replied: "2025-02-06 10:00:00"},
		{batch: 1, source: "h", id: "F-ext30", received: "2026-09-18 09:00:00", category: "信用卡", status: "已办结", replied: "2026-10-19 10:00:00"},
	}
	w := setup(t, rows)
	// complaint types and extension/pause fields are not in the helper: set them on the landed rows.
	for _, q := range []string{
		"UPDATE landed_rows SET complaint_type = '工作失误' WHERE source_id IN ('A-general', 'C-general')",
		"UPDATE landed_rows SET complaint_type = '服务产品' WHERE source_id IN ('B-complex', 'D-complex', 'F-ext30')",
		"UPDATE landed_rows SET extension_tier = '30' WHERE source_id = 'F-ext30'",
		"UPDATE landed_rows SET paused_days = '2' WHERE source_id = 'D-complex'",
	} {
		if _, err := w.DB.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Normalize(context.Background(), w, Options{}); err != nil {
		t.Fatal(err)
	}
	type clocks struct {
		internal, regulatory string
		limit, regLimit      int
		internalOK, regOK    sql.NullBool
		workDays             sql.NullInt64
	}
	yes, no, unknown := sql.NullBool{Bool: true, Valid: true}, sql.NullBool{Valid: true}, sql.NullBool{}
	wd := func(n int64) sql.NullInt64 { return sql.NullInt64{Int64: n, Valid: true} }
	want := map[string]clocks{
		// Fri 2026-09-18: 3 working days -> Tue 09-22 (Sun 09-20 is a make-up working day); 15 days -> Thu 10-08.
		"A-general": {"2026-09-22", "2026-10-08", 3, 15, yes, yes, wd(3)},
		// 10 working days -> Fri 10-09; replied 10-09: on time internally, late on the regulatory clock.
		"B-complex": {"2026-10-09", "2026-10-08", 10, 15, yes, no, wd(10)},
		// Tue 2025-09-30: 3 working days -> Sat 10-11 (make-up day); 15 days -> Wed 10-15; replied 10-16: late on both
		// (7 working days after receipt: 10-09, 10-10, 10-11, 10-13, 10-14, 10-15, 10-16).
		"C-general": {"2025-10-11", "2025-10-15", 3, 15, no, no, wd(7)},
		// Fri 2026-02-13: 10 working days -> Thu 03-05; 15 + 2 paused days = 03-02 (Mon, a working day).
		"D-complex": {"2026-03-05", "2026-03-02", 10, 17, unknown, unknown, sql.NullInt64{}},
		// Fri 2025-01-24, type missing: held to the general 3 days -> Wed 02-05; 15 days -> Sat 02-08 (make-up day).
		"E-missing": {"2025-02-05", "2025-02-08", 3, 15, no, yes, wd(4)},
		// 30-day extension: 09-18 + 30 = 10-18 (Sun, an ordinary rest day after the holiday) -> Mon 10-19 (17 working days: 10-10 is a make-up working day).
		"F-ext30": {"2026-10-09", "2026-10-19", 10, 30, no, yes, wd(17)},
	}
	rs, err := w.DB.Query(`SELECT source_id, strftime(internal_deadline, '%Y-%m-%d'), strftime(regulatory_deadline, '%Y-%m-%d'),
		internal_limit_days, regulatory_limit_days, internal_on_time, regulatory_on_time, working_days_to_reply FROM complaints`)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	n := 0
	for rs.Next() {
		var id string
		var c clocks
		if err := rs.Scan(&id, &c.internal, &c.regulatory, &c.limit, &c.regLimit, &c.internalOK, &c.regOK, &c.workDays); err != nil {
			t.Fatal(err)
		}
		n++
		if w := want[id]; c != w {
			t.Errorf("%s: got %+v, want %+v", id, c, w)
		}
	}
	if n != len(want) {
		t.Fatalf("%d complaints, want %d", n, len(want))
	}
}
