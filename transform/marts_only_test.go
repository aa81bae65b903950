package transform

import (
	"context"
	"testing"
)

// TestRebuildMartsAfterCut: rebuilding the marts over the complaints as normalised gives the same tables; after
// deleting complaints, the marts count only what is left (hand-worked: K2 alone in September).
func TestRebuildMartsAfterCut(t *testing.T) {
	rows := []landed{
		{batch: 1, source: "h", id: "K1", received: "2026-09-01 10:00:00", category: "信用卡", status: "已办结", replied: "2026-09-05 10:00:00", branch: "A"},
		{batch: 1, source: "h", id: "K2", received: "2026-09-02 10:00:00", category: "信用卡", status: "处理中", branch: "B"},
		{batch: 1, source: "h", id: "K3", received: "2026-09-03 10:00:00", category: "借记卡", status: "处理中", branch: "A"},
	}
	w := setup(t, rows)
	ctx := context.Background()
	if _, err := Normalize(ctx, w, Options{}); err != nil {
		t.Fatal(err)
	}
	before := dumpAll(t, w)
	if err := RebuildMarts(ctx, w); err != nil {
		t.Fatal(err)
	}
	if after := dumpAll(t, w); after != before {
		t.Errorf("rebuilding unchanged complaints changed the tables:\n%s\nwas\n%s", after, before)
	}
	if _, err := w.DB.Exec("DELETE FROM complaints WHERE branch <> 'B'"); err != nil {
		t.Fatal(err)
	}
	if err := RebuildMarts(ctx, w); err != nil {
		t.Fatal(err)
	}
	wantRows(t, w.DB, `SELECT strftime(month, '%Y-%m'), business_category, received, closed, open_at_end FROM mart_category_month
		WHERE month = DATE '2026-09-01' ORDER BY ALL`, "2026-09|credit_card|1|0|1")
	wantRows(t, w.DB, `SELECT branch, CAST(sum(received) AS VARCHAR) FROM mart_dimension_month GROUP BY ALL ORDER BY ALL`, "B|1")
}
