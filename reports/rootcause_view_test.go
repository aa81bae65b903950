package reports

import (
	"archive/zip"
	"context"
	"database/sql"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"complaints/catalog"
	"complaints/readmodel"
	"complaints/rootcause"
	"complaints/transform"
)

// landSteady lands a bank with data from 2025-12 to 2026-10: every month 10 loans complaints for each of two
// causes at each of two business channels (the counter and the mobile app), 40 a month, so nothing is unusual;
// with outage, 2026-10 gets 80 more mobile-app complaints of one cause.
func landSteady(t *testing.T, outage bool) *sql.DB {
	t.Helper()
	cols := []string{"source_id", "received_at", "intake_channel", "business_channel", "business_category", "cause",
		"complaint_type", "customer_phone_key"}
	var values [][]any
	add := func(month, channel, cause string, n int) {
		for i := range n {
			id := fmt.Sprintf("R%d", len(values))
			values = append(values, []any{id, fmt.Sprintf("%s-%02d 10:00:00", month, 2+i%25), "电话", channel, "贷款", cause, "工作失误", "c" + id})
		}
	}
	for _, m := range []string{"2025-12", "2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"} {
		for _, ch := range []string{"营业现场", "手机银行"} {
			for _, c := range []string{"服务态度", "收费"} {
				add(m, ch, c, 10)
			}
		}
	}
	if outage {
		add("2026-10", "手机银行", "服务态度", 80)
	}
	return landBatch(t, "2026-11-05 09:00:00", cols, values, transform.Options{})
}

// sheetRows reads the 根因 sheet back.
func sheetRows(t *testing.T, f *excelize.File, lang string) [][]string {
	t.Helper()
	rows, err := f.GetRows(catalog.Text("rpt_rc_sheet", lang))
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// section is the rows after the row whose first cell is title, up to the next empty row (header first).
func sheetSection(rows [][]string, title string) [][]string {
	for i, r := range rows {
		if len(r) > 0 && r[0] == title {
			var out [][]string
			for _, x := range rows[i+1:] {
				if len(x) == 0 {
					break
				}
				out = append(out, x)
			}
			return out
		}
	}
	return nil
}

// sheetRowOf is the 1-based row number of the row r in rows.
func sheetRowOf(rows [][]string, r []string) int {
	for i, x := range rows {
		if fmt.Sprint(x) == fmt.Sprint(r) {
			return i + 1
		}
	}
	return 0
}

// chartXML is the text of every chart part of the workbook at path.
func chartXML(t *testing.T, path string) string {
	t.Helper()
	z, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	var b strings.Builder
	for _, f := range z.File {
		if strings.HasPrefix(f.Name, "xl/charts/chart") {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			x, _ := io.ReadAll(rc)
			rc.Close()
			b.Write(x)
		}
	}
	return b.String()
}

func cellAt(r []string, c int) string {
	if c < len(r) {
		return r[c]
	}
	return ""
}

// TestRootCauseSheetShowsTheFindings reads the 根因 sheet back: its findings table is Findings.Ranked (order,
// kind, observed, sentence); the flagged series table has one column per month, "—" before the data's first
// month; the business-channel view shows the mobile app rising in the month of the outage; the recurring table
// has one column per month of the 6 tested.
func TestRootCauseSheetShowsTheFindings(t *testing.T) {
	db := landSteady(t, true)
	f, path := writeE2E(t, db, "zh", "2026-10", Options{})
	tr := func(k string) string { return catalog.Text(k, "zh") }
	p, _ := readmodel.ParsePeriod("2026-10")
	want, err := loadFindings(context.Background(), db, p, "zh", "", rootcause.Customers{})
	if err != nil {
		t.Fatal(err)
	}
	if len(want.Ranked) == 0 {
		t.Fatal("the outage is no finding")
	}
	rows := sheetRows(t, f, "zh")
	ranked := sheetSection(rows, tr("rc_view_ranked_title"))
	if len(ranked) != len(want.Ranked)+1 {
		t.Fatalf("findings table has %d rows, Findings.Ranked %d: %v", len(ranked)-1, len(want.Ranked), ranked)
	}
	for i, fd := range want.Ranked {
		r := ranked[i+1]
		if r[0] != tr("rc_view_type_"+fd.Type) || r[1] != rootcause.KeyLabel(fd.Key, "zh") || r[3] != strconv.Itoa(fd.Observed) ||
			cellAt(r, 6) != fd.Sentence["zh"] {
			t.Errorf("findings row %d %q, want %s %s %d %q", i, r, fd.Type, fd.Key, fd.Observed, fd.Sentence["zh"])
		}
	}
	flagged := sheetSection(rows, tr("rc_view_flagged_title"))
	if len(flagged) < 2 || len(flagged[0]) != 2+13 || flagged[0][2] != "2025-10" || flagged[0][14] != "2026-10" {
		t.Fatalf("flagged series table %v", flagged)
	}
	for _, r := range flagged[1:] {
		if r[2] != dash || r[3] != dash || r[4] == dash {
			t.Errorf("flagged series %q: 2025-10 and 2025-11 are before any data (—), 2025-12 is not", r)
		}
	}
	// the chart draws each flagged series over the months with data only (2025-12 is column E): no month before
	// the data is drawn as 0
	charts := chartXML(t, path)
	for i := range flagged[1:] {
		want := fmt.Sprintf("&#39;根因&#39;!$E$%d:$O$%d", sheetRowOf(rows, flagged[1+i]), sheetRowOf(rows, flagged[1+i]))
		if !strings.Contains(charts, want) {
			t.Errorf("no chart series %s in %s", want, charts)
		}
	}
	// the bank total (hundreds a month) is drawn on its own axis beside the flagged series of tens
	for _, c := range strings.Split(charts, "<?xml") {
		if strings.Contains(c, "&#39;根因&#39;") {
			if n := strings.Count(c, "<lineChart>"); n != 2 {
				t.Errorf("the chart has %d line groups, want 2 (the bank total on a second axis)", n)
			}
		}
	}
	channels := sheetSection(rows, tr("rc_view_channels_title"))
	app := catalog.Label("business_channel", "mobile_app", "zh")
	found := false
	for _, r := range channels {
		if cellAt(r, 1) == app {
			found = true
			if r[13] != "20" || r[14] != "100" || r[2] != dash {
				t.Errorf("mobile app by month %q: want — ... 20 in 2026-09, 100 in 2026-10", r)
			}
		}
	}
	if !found {
		t.Errorf("no mobile-app row in the business-channel view %v", channels)
	}
	recurring := sheetSection(rows, tr("rc_view_recurring_title"))
	if len(recurring) == 0 || strings.Join(recurring[0][3:9], " ") != "2026-05 2026-06 2026-07 2026-08 2026-09 2026-10" {
		t.Errorf("recurring header %v: want one column per month of the 6 tested", recurring)
	}
	if sheetSection(rows, tr("rc_view_rising_title")) == nil {
		t.Error("no rising list")
	}
	if strings.Contains(fmt.Sprint(rows), tr("rc_view_none_flagged")) {
		t.Error("the sheet says nothing was flagged")
	}
}

// TestRootCauseSheetSaysNoneFlagged: on a bank with nothing unusual the sheet says that no series was flagged
// and shows the bank total for reference.
func TestRootCauseSheetSaysNoneFlagged(t *testing.T) {
	db := landSteady(t, false)
	for _, lang := range []string{"zh", "en"} {
		f, _ := writeE2E(t, db, lang, "2026-10", Options{})
		rows := sheetRows(t, f, lang)
		tr := func(k string) string { return catalog.Text(k, lang) }
		ranked := sheetSection(rows, tr("rc_view_ranked_title"))
		if len(ranked) != 2 || ranked[1][0] != tr("rc_view_none_flagged") {
			t.Errorf("%s: findings table %v", lang, ranked)
		}
		flagged := sheetSection(rows, tr("rc_view_flagged_title"))
		if len(flagged) != 3 || flagged[1][0] != tr("rc_view_none_flagged") || flagged[2][1] != rootcause.KeyLabel(rootcause.Key{Kind: rootcause.KindTotal}, lang) ||
			flagged[2][14] != "40" {
			t.Errorf("%s: flagged series table %v", lang, flagged)
		}
	}
}

// TestRootCauseSheetIsPlain: the 根因 sheet a quality manager reads holds no statistical jargon in either
// language (the method's terms stay in docs/decisions.md), and its summary line counts the findings listed.
func TestRootCauseSheetIsPlain(t *testing.T) {
	db := landSteady(t, true)
	jargon := []string{"Benjamini", "BH", "σ", "sigma", "p值", "p-value", "q-value", "UCL", "c图", "u图", "c-chart", "u-chart", "泊松", "Poisson"}
	for _, lang := range []string{"zh", "en"} {
		f, _ := writeE2E(t, db, lang, "2026-10", Options{})
		rows := sheetRows(t, f, lang)
		for _, r := range rows {
			for _, c := range r {
				for _, j := range jargon {
					if strings.Contains(c, j) {
						t.Errorf("%s: the 根因 sheet says %q (%q)", lang, j, c)
					}
				}
			}
		}
		p, _ := readmodel.ParsePeriod("2026-10")
		fs, err := loadFindings(context.Background(), db, p, lang, "", rootcause.Customers{})
		if err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprintf(catalog.Text("rpt_rc_tested", lang), fs.Tested, len(fs.Ranked), "5%")
		if len(rows) < 2 || !strings.Contains(strings.Join(rows[1], ""), want) {
			t.Errorf("%s: summary line %q, want it to hold %q", lang, rows[1], want)
		}
	}
}

// TestRootCauseSheetOfAPeriod: a quarter's and a year's workbook have a 根因 sheet too: the period's causes by
// complaints (the months' Paretos added: landSteady has 2 channels x 2 causes x 10 = 40 complaints a month, 20
// of each cause) and each month's findings as that month's analysis ranks them (the 2026-10 outage in the year).
func TestRootCauseSheetOfAPeriod(t *testing.T) {
	db := landSteady(t, true)
	tr := func(k string) string { return catalog.Text(k, "zh") }
	for _, period := range []string{"2026-Q3", "2026"} {
		f, _ := writeE2E(t, db, "zh", period, Options{})
		rows := sheetRows(t, f, "zh")
		p, _ := readmodel.ParsePeriod(period)
		var paretos []rootcause.Pareto
		var want [][2]string // month, what
		months := 0
		for m := p.Start; m <= p.End(); m++ {
			months++
			fs, err := loadFindings(context.Background(), db, readmodel.Period{Kind: readmodel.Monthly, Start: m, Len: 1}, "zh", "", rootcause.Customers{})
			if err != nil {
				t.Fatal(err)
			}
			paretos = append(paretos, fs.ParetoCauses)
			for _, fd := range fs.Ranked {
				want = append(want, [2]string{m.String(), rootcause.KeyLabel(fd.Key, "zh")})
			}
		}
		pareto := sheetSection(rows, tr("rcp_pareto_title"))
		sum := rootcause.SumPareto(paretos...)
		if len(pareto) != len(sum.Items)+1 || len(sum.Items) == 0 {
			t.Fatalf("%s: Pareto table %v, want %d causes", period, pareto, len(sum.Items))
		}
		total := 0
		for i, it := range sum.Items {
			total += it.Count
			if pareto[i+1][1] != rootcause.KeyLabel(it.Key, "zh") || pareto[i+1][3] != strconv.Itoa(it.Count) {
				t.Errorf("%s: Pareto row %d %q, want %s %d", period, i, pareto[i+1], rootcause.KeyLabel(it.Key, "zh"), it.Count)
			}
		}
		if period == "2026-Q3" && (total != 3*40 || sum.Items[0].Count != 60 || sum.Items[1].Count != 60) {
			t.Errorf("2026-Q3: %d complaints in the Pareto (%+v), want 120, 60 of each cause", total, sum.Items)
		}
		found := sheetSection(rows, tr("rcp_months_title"))
		var got [][2]string
		for _, r := range found[1:] {
			if cellAt(r, 1) != tr("rc_view_none_flagged") {
				got = append(got, [2]string{r[0], cellAt(r, 2)})
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: findings by month %v, want %v", period, got, want)
		}
		if period == "2026" && len(want) == 0 {
			t.Error("2026: the October outage is no finding of the year's sheet")
		}
		if n := len(found) - 1; n < months {
			t.Errorf("%s: %d rows for %d months", period, n, months)
		}
	}
}
