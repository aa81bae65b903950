package dashboards

import (
	"context"
	"database/sql"
	"encoding/json"
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

// drillPage writes the page of the CFPB extract (2016-09) and returns its drill-down data and chart options.
func drillPage(t *testing.T, withSummaries bool) (*sql.DB, drillDoc, map[string]map[string]any, string) {
	t.Helper()
	w := readmodeltest.Landed(t, filepath.Join("..", "testdata", "public", "cfpb", "consumer_complaints_2016_349rows.csv"))
	// a scrubbed summary on every complaint, to look for
	exec(t, w.DB, `UPDATE complaints SET summary = 'SUMMARY-PROBE of ' || complaint_key`)
	out := filepath.Join(t.TempDir(), "dashboard.html")
	if err := Write(context.Background(), w.DB, Options{From: "2016-09", To: "2016-09", Out: out, WithSummaries: withSummaries,
		GeneratedAt: time.Date(2016, 10, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	_, data, _, _ := parts(t, string(b))
	var doc struct {
		Charts map[string]map[string]any `json:"charts"`
		Drill  drillDoc                  `json:"drill"`
	}
	if err := json.Unmarshal([]byte(data), &doc); err != nil {
		t.Fatal(err)
	}
	return w.DB, doc.Drill, doc.Charts, data
}

// TestDrillCells: every bar of the categories chart opens a cell whose total is the bar, whose breakdown adds up
// to it, with at most 50 rows of seven columns (no free text) and a `complaints list` command whose filters
// return exactly the total.
func TestDrillCells(t *testing.T) {
	db, doc, charts, _ := drillPage(t, false)
	names, _ := get(charts["categories"], "yAxis", "data").([]any)
	bars, _ := get(charts["categories"], "series", 0, "data").([]any)
	if len(names) < 2 || len(names) != len(bars) {
		t.Fatalf("categories chart: %v / %v", names, bars)
	}
	for i, n := range names {
		key := doc.Names["categories"][n.(string)]
		c := doc.Cells[key]
		if c == nil {
			t.Fatalf("bar %v opens no cell (key %q)", n, key)
		}
		if want := int64(get(bars[i], "value").(float64)); c.Total != want {
			t.Errorf("%s: total %d, the bar is %d", key, c.Total, want)
		}
		var sum int64
		for _, b := range c.Break {
			sum += int64(b[1].(float64))
		}
		if sum != c.Total {
			t.Errorf("%s: breakdown adds up to %d, total %d", key, sum, c.Total)
		}
		if len(c.Rows) != int(min(c.Total, drillMaxRows)) {
			t.Errorf("%s: %d rows of %d", key, len(c.Rows), c.Total)
		}
		for _, r := range c.Rows {
			if len(doc.Rows[r]) != 7 {
				t.Errorf("%s: row %v has %d columns, want 7", key, doc.Rows[r], len(doc.Rows[r]))
			}
		}
		// The command's filters return the total.
		f := strings.Fields(c.Command)
		if len(f) != 8 || strings.Join(f[:6], " ") != "complaints list --period 2016-09 --figure received" || f[6] != "--category" {
			t.Fatalf("%s: command %q", key, c.Command)
		}
		rows, err := readmodel.ListRows(context.Background(), db, readmodel.ListOptions{Period: f[3], Figure: f[5], Category: strings.Trim(f[7], "'")})
		if err != nil {
			t.Fatal(err)
		}
		if int64(len(rows)) != c.Total {
			t.Errorf("%s: %q lists %d, total %d", key, c.Command, len(rows), c.Total)
		}
	}
	// Sankey nodes carry their cell.
	nodes, _ := get(charts["sankey"], "series", 0, "data").([]any)
	for _, n := range nodes {
		if key, _ := get(n, "drill").(string); doc.Cells[key] == nil {
			t.Errorf("sankey node %v opens no cell", get(n, "name"))
		}
	}
}

// TestDrillSummariesOnlyWhenAsked: without --with-summaries the page holds no complaint's summary; with it, each
// row has an eighth column.
func TestDrillSummariesOnlyWhenAsked(t *testing.T) {
	_, doc, _, data := drillPage(t, false)
	if strings.Contains(data, "SUMMARY-PROBE") || len(doc.Head) != 7 {
		t.Errorf("a page without summaries holds one (or %d columns)", len(doc.Head))
	}
	_, doc, _, _ = drillPage(t, true)
	if s, _ := doc.Rows[0][7].(string); len(doc.Head) != 8 || !strings.HasPrefix(s, "SUMMARY-PROBE") {
		t.Errorf("with summaries: %d columns, row %v", len(doc.Head), doc.Rows[0])
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{"credit_card": "credit_card", "信用卡": "'信用卡'", "a'b": `'a'\''b'`, "</script>": "'</script>'"} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}

// TestDrillBranchesBounded: only the branches with the most complaints in the month open a drill-down, so the
// page's size does not grow with the number of branches.
func TestDrillBranchesBounded(t *testing.T) {
	defer func(n int) { drillBranches = n }(drillBranches)
	drillBranches = 2
	_, doc, _, _ := drillPage(t, false)
	var got []int64
	for key, c := range doc.Cells {
		if strings.HasPrefix(key, "branch:") {
			got = append(got, c.Total)
		}
	}
	// the extract's companies with the most complaints in 2016-09: Equifax 94, TransUnion 35
	if len(got) != 2 || got[0]+got[1] != 94+35 {
		t.Errorf("branch cells with totals %v, want the two largest (94 and 35)", got)
	}
}

// TestListCommand: a cell's command names its period and filter, a branch page's branch and its as-of; a
// branch's cell lists by that branch.
func TestListCommand(t *testing.T) {
	m := mustMonth(t, "2026-10")
	page := readmodel.Scope{Branch: "BJ000", AsOf: "2026-11-05"}
	for _, c := range []struct {
		scope           readmodel.Scope
		dim, flag, code string
		want            string
	}{
		{readmodel.Scope{}, "business_category", "--category", "credit_card", "complaints list --period 2026-10 --figure received --category credit_card"},
		{page, "cause", "--cause", "pricing_fees", "complaints list --period 2026-10 --figure received --cause pricing_fees --branch BJ000 --as-of 2026-11-05"},
		{page, "branch", "--branch", "BJ001", "complaints list --period 2026-10 --figure received --branch BJ001 --as-of 2026-11-05"},
		{readmodel.Scope{}, "branch", "--branch", "广州 分行", "complaints list --period 2026-10 --figure received --branch '广州 分行'"},
	} {
		if got := listCommand(m, c.scope, c.dim, c.flag, c.code); got != c.want {
			t.Errorf("%s %s: %q, want %q", c.dim, c.code, got, c.want)
		}
	}
}

// TestDrillCellsAreTheListsFirstRows: each cell's total and breakdown are the counts of the month's list, and its
// rows are the first drillMaxRows complaints of the cell in the list's order, whatever the database reads to
// find them.
func TestDrillCellsAreTheListsFirstRows(t *testing.T) {
	db, doc, _, _ := drillPage(t, false)
	all, err := readmodel.ListRows(context.Background(), db, readmodel.ListOptions{Period: "2016-09", Figure: "received"})
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		total int64
		by    map[string]int64
		ids   []string
	}
	cells := map[string]*want{}
	for _, r := range all {
		codes := map[string]string{"business_category": r.Category, "cause": r.Cause, "intake_channel": r.IntakeChannel,
			"branch": r.Branch, "province": r.Province}
		for _, dd := range drillDims {
			key := drillKey(dd.dim, codes[dd.dim])
			w := cells[key]
			if w == nil {
				w = &want{by: map[string]int64{}}
				cells[key] = w
			}
			w.total++
			w.by[dimLabel(dd.by, codes[dd.by], "zh", branchNames{})]++
			if len(w.ids) < drillMaxRows {
				w.ids = append(w.ids, r.SourceID)
			}
		}
	}
	full := 0
	for key, c := range doc.Cells {
		w := cells[key]
		if w == nil {
			t.Errorf("cell %s is not in the list", key)
			continue
		}
		if c.Total != w.total {
			t.Errorf("%s: total %d, the list has %d", key, c.Total, w.total)
		}
		for _, b := range c.Break {
			if n := int64(b[1].(float64)); n != w.by[b[0].(string)] {
				t.Errorf("%s: %v counted %d, the list has %d", key, b[0], n, w.by[b[0].(string)])
			}
		}
		var ids []string
		for _, r := range c.Rows {
			ids = append(ids, doc.Rows[r][0].(string))
		}
		if !reflect.DeepEqual(ids, w.ids) {
			t.Errorf("%s: rows %v, the list's first are %v", key, ids, w.ids)
		}
		if w.total > drillMaxRows {
			full++
		}
	}
	if full == 0 || len(doc.Cells) < 10 {
		t.Fatalf("%d cells, %d of them over %d complaints: the test shows nothing", len(doc.Cells), full, drillMaxRows)
	}
}
