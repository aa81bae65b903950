package ingest

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"complaints/catalog"
	"complaints/internal/termlog"
	"complaints/warehouse"
)

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func bigCSV(n int) string {
	var b strings.Builder
	b.WriteString("工单编号,受理时间,联系电话,投诉内容\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "ID%06d,2025-10-03 10:%02d:00,1380013%04d,第%d条投诉\n", i, i%60, i%10000, i)
	}
	return b.String()
}

func tableCounts(t *testing.T, w *warehouse.Warehouse) (batches, landed, rejects int) {
	t.Helper()
	for _, c := range []struct {
		tbl string
		n   *int
	}{{"batches", &batches}, {"landed_rows", &landed}, {"rejects", &rejects}} {
		if err := w.DB.QueryRow("SELECT count(*) FROM " + c.tbl).Scan(c.n); err != nil {
			t.Fatal(err)
		}
	}
	return
}

func TestSameFileTwiceIsSkipped(t *testing.T) {
	ctx := context.Background()
	w := openTestWarehouse(t)
	dir := t.TempDir()
	p := writeFile(t, dir, "hotline_20251020.csv", bigCSV(10))
	copyPath := writeFile(t, dir, "renamed.csv", bigCSV(10)) // same bytes under another name
	opts := testOptions()
	res, err := IngestFiles(ctx, w, opts, []string{p}, "")
	if err != nil || res[0].Err != nil || res[0].BatchID != 1 || res[0].Accepted != 10 {
		t.Fatalf("first ingest: %+v %v", res, err)
	}
	b1, l1, r1 := tableCounts(t, w)
	res, err = IngestFiles(ctx, w, opts, []string{p, copyPath}, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if !r.Skipped || r.Err != nil || r.SkipReason != catalog.Msg("msg_cli_already_ingested", 1, "2026-11-05").Error() {
			t.Errorf("%s: skipped=%v reason=%q err=%v", r.Path, r.Skipped, r.SkipReason, r.Err)
		}
	}
	b2, l2, r2 := tableCounts(t, w)
	if b1 != b2 || l1 != l2 || r1 != r2 {
		t.Errorf("second ingest changed the warehouse: %d/%d/%d -> %d/%d/%d", b1, l1, r1, b2, l2, r2)
	}
	// A different file gets the next batch id.
	p2 := writeFile(t, dir, "other.csv", bigCSV(11))
	res, err = IngestFiles(ctx, w, opts, []string{p2}, "")
	if err != nil || res[0].BatchID != 2 {
		t.Fatalf("third file: %+v %v", res, err)
	}
}

// A file with the path, size and modification time of a landed batch's file is skipped without being read; one
// that differs in its modification time is read, and lands when its bytes differ.
func TestSameSizeAndTimeSkipsWithoutReading(t *testing.T) {
	ctx := context.Background()
	w := openTestWarehouse(t)
	dir := t.TempDir()
	p := writeFile(t, dir, "hotline_20251020.csv", bigCSV(10))
	opts := testOptions()
	res, err := IngestFiles(ctx, w, opts, []string{p}, "")
	if err != nil || res[0].Err != nil || res[0].BatchID != 1 {
		t.Fatalf("first ingest: %+v %v", res, err)
	}
	st, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	// other bytes of the same length, the modification time put back: taken for the landed file, unread
	changed := strings.Replace(bigCSV(10), "第1条投诉", "第9条投诉", 1)
	if len(changed) != len(bigCSV(10)) || changed == bigCSV(10) {
		t.Fatal("the changed file must keep its length")
	}
	writeFile(t, dir, "hotline_20251020.csv", changed)
	if err := os.Chtimes(p, st.ModTime(), st.ModTime()); err != nil {
		t.Fatal(err)
	}
	res, err = IngestFiles(ctx, w, opts, []string{p}, "")
	if err != nil || !res[0].Skipped || res[0].BatchID != 1 || res[0].SHA256 != sha256Hex(bigCSV(10)) {
		t.Fatalf("same path, size and time: %+v %v; want skipped as batch 1 with its sha256", res, err)
	}
	// the modification time moved: read, hashed, and landed as a new batch
	if err := os.Chtimes(p, st.ModTime(), st.ModTime().Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	res, err = IngestFiles(ctx, w, opts, []string{p}, "")
	if err != nil || res[0].Err != nil || res[0].Skipped || res[0].BatchID != 2 || res[0].SHA256 != sha256Hex(changed) {
		t.Fatalf("a later modification time: %+v %v; want batch 2", res, err)
	}
	// and again, unchanged: skipped by its recorded time
	res, err = IngestFiles(ctx, w, opts, []string{p}, "")
	if err != nil || !res[0].Skipped || res[0].BatchID != 2 {
		t.Fatalf("the same file again: %+v %v; want skipped as batch 2", res, err)
	}
	// touched, same bytes: skipped by its sha256, and its new time recorded for the next run (as for a batch
	// landed before the time was recorded)
	later := st.ModTime().Add(time.Hour)
	if err := os.Chtimes(p, later, later); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		res, err = IngestFiles(ctx, w, opts, []string{p}, "")
		if err != nil || !res[0].Skipped || res[0].BatchID != 2 {
			t.Fatalf("touched: %+v %v; want skipped as batch 2", res, err)
		}
	}
	var ns int64
	if err := w.DB.QueryRow("SELECT file_mtime_ns FROM batches WHERE batch_id = 2").Scan(&ns); err != nil || ns != later.UnixNano() {
		t.Errorf("batch 2's recorded modification time %d (%v), want %d", ns, err, later.UnixNano())
	}
}

func sha256Hex(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func TestCancelMidFileLeavesNothing(t *testing.T) {
	w := openTestWarehouse(t)
	dir := t.TempDir()
	// A first file lands, so the cancelled one must not disturb what is there.
	ok := writeFile(t, dir, "ok.csv", bigCSV(5))
	if res, err := IngestFiles(context.Background(), w, testOptions(), []string{ok}, ""); err != nil || res[0].Err != nil {
		t.Fatalf("%+v %v", res, err)
	}
	p := writeFile(t, dir, "big.csv", bigCSV(3*recordBatchRows+10))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	appended := 0
	hookAfterBatch = func(n int) {
		appended = n
		if n == 2 {
			// Rows of two batches are in the open transaction: check that they are not visible outside it.
			var seen int
			if err := w.DB.QueryRow("SELECT count(*) FROM landed_rows WHERE batch_id = 2").Scan(&seen); err != nil {
				t.Error(err)
			}
			if seen != 0 {
				t.Errorf("%d rows of the open batch visible outside its transaction", seen)
			}
			cancel()
		}
	}
	defer func() { hookAfterBatch = nil }()
	res, err := IngestFiles(ctx, w, testOptions(), []string{p}, "")
	if !errors.Is(err, context.Canceled) {
		t.Errorf("run error = %v, want context.Canceled", err)
	}
	if len(res) != 1 || !errors.Is(res[0].Err, context.Canceled) {
		t.Fatalf("file result: %+v", res)
	}
	if appended < 2 {
		t.Fatalf("cancel came before any rows were appended (%d batches)", appended)
	}
	b, l, r := tableCounts(t, w)
	if b != 1 || l != 5 || r != 0 {
		t.Errorf("after cancel: %d batches, %d landed, %d rejects; want only the first file (1, 5, 0)", b, l, r)
	}
	// The same file ingests fully afterwards (nothing half-done blocks it).
	res, err = IngestFiles(context.Background(), w, testOptions(), []string{p}, "")
	if err != nil || res[0].Err != nil || res[0].Accepted != 3*recordBatchRows+10 || res[0].BatchID != 2 {
		t.Fatalf("re-ingest after cancel: %+v %v", res, err)
	}
}

func TestRejectRateAboveLimitTakesNothing(t *testing.T) {
	w := openTestWarehouse(t)
	dir := t.TempDir()
	p := writeFile(t, dir, "wrong.csv", "工单编号,受理时间\nA1,2025-10-03\nA2,下午\nA3,昨天\nA4,2025-10-04\n")
	opts := testOptions()
	opts.MaxRejectRate = 0.2
	res, err := IngestFiles(context.Background(), w, opts, []string{p}, "")
	if err != nil {
		t.Fatal(err)
	}
	e := res[0].Err
	if !errors.Is(e, errRejectRate) || !strings.Contains(e.Error(), "50.0%") || !strings.Contains(e.Error(), "wrong.csv") || !strings.Contains(e.Error(), "profile") {
		t.Errorf("error = %v", e)
	}
	assertEmptyWarehouse(t, w)
}

func TestDryRunWritesNothing(t *testing.T) {
	w := openTestWarehouse(t)
	p := writeFile(t, t.TempDir(), "a.csv", bigCSV(7))
	opts := testOptions()
	opts.DryRun = true
	res, err := IngestFiles(context.Background(), w, opts, []string{p}, "")
	if err != nil || res[0].Err != nil || res[0].Accepted != 7 {
		t.Fatalf("%+v %v", res, err)
	}
	assertEmptyWarehouse(t, w)
}

func TestIngestSourcesByGlob(t *testing.T) {
	w := openTestWarehouse(t)
	base := t.TempDir()
	os.MkdirAll(filepath.Join(base, "exports"), 0o755)
	writeFile(t, base, "exports/hotline_20251102.csv", bigCSV(3))
	writeFile(t, base, "exports/hotline_20251101.csv", bigCSV(2))
	writeFile(t, base, "exports/other.txt", "x")
	opts := testOptions()
	opts.BaseDir = base
	opts.Profiles = []Profile{{Name: "hotline", Glob: "exports/hotline_*.csv", IntakeChannel: "phone"}}
	res, err := IngestSources(context.Background(), w, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 2 || res[0].Path != "exports/hotline_20251101.csv" || res[1].Path != "exports/hotline_20251102.csv" {
		t.Fatalf("results: %+v", res)
	}
	var path, channel, asOf string
	if err := w.DB.QueryRow(`SELECT l.file_path, l.intake_channel, strftime(b.export_as_of, '%Y-%m-%d') FROM landed_rows l JOIN batches b USING (batch_id)
		WHERE batch_id = 1 LIMIT 1`).Scan(&path, &channel, &asOf); err != nil {
		t.Fatal(err)
	}
	if path != "exports/hotline_20251101.csv" || channel != "phone" || asOf != "2025-11-01" {
		t.Errorf("lineage: path %q channel %q as_of %q", path, channel, asOf)
	}
}

func TestCheckReport(t *testing.T) {
	p := writeFile(t, t.TempDir(), "x.csv", "登记编号;登记日期;客户姓名;联系电话;奇怪的列\nA1;2025-10-03;张三;13812345678;x\nA2;坏日期;李四;13812345679;y\n")
	rep, err := Check(context.Background(), p, nil, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Delimiter != ";" || rep.Encoding != "utf-8" || rep.HeaderRow != 1 || rep.Mapping["received_at"] != "登记日期" ||
		rep.Mapping["customer_phone"] != "联系电话" || len(rep.Samples) != 1 || rep.Samples[0]["customer_phone_masked"] != "138****5678" ||
		rep.Rejected != 1 || len(rep.Unmapped) != 1 || rep.Unmapped[0] != "奇怪的列" || len(rep.Problems) == 0 {
		t.Errorf("report: %+v", rep)
	}
	if _, clear := rep.Samples[0]["customer_phone"]; clear {
		t.Error("sample shows the phone in clear")
	}
}

// Personal data planted in every shape the domain reference names; none may reach any warehouse table.
var (
	plantedNames = []string{"张伟", "欧阳娜娜", "Zhang Wei"}
	plantedClear = []string{"13812345678", "138 1234 5678", "138-1234-5678", "１３８１２３４５６７８", "+86 139 0000 1111", "0086-137-0000-2222",
		"11010119900307123X", "11010119900307123x", "110101 19900307 123X", "１１０１０１１９９００３０７１２３Ｘ", "110101900307123",
		"6222021234567890123", "6222 0212 3456 7890 123", "6222-0212-3456-7890", "4367422269176710",
		"zhang.wei@example.com", "ZHANGWEI@EXAMPLE.CN", "ｚｈａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ", "li_lei+bank@mail.qq.com"}
	plantedDigits = []string{"13812345678", "13900001111", "13700002222", "11010119900307123", "110101900307123", "6222021234567890123",
		"6222021234567890", "4367422269176710"}
)

func TestPrivacyNothingInClear(t *testing.T) {
	dir := t.TempDir()
	textOf := func(name string) string {
		return "客户" + name + "来电，手机13812345678，也可拨138 1234 5678或138-1234-5678、１３８１２３４５６７８；" +
			"证件11010119900307123X / 11010119900307123x / 110101 19900307 123X / １１０１０１１９９００３０７１２３Ｘ / 旧证110101900307123；" +
			"卡号6222021234567890123、6222 0212 3456 7890 123、6222-0212-3456-7890、4367422269176710；" +
			"邮箱zhang.wei@example.com, ZHANGWEI@EXAMPLE.CN, ｚｈａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ, li_lei+bank@mail.qq.com；" + name + "本人代办，+86 139 0000 1111，0086-137-0000-2222"
	}
	text := textOf("张伟")
	csvText := "工单编号,受理时间,客户姓名,联系电话,证件号码,卡号,投诉摘要,投诉内容,处理结果,经办人\n" +
		"P1,2025-10-03 10:00,张伟,138-1234-5678,１１０１０１１９９００３０７１２３ｘ,6222 0212 3456 7890 123,\"" + text + "\",\"" + text + "\",\"" + text + "\",王经理\n" +
		"P2,2025-10-03 11:00,欧阳娜娜,+86 139 0000 1111,110101900307123,6222021234567890123,摘要,\"" + textOf("欧阳娜娜") + "\",已解释,\n" +
		"P3,13812345678,Zhang Wei,0086-137-0000-2222,,,日期列里有手机号,x,x,x\n" +
		"P4,2025-10-04,Zhang Wei,0086-137-0000-2222,,,ok,\"" + textOf("Zhang Wei") + "\",x,x\n"
	csvPath := writeFile(t, dir, "privacy.csv", csvText)
	ndjson := `{"id":"N1","created_at":"2025-10-03T10:00:00+08:00","customer":{"name":"张伟","mobile":"+86-13812345678","id_no":"11010119900307123X","card_no":"4367422269176710"},"detail":"` + text + `"}` + "\n" +
		`{"id":"N2","created_at":"2025-10-03T10:00:00+08:00","customer":{"name":"欧阳娜娜","mobile":"１３９００００１１１１"},"summary":"` + textOf("欧阳娜娜") + `"}` + "\n"
	ndPath := writeFile(t, dir, "privacy.ndjson", ndjson)
	w := openTestWarehouse(t)
	opts := testOptions()
	opts.MaxRejectRate = 0.5
	res, err := IngestFiles(context.Background(), w, opts, []string{csvPath, ndPath}, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.Err != nil {
			t.Fatalf("%s: %v", r.Path, r.Err)
		}
	}
	if res[0].Accepted != 3 || res[0].Rejected != 1 || res[1].Accepted != 2 {
		t.Fatalf("counts: %+v", res)
	}
	needles := append(append([]string{}, plantedNames...), plantedClear...)
	scanned := 0
	for _, tbl := range []string{"batches", "landed_rows", "rejects"} {
		cols := varcharColumns(t, w.DB, tbl)
		for _, c := range cols {
			rs, err := w.DB.Query(fmt.Sprintf("SELECT %q FROM %q WHERE %q IS NOT NULL", c, tbl, c))
			if err != nil {
				t.Fatal(err)
			}
			for rs.Next() {
				var v string
				if err := rs.Scan(&v); err != nil {
					t.Fatal(err)
				}
				scanned++
				for _, n := range needles {
					if strings.Contains(v, n) || strings.Contains(halfWidth(v), halfWidth(n)) {
						t.Errorf("%s.%s holds %q in clear: %q", tbl, c, n, v)
					}
				}
				if strings.HasSuffix(c, "_key") || c == "file_sha256" || c == "row_hash" || c == "raw_hash" {
					continue
				}
				d := digitsOnly(strings.ReplaceAll(v, " ", ""))
				for _, n := range plantedDigits {
					if strings.Contains(d, n) {
						t.Errorf("%s.%s holds the digits of %s: %q", tbl, c, n, v)
					}
				}
			}
			rs.Close()
		}
	}
	if scanned < 50 {
		t.Fatalf("scanned only %d values", scanned)
	}
	// The keys link the same person across files and spellings: the phone written three ways, the ID written
	// as 15 and 18 digits.
	var phoneKeys, idKeys int
	w.DB.QueryRow(`SELECT count(DISTINCT customer_phone_key) FROM landed_rows WHERE source_id IN ('P1', 'N1')`).Scan(&phoneKeys)
	w.DB.QueryRow(`SELECT count(DISTINCT customer_id_key) FROM landed_rows WHERE source_id IN ('P1', 'N1')`).Scan(&idKeys)
	if phoneKeys != 1 || idKeys != 1 {
		t.Errorf("same customer: %d phone keys, %d id keys; want 1 and 1", phoneKeys, idKeys)
	}
	var p2phone, n2phone string
	w.DB.QueryRow(`SELECT customer_phone_key FROM landed_rows WHERE source_id = 'P2'`).Scan(&p2phone)
	w.DB.QueryRow(`SELECT customer_phone_key FROM landed_rows WHERE source_id = 'N2'`).Scan(&n2phone)
	if p2phone == "" || p2phone != n2phone {
		t.Errorf("+86 139 0000 1111 and full-width 13900001111 give different keys")
	}
	var narrative string
	w.DB.QueryRow(`SELECT narrative FROM landed_rows WHERE source_id = 'P1'`).Scan(&narrative)
	for _, m := range []string{maskName, maskPhone, maskID, maskCard, maskEmail} {
		if !strings.Contains(narrative, m) {
			t.Errorf("narrative lacks %s: %s", m, narrative)
		}
	}
	if !strings.Contains(narrative, "来电") || !strings.Contains(narrative, "代办") {
		t.Errorf("scrubbing removed ordinary text: %s", narrative)
	}
}

func varcharColumns(t *testing.T, db *sql.DB, table string) []string {
	t.Helper()
	rs, err := db.Query("SELECT column_name FROM information_schema.columns WHERE table_name = ? AND data_type = 'VARCHAR'", table)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	var out []string
	for rs.Next() {
		var c string
		rs.Scan(&c)
		out = append(out, c)
	}
	if len(out) == 0 {
		t.Fatalf("table %s has no VARCHAR columns", table)
	}
	return out
}

func TestParquet(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "export.parquet")
	w := openTestWarehouse(t)
	if _, err := w.DB.Exec(`COPY (SELECT * FROM (VALUES
		('PQ1', TIMESTAMP '2025-10-03 14:05:00', '13812345678', 12.5, NULL),
		('PQ2', TIMESTAMP '2025-10-04 09:00:00', NULL, 3, 'ok'))
		t(complaint_id, received_at, mobile, compensation, narrative)) TO '` + path + `' (FORMAT parquet)`); err != nil {
		t.Fatal(err)
	}
	exp := expectedCase{Format: "parquet", Accepted: 2,
		Rows: []map[string]any{{"row_number": float64(1), "source_id": "PQ1", "received_at": "2025-10-03 14:05:00", "customer_phone_masked": "138****5678", "compensation": "12.5"},
			{"row_number": float64(2), "source_id": "PQ2", "narrative": "ok"}}}
	checkGolden(t, path, testOptions(), "", exp)
}

func TestProgressBars(t *testing.T) {
	var buf strings.Builder
	progressOutput = &syncWriter{b: &buf}
	defer func() { progressOutput = os.Stderr }()
	w := openTestWarehouse(t)
	dir := t.TempDir()
	a := writeFile(t, dir, "a.csv", bigCSV(5000))
	b := writeFile(t, dir, "b.json", `[{"id":"1","created_at":"2025-10-03"}]`)
	opts := testOptions()
	opts.Progress = true
	res, err := IngestFiles(context.Background(), w, opts, []string{a, b}, "")
	if err != nil || res[0].Err != nil || res[1].Err != nil || res[0].Accepted != 5000 || res[1].Accepted != 1 {
		t.Fatalf("%+v %v", res, err)
	}
	if !strings.Contains(buf.String(), "a.csv") {
		t.Errorf("no progress bar drawn: %q", buf.String())
	}
}

type syncWriter struct {
	mu sync.Mutex
	b  *strings.Builder
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// BenchmarkIngestCSV lands 100,000 hotline rows (one file, one transaction).
func BenchmarkIngestCSV(b *testing.B) {
	dir := b.TempDir()
	p := filepath.Join(dir, "big.csv")
	var sb strings.Builder
	sb.WriteString("工单编号,受理时间,客户姓名,联系电话,业务类别,投诉原因,处理状态,回复时间,投诉内容\n")
	for i := 0; i < 100000; i++ {
		fmt.Fprintf(&sb, "HL%08d,2025/10/3 14:05,张三,1381234%04d,信用卡,服务态度差,已办结,2025/10/5 9:30,客户来电称柜员态度差，回拨电话1381234%04d\n", i, i%10000, i%10000)
	}
	os.WriteFile(p, []byte(sb.String()), 0o644)
	for i := 0; i < b.N; i++ {
		w, err := warehouse.Open(context.Background(), warehouse.Options{Path: filepath.Join(b.TempDir(), "w.duckdb")})
		if err != nil {
			b.Fatal(err)
		}
		res, err := IngestFiles(context.Background(), w, testOptions(), []string{p}, "")
		if err != nil || res[0].Err != nil || res[0].Accepted != 100000 {
			b.Fatalf("%+v %v", res, err)
		}
		w.Close()
	}
}

// TestLandingLeavesNoView: the view an Arrow stream is registered as while it lands is not left in the
// warehouse (it would point at freed memory, and reading it crashes the process).
func TestLandingLeavesNoView(t *testing.T) {
	w := openTestWarehouse(t)
	p := writeFile(t, t.TempDir(), "hotline_20251020.csv", bigCSV(10))
	if res, err := IngestFiles(context.Background(), w, testOptions(), []string{p}, ""); err != nil || res[0].Accepted != 10 {
		t.Fatalf("ingest: %+v %v", res, err)
	}
	var views int
	if err := w.DB.QueryRow(`SELECT count(*) FROM duckdb_views() WHERE NOT internal AND view_name = ?`, arrowViewName).Scan(&views); err != nil || views != 0 {
		t.Errorf("%d views named %s left after landing (%v)", views, arrowViewName, err)
	}
}

// TestProgressAndLogDoNotInterleave: on one (fake) terminal, the log lines written while the bars are live come
// after the bars' last frame, each whole on its own line.
func TestProgressAndLogDoNotInterleave(t *testing.T) {
	var buf strings.Builder
	term := &syncWriter{b: &buf}
	progressOutput = term
	saved := termlog.Stderr
	termlog.Stderr = termlog.New(term)
	defer func() { progressOutput, termlog.Stderr = os.Stderr, saved }()
	w := openTestWarehouse(t)
	dir := t.TempDir()
	a := writeFile(t, dir, "a.csv", bigCSV(2000))
	b := writeFile(t, dir, "b.json", `[{"id":"1","created_at":"2025-10-03"}]`)
	opts := testOptions()
	opts.Progress = true
	opts.Logger = slog.New(slog.NewTextHandler(termlog.Stderr, nil))
	if _, err := IngestFiles(context.Background(), w, opts, []string{a, b}, ""); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	lastBar, firstLog := strings.LastIndex(out, "%"), strings.Index(out, "level=")
	if lastBar < 0 || firstLog < 0 || firstLog < lastBar {
		t.Fatalf("log lines interleave with the bars (last bar frame at %d, first log line at %d):\n%q", lastBar, firstLog, out)
	}
	logs := strings.Split(strings.TrimSuffix(out[firstLog:], "\n"), "\n")
	if len(logs) < 2 {
		t.Fatalf("want a log line per file:\n%q", out[firstLog:])
	}
	for _, l := range logs {
		if !strings.HasPrefix(l, "level=") && !strings.HasPrefix(l, "time=") {
			t.Errorf("log line broken: %q", l)
		}
	}
}
