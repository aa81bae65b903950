package reports

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"complaints/transform"
	"complaints/warehouse"
)

// row is one landed row of the end-to-end fixture; empty strings land as NULL.
type row struct {
	id, typ, received, replied, category, cause, channel, status, ctype string
	phone, major, sat, facts, others, branch, province                  string
}

// e2eRows: every figure the tests expect is worked out by hand in the comments of the tests below from these
// rows. Calendar: 2026-07-01 is a Wednesday; no holidays in July-August 2026; 2026-09-20 is a make-up working
// day, 10-01..10-07 National Day; 2025-07-15 is a Tuesday.
var e2eRows = []row{
	// 2025-Q3 (the year-earlier quarter)
	{id: "Y1", received: "2025-07-15 10:00:00", replied: "2025-07-18 10:00:00", category: "贷款", channel: "电话", ctype: "工作失误", phone: "y1"},
	{id: "Y2", received: "2025-08-05 10:00:00", replied: "2025-08-25 10:00:00", category: "信用卡", channel: "电话", ctype: "产品", phone: "y2"},
	// 2026-Q2 (the previous quarter)
	{id: "P1", received: "2026-06-10 10:00:00", replied: "2026-06-15 10:00:00", category: "贷款", channel: "电话", ctype: "工作失误", phone: "q1"},
	{id: "P2", received: "2026-06-22 10:00:00", replied: "2026-07-08 10:00:00", category: "贷款", channel: "电话", ctype: "工作失误", phone: "q2"},
	{id: "P3", received: "2026-06-29 10:00:00", category: "信用卡", channel: "网上投诉", ctype: "工作失误", phone: "q3"},
	{id: "B1", received: "2026-05-11 10:00:00", replied: "2026-07-20 10:00:00", category: "借记卡", phone: "q4"},
	{id: "B2", received: "2026-06-15 10:00:00", replied: "2026-07-27 10:00:00", category: "借记卡", channel: "电话", ctype: "工作失误", phone: "q5"},
	// 2026-Q3 (the report's quarter)
	{id: "A1", received: "2026-07-06 10:00:00", replied: "2026-07-08 10:00:00", category: "贷款", cause: "服务态度", channel: "电话", ctype: "工作失误",
		phone: "p1", sat: "满意", facts: "是", others: "是", branch: "广州分行", province: "广东"},
	{id: "A2", received: "2026-07-13 10:00:00", replied: "2026-07-31 10:00:00", category: "贷款", cause: "收费", channel: "监管转送", ctype: "产品",
		phone: "p2", sat: "基本满意", facts: "是", branch: "广州分行", province: "广东省"},
	{id: "A3", received: "2026-08-03 10:00:00", replied: "2026-08-05 10:00:00", category: "信用卡", cause: "盗刷", channel: "网上投诉",
		phone: "p3", major: "是", sat: "不满意", branch: "北京分行", province: "北京"},
	{id: "A4", received: "2026-08-10 10:00:00", category: "信用卡", cause: "奇怪原因", channel: "电话", status: "撤诉", ctype: "工作失误",
		phone: "p4", branch: "北京分行", province: "北京"},
	{id: "A6", received: "2026-09-01 10:00:00", category: "贷款", cause: "服务态度", channel: "电话", ctype: "工作失误", phone: "p5", branch: "广州分行", province: "广东"},
	{id: "A7", received: "2026-09-03 10:00:00", category: "贷款", cause: "服务态度", channel: "电话", ctype: "工作失误", phone: "p5", branch: "广州分行", province: "广东"},
	{id: "A8", received: "2026-09-20 10:00:00", category: "信用卡", cause: "收费", channel: "电话", ctype: "工作失误", phone: "p6"},
	{id: "A9", received: "2026-09-08 10:00:00", replied: "2026-09-18 10:00:00", category: "信用卡", cause: "服务态度", channel: "网上投诉",
		phone: "p1", branch: "深圳分行", province: "440000"},
	{id: "A10", typ: "咨询", received: "2026-07-20 10:00:00", category: "贷款", channel: "电话", phone: "p20"},
	{id: "A11", received: "2026-08-20 10:00:00", category: "贷款", channel: "电话", status: "不予受理", ctype: "工作失误", phone: "p21"},
	{id: "A12", received: "2026-09-10 10:00:00", replied: "2026-09-05 10:00:00", category: "信用卡", status: "已办结", ctype: "工作失误",
		phone: "p7", branch: "长沙分行", province: "湖南"},
}

// land writes the rows as one hotline batch ingested 2026-10-15 and runs transform.Normalize.
func land(t testing.TB, rows []row) *sql.DB {
	t.Helper()
	cols := []string{"source_id", "record_type", "received_at", "intake_channel", "business_category", "cause",
		"complaint_type", "branch", "province", "customer_phone_key", "status", "replied_at", "satisfaction",
		"reply_facts", "reply_accountability", "reply_remediation", "reply_satisfaction", "reply_time",
		"reply_handler_contact", "major"}
	values := make([][]any, len(rows))
	for i, r := range rows {
		values[i] = []any{r.id, nul(r.typ), r.received, nul(r.channel), nul(r.category), nul(r.cause), nul(r.ctype),
			nul(r.branch), nul(r.province), nul(r.phone), nul(r.status), nul(r.replied), nul(r.sat), nul(r.facts),
			nul(r.others), nul(r.others), nul(r.others), nul(r.others), nul(r.others), nul(r.major)}
	}
	return landBatch(t, "2026-10-15 09:00:00", cols, values, transform.Options{})
}

// nul lands an empty fixture field as NULL, as an export's empty cell.
func nul(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// landBatch lands values (one slice per row, in the order of cols) as batch 1 of the hotline source, ingested at
// ingestedAt, into an in-memory warehouse, and normalises it with opts.
func landBatch(t testing.TB, ingestedAt string, cols []string, values [][]any, opts transform.Options) *sql.DB {
	t.Helper()
	ctx := context.Background()
	w, err := warehouse.Open(ctx, warehouse.Options{Path: ":memory:", Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	if _, err := w.DB.Exec(`INSERT INTO batches (batch_id, source_system, file_path, file_sha256, file_size, format, encoding, sheet, export_as_of, rows_read, rows_accepted, rows_rejected, ingested_at) VALUES (1, 'hotline', 'exports/hotline.csv', 'sha1', 1, 'csv', 'utf-8', NULL, NULL, ?, ?, 0, ?)`,
		len(values), len(values), ingestedAt); err != nil {
		t.Fatal(err)
	}
	q := `INSERT INTO landed_rows (batch_id, source_system, file_path, file_sha256, row_number, ingested_at, ` +
		strings.Join(cols, ", ") + `) VALUES (1, 'hotline', 'exports/hotline.csv', 'sha1', ?, ?` +
		strings.Repeat(", ?", len(cols)) + `)`
	for i, v := range values {
		if _, err := w.DB.Exec(q, append([]any{i + 2, ingestedAt}, v...)...); err != nil {
			t.Fatalf("land row %d (%v): %v", i+2, v[0], err)
		}
	}
	if _, err := transform.Normalize(ctx, w, opts); err != nil {
		t.Fatal(err)
	}
	return w.DB
}

func writeE2E(t *testing.T, db *sql.DB, lang, period string, opts Options) (*excelize.File, string) {
	t.Helper()
	opts.Period, opts.Lang, opts.Institution, opts.GeneratedAt = period, lang, "示例银行", generatedAt
	opts.Out = filepath.Join(t.TempDir(), fmt.Sprintf("report-%s.xlsx", period))
	if err := WriteMonthly(context.Background(), db, opts); err != nil {
		t.Fatalf("WriteMonthly %s: %v", period, err)
	}
	f, err := excelize.OpenFile(opts.Out)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f, opts.Out
}

// TestQuarterSummaryFromLandedRows checks every summary figure of 2026-Q3 against the rows above.
func TestQuarterSummaryFromLandedRows(t *testing.T) {
	db := land(t, e2eRows)
	f, _ := writeE2E(t, db, "zh", "2026-Q3", Options{})
	s := "总体情况"
	wantText(t, f, s, "B3", "本期 2026-Q3")
	wantText(t, f, s, "C3", "上期 2026-Q2")
	wantText(t, f, s, "E3", "上年同期 2025-Q3")
	// Q3 received: A1 A2 A3 A4 (withdrawn counts) A6 A8 A9 A12 (reply invalid counts) = 8; not A7 (duplicate of A6),
	// A10 (enquiry), A11 (not accepted). Q2: P1 P2 P3 B1 B2 = 5. 2025-Q3: Y1 Y2 = 2.
	type line struct {
		row             int
		label           string
		cur, prev, yago any // float64 or a text mark
		mom, yoy        any
	}
	const dash = "—"
	regQ3, intQ3 := 3.0/7, 2.0/7 // reg on time: A1 A3 A9; internal: A1 A3 (A9 missed its 3 working days)
	avgQ3 := 160.0 / 7           // P2 16 + A1 2 + A2 18 + B1 70 + B2 42 + A3 2 + A9 10
	for _, x := range []line{
		{4, "受理投诉量", 8.0, 5.0, 2.0, 0.6, 3.0},
		{5, "其中：监管转送", 1.0, 0.0, 0.0, dash, dash}, // A2
		{6, "其中：重大投诉", 1.0, 0.0, 0.0, dash, dash}, // A3
		// closed in Q3: P2 A1 A2 B1 B2 A3 A9 = 7; Q2: P1; 2025-Q3: Y1 Y2.
		{7, "办结量", 7.0, 1.0, 2.0, 6.0, 2.5},
		{8, "其中：0-15天办结", 3.0, 1.0, 1.0, 2.0, 2.0},                                   // A1 A3 A9; P1 (5 d); Y1 (3 d)
		{9, "其中：16-30天办结", 2.0, 0.0, 1.0, dash, 1.0},                                 // P2 A2; Y2 (20 d)
		{10, "其中：31-60天办结", 1.0, 0.0, 0.0, dash, dash},                               // B2 (42 d)
		{11, "其中：60天以上办结", 1.0, 0.0, 0.0, dash, dash},                                // B1 (70 d)
		{12, "按时办结率（监管时限）", regQ3, 1.0, 0.5, (regQ3 - 1) * 100, (regQ3 - 0.5) * 100}, // Y2 late (deadline 08-20)
		{13, "按时办结率（内部时限）", intQ3, 1.0, 0.5, (intQ3 - 1) * 100, (intQ3 - 0.5) * 100},
		// open at 07-01: P2 P3 B1 B2; Q2 started with none open; stocks are the quarter's first and last month's.
		{14, "期初未办结量", 4.0, 0.0, 0.0, dash, dash},
		// open at 09-30: P3 A6 A8; at 06-30: P2 P3 B1 B2.
		{15, "期末未办结量", 3.0, 4.0, 0.0, -0.25, dash},
		// overdue at 09-30: P3 (deadline 07-14), A6 (09-16); A8's deadline 10-05 rolls to 10-08. At 06-30: B1 (05-26);
		// B2's deadline is 06-30 itself, not yet overdue.
		{16, "期末超期未办结量", 2.0, 1.0, 0.0, 1.0, dash},
		{17, "平均处理天数", avgQ3, 5.0, 11.5, (avgQ3 - 5) / 5, (avgQ3 - 11.5) / 11.5},
		{18, "满意率", 2.0 / 3, dash, dash, dash, dash},   // A1 satisfied, A2 basically, A3 dissatisfied
		{19, "答复要素完整率", 0.5, "未记录", "未记录", dash, dash}, // A1 complete, A2 facts only; nothing recorded before
		// p1 complained in July (A1) and September (A9), 64 days apart: A9 is a repeat, so one repeat customer in
		// September (none in July), their complaints A9 and the A1 it repeats.
		{20, "重复投诉客户数（各月之和）", 1.0, 0.0, 0.0, dash, dash},
		{21, "重复投诉客户的投诉量", 2.0, 0.0, 0.0, dash, dash},
		{22, "合并重复投诉件数", 1.0, 0.0, 0.0, dash, dash}, // A7
	} {
		r := fmt.Sprint(x.row)
		wantText(t, f, s, "A"+r, x.label)
		for col, v := range map[string]any{"B": x.cur, "C": x.prev, "E": x.yago, "D": x.mom, "F": x.yoy} {
			switch v := v.(type) {
			case float64:
				wantNumber(t, f, s, col+r, v)
			case string:
				wantText(t, f, s, col+r, v)
			}
		}
	}
	// A rate's MoM is shown in percentage points, a count's as a percentage.
	if v, _ := f.GetCellValue(s, "D12"); v != "-57.1个百分点" {
		t.Errorf("D12 shows %q", v)
	}
	if v, _ := f.GetCellValue(s, "D4"); v != "60.0%" {
		t.Errorf("D4 shows %q", v)
	}
	if v, _ := f.GetCellValue(s, "B17"); v != "22.9" {
		t.Errorf("B17 shows %q", v)
	}
	// The trend is by quarter, from the year-earlier quarter to this one: 2025-Q3 received Y1 Y2, closed Y1 Y2;
	// nothing in 2025-Q4 and 2026-Q1 (covered: the source's data start in 2025-07); 2026-Q2 received 5, closed P1;
	// 2026-Q3 received 8, closed 7 (the figures above).
	wantText(t, f, s, "A24", "近5个季度受理与办结趋势")
	wantText(t, f, s, "A25", "季度")
	for i, x := range []struct {
		q                string
		received, closed float64
	}{{"2025-Q3", 2, 2}, {"2025-Q4", 0, 0}, {"2026-Q1", 0, 0}, {"2026-Q2", 5, 1}, {"2026-Q3", 8, 7}} {
		r := fmt.Sprint(26 + i)
		wantText(t, f, s, "A"+r, x.q)
		wantNumber(t, f, s, "B"+r, x.received)
		wantNumber(t, f, s, "C"+r, x.closed)
	}
	if v := get(t, f, s, "A31"); v != "" {
		t.Errorf("the quarterly trend runs on to A31 %q", v)
	}
	// The title says it is a quarterly report.
	wantText(t, f, "封面", "A1", "消费投诉统计季报")
}

// TestStocksOfOtherPeriods checks open at start/end and overdue for a month, a half-year and a year.
func TestStocksOfOtherPeriods(t *testing.T) {
	db := land(t, e2eRows)
	for _, c := range []struct {
		period                   string
		start, end, overdue, rcv float64
	}{
		// August: open at 08-01 only P3 (A2 replied 07-31); at 08-31 still P3, overdue since 07-14. Received A3 A4.
		{"2026-08", 1, 1, 1, 2},
		// July: open at 07-01 P2 P3 B1 B2; at 07-31 P3 only (A2 replied that day), overdue. Received A1 A2.
		{"2026-07", 4, 1, 1, 2},
		// H1 2026: January's open at start (none), June's open at end (P2 P3 B1 B2) and overdue (B1).
		{"2026-H1", 0, 4, 1, 5},
		// 2025: nothing open at either end; Y1 Y2 received.
		{"2025", 0, 0, 0, 2},
	} {
		f, _ := writeE2E(t, db, "en", c.period, Options{})
		wantNumber(t, f, "Summary", "B14", c.start)
		wantNumber(t, f, "Summary", "B15", c.end)
		wantNumber(t, f, "Summary", "B16", c.overdue)
		wantNumber(t, f, "Summary", "B4", c.rcv)
		if c.period == "2026-08" {
			wantText(t, f, "Summary", "A20", "Repeat complainants") // a month's count is distinct customers
		}
	}
}

func TestQuarterR1FromLandedRows(t *testing.T) {
	db := land(t, e2eRows)
	f, _ := writeE2E(t, db, "zh", "2026-Q3", Options{})
	s := "业务类别"
	wantText(t, f, s, "A7", "贷款")
	wantText(t, f, s, "A8", "借记卡")
	wantText(t, f, s, "A9", "信用卡")
	wantText(t, f, s, "A19", "合计")
	wantText(t, f, s, "B3", "期初未办结量")
	wantText(t, f, s, "R3", "同比")
	dash := "—"
	want := map[int]map[string]any{
		// loans: open at start P2; received A1 A2 A6; regulator A2; closed P2 (16 d) A1 (2 d) A2 (18 d); on time A1 on
		// both clocks; open and overdue at end A6; Q2 received P1 P2, 2025-Q3 Y1.
		7: {"B": 1.0, "C": 3.0, "D": 1.0, "E": 0.0, "F": 3.0, "G": 1.0, "H": 2.0, "I": 0.0, "J": 0.0,
			"K": 1.0 / 3, "L": 1.0 / 3, "M": 1.0, "N": 1.0, "O": 12.0, "P": 3.0 / 8, "Q": 0.5, "R": 2.0, "S": 1.0, "T": 1.0, "U": 36.0},
		// debit card: open at start B1 B2, both closed in July (70 d and 42 d, late); nothing received (Q2 had 2).
		8: {"B": 2.0, "C": 0.0, "F": 2.0, "G": 0.0, "I": 1.0, "J": 1.0, "K": 0.0, "L": 0.0, "M": 0.0, "N": 0.0, "O": 56.0,
			"P": 0.0, "Q": -1.0, "R": dash},
		// credit card: open at start P3; received A3 A4 A8 A9 A12; major A3; closed A3 (2 d) A9 (10 d), both on the
		// regulatory clock, A3 on the internal; open at end P3 A8, overdue P3. Q2 P3, 2025-Q3 Y2.
		9: {"B": 1.0, "C": 5.0, "D": 0.0, "E": 1.0, "F": 2.0, "G": 2.0, "H": 0.0, "K": 1.0, "L": 0.5, "M": 1.0, "N": 2.0,
			"O": 6.0, "P": 5.0 / 8, "Q": 4.0, "R": 4.0},
		// a category with nothing closed has no rates.
		4: {"C": 0.0, "K": dash, "L": dash, "O": dash},
		19: {"B": 4.0, "C": 8.0, "D": 1.0, "E": 1.0, "F": 7.0, "G": 3.0, "H": 2.0, "I": 1.0, "J": 1.0, "K": 3.0 / 7, "L": 2.0 / 7,
			"M": 2.0, "N": 3.0, "O": 160.0 / 7, "P": 1.0, "Q": 0.6, "R": 3.0, "S": 3.0, "T": 2.0, "U": 160.0},
	}
	for r, cols := range want {
		for col, v := range cols {
			cell := fmt.Sprintf("%s%d", col, r)
			switch v := v.(type) {
			case float64:
				wantNumber(t, f, s, cell, v)
			case string:
				wantText(t, f, s, cell, v)
			}
		}
	}
	// Totals are formulas: counts are sums, rates are the summed numerators over the summed denominators.
	for cell, fm := range map[string]string{"B19": "SUM(B4:B18)", "N19": "SUM(N4:N18)", "U19": "SUM(U4:U18)",
		"K19": "S19/F19", "L19": "T19/F19", "O19": "U19/F19", "K7": "S7/F7", "P9": "C9/C$19"} {
		if got := formula(t, f, s, cell); got != fm {
			t.Errorf("%s formula %q, want %q", cell, got, fm)
		}
	}
	for _, cell := range []string{"K19", "L19", "O19", "N19"} {
		calc, err := f.CalcCellValue(s, cell, excelize.Options{RawCellValue: true})
		cached := get(t, f, s, cell)
		if err != nil || !sameNumber(calc, cached) {
			t.Errorf("%s recalculates to %q (%v), cached %q", cell, calc, err, cached)
		}
	}
	for _, col := range []string{"S", "T", "U"} {
		if v, _ := f.GetColVisible(s, col); v {
			t.Errorf("helper column %s is visible", col)
		}
	}
}

func TestQuarterR2R3ChannelsFromLandedRows(t *testing.T) {
	db := land(t, e2eRows)
	f, _ := writeE2E(t, db, "zh", "2026-Q3", Options{Branches: 500, PersonalCustomers: 20_000_000})
	s := "投诉原因"
	// Rows: catalogue causes (service_quality row 4 ... other row 16), then unmapped (A4's 奇怪原因) row 17, total 18.
	// Columns: categories in catalogue order, loans E, credit card G, ... other P; total Q, share R.
	wantText(t, f, s, "A4", "服务态度及服务质量")
	wantText(t, f, s, "A10", "定价收费")
	wantText(t, f, s, "A13", "消费者资金安全")
	wantText(t, f, s, "A16", "其他")
	wantText(t, f, s, "A17", "未映射")
	wantText(t, f, s, "A18", "合计")
	wantText(t, f, s, "E3", "贷款")
	wantText(t, f, s, "G3", "信用卡")
	wantText(t, f, s, "Q3", "合计")
	for cell, v := range map[string]float64{
		"E4": 2, "G4": 1, "Q4": 3, "R4": 3.0 / 8, // A1 A6 loans, A9 credit card
		"E10": 1, "G10": 1, "Q10": 2, // A2, A8
		"G13": 1, "G16": 1, "G17": 1, // A3; A12 has no cause; A4
		"E18": 3, "G18": 5, "F18": 0, "Q18": 8, "R18": 1,
	} {
		wantNumber(t, f, s, cell, v)
	}
	if got := formula(t, f, s, "Q4"); got != "SUM(B4:P4)" {
		t.Errorf("R2 row total formula %q", got)
	}
	if got := formula(t, f, s, "G18"); got != "SUM(G4:G17)" {
		t.Errorf("R2 column total formula %q", got)
	}

	s = "地区机构"
	// Provinces in GB/T 2260 order: 北京 (A3 A4), 湖南 (A12), 广东 (A1 A2 A6 A9), none recorded (A8).
	for i, x := range []struct {
		label string
		n     float64
	}{{"北京市", 2}, {"湖南省", 1}, {"广东省", 4}, {"未记录", 1}, {"合计", 8}} {
		r := fmt.Sprint(5 + i)
		wantText(t, f, s, "A"+r, x.label)
		wantNumber(t, f, s, "B"+r, x.n)
		wantNumber(t, f, s, "C"+r, x.n/8)
	}
	// Branches by received: 广州 (A1 A2 A6), 北京 (A3 A4), 深圳 (A9), 长沙 (A12), none (A8).
	for i, x := range []struct {
		label string
		n     float64
	}{{"广州分行", 3}, {"北京分行", 2}, {"深圳分行", 1}, {"长沙分行", 1}, {"未记录", 1}, {"合计", 8}} {
		r := fmt.Sprint(5 + i)
		wantText(t, f, s, "E"+r, x.label)
		wantNumber(t, f, s, "F"+r, x.n)
		wantNumber(t, f, s, "G"+r, x.n/8)
	}
	// Bulletin measures: 8 / 500 x 1,000 = 16; 8 / 20,000,000 x 10,000,000 = 4.
	wantText(t, f, s, "A14", "每千家营业网点投诉量")
	wantNumber(t, f, s, "B14", 500)
	wantNumber(t, f, s, "C14", 16)
	wantNumber(t, f, s, "C15", 4)
	if got := formula(t, f, s, "C14"); got != "B$9/B14*1000" {
		t.Errorf("C14 formula %q", got)
	}
	// Without denominators there is no measures block.
	g, _ := writeE2E(t, db, "zh", "2026-Q3", Options{})
	if v := get(t, g, s, "A14"); v != "" {
		t.Errorf("measures shown without denominators: %q", v)
	}

	s = "受理渠道"
	// Q3 phone A1 A4 A6 A8 (Q2 P1 P2 B2, 2025-Q3 Y1 Y2); online A3 A9 (Q2 P3); regulator A2; other A12 (Q2 B1).
	for cell, v := range map[string]any{
		"A4": "电话/客服热线", "B4": 4.0, "C4": 0.5, "D4": 3.0, "E4": 1.0 / 3, "F4": 2.0, "G4": 1.0,
		"A5": "网上投诉平台", "B5": 2.0, "D5": 1.0, "E5": 1.0, "G5": "—",
		"A14": "监管转送", "B14": 1.0, "E14": "—",
		"A15": "其他", "B15": 1.0, "D15": 1.0, "E15": 0.0,
		"A16": "合计", "B16": 8.0, "C16": 1.0, "D16": 5.0, "E16": 0.6, "F16": 2.0, "G16": 3.0,
	} {
		switch v := v.(type) {
		case float64:
			wantNumber(t, f, s, cell, v)
		case string:
			wantText(t, f, s, cell, v)
		}
	}
}

func TestQuarterQualityFromLandedRows(t *testing.T) {
	db := land(t, e2eRows)
	f, _ := writeE2E(t, db, "zh", "2026-Q3", Options{})
	s := "数据质量"
	wantText(t, f, s, "A4", "无拒收记录")
	wantText(t, f, s, "D4", "exports/hotline.csv")
	wantText(t, f, s, "A7", "本期工单分类统计（按受理月份） 2026-Q3")
	for i, x := range []struct {
		label string
		n     float64
	}{
		{"非投诉工单（咨询、建议、表扬等）", 1}, // A10
		{"不予受理", 1},            // A11
		{"撤诉", 1},              // A4
		{"关联为重复投诉", 1},         // A7
		{"已办结但答复日期无效", 1},      // A12
		{"投诉类型缺失（按一般投诉时限）", 2}, // A3 A9 (B1 is in May)
	} {
		r := fmt.Sprint(9 + i)
		wantText(t, f, s, "A"+r, x.label)
		wantNumber(t, f, s, "B"+r, x.n)
	}
	// The quarter's complaints without a province: A8 of the 8 counted (A1 A2 A3 A4 A6 A8 A9 A12; A7 is A6's
	// duplicate), and their share.
	wantText(t, f, s, "A15", "无省份的投诉（机构主数据也无法确定）")
	wantNumber(t, f, s, "B15", 1)
	wantText(t, f, s, "A16", "无省份的投诉占本期投诉之比")
	wantNumber(t, f, s, "B16", 0.125)
	// All records: late without extension P2 A2 B1 B2 Y2; type missing B1 A3 A9; reply before receipt A12.
	for i, x := range []struct {
		label string
		n     float64
	}{{"超过监管时限且未延长", 5}, {"投诉类型缺失", 3}, {"答复日期早于受理日期", 1}, {"合计", 9}} {
		r := fmt.Sprint(20 + i)
		wantText(t, f, s, "A"+r, x.label)
		wantNumber(t, f, s, "B"+r, x.n)
	}
	if got := formula(t, f, s, "B23"); got != "SUM(B20:B22)" {
		t.Errorf("checks total formula %q", got)
	}
	wantText(t, f, s, "D9", "投诉原因")
	wantText(t, f, s, "E9", "奇怪原因")
	wantNumber(t, f, s, "F9", 1)
	wantText(t, f, s, "G9", "hotline")
	// Every figure has its definition on the cover.
	rows, _ := f.GetRows("封面")
	var text string
	for _, r := range rows {
		text += fmt.Sprintln(r)
	}
	for _, want := range []string{"按时办结率（监管时限）", "期初未办结量", "期末超期未办结量", "平均处理天数", "满意率", "答复要素完整率",
		"各月人数之和", "合并重复投诉件数", "百分点差", "数据质量"} {
		if !contains(text, want) {
			t.Errorf("cover lacks %q", want)
		}
	}
}

func contains(s, sub string) bool {
	return len(sub) == 0 || (len(s) >= len(sub) && indexOf(s, sub) >= 0)
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

func sameNumber(a, b string) bool {
	var x, y float64
	if _, err := fmt.Sscan(a, &x); err != nil {
		return false
	}
	if _, err := fmt.Sscan(b, &y); err != nil {
		return false
	}
	d := x - y
	return d < 1e-9 && d > -1e-9
}
