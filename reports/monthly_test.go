package reports

import (
	"archive/zip"
	"context"
	"database/sql"
	"math"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"complaints/readmodel/readmodeltest"
)

// injection is a category code that a spreadsheet would run as a formula if it were written as one.
const injection = `=HYPERLINK("http://x","y")`

// injectedFile is a file name shaped like a DDE payload.
const injectedFile = `=cmd|' /C calc'!A0.xlsx`

// The fixture's months run 2025-09 .. 2026-10 (14 months); the report is for 2026-10, so the previous month is
// 2026-09 and the year-earlier month 2025-10.
var fixtureMonths = []string{"2025-09", "2025-10", "2025-11", "2025-12", "2026-01", "2026-02", "2026-03",
	"2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"}

var (
	loansReceived  = []int64{10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 30, 40}
	loansClosed    = []int64{9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 25, 33}
	creditReceived = []int64{0, 0, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 20, 10}
	creditClosed   = []int64{0, 0, 4, 5, 5, 5, 5, 5, 5, 5, 5, 5, 15, 12}
)

func seed(t *testing.T, db *sql.DB) {
	t.Helper()
	for i, m := range fixtureMonths {
		var lreg, lmaj, creg int64
		if m == "2026-10" {
			lreg, lmaj, creg = 3, 1, 1
		}
		readmodeltest.Category(t, db, m, "loans", loansReceived[i], lreg, lmaj, loansClosed[i])
		readmodeltest.Category(t, db, m, "credit_card", creditReceived[i], creg, 0, creditClosed[i])
	}
	// A code the catalogue does not know, only in the report month; its label is the code itself.
	readmodeltest.Category(t, db, "2026-10", injection, 5, 0, 0, 0)
	// bank_card (not split) with zeros only: its row must not appear.
	readmodeltest.Category(t, db, "2026-10", "bank_card", 0, 0, 0, 0)

	readmodeltest.Batch(t, db, 1, "hotline", "exports/hotline_20261105.csv", "csv", 120, 116, 4, "2026-11-05 09:00:00")
	readmodeltest.Batch(t, db, 2, "walk_in", injectedFile, "xlsx", 30, 29, 1, "2026-11-06 10:30:00")
	readmodeltest.Reject(t, db, 1, "hotline", "exports/hotline_20261105.csv", "missing source id", 3)
	readmodeltest.Reject(t, db, 1, "hotline", "exports/hotline_20261105.csv", "-2+3", 1)
	readmodeltest.Reject(t, db, 2, "walk_in", injectedFile, "unparseable date of receipt", 1)
}

var generatedAt = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC) // 08:00 in Beijing

func writeReport(t *testing.T, lang, period string) (*excelize.File, string) {
	t.Helper()
	db := readmodeltest.Open(t)
	seed(t, db)
	out := filepath.Join(t.TempDir(), "report.xlsx")
	err := WriteMonthly(context.Background(), db, Options{Period: period, Lang: lang, Institution: "示例银行", GeneratedAt: generatedAt, Out: out})
	if err != nil {
		t.Fatalf("WriteMonthly: %v", err)
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatalf("open written workbook: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f, out
}

func get(t *testing.T, f *excelize.File, sheet, cell string) string {
	t.Helper()
	v, err := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatalf("%s!%s: %v", sheet, cell, err)
	}
	return v
}

func formula(t *testing.T, f *excelize.File, sheet, cell string) string {
	t.Helper()
	v, err := f.GetCellFormula(sheet, cell)
	if err != nil {
		t.Fatalf("%s!%s: %v", sheet, cell, err)
	}
	return v
}

// wantNumber checks a numeric cell (or a formula's cached value) against a figure worked out by hand.
func wantNumber(t *testing.T, f *excelize.File, sheet, cell string, want float64) {
	t.Helper()
	got := get(t, f, sheet, cell)
	n, err := strconv.ParseFloat(got, 64)
	if err != nil || math.Abs(n-want) > 1e-9 {
		t.Errorf("%s!%s = %q, want %v", sheet, cell, got, want)
	}
	if typ, _ := f.GetCellType(sheet, cell); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		t.Errorf("%s!%s has cell type %v, want a number", sheet, cell, typ)
	}
}

func wantText(t *testing.T, f *excelize.File, sheet, cell, want string) {
	t.Helper()
	if got := get(t, f, sheet, cell); got != want {
		t.Errorf("%s!%s = %q, want %q", sheet, cell, got, want)
	}
	if fm := formula(t, f, sheet, cell); fm != "" {
		t.Errorf("%s!%s holds formula %q, want the text %q", sheet, cell, fm, want)
	}
}

func TestMonthlySheetsAndLabels(t *testing.T) {
	f, _ := writeReport(t, "zh", "2026-10")
	want := []string{"封面", "总体情况", "业务类别", "投诉原因", "地区机构", "受理渠道", "时效", "根因", "数据质量", "更正", "未办结清单"}
	if got := f.GetSheetList(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("sheets %v, want %v", got, want)
	}
	fe, _ := writeReport(t, "en", "2026-10")
	wantEN := []string{"Cover", "Summary", "By business category", "Cause by category", "By region and branch", "By intake channel", "Timeliness", "Root causes", "Data quality", "Restatements", "Open complaints"}
	if got := fe.GetSheetList(); strings.Join(got, ",") != strings.Join(wantEN, ",") {
		t.Fatalf("sheets %v, want %v", got, wantEN)
	}
	// No label is missing from the catalogue (a missing key reads "?key").
	for _, wb := range []*excelize.File{f, fe} {
		for _, sheet := range wb.GetSheetList() {
			rows, _ := wb.GetRows(sheet)
			for i, row := range rows {
				for j, v := range row {
					if strings.HasPrefix(v, "?") {
						t.Errorf("%s row %d col %d: missing label %q", sheet, i+1, j+1, v)
					}
				}
			}
		}
	}
	wantText(t, fe, "By business category", "A7", "Loans")
	wantText(t, fe, "By business category", "A20", "Total")
}

func TestMonthlySummary(t *testing.T) {
	f, _ := writeReport(t, "zh", "2026-10")
	s := "总体情况"
	wantText(t, f, s, "A4", "受理投诉量")
	wantText(t, f, s, "B3", "本期 2026-10")
	wantText(t, f, s, "C3", "上期 2026-09")
	wantText(t, f, s, "E3", "上年同期 2025-10")
	// received: 40 + 10 + 5 = 55; previous 30 + 20 = 50; a year earlier 11 + 0 = 11.
	wantNumber(t, f, s, "B4", 55)
	wantNumber(t, f, s, "C4", 50)
	wantNumber(t, f, s, "D4", 0.1) // (55-50)/50
	wantNumber(t, f, s, "E4", 11)
	wantNumber(t, f, s, "F4", 4) // (55-11)/11
	// of which regulator referrals: 3 + 1 = 4 against 0 and 0: no base either way.
	wantNumber(t, f, s, "B5", 4)
	wantText(t, f, s, "D5", "—")
	wantText(t, f, s, "F5", "—")
	// of which major: 1.
	wantNumber(t, f, s, "B6", 1)
	// closed: 33 + 12 = 45; previous 25 + 15 = 40; a year earlier 10 + 0 = 10.
	wantNumber(t, f, s, "B7", 45)
	wantNumber(t, f, s, "C7", 40)
	wantNumber(t, f, s, "D7", 0.125)
	wantNumber(t, f, s, "E7", 10)
	wantNumber(t, f, s, "F7", 3.5)
	// The MoM cell shows as a percentage with one decimal.
	if v, _ := f.GetCellValue(s, "D4"); v != "10.0%" {
		t.Errorf("D4 shows %q, want 10.0%%", v)
	}
	// Trend: 13 months 2025-10 .. 2026-10.
	wantText(t, f, s, "A26", "2025-10")
	wantText(t, f, s, "A38", "2026-10")
	for i := range 13 {
		r := strconv.Itoa(26 + i)
		wantNumber(t, f, s, "B"+r, float64(loansReceived[i+1]+creditReceived[i+1]+map[bool]int64{true: 5}[i == 12]))
		wantNumber(t, f, s, "C"+r, float64(loansClosed[i+1]+creditClosed[i+1]))
	}
}

func TestMonthlyR1ByBusinessCategory(t *testing.T) {
	f, _ := writeReport(t, "zh", "2026-10")
	s := "业务类别"
	wantText(t, f, s, "A3", "业务类别")
	// Catalogue order with bank card split: rmb_savings, rmb_cash, foreign_exchange, loans (row 7), debit_card,
	// credit_card (row 9), no bank_card row (all zero), ..., other (row 18), then the unknown code (row 19).
	wantText(t, f, s, "A4", "人民币储蓄")
	wantText(t, f, s, "A7", "贷款")
	wantText(t, f, s, "A8", "借记卡")
	wantText(t, f, s, "A9", "信用卡")
	wantText(t, f, s, "A10", "支付结算")
	wantText(t, f, s, "A18", "其他")
	wantText(t, f, s, "A19", injection)
	wantText(t, f, s, "A20", "合计")
	rows, _ := f.GetRows(s)
	for _, row := range rows {
		if len(row) > 0 && row[0] == "银行卡(未区分)" {
			t.Error("the unsplit bank card row appears although it is zero")
		}
	}
	// loans: 40 received, 3 regulator, 1 major, 33 closed; share 40/55; MoM (40-30)/30; YoY (40-11)/11.
	wantNumber(t, f, s, "C7", 40)
	wantNumber(t, f, s, "D7", 3)
	wantNumber(t, f, s, "E7", 1)
	wantNumber(t, f, s, "F7", 33)
	wantNumber(t, f, s, "P7", 40.0/55)
	wantNumber(t, f, s, "Q7", 10.0/30)
	wantNumber(t, f, s, "R7", 29.0/11)
	// credit card: 10 received, MoM (10-20)/20 = -50%, YoY against 0: no figure.
	wantNumber(t, f, s, "C9", 10)
	wantNumber(t, f, s, "Q9", -0.5)
	wantText(t, f, s, "R9", "—")
	// a category with nothing: zeros, share 0, no MoM/YoY, no rates (nothing closed).
	wantNumber(t, f, s, "C4", 0)
	wantNumber(t, f, s, "P4", 0)
	wantText(t, f, s, "Q4", "—")
	wantText(t, f, s, "K4", "—")
	// the unknown code: 5 received, no bases.
	wantNumber(t, f, s, "C19", 5)
	wantText(t, f, s, "Q19", "—")
	// Shares are formulas against the total row, cached.
	if got := formula(t, f, s, "P7"); got != "C7/C$20" {
		t.Errorf("P7 formula %q, want C7/C$20", got)
	}
	if v, _ := f.GetCellValue(s, "P7"); v != "72.7%" {
		t.Errorf("P7 shows %q, want 72.7%%", v)
	}
	// Total row: SUM formulas with their values cached, so the sheet reads right before any recalculation.
	for col, want := range map[string]float64{"C": 55, "D": 4, "E": 1, "F": 45} {
		cell := col + "20"
		if got, wantF := formula(t, f, s, cell), "SUM("+col+"4:"+col+"19)"; got != wantF {
			t.Errorf("%s formula %q, want %q", cell, got, wantF)
		}
		wantNumber(t, f, s, cell, want)
		// excelize's own calculation of the formula agrees with the cached value.
		calc, err := f.CalcCellValue(s, cell)
		if err != nil || calc != strconv.Itoa(int(want)) {
			t.Errorf("%s recalculates to %q (%v), want %v", cell, calc, err, want)
		}
	}
	if got := formula(t, f, s, "P20"); got != "C20/C$20" {
		t.Errorf("P20 formula %q", got)
	}
	wantNumber(t, f, s, "P20", 1)
	wantNumber(t, f, s, "Q20", 0.1)
	wantNumber(t, f, s, "R20", 4)
	// Shares recalculate to the cached values too.
	calc, err := f.CalcCellValue(s, "P9", excelize.Options{RawCellValue: true})
	if n, _ := strconv.ParseFloat(calc, 64); err != nil || math.Abs(n-10.0/55) > 1e-9 {
		t.Errorf("P9 recalculates to %q (%v)", calc, err)
	}
}

func TestMonthlyNoBaseWhenHistoryIsMissing(t *testing.T) {
	// 2025-09 is the first month held: no previous month and no year-earlier month at all.
	f, _ := writeReport(t, "en", "2025-09")
	wantNumber(t, f, "Summary", "B4", 10)
	wantText(t, f, "Summary", "D4", "—")
	wantText(t, f, "Summary", "F4", "—")
	wantText(t, f, "By business category", "Q7", "—")
	wantText(t, f, "By business category", "R7", "—")
	// Nothing anywhere shows a division error or infinity.
	for _, sheet := range f.GetSheetList() {
		rows, _ := f.GetRows(sheet)
		for _, row := range rows {
			for _, v := range row {
				if strings.Contains(v, "#DIV") || strings.Contains(strings.ToLower(v), "inf") && !strings.Contains(strings.ToLower(v), "information") {
					t.Errorf("%s shows %q", sheet, v)
				}
			}
		}
	}
}

func TestMonthlyCoverAndDataQuality(t *testing.T) {
	f, out := writeReport(t, "zh", "2026-10")
	c := "封面"
	wantText(t, f, c, "A1", "消费投诉统计月报")
	wantText(t, f, c, "B3", "示例银行")
	wantText(t, f, c, "B4", "2026-10")
	wantText(t, f, c, "B5", "2026-11-01 08:00:00 (北京时间)")
	// Source files from batches: header on row 9, files on rows 10-11, total on 12.
	wantText(t, f, c, "A10", "exports/hotline_20261105.csv")
	wantText(t, f, c, "A11", injectedFile)
	wantNumber(t, f, c, "D10", 120)
	wantNumber(t, f, c, "F11", 1)
	wantNumber(t, f, c, "D12", 150)
	wantNumber(t, f, c, "E12", 145)
	wantNumber(t, f, c, "F12", 5)
	// Every figure used is defined.
	rows, _ := f.GetRows(c)
	var text strings.Builder
	for _, row := range rows {
		text.WriteString(strings.Join(row, "|") + "\n")
	}
	for _, def := range []string{"报告期内受理的投诉件数", "由监管部门转送", "重大消费投诉", "有效答复日期", "本行受理量 ÷ 合计受理量", "（本期 − 上期）÷ 上期", "上年同期"} {
		if !strings.Contains(text.String(), def) {
			t.Errorf("cover lacks the definition %q", def)
		}
	}

	q := "数据质量"
	wantText(t, f, q, "A4", "missing source id")
	wantNumber(t, f, q, "B4", 3)
	wantText(t, f, q, "A5", "-2+3")
	wantText(t, f, q, "A6", "unparseable date of receipt")
	wantNumber(t, f, q, "B7", 5)
	if got := formula(t, f, q, "B7"); got != "SUM(B4:B6)" {
		t.Errorf("rejects total formula %q", got)
	}
	wantText(t, f, q, "D5", injectedFile)
	wantNumber(t, f, q, "F6", 150)

	// Document properties and print setup.
	props, err := f.GetDocProps()
	if err != nil {
		t.Fatal(err)
	}
	if props.Creator != "示例银行" || props.Created != "2026-11-01T00:00:00Z" || !strings.Contains(props.Title, "2026-10") {
		t.Errorf("doc props %+v", props)
	}
	for _, sheet := range f.GetSheetList() {
		pl, err := f.GetPageLayout(sheet)
		if err != nil {
			t.Fatal(err)
		}
		tall := 0 // as many pages as it takes; the summary one (its chart never crosses a page break)
		if sheet == "总体情况" {
			tall = 1
		}
		if *pl.Size != 9 || *pl.Orientation != "landscape" || *pl.FitToWidth != 1 || *pl.FitToHeight != tall {
			t.Errorf("%s page layout size %d %s fit %dx%d", sheet, *pl.Size, *pl.Orientation, *pl.FitToWidth, *pl.FitToHeight)
		}
		props, _ := f.GetSheetProps(sheet)
		if props.FitToPage == nil || !*props.FitToPage {
			t.Errorf("%s is not fitted to the page", sheet)
		}
	}
	panes, _ := f.GetPanes("业务类别")
	if !panes.Freeze || panes.YSplit != 3 || panes.XSplit != 1 {
		t.Errorf("R1 panes %+v, want the header and first column frozen", panes)
	}
	// Chinese labels are counted double-width: 个人金融信息 is 12 columns wide plus padding.
	if w, _ := f.GetColWidth("业务类别", "A"); w < 14 {
		t.Errorf("R1 column A width %v is too narrow for 个人金融信息", w)
	}
	// The summary carries a chart.
	z, err := zip.OpenReader(out)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	charts := 0
	for _, zf := range z.File {
		if strings.HasPrefix(zf.Name, "xl/charts/chart") {
			charts++
		}
	}
	if charts != 1 {
		t.Errorf("workbook has %d charts, want 1", charts)
	}
}

// TestMonthlyDataNeverBecomesAFormula checks every formula in the workbook is one this package wrote (totals and
// shares), and that data strings shaped like formulas stay strings.
func TestMonthlyDataNeverBecomesAFormula(t *testing.T) {
	f, _ := writeReport(t, "zh", "2026-10")
	ours := regexp.MustCompile(`^(SUM\([A-Z]+\d+:[A-Z]+\d+\)|[A-Z]+\d+/[A-Z]+\$?\d+|B\$\d+/B\d+\*\d+)$`)
	for _, sheet := range f.GetSheetList() {
		rows, _ := f.GetRows(sheet)
		for r := range rows {
			for c := range rows[r] {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if fm := formula(t, f, sheet, cell); fm != "" && !ours.MatchString(fm) {
					t.Errorf("%s!%s holds formula %q", sheet, cell, fm)
				}
			}
		}
	}
	for _, x := range []struct{ sheet, cell, want string }{
		{"业务类别", "A19", injection}, {"封面", "A11", injectedFile}, {"数据质量", "D5", injectedFile}, {"数据质量", "A5", "-2+3"},
	} {
		wantText(t, f, x.sheet, x.cell, x.want)
		if typ, _ := f.GetCellType(x.sheet, x.cell); typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString {
			t.Errorf("%s!%s has type %v, want a string", x.sheet, x.cell, typ)
		}
	}
}

func TestPeriodErrors(t *testing.T) {
	db := readmodeltest.Open(t)
	for _, p := range []string{"", "2026-13", "26-10", "2026-Q5"} {
		err := WriteMonthly(context.Background(), db, Options{Period: p, Out: filepath.Join(t.TempDir(), "x.xlsx")})
		if err == nil || !strings.Contains(err.Error(), "period") {
			t.Errorf("period %q: err %v, want a period error", p, err)
		}
	}
}
