package reports

import (
	"archive/zip"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// coverRow is the value of the cover's line labelled label ("" when there is none).
func coverRow(t *testing.T, f *excelize.File, sheet, label string) string {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if len(r) > 1 && r[0] == label {
			return r[1]
		}
	}
	return ""
}

// TestAnnualFromMidYear: the end-to-end rows' source starts in 2025-07 (Y1 2025-07-15) and its batch's as-of is
// 2026-10-15, so the year 2025 has data from July to December and 2024 none. The 2025 workbook says so on the cover
// and the disclosure, and every column of 2024 reads "—", never 0, with no YoY; the summary, R1 and the channel
// table show the year before once (上年 2024), not as 上期 and 上年同期.
func TestAnnualFromMidYear(t *testing.T) {
	db := land(t, e2eRows)
	f, _ := writeE2E(t, db, "zh", "2025", Options{})
	if got := coverRow(t, f, "封面", "数据覆盖月份"); got != "2025年7月至12月" {
		t.Errorf("cover's months with data %q", got)
	}
	s := "年度投诉情况"
	// 2025 received Y1 (贷款) and Y2 (信用卡), both by phone, neither with a province nor a branch.
	wantCells(t, f, s, map[string]any{
		"A4": "本年度数据覆盖2025年7月至12月。",
		"C6": "上年 2024",
		"B7": 2, "C7": dash, "D7": dash,
		"B8": 0, "C8": dash, "D8": dash,
		"B9": 2, "C9": dash, "D9": dash,
		"A13": "信用卡", "B13": 1, "D13": dash, "E13": dash,
		"A14": "贷款", "B14": 1, "D14": dash, "E14": dash,
		"A15": "合计", "B15": 2, "D15": dash, "E15": dash,
	})
	if para := get(t, f, s, "A3"); !strings.HasPrefix(para, "2025年，本行共受理消费投诉2件（合并重复投诉后，下同）。") || contains(para, "同比") {
		t.Errorf("paragraph %q: no change on a year without data", para)
	}
	// no region recorded: an empty ranking, both complaints in the footnote, the year before no data
	rows, _ := f.GetRows(s)
	var foot string
	for _, r := range rows {
		if len(r) > 0 && strings.HasPrefix(r[0], "注：未记录省份") {
			foot = r[0]
		}
		if len(r) > 0 && r[0] == "未记录" {
			t.Errorf("a 未记录 row in the disclosure's tables: %v", r)
		}
	}
	if want := "注：未记录省份的投诉2件，占2025年投诉的100.0%（上年无数据），不列入上表排名；上表占比为各地区投诉量占已记录省份投诉合计之比。"; foot != want {
		t.Errorf("region footnote %q, want %q", foot, want)
	}

	sum := "总体情况"
	// the duration bands (row 8) and reply completeness (19) of a year without data are no data, not "未记录"
	wantCells(t, f, sum, map[string]any{"B3": "本期 2025", "C3": "上年 2024", "D3": "同比", "B4": 2, "C4": dash, "D4": dash,
		"A8": "其中：0-15天办结", "C8": dash, "A19": "答复要素完整率", "C19": dash})
	if v := get(t, f, sum, "E3") + get(t, f, sum, "F3"); v != "" {
		t.Errorf("the annual summary has more base columns: %q", v)
	}
	// R1: the MoM column (Q) holds the year before's received, no data here; YoY (R) no figure.
	loans, total := strconv.Itoa(rowOf(t, f, "业务类别", "贷款", 1)), strconv.Itoa(rowOf(t, f, "业务类别", "合计", 1))
	wantCells(t, f, "业务类别", map[string]any{"Q3": "上年 2024", "R3": "同比", "Q" + loans: dash, "R" + loans: dash, "Q" + total: dash, "R" + total: dash})
	// channels: received | share | 上年 2024 | 同比
	wantCells(t, f, "受理渠道", map[string]any{"D3": "上年 2024", "E3": "同比", "B4": 2, "D4": dash, "E4": dash, "D5": dash, "E5": dash})
	if v := get(t, f, "受理渠道", "F3"); v != "" {
		t.Errorf("the annual channel table has a column F %q", v)
	}
}

// TestAnnualWithPriorYearInPart: the two-month fixture's data start in 2025-10 (Y1 Y2), so for the year 2026 the
// year before is covered in part: no base, as on the summary (a base whose first month is before any data). With
// 2025 covered from January (a coverage row saying the source delivered, with nothing received, from 2025-01), the
// same workbook shows 2025's figures once: 上年 2025 with 2 received (Y1 Y2) and YoY (31 - 2) / 2 = 14.5.
func TestAnnualWithPriorYearInPart(t *testing.T) {
	db := landFixture(t, true)
	f, _ := writeE2E(t, db, "zh", "2026", Options{})
	// the batch was ingested 2026-11-05: the source covers 2026 up to November
	if got := coverRow(t, f, "封面", "数据覆盖月份"); got != "2026年1月至11月" {
		t.Errorf("cover's months with data %q", got)
	}
	s := "年度投诉情况"
	wantCells(t, f, s, map[string]any{"A4": "本年度数据覆盖2026年1月至11月。", "B7": 31, "C7": dash, "D7": dash, "C9": dash, "D13": dash, "E13": dash})
	if para := get(t, f, s, "A3"); contains(para, "同比") {
		t.Errorf("paragraph %q: a change on a year covered in part", para)
	}
	wantCells(t, f, "总体情况", map[string]any{"C3": "上年 2025", "B4": 31, "C4": dash, "D4": dash})
	loans := strconv.Itoa(rowOf(t, f, "业务类别", "贷款", 1))
	wantCells(t, f, "业务类别", map[string]any{"Q3": "上年 2025", "Q" + loans: dash, "R" + loans: dash})

	if _, err := db.Exec(`INSERT INTO source_coverage VALUES ('hotline', DATE '2025-01-01', true, 0, NULL, false, 'ok')`); err != nil {
		t.Fatal(err)
	}
	f, _ = writeE2E(t, db, "zh", "2026", Options{})
	wantCells(t, f, s, map[string]any{"B7": 31, "C7": 2, "D7": 14.5, "C8": 0, "C9": 2})
	wantCells(t, f, "总体情况", map[string]any{"C3": "上年 2025", "D3": "同比", "B4": 31, "C4": 2, "D4": 14.5})
	// R1: loans 13 against Y1, credit cards 8 against Y2; the total sums the column.
	r1 := "业务类别"
	loans, cards, total := strconv.Itoa(rowOf(t, f, r1, "贷款", 1)), strconv.Itoa(rowOf(t, f, r1, "信用卡", 1)), rowOf(t, f, r1, "合计", 1)
	wantCells(t, f, r1, map[string]any{"Q" + loans: 1, "R" + loans: 12.0, "Q" + cards: 1, "R" + cards: 7.0, "Q" + strconv.Itoa(total): 2})
	if fm := formula(t, f, r1, "Q"+strconv.Itoa(total)); fm != "SUM(Q4:Q"+strconv.Itoa(total-1)+")" {
		t.Errorf("R1 total's year-before formula %q", fm)
	}
	e, _ := writeE2E(t, db, "en", "2026", Options{})
	wantText(t, e, "Annual disclosure", "A4", "This year's data cover 2026-01 to 2026-11.")
	if got := coverRow(t, e, "Cover", "Months with data"); got != "2026-01 to 2026-11" {
		t.Errorf("English cover's months with data %q", got)
	}
}

// TestHalfYearBasesAndTrend: 2026-H1 of the end-to-end rows (data from 2025-07): received P1 P2 P3 B1 B2 = 5; the
// previous half-year 2025-H2 Y1 Y2 = 2 (MoM 1.5); the same half a year earlier, 2025-H1, is before any data: "—",
// not 0, and no YoY. The trend is by quarter from 2025-Q1: "—" for the quarters before the data, then 2025-Q3
// received 2 closed 2, 2025-Q4 and 2026-Q1 nothing, 2026-Q2 received 5 closed P1.
func TestHalfYearBasesAndTrend(t *testing.T) {
	db := land(t, e2eRows)
	f, out := writeE2E(t, db, "zh", "2026-H1", Options{})
	s := "总体情况"
	wantCells(t, f, s, map[string]any{
		"C3": "上期 2025-H2", "D3": "环比", "E3": "上年同期 2025-H1", "F3": "同比",
		"B4": 5, "C4": 2, "D4": 1.5, "E4": dash, "F4": dash,
		"A24": "近6个季度受理与办结趋势", "A25": "季度",
	})
	for i, x := range []struct {
		q                string
		received, closed any
	}{{"2025-Q1", dash, dash}, {"2025-Q2", dash, dash}, {"2025-Q3", 2, 2}, {"2025-Q4", 0, 0}, {"2026-Q1", 0, 0}, {"2026-Q2", 5, 1}} {
		r := strconv.Itoa(26 + i)
		wantCells(t, f, s, map[string]any{"A" + r: x.q, "B" + r: x.received, "C" + r: x.closed})
	}
	// the chart plots the six quarters
	z, err := zip.OpenReader(out)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	for _, zf := range z.File {
		if strings.HasPrefix(zf.Name, "xl/charts/chart") {
			rc, _ := zf.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			if !contains(string(b), "$B$26:$B$31") || !contains(string(b), "$A$26:$A$31") {
				t.Errorf("%s does not plot rows 26-31", zf.Name)
			}
		}
	}
	// the channel table: phone P1 P2 B2 = 3 against Y1 Y2 = 2 the half-year before; 2025-H1 no data
	n := strconv.Itoa(rowOf(t, f, "受理渠道", "电话/客服热线", 4))
	wantCells(t, f, "受理渠道", map[string]any{"B" + n: 3, "D" + n: 2, "E" + n: 0.5, "F" + n: dash, "G" + n: dash})

	// With the data starting in 2025-08 instead, 2025-H2 is covered in part: no base ("—", no MoM), while the
	// trend's 2025-Q3, with one month of data, still shows what the marts hold for it.
	if _, err := db.Exec(`DELETE FROM source_coverage WHERE month < DATE '2025-08-01'`); err != nil {
		t.Fatal(err)
	}
	f, _ = writeE2E(t, db, "zh", "2026-H1", Options{})
	wantCells(t, f, s, map[string]any{"B4": 5, "C4": dash, "D4": dash, "E4": dash, "A28": "2025-Q3", "B28": 2, "C28": 2})
}

// TestFirstMonthBasesNoData: 2025-07 is the end-to-end rows' first month (Y1, by phone): its previous month and the
// month a year earlier are before any data, so the channel table's base columns read "—", not 0, and R1's MoM
// and YoY have no figure.
func TestFirstMonthBasesNoData(t *testing.T) {
	db := land(t, e2eRows)
	f, _ := writeE2E(t, db, "zh", "2025-07", Options{})
	if got := coverRow(t, f, "封面", "数据覆盖月份"); got != "2025年7月" {
		t.Errorf("cover's months with data %q", got)
	}
	ch := "受理渠道"
	n := strconv.Itoa(rowOf(t, f, ch, "电话/客服热线", 4))
	total := strconv.Itoa(rowOf(t, f, ch, "合计", 4))
	wantCells(t, f, ch, map[string]any{"D3": "上期 2025-06", "F3": "上年同期 2024-07",
		"B" + n: 1, "D" + n: dash, "E" + n: dash, "F" + n: dash, "G" + n: dash, "D" + total: dash, "F" + total: dash})
	loans := strconv.Itoa(rowOf(t, f, "业务类别", "贷款", 4))
	wantCells(t, f, "业务类别", map[string]any{"Q3": "环比", "C" + loans: 1, "Q" + loans: dash, "R" + loans: dash})
	wantCells(t, f, "总体情况", map[string]any{"B4": 1, "C4": dash, "D4": dash, "E4": dash, "F4": dash})
}
