package dashboards

import (
	"strconv"
	"strings"

	"complaints/catalog"
	"complaints/rootcause"
)

// controlChart draws the c-chart of the series the root-cause analytics rank first for the last month (a
// flagged series when there is one): monthly counts against the baseline centre line and 3-sigma limits, the
// points beyond the limits in red. The statistics come from rootcause; this only draws them.
func controlChart(lang string, f *rootcause.Findings, names branchNames) (map[string]any, table, bool) {
	t := func(key string) string { return catalog.Text(key, lang) }
	var c *rootcause.Chart
	for i := range f.Charts {
		if !f.Charts[i].Sparse {
			c = &f.Charts[i]
			break
		}
	}
	if c == nil || len(c.Counts) == 0 {
		return nil, table{}, false
	}
	label := names.keyLabel(c.Key, lang)
	// A u-chart plots complaints per 10,000 customers against limits that move with each month's customers;
	// a c-chart plots counts against constant limits.
	u := c.Type == rootcause.ChartU && len(c.Rates) == len(c.Counts)
	counts := make([]any, len(c.Counts))
	centre := make([]any, len(c.Counts))
	ucl := make([]any, len(c.Counts))
	lcl := make([]any, len(c.Counts))
	valueHeader, digits := t("rpt_rc_count"), 1
	if u {
		valueHeader, digits = t("rc_rate"), 3
	}
	tbl := table{Header: []string{t("month"), valueHeader, t("rpt_rc_centre"), t("rpt_rc_ucl"), t("dash_cc_beyond")}}
	for i, n := range c.Counts {
		beyond := i < len(c.Rule1Months) && c.Rule1Months[i]
		var v any = n
		text := strconv.Itoa(n)
		up, lo := c.UCL, c.LCL
		if u {
			v, text = roundTo(c.Rates[i], 3), strconv.FormatFloat(c.Rates[i], 'f', 3, 64)
			if i < len(c.UCLs) && i < len(c.LCLs) {
				up, lo = c.UCLs[i], c.LCLs[i]
			}
		}
		if beyond {
			counts[i] = map[string]any{"value": v, "itemStyle": map[string]any{"color": "#c23531"}, "symbolSize": 10}
		} else {
			counts[i] = v
		}
		centre[i], ucl[i], lcl[i] = roundTo(c.Centre, digits), roundTo(up, digits), roundTo(lo, digits)
		if u && up == 0 && lo == 0 { // no customers recorded for the month: no limits to draw
			ucl[i], lcl[i] = nil, nil
		}
		mark := ""
		if beyond {
			mark = "●"
		}
		tbl.Rows = append(tbl.Rows, []string{f.Months[i], text, strconv.FormatFloat(c.Centre, 'f', digits, 64),
			strconv.FormatFloat(up, 'f', digits, 64), mark})
	}
	sub, axis := t("dash_cc_subtext"), t("trend_axis_received")
	if u {
		sub, axis = t("dash_cc_subtext_u"), t("rc_rate")
	}
	opt := baseOption(lang, "control", t("dash_cc_title")+" · "+label, sub)
	opt["tooltip"] = map[string]any{"trigger": "axis"}
	opt["legend"] = map[string]any{"bottom": 0}
	opt["grid"] = map[string]any{"left": 24, "right": 24, "top": 80, "bottom": 50, "containLabel": true}
	opt["xAxis"] = map[string]any{"type": "category", "name": t("month"), "nameLocation": "middle", "nameGap": 30, "data": f.Months}
	opt["yAxis"] = map[string]any{"type": "value", "name": axis, "min": 0}
	// A limit is a dashed line without symbols; its itemStyle colour is the legend's and the tooltip's.
	limit := func(name string, data []any, colour string) map[string]any {
		return map[string]any{"name": name, "type": "line", "data": data, "symbol": "none",
			"lineStyle": map[string]any{"type": "dashed", "color": colour}, "itemStyle": map[string]any{"color": colour}}
	}
	opt["series"] = []any{
		map[string]any{"name": label, "type": "line", "data": counts, "symbol": "circle", "itemStyle": map[string]any{"color": "#5470c6"}},
		limit(t("rpt_rc_centre"), centre, "#666666"),
		limit(t("rpt_rc_ucl"), ucl, "#c23531"),
		limit(t("dash_cc_lcl"), lcl, "#3ba272"),
	}
	return opt, tbl, true
}

// recurringTable lists the recurring, elevated (branch or category, cause) pairs of the last month with the
// remediation recorded against each (rootcause.ApplyRemediation matched the config's remediation file); a finding
// with no action, or with an action past its due date and not done, is marked (Art 26).
func recurringTable(lang string, f *rootcause.Findings, names branchNames) table {
	t := func(key string) string { return catalog.Text(key, lang) }
	tbl := table{Header: []string{t("rpt_rc_dimension"), t("rpt_rc_object"), t("rpt_rc_months_present"), t("rpt_rc_trend"),
		t("rpt_rc_remediation"), t("rpt_rc_evidence")}}
	for _, r := range f.Recurring {
		if !r.Elevated {
			continue
		}
		parts := make([]string, len(r.Counts))
		for i, n := range r.Counts {
			parts[i] = r.Months[i] + ":" + strconv.Itoa(n)
		}
		remedy, class := remediationCell(lang, r)
		tbl.Rows = append(tbl.Rows, []string{t("rpt_rc_kind_" + r.Key.Kind), names.keyLabel(r.Key, lang),
			strconv.Itoa(r.MonthsPresent), t("rpt_rc_trend_" + r.Trend), remedy, strings.Join(parts, " ")})
		tbl.Classes = append(tbl.Classes, class)
	}
	return tbl
}

// remediationCell is a finding's actions and the CSS class that marks it: "no-action" or "overdue".
func remediationCell(lang string, r rootcause.Recurrence) (string, string) {
	if r.NoAction || len(r.Actions) == 0 {
		return catalog.Text("rpt_rc_no_action", lang), "no-action"
	}
	acts := make([]string, len(r.Actions))
	for i, a := range r.Actions {
		acts[i] = a.Text()
	}
	s := strings.Join(acts, "; ")
	if r.Effect != nil {
		s += "; " + r.Effect.Sentence[lang]
	}
	if r.Overdue {
		return catalog.Text("rpt_rc_overdue", lang) + " " + s, "overdue"
	}
	return s, ""
}
