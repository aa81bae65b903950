package rootcause

import (
	"context"
	"testing"

	"complaints/readmodel/readmodeltest"
)

// TestBranchZeroMonthsAreZeroReports: a branch copy's warehouse (rootcause --branch) holds the branch's complaints
// and the bank-wide coverage. The bank's data begins 2025-03 and every month from it is covered; the branch has
// 10 complaints of one cause a month except in 2025-06 and 2025-09, where it reported none. The period 2026-01's
// baseline (2025-01 .. 2025-12) then holds the 10 months from 2025-03, the two zeros among them: the branch's
// chart centre is (8·10 + 0 + 0) / 10 = 8; 2025-01 and 2025-02, before any data, stay out (not zeros).
func TestBranchZeroMonthsAreZeroReports(t *testing.T) {
	ctx := context.Background()
	db := readmodeltest.Open(t)
	months := []string{"2025-03", "2025-04", "2025-05", "2025-06", "2025-07", "2025-08", "2025-09", "2025-10", "2025-11", "2025-12", "2026-01"}
	for _, m := range months {
		if _, err := db.Exec(`INSERT INTO source_coverage (source_system, month, covered, received, median_6, active, status)
			VALUES ('hotline', CAST(? AS DATE), true, 500, 500, true, 'ok')`, m+"-01"); err != nil {
			t.Fatal(err)
		}
		if m == "2025-06" || m == "2025-09" {
			continue // the branch's zero reports
		}
		if _, err := db.Exec(`INSERT INTO mart_dimension_month (month, intake_channel, business_channel, business_category, cause,
			complaint_class, branch, province, received, closed) VALUES (CAST(? AS DATE), 'phone', 'branch_counter', 'credit_card',
			'service_quality', 'general', 'GZ001', '440000', 10, 10)`, m+"-01"); err != nil {
			t.Fatal(err)
		}
	}
	f, err := Analyze(ctx, db, Options{Period: "2026-01"})
	if err != nil {
		t.Fatal(err)
	}
	if f.HistoryMonths != 10 {
		t.Errorf("%d complete baseline months, want 10 (2025-03 .. 2025-12, the zero months included)", f.HistoryMonths)
	}
	for i, m := range f.Months {
		if want := m >= "2025-03"; f.complete[i] != want {
			t.Errorf("%s complete %v, want %v", m, f.complete[i], want)
		}
	}
	var branch *Chart
	for i := range f.Charts {
		if f.Charts[i].Key.Kind == KindBranch {
			branch = &f.Charts[i]
		}
	}
	if branch == nil || !near(branch.Centre, 8, 1e-12) {
		t.Fatalf("branch chart %+v, want centre 8 (the zero reports in the baseline)", branch)
	}
	if !branch.tested {
		t.Errorf("the branch is not tested: it has 10 complete baseline months")
	}
}
