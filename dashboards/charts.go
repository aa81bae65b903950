package dashboards

import (
	"math"
	"sort"
	"strconv"

	"complaints/catalog"
	"complaints/readmodel"
)

// The charts of the root-cause, timeliness, geography and recurring sections. Each returns an ECharts option as
// plain data (and, where useful, the table shown under it); every option has a title, axis names with units (or
// a unit in the subtitle for charts without axes), a tooltip and the saveAsImage tool.

func roundTo1(x float64) float64 { return math.Round(x*10) / 10 }

func rangeText(from, to readmodel.Month) string { return from.String() + " – " + to.String() }

func baseOption(lang, id, title, subtext string) map[string]any {
	return map[string]any{
		"animation": false,
		"title":     map[string]any{"text": title, "subtext": subtext, "left": "center"},
		"toolbox":   toolbox(id),
	}
}

// ranked is a code with a count, sorted by count (descending), ties by catalogue position then code.
type ranked struct {
	code string
	n    int64
}

func rank(dim string, sums map[string]int64, lastCode string) []ranked {
	var unknown []string
	var out []ranked
	for code, n := range sums {
		if n == 0 {
			continue
		}
		out = append(out, ranked{code, n})
		if _, ok := catalog.Lookup(dim, code); !ok {
			unknown = append(unknown, code)
		}
	}
	sort.Strings(unknown)
	sort.Slice(out, func(i, j int) bool {
		if out[i].n != out[j].n {
			return out[i].n > out[j].n
		}
		if (out[i].code == lastCode) != (out[j].code == lastCode) {
			return out[j].code == lastCode
		}
		ii, jj := readmodel.CatalogueIndex(dim, out[i].code, unknown), readmodel.CatalogueIndex(dim, out[j].code, unknown)
		if ii != jj {
			return ii < jj
		}
		return out[i].code < out[j].code
	})
	return out
}

// treemapChart nests causes in business categories, each area the complaints received over the range.
func treemapChart(lang string, from, to readmodel.Month, rows []readmodel.DashDimensionSum, col colours) map[string]any {
	t := func(key string) string { return catalog.Text(key, lang) }
	byCat := map[string]int64{}
	byPair := map[string]map[string]int64{}
	for _, r := range rows {
		byCat[r.Keys[0]] += r.Received
		if byPair[r.Keys[0]] == nil {
			byPair[r.Keys[0]] = map[string]int64{}
		}
		byPair[r.Keys[0]][r.Keys[1]] += r.Received
	}
	var data []any
	for _, c := range rank("business_category", byCat, "") {
		var children []any
		for _, k := range rank("cause", byPair[c.code], "") {
			children = append(children, map[string]any{"name": catalog.Label("cause", k.code, lang), "value": k.n,
				"itemStyle": map[string]any{"color": col.of("cause", k.code)}})
		}
		data = append(data, map[string]any{"name": catalog.Label("business_category", c.code, lang), "value": c.n,
			"itemStyle": map[string]any{"color": col.category(c.code), "borderColor": col.category(c.code)},
			"children":  children})
	}
	opt := baseOption(lang, "treemap", t("dash_treemap_title"), rangeText(from, to)+" · "+t("unit"))
	opt["tooltip"] = map[string]any{"trigger": "item"}
	opt["series"] = []any{map[string]any{
		"name": t("received"), "type": "treemap", "roam": false, "nodeClick": false, "top": 70, "bottom": 10,
		"breadcrumb": map[string]any{"show": false},
		"upperLabel": map[string]any{"show": true, "height": 22, "color": "#fff"},
		"label":      map[string]any{"show": true},
		"levels": []any{
			map[string]any{"itemStyle": map[string]any{"borderWidth": 0, "gapWidth": 2}},
			map[string]any{"itemStyle": map[string]any{"borderWidth": 3, "gapWidth": 1}, "upperLabel": map[string]any{"show": true}},
			map[string]any{"itemStyle": map[string]any{"borderWidth": 0}},
		},
		"data": data,
	}}
	return opt
}

// sankeyChart flows from intake channel to business category to cause. Node names must be unique across the
// three columns, so a label that two dimensions share (其他, or an unknown code used in both) carries its
// dimension's name.
func sankeyChart(lang string, from, to readmodel.Month, rows []readmodel.DashDimensionSum, col colours) map[string]any {
	t := func(key string) string { return catalog.Text(key, lang) }
	dims := []string{"intake_channel", "business_category", "cause"}
	sums := make([]map[string]int64, 3)
	for i := range sums {
		sums[i] = map[string]int64{}
	}
	type link struct {
		level int
		a, b  string
	}
	links := map[link]int64{}
	for _, r := range rows {
		for i := range dims {
			sums[i][r.Keys[i]] += r.Received
		}
		links[link{0, r.Keys[0], r.Keys[1]}] += r.Received
		links[link{1, r.Keys[1], r.Keys[2]}] += r.Received
	}
	labelCount := map[string]int{}
	ordered := make([][]ranked, 3)
	for i, dim := range dims {
		ordered[i] = rank(dim, sums[i], "")
		for _, r := range ordered[i] {
			labelCount[catalog.Label(dim, r.code, lang)]++
		}
	}
	names := make([]map[string]string, 3)
	used := map[string]bool{}
	var nodes []any
	for i, dim := range dims {
		names[i] = map[string]string{}
		for _, r := range ordered[i] {
			name := catalog.Label(dim, r.code, lang)
			if labelCount[name] > 1 {
				name += "（" + catalog.Text(dim, lang) + "）"
			}
			for n := 2; used[name]; n++ {
				name = catalog.Label(dim, r.code, lang) + "（" + catalog.Text(dim, lang) + " " + strconv.Itoa(n) + "）"
			}
			used[name] = true
			names[i][r.code] = name
			nodes = append(nodes, map[string]any{"name": name, "depth": i, "itemStyle": map[string]any{"color": col.of(dim, r.code)},
				"drill": drillKey(dim, r.code)})
		}
	}
	var keys []link
	for k, n := range links {
		if n > 0 {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].level != keys[j].level {
			return keys[i].level < keys[j].level
		}
		if keys[i].a != keys[j].a {
			return keys[i].a < keys[j].a
		}
		return keys[i].b < keys[j].b
	})
	var data []any
	for _, k := range keys {
		data = append(data, map[string]any{"source": names[k.level][k.a], "target": names[k.level+1][k.b], "value": links[k]})
	}
	opt := baseOption(lang, "sankey", t("dash_sankey_title"), rangeText(from, to)+" · "+t("unit"))
	opt["tooltip"] = map[string]any{"trigger": "item"}
	opt["series"] = []any{map[string]any{
		"name": t("received"), "type": "sankey", "top": 70, "bottom": 20, "left": 20, "right": 160,
		"nodeAlign": "justify", "layoutIterations": 32, "emphasis": map[string]any{"focus": "adjacency"},
		"lineStyle": map[string]any{"color": "gradient", "opacity": 0.35},
		"label":     map[string]any{"fontSize": 11},
		"data":      nodes, "links": data,
	}}
	return opt
}

// heatmapChart crosses the top branches (by received) with causes.
func heatmapChart(lang, title string, from, to readmodel.Month, rows []readmodel.DashDimensionSum, names branchNames) (map[string]any, table) {
	t := func(key string) string { return catalog.Text(key, lang) }
	byBranch, byCause := map[string]int64{}, map[string]int64{}
	cell := map[[2]string]int64{}
	for _, r := range rows {
		byBranch[r.Keys[0]] += r.Received
		byCause[r.Keys[1]] += r.Received
		cell[[2]string{r.Keys[0], r.Keys[1]}] += r.Received
	}
	branches := rankBranches(byBranch)
	if len(branches) > topBranches {
		branches = branches[:topBranches]
	}
	// Causes of the branches shown only.
	shownCause := map[string]int64{}
	for _, b := range branches {
		for c := range byCause {
			shownCause[c] += cell[[2]string{b.code, c}]
		}
	}
	causes := rank("cause", shownCause, "")
	var xs, ys []string
	for _, c := range causes {
		xs = append(xs, catalog.Label("cause", c.code, lang))
	}
	tbl := table{Header: append([]string{t("dash_branch")}, xs...)}
	var data []any
	var maxV int64
	for y, b := range branches {
		ys = append(ys, names.label(b.code, lang))
		row := []string{names.label(b.code, lang)}
		for x, c := range causes {
			v := cell[[2]string{b.code, c.code}]
			row = append(row, grouped(v))
			if v > 0 {
				data = append(data, []any{x, y, v})
				maxV = max(maxV, v)
			}
		}
		tbl.Rows = append(tbl.Rows, row)
	}
	opt := baseOption(lang, "heatmap", title, rangeText(from, to)+" · "+t("unit"))
	opt["tooltip"] = map[string]any{"trigger": "item", "position": "top"}
	opt["grid"] = map[string]any{"left": 24, "right": 40, "top": 80, "bottom": 90, "containLabel": true}
	opt["xAxis"] = map[string]any{"type": "category", "name": t("cause"), "nameLocation": "middle", "nameGap": 70, "data": xs,
		"splitArea": map[string]any{"show": true}, "axisLabel": map[string]any{"interval": 0, "rotate": 30, "width": 110, "overflow": "truncate"}}
	opt["yAxis"] = map[string]any{"type": "category", "name": t("dash_branch"), "data": ys, "inverse": true,
		"splitArea": map[string]any{"show": true}, "axisLabel": map[string]any{"width": 140, "overflow": "truncate"}}
	opt["visualMap"] = map[string]any{"min": 0, "max": max(maxV, 1), "calculable": true, "orient": "horizontal",
		"left": "center", "bottom": 0, "text": []string{t("dash_axis_count"), ""}, "inRange": map[string]any{"color": heatColours}}
	opt["series"] = []any{map[string]any{"name": t("received"), "type": "heatmap", "data": data,
		"label": map[string]any{"show": true}, "emphasis": map[string]any{"itemStyle": map[string]any{"borderColor": "#333", "borderWidth": 1}}}}
	return opt, tbl
}

// rankBranches sorts branches by received (descending), the "no branch" group last among equals, then by name.
func rankBranches(sums map[string]int64) []ranked {
	var out []ranked
	for code, n := range sums {
		if n > 0 {
			out = append(out, ranked{code, n})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].n != out[j].n {
			return out[i].n > out[j].n
		}
		if (out[i].code == "") != (out[j].code == "") {
			return out[j].code == ""
		}
		return out[i].code < out[j].code
	})
	return out
}

func monthsOf(from, to readmodel.Month) []string {
	var out []string
	for m := from; m <= to; m++ {
		out = append(out, m.String())
	}
	return out
}

// bandsChart shows complaints closed over the range in the four handling-day bands, and a fifth bar "not recorded"
// when some closed complaints have no handling days (sources without reply dates), so the bars add up to closed.
func bandsChart(lang string, from, to readmodel.Month, months map[readmodel.Month]readmodel.DashMonthFigures) (map[string]any, table) {
	t := func(key string) string { return catalog.Text(key, lang) }
	b := make([]int64, 5)
	for m := from; m <= to; m++ {
		f := months[m]
		b[0] += f.Closed0To15
		b[1] += f.Closed16To30
		b[2] += f.Closed31To60
		b[3] += f.ClosedOver60
		b[4] += f.ClosedDaysUnknown
	}
	keys := []string{"dash_band_0_15", "dash_band_16_30", "dash_band_31_60", "dash_band_over_60"}
	colours := bandColours
	if b[4] > 0 {
		keys = append(keys, "dash_band_not_recorded")
		colours = append(colours[:4:4], bandNotRecordedColour)
	}
	var total int64
	for i := range keys {
		total += b[i]
	}
	tbl := table{Header: []string{t("dash_handling_days"), t("closed"), t("dash_share_of_closed")}}
	var names []string
	var data []any
	for i, k := range keys {
		names = append(names, t(k))
		data = append(data, map[string]any{"value": b[i], "itemStyle": map[string]any{"color": colours[i]}})
		share := t("no_base")
		if r, ok := readmodel.Share(b[i], total); ok {
			share = formatPct(r)
		}
		tbl.Rows = append(tbl.Rows, []string{t(k), grouped(b[i]), share})
	}
	tbl.Rows = append(tbl.Rows, []string{t("total"), grouped(total), ""})
	opt := baseOption(lang, "bands", t("dash_bands_title"), rangeText(from, to))
	opt["tooltip"] = map[string]any{"trigger": "axis", "axisPointer": map[string]any{"type": "shadow"}}
	opt["grid"] = map[string]any{"left": 24, "right": 40, "top": 80, "bottom": 40, "containLabel": true}
	opt["xAxis"] = map[string]any{"type": "category", "name": t("dash_handling_days"), "nameLocation": "middle", "nameGap": 30, "data": names}
	opt["yAxis"] = map[string]any{"type": "value", "name": t("dash_axis_closed"), "minInterval": 1}
	opt["series"] = []any{map[string]any{"name": t("closed"), "type": "bar", "data": data, "barMaxWidth": 80,
		"label": map[string]any{"show": true, "position": "top"}}}
	return opt, tbl
}

// onTimeChart draws the monthly on-time rates on both clocks against the target.
func onTimeChart(lang string, from, to readmodel.Month, months map[readmodel.Month]readmodel.DashMonthFigures, target float64) (map[string]any, table) {
	t := func(key string) string { return catalog.Text(key, lang) }
	var reg, inn []*float64
	tbl := table{Header: []string{t("month"), t("closed"), t("dash_ontime_regulatory"), t("dash_ontime_internal")}}
	lowest := target * 100
	show := func(v *float64) string {
		if v == nil {
			return t("no_base")
		}
		lowest = min(lowest, *v)
		return strconv.FormatFloat(*v, 'f', 1, 64) + "%"
	}
	for m := from; m <= to; m++ {
		f := months[m]
		r, i := rate1(f.RegulatoryOnTime, f.RegulatoryKnown), rate1(f.InternalOnTime, f.InternalKnown)
		reg, inn = append(reg, r), append(inn, i)
		tbl.Rows = append(tbl.Rows, []string{m.String(), grouped(f.Closed), show(r), show(i)})
	}
	targetPct := roundTo1(target * 100)
	opt := baseOption(lang, "ontime", t("dash_ontime_title"), rangeText(from, to))
	opt["tooltip"] = map[string]any{"trigger": "axis"}
	opt["legend"] = map[string]any{"bottom": 0}
	opt["grid"] = map[string]any{"left": 24, "right": 60, "top": 80, "bottom": 50, "containLabel": true}
	opt["xAxis"] = map[string]any{"type": "category", "name": t("month"), "nameLocation": "middle", "nameGap": 30, "data": monthsOf(from, to)}
	opt["yAxis"] = map[string]any{"type": "value", "name": t("dash_axis_rate"), "max": 100, "min": math.Floor(lowest/10) * 10,
		"axisLabel": map[string]any{"formatter": "{value}%"}}
	opt["series"] = []any{
		map[string]any{"name": t("dash_ontime_regulatory"), "type": "line", "data": reg, "symbol": "circle", "connectNulls": false,
			"itemStyle": map[string]any{"color": colourRegClock},
			"markLine": map[string]any{"silent": true, "symbol": "none",
				"lineStyle": map[string]any{"type": "dashed", "color": colourTarget},
				"label":     map[string]any{"formatter": t("dash_target") + " " + strconv.FormatFloat(targetPct, 'f', -1, 64) + "%", "position": "insideEndTop"},
				"data":      []any{map[string]any{"yAxis": targetPct, "name": t("dash_target")}}}},
		map[string]any{"name": t("dash_ontime_internal"), "type": "line", "data": inn, "symbol": "diamond", "connectNulls": false,
			"itemStyle": map[string]any{"color": colourIntClock}, "lineStyle": map[string]any{"type": "dashed"}},
	}
	return opt, tbl
}

// overdueChart shows overdue (and open) complaints at each month's end; a month before any data (noData) is a
// gap and '—'.
func overdueChart(lang string, from, to readmodel.Month, months map[readmodel.Month]readmodel.DashMonthFigures, noData func(readmodel.Month) bool) (map[string]any, table) {
	t := func(key string) string { return catalog.Text(key, lang) }
	var overdue, open []any
	tbl := table{Header: []string{t("month"), t("dash_overdue_at_end"), t("dash_open_at_end")}}
	for m := from; m <= to; m++ {
		if noData(m) {
			overdue, open = append(overdue, nil), append(open, nil)
			tbl.Rows = append(tbl.Rows, []string{m.String(), t("cov_no_data"), t("cov_no_data")})
			continue
		}
		f := months[m]
		overdue, open = append(overdue, f.OverdueAtEnd), append(open, f.OpenAtEnd)
		tbl.Rows = append(tbl.Rows, []string{m.String(), grouped(f.OverdueAtEnd), grouped(f.OpenAtEnd)})
	}
	opt := baseOption(lang, "overdue", t("dash_overdue_title"), rangeText(from, to))
	opt["tooltip"] = map[string]any{"trigger": "axis", "axisPointer": map[string]any{"type": "shadow"}}
	opt["legend"] = map[string]any{"bottom": 0}
	opt["grid"] = map[string]any{"left": 24, "right": 40, "top": 80, "bottom": 50, "containLabel": true}
	opt["xAxis"] = map[string]any{"type": "category", "name": t("month"), "nameLocation": "middle", "nameGap": 30, "data": monthsOf(from, to)}
	opt["yAxis"] = map[string]any{"type": "value", "name": t("dash_axis_overdue"), "minInterval": 1}
	opt["series"] = []any{
		map[string]any{"name": t("dash_overdue_at_end"), "type": "bar", "data": overdue, "itemStyle": map[string]any{"color": colourOverdue},
			"label": map[string]any{"show": true, "position": "top"}},
		map[string]any{"name": t("dash_open_at_end"), "type": "line", "data": open, "itemStyle": map[string]any{"color": colourOpen},
			"lineStyle": map[string]any{"type": "dashed"}},
	}
	return opt, tbl
}

// provinceChart ranks provinces by complaints received over the range.
func provinceChart(lang string, from, to readmodel.Month, rows []readmodel.DashDimensionSum) (map[string]any, table) {
	t := func(key string) string { return catalog.Text(key, lang) }
	sums := map[string]int64{}
	var total int64
	for _, r := range rows {
		sums[r.Keys[0]] += r.Received
		total += r.Received
	}
	tbl := table{Header: []string{t("dash_province"), t("received"), t("share_of_received")}}
	var names []string
	var data []int64
	for _, r := range rank("province", sums, "") {
		name := provinceLabel(r.code, lang)
		names = append(names, name)
		data = append(data, r.n)
		share, _ := readmodel.Share(r.n, total)
		tbl.Rows = append(tbl.Rows, []string{name, grouped(r.n), formatPct(share)})
	}
	opt := baseOption(lang, "provinces", t("dash_province_title"), rangeText(from, to))
	opt["tooltip"] = map[string]any{"trigger": "axis", "axisPointer": map[string]any{"type": "shadow"}}
	opt["grid"] = map[string]any{"left": 24, "right": 60, "top": 70, "bottom": 40, "containLabel": true}
	opt["xAxis"] = map[string]any{"type": "value", "name": t("trend_axis_received"), "nameLocation": "middle", "nameGap": 28, "minInterval": 1}
	opt["yAxis"] = map[string]any{"type": "category", "name": t("dash_province"), "data": names, "inverse": true}
	opt["series"] = []any{map[string]any{"name": t("received"), "type": "bar", "data": data,
		"itemStyle": map[string]any{"color": colourBars}, "label": map[string]any{"show": true, "position": "right"}}}
	return opt, tbl
}

// repeatsChart shows repeat complainants and their complaints per month, and those complaints' share of received;
// a month before any data (noData) is a gap and '—'.
func repeatsChart(lang string, from, to readmodel.Month, repeats map[readmodel.Month]readmodel.DashRepeatFigures, noData func(readmodel.Month) bool) (map[string]any, table) {
	t := func(key string) string { return catalog.Text(key, lang) }
	var customers, complaints []any
	var share []*float64
	tbl := table{Header: []string{t("month"), t("received"), t("dash_repeat_customers"), t("dash_repeat_complaints"), t("dash_repeat_share")}}
	for m := from; m <= to; m++ {
		if noData(m) {
			customers, complaints, share = append(customers, nil), append(complaints, nil), append(share, nil)
			nd := t("cov_no_data")
			tbl.Rows = append(tbl.Rows, []string{m.String(), nd, nd, nd, nd})
			continue
		}
		f := repeats[m]
		customers, complaints = append(customers, f.RepeatCustomers), append(complaints, f.RepeatComplaints)
		s := rate1(f.RepeatComplaints, f.Received)
		share = append(share, s)
		st := t("no_base")
		if s != nil {
			st = strconv.FormatFloat(*s, 'f', 1, 64) + "%"
		}
		tbl.Rows = append(tbl.Rows, []string{m.String(), grouped(f.Received), grouped(f.RepeatCustomers),
			grouped(f.RepeatComplaints), st})
	}
	opt := baseOption(lang, "repeats", t("dash_repeats_title"), rangeText(from, to))
	opt["tooltip"] = map[string]any{"trigger": "axis"}
	opt["legend"] = map[string]any{"bottom": 0}
	opt["grid"] = map[string]any{"left": 24, "right": 24, "top": 80, "bottom": 50, "containLabel": true}
	opt["xAxis"] = map[string]any{"type": "category", "name": t("month"), "nameLocation": "middle", "nameGap": 30, "data": monthsOf(from, to)}
	opt["yAxis"] = []any{
		map[string]any{"type": "value", "name": t("dash_axis_persons"), "minInterval": 1},
		map[string]any{"type": "value", "name": t("dash_axis_share"), "min": 0, "axisLabel": map[string]any{"formatter": "{value}%"},
			"splitLine": map[string]any{"show": false}},
	}
	opt["series"] = []any{
		map[string]any{"name": t("dash_repeat_customers"), "type": "bar", "data": customers, "itemStyle": map[string]any{"color": "#5470c6"}},
		map[string]any{"name": t("dash_repeat_complaints"), "type": "bar", "data": complaints, "itemStyle": map[string]any{"color": "#91cc75"}},
		map[string]any{"name": t("dash_repeat_share"), "type": "line", "yAxisIndex": 1, "data": share, "symbol": "circle",
			"itemStyle": map[string]any{"color": colourCumShare}},
	}
	return opt, tbl
}

// roundTo rounds x to digits decimals (chart data: shorter JSON, and the value the table shows).
func roundTo(x float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(x*p) / p
}
