package ingest

import (
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// serialOf is the Excel serial of a Beijing wall-clock time in the 1900 (or 1904) date system.
func serialOf(t time.Time, date1904 bool) float64 {
	base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	if date1904 {
		base = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	wall := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
	return wall.Sub(base).Hours() / 24
}

// buildWalkinXLSX writes a branch walk-in log as hand-kept workbooks look: an empty first sheet, a merged title
// row with an as-of date, a two-row header whose 客户信息 cell is merged over two columns (and the other header
// cells merged over both rows), serial dates in date-formatted cells (built-in and custom formats), a plain
// serial in a General cell, a text date, a branch name merged down over three rows, and a merged total row.
func buildWalkinXLSX(t *testing.T, path string, date1904 bool) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if _, err := f.NewSheet("登记簿"); err != nil {
		t.Fatal(err)
	}
	if date1904 {
		v := true
		if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &v}); err != nil {
			t.Fatal(err)
		}
	}
	s := "登记簿"
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	dateTime, err := f.NewStyle(&excelize.Style{NumFmt: 22})
	must(err)
	custom := "yyyy\"年\"m\"月\"d\"日\""
	cnDate, err := f.NewStyle(&excelize.Style{CustomNumFmt: &custom})
	must(err)
	must(f.SetCellValue(s, "A1", "某银行网点投诉登记簿（截至2026年10月31日）"))
	must(f.MergeCell(s, "A1", "G1"))
	for _, h := range []struct{ cell, text, to string }{
		{"A2", "登记编号", "A3"}, {"B2", "登记日期", "B3"}, {"C2", "客户信息", "D2"}, {"E2", "网点名称", "E3"},
		{"F2", "投诉摘要", "F3"}, {"G2", "办结日期", "G3"},
	} {
		must(f.SetCellValue(s, h.cell, h.text))
		must(f.MergeCell(s, h.cell, h.to))
	}
	must(f.SetCellValue(s, "C3", "客户姓名"))
	must(f.SetCellValue(s, "D3", "联系电话"))
	bj := func(y, m, d, hh, mm int) time.Time { return time.Date(y, time.Month(m), d, hh, mm, 0, 0, time.UTC) }
	data := []struct {
		id           string
		recv         any
		recvStyle    int
		name, phone  string
		branch, summ string
		reply        any
		replyStyle   int
	}{
		{"W1", serialOf(bj(2026, 10, 3, 14, 5), date1904), dateTime, "张三", "13812345678", "朝阳支行", "排队时间长", serialOf(bj(2026, 10, 5, 0, 0), date1904), cnDate},
		{"W2", serialOf(bj(2026, 10, 4, 9, 30), date1904), dateTime, "欧阳娜娜", "139 0000 1111", "", "态度差", "2026-10-08", 0},
		{"W3", serialOf(bj(2026, 10, 6, 0, 0), date1904), cnDate, "李四", "", "", "收费", nil, 0},
		{"W4", serialOf(bj(2026, 10, 7, 0, 0), date1904), 0, "王五", "", "海淀支行", "ATM吞卡", nil, 0},
	}
	for i, d := range data {
		r := i + 4
		cell := func(col string) string { return col + itoa(r) }
		must(f.SetCellValue(s, cell("A"), d.id))
		must(f.SetCellValue(s, cell("B"), d.recv))
		if d.recvStyle != 0 {
			must(f.SetCellStyle(s, cell("B"), cell("B"), d.recvStyle))
		}
		must(f.SetCellValue(s, cell("C"), d.name))
		must(f.SetCellValue(s, cell("D"), d.phone))
		if d.branch != "" {
			must(f.SetCellValue(s, cell("E"), d.branch))
		}
		must(f.SetCellValue(s, cell("F"), d.summ))
		if d.reply != nil {
			must(f.SetCellValue(s, cell("G"), d.reply))
			if d.replyStyle != 0 {
				must(f.SetCellStyle(s, cell("G"), cell("G"), d.replyStyle))
			}
		}
	}
	must(f.MergeCell(s, "E4", "E6"))
	must(f.SetCellValue(s, "A8", "合计"))
	must(f.MergeCell(s, "A8", "D8"))
	must(f.SetCellValue(s, "E8", 4))
	must(f.SaveAs(path))
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestXLSXWalkinLog(t *testing.T) {
	for _, date1904 := range []bool{false, true} {
		name := "1900"
		if date1904 {
			name = "1904"
		}
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "branch_walkin_log.xlsx")
			buildWalkinXLSX(t, path, date1904)
			opts := testOptions()
			exp := expectedCase{
				Source: "branch_walkin_log", Format: "xlsx", Sheet: "登记簿", AsOf: "2026-10-31", HeaderRow: 2,
				Accepted: 4, Rejected: 1,
				Rows: []map[string]any{
					{"row_number": float64(4), "source_id": "W1", "received_at": "2026-10-03 14:05:00", "customer_name_masked": "张*",
						"customer_phone_masked": "138****5678", "branch": "朝阳支行", "summary": "排队时间长", "replied_at": "2026-10-05 00:00:00"},
					{"row_number": float64(5), "source_id": "W2", "received_at": "2026-10-04 09:30:00", "customer_name_masked": "欧***",
						"customer_phone_masked": "139****1111", "branch": "朝阳支行", "replied_at": "2026-10-08 00:00:00"},
					{"row_number": float64(6), "source_id": "W3", "received_at": "2026-10-06 00:00:00", "branch": "朝阳支行"},
					{"row_number": float64(7), "source_id": "W4", "received_at": "2026-10-07 00:00:00", "branch": "海淀支行"},
				},
				Rejects: []map[string]any{{"row": 8, "reason": "received_at: cannot parse date", "raw_value": "合计"}},
			}
			checkGolden(t, path, opts, "", exp)
		})
	}
}

func TestExcelSerial(t *testing.T) {
	for _, c := range []struct {
		serial float64
		d1904  bool
		want   string
	}{
		{1, false, "1900-01-01 00:00:00"},
		{59, false, "1900-02-28 00:00:00"},
		{60, false, "1900-02-28 00:00:00"}, // Excel's 1900-02-29, which never existed
		{61, false, "1900-03-01 00:00:00"},
		{45933.5868055556, false, "2025-10-03 14:05:00"},
		{0, true, ""},
		{1, true, "1904-01-02 00:00:00"},
		{44471.5868055556, true, "2025-10-03 14:05:00"},
	} {
		got := ""
		if tm, ok := excelSerial(c.serial, c.d1904); ok {
			got = tm.Format("2006-01-02 15:04:05")
		}
		if got != c.want {
			t.Errorf("excelSerial(%v, 1904=%v) = %q, want %q", c.serial, c.d1904, got, c.want)
		}
	}
}

func TestDateFormatCodes(t *testing.T) {
	for code, want := range map[string]bool{
		"yyyy-mm-dd": true, `yyyy"年"m"月"d"日"`: true, "[$-804]yyyy/m/d h:mm": true, "0.00": false, "General": false,
		`"days"0`: false, "#,##0": false, "[Red]0.00": false, "h:mm:ss": true, `0.0\d`: false,
	} {
		if got := isDateFormatCode(code); got != want {
			t.Errorf("isDateFormatCode(%q) = %v, want %v", code, got, want)
		}
	}
}
