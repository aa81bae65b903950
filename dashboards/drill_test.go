package dashboards

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"complaints/catalog"
	"complaints/readmodel"
	"complaints/readmodel/readmodeltest"
	"complaints/rootcause"
)

func TestGrouped(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 12: "12", 999: "999", 1000: "1,000", 1234567: "1,234,567", -12345: "-12,345"} {
		if got := grouped(n); got != want {
			t.Errorf("grouped(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestNumbersAndVocabulary: counts in tiles and tables carry thousands separators, the page says 超期 (the
// workbook's word) and never 逾期, and the print stylesheet keeps each panel on one page.
func TestNumbersAndVocabulary(t *testing.T) {
	db := seed(t)
	exec(t, db, `UPDATE mart_category_month SET received = received + 12000 WHERE business_category = 'loans' AND month = DATE '2026-10-01'`)
	out := filepath.Join(t.TempDir(), "dashboard.html")
	if err := Write(context.Background(), db, Options{From: "2025-10", To: "2026-10", Out: out,
		GeneratedAt: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	_, _, _, markup := parts(t, string(b))
	// loans 2026-10 received 24 + credit_card 26 + payload 3 = 53, plus 12,000
	for _, want := range []string{`<div class="kpi-value">12,053</div>`, `<td>2026-10</td><td>12,053</td>`} {
		if !strings.Contains(markup, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if strings.Contains(string(b), "逾期") {
		i := strings.Index(string(b), "逾期")
		t.Errorf("page says 逾期: …%s…", string(b)[max(0, i-60):i+30])
	}
	if !strings.Contains(markup, "超期") {
		t.Error("page never says 超期")
	}
	css := stylesheet[strings.Index(stylesheet, "@media print"):]
	if strings.Contains(css, "break-before: page") || !strings.Contains(css, "break-inside: avoid") {
		t.Errorf("print stylesheet breaks a page before every panel, or lets one split:\n%s", css)
	}
}

// TestBranchView: branches of the last month ranked by count without customer figures, by complaints per 10,000
// customers where the config gives them (by name or code; the others after, by count), with MoM and YoY; the note
// says which ranking it is.
func TestBranchView(t *testing.T) {
	db := seed(t)
	d := &data{to: mustMonth(t, "2026-10")}
	var err error
	if d.branches, err = readmodel.LoadDashBranches(context.Background(), db, d.to); err != nil {
		t.Fatal(err)
	}
	noData := func(readmodel.Month) bool { return false }
	// 2026-10: 北京分行 6+4 = 10 (2026-09: 5, 2025-10: 8), 上海分行 8 (5, none), the payload branch 3 (none, none)
	_, tbl, note, _ := branchViewChart("zh", d.to, d.branches, rootcause.Customers{}, branchNames{}, noData)
	want := [][]string{
		{"1", branchBJ, "10", "—", "+100.0%", "+25.0%", "—", "0"},
		{"2", branchSH, "8", "—", "+60.0%", "—", "—", "0"},
		{"3", scriptPayload, "3", "—", "—", "—", "—", "0"},
	}
	if !reflect.DeepEqual(tbl.Rows, want) {
		t.Errorf("by count:\n got %q\nwant %q", tbl.Rows, want)
	}
	if note != catalog.Text("dash_branch_by_count", "zh") {
		t.Errorf("note %q, want the by-count note", note)
	}
	// 上海分行 8 per 20,000 = 4.00, 北京分行 10 per 100,000 = 1.00, the payload branch has no figure.
	cust := rootcause.Customers{ByBranch: map[string]int64{branchBJ: 100000, branchSH: 20000}}
	opt, tbl, note, _ := branchViewChart("zh", d.to, d.branches, cust, branchNames{}, noData)
	var got [][]string
	for _, r := range tbl.Rows {
		got = append(got, r[:4])
	}
	want = [][]string{{"1", branchSH, "8", "4.00"}, {"2", branchBJ, "10", "1.00"}, {"3", scriptPayload, "3", "—"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("by rate:\n got %q\nwant %q", got, want)
	}
	if note != catalog.Text("dash_branch_by_rate", "zh") {
		t.Errorf("note %q, want the by-rate note", note)
	}
	if data := get(opt, "series", 0, "data"); !reflect.DeepEqual(data, []any{4.0, 1.0}) {
		t.Errorf("chart draws %v, want the two rates", data)
	}
}

// TestBranchOnTimeIsTheTimelinessSheets: the branch view's on-time and overdue figures add up to the month's
// figures of the mart (one definition: the timeliness sheet's).
func TestBranchOnTimeIsTheTimelinessSheets(t *testing.T) {
	ctx := context.Background()
	w := readmodeltest.Landed(t, filepath.Join("..", "testdata", "public", "cfpb", "consumer_complaints_2016_349rows.csv"))
	m := mustMonth(t, "2016-09")
	rows, err := readmodel.LoadDashBranches(ctx, w.DB, m)
	if err != nil {
		t.Fatal(err)
	}
	months, err := readmodel.LoadDashMonthFigures(ctx, w.DB, m, m)
	if err != nil {
		t.Fatal(err)
	}
	var sum readmodel.DashBranchFigures
	for _, r := range rows {
		sum.Received += r.Received
		sum.RegulatoryOnTime += r.RegulatoryOnTime
		sum.RegulatoryKnown += r.RegulatoryKnown
		sum.OverdueAtEnd += r.OverdueAtEnd
	}
	f := months[m]
	if sum.Received != f.Received || sum.RegulatoryOnTime != f.RegulatoryOnTime || sum.RegulatoryKnown != f.RegulatoryKnown ||
		sum.OverdueAtEnd != f.OverdueAtEnd || f.Received == 0 {
		t.Errorf("branches add up to %+v, the month's figures are %+v", sum, f)
	}
}

func mustMonth(t *testing.T, s string) readmodel.Month {
	t.Helper()
	m, err := readmodel.ParseMonth(s)
	if err != nil {
		t.Fatal(err)
	}
	return m
}
