package dashboards

import (
	"sort"
	"strconv"

	"complaints/catalog"
	"complaints/readmodel"
	"complaints/rootcause"
)

// branchRank is one branch of the branch view with its rank key.
type branchRank struct {
	f         readmodel.DashBranchFigures
	customers int64
	rate      float64 // per 10,000 customers
	hasRate   bool
}

// rankBranchView orders branches by complaints per 10,000 personal customers where the config gives the branch's
// customers (by code or by name), then the others by count; byRate says whether any branch had a customer count.
// Branches with nothing received in the month are left out.
func rankBranchView(rows []readmodel.DashBranchFigures, cust rootcause.Customers, names branchNames, lang string) (out []branchRank, byRate bool) {
	for _, f := range rows {
		if f.Received == 0 {
			continue
		}
		r := branchRank{f: f, customers: cust.ByBranch[f.Branch]}
		if r.customers <= 0 {
			r.customers = cust.ByBranch[names.label(f.Branch, lang)]
		}
		r.rate, r.hasRate = readmodel.Per10k(f.Received, r.customers)
		byRate = byRate || r.hasRate
		out = append(out, r)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.hasRate != b.hasRate {
			return a.hasRate
		}
		if a.hasRate && a.rate != b.rate {
			return a.rate > b.rate
		}
		if a.f.Received != b.f.Received {
			return a.f.Received > b.f.Received
		}
		if (a.f.Branch == "") != (b.f.Branch == "") {
			return b.f.Branch == ""
		}
		return a.f.Branch < b.f.Branch
	})
	return out, byRate
}

// branchViewChart ranks the branches of month to (the top 20 drawn, every one in the table) with MoM, YoY, the
// on-time rate and overdue at end; note says which ranking it is.
func branchViewChart(lang string, to readmodel.Month, rows []readmodel.DashBranchFigures, cust rootcause.Customers,
	names branchNames, noData func(readmodel.Month) bool) (opt map[string]any, tbl table, note string, ranked []branchRank) {
	t := func(key string) string { return catalog.Text(key, lang) }
	ranked, byRate := rankBranchView(rows, cust, names, lang)
	note = t("dash_branch_by_count")
	axis := t("dash_axis_count")
	if byRate {
		note, axis = t("dash_branch_by_rate"), t("dash_axis_per10k")
	}
	tbl = table{Header: []string{t("dash_branch_rank"), t("dash_branch"), t("received"), t("dash_branch_per10k"),
		t("mom"), t("yoy"), t("dash_ontime_regulatory"), t("dash_overdue_at_end")}}
	var ys []string
	var data []any
	for i, r := range ranked {
		f := r.f
		per := t("no_base")
		if r.hasRate {
			per = strconv.FormatFloat(r.rate, 'f', 2, 64)
		}
		mom, yoy := pctChange(lang, f.Received, f.ReceivedPrev), pctChange(lang, f.Received, f.ReceivedYearAgo)
		if noData(to - 1) {
			mom = t("no_base")
		}
		if noData(to - 12) {
			yoy = t("no_base")
		}
		onTime := t("no_base")
		if v, ok := readmodel.Rate(f.RegulatoryOnTime, f.RegulatoryKnown); ok {
			onTime = formatPct(v)
		}
		label := names.label(f.Branch, lang)
		tbl.Rows = append(tbl.Rows, []string{strconv.Itoa(i + 1), label, grouped(f.Received), per, mom, yoy, onTime, grouped(f.OverdueAtEnd)})
		if i < topBranches && (!byRate || r.hasRate) {
			ys = append(ys, label)
			v := any(f.Received)
			if byRate {
				v = roundTo(r.rate, 2)
			}
			data = append(data, v)
		}
	}
	opt = baseOption(lang, "branches", t("dash_branch_view_title"), to.String()+" · "+axis)
	opt["tooltip"] = map[string]any{"trigger": "axis", "axisPointer": map[string]any{"type": "shadow"}}
	opt["grid"] = map[string]any{"left": 24, "right": 60, "top": 70, "bottom": 30, "containLabel": true}
	opt["xAxis"] = map[string]any{"type": "value", "name": axis, "nameLocation": "middle", "nameGap": 28}
	opt["yAxis"] = map[string]any{"type": "category", "name": t("dash_branch"), "data": ys, "inverse": true,
		"axisLabel": map[string]any{"width": 140, "overflow": "truncate"}}
	opt["series"] = []any{map[string]any{"name": axis, "type": "bar", "data": data, "itemStyle": map[string]any{"color": colourTotal},
		"label": map[string]any{"show": true, "position": "right"}}}
	return opt, tbl, note, ranked
}
