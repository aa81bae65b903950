package transform

import (
	"context"
	"testing"

	"complaints/catalog"
	"complaints/transform/calendar"
)

// TestYearWithNoScheduleLeavesClocksUnknown: a complaint whose clocks need a year the calendar lacks gets unknown
// deadlines and on-time flags, is listed with the year to add, stays out of the on-time and overdue figures, and
// the normalise carries on (domain.md section 4). 2029 comes from a user file, 2028 is missing: no clock counts
// from 2027 over the gap into 2029.
func TestYearWithNoScheduleLeavesClocksUnknown(t *testing.T) {
	rows := []landed{
		{batch: 1, source: "h", id: "ok", received: "2026-10-12 09:00:00", category: "信用卡", status: "已办结", replied: "2026-10-13 10:00:00"},
		{batch: 1, source: "h", id: "dec27", received: "2027-12-28 09:00:00", category: "信用卡", status: "已办结", replied: "2028-01-05 10:00:00"},
		{batch: 1, source: "h", id: "dec27open", received: "2027-12-20 09:00:00", category: "信用卡", status: "处理中"},
		{batch: 1, source: "h", id: "y1900", received: "1900-01-01 00:00:00", category: "信用卡", status: "处理中"},
		{batch: 1, source: "h", id: "y2029", received: "2029-03-01 09:00:00", category: "信用卡", status: "已办结", replied: "2029-03-02 10:00:00"},
	}
	w := setup(t, rows)
	// the export is dated after every reply (else the replies are in the future); the complex ones get 10 days
	for _, q := range []string{
		"UPDATE batches SET export_as_of = TIMESTAMP '2029-12-31 00:00:00'",
		"UPDATE landed_rows SET complaint_type = '工作失误' WHERE source_id IN ('ok', 'y2029')",
		"UPDATE landed_rows SET complaint_type = '服务产品' WHERE source_id IN ('dec27', 'dec27open')",
	} {
		if _, err := w.DB.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	cal := calendar.New()
	if err := cal.LoadFile(writeFile(t, "2029.json", `{"year": 2029, "days": [{"name": "元旦", "date": "2029-01-01", "isOffDay": true}]}`)); err != nil {
		t.Fatal(err)
	}
	if _, err := Normalize(context.Background(), w, Options{Calendar: cal}); err != nil {
		t.Fatalf("normalise must carry on: %v", err)
	}
	wantRows(t, w.DB, `SELECT source_id, strftime(internal_deadline, '%Y-%m-%d'), strftime(regulatory_deadline, '%Y-%m-%d'), internal_on_time, regulatory_on_time, working_days_to_reply
		FROM complaints ORDER BY source_id`,
		"dec27|-|-|-|-|-",
		"dec27open|-|-|-|-|-",
		"ok|2026-10-15|2026-10-27|true|true|1",
		"y1900|-|-|-|-|-",
		"y2029|2029-03-06|2029-03-16|true|true|1")
	wantRows(t, w.DB, `SELECT complaint_key, detail FROM consistency_issues WHERE check_code = 'calendar_year_missing' ORDER BY 1`,
		"h:dec27|no holiday schedule for 2028: add its schedule under calendar_files",
		"h:dec27open|no holiday schedule for 2028: add its schedule under calendar_files",
		"h:y1900|no holiday schedule for 1900: add its schedule under calendar_files")
	// on time: only the two whose clocks are known; overdue at the end of December 2027: none (unknown deadline)
	wantRows(t, w.DB, `SELECT sum(closed)::INT, sum(closed_internal_on_time)::INT, sum(closed_regulatory_on_time)::INT FROM mart_category_month`, "3|2|2")
	wantRows(t, w.DB, `SELECT open_at_end, overdue_at_end FROM mart_category_month WHERE month = DATE '2028-06-01'`, "2|0")
}

// TestFailedNormaliseIsRecorded: a normalise that fails in its models leaves last_failure, which CheckNormalised
// reports before anything else; the next successful normalise clears it.
func TestFailedNormaliseIsRecorded(t *testing.T) {
	ctx := context.Background()
	w := setup(t, []landed{{batch: 1, source: "hotline", id: "H1", received: "2026-10-09 10:00:00", category: "信用卡", status: "处理中"}})
	if err := CheckNormalised(ctx, w.DB); !catalog.HasKey(err, "msg_poison_batch_not_normalised") {
		t.Fatalf("before any normalise: %v", err)
	}
	if _, err := Normalize(ctx, w, Options{}); err != nil {
		t.Fatal(err)
	}
	if err := CheckNormalised(ctx, w.DB); err != nil {
		t.Fatalf("after a normalise: %v", err)
	}
	// a stored complaint twice makes the next incremental normalise fail (TestDuplicateComplaintKeyFailsNormalise)
	if _, err := w.DB.Exec("INSERT INTO complaints SELECT * FROM complaints"); err != nil {
		t.Fatal(err)
	}
	land(t, w, []landed{{batch: 2, source: "hotline", id: "H2", received: "2026-10-10 10:00:00", category: "借记卡", status: "处理中"}})
	if _, err := Normalize(ctx, w, Options{}); err == nil {
		t.Fatal("the normalise did not fail")
	}
	if err := CheckNormalised(ctx, w.DB); !catalog.HasKey(err, "msg_poison_normalise_failed") {
		t.Fatalf("after a failed normalise: %v", err)
	}
	if _, err := Normalize(ctx, w, Options{Full: true}); err != nil {
		t.Fatal(err)
	}
	if err := CheckNormalised(ctx, w.DB); err != nil {
		t.Fatalf("after a good normalise: %v", err)
	}
}
