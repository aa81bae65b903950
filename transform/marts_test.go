package transform

import (
	"context"
	"testing"
)

// TestMartStocksAndBands works out open at start/end, overdue at end, handling-day bands, on-time and
// satisfaction counts by hand for a few credit-card complaints across September-November 2026.
func TestMartStocksAndBands(t *testing.T) {
	rows := []landed{
		// K1: received 08-20, replied 09-25 -> open at start of Sep, closed in Sep after 36 days (31-60 band).
		{batch: 1, source: "h", id: "K1", received: "2026-08-20 10:00:00", category: "信用卡", status: "已办结", replied: "2026-09-25 10:00:00"},
		// K2: received 09-02, replied 09-05 (3 days, 0-15 band, on time on both clocks).
		{batch: 1, source: "h", id: "K2", received: "2026-09-02 10:00:00", category: "信用卡", status: "已办结", replied: "2026-09-05 10:00:00"},
		// K3: received 09-10, still open: open at end of Sep and Oct; regulatory deadline 09-25 -> overdue at end of both.
		{batch: 1, source: "h", id: "K3", received: "2026-09-10 10:00:00", category: "信用卡", status: "处理中"},
		// K4: received 09-28, replied 10-20 (22 days, 16-30 band; deadline 10-13 after the holiday roll -> late).
		{batch: 1, source: "h", id: "K4", received: "2026-09-28 10:00:00", category: "信用卡", status: "已办结", replied: "2026-10-20 10:00:00"},
		// K5: withdrawn: received in Sep, never open or closed.
		{batch: 1, source: "h", id: "K5", received: "2026-09-15 10:00:00", category: "信用卡", status: "撤诉"},
		// K6: reply date before receipt: received in Sep, neither open nor closed.
		{batch: 1, source: "h", id: "K6", received: "2026-09-16 10:00:00", category: "信用卡", status: "已办结", replied: "2026-09-01 10:00:00"},
	}
	w := setup(t, rows)
	if _, err := w.DB.Exec("UPDATE landed_rows SET satisfaction = CASE source_id WHEN 'K1' THEN '满意' WHEN 'K2' THEN '不满意' END"); err != nil {
		t.Fatal(err)
	}
	if _, err := Normalize(context.Background(), w, Options{}); err != nil {
		t.Fatal(err)
	}
	type fig struct {
		received, closed, b0, b16, b31, b60, regOK, daysSum, satRec, sat, openStart, openEnd, overdue int
	}
	want := map[string]fig{
		"2026-08": {received: 1, openEnd: 1},
		// received K2 K3 K4 K5 K6 = 5; closed K1 (36 d) and K2 (3 d); open at start K1; open at end K3 K4; overdue K3.
		"2026-09": {received: 5, closed: 2, b0: 1, b31: 1, regOK: 1, daysSum: 39, satRec: 2, sat: 1, openStart: 1, openEnd: 2, overdue: 1},
		// closed K4 (22 d, late); open at start K3 K4; open at end K3 (overdue).
		"2026-10": {closed: 1, b16: 1, daysSum: 22, openStart: 2, openEnd: 1, overdue: 1},
		// no activity in November, but the export (ingested 2026-11-01) is as of November: K3 is still open and overdue.
		"2026-11": {openStart: 1, openEnd: 1, overdue: 1},
	}
	rs, err := w.DB.Query(`SELECT strftime(month, '%Y-%m'), received, closed, closed_0_15, closed_16_30, closed_31_60, closed_over_60,
		closed_regulatory_on_time, handling_days_sum, satisfaction_recorded, satisfied, open_at_start, open_at_end, overdue_at_end
		FROM mart_category_month WHERE business_category = 'credit_card'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	got := map[string]fig{}
	for rs.Next() {
		var m string
		var f fig
		rs.Scan(&m, &f.received, &f.closed, &f.b0, &f.b16, &f.b31, &f.b60, &f.regOK, &f.daysSum, &f.satRec, &f.sat, &f.openStart, &f.openEnd, &f.overdue)
		got[m] = f
	}
	for m, wf := range want {
		if got[m] != wf {
			t.Errorf("%s: got %+v\n              want %+v", m, got[m], wf)
		}
	}
	if len(got) != len(want) {
		t.Errorf("months %v, want %v", got, want)
	}
}
