package dashboards

import (
	"context"
	"encoding/json"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"complaints/readmodel"
)

// writeOpts writes a page of the full fixture with extra options.
func writeOpts(t *testing.T, opts Options) string {
	t.Helper()
	db := seed(t)
	opts.Out = filepath.Join(t.TempDir(), "dashboard.html")
	if opts.From == "" {
		opts.From, opts.To = "2025-10", "2026-10"
	}
	if opts.GeneratedAt.IsZero() {
		opts.GeneratedAt = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
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

// rawCharts returns every chart's option as generic JSON.
func rawCharts(t *testing.T, html string) map[string]map[string]any {
	t.Helper()
	_, data, _, _ := parts(t, html)
	var doc struct {
		Charts map[string]map[string]any `json:"charts"`
	}
	if err := json.Unmarshal([]byte(data), &doc); err != nil {
		t.Fatal(err)
	}
	return doc.Charts
}

// get walks a generic JSON value by keys and indexes.
func get(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			l, _ := v.([]any)
			if k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

// js is v as JSON without HTML escaping, so payloads compare as written.
func js(v any) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
	return strings.TrimSuffix(b.String(), "\n")
}

var kpiTile = regexp.MustCompile(`<div class="kpi-label">([^<]*)</div><div class="kpi-value">([^<]*)</div><div class="kpi-change"><span>[^ <]+ ([^<]*)</span><span>[^ <]+ ([^<]*)</span>`)

func kpiMap(page string) map[string][3]string {
	out := map[string][3]string{}
	for _, m := range kpiTile.FindAllStringSubmatch(page, -1) {
		u := html.UnescapeString
		out[strings.TrimSuffix(u(m[1]), " · 2026-10")] = [3]string{u(m[2]), u(m[3]), u(m[4])}
	}
	return out
}

func TestDashboardKPIs(t *testing.T) {
	got := kpiMap(writeOpts(t, Options{Lang: "zh"}))
	// 2026-10 / 2026-09 / 2025-10 (see the fixture):
	//   received 40+10+3 = 53 / 30+20+2 = 52 / 11 -> MoM 1/52 = +1.9%, YoY 42/11 = +381.8%
	//   regulator referrals 0/0/0 -> no base; closed 33 / 25 / 10 -> +32.0%, +230.0%
	//   regulatory on time 30/33 = 90.9% / 24/25 = 96.0% / 10/10 = 100% -> -5.1 and -9.1 points
	//   internal on time 27/33 = 81.8% / 20/25 = 80.0% / 9/10 = 90.0% -> +1.8 and -8.2 points
	//   overdue at end 3+1 = 4 / 2 / 1 -> +100.0%, +300.0%
	//   satisfaction 27/30 = 90.0% / 19/20 = 95.0% / 8/10 = 80.0% -> -5.0 and +10.0 points
	want := map[string][3]string{
		"受理投诉量":       {"53", "+1.9%", "+381.8%"},
		"其中：监管转送":     {"0", "—", "—"},
		"办结量":         {"33", "+32.0%", "+230.0%"},
		"按时办结率（监管时限）": {"90.9%", "-5.1 个百分点", "-9.1 个百分点"},
		"按时办结率（内部时限）": {"81.8%", "+1.8 个百分点", "-8.2 个百分点"},
		"期末超期未办结":     {"4", "+100.0%", "+300.0%"},
		"满意率":         {"90.0%", "-5.0 个百分点", "+10.0 个百分点"},
	}
	if len(got) != len(want) {
		t.Errorf("%d KPI tiles, want %d: %v", len(got), len(want), got)
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("KPI %s = %v, want %v", k, got[k], w)
		}
	}
}

func TestDashboardHeaderAndSections(t *testing.T) {
	html := writeOpts(t, Options{Institution: "示例银行", AsOf: "2026-10-31"})
	for _, want := range []string{"<dt>数据截至</dt><dd>2026-10-31</dd>", "<dt>机构名称</dt><dd>示例银行</dd>",
		"<dt>统计期间</dt><dd>2025-10 – 2026-10</dd>", "<dt>生成时间</dt><dd>2026-11-01 08:00:00 (北京时间)</dd>"} {
		if !strings.Contains(html, want) {
			t.Errorf("header lacks %q", want)
		}
	}
	for _, id := range []string{"overview", "causes", "timeliness", "geography", "recurring"} {
		if !strings.Contains(html, `<a href="#`+id+`">`) || !strings.Contains(html, `<section class="section" id="`+id+`">`) {
			t.Errorf("section %s missing", id)
		}
	}
	// Without --as-of the header shows that nothing was ingested (the fixture has no batches).
	if html := writeOpts(t, Options{}); !strings.Contains(html, "<dt>数据截至</dt><dd>未知（尚无入库文件）</dd>") {
		t.Error("as-of without batches")
	}
}

// Every chart has a title, named axes with units (a value axis names its unit in brackets; a chart without value
// axes states the unit in its subtitle or visual map), a tooltip and saveAsImage: on the page with every chart (the
// recurring fixture draws the control chart; the map when china.js was fetched).
func TestDashboardChartsAreComplete(t *testing.T) {
	want := []string{"trend", "categories", "pareto", "treemap", "sankey", "heatmap", "branches", "bands", "ontime", "overdue", "provinces", "repeats", "control", "rccauses", "rcchannels"}
	opts := Options{}
	if _, err := chinaMapScript(); err == nil {
		opts.Map = true
		want = append(want, "map")
	} else {
		t.Logf("without the map: %v", err)
	}
	charts := rawCharts(t, writeRecurringOpts(t, false, "", opts))
	if len(charts) != len(want) {
		t.Errorf("%d charts, want %d", len(charts), len(want))
	}
	unit := regexp.MustCompile(`（(件|人|%)）|单位：件`)
	for _, id := range want {
		c := charts[id]
		valueAxes := 0
		for _, ax := range []string{"xAxis", "yAxis"} {
			axes, ok := c[ax].([]any)
			if !ok && c[ax] != nil {
				axes = []any{c[ax]}
			}
			for _, a := range axes {
				if get(a, "type") == "value" {
					valueAxes++
					if name, _ := get(a, "name").(string); !unit.MatchString(name) {
						t.Errorf("%s: value axis %q names no unit", id, name)
					}
				}
			}
		}
		if valueAxes == 0 {
			sub, _ := get(c, "title", "subtext").(string)
			if !unit.MatchString(sub) {
				t.Errorf("%s: no value axis and no unit in the subtitle %q", id, sub)
			}
		}
	}
	for _, id := range want {
		c := charts[id]
		if c == nil {
			t.Errorf("chart %s missing", id)
			continue
		}
		if s, _ := get(c, "title", "text").(string); s == "" || strings.HasPrefix(s, "?") {
			t.Errorf("%s: title %q", id, s)
		}
		if get(c, "tooltip") == nil || get(c, "toolbox", "feature", "saveAsImage") == nil {
			t.Errorf("%s: no tooltip or saveAsImage", id)
		}
		for _, ax := range []string{"xAxis", "yAxis"} {
			axes, ok := c[ax].([]any)
			if !ok && c[ax] != nil {
				axes = []any{c[ax]}
			}
			for _, a := range axes {
				if s, _ := get(a, "name").(string); s == "" || strings.HasPrefix(s, "?") {
					t.Errorf("%s: %s without a name", id, ax)
				}
			}
		}
		if len(get(c, "series").([]any)) == 0 {
			t.Errorf("%s: no series", id)
		}
		if strings.Contains(js(c), `"?dash_`) || strings.Contains(js(c), `"?`) {
			t.Errorf("%s: a label key is missing from the catalogue", id)
		}
	}
}

func TestDashboardTreemapEqualsFixture(t *testing.T) {
	charts := rawCharts(t, writeOpts(t, Options{}))
	data := get(charts["treemap"], "series", 0, "data").([]any)
	// loans 18+6+1 = 25; credit card 8+4 = 12; script payload category 3; function payload category 2.
	type node struct {
		Name     string
		Value    int64
		Children []node
	}
	var got []node
	json.Unmarshal([]byte(js(data)), &got)
	want := []node{
		{"贷款", 25, []node{{"服务态度及服务质量", 18, nil}, {"定价收费", 6, nil}, {"营销方式和手段", 1, nil}}},
		{"信用卡", 12, []node{{"定价收费", 8, nil}, {"服务态度及服务质量", 4, nil}}},
		{scriptPayload, 3, []node{{functionPayload, 3, nil}}},
		{functionPayload, 2, []node{{scriptPayload, 2, nil}}},
	}
	if js(got) != js(want) {
		t.Errorf("treemap\n got %s\nwant %s", js(got), js(want))
	}
	// A category's colour is the trend's.
	if c := get(data, 0, "itemStyle", "color"); c != palette[3] {
		t.Errorf("loans colour %v", c)
	}
	if c := get(data, 1, "itemStyle", "color"); c != palette[6] {
		t.Errorf("credit card colour %v", c)
	}
}

func TestDashboardSankeyEqualsFixture(t *testing.T) {
	charts := rawCharts(t, writeOpts(t, Options{}))
	s := get(charts["sankey"], "series", 0)
	var nodes []struct {
		Name  string
		Depth int
	}
	json.Unmarshal([]byte(js(get(s, "data"))), &nodes)
	var links []struct {
		Source, Target string
		Value          int64
	}
	json.Unmarshal([]byte(js(get(s, "links"))), &links)
	sp, fp := scriptPayload, functionPayload
	// The payloads are both a category and a cause: their names carry the dimension.
	spCat, spCause, fpCat, fpCause := sp+"（业务类别）", sp+"（投诉原因）", fp+"（业务类别）", fp+"（投诉原因）"
	wantNodes := map[string]int{
		"电话/客服热线": 0, "网上投诉平台": 0, "电子邮件": 0, "信件": 0,
		"贷款": 1, "信用卡": 1, spCat: 1, fpCat: 1,
		"服务态度及服务质量": 2, "定价收费": 2, fpCause: 2, spCause: 2, "营销方式和手段": 2,
	}
	if len(nodes) != len(wantNodes) {
		t.Errorf("%d nodes, want %d: %+v", len(nodes), len(wantNodes), nodes)
	}
	for _, n := range nodes {
		if d, ok := wantNodes[n.Name]; !ok || d != n.Depth {
			t.Errorf("node %q depth %d unexpected", n.Name, n.Depth)
		}
	}
	// phone: 5+6+5+1+8 = 25 to loans; online: 4+8 = 12 to credit card; category to cause as in the treemap.
	wantLinks := map[[2]string]int64{
		{"电话/客服热线", "贷款"}: 25, {"网上投诉平台", "信用卡"}: 12, {"电子邮件", spCat}: 3, {"信件", fpCat}: 2,
		{"贷款", "服务态度及服务质量"}: 18, {"贷款", "定价收费"}: 6, {"贷款", "营销方式和手段"}: 1,
		{"信用卡", "服务态度及服务质量"}: 4, {"信用卡", "定价收费"}: 8, {spCat, fpCause}: 3, {fpCat, spCause}: 2,
	}
	if len(links) != len(wantLinks) {
		t.Errorf("%d links, want %d", len(links), len(wantLinks))
	}
	for _, l := range links {
		if wantLinks[[2]string{l.Source, l.Target}] != l.Value {
			t.Errorf("link %s -> %s = %d", l.Source, l.Target, l.Value)
		}
	}
}

func TestDashboardHeatmapEqualsFixture(t *testing.T) {
	charts := rawCharts(t, writeOpts(t, Options{}))
	h := charts["heatmap"]
	// Branches by received: 北京 5+6+4+8 = 23, 上海 8+5 = 13, script payload 3, function payload 2, none 1.
	// Causes by received over those: service quality 17+5 = 22, pricing 6+8 = 14, function payload 3, script 2, marketing 1.
	ys := js(get(h, "yAxis", "data"))
	if want := js([]string{branchBJ, branchSH, scriptPayload, functionPayload, "（未填写机构）"}); ys != want {
		t.Errorf("branches %s, want %s", ys, want)
	}
	xs := js(get(h, "xAxis", "data"))
	if want := js([]string{"服务态度及服务质量", "定价收费", functionPayload, scriptPayload, "营销方式和手段"}); xs != want {
		t.Errorf("causes %s, want %s", xs, want)
	}
	cells := js(get(h, "series", 0, "data"))
	want := js([][3]int{{0, 0, 17}, {1, 0, 6}, {0, 1, 5}, {1, 1, 8}, {2, 2, 3}, {3, 3, 2}, {4, 4, 1}})
	if cells != want {
		t.Errorf("cells %s, want %s", cells, want)
	}
	if get(h, "visualMap", "max") != 17.0 {
		t.Errorf("visualMap max %v", get(h, "visualMap", "max"))
	}
}

func TestHeatmapTopBranches(t *testing.T) {
	// 25 branches A=1 ... Y=25 and 100 without a branch: the heatmap keeps the top 20, "" Y X ... G.
	var rows []readmodel.DashDimensionSum
	rows = append(rows, readmodel.DashDimensionSum{Keys: []string{"", "pricing_fees"}, Received: 100})
	for i := range 25 {
		rows = append(rows, readmodel.DashDimensionSum{Keys: []string{string(rune('A' + i)), "service_quality"}, Received: int64(i + 1)})
	}
	opt, tbl := heatmapChart("zh", "x", 0, 0, rows, branchNames{})
	ys := get(opt, "yAxis", "data").([]string)
	if len(ys) != 20 || ys[0] != "（未填写机构）" || ys[1] != "Y" || ys[19] != "G" || len(tbl.Rows) != 20 {
		t.Errorf("top branches %v", ys)
	}
	// Ties: by name, the "no branch" group last.
	got := rankBranches(map[string]int64{"b": 2, "": 2, "a": 2})
	if got[0].code != "a" || got[1].code != "b" || got[2].code != "" {
		t.Errorf("ties %v", got)
	}
}

func TestDashboardTimelinessEqualsFixture(t *testing.T) {
	charts := rawCharts(t, writeOpts(t, Options{}))
	bands := get(charts["bands"], "series", 0, "data").([]any)
	var b []any
	for _, x := range bands {
		b = append(b, get(x, "value"))
	}
	if js(b) != "[200,14,7,2]" {
		t.Errorf("bands %s, want [200,14,7,2]", js(b))
	}
	if js(get(charts["bands"], "xAxis", "data")) != js([]string{"0-15天", "16-30天", "31-60天", "60天以上"}) {
		t.Errorf("band names %s", js(get(charts["bands"], "xAxis", "data")))
	}
	// On time: every month 100% but 2026-09 (96.0 regulatory, 80.0 internal), 2026-10 (90.9, 81.8) and
	// 2025-10 internal 90.0.
	on := charts["ontime"]
	if got := js(get(on, "series", 0, "data")); got != "[100,100,100,100,100,100,100,100,100,100,100,96,90.9]" {
		t.Errorf("regulatory on-time %s", got)
	}
	if got := js(get(on, "series", 1, "data")); got != "[90,100,100,100,100,100,100,100,100,100,100,80,81.8]" {
		t.Errorf("internal on-time %s", got)
	}
	if got := get(on, "series", 0, "markLine", "data", 0, "yAxis"); got != 95.0 {
		t.Errorf("target line %v, want 95", got)
	}
	if got := get(on, "yAxis", "min"); got != 80.0 {
		t.Errorf("rate axis min %v, want 80 (the lowest rate 80.0 rounded down to 10)", got)
	}
	if got := get(rawCharts(t, writeOpts(t, Options{OnTimeTarget: 0.9}))["ontime"], "series", 0, "markLine", "data", 0, "yAxis"); got != 90.0 {
		t.Errorf("target line %v with OnTimeTarget 0.9", got)
	}
	// Overdue at end: 2025-10 1, 2026-09 2, 2026-10 3+1 = 4; open at end 5, 10, 12+4 = 16.
	if got := js(get(charts["overdue"], "series", 0, "data")); got != "[1,0,0,0,0,0,0,0,0,0,0,2,4]" {
		t.Errorf("overdue %s", got)
	}
	if got := js(get(charts["overdue"], "series", 1, "data")); got != "[5,0,0,0,0,0,0,0,0,0,0,10,16]" {
		t.Errorf("open at end %s", got)
	}
}

func TestDashboardProvincesEqualsFixture(t *testing.T) {
	p := rawCharts(t, writeOpts(t, Options{}))["provinces"]
	// 北京 23, 上海 13, 广东 3, none 2+1 = 3 (last among equals).
	if got := js(get(p, "yAxis", "data")); got != js([]string{"北京市", "上海市", "广东省", "（未填写地区）"}) {
		t.Errorf("provinces %s", got)
	}
	if got := js(get(p, "series", 0, "data")); got != "[23,13,3,3]" {
		t.Errorf("values %s", got)
	}
	en := rawCharts(t, writeOpts(t, Options{Lang: "en"}))["provinces"]
	if got := js(get(en, "yAxis", "data")); got != js([]string{"Beijing", "Shanghai", "Guangdong", "(no province recorded)"}) {
		t.Errorf("English provinces %s", got)
	}
}

func TestDashboardRepeatsEqualsFixture(t *testing.T) {
	r := rawCharts(t, writeOpts(t, Options{}))["repeats"]
	if got := js(get(r, "series", 0, "data")); got != "[1,0,0,0,0,0,0,0,0,0,0,3,4]" {
		t.Errorf("repeat customers %s", got)
	}
	if got := js(get(r, "series", 1, "data")); got != "[2,0,0,0,0,0,0,0,0,0,0,7,9]" {
		t.Errorf("repeat complaints %s", got)
	}
	// 2/11 = 18.2%, 7/52 = 13.5%, 9/53 = 17.0%; no figure where nothing was received.
	if got := js(get(r, "series", 2, "data")); got != "[18.2,null,null,null,null,null,null,null,null,null,null,13.5,17]" {
		t.Errorf("repeat share %s", got)
	}
}

// The payloads reach every new chart as category, cause or branch labels and stay inert strings.
func TestDashboardNewChartsNeutralisePayloads(t *testing.T) {
	html := writeOpts(t, Options{})
	if strings.Contains(html, scriptPayload) || strings.Contains(html, "<script>alert(1)") {
		t.Fatal("the </script> payload appears raw")
	}
	charts := rawCharts(t, html)
	for _, id := range []string{"treemap", "sankey", "heatmap"} {
		s := js(charts[id])
		if !strings.Contains(s, scriptPayload) || !strings.Contains(s, functionPayload) {
			t.Errorf("%s does not carry both payloads as labels", id)
		}
	}
	_, data, _, markup := parts(t, html)
	if strings.Contains(outsideStrings(data), "__f__") {
		t.Error("the __f__ payload is not a quoted string")
	}
	// The heatmap table shows the branch payload as escaped text.
	if !strings.Contains(markup, "<td>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</td><td>0</td>") {
		t.Error("the branch payload is not escaped text in the heatmap table")
	}
}

// TestDashboardOfABranchCopy: a branch's page is the page of a scoped copy (package scope), which holds the
// subtree only: the header names the branch the copy states, and every section is there.
func TestDashboardOfABranchCopy(t *testing.T) {
	db := seed(t)
	exec(t, db, `INSERT INTO warehouse_scope VALUES ('branch', 'BJ000'), ('branch_name', ?), ('subtree', 'BJ000,BJ001')`, branchBJ)
	out := filepath.Join(t.TempDir(), "dashboard.html")
	if err := Write(context.Background(), db, Options{From: "2025-10", To: "2026-10", Out: out,
		GeneratedAt: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	html := string(b)
	if !strings.Contains(html, "<dt>分支机构</dt><dd>北京分行 (BJ000)（含下辖机构）</dd>") {
		t.Error("the page of a branch copy does not name its branch")
	}
	charts := rawCharts(t, html)
	for _, id := range []string{"trend", "pareto", "heatmap", "bands", "ontime", "overdue", "repeats", "provinces"} {
		if charts[id] == nil {
			t.Errorf("the page of a branch copy has no chart %s", id)
		}
	}
}
