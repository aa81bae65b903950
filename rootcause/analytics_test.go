package rootcause

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"complaints/ingest"
	"complaints/transform"
	"complaints/warehouse"
)

// analyticsWarehouse lands a small hotline export, and with comments the analytics-only comment file of
// ingest/testdata/analytics_only (every record dated by its as-of date, 2026-10-31), and normalises.
func analyticsWarehouse(t *testing.T, comments bool) *warehouse.Warehouse {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("投诉编号,受理时间,业务类别,投诉原因,投诉内容,处理状态,答复时间,联系电话\n")
	texts := []string{"柜员态度差，等候过久", "对信用卡年费有异议", "转账到账慢", "未经同意扣手续费"}
	for i := 0; i < 24; i++ {
		month := 8 + i%3
		replied := ""
		status := "处理中"
		if i%2 == 0 {
			replied, status = fmt.Sprintf("2026-%02d-%02d 10:00:00", month, 12+i%5), "已办结"
		}
		fmt.Fprintf(&b, "H%03d,2026-%02d-%02d 09:00:00,信用卡,服务态度,%s,%s,%s,1380013%04d\n",
			i, month, 3+i%7, texts[i%4], status, replied, i%9)
	}
	hotline := filepath.Join(dir, "hotline_20261031.csv")
	if err := os.WriteFile(hotline, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	w, err := warehouse.Open(ctx, warehouse.Options{Path: ":memory:", Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	opts := ingest.Options{HMACKey: []byte("k"), Now: func() time.Time { return time.Date(2026, 11, 3, 9, 0, 0, 0, warehouse.Beijing) },
		Profiles: []ingest.Profile{{Name: "comments", AnalyticsOnly: true, ReceivedDate: "as_of",
			Columns: ingest.ColumnMap{"source_id": "id", "narrative": "text"}}}}
	land := func(path, profile string) {
		res, err := ingest.IngestFiles(ctx, w, opts, []string{path}, profile)
		if err != nil || res[0].Err != nil {
			t.Fatalf("ingest %s: %v %+v", path, err, res)
		}
	}
	land(hotline, "")
	if comments {
		land(filepath.Join("..", "ingest", "testdata", "analytics_only", "comments_20261031.csv"), "comments")
		// and more of the same words, so that they rise
		more := filepath.Join(dir, "comments_more_20261031.csv")
		var m strings.Builder
		m.WriteString("id,text\n")
		for i := 0; i < 12; i++ {
			fmt.Fprintf(&m, "M%02d,手机银行转账一直提示系统繁忙，闪退\n", i)
		}
		if err := os.WriteFile(more, []byte(m.String()), 0o600); err != nil {
			t.Fatal(err)
		}
		land(more, "comments")
	}
	if _, err := transform.Normalize(ctx, w, transform.Options{}); err != nil {
		t.Fatal(err)
	}
	return w
}

// TestAnalyticsOnlySource: the figures, marts, checks and coverage of a warehouse are the same with and without
// an analytics-only source's records, which are in complaints (flagged, no complaint) and whose words the
// narrative terms see.
func TestAnalyticsOnlySource(t *testing.T) {
	with, without := analyticsWarehouse(t, true), analyticsWarehouse(t, false)
	dump := func(w *warehouse.Warehouse) string {
		var b strings.Builder
		for _, tbl := range []string{"complaint_figures", "mart_category_month", "mart_cause_month", "mart_month",
			"mart_dimension_month", "mart_reply_completeness", "consistency_issues", "unknown_branches", "source_coverage"} {
			fmt.Fprintln(&b, "==", tbl)
			rows, err := w.DB.Query("SELECT * FROM " + tbl + " ORDER BY ALL")
			if err != nil {
				t.Fatal(err)
			}
			cols, _ := rows.Columns()
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			for rows.Next() {
				if err := rows.Scan(ptrs...); err != nil {
					t.Fatal(err)
				}
				fmt.Fprintln(&b, vals...)
			}
			rows.Close()
		}
		return b.String()
	}
	a, b := dump(with), dump(without)
	if a != b {
		t.Errorf("the analytics-only records changed the figures:\nwith:\n%s\nwithout:\n%s", a, b)
	}
	if !strings.Contains(a, "2026-08") || !strings.Contains(a, "hotline") {
		t.Fatalf("the fixture has no figures:\n%s", a)
	}
	var n, figures int
	if err := with.DB.QueryRow(`SELECT count(*) FILTER (WHERE analytics_only AND NOT is_complaint AND received_date = DATE '2026-10-31'),
		(SELECT count(*) FROM complaint_figures WHERE complaint_key LIKE 'comments:%') FROM complaints`).Scan(&n, &figures); err != nil {
		t.Fatal(err)
	}
	if n != 16 || figures != 0 {
		t.Errorf("analytics-only complaints flagged: %d (want 16), in complaint_figures: %d (want 0)", n, figures)
	}
	o := Options{}.withDefaults()
	o.TermMinCount = 3
	has := func(w *warehouse.Warehouse) bool {
		ts, err := terms(context.Background(), w.DB, "2026-08", "2026-10", o)
		if err != nil {
			t.Fatal(err)
		}
		for _, tm := range ts {
			if strings.Contains(tm.Term, "闪退") {
				return true
			}
		}
		return false
	}
	if !has(with) {
		t.Error("the narrative terms do not see the analytics-only records' words (闪退)")
	}
	if has(without) {
		t.Error("闪退 is a term without the analytics-only records")
	}
}
