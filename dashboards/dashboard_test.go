package dashboards

import (
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"complaints/readmodel/readmodeltest"
)

const (
	scriptPayload   = `</script><script>alert(1)</script>`
	functionPayload = `__f__(function(){alert(1)})()__f__`
)

// The fixture: 13 months 2025-10 .. 2026-10 of two catalogue categories, plus the two payloads as category codes
// (the catalogue does not know them, so their labels are the codes themselves) and as cause codes.
var (
	months         = []string{"2025-10", "2025-11", "2025-12", "2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"}
	loansReceived  = []int64{11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 30, 40}
	creditReceived = []int64{0, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 20, 10}
	closedLoans    = []int64{10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 25, 33}
)

// Causes over the 13 months: 45 + 27 + 14 + 8 + 4 + 2 = 100 -> cumulative 45%, 72%, 86%: the vital few are three.
var causeTotals = []struct {
	code string
	n    int64
}{
	{"service_quality", 45}, {"pricing_fees", 27}, {scriptPayload, 14}, {"fund_safety", 8}, {functionPayload, 4}, {"marketing", 2},
}

func seed(t *testing.T) *sql.DB {
	t.Helper()
	db := readmodeltest.Open(t)
	for i, m := range months {
		readmodeltest.Category(t, db, m, "loans", loansReceived[i], 0, 0, closedLoans[i])
		readmodeltest.Category(t, db, m, "credit_card", creditReceived[i], 0, 0, 0)
	}
	readmodeltest.Category(t, db, "2026-10", scriptPayload, 3, 0, 0, 0)
	readmodeltest.Category(t, db, "2026-09", functionPayload, 2, 0, 0, 0)
	// Outside the range: must not be charted.
	readmodeltest.Category(t, db, "2025-09", "loans", 999, 0, 0, 0)
	for _, c := range causeTotals {
		// Split each cause over two months to check the sum over the range.
		readmodeltest.Cause(t, db, "2026-09", c.code, c.n/2)
		readmodeltest.Cause(t, db, "2026-10", c.code, c.n-c.n/2)
	}
	readmodeltest.Cause(t, db, "2025-09", "marketing", 500) // outside the range
	seedTimeliness(t, db)
	seedRepeats(t, db)
	seedDimensions(t, db)
	return db
}

func write(t *testing.T, lang string) string {
	t.Helper()
	if _, err := echartsScript(); err != nil {
		t.Fatalf("the ECharts asset is not available (CI runs `make assets` before the tests): %v", err)
	}
	db := seed(t)
	out := filepath.Join(t.TempDir(), "dashboard.html")
	err := Write(context.Background(), db, Options{From: "2025-10", To: "2026-10", Lang: lang, Institution: "示例银行 <b>&</b>",
		GeneratedAt: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), Out: out})
	if err != nil {
		t.Fatalf("Write: %v", err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var scriptTag = regexp.MustCompile(`(?is)<script([^>]*)>(.*?)</script>`)

// parts splits the page into its script elements and the markup outside them: ECharts, the China map on a --map
// page only (see mapScript), the chart data and the page's own script.
func parts(t *testing.T, html string) (echarts, data, init, markup string) {
	t.Helper()
	m := scriptTag.FindAllStringSubmatch(html, -1)
	if len(m) == 4 {
		m = append(m[:1], m[2:]...)
	}
	if len(m) != 3 {
		t.Fatalf("page has %d script elements, want 3 (echarts, data, init) or 4 (echarts, map, data, init)", len(m))
	}
	if strings.TrimSpace(m[0][1]) != "" || strings.TrimSpace(m[2][1]) != "" {
		t.Fatalf("script elements carry attributes: %q %q", m[0][1], m[2][1])
	}
	if !strings.Contains(m[1][1], `type="application/json"`) {
		t.Fatalf("data script is %q, want type application/json", m[1][1])
	}
	return m[0][2], m[1][2], m[2][2], scriptTag.ReplaceAllString(html, "")
}

// mapScript is the second of a page's four script elements (the China map), "" on a page with three.
func mapScript(t *testing.T, html string) string {
	t.Helper()
	m := scriptTag.FindAllStringSubmatch(html, -1)
	if len(m) != 4 {
		return ""
	}
	if strings.TrimSpace(m[1][1]) != "" {
		t.Fatalf("map script carries attributes: %q", m[1][1])
	}
	return m[1][2]
}

func TestDashboardIsSelfContained(t *testing.T) {
	html := write(t, "zh")
	js, _ := echartsScript()
	echarts, _, init, markup := parts(t, html)
	if echarts != string(js) {
		t.Fatal("the first script is not the embedded ECharts build inlined")
	}
	if !strings.Contains(echarts, "echarts") || len(echarts) < 500_000 {
		t.Fatal("ECharts is not inlined")
	}
	// Nothing outside the inlined library refers to anything: no src, no href, no URL, no protocol-relative path;
	// the only links are the section anchors of the page's own navigation.
	anchors := regexp.MustCompile(`<a href="#[a-z]+">`)
	if n := len(anchors.FindAllString(markup, -1)); n != 6 {
		t.Errorf("%d section anchors, want 6", n)
	}
	markup = anchors.ReplaceAllString(markup, "<a>")
	for _, s := range []string{markup, init} {
		low := strings.ToLower(s)
		for _, bad := range []string{"src=", "href=", "http:", "https:", "//", "url(", "@import", "@font-face"} {
			if strings.Contains(low, bad) {
				i := strings.Index(low, bad)
				t.Errorf("page refers outside itself (%q) near %q", bad, s[max(0, i-60):min(len(s), i+60)])
			}
		}
	}
	if !strings.Contains(markup, "default-src 'none'") {
		t.Error("no Content-Security-Policy")
	}
	if !strings.Contains(markup, "@media print") {
		t.Error("no print stylesheet")
	}
	// Header: institution (escaped), period, generated at (Beijing).
	for _, want := range []string{"示例银行 &lt;b&gt;&amp;&lt;/b&gt;", "2025-10 – 2026-10", "2026-11-01 08:00:00", "消费投诉分析看板"} {
		if !strings.Contains(markup, want) {
			t.Errorf("header lacks %q", want)
		}
	}
}

func TestDashboardNeutralisesPayloads(t *testing.T) {
	html := write(t, "zh")
	_, data, _, markup := parts(t, html)
	// The script payload never appears raw: not in the data, not in the markup, not as an element.
	if strings.Contains(html, scriptPayload) || strings.Contains(html, "<script>alert(1)") {
		t.Error("the </script> payload appears raw in the page")
	}
	// Outside the scripts, the payloads appear only as escaped text of the data tables.
	if !strings.Contains(markup, "<td>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</td>") {
		t.Error("the </script> payload is not shown as escaped text in the Pareto table")
	}
	if !strings.Contains(markup, "<td>__f__(function(){alert(1)})()__f__</td>") {
		t.Error("the __f__ payload is not shown as text in the Pareto table")
	}
	if n := strings.Count(strings.ToLower(html), "<script"); n != 3 {
		t.Errorf("page has %d <script tags, want 3", n)
	}
	// The function payload exists only as a JSON string inside the non-executed data element; unlike go-echarts'
	// output, nothing unquotes __f__ markers into code.
	if !strings.Contains(data, `"__f__(function(){alert(1)})()__f__"`) {
		t.Error("the __f__ payload is not a JSON string in the data")
	}
	if strings.Contains(outsideStrings(data), "__f__") || strings.Contains(data, `:function`) {
		t.Error("the __f__ payload is not a quoted string")
	}
	var doc struct {
		Charts map[string]json.RawMessage `json:"charts"`
	}
	if err := json.Unmarshal([]byte(data), &doc); err != nil {
		t.Fatalf("data is not JSON: %v", err)
	}
	// Both payloads survive as data (labels of unknown codes are the codes).
	var trend chartOption
	json.Unmarshal(doc.Charts["trend"], &trend)
	names := map[string]bool{}
	for _, s := range trend.Series {
		names[s.Name] = true
	}
	if !names[scriptPayload] || !names[functionPayload] {
		t.Errorf("payload category series missing: %v", names)
	}
	var pareto chartOption
	json.Unmarshal(doc.Charts["pareto"], &pareto)
	if !contains(pareto.XAxis.Data, scriptPayload) || !contains(pareto.XAxis.Data, functionPayload) {
		t.Errorf("payload causes missing: %v", pareto.XAxis.Data)
	}
}

type chartOption struct {
	XAxis struct {
		Data []string `json:"data"`
	} `json:"xAxis"`
	YAxis  json.RawMessage `json:"yAxis"`
	Series []struct {
		Name       string                 `json:"name"`
		Type       string                 `json:"type"`
		Stack      string                 `json:"stack"`
		YAxisIndex int                    `json:"yAxisIndex"`
		Data       []*float64             `json:"data"`
		ItemStyle  struct{ Color string } `json:"itemStyle"`
		MarkLine   struct {
			Data []struct {
				YAxis float64 `json:"yAxis"`
			} `json:"data"`
		} `json:"markLine"`
	} `json:"series"`
	DataZoom []any `json:"dataZoom"`
	Toolbox  struct {
		Feature map[string]any `json:"feature"`
	} `json:"toolbox"`
	Tooltip map[string]any `json:"tooltip"`
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func parseCharts(t *testing.T, html string) (locale string, charts map[string]chartOption) {
	t.Helper()
	_, data, _, _ := parts(t, html)
	var doc struct {
		Locale string                     `json:"locale"`
		Charts map[string]json.RawMessage `json:"charts"`
	}
	if err := json.Unmarshal([]byte(data), &doc); err != nil {
		t.Fatalf("data is not JSON: %v", err)
	}
	charts = map[string]chartOption{}
	for _, id := range []string{"trend", "pareto"} {
		var c chartOption
		if err := json.Unmarshal(doc.Charts[id], &c); err != nil {
			t.Fatalf("chart %s: %v", id, err)
		}
		charts[id] = c
	}
	return doc.Locale, charts
}

func ints(t *testing.T, xs []*float64) []int64 {
	t.Helper()
	out := make([]int64, len(xs))
	for i, x := range xs {
		if x == nil {
			out[i] = -1
			continue
		}
		out[i] = int64(*x)
	}
	return out
}

func equal(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestDashboardTrendEqualsFixture(t *testing.T) {
	locale, charts := parseCharts(t, write(t, "zh"))
	if locale != "ZH" {
		t.Errorf("locale %q, want ZH", locale)
	}
	trend := charts["trend"]
	if strings.Join(trend.XAxis.Data, ",") != strings.Join(months, ",") {
		t.Fatalf("months %v", trend.XAxis.Data)
	}
	byName := map[string]int{}
	for i, s := range trend.Series {
		byName[s.Name] = i
	}
	loans := trend.Series[byName["贷款"]]
	if loans.Type != "bar" || loans.Stack == "" || !equal(ints(t, loans.Data), loansReceived) {
		t.Errorf("loans series %+v, want %v", ints(t, loans.Data), loansReceived)
	}
	credit := trend.Series[byName["信用卡"]]
	if !equal(ints(t, credit.Data), creditReceived) {
		t.Errorf("credit card series %v, want %v", ints(t, credit.Data), creditReceived)
	}
	// Catalogue order: loans before credit card before the unknown codes.
	if !(byName["贷款"] < byName["信用卡"] && byName["信用卡"] < byName[scriptPayload]) {
		t.Errorf("series order %v", byName)
	}
	total := trend.Series[byName["受理投诉量合计"]]
	want := make([]int64, len(months))
	for i := range months {
		want[i] = loansReceived[i] + creditReceived[i]
	}
	want[11] += 2 // function payload code in 2026-09
	want[12] += 3 // script payload code in 2026-10
	if total.Type != "line" || !equal(ints(t, total.Data), want) {
		t.Errorf("total line %v, want %v", ints(t, total.Data), want)
	}
	if len(trend.DataZoom) == 0 || trend.Toolbox.Feature["saveAsImage"] == nil || trend.Tooltip == nil {
		t.Error("trend lacks dataZoom, saveAsImage or tooltip")
	}
	// Colours are fixed per category (by catalogue position) and the same in the category chart.
	if loans.ItemStyle.Color != palette[3] || credit.ItemStyle.Color != palette[6] {
		t.Errorf("colours loans %s credit %s", loans.ItemStyle.Color, credit.ItemStyle.Color)
	}
	_, data, _, _ := parts(t, write(t, "zh"))
	var doc struct {
		Charts struct {
			Categories struct {
				YAxis struct {
					Data []string `json:"data"`
				} `json:"yAxis"`
				Series []struct {
					Data []struct {
						Value     int64 `json:"value"`
						ItemStyle struct {
							Color string `json:"color"`
						} `json:"itemStyle"`
					} `json:"data"`
				} `json:"series"`
			} `json:"categories"`
		} `json:"charts"`
	}
	if err := json.Unmarshal([]byte(data), &doc); err != nil {
		t.Fatal(err)
	}
	c := doc.Charts.Categories
	if len(c.YAxis.Data) != 3 || c.YAxis.Data[0] != "贷款" || c.Series[0].Data[0].Value != 40 ||
		c.Series[0].Data[0].ItemStyle.Color != loans.ItemStyle.Color || c.Series[0].Data[1].ItemStyle.Color != credit.ItemStyle.Color {
		t.Errorf("category chart %+v does not match the trend's colours", c)
	}
}

func TestDashboardParetoEqualsFixture(t *testing.T) {
	_, charts := parseCharts(t, write(t, "en"))
	p := charts["pareto"]
	wantNames := []string{"Service attitude and quality", "Pricing and fees", scriptPayload, "Safety of funds", functionPayload, "Marketing methods"}
	if strings.Join(p.XAxis.Data, "|") != strings.Join(wantNames, "|") {
		t.Fatalf("causes %q, want %q", p.XAxis.Data, wantNames)
	}
	if len(p.Series) != 3 {
		t.Fatalf("%d series", len(p.Series))
	}
	vital, others, cum := p.Series[0], p.Series[1], p.Series[2]
	// 45%, 72%, 86%: the vital few are the first three.
	if got := ints(t, vital.Data); !equal(got, []int64{45, 27, 14, -1, -1, -1}) {
		t.Errorf("vital few bars %v", got)
	}
	if got := ints(t, others.Data); !equal(got, []int64{-1, -1, -1, 8, 4, 2}) {
		t.Errorf("other bars %v", got)
	}
	var cumGot []float64
	for _, x := range cum.Data {
		cumGot = append(cumGot, *x)
	}
	if cum.YAxisIndex != 1 || len(cumGot) != 6 || cumGot[0] != 45 || cumGot[1] != 72 || cumGot[2] != 86 || cumGot[3] != 94 || cumGot[4] != 98 || cumGot[5] != 100 {
		t.Errorf("cumulative share %v on axis %d", cumGot, cum.YAxisIndex)
	}
	if len(cum.MarkLine.Data) != 1 || cum.MarkLine.Data[0].YAxis != 80 {
		t.Errorf("no 80%% mark line: %+v", cum.MarkLine)
	}
}

func TestParetoVitalFew(t *testing.T) {
	for _, c := range []struct {
		sums map[string]int64
		want int
	}{
		{map[string]int64{"a": 45, "b": 27, "c": 14, "d": 14}, 3},
		{map[string]int64{"a": 80, "b": 20}, 1}, // exactly 80% counts as reaching it
		{map[string]int64{"a": 79, "b": 21}, 2},
		{map[string]int64{"a": 1, "b": 1, "c": 1, "d": 1, "e": 1}, 4},
		{map[string]int64{}, 0},
	} {
		_, _, got := paretoCauses(c.sums)
		if got != c.want {
			t.Errorf("%v: vital few %d, want %d", c.sums, got, c.want)
		}
	}
}

func TestDashboardEnglishAndDefaults(t *testing.T) {
	html := write(t, "en")
	if !strings.Contains(html, `<html lang="en">`) || !strings.Contains(html, "Consumer complaint dashboard") {
		t.Error("English page expected")
	}
	locale, _ := parseCharts(t, html)
	if locale != "EN" {
		t.Errorf("locale %q", locale)
	}
	// Without From/To the page shows the 13 months ending with the newest month held.
	db := seed(t)
	out := filepath.Join(t.TempDir(), "d.html")
	if err := Write(context.Background(), db, Options{Out: out}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(out)
	_, charts := parseCharts(t, string(b))
	if got := charts["trend"].XAxis.Data; len(got) != 13 || got[0] != "2025-10" || got[12] != "2026-10" {
		t.Errorf("default months %v", got)
	}
	if err := Write(context.Background(), db, Options{From: "2026-10", To: "2026-01", Out: out}); err == nil {
		t.Error("from after to must fail")
	}
}

// outsideStrings is JSON text with every string literal emptied: what could be code if it were not data.
func outsideStrings(data string) string {
	return regexp.MustCompile(`"(?:[^"\\]|\\.)*"`).ReplaceAllString(data, `""`)
}
