package dashboards

import (
	"testing"

	"complaints/transform/rootcause"
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
	ucl := series[2].(map[string]any)["data"].([]float64)
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
