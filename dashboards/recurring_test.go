package dashboards

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writeRecurring writes the bank-wide page of the full fixture plus the recurring one, with a branch master or
// without, and a remediation file when given.
func writeRecurring(t *testing.T, master bool, remediation string) string {
	t.Helper()
	return writeRecurringOpts(t, master, remediation, Options{})
}

func writeRecurringOpts(t *testing.T, master bool, remediation string, opts Options) string {
	t.Helper()
	return writeRecurringBank(t, master, remediation, opts, false)
}

// writeRecurringBank is writeRecurringOpts; with steady, the fixture's pairs sit in a bank with 200 steady loans
// complaints a month of another cause besides them (rootcause tests a pair's share of the bank's complaints, and
// a category x cause's share of its category; in the bare fixture the pairs are the whole bank).
func writeRecurringBank(t *testing.T, master bool, remediation string, opts Options, steady bool) string {
	t.Helper()
	db := seed(t)
	seedRecurring(t, db)
	if steady {
		for _, m := range months {
			exec(t, db, `INSERT INTO mart_dimension_month VALUES (CAST(? AS DATE), 'phone', 'branch_counter', 'loans', 'service_quality',
			'general', ?, '440000', 200, 0)`, m+"-01", branchGZ)
		}
	}
	if master {
		seedBranchMaster(t, db)
	}
	opts.From, opts.To = "2025-10", "2026-10"
	opts.Out = filepath.Join(t.TempDir(), "dashboard.html")
	opts.GeneratedAt = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	if remediation != "" {
		opts.RemediationFile = filepath.Join(t.TempDir(), "remediation.csv")
		if err := os.WriteFile(opts.RemediationFile, []byte(remediation), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := Write(context.Background(), db, opts); err != nil {
		t.Fatalf("Write: %v", err)
	}
	b, err := os.ReadFile(opts.Out)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The control chart of the recurring fixture draws the flagged series, not one series ranked first: in the bare
// fixture the analytics flag the bank total (a surge), and the business channel e_channel and the category
// credit_card, both new in 2026-10. The bank total by month is the fixture's GZ001 rows plus the others:
// 2025-10 5+1+8 = 14, 5 a month to 2026-04, 12 a month to 2026-08, 2026-09 12+5+5+2 = 24, 2026-10 30+6+4+8+3 = 51;
// the months tested (2026-10) are red, and the total takes the second value axis.
func TestDashboardControlChartOfTheFixture(t *testing.T) {
	page := writeRecurring(t, false, "")
	c := rawCharts(t, page)["control"]
	if c == nil {
		t.Fatal("no control chart")
	}
	if got := get(c, "title", "text"); got != "控制图 · 2026-10" {
		t.Errorf("title %v", got)
	}
	red := `{"itemStyle":{"color":"#c23531"},"symbolSize":10,"value":%d}`
	for i, want := range []struct{ name, data string }{
		{"全行投诉", `[14,5,5,5,5,5,5,12,12,12,12,24,` + fmt.Sprintf(red, 51) + `]`},
		{"电子渠道", `[0,0,0,0,0,0,0,0,0,0,0,0,` + fmt.Sprintf(red, 15) + `]`},
		{"信用卡", `[0,0,0,0,0,0,0,0,0,0,0,0,` + fmt.Sprintf(red, 12) + `]`},
	} {
		if got := get(c, "series", i, "name"); got != want.name {
			t.Errorf("series %d is %v, want %s", i, got, want.name)
		}
		if got := js(get(c, "series", i, "data")); got != want.data {
			t.Errorf("series %d data %s, want %s", i, got, want.data)
		}
	}
	if get(c, "series", 3) != nil || js(get(c, "series", 0, "yAxisIndex")) != "1" {
		t.Errorf("series %s", js(get(c, "series")))
	}
	if get(c, "yAxis", 0, "name") != "受理投诉量（件）" || get(c, "yAxis", 1, "name") != "全行投诉总量（件）" || get(c, "xAxis", "name") != "月份" {
		t.Errorf("axes %v %v", get(c, "xAxis", "name"), get(c, "yAxis"))
	}
}

// The recurring table shows each recurring, elevated pair with its remediation: the fixture has two, (GZ001,
// pricing_fees) and (loans, pricing_fees), each present in 6 of the last 6 months (12 x 5 then 30, and 12 x 5 then
// 30+6 = 36) against a prior mean of 5: rising, in a bank of 200 other loans complaints a month.
func TestDashboardRecurringRemediation(t *testing.T) {
	// The file names the branch by its name: with the master it answers GZ001's finding. Its due date
	// 2026-09-30 is before 2026-10-31 and it is not done: overdue. The category action is due later: not marked.
	const file = "branch,cause,business_category,action,owner,status,due\n" +
		"广州分行,定价收费,,复核收费公示,运营管理部,进行中,2026-09-30\n" +
		",pricing_fees,loans,贷款定价培训,零售信贷部,进行中,2026-12-31\n"
	page := writeRecurringBank(t, true, file, Options{}, true)
	for _, want := range []string{
		`<th>高于预期月数（近6月）</th><th>2026-05</th><th>2026-06</th><th>2026-07</th><th>2026-08</th><th>2026-09</th><th>2026-10</th><th>整改措施</th>`,
		`<tr class="overdue"><td>机构×原因</td><td>广州分行 × 定价收费</td><td>6</td><td>12</td><td>12</td><td>12</td><td>12</td><td>12</td><td>30</td><td>【整改超期】 复核收费公示 (运营管理部, 进行中, 2026-09-30)</td></tr>`,
		`<tr><td>业务类别×原因</td><td>贷款 × 定价收费</td><td>6</td><td>12</td><td>12</td><td>12</td><td>12</td><td>12</td><td>36</td><td>贷款定价培训 (零售信贷部, 进行中, 2026-12-31)</td></tr>`,
		"整改措施来自整改跟踪文件 remediation.csv",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	// With a branch master every branch shows by name, never by code.
	for _, code := range []string{"GZ001", "BJ001", "SH001"} {
		if strings.Contains(page, code) {
			t.Errorf("page shows the code %s", code)
		}
	}
	heat := rawCharts(t, page)["heatmap"]
	if got := js(get(heat, "yAxis", "data")); got != `["广州分行","北京分行","上海分行","</script><script>alert(1)</script>","__f__(function(){alert(1)})()__f__","（未填写机构）"]` {
		t.Errorf("heatmap branches %s", got)
	}

	// Without a master or a remediation file: the code as exported, and every finding marked as having no action.
	page = writeRecurringBank(t, false, "", Options{}, true)
	for _, want := range []string{
		`<tr class="no-action"><td>机构×原因</td><td>GZ001 × 定价收费</td><td>6</td><td>12</td><td>12</td><td>12</td><td>12</td><td>12</td><td>30</td><td>未登记整改措施</td>`,
		`<tr class="no-action"><td>业务类别×原因</td><td>贷款 × 定价收费</td><td>6</td><td>12</td><td>12</td><td>12</td><td>12</td><td>12</td><td>36</td><td>未登记整改措施</td>`,
		"配置未指定整改跟踪文件（remediation），各问题均标为未登记整改措施。",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page without a remediation file lacks %s", want)
		}
	}
}

// A branch-level label with no branch recorded reads as such, not as an empty string.
func TestNoBranchLabel(t *testing.T) {
	if got := (branchNames{}).label("", "en"); got != "(no branch recorded)" {
		t.Errorf("empty branch %q", got)
	}
}
