package dashboards

import (
	"context"
	"html"
	"os"
	"path/filepath"
	"testing"
	"time"

	"complaints/transform"
	"complaints/warehouse"
)

// TestOnTimeRatesLeaveOutUnknownClocks: the dashboard's on-time figures divide by the closed complaints whose flag
// on that clock is known (domain.md section 4). December 2027, 2027-12-01 a Wednesday; 工作失误 is general (3
// working days), 服务产品 complex (10); 2028 has no holiday schedule in the built-in calendar.
//
//	O1 12-01 -> 12-02 on time on both; O2 12-01 -> 12-10 internal late; O3 12-01 -> 12-20 late on both;
//	U1 complex 12-24 -> 12-27: both deadlines in 2028, unknown; U2 12-28 -> 12-29: internal deadline 12-31, on
//	time; regulatory deadline in 2028, unknown.
//
// Closed 5; regulatory 2 of the 3 known = 66.7%; internal 2 of the 4 known = 50.0%.
func TestOnTimeRatesLeaveOutUnknownClocks(t *testing.T) {
	ctx := context.Background()
	w, err := warehouse.Open(ctx, warehouse.Options{Path: ":memory:", Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	const at = "2028-01-10 09:00:00"
	exec(t, w.DB, `INSERT INTO batches (batch_id, source_system, file_path, file_sha256, file_size, format, encoding, sheet, export_as_of, rows_read, rows_accepted, rows_rejected, ingested_at) VALUES (1, 'hotline', 'exports/hotline.csv', 'sha1', 1, 'csv', 'utf-8', NULL, NULL, 5, 5, 0, ?)`, at)
	for i, r := range [][]any{
		{"O1", "2027-12-01 10:00:00", "2027-12-02 10:00:00", "工作失误"},
		{"O2", "2027-12-01 10:00:00", "2027-12-10 10:00:00", "工作失误"},
		{"O3", "2027-12-01 10:00:00", "2027-12-20 10:00:00", "工作失误"},
		{"U1", "2027-12-24 10:00:00", "2027-12-27 10:00:00", "服务产品"},
		{"U2", "2027-12-28 10:00:00", "2027-12-29 10:00:00", "工作失误"},
	} {
		exec(t, w.DB, `INSERT INTO landed_rows (batch_id, source_system, file_path, file_sha256, row_number, ingested_at,
			source_id, received_at, replied_at, complaint_type, business_category, status)
			VALUES (1, 'hotline', 'exports/hotline.csv', 'sha1', ?, ?, ?, ?, ?, ?, '信用卡', '已办结')`, append([]any{i + 2, at}, r...)...)
	}
	if _, err := transform.Normalize(ctx, w, transform.Options{}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "dashboard.html")
	if err := Write(ctx, w.DB, Options{Lang: "zh", From: "2027-12", To: "2027-12", Out: out,
		GeneratedAt: time.Date(2028, 1, 11, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	on := rawCharts(t, page)["ontime"]
	if got := js(get(on, "series", 0, "data")); got != "[66.7]" {
		t.Errorf("regulatory on-time %s, want [66.7]", got)
	}
	if got := js(get(on, "series", 1, "data")); got != "[50]" {
		t.Errorf("internal on-time %s, want [50]", got)
	}
	tiles := map[string]string{}
	for _, m := range kpiTile.FindAllStringSubmatch(page, -1) {
		tiles[html.UnescapeString(m[1])] = html.UnescapeString(m[2])
	}
	for label, want := range map[string]string{"办结量 · 2027-12": "5", "按时办结率（监管时限） · 2027-12": "66.7%",
		"按时办结率（内部时限） · 2027-12": "50.0%"} {
		if tiles[label] != want {
			t.Errorf("KPI %s = %q, want %q (tiles %v)", label, tiles[label], want, tiles)
		}
	}
}
