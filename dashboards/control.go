package dashboards

import (
	"strconv"
	"strings"

	"complaints/catalog"
	"complaints/rootcause"
)

// controlChart draws the series the root-cause findings flag for the last month (rootcause.FlaggedSeries: each
// finding's series once, the bank total on its own axis when it is flagged), the months each was tested on in
// red; with no finding it says so and draws the bank total in grey, unstyled. A month before any data (noData) is
// a gap, never 0. The statistics come from rootcause; this only draws them.
func controlChart(lang string, f *rootcause.Findings, names branchNames, noData func(string) bool) (map[string]any, table, bool) {
	t := func(key string) string { return catalog.Text(key, lang) }
	if len(f.Months) == 0 {
		return nil, table{}, false
	}
	flagged := f.FlaggedSeries()
	series := flagged
	if len(flagged) == 0 {
		series = []rootcause.SeriesCounts{{Key: rootcause.Key{Kind: rootcause.KindTotal, Parts: []string{"all"}}, Counts: f.TotalCounts()}}
	}
	twoAxes := false
	for _, s := range flagged {
		twoAxes = twoAxes || (s.Key.Kind == rootcause.KindTotal && len(flagged) > 1)
	}
	tbl := table{Header: []string{t("month")}}
	var out []any
	for k, s := range series {
		label := names.keyLabel(s.Key, lang)
		tbl.Header = append(tbl.Header, label)
		data := make([]any, len(f.Months))
		for i, m := range f.Months {
			switch {
			case noData(m) || i >= len(s.Counts):
				data[i] = nil
			case i < len(s.Tested) && s.Tested[i]:
				data[i] = map[string]any{"value": s.Counts[i], "itemStyle": map[string]any{"color": "#c23531"}, "symbolSize": 10}
			default:
				data[i] = s.Counts[i]
			}
		}
		line := map[string]any{"name": label, "type": "line", "data": data, "symbol": "circle", "connectNulls": false}
		if len(flagged) == 0 {
			line["itemStyle"] = map[string]any{"color": colourOthers}
			line["lineStyle"] = map[string]any{"color": colourOthers}
		} else {
			line["itemStyle"] = map[string]any{"color": palette[k%len(palette)]}
		}
		if twoAxes && s.Key.Kind == rootcause.KindTotal {
			line["yAxisIndex"] = 1
		}
		out = append(out, line)
	}
	for i, m := range f.Months {
		row := []string{m}
		for _, s := range series {
			if noData(m) || i >= len(s.Counts) {
				row = append(row, "—")
			} else {
				row = append(row, grouped(int64(s.Counts[i])))
			}
		}
		tbl.Rows = append(tbl.Rows, row)
	}
	sub := t("rc_view_cc_subtext")
	if len(flagged) == 0 {
		sub = t("rc_view_cc_subtext_none")
	}
	opt := baseOption(lang, "control", t("dash_cc_title")+" · "+f.Period, sub)
	opt["tooltip"] = map[string]any{"trigger": "axis"}
	opt["legend"] = map[string]any{"bottom": 0, "type": "scroll"}
	opt["grid"] = map[string]any{"left": 24, "right": 24, "top": 80, "bottom": 50, "containLabel": true}
	opt["xAxis"] = map[string]any{"type": "category", "name": t("month"), "nameLocation": "middle", "nameGap": 30, "data": f.Months}
	axis := map[string]any{"type": "value", "name": t("trend_axis_received"), "min": 0}
	if twoAxes {
		opt["yAxis"] = []any{axis, map[string]any{"type": "value", "name": t("rc_view_axis_total"), "min": 0, "splitLine": map[string]any{"show": false}}}
	} else {
		opt["yAxis"] = axis
	}
	opt["series"] = out
	return opt, tbl, true
}

// viewChart draws a descriptive view of rootcause (the causes or the business channels over time) as lines, one
// per series, never styled as an alarm; a month before any data is a gap.
func viewChart(lang, id, title string, f *rootcause.Findings, view []rootcause.SeriesCounts, noData func(string) bool) (map[string]any, table) {
	t := func(key string) string { return catalog.Text(key, lang) }
	tbl := table{Header: []string{t("month")}}
	var out []any
	for _, s := range view {
		label := rootcause.KeyLabel(s.Key, lang)
		if s.Others {
			label = t("rc_view_others")
		}
		tbl.Header = append(tbl.Header, label)
		data := make([]any, len(f.Months))
		for i, m := range f.Months {
			if !noData(m) {
				data[i] = s.Counts[i]
			}
		}
		line := map[string]any{"name": label, "type": "line", "data": data, "symbol": "circle", "connectNulls": false}
		if s.Others {
			line["itemStyle"] = map[string]any{"color": colourOthers}
		}
		out = append(out, line)
	}
	for i, m := range f.Months {
		row := []string{m}
		for _, s := range view {
			if noData(m) {
				row = append(row, "—")
			} else {
				row = append(row, grouped(int64(s.Counts[i])))
			}
		}
		tbl.Rows = append(tbl.Rows, row)
	}
	opt := baseOption(lang, id, title, t("rc_view_def_views"))
	opt["color"] = viewPalette
	opt["tooltip"] = map[string]any{"trigger": "axis"}
	opt["legend"] = map[string]any{"bottom": 0, "type": "scroll"}
	opt["grid"] = map[string]any{"left": 24, "right": 24, "top": 80, "bottom": 50, "containLabel": true}
	opt["xAxis"] = map[string]any{"type": "category", "name": t("month"), "nameLocation": "middle", "nameGap": 30, "data": f.Months}
	opt["yAxis"] = map[string]any{"type": "value", "name": t("trend_axis_received"), "min": 0}
	opt["series"] = out
	return opt, tbl
}

// findingsTable lists rootcause's ranked findings in their order: the type in words, the series, the first month
// of the excess, observed, expected and excess complaints, the sentence and the remediation's before and after.
func findingsTable(lang string, f *rootcause.Findings, names branchNames) table {
	t := func(key string) string { return catalog.Text(key, lang) }
	tbl := table{Header: []string{t("rc_view_rank"), t("rc_view_type"), t("rc_view_what"), t("rc_view_since"), t("rc_view_observed"),
		t("rc_view_expected"), t("rc_view_excess"), t("rc_view_sentence"), t("rc_view_remedy")}}
	for i, fd := range f.Ranked {
		tbl.Rows = append(tbl.Rows, []string{strconv.Itoa(i + 1), t("rc_view_type_" + fd.Type), names.keyLabel(fd.Key, lang),
			orDash(fd.FirstMonth), grouped(int64(fd.Observed)), strconv.FormatFloat(fd.Expected, 'f', 1, 64),
			strconv.FormatFloat(fd.Excess, 'f', 1, 64), fd.Sentence[lang], remedyText(lang, fd)})
	}
	return tbl
}

// remedyText is a finding's remediation: the before/after sentence of a completed action, or that an action is open.
func remedyText(lang string, fd rootcause.Finding) string {
	var parts []string
	if fd.UnderRemediation {
		parts = append(parts, catalog.Text("rpt_rc_under_remediation", lang))
	}
	if fd.Effect != nil {
		parts = append(parts, fd.Effect.Sentence[lang])
	}
	return strings.Join(parts, " ")
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// recurringTable lists the recurring, elevated (branch or category, cause) pairs of the last month, one column per
// month of the 6 tested, with the remediation recorded against each (rootcause.ApplyRemediation matched the
// config's remediation file); a finding with no action, or with an action past its due date and not done, is
// marked (Art 26).
func recurringTable(lang string, f *rootcause.Findings, names branchNames) table {
	t := func(key string) string { return catalog.Text(key, lang) }
	tbl := table{Header: []string{t("rpt_rc_dimension"), t("rpt_rc_object"), t("rc_view_months_above")}}
	window := f.Months[max(len(f.Months)-6, 0):] // the 6 months tested (Recurrence.Months)
	for _, r := range f.Recurring {
		window = r.Months
		break
	}
	tbl.Header = append(tbl.Header, window...)
	tbl.Header = append(tbl.Header, t("rpt_rc_remediation"))
	for _, r := range f.Recurring {
		if !r.Elevated {
			continue
		}
		row := []string{t("rpt_rc_kind_" + r.Key.Kind), names.keyLabel(r.Key, lang), strconv.Itoa(r.MonthsAbove)}
		for _, n := range r.Counts {
			row = append(row, grouped(int64(n)))
		}
		remedy, class := remediationCell(lang, r)
		tbl.Rows = append(tbl.Rows, append(row, remedy))
		tbl.Classes = append(tbl.Classes, class)
	}
	return tbl
}

// risingTable lists the rising pairs (their last 3 months above what the months before predict), apart from the
// recurring ones: one column per month tested, observed and expected.
func risingTable(lang string, f *rootcause.Findings, names branchNames) table {
	t := func(key string) string { return catalog.Text(key, lang) }
	tbl := table{Header: []string{t("rpt_rc_dimension"), t("rpt_rc_object")}}
	window := f.Months[max(len(f.Months)-3, 0):] // the 3 months tested (Rising.Months)
	if len(f.Rising) > 0 {
		window = f.Rising[0].Months
	}
	tbl.Header = append(tbl.Header, window...)
	tbl.Header = append(tbl.Header, t("rc_view_observed"), t("rc_view_expected"))
	for _, r := range f.Rising {
		row := []string{t("rpt_rc_kind_" + r.Key.Kind), names.keyLabel(r.Key, lang)}
		for _, n := range r.Counts {
			row = append(row, grouped(int64(n)))
		}
		tbl.Rows = append(tbl.Rows, append(row, grouped(int64(r.Count)), strconv.FormatFloat(r.Expected, 'f', 1, 64)))
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
