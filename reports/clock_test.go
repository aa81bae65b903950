package reports

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"

	"complaints/transform"
)

// unknownClockRows: closed complaints of December 2027, three whose clocks are known and two received late in the
// month whose deadlines fall in 2028, a year the built-in calendar has no holiday schedule for (domain.md
// section 4). 2027-12-01 is a Wednesday. 工作失误 is a general complaint (3 working days), 服务产品 a complex
// one (10 working days); the regulatory limit is 15 calendar days.
//
//	O1 credit card, general, 12-01 -> 12-02: internal deadline 12-06, regulatory 12-16: on time on both
//	O2 credit card, general, 12-01 -> 12-10: internal late, regulatory on time
//	O3 loans, general, 12-01 -> 12-20: late on both
//	U1 loans, complex, 12-24 -> 12-27: both deadlines in 2028: both flags unknown
//	U2 credit card, general, 12-28 -> 12-29: internal deadline 12-31 (known, on time), regulatory in 2028 (unknown)
var unknownClockRows = [][]any{
	{"O1", "2027-12-01 10:00:00", "2027-12-02 10:00:00", "信用卡", "工作失误"},
	{"O2", "2027-12-01 10:00:00", "2027-12-10 10:00:00", "信用卡", "工作失误"},
	{"O3", "2027-12-01 10:00:00", "2027-12-20 10:00:00", "贷款", "工作失误"},
	{"U1", "2027-12-24 10:00:00", "2027-12-27 10:00:00", "贷款", "服务产品"},
	{"U2", "2027-12-28 10:00:00", "2027-12-29 10:00:00", "信用卡", "工作失误"},
}

func landUnknownClocks(t *testing.T) *excelize.File {
	t.Helper()
	cols := []string{"source_id", "received_at", "replied_at", "business_category", "complaint_type", "status"}
	var values [][]any
	for _, r := range unknownClockRows {
		values = append(values, append(append([]any{}, r...), "已办结"))
	}
	db := landBatch(t, "2028-01-10 09:00:00", cols, values, transform.Options{})
	f, _ := writeE2E(t, db, "zh", "2027-12", Options{})
	return f
}

// rowOf is the sheet row whose column A reads label, at or below from.
func rowOf(t *testing.T, f *excelize.File, sheet, label string, from int) int {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for i := from - 1; i < len(rows); i++ {
		if len(rows[i]) > 0 && rows[i][0] == label {
			return i + 1
		}
	}
	t.Fatalf("%s: no row %q", sheet, label)
	return 0
}

// TestOnTimeRatesLeaveOutUnknownClocks: an on-time rate divides by the closed complaints whose flag on that clock
// is known; closed itself counts them all. Regulatory: known O1 O2 O3, on time O1 O2 = 2/3. Internal: known O1 O2
// O3 U2, on time O1 U2 = 2/4. The workbook's rate formulas recalculate to the same figures.
func TestOnTimeRatesLeaveOutUnknownClocks(t *testing.T) {
	f := landUnknownClocks(t)
	// summary: closed (row 7) 5; regulatory on time (12) 2/3; internal (13) 2/4
	s := "总体情况"
	wantNumber(t, f, s, "B7", 5)
	wantNumber(t, f, s, "B12", 2.0/3)
	wantNumber(t, f, s, "B13", 0.5)

	// R1: credit card O1 O2 U2: closed 3, regulatory 2/2, internal 2/3; loans O3 U1: closed 2, 0/1 on both.
	s = "业务类别"
	card, loans, total := rowOf(t, f, s, "信用卡", 4), rowOf(t, f, s, "贷款", 4), rowOf(t, f, s, "合计", 4)
	for r, want := range map[int][3]float64{card: {3, 1, 2.0 / 3}, loans: {2, 0, 0}, total: {5, 2.0 / 3, 0.5}} {
		wantNumber(t, f, s, fmt.Sprintf("F%d", r), want[0])
		wantNumber(t, f, s, fmt.Sprintf("K%d", r), want[1])
		wantNumber(t, f, s, fmt.Sprintf("L%d", r), want[2])
		for _, col := range []string{"K", "L"} {
			cell := fmt.Sprintf("%s%d", col, r)
			calc, err := f.CalcCellValue(s, cell, excelize.Options{RawCellValue: true})
			if cached := get(t, f, s, cell); err != nil || !sameNumber(calc, cached) {
				t.Errorf("%s!%s recalculates to %q (%v), cached %q", s, cell, calc, err, cached)
			}
		}
	}

	// the rates divide by hidden helper columns of the known-flag counts: V (regulatory) and W (internal)
	for cell, fm := range map[string]string{fmt.Sprintf("K%d", total): fmt.Sprintf("S%d/V%d", total, total),
		fmt.Sprintf("L%d", card): fmt.Sprintf("T%d/W%d", card, card), fmt.Sprintf("V%d", total): fmt.Sprintf("SUM(V4:V%d)", total-1)} {
		if got := formula(t, f, s, cell); got != fm {
			t.Errorf("%s!%s formula %q, want %q", s, cell, got, fm)
		}
	}
	wantNumber(t, f, s, fmt.Sprintf("V%d", card), 2)
	wantNumber(t, f, s, fmt.Sprintf("W%d", card), 3)
	for _, col := range []string{"V", "W"} {
		if v, _ := f.GetColVisible(s, col); v {
			t.Errorf("helper column %s is visible", col)
		}
	}

	// timeliness by complaint type: general O1 O2 O3 U2 (internal 2/4, regulatory 2/3); complex U1, no known flag.
	s = "时效"
	general, complex := rowOf(t, f, s, "一般投诉", 5), rowOf(t, f, s, "复杂投诉", 5)
	total = rowOf(t, f, s, "合计", 5)
	wantNumber(t, f, s, fmt.Sprintf("B%d", general), 4)
	wantNumber(t, f, s, fmt.Sprintf("D%d", general), 0.5)
	wantNumber(t, f, s, fmt.Sprintf("G%d", general), 2.0/3)
	wantText(t, f, s, fmt.Sprintf("D%d", complex), "—")
	wantText(t, f, s, fmt.Sprintf("G%d", complex), "—")
	wantNumber(t, f, s, fmt.Sprintf("B%d", total), 5)
	wantNumber(t, f, s, fmt.Sprintf("D%d", total), 0.5)
	wantNumber(t, f, s, fmt.Sprintf("G%d", total), 2.0/3)
	if got := formula(t, f, s, fmt.Sprintf("G%d", total)); got != fmt.Sprintf("F%d/M%d", total, total) {
		t.Errorf("%s!G%d formula %q, want the regulatory on time over the hidden helper M", s, total, got)
	}
	for _, cell := range []string{fmt.Sprintf("D%d", general), fmt.Sprintf("G%d", general), fmt.Sprintf("D%d", total), fmt.Sprintf("G%d", total)} {
		calc, err := f.CalcCellValue(s, cell, excelize.Options{RawCellValue: true})
		if cached := get(t, f, s, cell); err != nil || !sameNumber(calc, cached) {
			t.Errorf("%s!%s recalculates to %q (%v), cached %q", s, cell, calc, err, cached)
		}
	}
}

// TestOnTimeRatesLeaveOutUnknownClocksCSV: the CSV export writes the same rates (the grids' values).
func TestOnTimeRatesLeaveOutUnknownClocksCSV(t *testing.T) {
	cols := []string{"source_id", "received_at", "replied_at", "business_category", "complaint_type", "status"}
	var values [][]any
	for _, r := range unknownClockRows {
		values = append(values, append(append([]any{}, r...), "已办结"))
	}
	db := landBatch(t, "2028-01-10 09:00:00", cols, values, transform.Options{})
	dir := filepath.Join(t.TempDir(), "report-2027-12")
	if err := WriteMonthly(context.Background(), db, Options{Period: "2027-12", Lang: "zh", Institution: "示例银行",
		GeneratedAt: generatedAt, Out: dir, Format: FormatCSV}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "02-总体情况.csv"))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range map[int]string{11: "66.7%", 12: "50.0%"} {
		if recs[i][1] != want {
			t.Errorf("summary CSV row %d %q: %q, want %v", i+1, recs[i][0], recs[i][1], want)
		}
	}
}
