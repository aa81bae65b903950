package pipeline

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"complaints/catalog"
	"complaints/config"
	"complaints/ingest"
	"complaints/warehouse"
)

// poisonEnv is a default config in a temporary folder, its clock fixed.
func poisonEnv(t *testing.T, name string) (*Env, *warehouse.Warehouse) {
	t.Helper()
	dir := t.TempDir()
	cfg := config.Default()
	cfg.Dir, cfg.OutputDir = dir, filepath.Join(dir, "out")
	env := &Env{Config: cfg, WarehousePath: filepath.Join(dir, name+".duckdb"),
		Now: func() time.Time { return time.Date(2026, 11, 6, 9, 0, 0, 0, warehouse.Beijing) }}
	w, err := env.OpenWarehouse(context.Background(), false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return env, w
}

const (
	poisonA = "工单编号,受理时间,业务类别,处理状态,办结时间,投诉内容\n" +
		"A1,2026-10-03 10:00:00,信用卡,处理中,,年费\n" +
		"A2,2026-10-05 11:00:00,借记卡,已办结,2026-10-08 09:00:00,转账\n"
	// B closes A1 and brings A3
	poisonB = "工单编号,受理时间,业务类别,处理状态,办结时间,投诉内容\n" +
		"A1,2026-10-03 10:00:00,信用卡,已办结,2026-10-20 09:00:00,年费\n" +
		"A3,2026-10-25 15:00:00,个人贷款,处理中,,利率\n"
)

func ingestText(t *testing.T, env *Env, w *warehouse.Warehouse, name, body string) ingest.FileResult {
	t.Helper()
	p := filepath.Join(env.Config.Dir, name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := ingest.IngestFiles(context.Background(), w, env.IngestOptions(false), []string{p}, "")
	if err != nil || res[0].Err != nil {
		t.Fatalf("ingest %s: %v %+v", name, err, res)
	}
	return res[0]
}

// tableText is a table's rows as text, in order.
func tableText(t *testing.T, db *sql.DB, table, order string) string {
	t.Helper()
	rs, err := db.Query("SELECT * FROM " + table + " ORDER BY " + order)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	cols, _ := rs.Columns()
	var b strings.Builder
	for rs.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rs.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintln(&b, vals...)
	}
	return b.String()
}

// TestRemoveBatchEqualsNeverLanded: land A and B, normalise, remove B, normalise: the complaints and the marts
// equal those of a warehouse that only ever landed A; reports refuse to run between the removal and the
// normalise; B's file can be ingested again afterwards.
func TestRemoveBatchEqualsNeverLanded(t *testing.T) {
	ctx := context.Background()
	env, w := poisonEnv(t, "ab")
	ingestText(t, env, w, "hotline_20261031.csv", poisonA)
	b := ingestText(t, env, w, "hotline_20261105.csv", poisonB)
	if err := env.RequireNormalised(ctx, w); !catalog.HasKey(err, "msg_poison_batch_not_normalised") {
		t.Fatalf("landed, not normalised: %v", err)
	}
	if _, err := env.Normalize(ctx, w); err != nil {
		t.Fatal(err)
	}
	if err := env.RequireNormalised(ctx, w); err != nil {
		t.Fatalf("normalised: %v", err)
	}
	dry, err := ingest.RemoveBatch(ctx, w, b.BatchID, ingest.RemoveOptions{DryRun: true})
	if err != nil || dry.Rows != 2 {
		t.Fatalf("dry run: %+v %v", dry, err)
	}
	if _, err := ingest.RemoveBatch(ctx, w, b.BatchID, ingest.RemoveOptions{Reason: "wrong export", Now: env.Now}); err != nil {
		t.Fatal(err)
	}
	if err := env.RequireNormalised(ctx, w); !catalog.HasKey(err, "msg_poison_batch_removed_not_normalised") {
		t.Fatalf("removed, not normalised: %v", err)
	}
	if _, err := env.Normalize(ctx, w); err != nil {
		t.Fatal(err)
	}
	if err := env.RequireNormalised(ctx, w); err != nil {
		t.Fatalf("normalised after removal: %v", err)
	}

	envA, wA := poisonEnv(t, "a")
	ingestText(t, envA, wA, "hotline_20261031.csv", poisonA)
	if _, err := envA.Normalize(ctx, wA); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ table, order string }{
		{"complaints", "complaint_key"}, {"mart_category_month", "month, business_category"}, {"mart_month", "month"},
		{"landed_rows", "batch_id, row_number"}, {"rejects", "batch_id, row_number"},
	} {
		got, want := tableText(t, w.DB, c.table, c.order), tableText(t, wA.DB, c.table, c.order)
		if got != want {
			t.Errorf("%s after removing B:\n%s\nnever had B:\n%s", c.table, got, want)
		}
	}
	var removed, forced int
	var why string
	if err := w.DB.QueryRow("SELECT count(*), count(*) FILTER (WHERE forced), any_value(why) FROM batch_removals WHERE batch_id = ? AND rows_removed = 2",
		b.BatchID).Scan(&removed, &forced, &why); err != nil || removed != 1 || forced != 0 || why != "wrong export" {
		t.Fatalf("batch_removals: %d %d %q %v", removed, forced, why, err)
	}
	// the same file again: landed as a new batch (ids are not reused), not skipped
	again := ingestText(t, env, w, "hotline_20261105.csv", poisonB)
	if again.Skipped || again.BatchID <= b.BatchID {
		t.Fatalf("re-ingest after removal: %+v", again)
	}
	if err := env.RequireNormalised(ctx, w); !catalog.HasKey(err, "msg_poison_batch_not_normalised") {
		t.Fatalf("re-landed: %v", err)
	}
	list, err := ingest.ListBatches(ctx, w)
	if err != nil || len(list) != 3 || !list[1].Removed || list[2].Removed {
		t.Fatalf("batches: %+v %v", list, err)
	}
}

// TestRemoveBatchRefusedInFiledPeriod: a batch with complaints received in a filed month is kept unless forced.
func TestRemoveBatchRefusedInFiledPeriod(t *testing.T) {
	ctx := context.Background()
	env, w := poisonEnv(t, "filed")
	b := ingestText(t, env, w, "hotline_20261105.csv", poisonB)
	if _, err := w.DB.Exec("INSERT INTO filings VALUES (1, '2026-Q4', 'quarter', '', NULL, TIMESTAMP '2026-11-05 10:00:00', NULL, 'r.xlsx')"); err != nil {
		t.Fatal(err)
	}
	for _, dry := range []bool{true, false} {
		r, err := ingest.RemoveBatch(ctx, w, b.BatchID, ingest.RemoveOptions{DryRun: dry})
		if !catalog.HasKey(err, "msg_poison_batch_filed") || r == nil || len(r.Filed) != 1 || r.Filed[0] != "2026-Q4" {
			t.Fatalf("dry run %v: %+v %v", dry, r, err)
		}
	}
	var n int
	w.DB.QueryRow("SELECT count(*) FROM landed_rows").Scan(&n)
	if n != 2 {
		t.Fatalf("refused removal removed rows: %d left", n)
	}
	if _, err := ingest.RemoveBatch(ctx, w, b.BatchID, ingest.RemoveOptions{Force: true}); err != nil {
		t.Fatal(err)
	}
	var forced bool
	if err := w.DB.QueryRow("SELECT forced FROM batch_removals").Scan(&forced); err != nil || !forced {
		t.Fatalf("forced: %v %v", forced, err)
	}
	for _, tbl := range []string{"landed_rows", "batches", "rejects", "missing_from_snapshot"} {
		w.DB.QueryRow("SELECT count(*) FROM " + tbl).Scan(&n)
		if n != 0 {
			t.Errorf("%s: %d rows left", tbl, n)
		}
	}
	if _, err := ingest.RemoveBatch(ctx, w, b.BatchID, ingest.RemoveOptions{}); !catalog.HasKey(err, "msg_poison_batch_already_removed") {
		t.Fatalf("second removal: %v", err)
	}
	if _, err := ingest.RemoveBatch(ctx, w, 99, ingest.RemoveOptions{}); !catalog.HasKey(err, "msg_poison_batch_unknown") {
		t.Fatalf("unknown batch: %v", err)
	}
}

// TestFailedNormaliseIsRecorded: a normalise that fails leaves a mark that makes reports refuse, and `run`
// returns the error instead of writing a workbook; the next successful normalise clears it.
func TestFailedNormaliseIsRecorded(t *testing.T) {
	ctx := context.Background()
	env, w := poisonEnv(t, "failed")
	ingestText(t, env, w, "hotline_20261031.csv", poisonA)
	if _, err := env.Normalize(ctx, w); err != nil {
		t.Fatal(err)
	}
	env.Config.CalendarFiles = []string{"missing-2028.json"}
	if _, err := env.Normalize(ctx, w); err == nil {
		t.Fatal("normalise with a missing calendar file succeeded")
	}
	if err := env.RequireNormalised(ctx, w); !catalog.HasKey(err, "msg_poison_normalise_failed") {
		t.Fatalf("after a failed normalise: %v", err)
	}
	s, err := env.Run(ctx, w, RunOptions{Period: "2026-10"})
	if err == nil || s.Report != "" {
		t.Fatalf("run over a failing normalise: report %q, err %v", s.Report, err)
	}
	env.Config.CalendarFiles = nil
	if _, err := env.Normalize(ctx, w); err != nil {
		t.Fatal(err)
	}
	if err := env.RequireNormalised(ctx, w); err != nil {
		t.Fatalf("after a good normalise: %v", err)
	}
}

// TestCalendarYearMissingOnQualitySheet: a December-2027 complaint whose deadline needs 2028 (no schedule) lands,
// the normalise succeeds, and the workbook's data-quality sheet names the year to add.
func TestCalendarYearMissingOnQualitySheet(t *testing.T) {
	ctx := context.Background()
	env, w := poisonEnv(t, "dec2027")
	body, err := os.ReadFile("testdata/hotline_dec2027_20271231.csv")
	if err != nil {
		t.Fatal(err)
	}
	ingestText(t, env, w, "hotline_dec2027_20271231.csv", string(body))
	if _, err := env.Normalize(ctx, w); err != nil {
		t.Fatalf("normalise: %v", err)
	}
	path, err := env.Report(ctx, w, "2027-12", "en", filepath.Join(t.TempDir(), "r.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := catalog.Text("rpt_check_calendar_year_missing", "en") + catalog.Text("colon", "en") + "2028"
	for _, sh := range f.GetSheetList() {
		rows, _ := f.GetRows(sh)
		for _, r := range rows {
			for i, c := range r {
				if c == want && i+1 < len(r) && r[i+1] == "2" {
					return
				}
			}
		}
	}
	t.Fatalf("no sheet lists %q with 2 records", want)
}

// TestIngestTakesTheCalendarsYears: ingest is told the years of lunar-go plus the config's calendar files.
func TestIngestTakesTheCalendarsYears(t *testing.T) {
	env, _ := poisonEnv(t, "years")
	if err := os.WriteFile(filepath.Join(env.Config.Dir, "2030.json"), []byte(`{"year": 2030, "days": []}`), 0o644); err != nil {
		t.Fatal(err)
	}
	env.Config.CalendarFiles = []string{"2030.json"}
	years := map[int]bool{}
	for _, y := range env.IngestOptions(false).CalendarYears {
		years[y] = true
	}
	if !years[2026] || !years[2027] || years[2028] || years[2029] || !years[2030] || years[1900] {
		t.Fatalf("calendar years %v", env.IngestOptions(false).CalendarYears)
	}
}

// A filing that counted a batch's complaint in a later period (received in September, counted in October's
// filing) protects the batch too, not only filings of the months its complaints were received in.
func TestRemoveBatchRefusedWhenAFilingCountedItsComplaint(t *testing.T) {
	ctx := context.Background()
	env, w := poisonEnv(t, "filedlater")
	b := ingestText(t, env, w, "hotline_20261105.csv", poisonB)
	var key string
	if err := w.DB.QueryRow("SELECT source_system || ':' || source_id FROM landed_rows LIMIT 1").Scan(&key); err != nil {
		t.Fatal(err)
	}
	if _, err := w.DB.Exec(`INSERT INTO filings VALUES (1, '2027-01', 'month', '', NULL, TIMESTAMP '2027-02-05 10:00:00', NULL, 'r.xlsx');
		INSERT INTO filing_complaints VALUES (1, 'closed', ?, 'credit_card', 'pricing_fees', '', '', 'hotline')`, key); err != nil {
		t.Fatal(err)
	}
	r, err := ingest.RemoveBatch(ctx, w, b.BatchID, ingest.RemoveOptions{DryRun: true})
	if !catalog.HasKey(err, "msg_poison_batch_filed") || r == nil || len(r.Filed) != 1 || r.Filed[0] != "2027-01" {
		t.Fatalf("%+v %v", r, err)
	}
}
