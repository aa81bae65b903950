package list

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"complaints/catalog"
	"complaints/readmodel"
	"complaints/transform"
	"complaints/warehouse"
)

// landed is one hand-made landed row; empty strings land as NULL.
type landed struct {
	id, typ, received, category, cause, status, replied string
	phoneKey, name, phone, branch, handler, summary     string
	narrative                                           string
}

// setup lands the rows in one batch (the pattern of transform's tests) and normalises them.
func setup(t *testing.T, rows []landed) *sql.DB {
	t.Helper()
	ctx := context.Background()
	w, err := warehouse.Open(ctx, warehouse.Options{Path: ":memory:", Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	if _, err := w.DB.Exec(`INSERT INTO batches (batch_id, source_system, file_path, file_sha256, file_size, format, encoding, sheet, export_as_of, rows_read, rows_accepted, rows_rejected, ingested_at) VALUES (1, 'hotline', 'f1.csv', 'sha1', 1, 'csv', 'utf-8', NULL, NULL, 0, 0, 0, '2026-11-01 09:00:00')`); err != nil {
		t.Fatal(err)
	}
	nul := func(s string) any {
		if s == "" {
			return nil
		}
		return s
	}
	for i, r := range rows {
		typ := r.typ
		if typ == "" {
			typ = "投诉"
		}
		_, err := w.DB.Exec(`INSERT INTO landed_rows (batch_id, source_system, file_path, file_sha256, row_number, ingested_at,
			source_id, record_type, received_at, intake_channel, business_category, cause, status, replied_at,
			customer_id_key, customer_phone_key, customer_name_masked, customer_phone_masked, branch, handler, summary, narrative)
			VALUES (1, 'hotline', 'f1.csv', 'sha1', ?, '2026-11-01 09:00:00', ?, ?, ?, '电话', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			i+2, r.id, typ, r.received, nul(r.category), nul(r.cause), nul(r.status), nul(r.replied),
			nul(r.phoneKey), nul(r.phoneKey), nul(r.name), nul(r.phone), nul(r.branch), nul(r.handler), nul(r.summary), nul(r.narrative))
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := transform.Normalize(ctx, w, transform.Options{DuplicateWindowDays: 7}); err != nil {
		t.Fatal(err)
	}
	return w.DB
}

const secret = "KEYSECRET" // in every customer key: must never reach a list

func rows() []landed {
	return []landed{
		// K1: received in Aug, replied 09-25: closed in Sep, not received in Sep.
		{id: "K1", received: "2026-08-20 10:00:00", category: "信用卡", cause: "态度差", status: "已办结", replied: "2026-09-25 10:00:00"},
		// K2: received and closed in Sep.
		{id: "K2", received: "2026-09-02 10:00:00", category: "信用卡", cause: "收费", status: "已办结", replied: "2026-09-05 10:00:00", branch: "B01",
			narrative: "客户反映年费未经告知即扣收"},
		// K3: open; 09-10 + 15 days = 09-25, the Mid-Autumn Festival, rolled to 09-28 -> overdue at 09-30 by 2 days.
		{id: "K3", received: "2026-09-10 10:00:00", category: "信用卡", cause: "收费", status: "处理中", branch: "B01", handler: "李四"},
		// K4: replied 10-20: open at the end of Sep, deadline 10-13 not yet passed.
		{id: "K4", received: "2026-09-28 10:00:00", category: "信用卡", status: "已办结", replied: "2026-10-20 10:00:00"},
		// K5: withdrawn: received only.
		{id: "K5", received: "2026-09-15 10:00:00", category: "信用卡", status: "撤诉"},
		// K6: reply before receipt: received only.
		{id: "K6", received: "2026-09-16 10:00:00", category: "信用卡", status: "已办结", replied: "2026-09-01 10:00:00"},
		// D1: debit card, open since 09-03 (deadline 09-18: overdue by 12 days); a formula in the summary.
		{id: "D1", received: "2026-09-03 10:00:00", category: "借记卡", status: "处理中", phoneKey: secret + "-p1",
			name: "张*", phone: "138****5678", summary: `=HYPERLINK("http://evil.example","click")`, branch: "B02"},
		// D3: the same customer, same category, two days later while D1 is open: a duplicate, never listed.
		{id: "D3", received: "2026-09-05 10:00:00", category: "借记卡", status: "处理中", phoneKey: secret + "-p1"},
		// D2: not accepted: in no figure.
		{id: "D2", received: "2026-09-04 10:00:00", category: "借记卡", status: "不予受理"},
		// E1: an enquiry: not a complaint.
		{id: "E1", typ: "咨询", received: "2026-09-05 10:00:00", category: "借记卡", status: "已办结", replied: "2026-09-05 11:00:00"},
		// L1: loans, received 09-29, open, not yet due.
		{id: "L1", received: "2026-09-29 10:00:00", category: "贷款", status: "处理中", summary: "-1 leading minus", name: "+王*"},
		// L2: loans, received in June (Q2), still open: overdue at the end of Sep and of Q3.
		{id: "L2", received: "2026-06-10 10:00:00", category: "贷款", status: "处理中"},
	}
}

// Rows is the whole list of o.
func Rows(ctx context.Context, db *sql.DB, o Options) ([]Row, error) {
	return readmodel.ListRows(ctx, db, o.ListOptions)
}

// opts are the options of a list of figure in period.
func opts(period, figure string) Options {
	return Options{ListOptions: readmodel.ListOptions{Period: period, Figure: figure}}
}

func keys(t *testing.T, db *sql.DB, o Options, branch ...string) []string {
	t.Helper()
	rs, err := Rows(context.Background(), db, o)
	if err != nil {
		t.Fatal(err)
	}
	var k []string
	for _, r := range rs {
		if len(branch) > 0 && r.Branch != branch[0] {
			continue
		}
		k = append(k, strings.TrimPrefix(r.Key, "hotline:"))
	}
	sort.Strings(k)
	return k
}

func byCategory(t *testing.T, db *sql.DB, o Options) map[string]int64 {
	t.Helper()
	rs, err := Rows(context.Background(), db, o)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]int64{}
	for _, r := range rs {
		m[r.Category]++
	}
	return m
}

// mart reads a figure of mart_category_month by category: flows summed over the months, stocks at the last one.
func mart(t *testing.T, db *sql.DB, col, from, to string) map[string]int64 {
	t.Helper()
	rs, err := db.Query(fmt.Sprintf(`SELECT business_category, sum(%s) FROM mart_category_month
		WHERE month BETWEEN ?::DATE AND ?::DATE GROUP BY ALL HAVING sum(%s) > 0`, col, col), from, to)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	m := map[string]int64{}
	for rs.Next() {
		var c string
		var n int64
		if err := rs.Scan(&c, &n); err != nil {
			t.Fatal(err)
		}
		m[c] = n
	}
	return m
}

func same(a, b map[string]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestListsMatchTheMarts(t *testing.T) {
	db := setup(t, rows())
	var dup bool
	if err := db.QueryRow(`SELECT NOT is_primary FROM complaints WHERE source_id = 'D3'`).Scan(&dup); err != nil || !dup {
		t.Fatalf("D3 should be a duplicate of D1 (err %v)", err)
	}
	cases := []struct {
		status, period, from, to, col string
		want                          map[string]int64 // worked by hand
		keys                          string
	}{
		{"received", "2026-09", "2026-09-01", "2026-09-01", "received",
			map[string]int64{"credit_card": 5, "debit_card": 1, "loans": 1}, "D1 K2 K3 K4 K5 K6 L1"},
		{"closed", "2026-09", "2026-09-01", "2026-09-01", "closed",
			map[string]int64{"credit_card": 2}, "K1 K2"},
		{"open", "2026-09", "2026-09-01", "2026-09-01", "open_at_end",
			map[string]int64{"credit_card": 2, "debit_card": 1, "loans": 2}, "D1 K3 K4 L1 L2"},
		{"overdue", "2026-09", "2026-09-01", "2026-09-01", "overdue_at_end",
			map[string]int64{"credit_card": 1, "debit_card": 1, "loans": 1}, "D1 K3 L2"},
		// the quarter: flows over Jul-Sep, stocks at Sep's end
		{"received", "2026-Q3", "2026-07-01", "2026-09-01", "received",
			map[string]int64{"credit_card": 6, "debit_card": 1, "loans": 1}, "D1 K1 K2 K3 K4 K5 K6 L1"},
		{"overdue", "2026-Q3", "2026-09-01", "2026-09-01", "overdue_at_end",
			map[string]int64{"credit_card": 1, "debit_card": 1, "loans": 1}, "D1 K3 L2"},
		{"closed", "2026-10", "2026-10-01", "2026-10-01", "closed",
			map[string]int64{"credit_card": 1}, "K4"},
	}
	for _, c := range cases {
		o := opts(c.period, c.status)
		got := byCategory(t, db, o)
		if !same(got, c.want) {
			t.Errorf("%s %s: list by category %v, by hand %v", c.period, c.status, got, c.want)
		}
		if m := mart(t, db, c.col, c.from, c.to); !same(got, m) {
			t.Errorf("%s %s: list by category %v, mart %s %v", c.period, c.status, got, c.col, m)
		}
		if k := strings.Join(keys(t, db, o), " "); k != c.keys {
			t.Errorf("%s %s: keys %s, want %s", c.period, c.status, k, c.keys)
		}
	}
	// filters
	// a branch's list is drawn from a scoped copy (package scope, --branch); here the rows of B01 among all
	cc := opts("2026-09", "")
	cc.Category = "credit_card"
	if k := strings.Join(keys(t, db, cc, "B01"), " "); k != "K2 K3" {
		t.Errorf("credit card at B01: %s", k)
	}
	if k := strings.Join(keys(t, db, opts("2026-09", "overdue"), "B02"), " "); k != "D1" {
		t.Errorf("overdue at B02: %s", k)
	}
	fees := opts("2026-09", "")
	fees.Cause = "pricing_fees"
	if k := strings.Join(keys(t, db, fees), " "); k != "K2 K3" {
		t.Errorf("cause pricing_fees: %s", k)
	}
	// days overdue, by hand: the period's end less the regulatory deadline
	rs, err := Rows(context.Background(), db, opts("2026-09", "open"))
	if err != nil {
		t.Fatal(err)
	}
	days := map[string]int64{}
	for _, r := range rs {
		if !r.DaysOverdue.Valid {
			t.Errorf("%s: open without days overdue", r.Key)
		}
		days[strings.TrimPrefix(r.Key, "hotline:")] = r.DaysOverdue.Int64
	}
	if days["K3"] != 2 || days["D1"] != 12 || days["K4"] != 0 || days["L1"] != 0 || days["L2"] < 90 {
		t.Errorf("days overdue %v", days)
	}
	pdf, nope := opts("2026-09", ""), opts("2026-09", "")
	pdf.Format, nope.Category = "pdf", "nope"
	for _, bad := range []Options{opts("2026-13", ""), opts("2026-09", "late"), pdf, nope} {
		if _, err := Write(context.Background(), db, bad, &bytes.Buffer{}); err == nil {
			t.Errorf("%+v: no error", bad)
		}
	}
}

func TestCSV(t *testing.T) {
	db := setup(t, rows())
	var buf bytes.Buffer
	n, err := Write(context.Background(), db, Options{ListOptions: readmodel.ListOptions{Period: "2026-09"}, Format: CSV, Lang: "en"}, &buf)
	if err != nil {
		t.Fatal(err)
	}
	if n != 7 {
		t.Errorf("%d rows written, want 7", n)
	}
	b := buf.Bytes()
	if !bytes.HasPrefix(b, []byte("\xEF\xBB\xBF")) {
		t.Fatal("no UTF-8 BOM")
	}
	if bytes.Contains(b, []byte(secret)) {
		t.Error("a customer key reached the CSV")
	}
	recs, err := csv.NewReader(bytes.NewReader(b[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 8 {
		t.Fatalf("%d records, want header + 7", len(recs))
	}
	for _, h := range recs[0] {
		if l := strings.ToLower(h); strings.Contains(l, "key") && l != "complaint key" {
			t.Errorf("header %q looks like a customer key column", h)
		}
	}
	keyCol := slices.Index(recs[0], catalog.Text("list_complaint_key", "en"))
	var d1, l1 []string
	for _, r := range recs[1:] {
		switch r[keyCol] {
		case "hotline:D1":
			d1 = r
		case "hotline:L1":
			l1 = r
		}
		for _, c := range r {
			if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
				t.Errorf("cell %q not neutralised", c)
			}
		}
	}
	if d1 == nil || l1 == nil {
		t.Fatal("D1 or L1 missing")
	}
	col := func(key string) int {
		i := slices.Index(recs[0], catalog.Text(key, "en"))
		if i < 0 {
			t.Fatalf("no column %s in %q", key, recs[0])
		}
		return i
	}
	sum, name, phone := col("list_summary"), col("list_customer_name"), col("list_customer_phone")
	if d1[sum] != `'=HYPERLINK("http://evil.example","click")` || d1[name] != "张*" || d1[phone] != "138****5678" {
		t.Errorf("D1 row %q", d1)
	}
	if d1[col("list_category")] != "Debit card" || d1[col("list_days_overdue")] != "12" || d1[col("list_regulatory_deadline")] != "2026-09-18" {
		t.Errorf("D1 row %q", d1)
	}
	if d1[col("list_received")] != "2026-09-03 10:00:00" || d1[col("list_intake_channel")] != "Phone / hotline" {
		t.Errorf("D1 row %q", d1)
	}
	if l1[sum] != "'-1 leading minus" || l1[name] != "'+王*" {
		t.Errorf("L1 row %q", l1)
	}
}

func TestXLSXSplitsSheets(t *testing.T) {
	db := setup(t, rows())
	old := MaxSheetRows
	MaxSheetRows = 4 // the sheet's rows less the header: its 2 title rows and 2 complaints
	t.Cleanup(func() { MaxSheetRows = old })
	var buf bytes.Buffer
	n, err := Write(context.Background(), db, Options{ListOptions: readmodel.ListOptions{Period: "2026-09"}, Format: XLSX, Lang: "zh"}, &buf)
	if err != nil {
		t.Fatal(err)
	}
	if n != 7 {
		t.Errorf("%d rows written, want 7", n)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) != 4 {
		t.Fatalf("sheets %v, want 4 (2+2+2+1 rows)", sheets)
	}
	var all []string
	for i, s := range sheets {
		rows, err := f.GetRows(s)
		if err != nil {
			t.Fatal(err)
		}
		want := 5 // the title, the period line, the header, 2 rows
		if i == 3 {
			want = 4
		}
		if len(rows) != want {
			t.Errorf("sheet %s: %d rows, want %d", s, len(rows), want)
		}
		if rows[0][0] != catalog.Text("list_title", "zh") || !strings.Contains(rows[1][0], "2026-09") || rows[2][0] != catalog.Text("list_source", "zh") {
			t.Errorf("sheet %s title block and header %q", s, rows[:3])
		}
		for _, r := range rows[3:] {
			all = append(all, r[len(r)-1])
			for _, c := range r {
				if strings.Contains(c, secret) {
					t.Error("a customer key reached the workbook")
				}
			}
		}
		if p, err := f.GetPanes(s); err != nil || !p.Freeze || p.YSplit != 3 {
			t.Errorf("sheet %s: header not frozen (%+v, %v)", s, p, err)
		}
		if tb, err := f.GetTables(s); err != nil || len(tb) != 1 {
			t.Errorf("sheet %s: no autofilter table (%v, %v)", s, tb, err)
		}
	}
	if len(all) != 7 {
		t.Errorf("keys over the sheets %v", all)
	}
	// the formula-looking summary is a text cell, never a formula
	for _, s := range sheets {
		rows, _ := f.GetRows(s)
		for i, r := range rows {
			if r[len(r)-1] != "hotline:D1" {
				continue
			}
			c, _ := excelize.ColumnNumberToName(slices.IndexFunc(Columns, func(c Column) bool { return c.Key == "list_summary" }) + 1)
			cell := fmt.Sprintf("%s%d", c, i+1)
			if fm, _ := f.GetCellFormula(s, cell); fm != "" {
				t.Errorf("D1 summary is a formula %q", fm)
			}
			if ty, _ := f.GetCellType(s, cell); ty != excelize.CellTypeInlineString && ty != excelize.CellTypeSharedString {
				t.Errorf("D1 summary cell type %v", ty)
			}
			if v, _ := f.GetCellValue(s, cell); !strings.HasPrefix(v, "=HYPERLINK") {
				t.Errorf("D1 summary %q", v)
			}
		}
	}
}

// TestListTakesNames: a filter takes a code, its Chinese or English name or a catalogue spelling, and selects the
// same complaints; a miss is an error naming the closest codes; the xlsx list writes dates as dates.
func TestListTakesNames(t *testing.T) {
	db := setup(t, rows())
	want := keys(t, db, Options{ListOptions: readmodel.ListOptions{Period: "2026-09", Category: "debit_card"}})
	if len(want) == 0 {
		t.Fatal("no debit-card complaint in the fixture")
	}
	for _, typed := range []string{"借记卡", "Debit card", " debit card "} {
		got := keys(t, db, Options{ListOptions: readmodel.ListOptions{Period: "2026-09", Category: typed}})
		if !slices.Equal(got, want) {
			t.Errorf("--category %q: %v, want %v", typed, got, want)
		}
	}
	if got := keys(t, db, Options{ListOptions: readmodel.ListOptions{Period: "2026-09", IntakeChannel: "电话"}}); len(got) == 0 {
		t.Error("--intake-channel 电话 selects nothing")
	}
	o := Options{ListOptions: readmodel.ListOptions{Period: "2026-09", Category: "信用咔"}}
	err := o.Validate()
	if !catalog.HasKey(err, "msg_listcli_unknown_value") {
		t.Fatalf("a misspelt category: %v, want msg_listcli_unknown_value", err)
	}
	if !strings.Contains(catalog.Localize(err, "en"), "credit_card") {
		t.Errorf("the miss does not suggest credit_card: %v", catalog.Localize(err, "en"))
	}
	for typed, want := range map[string]string{"广东": "440000", "440300": "440300", "加利福尼亚州": "US-CA"} {
		o = Options{ListOptions: readmodel.ListOptions{Period: "2026-09", Province: typed}}
		if err := o.Validate(); err != nil || o.Province != want {
			t.Errorf("--province %q: %q, %v; want %q (a province no name matches is matched as the complaints hold it)", typed, o.Province, err, want)
		}
	}
	// a complaint without a summary shows its (scrubbed) narrative
	rs, err := Rows(context.Background(), db, Options{ListOptions: readmodel.ListOptions{Period: "2026-09"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if r.Key == "hotline:K2" && r.Summary != "客户反映年费未经告知即扣收" {
			t.Errorf("K2 summary %q, want its narrative", r.Summary)
		}
	}
	o = Options{ListOptions: readmodel.ListOptions{Period: "2026-09", BusinessChannel: "手机银行"}}
	if err := o.Validate(); err != nil || o.BusinessChannel != "mobile_app" {
		t.Errorf("--business-channel 手机银行: %q, %v; want mobile_app", o.BusinessChannel, err)
	}

	var buf bytes.Buffer
	if _, err := Write(context.Background(), db, Options{ListOptions: readmodel.ListOptions{Period: "2026-09"}, Format: XLSX, Lang: "zh"}, &buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetList()[0]
	for _, key := range []string{"list_received", "list_regulatory_deadline"} {
		c, _ := excelize.ColumnNumberToName(slices.IndexFunc(Columns, func(c Column) bool { return c.Key == key }) + 1)
		if ty, _ := f.GetCellType(sheet, c+"4"); ty == excelize.CellTypeInlineString || ty == excelize.CellTypeSharedString {
			t.Errorf("%s is text in the xlsx list, want a date", key)
		}
		raw, _ := f.GetCellValue(sheet, c+"4", excelize.Options{RawCellValue: true})
		if v, err := strconv.ParseFloat(raw, 64); err != nil || v < 40000 {
			t.Errorf("%s cell %q is no date serial", key, raw)
		}
	}
}
