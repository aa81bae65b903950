package transform

import (
	"context"
	"testing"
)

// TestSourceWithoutReplyDates: a record carrying its source's own timeliness verdict ("Timely response?") and no
// reply date (the CFPB, domain.md section 9) has no clock; closed, it counts in its month of receipt with no band
// and no handling days, on time by its verdict, never open; open, it is never overdue; neither is a data-quality
// issue, and its State is a US state. A bank's closed record without a reply date stays open and flagged.
func TestSourceWithoutReplyDates(t *testing.T) {
	w := setup(t, []landed{
		{batch: 1, source: "cfpb", id: "C1", received: "2026-09-03 00:00:00", status: "closed", province: "CA"},
		{batch: 1, source: "cfpb", id: "C2", received: "2026-09-20 00:00:00", status: "closed", province: "New York"},
		{batch: 1, source: "cfpb", id: "C3", received: "2026-08-01 00:00:00", status: "in progress", province: "TX"},
		{batch: 2, source: "hotline", id: "H1", received: "2026-09-01 10:00:00", status: "已办结", province: "CA"},
	})
	if _, err := w.DB.Exec(`UPDATE landed_rows SET timely_response = CASE source_id WHEN 'C2' THEN 'No' ELSE 'Yes' END
		WHERE source_system = 'cfpb'`); err != nil {
		t.Fatal(err)
	}
	if _, err := Normalize(context.Background(), w, Options{}); err != nil {
		t.Fatal(err)
	}
	wantRows(t, w.DB, `SELECT source_id, status, province, timely_response, reply_date_recorded,
			regulatory_deadline IS NULL AND internal_deadline IS NULL
		FROM complaints ORDER BY source_id`,
		"C1|closed|US-CA|true|false|true", "C2|closed|US-NY|false|false|true", "C3|open|US-TX|true|false|true",
		"H1|closed|CA|-|true|false")
	wantRows(t, w.DB, `SELECT split_part(complaint_key, ':', 2), strftime(closed_month, '%Y-%m'), closed_band, handling_days,
			regulatory_on_time, internal_on_time, strftime(open_from, '%Y-%m'), strftime(overdue_from, '%Y-%m'),
			strftime(internal_overdue_from, '%Y-%m')
		FROM complaint_figures ORDER BY 1`,
		"C1|2026-09|-|-|true|-|-|-|-",
		"C2|2026-09|-|-|false|-|-|-|-",
		"C3|-|-|-|-|-|2026-08|-|-",
		"H1|-|-|-|-|-|2026-09|2026-09|2026-09")
	wantRows(t, w.DB, `SELECT split_part(complaint_key, ':', 2), check_code FROM consistency_issues
		WHERE check_code IN ('closed_without_reply', 'calendar_year_missing', 'type_missing') ORDER BY ALL`,
		"H1|closed_without_reply", "H1|type_missing")
	wantRows(t, w.DB, `SELECT strftime(month, '%Y-%m'), sum(closed)::INTEGER, sum(closed_days_unknown)::INTEGER,
			sum(closed_regulatory_on_time)::INTEGER, sum(overdue_at_end)::INTEGER FROM mart_category_month WHERE month BETWEEN '2026-08-01' AND '2026-09-01' GROUP BY 1 ORDER BY 1`,
		"2026-08|0|0|0|0", "2026-09|2|2|1|1")
}

// TestUnreadableVerdictKeepsTheClock: a timeliness column holding no readable yes or no ("N/A", 待定) is no
// verdict: the record keeps its reply date's meaning and its clocks.
func TestUnreadableVerdictKeepsTheClock(t *testing.T) {
	w := setup(t, []landed{
		{batch: 1, source: "hotline", id: "H1", received: "2026-09-01 10:00:00", status: "处理中"},
		{batch: 1, source: "hotline", id: "H2", received: "2026-09-02 10:00:00", status: "处理中"},
	})
	if _, err := w.DB.Exec(`UPDATE landed_rows SET timely_response = CASE source_id WHEN 'H1' THEN 'N/A' ELSE '待定' END`); err != nil {
		t.Fatal(err)
	}
	if _, err := Normalize(context.Background(), w, Options{}); err != nil {
		t.Fatal(err)
	}
	wantRows(t, w.DB, `SELECT source_id, timely_response, reply_date_recorded, regulatory_deadline IS NOT NULL
		FROM complaints ORDER BY source_id`, "H1|-|true|true", "H2|-|true|true")
}
