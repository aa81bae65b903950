package dashboards

import (
	"database/sql"
	"testing"
)

// The rest of the fixture, with the figures worked out by hand in the tests.

// seedTimeliness fills mart_category_month's timeliness columns. Every loans month first closes everything within
// 15 days and on time on both clocks; three months then get their own figures:
//
//	month    closed  0-15 16-30 31-60 >60  reg.on-time int.on-time  sat.rec satisfied  open.end overdue.end
//	2025-10  10      10   0     0     0    10          9            10      8          5        1
//	2026-09  25      15   6     3     1    24          20           20      19         10       2
//	2026-10  33      20   8     4     1    30          27           30      27         12       3
//
// and credit_card 2026-10 has open at end 4, overdue at end 1. So over 2025-10..2026-10 the bands hold
// 0-15: 223-10-25-33+10+15+20 = 200, 16-30: 14, 31-60: 7, over 60: 2 (closed loans 10+11+...+20+25+33 = 223).
func seedTimeliness(t *testing.T, db *sql.DB) {
	t.Helper()
	exec(t, db, `UPDATE mart_category_month SET closed_0_15 = closed, closed_regulatory_on_time = closed,
		closed_internal_on_time = closed WHERE business_category = 'loans'`)
	for _, r := range []struct {
		month                                          string
		b0, b1, b2, b3, reg, inn, rec, sat, open, over int
	}{
		{"2025-10", 10, 0, 0, 0, 10, 9, 10, 8, 5, 1},
		{"2026-09", 15, 6, 3, 1, 24, 20, 20, 19, 10, 2},
		{"2026-10", 20, 8, 4, 1, 30, 27, 30, 27, 12, 3},
	} {
		exec(t, db, `UPDATE mart_category_month SET closed_0_15 = ?, closed_16_30 = ?, closed_31_60 = ?, closed_over_60 = ?,
			closed_regulatory_on_time = ?, closed_internal_on_time = ?, satisfaction_recorded = ?, satisfied = ?,
			open_at_end = ?, overdue_at_end = ? WHERE business_category = 'loans' AND month = CAST(? AS DATE)`,
			r.b0, r.b1, r.b2, r.b3, r.reg, r.inn, r.rec, r.sat, r.open, r.over, r.month+"-01")
	}
	exec(t, db, `UPDATE mart_category_month SET open_at_end = 4, overdue_at_end = 1
		WHERE business_category = 'credit_card' AND month = DATE '2026-10-01'`)
}

// seedRepeats: mart_month rows of three months (the others have none and read as 0).
func seedRepeats(t *testing.T, db *sql.DB) {
	t.Helper()
	for _, r := range []struct {
		month                        string
		received, customers, repeats int
	}{
		{"2025-10", 11, 1, 2}, {"2026-09", 52, 3, 7}, {"2026-10", 53, 4, 9}, {"2025-09", 999, 50, 100},
	} {
		exec(t, db, `INSERT INTO mart_month (month, received, repeat_customers, repeat_complaints, duplicates_linked,
			non_complaints, not_accepted, withdrawn, reply_date_invalid, type_missing)
			VALUES (CAST(? AS DATE), ?, ?, ?, 0, 0, 0, 0, 0, 0)`, r.month+"-01", r.received, r.customers, r.repeats)
	}
}

// Branch names of the fixture.
const (
	branchBJ = "北京分行"
	branchSH = "上海分行"
)

// dimRows is mart_dimension_month: the payloads appear as a business category, a cause and a branch.
var dimRows = []struct {
	month, intake, bchannel, category, cause, class, branch, province string
	received                                                          int64
}{
	{"2026-09", "phone", "branch_counter", "loans", "service_quality", "general", branchBJ, "110000", 5},
	{"2026-10", "phone", "branch_counter", "loans", "pricing_fees", "general", branchBJ, "110000", 6},
	{"2026-10", "online", "e_channel", "credit_card", "service_quality", "general", branchBJ, "110000", 4},
	{"2026-10", "online", "e_channel", "credit_card", "pricing_fees", "complex", branchSH, "310000", 8},
	{"2026-09", "phone", "branch_counter", "loans", "service_quality", "general", branchSH, "310000", 5},
	{"2026-10", "email", "e_channel", scriptPayload, functionPayload, "general", scriptPayload, "440000", 3},
	{"2026-09", "letter", "other", functionPayload, scriptPayload, "general", functionPayload, "", 2},
	{"2025-09", "phone", "branch_counter", "loans", "service_quality", "general", branchBJ, "110000", 100}, // outside
	{"2025-10", "phone", "branch_counter", "loans", "marketing", "general", "", "", 1},
	{"2025-10", "phone", "branch_counter", "loans", "service_quality", "general", branchBJ, "110000", 8},
}

func seedDimensions(t *testing.T, db *sql.DB) {
	t.Helper()
	for _, r := range dimRows {
		exec(t, db, `INSERT INTO mart_dimension_month VALUES (CAST(? AS DATE), ?, ?, ?, ?, ?, ?, ?, ?, 0)`,
			r.month+"-01", r.intake, r.bchannel, r.category, r.cause, r.class, r.branch, r.province, r.received)
	}
}

func exec(t *testing.T, db *sql.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// The recurring fixture (seedRecurring): branch GZ001 (广州分行 in the branch master when one is seeded) has
// loans x pricing_fees complaints by phone at the counter in 440000 of
//
//	2025-10 .. 2026-04: 5 a month; 2026-05 .. 2026-09: 12 a month; 2026-10: 30
//
// so that the root-cause analytics for 2026-10 chart non-sparse series (baseline 2025-10 .. 2026-09: 95 in 12
// months, mean 7.9; UCL 7.9 + 3 x 2.8 = 16.4, and 30 is beyond it) and find the pair (GZ001, pricing_fees)
// recurring in 6 of the last 6 months against a prior mean of 5 (90 where 30 were expected): elevated.
const (
	branchGZ     = "GZ001"
	branchGZName = "广州分行"
)

func seedRecurring(t *testing.T, db *sql.DB) {
	t.Helper()
	for i, m := range months {
		n := 5
		switch {
		case m == "2026-10":
			n = 30
		case i >= 7:
			n = 12
		}
		exec(t, db, `INSERT INTO mart_dimension_month VALUES (CAST(? AS DATE), 'phone', 'branch_counter', 'loans', 'pricing_fees',
			'general', ?, '440000', ?, 0)`, m+"-01", branchGZ, n)
	}
}

// seedBranchMaster turns the fixture's branches into a branch master's codes, as normalise leaves them when the
// config names a branches file: 北京分行 -> BJ001, 上海分行 -> SH001, and GZ001 is 广州分行 (alias 穗分行).
func seedBranchMaster(t *testing.T, db *sql.DB) {
	t.Helper()
	exec(t, db, `UPDATE mart_dimension_month SET branch = 'BJ001' WHERE branch = ?`, branchBJ)
	exec(t, db, `UPDATE mart_dimension_month SET branch = 'SH001' WHERE branch = ?`, branchSH)
	exec(t, db, `INSERT INTO branch_master (code, name, aliases, parent, province_code, province_name) VALUES
		('BJ001', ?, '北京|京分行', '', '110000', '北京市'),
		('SH001', ?, '', '', '310000', '上海市'),
		('GZ001', ?, '穗分行', '', '440000', '广东省')`, branchBJ, branchSH, branchGZName)
}
