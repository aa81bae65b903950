package dashboards

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"sort"
	"strconv"

	"complaints/catalog"
	"complaints/readmodel"
)

func toolbox(name string) map[string]any {
	return map[string]any{"feature": map[string]any{"saveAsImage": map[string]any{"name": name, "pixelRatio": 2}}}
}

// categoryCodes lists the business categories to chart in catalogue order (unknown codes after), leaving out those
// with nothing in the months shown.
func categoryCodes(cats readmodel.CategoryMonths, from, to readmodel.Month) []string {
	all := readmodel.Period{Kind: readmodel.Monthly, Start: from, Len: int(to-from) + 1}
	sums := cats.Sum(all)
	codes := readmodel.OrderCodes("business_category", cats.Codes(), func(string) bool { return true })
	var kept []string
	for _, c := range codes {
		if sums[c].Received != 0 {
			kept = append(kept, c)
		}
	}
	return kept
}

// trendChart stacks received by business category per month; the closed line only where the page has closed
// in the month (not on a branch page).
// A month before any data (noData) is a gap in the chart and '—' in its table, never 0.
func trendChart(lang string, from, to readmodel.Month, cats readmodel.CategoryMonths, col colours, noData func(readmodel.Month) bool) (map[string]any, table) {
	t := func(key string) string { return catalog.Text(key, lang) }
	var months []string
	for m := from; m <= to; m++ {
		months = append(months, m.String())
	}
	codes := categoryCodes(cats, from, to)
	colour := col.category
	var series []any
	for _, code := range codes {
		data := make([]any, 0, len(months))
		for m := from; m <= to; m++ {
			if noData(m) {
				data = append(data, nil) // null: ECharts' empty value, a gap
				continue
			}
			data = append(data, cats[m][code].Received)
		}
		series = append(series, map[string]any{
			"name": catalog.Label("business_category", code, lang), "type": "bar", "stack": "received",
			"emphasis": map[string]any{"focus": "series"}, "itemStyle": map[string]any{"color": colour(code)},
			"data": data,
		})
	}
	tbl := table{Header: []string{t("month"), t("received"), t("closed")}}
	totals, closed := make([]any, 0, len(months)), make([]any, 0, len(months))
	for m := from; m <= to; m++ {
		if noData(m) {
			totals, closed = append(totals, nil), append(closed, nil)
			tbl.Rows = append(tbl.Rows, []string{m.String(), t("cov_no_data"), t("cov_no_data")})
			continue
		}
		tot := cats.Total(readmodel.Period{Kind: readmodel.Monthly, Start: m, Len: 1})
		totals = append(totals, tot.Received)
		closed = append(closed, tot.Closed)
		tbl.Rows = append(tbl.Rows, []string{m.String(), grouped(tot.Received), grouped(tot.Closed)})
	}
	series = append(series,
		map[string]any{"name": t("total_received"), "type": "line", "data": totals, "symbol": "circle", "symbolSize": 6, "z": 10,
			"itemStyle": map[string]any{"color": colourTotal}, "lineStyle": map[string]any{"width": 2},
			"label": map[string]any{"show": true, "position": "top", "color": colourTotal}})
	series = append(series, map[string]any{"name": t("closed"), "type": "line", "data": closed, "symbol": "emptyCircle", "z": 9,
		"itemStyle": map[string]any{"color": colourClosed}, "lineStyle": map[string]any{"type": "dashed"}})
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

func categoryChart(lang string, to readmodel.Month, cats readmodel.CategoryMonths, col colours) map[string]any {
	t := func(key string) string { return catalog.Text(key, lang) }
	codes := categoryCodes(cats, to, to)
	colour := col.category
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
		"yAxis":     map[string]any{"type": "category", "name": t("business_category"), "data": names, "inverse": true},
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
		ii, jj := readmodel.CatalogueIndex("cause", list[i].Code, unknown), readmodel.CatalogueIndex("cause", list[j].Code, unknown)
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

func paretoChart(lang string, from, to readmodel.Month, sums map[string]int64) (map[string]any, table) {
	t := func(key string) string { return catalog.Text(key, lang) }
	list, total, vital := paretoCauses(sums)
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
		tbl.Rows = append(tbl.Rows, []string{label, grouped(c.Count),
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
	Drill  *drillDoc      `json:"drill,omitempty"`
}

// alignAxisNames keeps value-axis names inside the chart: a name centred on a left axis is cut at the edge, so it
// starts at the axis line instead (and ends at it on a right-hand axis).
func alignAxisNames(opts map[string]any) {
	for _, o := range opts {
		opt, _ := o.(map[string]any)
		axes, ok := opt["yAxis"].([]any)
		if !ok {
			if a, isMap := opt["yAxis"].(map[string]any); isMap {
				axes = []any{a}
			}
		}
		for i, a := range axes {
			ax, _ := a.(map[string]any)
			if ax != nil && ax["name"] != nil && ax["type"] == "category" && ax["inverse"] == true && ax["nameLocation"] == nil {
				ax["nameLocation"] = "start" // the top of an inverted axis, clear of the value axis' 0
			}
			if ax == nil || ax["name"] == nil || ax["nameTextStyle"] != nil || ax["type"] != "value" {
				continue
			}
			align := "left"
			if i > 0 {
				align = "right"
			}
			ax["nameTextStyle"] = map[string]any{"align": align}
		}
	}
}

// render inlines ECharts, then (a --map page) the China map script, which registers the map "china" with it.
func render(p *page, echarts, chinaMap []byte) ([]byte, error) {
	alignAxisNames(p.chartOptions)
	// encoding/json escapes <, > and & (and U+2028/2029) inside strings, so no data string can close the
	// <script> element or start markup; functions cannot be expressed in it at all.
	data, err := json.Marshal(chartData{Locale: p.Locale, Charts: p.chartOptions, Drill: p.drill})
	if err != nil {
		return nil, fmt.Errorf("chart data: %w", err)
	}
	var buf bytes.Buffer
	err = pageTemplate.Execute(&buf, struct {
		*page
		ECharts  template.JS
		ChinaMap template.JS
		Data     template.JS
		Init     template.JS
		CSS      template.CSS
	}{p, template.JS(echarts), template.JS(chinaMap), template.JS(data), template.JS(initScript), template.CSS(stylesheet)})
	if err != nil {
		return nil, fmt.Errorf("render page: %w", err)
	}
	return buf.Bytes(), nil
}
