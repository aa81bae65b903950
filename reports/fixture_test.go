package reports

import (
	"archive/zip"
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"complaints/catalog"
	"complaints/internal/textwidth"
	"complaints/reports/list"
	"complaints/transform"
)

// The two-month fixture (issue "Excel regulator reports", point 7): 41 hand-made records, most of them received
// in September and October 2026, that exercise every rule of domain.md sections 4-6. Every figure the tests below
// expect is worked out by hand, in the comments, from these rows. The October 2026 report compares with September
// (MoM) and October 2025 (YoY, rows Y1 Y2); two older complaints (A1 A2) are still open when September starts.
//
// Calendar (2026 State Council schedule, shared/testdata/holidays-cn/2026.json): Mid-Autumn 09-25..09-27 off;
// National Day 10-01..10-07 off; Sun 09-20 and Sat 10-10 are make-up working days; otherwise Mon-Fri work.
// 2026-09-01 is a Tuesday, 2026-10-01 a Thursday. The batch was ingested 2026-11-05 (a reply after that is "in
// the future"). Internal limit: 3 working days (general, or type missing), 10 (complex), counted from the day after
// receipt. Regulatory: 15 calendar days (30/60 with an extension tier) + paused days, rolled to the next working day.
// Handling days = reply date - receipt date - paused days. Working days (timeliness) = working days after receipt
// up to the reply date.
//
// Branch master: GZ001 广州天河支行 (aliases 天河支行, province 广东), BJ001 北京朝阳支行 (alias 朝阳支行, 北京),
// SH001 上海浦东支行 (上海). 杭州西湖支行 is in no master: it stays as exported.

// frow is one landed row; empty strings land as NULL. el: "all" = the six reply elements recorded and present,
// "facts" = only the facts recorded (incomplete), "" = none recorded.
type frow struct {
	id, typ, received, replied, category, cause, channel, status, ctype string
	cust, branch, province, paused, tier, approved, major, sat, el      string
	handler, name, summary                                              string
}

var fixtureRows = []frow{
	// October 2025 (YoY base). Y1: internal 10-16, on time; regulatory 10-28; 2 days. Y2: internal 10-23, replied
	// 10-24: late; regulatory 11-04 on time; 4 days.
	{id: "Y1", received: "2025-10-13 10:00:00", replied: "2025-10-15 10:00:00", category: "贷款", cause: "服务态度", ctype: "工作失误", cust: "c50", branch: "GZ001"},
	{id: "Y2", received: "2025-10-20 10:00:00", replied: "2025-10-24 10:00:00", category: "信用卡", cause: "收费", ctype: "工作失误", cust: "c51", branch: "BJ001"},
	// A2: complex, paused 5: regulatory 07-15 + 20 = 08-04, internal 07-29; replied 10-16: late on both, 93 - 5 =
	// 88 days (over 60), 63 working days. Open when September and October start; overdue at the end of September.
	{id: "A2", received: "2026-07-15 10:00:00", replied: "2026-10-16 10:00:00", category: "信用卡", cause: "收费", ctype: "服务产品", cust: "c41", branch: "BJ001", paused: "5"},
	// A1: general: regulatory 09-04, internal 08-25; replied 10-12: late on both, 53 days (31-60), 33 working days.
	{id: "A1", received: "2026-08-20 10:00:00", replied: "2026-10-12 10:00:00", category: "贷款", cause: "服务态度", ctype: "工作失误", cust: "c40", branch: "GZ001"},

	// ---- September 2026
	// S1: replied in 2 days, on time (internal 09-04, regulatory 09-16); satisfied, reply complete.
	{id: "S1", received: "2026-09-01 10:00:00", replied: "2026-09-03 10:00:00", category: "贷款", cause: "服务态度", ctype: "工作失误", cust: "c1", branch: "GZ001", sat: "满意", el: "all"},
	// S2: complex (10 working days: 09-17); regulatory 09-18; replied 09-10: 7 days, on time; basically satisfied.
	{id: "S2", received: "2026-09-03 10:00:00", replied: "2026-09-10 10:00:00", category: "信用卡", cause: "收费", channel: "网上投诉", ctype: "服务产品", cust: "c2", branch: "朝阳支行", sat: "基本满意"},
	// S3: internal 09-10, regulatory 09-22; replied 09-24: late on both, 17 days (16-30); dissatisfied.
	{id: "S3", received: "2026-09-07 10:00:00", replied: "2026-09-24 10:00:00", category: "借记卡", cause: "服务态度", ctype: "工作失误", cust: "c3", branch: "SH001", sat: "不满意"},
	// S4: still open. Regulatory 09-25 is Mid-Autumn: rolled to Mon 09-28; internal 09-15. Overdue at 09-30 and at
	// 10-31 (10-31 - 09-28 = 33 days).
	{id: "S4", received: "2026-09-10 10:00:00", category: "信用卡", cause: "收费", ctype: "工作失误", cust: "c4", branch: "天河支行", handler: "王经办"},
	// S5: withdrawn: received, then neither closed nor open.
	{id: "S5", received: "2026-09-14 10:00:00", category: "贷款", cause: "服务态度", ctype: "工作失误", status: "撤诉", cust: "c5", branch: "GZ001"},
	// S6: not accepted: in no figure. S7: an enquiry: not a complaint.
	{id: "S6", received: "2026-09-15 10:00:00", category: "贷款", ctype: "工作失误", status: "不予受理", cust: "c6"},
	{id: "S7", typ: "咨询", received: "2026-09-16 10:00:00", category: "贷款", cust: "c7"},
	// S8 (domain.md's worked example): internal 3 working days = Tue 09-22 (Sun 09-20 is a make-up day); 15
	// calendar days = 10-03, in National Day: 10-08. Replied 10-08: regulatory on time, internal late; 20 days, 9
	// working days (09-20 counted). Open at 09-30, not overdue then.
	{id: "S8", received: "2026-09-18 10:00:00", replied: "2026-10-08 10:00:00", category: "贷款", cause: "收费", ctype: "工作失误", cust: "c8", branch: "BJ001"},
	// S9: c2 again, after S2's reply: a new complaint, not a duplicate; c2 is a repeat complainant (S2, S9). 1 day.
	{id: "S9", received: "2026-09-21 10:00:00", replied: "2026-09-22 10:00:00", category: "信用卡", cause: "服务态度", ctype: "工作失误", cust: "c2", branch: "朝阳支行"},
	// S10: type missing: held to 3 working days (09-23, 09-24, 09-28: 09-28); regulatory 10-07 -> 10-08. Replied
	// 10-20: late on both, 28 days, 15 working days. No branch; province 浙江.
	{id: "S10", received: "2026-09-22 10:00:00", replied: "2026-10-20 10:00:00", category: "贷款", cause: "服务态度", channel: "信件", cust: "c10", province: "浙江"},
	// S11: regulator referral, major, complex, extension to 30 days approved: regulatory 10-24 (Sat) -> 10-26;
	// internal 10 working days = 10-15 (Sat 10-10 counts). Replied 10-23: regulatory on time, internal late; 29 days,
	// 16 working days. Satisfied; only the facts recorded.
	{id: "S11", received: "2026-09-24 10:00:00", replied: "2026-10-23 10:00:00", category: "支付结算", cause: "盗刷", channel: "监管转送", ctype: "违规操作",
		cust: "c11", branch: "BJ001", tier: "延长", approved: "是", major: "是", sat: "满意", el: "facts"},
	// S12: c11 again, same category, 4 days later, before S11's reply: a duplicate of S11 (merged, not counted).
	{id: "S12", received: "2026-09-28 10:00:00", category: "支付结算", cause: "盗刷", ctype: "违规操作", cust: "c11", branch: "BJ001"},
	// S13: paused 10 days: regulatory 15 + 10 = 25 days = 10-24 (Sat) -> 10-26; internal 09-30, 10-08, 10-09 = 10-09.
	// Replied 10-19: regulatory on time, internal late; 20 - 10 = 10 days; 10 working days.
	{id: "S13", received: "2026-09-29 10:00:00", replied: "2026-10-19 10:00:00", category: "借记卡", cause: "收费", ctype: "工作失误", cust: "c13", branch: "SH001", paused: "10"},
	// S14: reply date before receipt: invalid; counts as received, neither closed nor open.
	{id: "S14", received: "2026-09-30 10:00:00", replied: "2026-09-20 10:00:00", category: "信用卡", cause: "收费", ctype: "工作失误", status: "已办结", cust: "c14", branch: "GZ001"},
	// S15: a bank card not said to be debit or credit; internal 10-08, 10-09, 10-10 = 10-10; regulatory 10-15.
	// Replied 10-09: on time, 9 days, 2 working days; satisfied. No branch; province 广东.
	{id: "S15", received: "2026-09-30 10:00:00", replied: "2026-10-09 10:00:00", category: "银行卡", cause: "服务态度", ctype: "工作失误", cust: "c15", province: "广东", sat: "满意"},

	// ---- October 2026
	// O1: c1 again (S1 closed 09-03): a new complaint; c1 repeats (S1 O1 O18). 1 day, on time; satisfied, complete.
	{id: "O1", received: "2026-10-08 10:00:00", replied: "2026-10-09 10:00:00", category: "贷款", cause: "服务态度", ctype: "工作失误", cust: "c1", branch: "GZ001", sat: "满意", el: "all"},
	// O2: complex: internal 10-22, regulatory 10-24 -> 10-26; replied 10-20: on time, 11 days, 8 working days.
	{id: "O2", received: "2026-10-09 10:00:00", replied: "2026-10-20 10:00:00", category: "信用卡", cause: "收费", channel: "网上投诉", ctype: "服务产品", cust: "c20", branch: "朝阳支行", sat: "基本满意", el: "all"},
	// O3: received on Sat 10-10, a make-up working day: internal 10-12, 10-13, 10-14 = 10-14; regulatory 10-25 (Sun)
	// -> 10-26. Open at 10-31: overdue by 5 days (internal deadline passed too).
	{id: "O3", received: "2026-10-10 09:00:00", category: "信用卡", cause: "盗刷", ctype: "工作失误", cust: "c21", branch: "天河支行", handler: "李经办", name: "李*"},
	// O4: c21 again 2 days later, same category, O3 not replied: a duplicate. It came through the regulator, so the
	// group's primary O3 counts as a regulator referral.
	{id: "O4", received: "2026-10-12 10:00:00", category: "信用卡", cause: "盗刷", channel: "监管转送", ctype: "工作失误", cust: "c21", branch: "天河支行"},
	// O5: withdrawn, although the export carries a reply date: received only.
	{id: "O5", received: "2026-10-13 10:00:00", replied: "2026-10-15 10:00:00", category: "贷款", cause: "服务态度", ctype: "工作失误", status: "撤诉", cust: "c22", branch: "BJ001"},
	// O6: reply date 11-20, after the export was taken (11-05): invalid. O7: a reply date that is no date: invalid.
	{id: "O6", received: "2026-10-14 10:00:00", replied: "2026-11-20 10:00:00", category: "借记卡", cause: "服务态度", ctype: "工作失误", status: "已办结", cust: "c23", branch: "SH001"},
	{id: "O7", received: "2026-10-15 10:00:00", replied: "待定", category: "贷款", cause: "收费", ctype: "工作失误", status: "已办结", cust: "c24"},
	// O8-O10: an enquiry, a suggestion and a praise: not complaints. O11: not accepted.
	{id: "O8", typ: "咨询", received: "2026-10-16 10:00:00", category: "贷款", cust: "c25"},
	{id: "O9", typ: "建议", received: "2026-10-16 11:00:00", category: "信用卡", cust: "c25"},
	{id: "O10", typ: "表扬", received: "2026-10-16 12:00:00", category: "借记卡", cust: "c25"},
	{id: "O11", received: "2026-10-19 09:00:00", category: "信用卡", ctype: "工作失误", status: "不予受理", cust: "c26"},
	// O12: complex, at a branch no master knows (stays as exported), province 浙江; 2 days, on time; dissatisfied.
	{id: "O12", received: "2026-10-19 10:00:00", replied: "2026-10-21 10:00:00", category: "支付结算", cause: "收费", channel: "网上投诉", ctype: "服务渠道",
		cust: "c27", branch: "杭州西湖支行", province: "浙江", sat: "不满意", el: "all"},
	// O13: complex, second extension (60 days, approved): regulatory 12-19 (Sat) -> 12-21; internal 11-03. Open at
	// 10-31, not overdue on either clock.
	{id: "O13", received: "2026-10-20 10:00:00", category: "支付结算", cause: "收费", ctype: "违规操作", cust: "c28", branch: "BJ001", tier: "二次延长", approved: "是"},
	// O14: extension to 30 days without approval (a consistency check): regulatory 11-20; internal 10-26. Replied
	// 11-02: open at 10-31, past the internal deadline but not the regulatory one.
	{id: "O14", received: "2026-10-21 10:00:00", replied: "2026-11-02 10:00:00", category: "贷款", cause: "收费", ctype: "工作失误", cust: "c29", branch: "GZ001", tier: "30", approved: "否"},
	// O15: major regulator referral; 1 day, on time; satisfied, complete.
	{id: "O15", received: "2026-10-22 10:00:00", replied: "2026-10-23 10:00:00", category: "贷款", cause: "服务态度", channel: "监管转送", ctype: "工作失误",
		cust: "c30", branch: "BJ001", major: "是", sat: "满意", el: "all"},
	// O16: type missing: internal 10-28, replied 10-29: late; regulatory 11-07 (Sat) -> 11-09: on time. 6 days, 4
	// working days. No branch, no province.
	{id: "O16", received: "2026-10-23 10:00:00", replied: "2026-10-29 10:00:00", category: "借记卡", cause: "服务态度", cust: "c31"},
	// O17: complex, open: internal 11-09, regulatory 11-10; not overdue.
	{id: "O17", received: "2026-10-26 10:00:00", category: "借记卡", cause: "收费", ctype: "服务产品", cust: "c32", branch: "SH001"},
	// O18: c1's third complaint (after O1's reply); 3 days, on time (internal 10-30); no satisfaction, no reply
	// elements recorded.
	{id: "O18", received: "2026-10-27 10:00:00", replied: "2026-10-30 10:00:00", category: "贷款", cause: "服务态度", ctype: "工作失误", cust: "c1", branch: "GZ001"},
	// O19: a category and a cause the catalogue does not know (unmapped; the cause looks like a formula); 1 day, on
	// time; satisfied; only the facts recorded.
	{id: "O19", received: "2026-10-28 10:00:00", replied: "2026-10-29 10:00:00", category: "奇怪业务", cause: "=1+2", ctype: "工作失误", cust: "c33", branch: "SH001", sat: "满意", el: "facts"},
	// O20, O21: open, not yet due. O21 arrived at 23:30 on 10-30 and has a summary shaped like a formula.
	{id: "O20", received: "2026-10-29 10:00:00", category: "信用卡", cause: "收费", ctype: "工作失误", cust: "c34", branch: "GZ001"},
	{id: "O21", received: "2026-10-30 23:30:00", category: "贷款", cause: "收费", ctype: "工作失误", cust: "c35", summary: `=HYPERLINK("http://x","y")`},
	// O22: received on Sat 10-31, replied 11-03: October's, open at 10-31.
	{id: "O22", received: "2026-10-31 10:00:00", replied: "2026-11-03 10:00:00", category: "贷款", cause: "收费", ctype: "工作失误", cust: "c36", branch: "天河支行"},
}

const fixtureBranches = "code,name,aliases,parent,province_code,province_name\n" +
	"GZ001,广州天河支行,天河支行|天河,,440000,广东省\n" +
	"BJ001,北京朝阳支行,朝阳支行,,110000,北京市\n" +
	"SH001,上海浦东支行,,,310000,上海市\n"

// landFixture lands fixtureRows as one hotline batch ingested 2026-11-05 and normalises them, with the branch
// master or without one.
func landFixture(t testing.TB, withMaster bool) *sql.DB {
	t.Helper()
	cols := []string{"source_id", "record_type", "received_at", "intake_channel", "business_category", "cause",
		"complaint_type", "branch", "province", "customer_phone_key", "customer_name_masked", "status", "replied_at",
		"paused_days", "extension_tier", "extension_approved", "satisfaction", "reply_facts", "reply_accountability",
		"reply_remediation", "reply_satisfaction", "reply_time", "reply_handler_contact", "handler", "major", "summary"}
	values := make([][]any, len(fixtureRows))
	for i, r := range fixtureRows {
		var facts, others any
		switch r.el {
		case "all":
			facts, others = "是", "是"
		case "facts":
			facts = "是"
		}
		values[i] = []any{r.id, nul(r.typ), r.received, nul(r.channel), nul(r.category), nul(r.cause), nul(r.ctype),
			nul(r.branch), nul(r.province), nul(r.cust), nul(r.name), nul(r.status), nul(r.replied), nul(r.paused),
			nul(r.tier), nul(r.approved), nul(r.sat), facts, others, others, others, others, others, nul(r.handler),
			nul(r.major), nul(r.summary)}
	}
	opts := transform.Options{}
	if withMaster {
		opts.BranchesFile = filepath.Join(t.TempDir(), "branches.csv")
		if err := os.WriteFile(opts.BranchesFile, []byte(fixtureBranches), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return landBatch(t, "2026-11-05 09:00:00", cols, values, opts)
}

// wantCells checks cells: a float64 is a number, a string a text.
func wantCells(t *testing.T, f *excelize.File, sheet string, cells map[string]any) {
	t.Helper()
	for cell, v := range cells {
		switch v := v.(type) {
		case float64:
			wantNumber(t, f, sheet, cell, v)
		case int:
			wantNumber(t, f, sheet, cell, float64(v))
		case string:
			wantText(t, f, sheet, cell, v)
		}
	}
}

const dash = "—"

// TestFixtureSummary: every summary figure of October 2026, September 2026 and October 2025, with MoM and YoY.
func TestFixtureSummary(t *testing.T) {
	db := landFixture(t, true)
	f, _ := writeE2E(t, db, "zh", "2026-10", Options{})
	s := "总体情况"
	wantText(t, f, s, "C3", "上期 2026-09")
	wantText(t, f, s, "E3", "上年同期 2025-10")
	// October received: O1 O2 O3 O5 (withdrawn) O6 O7 (invalid replies) O12 O13 O14 O15 O16 O17 O18 O19 O20 O21
	// O22 = 17; not O4 (duplicate), O8-O10 (not complaints), O11 (not accepted).
	// September: S1 S2 S3 S4 S5 S8 S9 S10 S11 S13 S14 S15 = 12 (not S6 S7 S12). October 2025: Y1 Y2.
	// Closed in October (valid reply date in October): A1 A2 S8 S10 S11 S13 S15 O1 O2 O12 O15 O16 O18 O19 = 14
	// (not O5, withdrawn; O6 O7, invalid; O14 O22, replied in November). September: S1 S2 S3 S9 = 4.
	regOct, intOct := 11.0/14, 7.0/14 // late on the regulatory clock: A1 A2 S10; on the internal one: also S8 S11 S13 O16
	regSep, intSep := 3.0/4, 3.0/4    // S3 late on both
	// handling days, October: A2 88 + A1 53 + S8 20 + S10 28 + S11 29 + S13 10 + S15 9 + O1 1 + O2 11 + O12 2 +
	// O15 1 + O16 6 + O18 3 + O19 1 = 262; September: S1 2 + S2 7 + S3 17 + S9 1 = 27; October 2025: 2 + 4 = 6.
	avgOct, avgSep := 262.0/14, 27.0/4
	// satisfaction: October recorded S11 S15 O1 O2 O12 O15 O19, satisfied or basically all but O12; September S1
	// S2 S3, not S3. Reply elements: October recorded S11 O1 O2 O12 O15 O19, complete O1 O2 O12 O15; September S1.
	satOct, satSep := 6.0/7, 2.0/3
	compOct := 4.0 / 6
	for _, x := range []struct {
		row                       int
		label                     string
		cur, prev, mom, yago, yoy any
	}{
		{4, "受理投诉量", 17, 12, 5.0 / 12, 2, 7.5},
		{5, "其中：监管转送", 2, 1, 1.0, 0, dash},       // O3 (through its duplicate O4), O15; S11
		{6, "其中：重大投诉", 1, 1, 0.0, 0, dash},       // O15; S11
		{7, "办结量", 14, 4, 2.5, 2, 6.0},           // see above
		{8, "其中：0-15天办结", 9, 3, 2.0, 2, 3.5},     // S13 S15 O1 O2 O12 O15 O16 O18 O19; S1 S2 S9; Y1 Y2
		{9, "其中：16-30天办结", 3, 1, 2.0, 0, dash},   // S8 S10 S11; S3
		{10, "其中：31-60天办结", 1, 0, dash, 0, dash}, // A1
		{11, "其中：60天以上办结", 1, 0, dash, 0, dash},  // A2
		{12, "按时办结率（监管时限）", regOct, regSep, (regOct - regSep) * 100, 1.0, (regOct - 1) * 100},
		{13, "按时办结率（内部时限）", intOct, intSep, (intOct - intSep) * 100, 0.5, (intOct - 0.5) * 100}, // Y2 late
		// open at 10-01: A1 A2 S4 S8 S10 S11 S13 S15 (not S14, invalid; S5, withdrawn); at 09-01: A1 A2.
		{14, "期初未办结量", 8, 2, 3.0, 0, dash},
		// open at 10-31: S4 O3 O13 O14 O17 O20 O21 O22 (not O6 O7, invalid); at 09-30: A1 A2 S4 S8 S10 S11 S13 S15.
		{15, "期末未办结量", 8, 8, 0.0, 0, dash},
		// overdue at 10-31: S4 (09-28), O3 (10-26); at 09-30: A2 (08-04), A1 (09-04), S4 (09-28).
		{16, "期末超期未办结量", 2, 3, -1.0 / 3, 0, dash},
		{17, "平均处理天数", avgOct, avgSep, (avgOct - avgSep) / avgSep, 3.0, (avgOct - 3) / 3},
		{18, "满意率", satOct, satSep, (satOct - satSep) * 100, dash, dash},
		{19, "答复要素完整率", compOct, 1.0, (compOct - 1) * 100, "未记录", dash},
		// repeat complainants: c1 (S1 09-01, O1 10-08, O18 10-27) and c2 (S2, S9); c11 and c21 only have duplicates.
		// October: c1 with the repeats O1 O18 and the September S1 they repeat; September: c2 with S9 and S2 (S1
		// has no earlier complaint: no repeat).
		{20, "重复投诉客户数", 1, 1, 0.0, 0, dash},
		{21, "重复投诉客户的投诉量", 3, 2, 0.5, 0, dash},
		{22, "合并重复投诉件数", 1, 1, 0.0, 0, dash}, // O4; S12
	} {
		r := fmt.Sprint(x.row)
		wantText(t, f, s, "A"+r, x.label)
		wantCells(t, f, s, map[string]any{"B" + r: x.cur, "C" + r: x.prev, "D" + r: x.mom, "E" + r: x.yago, "F" + r: x.yoy})
	}
	// The trend's last two months.
	wantCells(t, f, s, map[string]any{"A37": "2026-09", "B37": 12, "C37": 4, "A38": "2026-10", "B38": 17, "C38": 14})
}

// TestFixtureR1: every R1 cell of October 2026.
func TestFixtureR1(t *testing.T) {
	db := landFixture(t, true)
	f, _ := writeE2E(t, db, "zh", "2026-10", Options{})
	s := "业务类别"
	// Rows: catalogue order; the unsplit bank card after credit card (S15 is closed in October), the unmapped
	// category (O19) after the catalogue, the total last.
	wantCells(t, f, s, map[string]any{"A7": "贷款", "A8": "借记卡", "A9": "信用卡", "A10": "银行卡(未区分)", "A11": "支付结算",
		"A19": "其他", "A20": "未映射", "A21": "合计"})
	rows := map[int]map[string]any{
		// loans: open at 10-01 A1 S8 S10; received O1 O5 O7 O14 O15 O18 O21 O22 (8; September S1 S5 S8 S10, 2025 Y1);
		// regulator and major O15; closed A1 (53 d) S8 (20) S10 (28) O1 (1) O15 (1) O18 (3) = 106 days; regulatory on
		// time S8 O1 O15 O18, internal O1 O15 O18; open at 10-31 O14 O21 O22, none overdue.
		7: {"B": 3, "C": 8, "D": 1, "E": 1, "F": 6, "G": 3, "H": 2, "I": 1, "J": 0, "K": 4.0 / 6, "L": 3.0 / 6, "M": 0, "N": 3,
			"O": 106.0 / 6, "P": 8.0 / 17, "Q": 1.0, "R": 7.0, "S": 4, "T": 3, "U": 106},
		// debit card: open at 10-01 S13; received O6 O16 O17 (September S3 S13; none in 2025); closed S13 (10 d) O16
		// (6 d), both on time on the regulatory clock, both late on the internal one; open at end O17.
		8: {"B": 1, "C": 3, "D": 0, "F": 2, "G": 2, "H": 0, "K": 1.0, "L": 0.0, "M": 0, "N": 1, "O": 8.0, "P": 3.0 / 17,
			"Q": 0.5, "R": dash},
		// credit card: open at 10-01 A2 S4; received O2 O3 O20 (September S2 S4 S9 S14, 2025 Y2); regulator O3; closed
		// A2 (88 d, late) O2 (11 d, on time); open at end S4 O3 O20, overdue S4 O3.
		9: {"B": 2, "C": 3, "D": 1, "E": 0, "F": 2, "G": 1, "J": 1, "K": 0.5, "L": 0.5, "M": 2, "N": 3, "O": 49.5,
			"P": 3.0 / 17, "Q": -0.25, "R": 2.0},
		// bank card (unsplit): S15 open at 10-01 and closed 10-09 (9 d, on time); nothing received (September S15).
		10: {"B": 1, "C": 0, "F": 1, "G": 1, "K": 1.0, "L": 1.0, "N": 0, "O": 9.0, "P": 0.0, "Q": -1.0, "R": dash},
		// payment and settlement: S11 open at 10-01, closed 10-23 (29 d; internal late); received O12 O13; closed O12
		// (2 d); open at end O13 (not overdue: 60-day extension).
		11: {"B": 1, "C": 2, "F": 2, "G": 1, "H": 1, "K": 1.0, "L": 0.5, "M": 0, "N": 1, "O": 15.5, "P": 2.0 / 17, "Q": 1.0, "R": dash},
		// a catalogue category with nothing: zeros and no rates.
		4: {"B": 0, "C": 0, "F": 0, "K": dash, "L": dash, "O": dash, "P": 0.0, "Q": dash, "R": dash},
		// unmapped: O19, received and closed in 1 day.
		20: {"C": 1, "F": 1, "G": 1, "K": 1.0, "L": 1.0, "O": 1.0, "P": 1.0 / 17, "Q": dash, "R": dash},
		21: {"B": 8, "C": 17, "D": 2, "E": 1, "F": 14, "G": 9, "H": 3, "I": 1, "J": 1, "K": 11.0 / 14, "L": 7.0 / 14, "M": 2,
			"N": 8, "O": 262.0 / 14, "P": 1.0, "Q": 5.0 / 12, "R": 7.5, "S": 11, "T": 7, "U": 262},
	}
	for r, cols := range rows {
		for col, v := range cols {
			wantCells(t, f, s, map[string]any{fmt.Sprintf("%s%d", col, r): v})
		}
	}
	for cell, fm := range map[string]string{"C21": "SUM(C4:C20)", "K21": "S21/F21", "O21": "U21/F21", "P9": "C9/C$21"} {
		if got := formula(t, f, s, cell); got != fm {
			t.Errorf("%s formula %q, want %q", cell, got, fm)
		}
	}
}

// TestFixtureTimeliness: the 时效 sheet of October 2026 by complaint type and by branch (names from the master).
func TestFixtureTimeliness(t *testing.T) {
	db := landFixture(t, true)
	f, _ := writeE2E(t, db, "zh", "2026-10", Options{})
	s := "时效"
	// Columns: B closed, C internal on time, D internal rate, E average working days, F regulatory on time, G its
	// rate, H open at end, I past the internal deadline at end, J past the regulatory one, K (hidden) working days.
	// Working days of October's closed: A2 63, A1 33, S8 9, S10 15, S11 16, S13 10, S15 2, O1 1, O2 8, O12 2, O15 1,
	// O16 4, O18 3, O19 1 = 168.
	want := map[int][]any{
		// general: closed A1 S8 S13 S15 O1 O15 O18 O19 (60 working days); internal on time S15 O1 O15 O18 O19;
		// regulatory all but A1; open at end S4 O3 O14 O20 O21 O22; past internal S4 O3 O14; past regulatory S4 O3.
		5: {"一般投诉", 8, 5, 5.0 / 8, 7.5, 7, 7.0 / 8, 6, 3, 2, 60},
		// complex: A2 S11 O2 O12 (63 + 16 + 8 + 2 = 89); internal on time O2 O12; regulatory S11 O2 O12; open O13 O17.
		6: {"复杂投诉", 4, 2, 0.5, 89.0 / 4, 3, 0.75, 2, 0, 0, 89},
		// type missing: S10 (15), O16 (4), both late internally; O16 on time on the regulatory clock.
		7: {"类型缺失（按一般投诉）", 2, 0, 0.0, 9.5, 1, 0.5, 0, 0, 0, 19},
		8: {"合计", 14, 7, 0.5, 12.0, 11, 11.0 / 14, 8, 3, 2, 168},
		// by branch, most active first, "not recorded" last:
		// GZ001: closed A1 (33) O1 (1) O18 (3); open S4 O3 O14 O20 O22 (S4 and O3 through the alias 天河支行).
		12: {"广州天河支行", 3, 2, 2.0 / 3, 37.0 / 3, 2, 2.0 / 3, 5, 3, 2, 37},
		// BJ001: closed A2 (63) S8 (9) S11 (16) O2 (8, alias 朝阳支行) O15 (1); open O13.
		13: {"北京朝阳支行", 5, 2, 0.4, 97.0 / 5, 4, 0.8, 1, 0, 0, 97},
		// SH001: closed S13 (10) O19 (1); open O17.
		14: {"上海浦东支行", 2, 1, 0.5, 5.5, 2, 1.0, 1, 0, 0, 11},
		15: {"杭州西湖支行", 1, 1, 1.0, 2.0, 1, 1.0, 0, 0, 0, 2}, // O12, as exported
		// none recorded: closed S10 (15) S15 (2) O16 (4); open O21.
		16: {"未记录", 3, 1, 1.0 / 3, 7.0, 2, 2.0 / 3, 1, 0, 0, 21},
		17: {"合计", 14, 7, 0.5, 12.0, 11, 11.0 / 14, 8, 3, 2, 168},
	}
	for r, vals := range want {
		for i, v := range vals {
			wantCells(t, f, s, map[string]any{fmt.Sprintf("%s%d", colName(i+1), r): v})
		}
	}
	wantText(t, f, s, "A10", "按机构")
	for cell, fm := range map[string]string{"B8": "SUM(B5:B7)", "D8": "C8/B8", "E8": "K8/B8", "G17": "F17/B17", "J17": "SUM(J12:J16)"} {
		if got := formula(t, f, s, cell); got != fm {
			t.Errorf("%s formula %q, want %q", cell, got, fm)
		}
	}
	if v, _ := f.GetColVisible(s, "K"); v {
		t.Error("helper column K is visible")
	}
	// R3 shows the branch master's names too: GZ001 received O1 O3 O14 O18 O20 O22 in October.
	wantCells(t, f, "地区机构", map[string]any{"E5": "广州天河支行", "F5": 6})
}

// TestFixtureOpenList: 未办结清单 lists every complaint open at 10-31 under the sheet's title block, the overdue ones
// first and marked, with both deadlines and the days past the regulatory one; the source by its label and its
// own id (no complaint key with a source prefix); no customer data or free text; a filtered, frozen,
// print-titled list.
func TestFixtureOpenList(t *testing.T) {
	db := landFixture(t, true)
	f, _ := writeE2E(t, db, "zh", "2026-10", Options{SourceLabels: map[string]string{"hotline": "客服热线"}})
	s := "未办结清单"
	rows, err := f.GetRows(s)
	if err != nil {
		t.Fatal(err)
	}
	wantIDs := []string{"S4", "O3", "O13", "O14", "O17", "O20", "O21", "O22"}
	if len(rows) != 3+len(wantIDs) {
		t.Fatalf("%d rows, want the title block, a header and %d complaints", len(rows), len(wantIDs))
	}
	if rows[0][0] != catalog.Text("rk_open_title", "zh") || !strings.Contains(rows[1][0], "示例银行") || !strings.Contains(rows[1][0], "2026-10-31") {
		t.Errorf("title block %q", rows[:2])
	}
	header := rows[2]
	col := func(key string) string {
		i := slices.Index(header, catalog.Text(key, "zh"))
		if i < 0 {
			t.Fatalf("no column %s in %q", key, header)
		}
		c, _ := excelize.ColumnNumberToName(i + 1)
		return c
	}
	for _, key := range []string{"list_summary", "list_customer_name", "list_customer_phone", "list_complaint_key"} {
		if slices.Contains(header, catalog.Text(key, "zh")) {
			t.Errorf("the filed open list has the column %s", catalog.Text(key, "zh"))
		}
	}
	for i, id := range wantIDs {
		wantText(t, f, s, fmt.Sprintf("%s%d", col("list_source_id"), i+4), id)
		wantText(t, f, s, fmt.Sprintf("%s%d", col("list_source"), i+4), "客服热线")
	}
	// S4: internal 09-15, regulatory 09-28, 33 days overdue at 10-31, at 广州天河支行 (alias 天河支行), handler 王经办.
	// O3: 5 days overdue. O13: complex, 60-day extension (12-21), not overdue.
	for cell, want := range map[string]string{col("list_complaint_class") + "4": "一般投诉", col("list_internal_deadline") + "4": "2026-09-15",
		col("list_regulatory_deadline") + "4": "2026-09-28", col("list_branch") + "4": "广州天河支行", col("list_handler") + "4": "王经办",
		col("list_complaint_class") + "6": "复杂投诉", col("list_internal_deadline") + "6": "2026-11-03", col("list_regulatory_deadline") + "6": "2026-12-21",
		col("list_branch") + "6": "北京朝阳支行", col("list_received") + "5": "2026-10-10 09:00",
		col("list_overdue") + "4": "已超期", col("list_overdue") + "5": "已超期", col("list_overdue") + "6": ""} {
		if got, _ := f.GetCellValue(s, cell); got != want {
			t.Errorf("%s!%s shows %q, want %q", s, cell, got, want)
		}
	}
	d := col("list_days_overdue")
	wantCells(t, f, s, map[string]any{d + "4": 33, d + "5": 5, d + "6": 0})
	if p, err := f.GetPanes(s); err != nil || !p.Freeze || p.YSplit != 3 {
		t.Errorf("header not frozen: %+v %v", p, err)
	}
	last, _ := excelize.ColumnNumberToName(len(header))
	if tb, err := f.GetTables(s); err != nil || len(tb) != 1 || tb[0].Range != "A3:"+last+"11" {
		t.Errorf("autofilter table %+v %v", tb, err)
	}
	titles := map[string]bool{}
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm.Print_Titles" {
			titles[dn.Scope+" "+dn.RefersTo] = true
		}
	}
	for _, want := range []string{"未办结清单 '未办结清单'!$3:$3", "业务类别 '业务类别'!$3:$3", "时效 '时效'!$4:$4"} {
		if !titles[want] {
			t.Errorf("no print titles %q in %v", want, titles)
		}
	}
	pl, _ := f.GetPageLayout(s)
	if *pl.Orientation != "landscape" || *pl.FitToWidth != 1 {
		t.Errorf("open list page layout %s %d", *pl.Orientation, *pl.FitToWidth)
	}
	// The column of causes is as wide as the longest cause label.
	w, _ := f.GetColWidth(s, col("list_cause"))
	for _, c := range catalog.Dimension("cause") {
		if need := float64(textwidth.Of(c.Label("zh"))); w < need {
			t.Errorf("cause column %.0f wide, the label %q needs %.0f", w, c.Label("zh"), need)
		}
	}
	// At 11-30 O17 (received 10-26, 20 days overdue) comes before O13 (received 10-20, not yet due).
	f, _ = writeE2E(t, db, "zh", "2026-11", Options{})
	rows, _ = f.GetRows(s)
	var ids []string
	for _, r := range rows[3:] {
		ids = append(ids, r[slices.Index(header, catalog.Text("list_source_id", "zh"))])
	}
	if want := []string{"S4", "O3", "O17", "O20", "O21", "O13"}; !slices.Equal(ids, want) {
		t.Errorf("open at 11-30 in the order %v, want the overdue first, most days first: %v", ids, want)
	}
}

// TestFixtureWithoutBranchMaster: without a master the exported branch texts are shown as they are.
func TestFixtureWithoutBranchMaster(t *testing.T) {
	db := landFixture(t, false)
	f, _ := writeE2E(t, db, "zh", "2026-10", Options{})
	// GZ001 as exported: closed A1 O1 O18, open O14 O20; 天河支行: open S4 O3 O22.
	found := map[string]bool{}
	rows, _ := f.GetRows("时效")
	for _, r := range rows[11:] {
		if len(r) > 0 {
			found[r[0]] = true
		}
	}
	for _, want := range []string{"GZ001", "天河支行", "朝阳支行", "BJ001", "杭州西湖支行", "未记录"} {
		if !found[want] {
			t.Errorf("timeliness lacks the branch %q: %v", want, found)
		}
	}
	rows, _ = f.GetRows("未办结清单")
	if i := slices.Index(rows[2], catalog.Text("list_branch", "zh")); i < 0 || rows[3][i] != "天河支行" {
		t.Errorf("the open list's first branch: %q", rows[2:4])
	}
}

// TestFixtureAnnualDisclosure: the annual kind of 2026 (the fixture's 2026 complaints against its two of 2025).
func TestFixtureAnnualDisclosure(t *testing.T) {
	db := landFixture(t, true)
	// The source is taken to cover all of 2025 (it delivered from January, nothing received before Y1), so that
	// 2025 is a base: with the data starting in 2025-10 the year before is no data (TestAnnualWithPriorYearInPart).
	if _, err := db.Exec(`INSERT INTO source_coverage VALUES ('hotline', DATE '2025-01-01', true, 0, NULL, false, 'ok')`); err != nil {
		t.Fatal(err)
	}
	f, out := writeE2E(t, db, "zh", "2026", Options{})
	z, err := zip.OpenReader(out)
	if err != nil {
		t.Fatal(err)
	}
	charts := 0
	for _, zf := range z.File {
		if strings.HasPrefix(zf.Name, "xl/charts/chart") {
			charts++
		}
	}
	z.Close()
	if charts != 2 {
		t.Errorf("%d charts, want the summary's trend and the disclosure's pie", charts)
	}
	want := []string{"封面", "年度投诉情况", "总体情况", "业务类别", "投诉原因", "地区机构", "受理渠道", "时效", "根因", "数据质量", "更正", "未办结清单"}
	if got := f.GetSheetList(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("sheets %v, want %v", got, want)
	}
	s := "年度投诉情况"
	// 2026 received: A1 A2 + September's 12 + October's 17 = 31; 2025: Y1 Y2. Merged duplicates S12 O4 (none in
	// 2025): 33 records before merging.
	wantCells(t, f, s, map[string]any{
		"A1": "示例银行2026年度消费投诉情况",
		"A7": "受理消费投诉（合并重复投诉后）", "B7": 31, "C7": 2, "D7": 14.5,
		"A8": "合并重复投诉件数", "B8": 2, "C8": 0, "D8": dash,
		"B9": 33, "C9": 2, "D9": 15.5,
		// by business category, largest first: loans A1 S1 S5 S8 S10 + October's 8 = 13 (2025: Y1); credit card A2 S2
		// S4 S9 S14 O2 O3 O20 = 8 (Y2); debit card S3 S13 O6 O16 O17 = 5; payment S11 O12 O13 = 3; then S15 and O19.
		"A13": "贷款", "B13": 13, "C13": 13.0 / 31, "D13": 1, "E13": 12.0,
		"A14": "信用卡", "B14": 8, "C14": 8.0 / 31, "D14": 1, "E14": 7.0,
		"A15": "借记卡", "B15": 5, "D15": 0, "E15": dash,
		"A16": "支付结算", "B16": 3,
		"A19": "合计", "B19": 31, "C19": 1.0, "D19": 2, "E19": 14.5,
		// by cause: pricing (收费) A2 S2 S4 S8 S13 S14 O2 O7 O12 O13 O14 O17 O20 O21 O22 = 15 (Y2); service (服务态度)
		// A1 S1 S3 S5 S9 S10 S15 O1 O5 O6 O15 O16 O18 = 13 (Y1); fund safety (盗刷) S11 O3; unmapped O19.
		"A23": "定价收费", "B23": 15, "D23": 1,
		"A24": "服务态度及服务质量", "B24": 13,
		"A25": "消费者资金安全", "B25": 2, "C25": 2.0 / 31,
		"A26": "未映射", "B26": 1,
		"B27": 31,
		// by region (the record's province, else its branch's): 广东 GZ001's A1 S1 S4 S5 S14 O1 O3 O14 O18 O20 O22
		// and S15 = 12 (Y1); 北京 BJ001's A2 S2 S8 S9 S11 O2 O5 O13 O15 = 9 (Y2); 上海 S3 S13 O6 O17 O19 = 5; 浙江
		// S10 O12 = 2: 28 with a province, the shares of those. Not recorded O7 O16 O21 = 3 of 31: not a ranked row,
		// a footnote below the total.
		"A31": "广东省", "B31": 12, "C31": 12.0 / 28, "D31": 1, "E31": 11.0,
		"A32": "北京市", "B32": 9,
		"A33": "上海市", "B33": 5,
		"A34": "浙江省", "B34": 2, "C34": 2.0 / 28,
		"A35": "合计", "B35": 28, "C35": 1.0, "D35": 2,
		"A36": "注：未记录省份的投诉3件，占2026年投诉的9.7%（上年0件，占0.0%），不列入上表排名；上表占比为各地区投诉量占已记录省份投诉合计之比。",
	})
	para := get(t, f, s, "A3")
	for _, part := range []string{"2026年，本行共受理消费投诉31件（合并重复投诉后，下同），同比上升1450.0%。",
		"投诉主要集中在贷款、信用卡、借记卡，分别占41.9%、25.8%、16.1%", "主要涉及定价收费、服务态度及服务质量、消费者资金安全",
		"投诉量居前的为广东省、北京市、上海市，分别占42.9%、32.1%、17.9%"} {
		if !contains(para, part) {
			t.Errorf("disclosure paragraph lacks %q:\n%s", part, para)
		}
	}
	for cell, fm := range map[string]string{"B9": "SUM(B7:B8)", "B19": "SUM(B13:B18)", "C13": "B13/B$19", "D35": "SUM(D31:D34)"} {
		if got := formula(t, f, s, cell); got != fm {
			t.Errorf("%s formula %q, want %q", cell, got, fm)
		}
	}
	pl, _ := f.GetPageLayout(s)
	if *pl.Orientation != "portrait" || *pl.FitToWidth != 1 || *pl.Size != 9 {
		t.Errorf("disclosure page layout %s %d %d", *pl.Orientation, *pl.FitToWidth, *pl.Size)
	}
	// In English every label is in the catalogue.
	e, _ := writeE2E(t, db, "en", "2026", Options{})
	wantText(t, e, "Annual disclosure", "A1", "示例银行 consumer complaints in 2026")
	for _, sheet := range e.GetSheetList() {
		rows, _ := e.GetRows(sheet)
		for i, row := range rows {
			for j, v := range row {
				if strings.HasPrefix(v, "?") {
					t.Errorf("%s row %d col %d: missing label %q", sheet, i+1, j+1, v)
				}
			}
		}
	}
	if !contains(get(t, e, "Annual disclosure", "A3"), "In 2026 the bank received 31 consumer complaints") {
		t.Errorf("English paragraph %q", get(t, e, "Annual disclosure", "A3"))
	}
	// The monthly kind of the same year has no disclosure.
	g, _ := writeE2E(t, db, "zh", "2026", Options{Kind: KindMonthly})
	if idx, _ := g.GetSheetIndex(s); idx >= 0 {
		t.Error("the monthly kind of a year has the disclosure sheet")
	}
	// The annual kind needs a year.
	err = WriteMonthly(context.Background(), db, Options{Period: "2026-10", Kind: KindAnnual, Out: filepath.Join(t.TempDir(), "x.xlsx")})
	if err == nil || !contains(err.Error(), "not a year") {
		t.Errorf("annual kind of a month: %v", err)
	}
}

// TestFixtureCSV: --format csv writes every sheet and the open list as UTF-8-with-BOM CSV, neutralised.
func TestFixtureCSV(t *testing.T) {
	db := landFixture(t, true)
	dir := filepath.Join(t.TempDir(), "report-2026-10")
	err := WriteMonthly(context.Background(), db, Options{Period: "2026-10", Lang: "zh", Institution: "示例银行", GeneratedAt: generatedAt,
		Out: dir, Format: FormatCSV})
	if err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	want := []string{"01-封面.csv", "02-总体情况.csv", "03-业务类别.csv", "04-投诉原因.csv", "05-地区机构.csv", "06-受理渠道.csv",
		"07-时效.csv", "08-根因.csv", "09-数据质量.csv", "10-更正.csv", "11-未办结清单.csv"}
	if fmt.Sprint(names) != fmt.Sprint(want) {
		t.Fatalf("files %v, want %v", names, want)
	}
	read := func(name string) [][]string {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(b, []byte("\xEF\xBB\xBF")) {
			t.Fatalf("%s has no byte-order mark", name)
		}
		recs, err := csv.NewReader(bytes.NewReader(b[3:])).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, r := range recs {
			for _, c := range r {
				if _, err := strconv.ParseFloat(strings.TrimSuffix(c, "%"), 64); err == nil {
					if i := strings.IndexByte(c, '.'); i >= 0 && len(strings.TrimSuffix(c[i+1:], "%")) > 3 {
						t.Errorf("%s: number %q has more decimals than a sheet shows", name, c)
					}
					continue // a number (a negative change), written by us
				}
				if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
					t.Errorf("%s: cell %q not neutralised", name, c)
				}
			}
		}
		return recs
	}
	// R1: the loans row (sheet row 7) and the total row (21) read as the sheet does; ratios as the percentage the
	// sheet shows, and no hidden helper column.
	r1 := read("03-业务类别.csv")
	if r1[6][0] != "贷款" || r1[6][2] != "8" || r1[20][0] != "合计" || r1[20][2] != "17" || r1[20][5] != "14" {
		t.Errorf("R1 CSV rows %q / %q", r1[6], r1[20])
	}
	if r1[6][15] != "47.1%" {
		t.Errorf("loans share %q, want 47.1%% (8/17 as the sheet shows it)", r1[6][15])
	}
	if len(r1[6]) != r1YoY {
		t.Errorf("R1 CSV has %d columns, want %d (the sheet's visible ones, not its hidden helpers)", len(r1[6]), r1YoY)
	}
	// a change of a rate keeps its unit, and its sign cannot start a formula
	points := 0
	for _, r := range read("02-总体情况.csv") {
		for _, c := range r {
			if strings.HasSuffix(c, "个百分点") {
				points++
				if _, err := strconv.ParseFloat(strings.TrimPrefix(strings.TrimSuffix(c, "个百分点"), "\u2212"), 64); err != nil {
					t.Errorf("summary CSV change of a rate %q", c)
				}
			}
		}
	}
	if points == 0 {
		t.Errorf("the summary CSV has no change of a rate in 个百分点: %q", read("02-总体情况.csv"))
	}
	tl := read("07-时效.csv")
	if tl[7][0] != "合计" || tl[7][1] != "14" || tl[7][4] != "12.0" {
		t.Errorf("timeliness total %q", tl[7])
	}
	open := read("11-未办结清单.csv")
	if len(open) != 9 || open[1][0] != "hotline" || open[1][1] != "S4" || open[1][9] != "33" || open[1][7] != "2026-09-28" || open[1][8] != "已超期" {
		t.Errorf("open list CSV %q", open)
	}
	quality := read("09-数据质量.csv")
	found := false
	for _, r := range quality {
		for _, c := range r {
			found = found || c == "'=1+2"
		}
	}
	if !found {
		t.Error("the unmapped cause =1+2 is not on the quality CSV, neutralised")
	}
	// Named files beside an --out ending in .xlsx.
	out := filepath.Join(t.TempDir(), "monthly.xlsx")
	if err := WriteMonthly(context.Background(), db, Options{Period: "2026-10", Out: out, Format: FormatCSV, GeneratedAt: generatedAt}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(out), "monthly-07-时效.csv")); err != nil {
		t.Error(err)
	}
}

// TestOpenListContinuesOnNextSheet: past list.MaxSheetRows rows the open list continues on "未办结清单 (2)".
func TestOpenListContinuesOnNextSheet(t *testing.T) {
	db := landFixture(t, true)
	old := list.MaxSheetRows
	list.MaxSheetRows = 5 // a sheet's rows less the header: its 2 title rows and 3 complaints
	t.Cleanup(func() { list.MaxSheetRows = old })
	f, _ := writeE2E(t, db, "zh", "2026-10", Options{})
	sheets := f.GetSheetList()
	tail := sheets[len(sheets)-3:]
	if fmt.Sprint(tail) != "[未办结清单 未办结清单 (2) 未办结清单 (3)]" {
		t.Fatalf("sheets end %v, want the list over three sheets (3 + 3 + 2 rows)", tail)
	}
	var ids []string
	for i, s := range tail {
		rows, _ := f.GetRows(s)
		if rows[0][0] != catalog.Text("rk_open_title", "zh") || rows[2][0] != catalog.Text("list_source", "zh") {
			t.Errorf("%s title block and header %q", s, rows[:3])
		}
		if n := len(rows) - 3; n != []int{3, 3, 2}[i] {
			t.Errorf("%s: %d rows", s, n)
		}
		for _, r := range rows[3:] {
			ids = append(ids, r[1])
		}
		if tb, err := f.GetTables(s); err != nil || len(tb) != 1 {
			t.Errorf("%s: no autofilter", s)
		}
	}
	if len(ids) != 8 || ids[0] != "S4" || ids[7] != "O22" {
		t.Errorf("ids over the sheets %v", ids)
	}
}

// TestTimelinessMatchesTheMart: the timeliness sheet reads complaints (no mart has the clocks by type and branch);
// its totals must equal the summary's mart figures for any period.
func TestTimelinessMatchesTheMart(t *testing.T) {
	db := landFixture(t, true)
	for _, period := range []string{"2026-08", "2026-09", "2026-10", "2026-Q3", "2026-Q4", "2026"} {
		f, _ := writeE2E(t, db, "zh", period, Options{Kind: KindMonthly})
		rows, _ := f.GetRows("时效")
		total := 0
		for i, r := range rows {
			if len(r) > 0 && r[0] == "合计" {
				total = i + 1
				break
			}
		}
		if total == 0 {
			t.Fatalf("%s: no total row on the timeliness sheet", period)
		}
		for summary, col := range map[string]string{"B7": "B", "B12": "G", "B13": "D", "B15": "H", "B16": "J"} {
			got, want := get(t, f, "时效", fmt.Sprintf("%s%d", col, total)), get(t, f, "总体情况", summary)
			if !sameNumber(got, want) && got != want {
				t.Errorf("%s: timeliness %s%d = %q, summary %s = %q", period, col, total, got, summary, want)
			}
		}
	}
}
