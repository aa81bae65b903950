package dashboards

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"complaints/readmodel"
	"complaints/rootcause"
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

// The control chart of the recurring fixture: the analytics rank the cause pricing_fees first among the series
// that are not sparse. Its counts are the fixture's GZ001 rows plus 2026-10's 6 (北京) and 8 (上海): 5 x 7,
// 12 x 5, then 30+6+8 = 44. Baseline 2025-10 .. 2026-09: (35+60)/12 = 7.917 -> centre 7.9, UCL 7.917 +
// 3 x sqrt(7.917) = 16.358 -> 16.4, LCL max(0, 7.917 - 8.441) = 0; 44 is beyond the UCL, the only point in red.
func TestDashboardControlChartOfTheFixture(t *testing.T) {
	page := writeRecurring(t, false, "")
	c := rawCharts(t, page)["control"]
	if c == nil {
		t.Fatal("no control chart")
	}
	if got := get(c, "title", "text"); got != "控制图 · 定价收费" {
		t.Errorf("title %v", got)
	}
	if got := js(get(c, "series", 0, "data")); got != `[5,5,5,5,5,5,5,12,12,12,12,12,{"itemStyle":{"color":"#c23531"},"symbolSize":10,"value":44}]` {
		t.Errorf("counts %s", got)
	}
	for i, want := range []string{"7.9", "16.4", "0"} {
		if got := js(get(c, "series", i+1, "data", 12)); got != want {
			t.Errorf("series %d (centre, UCL, LCL) = %s, want %s", i+1, got, want)
		}
	}
	if get(c, "yAxis", "name") != "受理投诉量（件）" || get(c, "xAxis", "name") != "月份" {
		t.Errorf("axes %v %v", get(c, "xAxis", "name"), get(c, "yAxis", "name"))
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
		`<tr class="overdue"><td>机构×原因</td><td>广州分行 × 定价收费</td><td>6</td><td>上升</td><td>【整改逾期】 复核收费公示 (运营管理部, 进行中, 2026-09-30)</td><td>2026-05:12 2026-06:12 2026-07:12 2026-08:12 2026-09:12 2026-10:30</td></tr>`,
		`<tr><td>业务类别×原因</td><td>贷款 × 定价收费</td><td>6</td><td>上升</td><td>贷款定价培训 (零售信贷部, 进行中, 2026-12-31)</td><td>2026-05:12 2026-06:12 2026-07:12 2026-08:12 2026-09:12 2026-10:36</td></tr>`,
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
		`<tr class="no-action"><td>机构×原因</td><td>GZ001 × 定价收费</td><td>6</td><td>上升</td><td>未登记整改措施</td>`,
		`<tr class="no-action"><td>业务类别×原因</td><td>贷款 × 定价收费</td><td>6</td><td>上升</td><td>未登记整改措施</td>`,
		"配置未指定整改跟踪文件（remediation），各问题均标为未登记整改措施。",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page without a remediation file lacks %s", want)
		}
	}
}

// --branch takes a code, a name or an alias of the master (folded like the catalogue); a text no unit claims is
// kept as the exports' own branch text; a name two units share is an error that asks for the code.
func TestBranchNamesResolve(t *testing.T) {
	b := branchNames{units: []readmodel.DashBranchUnit{
		{Code: "BJ001", Name: "北京分行", Aliases: []string{"京分行"}},
		{Code: "BJ002", Name: "北京西城支行", Aliases: []string{"西城"}},
		{Code: "TW001", Name: "同名支行"}, {Code: "TW002", Name: "同名支行"},
	}}
	for in, want := range map[string]string{"BJ001": "BJ001", "bj001": "BJ001", "北京分行": "BJ001", " 京分行 ": "BJ001",
		"西城": "BJ002", "无此支行": "无此支行", "TW002": "TW002"} {
		if got, err := b.resolve(in); err != nil || got != want {
			t.Errorf("resolve(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := b.resolve("同名支行"); err == nil || !strings.Contains(err.Error(), "TW001, TW002") {
		t.Errorf("ambiguous name: %v", err)
	}
	if got := (branchNames{}).label("", "en"); got != "(no branch recorded)" {
		t.Errorf("empty branch %q", got)
	}
}

func TestControlChartShowsBranchNames(t *testing.T) {
	f := &rootcause.Findings{
		Months: []string{"2026-09", "2026-10"},
		Charts: []rootcause.Chart{{Key: rootcause.Key{Kind: rootcause.KindBranch, Parts: []string{"GZ001"}}, Counts: []int{5, 20},
			Centre: 5, UCL: 11.708, Rule1Months: []bool{false, true}}},
	}
	names := branchNames{name: map[string]string{"GZ001": "广州分行"}}
	opt, _, ok := controlChart("zh", f, names)
	if !ok || get(opt, "title", "text") != "控制图 · 广州分行" || get(opt, "series", 0, "name") != "广州分行" {
		t.Errorf("control chart of a branch: %v / %v", get(opt, "title", "text"), get(opt, "series", 0, "name"))
	}
	if opt, _, _ := controlChart("zh", f, branchNames{}); get(opt, "title", "text") != "控制图 · GZ001" {
		t.Errorf("without a master the code shows: %v", get(opt, "title", "text"))
	}
}
