package transform

import (
	"context"
	"testing"

	"complaints/warehouse"
)

// repeatBatches: customer P complains on days 0, 30, 100 and 200 (2026-01-05, 02-04, 04-15, 07-24), customer Q
// on days 0 and 95 (2026-01-05, 04-10), landed month by month: January, then February, then the rest.
var repeatBatches = [][]landed{{
	{batch: 1, source: "hotline", id: "P0", received: "2026-01-05 09:00:00", category: "信用卡", status: "处理中", phoneKey: "pp"},
	{batch: 1, source: "hotline", id: "Q0", received: "2026-01-05 10:00:00", category: "信用卡", status: "处理中", phoneKey: "pq"},
}, {
	{batch: 2, source: "hotline", id: "P30", received: "2026-02-04 09:00:00", category: "贷款", status: "处理中", phoneKey: "pp"},
}, {
	{batch: 3, source: "hotline", id: "P100", received: "2026-04-15 09:00:00", category: "借记卡", status: "处理中", phoneKey: "pp"},
	{batch: 3, source: "hotline", id: "Q95", received: "2026-04-10 10:00:00", category: "贷款", status: "处理中", phoneKey: "pq"},
	{batch: 3, source: "hotline", id: "P200", received: "2026-07-24 09:00:00", category: "信用卡", status: "处理中", phoneKey: "pp"},
}}

// TestRepeatsLookBack works domain.md section 5 by hand: a primary is a repeat when its customer has another
// primary in the 90 days before it. P30 (30 days after P0) and P100 (70 after P30) are repeats; P0 and Q0 have
// nothing before them, P200 is 100 days after P100 and Q95 95 after Q0. February counts P's customer with P30
// and the January complaint it repeats, P0; April counts P with P100 and P30 (P0 is 100 days before P100).
// A month's figures, read after its month's batch, do not change when the later batches arrive.
func TestRepeatsLookBack(t *testing.T) {
	inc := setup(t, nil)
	const months = "SELECT strftime(month, '%m'), customers, repeat_customers, repeat_complaints FROM mart_month ORDER BY month"
	members := func(from, to string) []string {
		return rowsOf(t, inc.DB, `SELECT string_agg(c.source_id, ' ' ORDER BY c.source_id) FROM figure_members(DATE '`+from+`', DATE '`+to+`') m
			JOIN complaints c USING (complaint_key) WHERE figure = 'repeat_complaints'`)
	}
	var jan, feb []string
	for i, b := range repeatBatches {
		land(t, inc, b)
		if _, err := Normalize(context.Background(), inc, Options{}); err != nil {
			t.Fatal(err)
		}
		got := rowsOf(t, inc.DB, months)
		switch i {
		case 0:
			jan = got[:1]
			wantRows(t, inc.DB, months, "01|2|0|0")
		case 1:
			feb = got[1:2]
			wantRows(t, inc.DB, months, "01|2|0|0", "02|1|1|2")
		case 2:
			wantRows(t, inc.DB, months, "01|2|0|0", "02|1|1|2", "04|2|1|2", "07|1|0|0")
			// January and February are final: the later complaints changed neither
			if got[0] != jan[0] || got[1] != feb[0] {
				t.Errorf("January %q and February %q changed to %q, %q", jan, feb, got[0], got[1])
			}
		}
	}
	// a warehouse upgraded to migration 037 before its next normalise: the migration fills the customers as
	// 40_marts does
	if _, err := inc.DB.Exec("UPDATE mart_month SET customers = 0"); err != nil {
		t.Fatal(err)
	}
	migs, err := warehouse.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range migs {
		if m.Name == "037_mart_month_customers" {
			if _, err := inc.DB.Exec(m.SQL); err != nil {
				t.Fatal(err)
			}
		}
	}
	wantRows(t, inc.DB, months, "01|2|0|0", "02|1|1|2", "04|2|1|2", "07|1|0|0")
	wantRows(t, inc.DB, "SELECT source_id, repeat_complainant FROM complaints ORDER BY received_at, source_id",
		"P0|false", "Q0|false", "P30|true", "Q95|false", "P100|true", "P200|false")
	// a period's "their complaints" take the earlier complaints their repeats repeat, from before the period too
	if got := members("2026-02-01", "2026-02-01"); len(got) != 1 || got[0] != "P0 P30" {
		t.Errorf("February's repeat_complaints %q, want P0 P30", got)
	}
	if got := members("2026-04-01", "2026-06-01"); len(got) != 1 || got[0] != "P100 P30" {
		t.Errorf("Q2's repeat_complaints %q, want P100 P30", got)
	}
	if got := members("2026-01-01", "2026-01-01"); len(got) != 1 || got[0] != "-" {
		t.Errorf("January's repeat_complaints %q, want none", got)
	}
	full := setup(t, nil)
	for _, b := range repeatBatches {
		land(t, full, b)
	}
	if _, err := Normalize(context.Background(), full, Options{Full: true}); err != nil {
		t.Fatal(err)
	}
	if a, b := dumpAll(t, inc), dumpAll(t, full); a != b {
		t.Errorf("incremental differs from full:\n--- incremental\n%s\n--- full\n%s", a, b)
	}
}
