package reports

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"complaints/readmodel"
	"complaints/rootcause"
	"complaints/rootcause/render"
)

// loadFindings works out the root-cause findings of a monthly report as every output does (rootcause.ForMonth),
// with customers (the config's denominators) for u-charts and the remediation actions of remediationFile. The
// analytics are defined per month: other period kinds get none here (loadPeriodFindings runs each month).
func loadFindings(ctx context.Context, db *sql.DB, p readmodel.Period, lang, remediationFile string, customers rootcause.Customers) (*rootcause.Findings, error) {
	if p.Kind != readmodel.Monthly {
		return nil, nil
	}
	f, err := rootcause.ForMonth(ctx, db, rootcause.Options{Period: p.String(), Customers: customers}, lang, remediationFile)
	if err != nil {
		return nil, fmt.Errorf("root causes: %w", err)
	}
	return f, nil
}

// rootCauses is the 根因 sheet: the findings ranked by excess complaints, the flagged series by month (the chart
// draws them; with no finding it says so and shows the bank total), the control-chart evidence, the recurring and
// the rising pairs as separate lists, and the causes and business channels over time (descriptive, never styled as
// alarms). The figures come from rootcause, which states its tests and false-alarm control; this only lays them
// out. A month before any data is "—", and the chart starts after it.
func (w *workbook) rootCauses() *grid {
	st := w.st
	f := w.findings
	g := newGrid(w.t("rpt_rc_sheet"))
	g.Text(1, 1, w.t("rpt_rc_title"), st.title)
	g.Merge(1, 1, 1, rcLastCol)
	g.heights[1] = 28
	g.Text(2, 1, w.kv("institution", w.opts.Institution)+"    "+w.kv("period", w.period.String())+"    "+
		fmt.Sprintf(w.t("rpt_rc_tested"), f.Tested, len(f.Ranked), strconv.FormatFloat(f.Options.FDR*100, 'f', -1, 64)+"%"), st.subtitle)
	g.Merge(2, 1, 2, rcLastCol)
	g.widths[1], g.widths[2] = 18, 36
	for c := 3; c <= rcLastCol; c++ {
		g.widths[c] = 10
	}
	r := 4
	section := func(title string, heads ...string) {
		g.Text(r, 1, title, st.section)
		g.Merge(r, 1, r, rcLastCol)
		r++
		for i, h := range heads {
			g.Text(r, 1+i, h, st.header)
		}
		r++
	}
	none := func() {
		g.Text(r, 1, w.t("rpt_rc_none"), st.text)
		r++
	}
	// wide writes wrapped text merged over the columns c1..c2 and gives the row the lines it needs.
	wide := func(c1, c2 int, text string) {
		g.Text(r, c1, text, st.wrap)
		g.Merge(r, c1, r, c2)
		var width float64
		for c := c1; c <= c2; c++ {
			width += g.widths[c]
		}
		lines := math.Max(1, math.Ceil(float64(displayWidth(text))/math.Max(width-2, 10)))
		g.heights[r] = math.Max(g.heights[r], 15*lines)
	}
	kind := func(k rootcause.Key) string { return w.t("rpt_rc_kind_" + k.Kind) }
	noData := func(m string) bool {
		mo, err := readmodel.ParseMonth(m)
		return f.NoData(m) || (err == nil && w.coverage.IsNoData(mo))
	}
	// monthRow writes a series' counts by Findings.Months from column 3, "—" before any data.
	monthRow := func(counts []int) {
		for i, m := range f.Months {
			if noData(m) || i >= len(counts) {
				g.Text(r, 3+i, "—", st.noFigure)
			} else {
				g.Int(r, 3+i, int64(counts[i]), st.count)
			}
		}
	}
	months := func() []string { return append([]string{w.t("rpt_rc_dimension"), w.t("rpt_rc_object")}, f.Months...) }

	section(w.t("rc_view_ranked_title"), w.t("rc_view_type"), w.t("rc_view_what"), w.t("rc_view_since"), w.t("rc_view_observed"),
		w.t("rc_view_expected"), w.t("rc_view_excess"), w.t("rc_view_sentence"))
	g.Text(r-1, 13, w.t("rc_view_remedy"), st.header)
	g.Merge(r-1, 7, r-1, 12)
	g.Merge(r-1, 13, r-1, rcLastCol)
	if len(f.Ranked) == 0 {
		wide(1, rcLastCol, w.t("rc_view_none_flagged"))
		r++
	}
	for _, fd := range f.Ranked {
		g.Text(r, 1, w.t("rc_view_type_"+fd.Type), st.text)
		g.Text(r, 2, render.KeyLabel(fd.Key, w.lang), st.text)
		since := fd.FirstMonth
		if since == "" {
			since = "—"
		}
		g.Text(r, 3, since, st.text)
		g.Int(r, 4, int64(fd.Observed), st.count)
		g.Float(r, 5, fd.Expected, st.days, strconv.FormatFloat(fd.Expected, 'f', 1, 64))
		g.Float(r, 6, fd.Excess, st.days, strconv.FormatFloat(fd.Excess, 'f', 1, 64))
		wide(7, 12, fd.Sentence[w.lang])
		var remedy []string
		if fd.UnderRemediation {
			remedy = append(remedy, w.t("rpt_rc_under_remediation"))
		}
		if fd.Effect != nil {
			remedy = append(remedy, fd.Effect.Sentence[w.lang])
		}
		wide(13, rcLastCol, strings.Join(remedy, " "))
		r++
	}
	r++
	// The flagged series by month, which the chart draws; with none, the bank total for reference.
	section(w.t("rc_view_flagged_title"), months()...)
	series := f.FlaggedSeries()
	if len(series) == 0 {
		if len(f.Months) > 0 {
			series = []rootcause.SeriesCounts{{Key: rootcause.Key{Kind: rootcause.KindTotal, Parts: []string{"all"}}, Counts: f.TotalCounts()}}
		}
		wide(1, rcLastCol, w.t("rc_view_none_flagged"))
		r++
	}
	w.rcChart = rcChart{header: r - 1, first: r, last: r + len(series) - 1, firstCol: 3, lastCol: 2 + len(f.Months), flagged: len(f.Ranked) > 0}
	for i, m := range f.Months {
		if noData(m) {
			w.rcChart.firstCol = 4 + i
		}
	}
	for i, s := range series {
		if s.Key.Kind == rootcause.KindTotal && len(series) > 1 {
			w.rcChart.totalRow = r + i
		}
	}
	for _, s := range series {
		types := make([]string, len(s.Types))
		for i, t := range s.Types {
			types[i] = w.t("rc_view_type_" + t)
		}
		g.Text(r, 1, strings.Join(types, "; "), st.text)
		g.Text(r, 2, render.KeyLabel(s.Key, w.lang), st.text)
		monthRow(s.Counts)
		r++
	}
	w.rcChart.anchor = r + 1
	if len(series) > 0 && w.rcChart.firstCol <= w.rcChart.lastCol {
		r += rcChartRows
	}
	r++
	section(w.t("rpt_rc_flags_cu"), w.t("rpt_rc_dimension"), w.t("rpt_rc_object"), w.t("rpt_rc_count"),
		w.t("rpt_rc_centre"), w.t("rpt_rc_ucl"), w.t("rpt_rc_q"), w.t("rpt_rc_rule"))
	g.Merge(r-1, 7, r-1, rcLastCol)
	flagged := 0
	for _, c := range f.Charts {
		if !c.Flagged {
			continue
		}
		flagged++
		g.Text(r, 1, kind(c.Key), st.text)
		g.Text(r, 2, render.KeyLabel(c.Key, w.lang), st.text)
		g.Int(r, 3, int64(c.Count), st.count)
		if c.Type == rootcause.ChartU { // per 10,000 customers: small numbers, 3 decimals (the rule column names the chart)
			g.Float(r, 4, c.Centre, st.rate3, strconv.FormatFloat(c.Centre, 'f', 3, 64))
			g.Float(r, 5, c.UCL, st.rate3, strconv.FormatFloat(c.UCL, 'f', 3, 64))
		} else {
			g.Float(r, 4, c.Centre, st.days, strconv.FormatFloat(c.Centre, 'f', 1, 64))
			g.Float(r, 5, c.UCL, st.days, strconv.FormatFloat(c.UCL, 'f', 1, 64))
		}
		g.Text(r, 6, strconv.FormatFloat(c.QValue, 'g', 3, 64), st.text)
		rules := []string{render.ChartLabel(c, w.lang)}
		if c.Type == rootcause.ChartU {
			rules[0] += fmt.Sprintf(" %.3f", c.Rate)
		}
		if c.Rule1 {
			rules = append(rules, w.t("rpt_rc_rule1"))
		}
		if c.Rule4 {
			rules = append(rules, w.t("rpt_rc_rule4"))
		}
		if c.Sparse {
			rules = append(rules, w.t("rpt_rc_sparse"))
		}
		wide(7, rcLastCol, strings.Join(rules, "; "))
		r++
	}
	if flagged == 0 {
		none()
	}
	r++
	// Recurring: one column per month of the 6 tested.
	window := recurringMonths(f)
	section(w.t("rc_view_recurring_title"), append(append([]string{w.t("rpt_rc_dimension"), w.t("rpt_rc_object"),
		w.t("rc_view_months_above")}, window...), w.t("rpt_rc_remediation"))...)
	remedyCol := 4 + len(window)
	g.Merge(r-1, remedyCol, r-1, rcLastCol)
	shown := 0
	for _, rc := range f.Recurring {
		if !rc.Elevated {
			continue
		}
		shown++
		g.Text(r, 1, kind(rc.Key), st.text)
		g.Text(r, 2, render.KeyLabel(rc.Key, w.lang), st.text)
		g.Int(r, 3, int64(rc.MonthsAbove), st.count)
		for i, n := range rc.Counts {
			g.Int(r, 4+i, int64(n), st.count)
		}
		wide(remedyCol, rcLastCol, w.remediation(rc))
		r++
	}
	if shown == 0 {
		none()
	}
	r++
	// Rising: a separate list, the 3 months tested against what the months before them predict.
	window = f.Months[max(len(f.Months)-3, 0):] // the 3 months tested (Rising.Months)
	if len(f.Rising) > 0 {
		window = f.Rising[0].Months
	}
	section(w.t("rc_view_rising_title"), append(append([]string{w.t("rpt_rc_dimension"), w.t("rpt_rc_object")}, window...),
		w.t("rc_view_observed"), w.t("rc_view_expected"))...)
	for _, x := range f.Rising {
		g.Text(r, 1, kind(x.Key), st.text)
		g.Text(r, 2, render.KeyLabel(x.Key, w.lang), st.text)
		for i, n := range x.Counts {
			g.Int(r, 3+i, int64(n), st.count)
		}
		g.Int(r, 3+len(x.Counts), int64(x.Count), st.count)
		g.Float(r, 4+len(x.Counts), x.Expected, st.days, strconv.FormatFloat(x.Expected, 'f', 1, 64))
		r++
	}
	if len(f.Rising) == 0 {
		none()
	}
	r++
	// The causes and the business channels over time: descriptive.
	for _, v := range []struct {
		title string
		rows  []rootcause.SeriesCounts
	}{{w.t("rc_view_causes_title"), f.CauseView(rcTopCauses)}, {w.t("rc_view_channels_title"), f.ChannelView()}} {
		section(v.title, months()...)
		for _, s := range v.rows {
			g.Text(r, 1, kind(s.Key), st.text)
			label := w.t("rc_view_others")
			if !s.Others {
				label = render.KeyLabel(s.Key, w.lang)
			}
			g.Text(r, 2, label, st.text)
			monthRow(s.Counts)
			r++
		}
		if len(v.rows) == 0 {
			none()
		}
		g.Text(r, 1, w.t("rc_view_def_views"), st.note)
		g.Merge(r, 1, r, rcLastCol)
		r += 2
	}
	note := w.t("rpt_rc_method_title") + "\n" + render.Method(w.lang, "\n")
	g.Text(r, 1, note, st.wrap)
	g.Merge(r, 1, r, rcLastCol)
	// A merged cell does not grow with its text: give the note the lines its paragraphs need.
	var width, lines float64
	for c := 1; c <= rcLastCol; c++ {
		width += g.widths[c]
	}
	for _, p := range strings.Split(note, "\n") {
		lines += math.Max(1, math.Ceil(float64(displayWidth(p))/math.Max(width-4, 10)))
	}
	g.heights[r] = 15 * (lines + 1)
	g.freezeRow = 3
	return g
}

// recurringMonths are the 6 months the recurring pairs are tested on: the last 6 of Findings.Months.
func recurringMonths(f *rootcause.Findings) []string {
	for _, rc := range f.Recurring {
		return rc.Months
	}
	return f.Months[max(len(f.Months)-6, 0):]
}

// The 根因 sheet's layout: columns 1 (kind) and 2 (series), then one column per month of Findings.Months up to
// rcLastCol; the flagged series' chart takes rcChartRows rows below their table; the causes view keeps the top
// rcTopCauses causes and sums the rest.
const (
	rcLastCol   = 15
	rcChartRows = 28
	rcTopCauses = 6
)

// rcChart is where the 根因 sheet's chart finds its data: the header row (months), the series rows first..last,
// the columns of the months with data (firstCol..lastCol) and the row it is anchored at; flagged is false when it
// draws the bank total for reference.
type rcChart struct {
	header, first, last, firstCol, lastCol, anchor int
	flagged                                        bool
	totalRow                                       int // the bank total's row when it is drawn beside other series (on a second axis); 0 none
}

// rootCauseChart draws the 根因 sheet's flagged series (or the bank total, grey, when none was flagged) as lines
// over the months with data.
func (w *workbook) rootCauseChart(f *excelize.File, g *grid) error {
	c := w.rcChart
	if g == nil || c.last < c.first || c.firstCol > c.lastCol {
		return nil
	}
	sheet := quoteSheet(g.name)
	a, b := colName(c.firstCol), colName(c.lastCol)
	var series, total []excelize.ChartSeries
	for r := c.first; r <= c.last; r++ {
		s := excelize.ChartSeries{
			Name:       fmt.Sprintf("%s!$B$%d", sheet, r),
			Categories: fmt.Sprintf("%s!$%s$%d:$%s$%d", sheet, a, c.header, b, c.header),
			Values:     fmt.Sprintf("%s!$%s$%d:$%s$%d", sheet, a, r, b, r),
			Line:       excelize.LineOptions{Width: 2.25},
			Marker:     excelize.ChartMarker{Symbol: "circle", Size: 5},
		}
		if !c.flagged {
			s.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"A6A6A6"}}
		}
		if r == c.totalRow {
			total = append(total, s) // hundreds a month: its own axis, so that a series of ten is not flattened
			continue
		}
		series = append(series, s)
	}
	var combo []*excelize.Chart
	if len(total) > 0 {
		combo = append(combo, &excelize.Chart{Type: excelize.Line, Series: total,
			YAxis: excelize.ChartAxis{Secondary: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: numFmtCount}}})
	}
	title := w.t("rc_view_flagged_title")
	if !c.flagged {
		title = w.t("rc_view_cc_subtext_none")
	}
	err := f.AddChart(g.name, fmt.Sprintf("B%d", c.anchor), &excelize.Chart{
		Type:      excelize.Line,
		Series:    series,
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: title}}},
		Legend:    excelize.ChartLegend{Position: "bottom"},
		Dimension: excelize.ChartDimension{Width: 760, Height: 420},
		YAxis:     excelize.ChartAxis{MajorGridLines: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: numFmtCount}},
	}, combo...)
	if err != nil {
		return fmt.Errorf("sheet %q: root-cause chart: %w", g.name, err)
	}
	return nil
}

// remediation is the recorded action of a recurring finding, or a marker that there is none or it is overdue.
func (w *workbook) remediation(rc rootcause.Recurrence) string {
	if rc.NoAction || len(rc.Actions) == 0 {
		return w.t("rpt_rc_no_action")
	}
	var parts []string
	for _, a := range rc.Actions {
		parts = append(parts, a.Text())
	}
	s := strings.Join(parts, "; ")
	if rc.Overdue {
		s = w.t("rpt_rc_overdue") + " " + s
	}
	if rc.Effect != nil {
		s += "; " + rc.Effect.Sentence[w.lang]
	}
	return s
}

func joinCounts(months []string, counts []int) string {
	parts := make([]string, 0, len(counts))
	for i, n := range counts {
		if i < len(months) {
			parts = append(parts, months[i]+":"+strconv.Itoa(n))
		}
	}
	return strings.Join(parts, " ")
}
