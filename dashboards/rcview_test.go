package dashboards

import (
	"context"
	"database/sql"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"complaints/catalog"
	"complaints/readmodel"
	"complaints/readmodel/readmodeltest"
	"complaints/rootcause"
)

// steadyBank is a warehouse with data from 2025-12 to 2026-10: every month 10 loans complaints for each of two
// causes at each of two business channels (the counter and the mobile app), 40 a month, so nothing is unusual;
// with outage, 2026-10 gets 80 more mobile-app complaints of service_quality.
func steadyBank(t *testing.T, outage bool) *sql.DB {
	t.Helper()
	db := readmodeltest.Open(t)
	for _, m := range months[2:] {
		n := int64(40)
		if outage && m == "2026-10" {
			n += 80
		}
		readmodeltest.Category(t, db, m, "loans", n, 0, 0, 0)
		for _, ch := range []string{"branch_counter", "mobile_app"} {
			for _, c := range []string{"service_quality", "pricing_fees"} {
				n := 10
				if outage && m == "2026-10" && ch == "mobile_app" && c == "service_quality" {
					n += 80
				}
				exec(t, db, `INSERT INTO mart_dimension_month VALUES (CAST(? AS DATE), 'phone', ?, 'loans', ?, 'general', '', '', ?, 0)`,
					m+"-01", ch, c, n)
			}
		}
	}
	return db
}

func writeSteady(t *testing.T, db *sql.DB, lang string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "dashboard.html")
	if err := Write(context.Background(), db, Options{From: "2025-10", To: "2026-10", Lang: lang, Out: out,
		GeneratedAt: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// tableAfter is the rows (cells as text) of the first table after the heading h3.
func tableAfter(page, h3 string) [][]string {
	i := strings.Index(page, "<h3>"+h3+"</h3>")
	if i < 0 {
		return nil
	}
	body := page[i:]
	body = body[:strings.Index(body, "</div>")]
	var out [][]string
	for _, tr := range regexp.MustCompile(`(?s)<tbody>.*?</tbody>`).FindAllString(body, 1) {
		for _, row := range regexp.MustCompile(`(?s)<tr[^>]*>(.*?)</tr>`).FindAllStringSubmatch(tr, -1) {
			var cells []string
			for _, c := range regexp.MustCompile(`(?s)<td>(.*?)</td>`).FindAllStringSubmatch(row[1], -1) {
				cells = append(cells, c[1])
			}
			out = append(out, cells)
		}
	}
	return out
}

// TestDashboardSaysNoneFlagged: on a bank with nothing unusual the control chart says no series was flagged and
// draws the bank total in grey (the months before the data's first month are gaps), and the findings table says so.
func TestDashboardSaysNoneFlagged(t *testing.T) {
	for _, lang := range []string{"zh", "en"} {
		page := writeSteady(t, steadyBank(t, false), lang)
		c := rawCharts(t, page)["control"]
		if got := get(c, "title", "subtext"); got != catalog.Text("rc_view_cc_subtext_none", lang) {
			t.Errorf("%s: control chart subtext %v", lang, got)
		}
		if got := js(get(c, "series", 0, "data")); got != `[null,null,40,40,40,40,40,40,40,40,40,40,40]` || get(c, "series", 1) != nil {
			t.Errorf("%s: control chart series %s", lang, js(get(c, "series")))
		}
		if strings.Contains(js(c), "#c23531") {
			t.Errorf("%s: the bank total is styled as an alarm", lang)
		}
		if !strings.Contains(page, html.EscapeString(catalog.Text("rc_view_none_flagged", lang))) {
			t.Errorf("%s: the page does not say that no series was flagged", lang)
		}
	}
}

// TestDashboardShowsTheFindings: with a mobile-app outage in 2026-10 the findings table is Findings.Ranked (order,
// observed, sentence), the business-channel view draws the mobile app rising from 20 to 100 and the recurring
// table has one column per month of the 6 tested.
func TestDashboardShowsTheFindings(t *testing.T) {
	db := steadyBank(t, true)
	page := writeSteady(t, db, "zh")
	excluded, coverage, err := readmodel.ForAnalysis(context.Background(), db, readmodel.MonthOf(2026, 10), "zh")
	if err != nil {
		t.Fatal(err)
	}
	f, err := rootcause.Analyze(context.Background(), db, rootcause.Options{Period: "2026-10", IncompleteMonths: excluded, Coverage: coverage})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Ranked) == 0 {
		t.Fatal("the outage is no finding")
	}
	rows := tableAfter(page, catalog.Text("rc_view_ranked_title", "zh")+" · 2026-10")
	if len(rows) != len(f.Ranked) {
		t.Fatalf("findings table has %d rows, Findings.Ranked %d: %v", len(rows), len(f.Ranked), rows)
	}
	for i, fd := range f.Ranked {
		if r := rows[i]; r[2] != rootcause.KeyLabel(fd.Key, "zh") || r[4] != js(fd.Observed) || r[7] != fd.Sentence["zh"] {
			t.Errorf("findings row %d %q, want %s %d %q", i, r, fd.Key, fd.Observed, fd.Sentence["zh"])
		}
	}
	ch := rawCharts(t, page)["rcchannels"]
	app := catalog.Label("business_channel", "mobile_app", "zh")
	found := false
	for i := 0; get(ch, "series", i) != nil; i++ {
		if get(ch, "series", i, "name") == app {
			found = true
			if got := js(get(ch, "series", i, "data")); got != `[null,null,20,20,20,20,20,20,20,20,20,20,100]` {
				t.Errorf("mobile app by month %s", got)
			}
		}
	}
	if !found {
		t.Errorf("no mobile-app line in the business-channel view: %s", js(get(ch, "series")))
	}
	if h := recurringTable("zh", f, branchNames{}).Header; len(h) != 10 || strings.Join(h[3:9], " ") != "2026-05 2026-06 2026-07 2026-08 2026-09 2026-10" {
		t.Errorf("recurring table header %q: want one column per month of the 6 tested", h)
	}
	if strings.Contains(page, catalog.Text("rc_view_none_flagged", "zh")) {
		t.Error("the page says nothing was flagged")
	}
}

// TestDescriptiveChartsAreNotAlarms: the Pareto, the repeat complainants and the causes and channels over time
// are descriptive lists: none of them uses the alarm red of a finding.
func TestDescriptiveChartsAreNotAlarms(t *testing.T) {
	charts := rawCharts(t, writeRecurring(t, false, ""))
	for _, id := range []string{"pareto", "repeats", "rccauses", "rcchannels"} {
		if c := charts[id]; c == nil || strings.Contains(js(c), "#c23531") {
			t.Errorf("chart %s is missing or styled as an alarm", id)
		}
	}
	// the views colour their lines themselves (ECharts' default palette has a red, #ee6666), with no red
	for _, id := range []string{"rccauses", "rcchannels"} {
		if c := js(charts[id]); !strings.Contains(c, `"color":["#2f5597"`) || strings.Contains(c, "#ee6666") {
			t.Errorf("chart %s does not set its own palette without red", id)
		}
	}
}
