package dashboards

import (
	"strconv"
	"strings"
	"testing"

	"complaints/rootcause"
)

// handFindings: two findings of 2026-10 over the months 2026-06..2026-10, the first month before any data; the
// bank total is flagged too, so it takes its own axis.
func handFindings() *rootcause.Findings {
	months := []string{"2026-06", "2026-07", "2026-08", "2026-09", "2026-10"}
	return &rootcause.Findings{Period: "2026-10", Months: months,
		BankTotal: &rootcause.BankTotal{Counts: []int{0, 100, 110, 105, 180}, Flagged: true},
		Ranked: []rootcause.Finding{
			{Type: rootcause.FindingSurge, Key: rootcause.Key{Kind: rootcause.KindTotal, Parts: []string{"all"}}, Months: months[4:],
				Observed: 180, Expected: 105, Excess: 75, Counts: []int{0, 100, 110, 105, 180}},
			{Type: rootcause.FindingEmerging, Key: rootcause.Key{Kind: rootcause.KindChannel, Parts: []string{"mobile_app"}}, Months: months[4:],
				Observed: 70, Expected: 10, Excess: 60, Counts: []int{0, 9, 11, 10, 70}},
			{Type: rootcause.FindingRecurring, Key: rootcause.Key{Kind: rootcause.KindBranchCause, Parts: []string{"GZ001", "pricing_fees"}},
				Months: months[1:], Observed: 40, Expected: 20, Excess: 20, Counts: []int{0, 10, 10, 10, 10}},
		}}
}

func noDataBefore(first string) func(string) bool { return func(m string) bool { return m < first } }

// TestControlChartDrawsTheFlaggedSeries: one line per flagged series in rank order (the bank total on a second
// axis), the months tested in red, the month before any data a gap (null), never 0.
func TestControlChartDrawsTheFlaggedSeries(t *testing.T) {
	f := handFindings()
	opt, tbl, ok := controlChart("zh", f, branchNames{name: map[string]string{"GZ001": "广州分行"}}, noDataBefore("2026-07"))
	if !ok {
		t.Fatal("no chart")
	}
	if got := js(get(opt, "series")); strings.Count(got, `"type":"line"`) != 3 {
		t.Fatalf("series %s", got)
	}
	for i, want := range []string{
		`[null,100,110,105,{"itemStyle":{"color":"#c23531"},"symbolSize":10,"value":180}]`,
		`[null,9,11,10,{"itemStyle":{"color":"#c23531"},"symbolSize":10,"value":70}]`,
		`[null,{"itemStyle":{"color":"#c23531"},"symbolSize":10,"value":10},{"itemStyle":{"color":"#c23531"},"symbolSize":10,"value":10},{"itemStyle":{"color":"#c23531"},"symbolSize":10,"value":10},{"itemStyle":{"color":"#c23531"},"symbolSize":10,"value":10}]`,
	} {
		if got := js(get(opt, "series", i, "data")); got != want {
			t.Errorf("series %d data %s, want %s", i, got, want)
		}
	}
	if js(get(opt, "series", 0, "yAxisIndex")) != "1" || get(opt, "series", 2, "name") != "广州分行 × 定价收费" {
		t.Errorf("total axis %v, third series %v", get(opt, "series", 0, "yAxisIndex"), get(opt, "series", 2, "name"))
	}
	if get(opt, "title", "subtext") != "每条线是一条发现所对应的序列；红点为检验的月份；无数据的月份留空" {
		t.Errorf("subtext %v", get(opt, "title", "subtext"))
	}
	if len(tbl.Rows) != 5 || tbl.Rows[0][1] != "—" || tbl.Rows[4][2] != "70" {
		t.Errorf("table %v", tbl.Rows)
	}
}

// TestControlChartSaysNoneFlagged: with no finding the chart says so and draws the bank total in grey, with no
// point in red.
func TestControlChartSaysNoneFlagged(t *testing.T) {
	f := handFindings()
	f.Ranked, f.BankTotal.Flagged = nil, false
	opt, _, ok := controlChart("en", f, branchNames{}, noDataBefore("2026-07"))
	if !ok {
		t.Fatal("no chart")
	}
	if got := get(opt, "title", "subtext"); got != "No series was flagged this period; the grey line is the bank total (for reference)" {
		t.Errorf("subtext %v", got)
	}
	data := js(get(opt, "series", 0, "data"))
	if data != `[null,100,110,105,180]` || strings.Contains(js(get(opt, "series")), "#c23531") {
		t.Errorf("the bank total is styled or wrong: %s", js(get(opt, "series")))
	}
}

// TestFindingsTableIsTheRanking: the findings table lists Findings.Ranked in order with its counts and sentence.
func TestFindingsTableIsTheRanking(t *testing.T) {
	f := handFindings()
	f.Ranked[1].Sentence = map[string]string{"zh": "手机银行异常", "en": "mobile app"}
	tbl := findingsTable("zh", f, branchNames{})
	if len(tbl.Rows) != len(f.Ranked) {
		t.Fatalf("%d rows", len(tbl.Rows))
	}
	for i, fd := range f.Ranked {
		if row := tbl.Rows[i]; row[0] != []string{"1", "2", "3"}[i] || row[4] != strconv.Itoa(fd.Observed) ||
			row[6] != strconv.FormatFloat(fd.Excess, 'f', 1, 64) {
			t.Errorf("row %d %v", i, row)
		}
	}
	if tbl.Rows[1][1] != "新发问题" || tbl.Rows[1][7] != "手机银行异常" || tbl.Rows[0][6] != "75.0" {
		t.Errorf("row %v", tbl.Rows[1])
	}
}
