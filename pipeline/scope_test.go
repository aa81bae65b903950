package pipeline

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"complaints/config"
	"complaints/ingest"
	"complaints/warehouse"
)

// The scope fixture: one hotline source, a branch master with two provinces of two levels each, and two exports of
// the same complaints. Every figure below is worked out by hand from these rows.
//
//	id  received    category     branch (unit)     export 1 (ingested 2026-11-05)   export 2 (ingested 2026-12-03)
//	H1  2026-10-08  credit card  天河支行 (GD001)   open                              open, reclassified to debit card
//	H2  2026-10-12  debit card   广东省分行 (GD000)  closed 2026-10-20
//	H3  2026-10-15  credit card  朝阳支行 (BJ001)   open                              closed 2026-10-30
//	H4  2026-10-20  loans        北京分行 (BJ000)    closed 2026-10-22
//	H5  2026-09-14  credit card  天河支行 (GD001)   closed 2026-10-12
//
// Regulatory deadlines (15 calendar days, rolled to a working day): H1 10-23, H2 10-27, H3 10-30, H4 11-04,
// H5 09-29. October as filed (export 1): received 4 (credit card H1 H3 = 2, debit card H2, loans H4); closed
// H2 H4 H5 = 3 (H5 late: 28 days, the 16-30 band; H2 8 days, H4 2 days: 0-15, on time); open at start H5 = 1;
// open at end H1 H3 = 2, both overdue (deadlines 10-23 and 10-30 before 10-31). October now (export 2): credit
// card H3 = 1, debit card H1 H2 = 2; closed 4 (H3: 15 days, 0-15 band, on time on 10-30); open at end and overdue
// H1 = 1.
const scopeBranches = `code,name,aliases,parent,province_code,province_name
GD000,广东省分行,,,440000,广东省
GD001,广州天河支行,天河支行,GD000,440000,广东省
BJ000,北京分行,,,110000,北京市
BJ001,北京朝阳支行,朝阳支行,BJ000,110000,北京市
`

const scopeHeader = "工单编号,受理时间,业务类别,投诉原因,投诉类型,所属机构,处理状态,办结时间\n"

const scopeExport1 = scopeHeader +
	"H1,2026-10-08 09:00:00,信用卡,收费,工作失误,天河支行,处理中,\n" +
	"H2,2026-10-12 10:00:00,借记卡,收费,工作失误,广东省分行,已办结,2026-10-20 16:00:00\n" +
	"H3,2026-10-15 11:00:00,信用卡,收费,工作失误,朝阳支行,处理中,\n" +
	"H4,2026-10-20 09:30:00,贷款,收费,工作失误,北京分行,已办结,2026-10-22 15:00:00\n" +
	"H5,2026-09-14 14:00:00,信用卡,收费,工作失误,天河支行,已办结,2026-10-12 10:00:00\n"

// the re-export: H1 reclassified, H3 closed.
const scopeExport2 = scopeHeader +
	"H1,2026-10-08 09:00:00,借记卡,收费,工作失误,天河支行,处理中,\n" +
	"H3,2026-10-15 11:00:00,信用卡,收费,工作失误,朝阳支行,已办结,2026-10-30 17:00:00\n"

const scopeConfig = `institution: 测试银行
language: zh
%BRANCHES%
sources:
  - name: hotline
    glob: exports/hotline_*.csv
    format: csv
    encoding: utf-8
    delimiter: ","
    header_row: 1
    intake_channel: phone
    columns: {source_id: 工单编号, received_at: 受理时间, business_category: 业务类别, cause: 投诉原因, complaint_type: 投诉类型, branch: 所属机构, status: 处理状态, replied_at: 办结时间}
`

type scopeFixture struct {
	t   *testing.T
	dir string
	env *Env
	now time.Time
}

func bj(y int, m time.Month, d, h int) time.Time {
	return time.Date(y, m, d, h, 0, 0, 0, warehouse.Beijing)
}

// newScopeFixture writes the project; withMaster says whether the config names the branch master.
func newScopeFixture(t *testing.T, withMaster bool) *scopeFixture {
	t.Helper()
	t.Setenv("SOURCE_DATE_EPOCH", "1790000000")
	dir := t.TempDir()
	must(t, os.MkdirAll(filepath.Join(dir, "exports"), 0o755))
	must(t, os.WriteFile(filepath.Join(dir, "branches.csv"), []byte(scopeBranches), 0o644))
	cfgText := scopeConfig
	if withMaster {
		cfgText = strings.Replace(cfgText, "%BRANCHES%", "branches: branches.csv", 1)
	} else {
		cfgText = strings.Replace(cfgText, "%BRANCHES%", "", 1)
	}
	must(t, os.WriteFile(filepath.Join(dir, "complaints.yaml"), []byte(cfgText), 0o644))
	cfg, err := config.Load(filepath.Join(dir, "complaints.yaml"))
	must(t, err)
	cfg.OutputDir = filepath.Join(dir, "out")
	f := &scopeFixture{t: t, dir: dir}
	f.env = &Env{Config: cfg, WarehousePath: filepath.Join(dir, "w.duckdb"), Now: func() time.Time { return f.now }}
	return f
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// ingest lands one export at the given time and normalises.
func (f *scopeFixture) ingest(name, content string, at time.Time) {
	t := f.t
	t.Helper()
	f.now = at
	path := filepath.Join(f.dir, "exports", name)
	must(t, os.WriteFile(path, []byte(content), 0o644))
	ctx := context.Background()
	w, err := f.env.OpenWarehouse(ctx, false)
	must(t, err)
	defer w.Close()
	res, err := ingest.IngestFiles(ctx, w, f.env.IngestOptions(false), []string{path}, "")
	must(t, err)
	if len(res) != 1 || res[0].Err != nil || res[0].Accepted != strings.Count(content, "\n")-1 {
		t.Fatalf("ingest %s: %+v", name, res)
	}
	_, err = f.env.Normalize(ctx, w)
	must(t, err)
}

// report writes the period's workbook from the warehouse (scope empty) or from a scoped copy; record files it.
func (f *scopeFixture) report(name string, o ScopeOptions, record bool) string {
	t := f.t
	t.Helper()
	ctx := context.Background()
	out := filepath.Join(f.dir, "out", name)
	if o.Empty() {
		w, err := f.env.OpenWarehouse(ctx, false)
		must(t, err)
		defer w.Close()
		_, err = f.env.Report(ctx, w, "2026-10", "zh", out)
		must(t, err)
		if record {
			_, err = f.env.RecordFiling(ctx, w, nil, "2026-10", out)
			must(t, err)
		}
		return out
	}
	s, err := f.env.OpenScope(ctx, o)
	must(t, err)
	defer s.Close()
	_, err = f.env.Report(ctx, s.Warehouse, "2026-10", "zh", out)
	must(t, err)
	if record {
		_, err = f.env.RecordFiling(ctx, s.Warehouse, s, "2026-10", out)
		must(t, err)
	}
	return out
}

func openBook(t *testing.T, path string) *excelize.File {
	t.Helper()
	x, err := excelize.OpenFile(path)
	must(t, err)
	t.Cleanup(func() { x.Close() })
	return x
}

// rowValue is the cell in column col of the first row of sheet whose column labelCol reads label.
func rowValue(t *testing.T, x *excelize.File, sheet string, labelCol int, label string, col int) string {
	t.Helper()
	rows, err := x.GetRows(sheet)
	must(t, err)
	for _, r := range rows {
		if len(r) >= labelCol && r[labelCol-1] == label {
			if len(r) < col {
				return ""
			}
			return r[col-1]
		}
	}
	t.Fatalf("%s: no row %q", sheet, label)
	return ""
}

// octoberFigures are the figures the tests read back: summary received, closed, open at end, overdue at end,
// and R1's credit card and debit card received.
type octoberFigures struct{ received, closed, openEnd, overdue, credit, debit string }

func readOctober(t *testing.T, path string) octoberFigures {
	x := openBook(t, path)
	const sum, r1 = "总体情况", "业务类别"
	return octoberFigures{
		received: rowValue(t, x, sum, 1, "受理投诉量", 2), closed: rowValue(t, x, sum, 1, "办结量", 2),
		openEnd: rowValue(t, x, sum, 1, "期末未办结量", 2), overdue: rowValue(t, x, sum, 1, "期末超期未办结量", 2),
		credit: rowValue(t, x, r1, 1, "信用卡", 3), debit: rowValue(t, x, r1, 1, "借记卡", 3),
	}
}

func TestAsOfReproducesTheFiguresAsFiled(t *testing.T) {
	f := newScopeFixture(t, true)
	f.ingest("hotline_20261105.csv", scopeExport1, bj(2026, 11, 5, 10))
	first := readOctober(t, f.report("first.xlsx", ScopeOptions{}, false))
	f.ingest("hotline_20261203.csv", scopeExport2, bj(2026, 12, 3, 10))

	asFiled := octoberFigures{received: "4", closed: "3", openEnd: "2", overdue: "2", credit: "2", debit: "1"}
	now := octoberFigures{received: "4", closed: "4", openEnd: "1", overdue: "1", credit: "1", debit: "2"}
	if first != asFiled {
		t.Errorf("October on 5 November: %+v, want %+v", first, asFiled)
	}
	asOf, err := ParseAsOf("2026-11-05")
	must(t, err)
	a := f.report("asof-a.xlsx", ScopeOptions{AsOf: asOf}, false)
	if got := readOctober(t, a); got != asFiled {
		t.Errorf("October --as-of 2026-11-05 in December: %+v, want %+v", got, asFiled)
	}
	if got := readOctober(t, f.report("latest.xlsx", ScopeOptions{}, false)); got != now {
		t.Errorf("October with the latest data: %+v, want %+v", got, now)
	}
	// an as-of on the day before the first ingest holds nothing; one on the second ingest's day the latest data
	dec, _ := ParseAsOf("2026-12-03")
	if got := readOctober(t, f.report("asof-dec.xlsx", ScopeOptions{AsOf: dec}, false)); got != now {
		t.Errorf("October --as-of 2026-12-03: %+v, want %+v", got, now)
	}
	// The cover states the as-of.
	x := openBook(t, a)
	if v := rowValue(t, x, "封面", 1, "数据截至", 2); !strings.HasPrefix(v, "2026-11-05 日终") {
		t.Errorf("cover as-of %q", v)
	}
	// Same data, same as-of: the same bytes (SOURCE_DATE_EPOCH fixes the generated-at time).
	b := f.report("asof-b.xlsx", ScopeOptions{AsOf: asOf}, false)
	ab, _ := os.ReadFile(a)
	bb, _ := os.ReadFile(b)
	if !bytes.Equal(ab, bb) {
		t.Error("two --as-of workbooks of the same data differ")
	}
}

// TestAsOfCorrections: a correction dated after the as-of is not applied to it; one dated before is.
func TestAsOfCorrections(t *testing.T) {
	f := newScopeFixture(t, true)
	corr := `- {complaint: "hotline:H4", action: reclassify, field: business_category, value: 信用卡, who: qa, when: "2026-11-20", why: misfiled}
- {complaint: "hotline:H2", action: reclassify, field: business_category, value: 信用卡, who: qa, when: "2026-11-01", why: misfiled}
`
	must(t, os.WriteFile(filepath.Join(f.dir, "corrections.yaml"), []byte(corr), 0o644))
	f.env.Config.Corrections = "corrections.yaml"
	f.ingest("hotline_20261105.csv", scopeExport1, bj(2026, 11, 5, 10))
	// as of 11-05: H2 corrected (dated 11-01), H4 not (dated 11-20): credit card H1 H3 H2 = 3, debit card 0.
	asOf, _ := ParseAsOf("2026-11-05")
	x := openBook(t, f.report("asof.xlsx", ScopeOptions{AsOf: asOf}, false))
	if c := rowValue(t, x, "业务类别", 1, "信用卡", 3); c != "3" {
		t.Errorf("credit card as of 11-05 with the 11-01 correction only: %s, want 3", c)
	}
	// now: both: credit card H1 H2 H3 H4 = 4.
	x = openBook(t, f.report("now.xlsx", ScopeOptions{}, false))
	if c := rowValue(t, x, "业务类别", 1, "信用卡", 3); c != "4" {
		t.Errorf("credit card now: %s, want 4", c)
	}
}

// TestAsOfCorrectionsByAudit: corrections without a date count from the normalise that first applied them.
func TestAsOfCorrectionsByAudit(t *testing.T) {
	f := newScopeFixture(t, true)
	path := filepath.Join(f.dir, "corrections.yaml")
	h2 := `- {complaint: "hotline:H2", action: reclassify, field: business_category, value: 信用卡, who: qa}` + "\n"
	h4 := `- {complaint: "hotline:H4", action: reclassify, field: business_category, value: 信用卡, who: qa}` + "\n"
	must(t, os.WriteFile(path, []byte(h2), 0o644))
	f.env.Config.Corrections = "corrections.yaml"
	f.ingest("hotline_20261105.csv", scopeExport1, bj(2026, 11, 5, 10)) // H2's correction applied on 11-05
	must(t, os.WriteFile(path, []byte(h2+h4), 0o644))
	f.now = bj(2026, 12, 3, 10) // H4's applied on 12-03
	ctx := context.Background()
	w, err := f.env.OpenWarehouse(ctx, false)
	must(t, err)
	_, err = f.env.Normalize(ctx, w)
	must(t, err)
	w.Close()
	for _, c := range []struct{ day, credit string }{{"2026-11-05", "3"}, {"2026-12-02", "3"}, {"2026-12-03", "4"}} {
		asOf, _ := ParseAsOf(c.day)
		x := openBook(t, f.report("asof-"+c.day+".xlsx", ScopeOptions{AsOf: asOf}, false))
		if got := rowValue(t, x, "业务类别", 1, "信用卡", 3); got != c.credit {
			t.Errorf("credit card as of %s: %s, want %s", c.day, got, c.credit)
		}
	}
}

// restatementRows reads the restatements sheet's table (rows 5 on) as "figure|breakdown|item|filed|now|diff|entered|left".
func restatementRows(t *testing.T, path string) (info string, rows []string) {
	x := openBook(t, path)
	all, err := x.GetRows("更正")
	must(t, err)
	if len(all) < 5 {
		t.Fatalf("restatements sheet has %d rows", len(all))
	}
	for _, r := range all[4:] {
		for len(r) < 9 {
			r = append(r, "")
		}
		if r[1] == "" {
			rows = append(rows, r[0])
			continue
		}
		rows = append(rows, strings.Join(r[1:], "|"))
	}
	return all[2][0], rows
}

// wantRestatements are the changes of the fixture's October between export 1 and export 2 (see the top).
var wantRestatements = []string{
	"受理投诉量|业务类别|借记卡|1|2|1|hotline:H1|",
	"受理投诉量|业务类别|信用卡|2|1|-1||hotline:H1",
	"办结量|合计|合计|3|4|1|hotline:H3|",
	"办结量|业务类别|信用卡|1|2|1|hotline:H3|",
	"办结：0-15天|合计|合计|2|3|1|hotline:H3|",
	"办结：0-15天|业务类别|信用卡|0|1|1|hotline:H3|",
	"按监管时限办结|合计|合计|2|3|1|hotline:H3|",
	"按监管时限办结|业务类别|信用卡|0|1|1|hotline:H3|",
	"期末未办结量|合计|合计|2|1|-1||hotline:H3",
	"期末未办结量|业务类别|借记卡|0|1|1|hotline:H1|",
	"期末未办结量|业务类别|信用卡|2|0|-2||hotline:H1 hotline:H3",
	"期末超期未办结量|合计|合计|2|1|-1||hotline:H3",
	"期末超期未办结量|业务类别|借记卡|0|1|1|hotline:H1|",
	"期末超期未办结量|业务类别|信用卡|2|0|-2||hotline:H1 hotline:H3",
}

func TestRecordFilingAndRestatements(t *testing.T) {
	f := newScopeFixture(t, true)
	f.ingest("hotline_20261105.csv", scopeExport1, bj(2026, 11, 5, 10))
	f.now = bj(2026, 11, 5, 11)
	filed := f.report("filed.xlsx", ScopeOptions{}, true)
	if info, rows := restatementRows(t, filed); !strings.Contains(info, "尚无报送记录") || len(rows) != 1 {
		t.Errorf("the filed workbook itself: %q %q", info, rows)
	}
	// Regenerated before any new data: a filing, nothing changed.
	if info, rows := restatementRows(t, f.report("same.xlsx", ScopeOptions{}, false)); !strings.Contains(info, "2026-11-05 11:00:00") ||
		len(rows) != 1 || !strings.Contains(rows[0], "无需更正") {
		t.Errorf("no change: %q %q", info, rows)
	}
	f.ingest("hotline_20261203.csv", scopeExport2, bj(2026, 12, 3, 10))
	_, rows := restatementRows(t, f.report("restated.xlsx", ScopeOptions{}, false))
	if strings.Join(rows, "\n") != strings.Join(wantRestatements, "\n") {
		t.Errorf("restatements:\n%s\nwant:\n%s", strings.Join(rows, "\n"), strings.Join(wantRestatements, "\n"))
	}
	// The difference is a formula over the filed and current cells.
	x := openBook(t, filepath.Join(f.dir, "out", "restated.xlsx"))
	if fm, _ := x.GetCellFormula("更正", "G5"); fm != "F5-E5" {
		t.Errorf("G5 formula %q", fm)
	}
	// A branch workbook compares with the branch's own filings only: none here.
	if info, _ := restatementRows(t, f.report("gd.xlsx", ScopeOptions{Branch: "GD000"}, false)); !strings.Contains(info, "尚无报送记录") {
		t.Errorf("branch workbook sees the bank-wide filing: %q", info)
	}
}

// TestRecordFilingFromAsOf files October retroactively from an --as-of copy: the filing lands in the warehouse
// and the latest workbook shows the same restatements.
func TestRecordFilingFromAsOf(t *testing.T) {
	f := newScopeFixture(t, true)
	f.ingest("hotline_20261105.csv", scopeExport1, bj(2026, 11, 5, 10))
	f.ingest("hotline_20261203.csv", scopeExport2, bj(2026, 12, 3, 10))
	asOf, _ := ParseAsOf("2026-11-05")
	f.now = bj(2026, 12, 4, 9)
	f.report("filed.xlsx", ScopeOptions{AsOf: asOf}, true)
	info, rows := restatementRows(t, f.report("latest.xlsx", ScopeOptions{}, false))
	if strings.Join(rows, "\n") != strings.Join(wantRestatements, "\n") {
		t.Errorf("restatements:\n%s\nwant:\n%s", strings.Join(rows, "\n"), strings.Join(wantRestatements, "\n"))
	}
	if !strings.Contains(info, "2026-12-04 09:00:00") || !strings.Contains(info, "2026-11-05 23:59:59") {
		t.Errorf("filing line %q", info)
	}
	// The as-of workbook of the same as-of compares with the filing: nothing changed.
	if _, rows := restatementRows(t, f.report("asof.xlsx", ScopeOptions{AsOf: asOf}, false)); len(rows) != 1 || !strings.Contains(rows[0], "无需更正") {
		t.Errorf("as-of workbook after its filing: %q", rows)
	}
}

// xmlText is every part of a workbook (or any zip) as one string, for scanning.
func xmlText(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	must(t, err)
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	must(t, err)
	var sb strings.Builder
	for _, f := range z.File {
		r, err := f.Open()
		must(t, err)
		c, err := io.ReadAll(r)
		r.Close()
		must(t, err)
		sb.WriteString(f.Name + "\n")
		sb.Write(c)
	}
	return sb.String()
}

func TestBranchWorkbookHoldsOnlyItsSubtree(t *testing.T) {
	f := newScopeFixture(t, true)
	f.ingest("hotline_20261105.csv", scopeExport1, bj(2026, 11, 5, 10))
	f.ingest("hotline_20261203.csv", scopeExport2, bj(2026, 12, 3, 10))
	f.now = bj(2026, 12, 4, 9)
	f.report("filed.xlsx", ScopeOptions{}, true) // a bank-wide filing: must not reach a branch copy
	all := openBook(t, f.report("all.xlsx", ScopeOptions{}, false))
	r3 := func(code, name string) int {
		rows, _ := all.GetRows("地区机构")
		for _, r := range rows {
			if len(r) >= 6 && (r[4] == code || r[4] == name) {
				n, _ := strconv.Atoi(r[5])
				return n
			}
		}
		return 0
	}
	others := map[string][]string{
		"GD000": {"北京分行", "北京朝阳支行", "朝阳支行", "BJ000", "BJ001", "北京市", "hotline:H3", "hotline:H4"},
		"GD001": {"北京分行", "北京朝阳支行", "朝阳支行", "BJ000", "BJ001", "广东省分行", "GD000", "hotline:H2", "hotline:H3", "hotline:H4"},
		"BJ001": {"广东省分行", "广州天河支行", "天河支行", "GD000", "GD001", "北京分行", "BJ000", "广东省", "hotline:H1", "hotline:H2", "hotline:H4", "hotline:H5"},
	}
	cases := []struct {
		arg, code string
		// hand-worked October now: received, closed (GD000: H1 H2 received, H2 H5 closed; GD001: H1, H5;
		// BJ001: H3, H3), and the bank-wide R3 rows that make the received figure
		received, closed string
		r3               int
	}{
		{"广东省分行", "GD000", "2", "2", r3("GD000", "广东省分行") + r3("GD001", "广州天河支行")},
		{"GD001", "GD001", "1", "1", r3("GD001", "广州天河支行")},
		{"朝阳支行", "BJ001", "1", "1", r3("BJ001", "北京朝阳支行")},
	}
	for _, c := range cases {
		path := f.report("branch-"+c.code+".xlsx", ScopeOptions{Branch: c.arg}, false)
		x := openBook(t, path)
		got := rowValue(t, x, "总体情况", 1, "受理投诉量", 2)
		if got != c.received || got != strconv.Itoa(c.r3) {
			t.Errorf("%s: received %s, want %s (bank-wide R3: %d)", c.arg, got, c.received, c.r3)
		}
		if got := rowValue(t, x, "总体情况", 1, "办结量", 2); got != c.closed {
			t.Errorf("%s: closed %s, want %s", c.arg, got, c.closed)
		}
		text := xmlText(t, path)
		for _, o := range others[c.code] {
			if strings.Contains(text, o) {
				t.Errorf("branch %s workbook holds %q", c.code, o)
			}
		}
		if !strings.Contains(rowValue(t, x, "封面", 1, "机构范围", 2), c.code) {
			t.Errorf("%s: the cover does not name the branch", c.arg)
		}
	}
	// A branch as of a date: GD000 on 5 November: received H1 (credit card) H2 (debit card), closed H2 H5, open
	// at end H1; now H1 is a debit card too.
	asOf, _ := ParseAsOf("2026-11-05")
	gdThen := octoberFigures{received: "2", closed: "2", openEnd: "1", overdue: "1", credit: "1", debit: "1"}
	if got := readOctober(t, f.report("gd-asof.xlsx", ScopeOptions{AsOf: asOf, Branch: "GD000"}, false)); got != gdThen {
		t.Errorf("GD000 as of 2026-11-05: %+v, want %+v", got, gdThen)
	}
	gdNow := octoberFigures{received: "2", closed: "2", openEnd: "1", overdue: "1", credit: "0", debit: "2"}
	if got := readOctober(t, filepath.Join(f.dir, "out", "branch-GD000.xlsx")); got != gdNow {
		t.Errorf("GD000 now: %+v, want %+v", got, gdNow)
	}
	// The dashboard of a branch copy: its page names no other branch either.
	ctx := context.Background()
	s, err := f.env.OpenScope(ctx, ScopeOptions{Branch: "朝阳支行"})
	must(t, err)
	defer s.Close()
	page, err := f.env.Dashboard(ctx, s.Warehouse, "2025-11", "2026-10", "zh", filepath.Join(f.dir, "out", "bj001.html"), false)
	if err == nil {
		b, _ := os.ReadFile(page)
		for _, o := range others["BJ001"] {
			if bytes.Contains(b, []byte(o)) {
				t.Errorf("branch dashboard holds %q", o)
			}
		}
		if !bytes.Contains(b, []byte("北京朝阳支行 (BJ001)")) {
			t.Error("branch dashboard does not name its branch")
		}
	} else if !strings.Contains(err.Error(), "echarts") {
		t.Fatal(err)
	}
	// Unknown and ambiguous names are errors naming the argument.
	if _, err := f.env.OpenScope(ctx, ScopeOptions{Branch: "上海分行"}); err == nil || !strings.Contains(err.Error(), "上海分行") {
		t.Errorf("unknown branch: %v", err)
	}
}

// Without a branch master, --branch takes the branch text the complaints hold.
func TestBranchWithoutMaster(t *testing.T) {
	f := newScopeFixture(t, false)
	f.ingest("hotline_20261105.csv", scopeExport1, bj(2026, 11, 5, 10))
	path := f.report("tianhe.xlsx", ScopeOptions{Branch: "天河支行"}, false)
	x := openBook(t, path)
	// H1 received in October (H5 in September): 1; closed in October: H5.
	if got := rowValue(t, x, "总体情况", 1, "受理投诉量", 2); got != "1" {
		t.Errorf("received %s, want 1", got)
	}
	if got := rowValue(t, x, "总体情况", 1, "办结量", 2); got != "1" {
		t.Errorf("closed %s, want 1", got)
	}
	text := xmlText(t, path)
	for _, o := range []string{"朝阳支行", "北京分行", "广东省分行"} {
		if strings.Contains(text, o) {
			t.Errorf("workbook holds %q", o)
		}
	}
}

// TestBranchCopyNamesItsUnitByTheOneRule: a unit with two records (its current name and a temporary one that
// ended) is named in a branch copy, and so on its cover, by the rule of the view branch_labels, as everywhere else.
func TestBranchCopyNamesItsUnitByTheOneRule(t *testing.T) {
	f := newScopeFixture(t, true)
	must(t, os.WriteFile(filepath.Join(f.dir, "branches.csv"), []byte(`code,name,aliases,parent,province_code,province_name,valid_from,valid_to
GD000,广东省分行,,,440000,广东省,,
GD001,广州天河支行,天河支行,GD000,440000,广东省,2020-01-01,
GD001,天河临时营业部,,GD000,440000,广东省,2025-01-01,2025-06-30
`), 0o644))
	f.ingest("hotline_20261105.csv", scopeExport1, bj(2026, 11, 5, 10))
	s, err := f.env.OpenScope(context.Background(), ScopeOptions{Branch: "GD001"})
	must(t, err)
	defer s.Close()
	if s.BranchName != "广州天河支行" {
		t.Errorf("branch copy named %q, want 广州天河支行 (the record still valid)", s.BranchName)
	}
}
