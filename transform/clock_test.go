package transform

import (
	"context"
	"testing"
)

// TestMartCountsUnknownClocksPerClock: mart_category_month counts, per clock, the closed complaints whose on-time
// flag is unknown (the on-time rates leave them out of their denominators; closed keeps them). Both clocks can
// differ: "int" (general, 2027-12-28 -> 12-29) has its internal deadline on 2027-12-31 but its regulatory
// deadline in 2028, which the built-in calendar lacks; "both" (complex, 12-24 -> 12-27) has both in 2028.
func TestMartCountsUnknownClocksPerClock(t *testing.T) {
	w := setup(t, []landed{
		{batch: 1, source: "h", id: "ok", received: "2027-12-01 10:00:00", category: "信用卡", status: "已办结", replied: "2027-12-02 10:00:00"},
		{batch: 1, source: "h", id: "int", received: "2027-12-28 10:00:00", category: "信用卡", status: "已办结", replied: "2027-12-29 10:00:00"},
		{batch: 1, source: "h", id: "both", received: "2027-12-24 10:00:00", category: "信用卡", status: "已办结", replied: "2027-12-27 10:00:00"},
	})
	for _, q := range []string{
		"UPDATE batches SET export_as_of = TIMESTAMP '2028-01-10 00:00:00'",
		"UPDATE landed_rows SET complaint_type = CASE WHEN source_id = 'both' THEN '服务产品' ELSE '工作失误' END",
	} {
		if _, err := w.DB.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Normalize(context.Background(), w, Options{}); err != nil {
		t.Fatal(err)
	}
	wantRows(t, w.DB, `SELECT source_id, internal_on_time, regulatory_on_time FROM complaints ORDER BY 1`,
		"both|-|-", "int|true|-", "ok|true|true")
	wantRows(t, w.DB, `SELECT closed, closed_internal_on_time, closed_regulatory_on_time, closed_internal_unknown, closed_regulatory_unknown
		FROM mart_category_month WHERE month = DATE '2027-12-01'`, "3|2|1|1|2")
}
