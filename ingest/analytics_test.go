package ingest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"complaints/catalog"
)

// TestAnalyticsOnlyDates: an analytics-only file without a receipt column lands every row with the profile's
// fixed date and its batch flagged; with received_date: as_of and no as-of date anywhere it is refused.
func TestAnalyticsOnlyDates(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "comments.csv")
	if err := os.WriteFile(path, []byte("id,text\nC1,年费扣了两次\nC2,转账失败\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	p := Profile{Name: "comments", AnalyticsOnly: true, ReceivedDate: "2026-09-30",
		Columns: ColumnMap{"source_id": "id", "narrative": "text"}}
	opts := testOptions()
	opts.Profiles = []Profile{p}
	w := openTestWarehouse(t)
	res, err := IngestFiles(ctx, w, opts, []string{path}, "comments")
	if err != nil || res[0].Err != nil || res[0].Accepted != 2 {
		t.Fatalf("ingest: %v %+v", err, res)
	}
	var n int
	if err := w.DB.QueryRow(`SELECT count(*) FROM landed_rows l JOIN batches b USING (batch_id)
		WHERE b.analytics_only AND l.received_at = '2026-09-30 00:00:00'`).Scan(&n); err != nil || n != 2 {
		t.Fatalf("flagged rows dated 2026-09-30: %d (%v), want 2", n, err)
	}

	p.ReceivedDate = "as_of"
	opts.Profiles = []Profile{p}
	res, err = IngestFiles(ctx, openTestWarehouse(t), opts, []string{path}, "comments")
	var m *catalog.Message
	if err != nil || !errors.As(res[0].Err, &m) || m.Key != "msg_analytics_no_as_of" {
		t.Fatalf("no as-of anywhere: got %v %v, want msg_analytics_no_as_of", err, res[0].Err)
	}
	p.AsOf = "2026-10-15"
	opts.Profiles = []Profile{p}
	res, err = IngestFiles(ctx, openTestWarehouse(t), opts, []string{path}, "comments")
	if err != nil || res[0].Err != nil || res[0].AsOf != "2026-10-15" || res[0].Accepted != 2 {
		t.Fatalf("profile as_of: %v %+v", err, res)
	}
}
