package transform

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"complaints/ingest"
	"complaints/warehouse"
)

// A file under `encoding: utf-8` with a few invalid bytes lands with them replaced (U+FFFD) and the rows
// flagged; normalise then runs (invalid UTF-8 inside DuckDB broke every string function) and the data-quality
// checks list the flagged complaints as invalid_text.
func TestInvalidTextLandsAndNormalises(t *testing.T) {
	ctx := context.Background()
	w, err := warehouse.Open(ctx, warehouse.Options{Path: ":memory:", Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	var b strings.Builder
	b.WriteString("工单编号,受理时间,网点,业务类别,投诉内容\n")
	for _, id := range []string{"T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8"} {
		b.WriteString(id + ",2026-10-05 10:00:00,广州天河支行,信用卡,客户反映年费问题\n")
	}
	b.WriteString("T9,2026-10-06 10:00:00,广州天\xe6\xb2支行,信用卡,年费\xff问题\n")
	path := filepath.Join(t.TempDir(), "hotline_20261031.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	opts := ingest.Options{HMACKey: []byte("k"), Profiles: []ingest.Profile{{Name: "hotline", Encoding: "utf-8"}},
		Now: func() time.Time { return time.Date(2026, 11, 1, 9, 0, 0, 0, warehouse.Beijing) }}
	res, err := ingest.IngestFiles(ctx, w, opts, []string{path}, "hotline")
	if err != nil || res[0].Err != nil {
		t.Fatal(err, res[0].Err)
	}
	if res[0].Accepted != 9 || res[0].Flagged != 1 {
		t.Fatalf("accepted %d flagged %d", res[0].Accepted, res[0].Flagged)
	}
	for _, v := range rowsOf(t, w.DB, "SELECT branch || '|' || narrative FROM landed_rows") {
		if !utf8.ValidString(v) {
			t.Fatalf("landed text is not UTF-8: %q", v)
		}
	}
	// (without the replacement, DuckDB's normalise of such rows failed or ran on without end: a bound, not a
	// timing)
	nctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	if _, err := Normalize(nctx, w, Options{}); err != nil {
		t.Fatal(err)
	}
	wantRows(t, w.DB, "SELECT complaint_key, check_code, detail FROM consistency_issues WHERE check_code = 'invalid_text'",
		"hotline:T9|invalid_text|replaced bytes in branch,narrative")
	wantRows(t, w.DB, "SELECT branch_raw FROM complaints WHERE complaint_key = 'hotline:T9'", "广州天\uFFFD支行")
}
