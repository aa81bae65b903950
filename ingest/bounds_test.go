package ingest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"complaints/catalog"
)

// readBytes ingests data (written as name in a temp folder) with lim, landing nothing, and returns its result.
func readBytes(t *testing.T, name string, data []byte, lim Limits) FileResult {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return readPath(t, p, lim)
}

func readPath(t *testing.T, p string, lim Limits) FileResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	opts := testOptions()
	opts.DryRun, opts.Limits = true, lim
	res, err := IngestFiles(ctx, nil, opts, []string{p}, "")
	if err != nil {
		t.Fatalf("%s: %v", p, err)
	}
	return res[0]
}

// wantRefused checks that a file is refused whole with the catalogue key, by ingest and by Check alike.
func wantRefused(t *testing.T, name string, data []byte, lim Limits, key string) {
	t.Helper()
	res := readBytes(t, name, data, lim)
	if !catalog.HasKey(res.Err, key) {
		t.Fatalf("%s: error %v, want %s", name, res.Err, key)
	}
	if res.Accepted != 0 || res.BatchID != 0 {
		t.Errorf("%s: accepted %d, batch %d: a file over a bound is refused whole", name, res.Accepted, res.BatchID)
	}
	p := filepath.Join(t.TempDir(), name)
	os.WriteFile(p, data, 0o644)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	opts := testOptions()
	opts.Limits = lim
	rep, err := Check(ctx, p, nil, opts)
	if !catalog.HasKey(err, key) {
		t.Errorf("%s: Check gave %v (report %v), want the refusal %s", name, err, rep, key)
	}
}

// noHang runs f and fails the test if it has not returned after a long while (a read blocked on a FIFO ignores
// the context): a guard against hanging the whole test binary, not a timing assertion.
func noHang(t *testing.T, f func() FileResult) FileResult {
	t.Helper()
	done := make(chan FileResult, 1)
	go func() { done <- f() }()
	select {
	case r := <-done:
		return r
	case <-time.After(60 * time.Second):
		t.Fatal("reading a file that is not regular blocked")
	}
	return FileResult{}
}

func corpusFile(t *testing.T, name string) []byte {
	t.Helper()
	b, ok := limitsCorpus()[name]
	if !ok {
		t.Fatalf("no corpus file %s", name)
	}
	return b
}

func TestLimitFileBytes(t *testing.T) {
	data := corpusFile(t, "csv_file_over_limit.csv")
	wantRefused(t, "f.csv", data, Limits{MaxFileBytes: 100}, "msg_limits_file_bytes")
	if res := readBytes(t, "f.csv", data, Limits{MaxFileBytes: int64(len(data))}); res.Err != nil || res.Accepted != 20 {
		t.Errorf("at the limit: %+v", res)
	}
}

func TestLimitRows(t *testing.T) {
	wantRefused(t, "rows.csv", corpusFile(t, "csv_rows_over_limit.csv"), Limits{MaxRows: 10}, "msg_limits_rows")
	wantRefused(t, "row2e9.xlsx", corpusFile(t, "xlsx_row_2000000000.xlsx"), Limits{}, "msg_limits_rows")
	var nd strings.Builder
	for i := 0; i < 20; i++ {
		nd.WriteString(`{"complaint id":"C` + string(rune('a'+i)) + `","received at":"2026-10-01"}` + "\n")
	}
	wantRefused(t, "rows.ndjson", []byte(nd.String()), Limits{MaxRows: 10}, "msg_limits_rows")
}

// A gap of empty rows is jumped, not iterated: the row after it comes next with its own number.
func TestXLSXRowGapNotIterated(t *testing.T) {
	data := buildXLSX([]testSheet{{name: "S", body: xdata(1, xrow(1000000, "C999", "2026-10-09", "far"), "")}}, "")
	res := readBytes(t, "gap.xlsx", data, Limits{})
	if res.Err != nil || res.Accepted != 2 {
		t.Fatalf("%+v", res)
	}
	p := filepath.Join(t.TempDir(), "gap.xlsx")
	os.WriteFile(p, data, 0o644)
	in := &input{Path: p, Name: "gap.xlsx", Limits: DefaultLimits, Head: data[:8]}
	tb, err := openXLSX(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	defer tb.Close()
	var nums []int
	for {
		r, err := tb.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		nums = append(nums, r.Num)
	}
	if len(nums) != 2 || nums[0] != 2 || nums[1] != 1000000 {
		t.Errorf("rows yielded %v, want [2 1000000]", nums)
	}
}

func TestLimitMergeCells(t *testing.T) {
	wantRefused(t, "merge.xlsx", corpusFile(t, "xlsx_merge_B2_XFD1048576.xlsx"), Limits{}, "msg_limits_merge_cells")
	// A merge of a title row over the whole width is cut at the column limit, not refused.
	data := buildXLSX([]testSheet{{name: "S", body: xdata(2, xrow(5, "", "", "", "note"), `<mergeCells count="1"><mergeCell ref="D5:XFD5"/></mergeCells>`)}}, "")
	if res := readBytes(t, "wide.xlsx", data, Limits{}); res.Err != nil || res.Accepted != 2 {
		t.Errorf("wide merge: %+v", res)
	}
}

func TestLimitColumns(t *testing.T) {
	wantRefused(t, "cols.csv", corpusFile(t, "csv_5000_columns.csv"), Limits{}, "msg_limits_columns")
	wantRefused(t, "xfd.xlsx", corpusFile(t, "xlsx_cell_in_column_XFD.xlsx"), Limits{}, "msg_limits_columns")
	// 30 records of three fields each, every one with a key of its own: 32 columns in all.
	var keys strings.Builder
	for i := 0; i < 30; i++ {
		keys.WriteString(`{"complaint id":"C1","received at":"2026-10-01","k` + strings.Repeat("x", i) + `":1}` + "\n")
	}
	wantRefused(t, "keys.ndjson", []byte(keys.String()), Limits{MaxColumns: 20}, "msg_limits_columns")
	// The JSON reader stops collecting keys at the bound (its first pass), before the header is complete.
	p := filepath.Join(t.TempDir(), "keys.ndjson")
	os.WriteFile(p, []byte(keys.String()), 0o644)
	lim := Limits{MaxColumns: 20}.WithDefaults()
	if _, err := openJSON(context.Background(), &input{Path: p, Name: "keys.ndjson", Head: []byte("{"), UTF8: true, Limits: lim}); !catalog.HasKey(err, "msg_limits_columns") {
		t.Errorf("openJSON: %v", err)
	}
}

func TestLimitCellBytes(t *testing.T) {
	wantRefused(t, "cell.csv", corpusFile(t, "csv_cell_over_limit.csv"), Limits{MaxCellBytes: 1000}, "msg_limits_cell_bytes")
	big := strings.Repeat("长", 700)
	inline := buildXLSX([]testSheet{{name: "S", body: xdata(2, xrow(4, "C9", "2026-10-01", big), "")}}, "")
	wantRefused(t, "cell.xlsx", inline, Limits{MaxCellBytes: 1000}, "msg_limits_cell_bytes")
	shared := buildXLSX([]testSheet{{name: "S", body: xdata(2, "", "")}}, `<si><t>`+big+`</t></si>`)
	wantRefused(t, "sst.xlsx", shared, Limits{MaxCellBytes: 1000}, "msg_limits_cell_bytes")
	js := `[{"complaint id":"C1","received at":"2026-10-01","n":"` + big + `"}]`
	wantRefused(t, "cell.json", []byte(js), Limits{MaxCellBytes: 1000}, "msg_limits_cell_bytes")
}

func TestLimitPartBytes(t *testing.T) {
	data := corpusFile(t, "xlsx_sheet_over_part_limit.xlsx")
	wantRefused(t, "part.xlsx", data, Limits{MaxPartBytes: 4096}, "msg_limits_part_bytes")
	if res := readBytes(t, "part.xlsx", data, Limits{}); res.Err != nil || res.Accepted != 200 {
		t.Errorf("under the default: %+v", res)
	}
}

func TestLimitPartRatio(t *testing.T) {
	wantRefused(t, "bomb.xlsx", corpusFile(t, "xlsx_shared_strings_bomb.xlsx"), Limits{}, "msg_limits_part_ratio")
	// The same part read with a higher ratio allowed, then a lower part size: the bound that trips is named.
	wantRefused(t, "bomb.xlsx", corpusFile(t, "xlsx_shared_strings_bomb.xlsx"), Limits{MaxPartRatio: 1 << 20, MaxPartBytes: 2 << 20}, "msg_limits_part_bytes")
}

func TestLimitJSONDepth(t *testing.T) {
	wantRefused(t, "deep.json", corpusFile(t, "json_nested_deep.json"), Limits{}, "msg_limits_json_depth")
	wantRefused(t, "deep.ndjson", corpusFile(t, "ndjson_line_nested_deep.ndjson"), Limits{}, "msg_limits_json_depth")
	// At the limit it is read: the record's object is depth 1, x's object depth 2.
	ok := `[{"complaint id":"C1","received at":"2026-10-01","x":{"y":[1,2]}}]`
	if res := readBytes(t, "ok.json", []byte(ok), Limits{MaxJSONDepth: 3}); res.Err != nil || res.Accepted != 1 {
		t.Errorf("at the limit: %+v", res)
	}
	wantRefused(t, "over.json", []byte(ok), Limits{MaxJSONDepth: 2}, "msg_limits_json_depth")
}

// Only regular files are read: a FIFO, a device, a folder, a symlink to a FIFO are refused before any open that
// could block, by ingest of a named file, by a glob, by Check; the inbox leaves them alone.
func TestOnlyRegularFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "hotline_20261105.csv")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	link := filepath.Join(dir, "link.csv")
	if err := os.Symlink(fifo, link); err != nil {
		t.Fatal(err)
	}
	paths := []string{fifo, link, dir}
	if st, err := os.Stat("/dev/zero"); err == nil && st.Mode()&os.ModeCharDevice != 0 {
		paths = append(paths, "/dev/zero")
	}
	for _, p := range paths {
		res := noHang(t, func() FileResult { return readPath(t, p, Limits{}) })
		if !catalog.HasKey(res.Err, "msg_limits_not_regular") {
			t.Errorf("%s: %v, want msg_limits_not_regular", p, res.Err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		if _, err := Check(ctx, p, nil, testOptions()); !catalog.HasKey(err, "msg_limits_not_regular") {
			t.Errorf("Check %s: %v", p, err)
		}
		cancel()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	opts := testOptions()
	opts.DryRun, opts.BaseDir = true, dir
	opts.Profiles = []Profile{{Name: "hotline", Glob: "hotline_*.csv"}}
	res, err := IngestSources(ctx, nil, opts)
	if err != nil || len(res) != 1 || !catalog.HasKey(res[0].Err, "msg_limits_not_regular") {
		t.Errorf("glob over a FIFO: %v %+v", err, res)
	}
	opts.InboxSettle = -1
	res, err = IngestInbox(ctx, nil, opts, dir)
	if err != nil || len(res) != 0 {
		t.Errorf("inbox with a FIFO: %v %+v", err, res)
	}
}

// A hidden sheet before a visible one: the visible one is read.
func TestXLSXHiddenSheetLast(t *testing.T) {
	res := readBytes(t, "h.xlsx", corpusFile(t, "xlsx_hidden_sheet_first.xlsx"), Limits{})
	if res.Err != nil || res.Sheet != "current" || res.Accepted != 2 {
		t.Errorf("%+v", res)
	}
	// Only a hidden sheet has data: it is read.
	data := buildXLSX([]testSheet{{name: "empty", body: `<sheetData/>`}, {name: "old", state: "veryHidden", body: xdata(3, "", "")}}, "")
	if res := readBytes(t, "h2.xlsx", data, Limits{}); res.Err != nil || res.Sheet != "old" || res.Accepted != 3 {
		t.Errorf("only hidden data: %+v", res)
	}
}

func TestXLSXEncryptedAndDamaged(t *testing.T) {
	enc := corpusFile(t, "xlsx_encrypted.xlsx")
	wantRefused(t, "locked.xlsx", enc, Limits{}, "msg_limits_xlsx_encrypted")
	wantRefused(t, "legacy.xls", enc, Limits{}, "msg_limits_xlsx_encrypted")
	wantRefused(t, "text.xlsx", corpusFile(t, "xlsx_not_a_zip.xlsx"), Limits{}, "msg_limits_xlsx_damaged")
	wantRefused(t, "cut.xlsx", corpusFile(t, "xlsx_truncated.xlsx"), Limits{}, "msg_limits_xlsx_damaged")
	// A sheet whose CRC-32 in the central directory does not match its bytes.
	data := buildXLSX([]testSheet{{name: "S", body: xdata(3, "", "")}}, "")
	name := []byte("xl/worksheets/sheet1.xml")
	for i := 0; i+46 < len(data); i++ {
		if bytes.HasPrefix(data[i:], []byte("PK\x01\x02")) && bytes.HasPrefix(data[i+46:], name) {
			data[i+16] ^= 0xFF
		}
	}
	wantRefused(t, "crc.xlsx", data, Limits{}, "msg_limits_xlsx_damaged")
}

func TestParquetCorrupt(t *testing.T) {
	wantRefused(t, "bad.parquet", corpusFile(t, "parquet_corrupt.parquet"), Limits{}, "msg_limits_parquet_corrupt")
}

// A complaint id cell merged down over a second row does not fold that row into the first complaint: the row
// below is rejected with a reason naming the merge, so read = accepted + rejected holds and nothing is lost.
func TestXLSXMergedIDRejected(t *testing.T) {
	w := openTestWarehouse(t)
	p := filepath.Join(t.TempDir(), "merged.xlsx")
	os.WriteFile(p, corpusFile(t, "xlsx_merged_id_cell.xlsx"), 0o644)
	res, err := IngestFiles(context.Background(), w, testOptions(), []string{p}, "")
	if err != nil || res[0].Err != nil {
		t.Fatal(err, res[0].Err)
	}
	r := res[0]
	if r.Read != 6 || r.Accepted != 5 || r.Rejected != 1 || len(r.Rejects) != 1 {
		t.Fatalf("read %d accepted %d rejected %d", r.Read, r.Accepted, r.Rejected)
	}
	if rj := r.Rejects[0]; rj.Key != "msg_limits_merged_id" || rj.Row != 4 || !strings.Contains(rj.Reason, "A3:A4") {
		t.Errorf("reject %+v", rj)
	}
	var ids int
	w.DB.QueryRow("SELECT count(DISTINCT source_id) FROM landed_rows").Scan(&ids)
	if ids != 5 {
		t.Errorf("%d distinct ids landed, want 5", ids)
	}
}

// A file over a bound lands nothing, also with a warehouse.
func TestLimitRefusalLandsNothing(t *testing.T) {
	w := openTestWarehouse(t)
	p := filepath.Join(t.TempDir(), "rows.csv")
	os.WriteFile(p, corpusFile(t, "csv_rows_over_limit.csv"), 0o644)
	opts := testOptions()
	opts.Limits = Limits{MaxRows: 10}
	res, err := IngestFiles(context.Background(), w, opts, []string{p}, "")
	if err != nil || !catalog.HasKey(res[0].Err, "msg_limits_rows") {
		t.Fatal(err, res[0].Err)
	}
	assertEmptyWarehouse(t, w)
}

// Every limit message renders in both languages with its values (no missing or extra arguments).
func TestLimitMessagesRender(t *testing.T) {
	res := readBytes(t, "row2e9.xlsx", corpusFile(t, "xlsx_row_2000000000.xlsx"), Limits{})
	var m *catalog.Message
	for _, lang := range []string{"zh", "en"} {
		s := catalog.Localize(res.Err, lang)
		if strings.Contains(s, "%!") || !strings.Contains(s, "2000000000") || !strings.Contains(s, "ingest.limits.max_rows") {
			t.Errorf("%s: %s", lang, s)
		}
	}
	_ = m
}

// readXLSXDirect opens data with the XLSX reader alone (no guardRows) and reads every row: the reader itself
// must refuse a crafted row before it allocates for it.
func readXLSXDirect(t *testing.T, data []byte, lim Limits) error {
	t.Helper()
	p := filepath.Join(t.TempDir(), "d.xlsx")
	os.WriteFile(p, data, 0o644)
	tb, err := openXLSX(context.Background(), &input{Path: p, Name: "d.xlsx", Limits: lim.WithDefaults(), Head: data[:min(len(data), 8)]})
	if err != nil {
		return err
	}
	defer tb.Close()
	for {
		if _, err := tb.Next(); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
	}
}

func TestXLSXReaderRefusesBeforeAllocating(t *testing.T) {
	for _, c := range []struct {
		data []byte
		lim  Limits
		key  string
	}{
		{corpusFile(t, "xlsx_row_2000000000.xlsx"), Limits{}, "msg_limits_rows"},
		{corpusFile(t, "xlsx_cell_in_column_XFD.xlsx"), Limits{}, "msg_limits_columns"},
		{buildXLSX([]testSheet{{name: "S", body: xdata(2, xrow(4, "C9", "2026-10-01", strings.Repeat("x", 2000)), "")}}, ""), Limits{MaxCellBytes: 1000}, "msg_limits_cell_bytes"},
	} {
		if err := readXLSXDirect(t, c.data, c.lim); !catalog.HasKey(err, c.key) {
			t.Errorf("%v, want %s", err, c.key)
		}
	}
}

// Column letters past XFD, however long, are not a cell reference (no overflow into a small number).
func TestCellRefColumnBound(t *testing.T) {
	if c, r, ok := cellRef([]byte("XFD7")); !ok || c != 16384 || r != 7 {
		t.Errorf("XFD7: %d %d %v", c, r, ok)
	}
	for _, bad := range []string{"XFE1", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAA1", "ZZZZZZZZZZZZZZ1"} {
		if _, _, ok := cellRef([]byte(bad)); ok {
			t.Errorf("%s accepted", bad)
		}
	}
}

// One record that flattens to more fields than MaxColumns is stopped while it is flattened.
func TestFlattenJSONStopsAtColumns(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"a":[1],"o":{`)
	for i := 0; i < 30; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`"k` + strings.Repeat("x", i) + `":1`)
	}
	b.WriteString("}}")
	dec := json.NewDecoder(strings.NewReader(b.String()))
	tok, _ := dec.Token()
	var out []kv
	err := flattenJSON(dec, tok, "", &out, 1, Limits{MaxColumns: 20}.WithDefaults())
	if !catalog.HasKey(jsonLimit(err, 1, Limits{MaxColumns: 20}), "msg_limits_columns") || len(out) > 21 {
		t.Errorf("%v, %d fields", err, len(out))
	}
}
