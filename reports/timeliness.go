package reports

import (
	"fmt"
	"sort"

	"complaints/catalog"
	"complaints/readmodel"
)

// Timeliness sheet columns (1-based); the last is a hidden helper (working days summed) so that the total row's
// average is a formula over summed cells. When a closed complaint's on-time flag is unknown (domain.md section 4),
// two more hidden helpers hold the rates' denominators, the closed complaints whose flag on each clock is known;
// when some closed complaints have no working days (a source without reply dates), a last hidden helper holds the
// average's denominator, the closed complaints with working days.
const (
	tlLabel = iota + 1
	tlClosed
	tlIntOnTime
	tlIntRate
	tlAvgWorkdays
	tlRegOnTime
	tlRegRate
	tlOpenEnd
	tlIntOverdue
	tlRegOverdue
	tlHelperDays
	tlHelperIntKnown
	tlHelperRegKnown
	tlHelperDaysKnown
)

// tlClassHeader is the header row of the table by complaint type; the table by branch follows it.
const tlClassHeader = 4

// timeliness is 时效: the internal clock (and the regulatory one beside it) by complaint type and by branch.
func (w *workbook) timeliness() *grid {
	st := w.st
	p := w.period
	g := newGrid(w.t("rk_sheet_timeliness"))
	g.Text(1, 1, w.t("rk_timeliness_title"), st.title)
	g.Merge(1, 1, 1, tlRegOverdue)
	g.heights[1] = 28
	g.Text(2, 1, w.kv("institution", w.opts.Institution)+"    "+w.kv("period", p.String())+"    "+w.t("unit"), st.subtitle)
	g.Merge(2, 1, 2, tlRegOverdue)
	for c := tlClosed; c <= tlHelperDays; c++ {
		g.widths[c] = 12
	}
	g.hidden[tlHelperDays] = true
	g.freezeRow, g.freezeCol = tlClassHeader+1, 2

	byClass := map[string]readmodel.TimelinessRow{}
	byBranch := map[string]readmodel.TimelinessRow{}
	for _, r := range w.kd.timeliness {
		byClass[r.Class] = byClass[r.Class].Add(r)
		byBranch[r.Branch] = byBranch[r.Branch].Add(r)
	}
	classes := []string{"general", "complex"}
	for _, c := range []string{"missing", "no_clock"} {
		if byClass[c] != (readmodel.TimelinessRow{}) {
			classes = append(classes, c)
		}
	}
	g.Text(tlClassHeader-1, 1, w.t("rk_by_complaint_type"), st.section)
	end := w.timelinessTable(g, tlClassHeader, w.t("rk_complaint_type"), classes, byClass, func(c string) string {
		switch c {
		case "missing":
			return w.t("list_type_missing")
		case "no_clock":
			return w.t("rk_no_time_limit")
		}
		return catalog.Label("complaint_class", c, w.lang)
	})

	branches := make([]string, 0, len(byBranch))
	for b := range byBranch {
		branches = append(branches, b)
	}
	sort.Slice(branches, func(i, j int) bool {
		a, b := branches[i], branches[j]
		if (a == "") != (b == "") {
			return b == "" // not recorded last
		}
		na, nb := byBranch[a].Closed+byBranch[a].OpenAtEnd, byBranch[b].Closed+byBranch[b].OpenAtEnd
		if na != nb {
			return na > nb
		}
		return w.branchLabel(a) < w.branchLabel(b)
	})
	header := end + 3
	g.Text(header-1, 1, w.t("rk_by_branch"), st.section)
	w.timelinessTable(g, header, w.t("rpt_branch"), branches, byBranch, w.branchLabel)
	return g
}

// timelinessTable writes a header at row header, one row per key and a total row of formulas; it returns the total
// row.
func (w *workbook) timelinessTable(g *grid, header int, first string, keys []string, rows map[string]readmodel.TimelinessRow, label func(string) string) int {
	st := w.st
	var total readmodel.TimelinessRow
	for _, k := range keys {
		total = total.Add(rows[k])
	}
	// the rates divide by the closed complaints whose flag is known: by closed when all are, else by helpers
	intDen, regDen, daysDen := tlClosed, tlClosed, tlClosed
	headers := []string{"", "closed", "rk_internal_on_time", "rpt_on_time_internal", "rk_avg_working_days",
		"rk_regulatory_on_time", "rpt_on_time_regulatory", "rpt_open_at_end", "rk_internal_overdue_at_end",
		"rpt_overdue_at_end", "rk_helper_working_days_sum"}
	unknownClocks := total.InternalKnown != total.Closed || total.RegulatoryKnown != total.Closed
	if unknownClocks {
		intDen, regDen = tlHelperIntKnown, tlHelperRegKnown
		headers = append(headers, "rpt_helper_internal_known", "rpt_helper_regulatory_known")
		for _, c := range []int{tlHelperIntKnown, tlHelperRegKnown} {
			g.widths[c], g.hidden[c] = 12, true
		}
	}
	unknownDays := total.DaysKnown != total.Closed
	if unknownDays {
		daysDen = tlHelperDaysKnown
		g.widths[tlHelperDaysKnown], g.hidden[tlHelperDaysKnown] = 12, true
		g.Text(header, tlHelperDaysKnown, w.t("rk_helper_days_known"), st.header)
	}
	for i, key := range headers {
		text := first
		if key != "" {
			text = w.t(key)
		}
		g.Text(header, i+1, text, st.header)
	}
	g.heights[header] = 45
	noFigure := w.t("no_base")
	rates := func(r int, f readmodel.TimelinessRow, ratio, days, none int) {
		g.rates(r, intDen, f.InternalKnown, noFigure, none, []rateCell{{tlIntRate, tlIntOnTime, f.InternalOnTime, ratio}})
		if f.Closed > 0 && f.DaysKnown == 0 {
			g.Text(r, tlAvgWorkdays, w.t("rpt_not_recorded"), none)
		} else {
			g.rates(r, daysDen, f.DaysKnown, noFigure, none, []rateCell{{tlAvgWorkdays, tlHelperDays, f.WorkingDaysSum, days}})
		}
		g.rates(r, regDen, f.RegulatoryKnown, noFigure, none, []rateCell{{tlRegRate, tlRegOnTime, f.RegulatoryOnTime, ratio}})
	}
	counts := func(f readmodel.TimelinessRow) map[int]int64 {
		m := map[int]int64{tlClosed: f.Closed, tlIntOnTime: f.InternalOnTime, tlRegOnTime: f.RegulatoryOnTime,
			tlOpenEnd: f.OpenAtEnd, tlIntOverdue: f.InternalOverdue, tlRegOverdue: f.RegulatoryOverdue, tlHelperDays: f.WorkingDaysSum}
		if unknownClocks {
			m[tlHelperIntKnown], m[tlHelperRegKnown] = f.InternalKnown, f.RegulatoryKnown
		}
		if unknownDays {
			m[tlHelperDaysKnown] = f.DaysKnown
		}
		return m
	}
	firstRow := header + 1
	for i, k := range keys {
		r := firstRow + i
		f := rows[k]
		g.Text(r, tlLabel, label(k), st.text)
		for c, v := range counts(f) {
			g.Int(r, c, v, st.count)
		}
		rates(r, f, st.ratio, st.days, st.noFigure)
	}
	totalRow := firstRow + len(keys)
	g.Text(totalRow, tlLabel, w.t("total"), st.totalText)
	for c, v := range counts(total) {
		if len(keys) == 0 {
			g.Int(totalRow, c, 0, st.totalCount)
			continue
		}
		g.Formula(totalRow, c, fmt.Sprintf("SUM(%s%d:%s%d)", colName(c), firstRow, colName(c), totalRow-1), v, st.totalCount)
	}
	rates(totalRow, total, st.totalRatio, st.totalDays, st.totalNoFigure)
	return totalRow
}
