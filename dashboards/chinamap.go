package dashboards

import (
	"complaints/catalog"
	"complaints/readmodel"
)

// The China map (`--map`): china.js of npm echarts@4.9.0 registers the map "china", whose 34 regions are named by
// short forms (广东, 广西, 北京, 内蒙古 ...). The marts hold GB/T 2260 province codes; the catalogue's province
// dimension gives each code its full name (广东省, 广西壮族自治区 ...) and the short form china.js uses.

// provinceCode returns the catalogue's code of a province given as a GB/T 2260 code, full name or any synonym of
// the province dimension; false for a text that names no province (or the empty "not recorded").
func provinceCode(province string) (string, bool) {
	if _, ok := catalog.Lookup("province", province); ok {
		return province, true
	}
	if n := catalog.Normalize(province); n != "" {
		for _, syn := range catalog.Synonyms() {
			if syn.Dimension == "province" && syn.Text == n {
				return syn.Code, true
			}
		}
	}
	return "", false
}

// mapRegion returns the china.js region name (the short form) of a province given as provinceCode takes it.
func mapRegion(province string) (string, bool) {
	code, ok := provinceCode(province)
	if !ok {
		return "", false
	}
	c, _ := catalog.Lookup("province", code)
	return c.Short, c.Short != ""
}

// mapChart colours every province of the map by the complaints received over the range. Every region of the
// catalogue is in the data (0 where none was received) so that the tooltip never reads NaN; a series nameMap shows
// the regions by the page's province labels (广东省 / Guangdong) rather than china.js's short forms. Complaints
// with no province, or one the catalogue does not know, are not on the map (the ranked chart beside it lists them).
func mapChart(lang string, from, to readmodel.Month, rows []readmodel.DashDimensionSum) map[string]any {
	t := func(key string) string { return catalog.Text(key, lang) }
	sums := map[string]int64{}
	for _, r := range rows {
		if code, ok := provinceCode(r.Keys[0]); ok {
			sums[code] += r.Received
		}
	}
	nameMap := map[string]string{}
	var data []any
	var maxV int64
	for _, c := range catalog.Dimension("province") {
		if c.Short == "" {
			continue
		}
		label := c.Label(lang)
		nameMap[c.Short] = label
		data = append(data, map[string]any{"name": label, "value": sums[c.Code]})
		maxV = max(maxV, sums[c.Code])
	}
	opt := baseOption(lang, "map", t("dash_map_title"), rangeText(from, to)+" · "+t("unit"))
	opt["tooltip"] = map[string]any{"trigger": "item"}
	opt["visualMap"] = map[string]any{"type": "continuous", "min": 0, "max": max(maxV, 1), "calculable": true,
		"left": 10, "bottom": 10, "text": []string{t("dash_axis_count"), ""}, "inRange": map[string]any{"color": heatColours}}
	opt["series"] = []any{map[string]any{
		"name": t("received"), "type": "map", "map": "china", "roam": false, "top": 70, "bottom": 20,
		"nameMap": nameMap, "label": map[string]any{"show": false},
		"emphasis": map[string]any{"label": map[string]any{"show": true}},
		"data":     data,
	}}
	return opt
}
