package dashboards

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"time"

	"complaints/catalog"
	"complaints/reports/marts"
	"complaints/warehouse"
)

// Options of a dashboard run.
type Options struct {
	// From and To are the first and last months shown, "YYYY-MM". An empty To is the newest month in the marts;
	// an empty From is 12 months before To (13 months in all).
	From, To string
	// Lang is "zh" (default) or "en"; it also picks ECharts' built-in locale (ZH or EN).
	Lang string
	// Institution is shown in the header.
	Institution string
	// GeneratedAt is shown in the header; the caller passes time.Now() or the SOURCE_DATE_EPOCH time.
	GeneratedAt time.Time
	// Out is the .html path written (through a temporary file beside it).
	Out string
}

// DefaultMonths is how many months the dashboard shows when From is not given.
const DefaultMonths = 13

// maxMonths bounds the range a page holds.
const maxMonths = 240

// palette gives each business category a fixed colour by its position in the catalogue, so a category has the
// same colour in every chart and every dashboard; codes the catalogue does not know continue after it.
var palette = []string{
	"#5470c6", "#91cc75", "#fac858", "#ee6666", "#73c0de", "#3ba272", "#fc8452", "#9a60b4", "#ea7ccc", "#4e79a7",
	"#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac", "#1f77b4",
}

const (
	colourTotal    = "#333333"
	colourClosed   = "#7f7f7f"
	colourVitalFew = "#c23531"
	colourOthers   = "#b0b0b0"
	colourCumShare = "#2f4554"
)

// Write writes the dashboard for the months From..To.
func Write(ctx context.Context, db *sql.DB, opts Options) error {
	if opts.Out == "" {
		return errors.New("dashboard: no output path")
	}
	js, err := echartsScript()
	if err != nil {
		return fmt.Errorf("dashboard: %w", err)
	}
	lang := opts.Lang
	if lang != "en" {
		lang = "zh"
	}
	from, to, err := monthRange(ctx, db, opts.From, opts.To)
	if err != nil {
		return fmt.Errorf("dashboard: %w", err)
	}
	// The last month's MoM and YoY need the 12 months before it too.
	cats, err := marts.LoadCategoryMonths(ctx, db, min(from, to-12), to)
	if err != nil {
		return fmt.Errorf("dashboard %s..%s: %w", from, to, err)
	}
	causes, err := marts.LoadCauseMonths(ctx, db, from, to)
	if err != nil {
		return fmt.Errorf("dashboard %s..%s: %w", from, to, err)
	}
	d := build(lang, opts, from, to, cats, causes)
	page, err := render(d, js)
	if err != nil {
		return fmt.Errorf("dashboard %s..%s: %w", from, to, err)
	}
	return writeFileAtomic(opts.Out, page)
}

func monthRange(ctx context.Context, db *sql.DB, fromText, toText string) (from, to marts.Month, err error) {
	if toText == "" {
		latest, ok, err := marts.LatestMonth(ctx, db)
		if err != nil {
			return 0, 0, err
		}
		if !ok {
			return 0, 0, errors.New("mart_category_month is empty: ingest and normalise first, or give --to")
		}
		to = latest
	} else if to, err = marts.ParseMonth(toText); err != nil {
		return 0, 0, fmt.Errorf("--to: %w", err)
	}
	if fromText == "" {
		from = to - DefaultMonths + 1
	} else if from, err = marts.ParseMonth(fromText); err != nil {
		return 0, 0, fmt.Errorf("--from: %w", err)
	}
	if from > to {
		return 0, 0, fmt.Errorf("from %s is after to %s", from, to)
	}
	if int(to-from)+1 > maxMonths {
		return 0, 0, fmt.Errorf("%s..%s is %d months; at most %d fit a page", from, to, int(to-from)+1, maxMonths)
	}
	return from, to, nil
}

// page is everything the template shows. Charts are plain data: the template inlines them as JSON.
type page struct {
	Lang, HTMLLang, Locale, Title  string
	Institution, Period, Generated string
	LabelInstitution, LabelPeriod  string
	LabelGenerated                 string
	KPIs                           []kpi
	Charts                         []chartBlock
	TrendTable                     table
	ParetoTable                    table
	DataTable, NoData, DefVitalFew string
	DefTrend                       string
	HasCauses                      bool
	chartOptions                   map[string]any
}

type kpi struct{ Label, Value, MoM, YoY, MoMLabel, YoYLabel string }

type chartBlock struct {
	ID, Title, Note string
	Table           *table
}

type table struct {
	Header []string
	Rows   [][]string
}

func build(lang string, opts Options, from, to marts.Month, cats marts.CategoryMonths, causes marts.CauseMonths) *page {
	t := func(key string) string { return catalog.Text(key, lang) }
	p := &page{
		Lang: lang, HTMLLang: "zh-CN", Locale: "ZH",
		Title:            t("dashboard_title"),
		Institution:      opts.Institution,
		Period:           from.String() + " – " + to.String(),
		Generated:        warehouse.WallClockText(opts.GeneratedAt) + " (" + t("beijing_time") + ")",
		LabelInstitution: t("institution"), LabelPeriod: t("period_range"), LabelGenerated: t("generated_at"),
		DataTable: t("data_table"), NoData: t("no_data"), DefVitalFew: t("def_vital_few"), DefTrend: t("def_trend"),
		chartOptions: map[string]any{},
	}
	if lang == "en" {
		p.HTMLLang, p.Locale = "en", "EN"
	}

	// KPIs of the last month.
	last := marts.Period{Kind: marts.Monthly, Start: to, Len: 1}
	cur, prev, yago := cats.Total(last), cats.Total(last.Previous()), cats.Total(last.YearEarlier())
	pct := func(cur, base int64) string {
		if r, ok := marts.Change(cur, base); ok {
			return strconv.FormatFloat(r*100, 'f', 1, 64) + "%"
		}
		return t("no_base")
	}
	for _, k := range []struct {
		key string
		c   func(marts.CategoryFigures) int64
	}{
		{"received", func(f marts.CategoryFigures) int64 { return f.Received }},
		{"received_regulator", func(f marts.CategoryFigures) int64 { return f.ReceivedRegulator }},
		{"closed", func(f marts.CategoryFigures) int64 { return f.Closed }},
	} {
		p.KPIs = append(p.KPIs, kpi{
			Label: t(k.key) + " · " + to.String(), Value: strconv.FormatInt(k.c(cur), 10),
			MoMLabel: t("mom"), MoM: pct(k.c(cur), k.c(prev)), YoYLabel: t("yoy"), YoY: pct(k.c(cur), k.c(yago)),
		})
	}

	trend, trendTable := trendChart(lang, from, to, cats)
	p.chartOptions["trend"] = trend
	p.TrendTable = trendTable
	p.Charts = append(p.Charts, chartBlock{ID: "trend", Title: t("trend_title"), Note: t("def_trend"), Table: &p.TrendTable})

	breakdown := categoryChart(lang, to, cats)
	p.chartOptions["categories"] = breakdown
	p.Charts = append(p.Charts, chartBlock{ID: "categories", Title: t("category_breakdown_title") + " · " + to.String()})

	pareto, paretoTable := paretoChart(lang, from, to, causes)
	p.chartOptions["pareto"] = pareto
	p.ParetoTable = paretoTable
	p.HasCauses = len(paretoTable.Rows) > 0
	p.Charts = append(p.Charts, chartBlock{ID: "pareto", Title: t("pareto_title"), Note: t("def_vital_few"), Table: &p.ParetoTable})
	return p
}

func toolbox(name string) map[string]any {
	return map[string]any{"feature": map[string]any{"saveAsImage": map[string]any{"name": name, "pixelRatio": 2}}}
}

// categoryCodes lists the business categories to chart in catalogue order (unknown codes after), leaving out those
// with nothing in the months shown; colours come from the code's catalogue position, whatever is left out.
func categoryCodes(cats marts.CategoryMonths, from, to marts.Month) (codes []string, colour func(string) string) {
	all := marts.Period{Kind: marts.Monthly, Start: from, Len: int(to-from) + 1}
	sums := cats.Sum(all)
	var unknown []string
	for _, c := range cats.Codes() {
		if _, ok := catalog.Lookup("business_category", c); !ok {
			unknown = append(unknown, c)
		}
	}
	sort.Strings(unknown)
	codes = marts.OrderCodes("business_category", cats.Codes(), func(string) bool { return true })
	var kept []string
	for _, c := range codes {
		if sums[c].Received != 0 {
			kept = append(kept, c)
		}
	}
	colour = func(code string) string {
		return palette[marts.CatalogueIndex("business_category", code, unknown)%len(palette)]
	}
	return kept, colour
}

func trendChart(lang string, from, to marts.Month, cats marts.CategoryMonths) (map[string]any, table) {
	t := func(key string) string { return catalog.Text(key, lang) }
	var months []string
	for m := from; m <= to; m++ {
		months = append(months, m.String())
	}
	codes, colour := categoryCodes(cats, from, to)
	var series []any
	for _, code := range codes {
		data := make([]int64, 0, len(months))
		for m := from; m <= to; m++ {
			data = append(data, cats[m][code].Received)
		}
		series = append(series, map[string]any{
			"name": catalog.Label("business_category", code, lang), "type": "bar", "stack": "received",
			"emphasis": map[string]any{"focus": "series"}, "itemStyle": map[string]any{"color": colour(code)},
			"data": data,
		})
	}
	tbl := table{Header: []string{t("month"), t("received"), t("closed")}}
	totals, closed := make([]int64, 0, len(months)), make([]int64, 0, len(months))
	for m := from; m <= to; m++ {
		tot := cats.Total(marts.Period{Kind: marts.Monthly, Start: m, Len: 1})
		totals = append(totals, tot.Received)
		closed = append(closed, tot.Closed)
		tbl.Rows = append(tbl.Rows, []string{m.String(), strconv.FormatInt(tot.Received, 10), strconv.FormatInt(tot.Closed, 10)})
	}
	series = append(series,
		map[string]any{"name": t("total_received"), "type": "line", "data": totals, "symbol": "circle", "symbolSize": 6, "z": 10,
			"itemStyle": map[string]any{"color": colourTotal}, "lineStyle": map[string]any{"width": 2},
			"label": map[string]any{"show": true, "position": "top", "color": colourTotal}},
		map[string]any{"name": t("closed"), "type": "line", "data": closed, "symbol": "emptyCircle", "z": 9,
			"itemStyle": map[string]any{"color": colourClosed}, "lineStyle": map[string]any{"type": "dashed"}},
	)
	opt := map[string]any{
		"animation": false,
		"title":     map[string]any{"text": t("trend_title"), "subtext": months[0] + " – " + months[len(months)-1], "left": "center"},
		"tooltip":   map[string]any{"trigger": "axis", "axisPointer": map[string]any{"type": "shadow"}},
		"legend":    map[string]any{"type": "scroll", "bottom": 0},
		"toolbox":   toolbox("trend"),
		"grid":      map[string]any{"left": 24, "right": 40, "top": 80, "bottom": 110, "containLabel": true},
		"xAxis":     map[string]any{"type": "category", "name": t("month"), "nameLocation": "middle", "nameGap": 30, "data": months},
		"yAxis":     map[string]any{"type": "value", "name": t("trend_axis_received"), "minInterval": 1},
		"dataZoom":  []any{map[string]any{"type": "inside"}, map[string]any{"type": "slider", "bottom": 35, "height": 18}},
		"series":    series,
	}
	return opt, tbl
}

func categoryChart(lang string, to marts.Month, cats marts.CategoryMonths) map[string]any {
	t := func(key string) string { return catalog.Text(key, lang) }
	codes, colour := categoryCodes(cats, to, to)
	var names []string
	var data []any
	for _, code := range codes {
		names = append(names, catalog.Label("business_category", code, lang))
		data = append(data, map[string]any{"value": cats[to][code].Received, "itemStyle": map[string]any{"color": colour(code)}})
	}
	return map[string]any{
		"animation": false,
		"title":     map[string]any{"text": t("category_breakdown_title"), "subtext": to.String(), "left": "center"},
		"tooltip":   map[string]any{"trigger": "axis", "axisPointer": map[string]any{"type": "shadow"}},
		"toolbox":   toolbox("categories"),
		"grid":      map[string]any{"left": 24, "right": 60, "top": 70, "bottom": 30, "containLabel": true},
		"xAxis":     map[string]any{"type": "value", "name": t("trend_axis_received"), "nameLocation": "middle", "nameGap": 28, "minInterval": 1},
		"yAxis":     map[string]any{"type": "category", "data": names, "inverse": true},
		"series": []any{map[string]any{"name": t("received"), "type": "bar", "data": data,
			"label": map[string]any{"show": true, "position": "right"}}},
	}
}

// cause is one bar of the Pareto.
type cause struct {
	Code  string
	Count int64
}

// paretoCauses sorts causes by count (descending; ties in catalogue order, then by code) and counts the vital few:
// the smallest number of top causes whose cumulative share reaches 80% (domain.md section 8).
func paretoCauses(sums map[string]int64) (list []cause, total int64, vitalFew int) {
	var unknown []string
	for code, n := range sums {
		if n > 0 {
			list = append(list, cause{code, n})
			total += n
			if _, ok := catalog.Lookup("cause", code); !ok {
				unknown = append(unknown, code)
			}
		}
	}
	sort.Strings(unknown)
	sort.Slice(list, func(i, j int) bool {
		if list[i].Count != list[j].Count {
			return list[i].Count > list[j].Count
		}
		ii, jj := marts.CatalogueIndex("cause", list[i].Code, unknown), marts.CatalogueIndex("cause", list[j].Code, unknown)
		if ii != jj {
			return ii < jj
		}
		return list[i].Code < list[j].Code
	})
	var cum int64
	for i, c := range list {
		cum += c.Count
		if cum*5 >= total*4 { // cum/total >= 80%, in integers
			return list, total, i + 1
		}
	}
	return list, total, len(list)
}

func paretoChart(lang string, from, to marts.Month, causes marts.CauseMonths) (map[string]any, table) {
	t := func(key string) string { return catalog.Text(key, lang) }
	list, total, vital := paretoCauses(causes.Sum(from, to))
	tbl := table{Header: []string{t("cause"), t("received"), t("share_of_received"), t("cumulative_share"), t("vital_few")}}
	names := make([]string, 0, len(list))
	vitalData, otherData, cumData := make([]any, 0, len(list)), make([]any, 0, len(list)), make([]float64, 0, len(list))
	var cum int64
	for i, c := range list {
		label := catalog.Label("cause", c.Code, lang)
		names = append(names, label)
		cum += c.Count
		share := math.Round(float64(cum)*1000/float64(total)) / 10
		cumData = append(cumData, share)
		mark := ""
		if i < vital {
			vitalData, otherData = append(vitalData, c.Count), append(otherData, nil)
			mark = "✓"
		} else {
			vitalData, otherData = append(vitalData, nil), append(otherData, c.Count)
		}
		tbl.Rows = append(tbl.Rows, []string{label, strconv.FormatInt(c.Count, 10),
			strconv.FormatFloat(float64(c.Count)*100/float64(total), 'f', 1, 64) + "%",
			strconv.FormatFloat(share, 'f', 1, 64) + "%", mark})
	}
	opt := map[string]any{
		"animation": false,
		"title":     map[string]any{"text": t("pareto_title"), "subtext": from.String() + " – " + to.String(), "left": "center"},
		"tooltip":   map[string]any{"trigger": "axis", "axisPointer": map[string]any{"type": "shadow"}},
		"legend":    map[string]any{"bottom": 0, "data": []string{t("vital_few"), t("other_causes"), t("cumulative_share")}},
		"toolbox":   toolbox("pareto"),
		"grid":      map[string]any{"left": 24, "right": 24, "top": 80, "bottom": 50, "containLabel": true},
		"xAxis": map[string]any{"type": "category", "name": t("cause"), "nameLocation": "middle", "nameGap": 90, "data": names,
			"axisLabel": map[string]any{"interval": 0, "rotate": 30, "width": 110, "overflow": "truncate"}},
		"yAxis": []any{
			map[string]any{"type": "value", "name": t("pareto_axis_count"), "minInterval": 1},
			map[string]any{"type": "value", "name": t("pareto_axis_share"), "min": 0, "max": 100, "interval": 20,
				"axisLabel": map[string]any{"formatter": "{value}%"}, "splitLine": map[string]any{"show": false}},
		},
		"series": []any{
			map[string]any{"name": t("vital_few"), "type": "bar", "stack": "causes", "data": vitalData,
				"itemStyle": map[string]any{"color": colourVitalFew}, "label": map[string]any{"show": true, "position": "top"}},
			map[string]any{"name": t("other_causes"), "type": "bar", "stack": "causes", "data": otherData,
				"itemStyle": map[string]any{"color": colourOthers}, "label": map[string]any{"show": true, "position": "top"}},
			map[string]any{"name": t("cumulative_share"), "type": "line", "yAxisIndex": 1, "data": cumData, "symbol": "circle",
				"itemStyle": map[string]any{"color": colourCumShare},
				"markLine": map[string]any{"silent": true, "symbol": "none",
					"lineStyle": map[string]any{"type": "dashed", "color": colourVitalFew},
					"label":     map[string]any{"formatter": t("threshold_80"), "position": "insideEndTop"},
					"data":      []any{map[string]any{"yAxis": 80, "name": t("threshold_80")}}}},
		},
	}
	return opt, tbl
}

// chartData is the JSON document the page's own script reads: ECharts' locale and each chart's option.
type chartData struct {
	Locale string         `json:"locale"`
	Charts map[string]any `json:"charts"`
}

func render(p *page, echarts []byte) ([]byte, error) {
	// encoding/json escapes <, > and & (and U+2028/2029) inside strings, so no data string can close the
	// <script> element or start markup; functions cannot be expressed in it at all.
	data, err := json.Marshal(chartData{Locale: p.Locale, Charts: p.chartOptions})
	if err != nil {
		return nil, fmt.Errorf("chart data: %w", err)
	}
	var buf bytes.Buffer
	err = pageTemplate.Execute(&buf, struct {
		*page
		ECharts template.JS
		Data    template.JS
		Init    template.JS
		CSS     template.CSS
	}{p, template.JS(echarts), template.JS(data), template.JS(initScript), template.CSS(stylesheet)})
	if err != nil {
		return nil, fmt.Errorf("render page: %w", err)
	}
	return buf.Bytes(), nil
}

func writeFileAtomic(path string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write %q: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return fmt.Errorf("write %q: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %q: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("write %q: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %q: %w", path, err)
	}
	return nil
}
