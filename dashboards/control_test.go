package dashboards

import (
	"testing"

	"complaints/rootcause"
)

// TestControlChartDrawsTheFindings: the c-chart shows the counts of the first non-sparse series, its centre line
// and limits as flat series, and the point beyond the limits in red (hand-made findings: baseline 4,6,5,5 ->
// centre 5, UCL 5+3*sqrt(5) = 11.708; the period's 12 is beyond it).
func TestControlChartDrawsTheFindings(t *testing.T) {
	f := &rootcause.Findings{
		Months: []string{"2026-06", "2026-07", "2026-08", "2026-09", "2026-10"},
		Charts: []rootcause.Chart{
			{Key: rootcause.Key{Kind: rootcause.KindCause, Parts: []string{"fund_safety"}}, Sparse: true, Counts: []int{1, 0, 1, 0, 3}},
			{Key: rootcause.Key{Kind: rootcause.KindCause, Parts: []string{"pricing_fees"}}, Counts: []int{4, 6, 5, 5, 12},
				Centre: 5, UCL: 11.708, LCL: 0, Rule1: true, Flagged: true, Rule1Months: []bool{false, false, false, false, true}},
		},
	}
	opt, tbl, ok := controlChart("zh", f, branchNames{})
	if !ok {
		t.Fatal("no chart")
	}
	series := opt["series"].([]any)
	if len(series) != 4 {
		t.Fatalf("%d series", len(series))
	}
	counts := series[0].(map[string]any)["data"].([]any)
	if counts[0] != 4 || counts[3] != 5 {
		t.Fatalf("counts %v", counts)
	}
	last, ok := counts[4].(map[string]any)
	if !ok || last["value"] != 12 {
		t.Fatalf("the point beyond the limit is not marked: %v", counts[4])
	}
	ucl := series[2].(map[string]any)["data"].([]any)
	if ucl[0] != 11.7 || ucl[4] != 11.7 {
		t.Fatalf("upper limit %v, want 11.7 throughout", ucl)
	}
	if len(tbl.Rows) != 5 || tbl.Rows[4][4] == "" || tbl.Rows[0][4] != "" {
		t.Fatalf("table %v", tbl.Rows)
	}
	if _, _, ok := controlChart("zh", &rootcause.Findings{Charts: f.Charts[:1]}, branchNames{}); ok {
		t.Fatal("a sparse series alone must not be charted")
	}
}

// TestControlChartDrawsAUChart: a u-chart draws complaints per 10,000 customers against limits that move with
// each month's customers. Hand-made: baseline counts 4,6,5,5 over 2, 3, 2.5, 2.5 (x10,000) customers are rates
// 2,2,2,2, so u-bar = 20/10 = 2; the period's 12 over 3 is 4.000 with UCL 2+3*sqrt(2/3) = 4.449 (not beyond);
// a month with 2 (x10,000) customers has UCL 2+3*sqrt(2/2) = 5.
func TestControlChartDrawsAUChart(t *testing.T) {
	f := &rootcause.Findings{
		Months: []string{"2026-06", "2026-07", "2026-08", "2026-09", "2026-10"},
		Charts: []rootcause.Chart{{Key: rootcause.Key{Kind: rootcause.KindCause, Parts: []string{"pricing_fees"}},
			Type: rootcause.ChartU, Counts: []int{4, 6, 5, 5, 12}, Customers: []float64{2, 3, 2.5, 2.5, 3},
			Rates: []float64{2, 2, 2, 2, 4}, Centre: 2, UCL: 4.449, UCLs: []float64{5, 4.449, 4.683, 4.683, 4.449},
			LCLs: []float64{0, 0, 0, 0, 0}}},
	}
	opt, tbl, ok := controlChart("en", f, branchNames{})
	if !ok {
		t.Fatal("no chart")
	}
	series := opt["series"].([]any)
	rates := series[0].(map[string]any)["data"].([]any)
	if rates[0] != 2.0 || rates[4] != 4.0 {
		t.Fatalf("rates %v, want 2 ... 4", rates)
	}
	ucl := series[2].(map[string]any)["data"].([]any)
	if ucl[0] != 5.0 || ucl[4] != 4.449 {
		t.Fatalf("upper limits %v, want 5 in June and 4.449 in October", ucl)
	}
	if axis := opt["yAxis"].(map[string]any)["name"]; axis != "Per 10k customers" {
		t.Fatalf("value axis %q", axis)
	}
	if tbl.Rows[4][1] != "4.000" || tbl.Rows[4][3] != "4.449" || tbl.Rows[4][4] != "" {
		t.Fatalf("table row %v", tbl.Rows[4])
	}
}
