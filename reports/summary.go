package reports

import (
	"fmt"
	"strconv"

	"github.com/xuri/excelize/v2"

	"complaints/readmodel"
)

// periodData is every mart figure of one period: category flows and stocks (summed over categories) and the
// mart_month counts.
type periodData struct {
	cat   readmodel.CategoryFigures
	month readmodel.MonthFigures
}

func (w *workbook) data(p readmodel.Period) periodData {
	return periodData{cat: w.cats.Total(p), month: w.months.Sum(p)}
}

type figureKind int

const (
	kindCount figureKind = iota // relative MoM/YoY
	kindRate                    // MoM/YoY in percentage points
	kindDays                    // a mean: relative MoM/YoY
)

// figure is one line of the summary: a label, its definition and how it is read from a period's data.
type figure struct {
	key, def    string
	kind        figureKind
	value       func(periodData) (float64, bool)
	notRecorded bool // no figure reads "not recorded" (reply completeness, bands of closed without reply dates), not "—"
}

// unrecorded says whether the figure, missing in period data d, reads "not recorded" rather than "—": always
// when notRecorded, and a mean of days when the period's closed complaints all lack handling days (sources
// without reply dates, domain.md section 9).
func (x figure) unrecorded(d periodData) bool {
	return x.notRecorded || (x.kind == kindDays && d.cat.Closed > 0 && d.cat.DaysKnown == 0)
}

func count(get func(periodData) int64) func(periodData) (float64, bool) {
	return func(d periodData) (float64, bool) { return float64(get(d)), true }
}

// band is a duration band's count; "not recorded" where the period's closed complaints all come from sources
// that record no reply dates (domain.md section 9).
func band(get func(periodData) int64) func(periodData) (float64, bool) {
	return func(d periodData) (float64, bool) {
		return float64(get(d)), d.cat.Closed == 0 || d.cat.DaysKnown > 0
	}
}

func rate(num, den func(periodData) int64) func(periodData) (float64, bool) {
	return func(d periodData) (float64, bool) { return readmodel.Rate(num(d), den(d)) }
}

// summaryFigures are the figures of domain.md section 6 in the summary's order.
func (w *workbook) summaryFigures() []figure {
	repeatKey := "rpt_repeat_customers"
	if w.period.Kind != readmodel.Monthly {
		repeatKey = "rpt_repeat_customers_months"
	}
	closed := func(d periodData) int64 { return d.cat.Closed }
	// an on-time rate leaves out the closed complaints whose flag on its clock is unknown (domain.md section 4)
	regKnown := func(d periodData) int64 { return d.cat.RegulatoryKnown }
	intKnown := func(d periodData) int64 { return d.cat.InternalKnown }
	// average handling days leave out closed complaints of sources without reply dates (domain.md section 9)
	daysKnown := func(d periodData) int64 { return d.cat.DaysKnown }
	return []figure{
		{"received", "def_received", kindCount, count(func(d periodData) int64 { return d.cat.Received }), false},
		{"received_regulator", "def_received_regulator", kindCount, count(func(d periodData) int64 { return d.cat.ReceivedRegulator }), false},
		{"received_major", "def_received_major", kindCount, count(func(d periodData) int64 { return d.cat.ReceivedMajor }), false},
		{"closed", "def_closed", kindCount, count(closed), false},
		{"rpt_closed_0_15", "def_closed_bands", kindCount, band(func(d periodData) int64 { return d.cat.Closed0to15 }), true},
		{"rpt_closed_16_30", "", kindCount, band(func(d periodData) int64 { return d.cat.Closed16to30 }), true},
		{"rpt_closed_31_60", "", kindCount, band(func(d periodData) int64 { return d.cat.Closed31to60 }), true},
		{"rpt_closed_over_60", "", kindCount, band(func(d periodData) int64 { return d.cat.ClosedOver60 }), true},
		{"rpt_on_time_regulatory", "def_on_time_regulatory", kindRate, rate(func(d periodData) int64 { return d.cat.RegulatoryOnTime }, regKnown), false},
		{"rpt_on_time_internal", "def_on_time_internal", kindRate, rate(func(d periodData) int64 { return d.cat.InternalOnTime }, intKnown), false},
		{"rpt_open_at_start", "def_open_at_start", kindCount, count(func(d periodData) int64 { return d.cat.OpenAtStart }), false},
		{"rpt_open_at_end", "def_open_at_end", kindCount, count(func(d periodData) int64 { return d.cat.OpenAtEnd }), false},
		{"rpt_overdue_at_end", "def_overdue_at_end", kindCount, count(func(d periodData) int64 { return d.cat.OverdueAtEnd }), false},
		{"rpt_avg_handling_days", "def_avg_handling_days", kindDays, rate(func(d periodData) int64 { return d.cat.HandlingDaysSum }, daysKnown), false},
		{"rpt_satisfaction_rate", "def_satisfaction_rate", kindRate,
			rate(func(d periodData) int64 { return d.cat.Satisfied }, func(d periodData) int64 { return d.cat.SatisfactionRecorded }), false},
		{"rpt_reply_completeness", "def_reply_completeness", kindRate,
			rate(func(d periodData) int64 { return d.cat.ReplyComplete }, func(d periodData) int64 { return d.cat.ReplyElementsRecorded }), true},
		{repeatKey, "def_repeat_customers", kindCount, count(func(d periodData) int64 { return d.month.RepeatCustomers }), false},
		{"rpt_repeat_complaints", "def_repeat_complaints", kindCount, count(func(d periodData) int64 { return d.month.RepeatComplaints }), false},
		{"rpt_duplicates_merged", "def_duplicates_merged", kindCount, count(func(d periodData) int64 { return d.month.DuplicatesLinked }), false},
	}
}

// change is MoM or YoY of a figure: relative for counts and means, percentage points for rates.
func change(kind figureKind, cur float64, curOK bool, base float64, baseOK bool) (float64, bool) {
	if kind == kindRate {
		return readmodel.PointChange(cur, curOK, base, baseOK)
	}
	if !curOK || !baseOK || base == 0 {
		return 0, false
	}
	return (cur - base) / base, true
}

// summaryTrendHeader is the row of the trend table's header on the summary sheet; the chart reads below it.
const summaryTrendHeader = 25

func (w *workbook) summary() *grid {
	st := w.st
	p := w.period
	g := newGrid(w.t("sheet_summary"))
	g.Text(1, 1, w.t("summary_title")+" "+p.String(), st.title)
	g.Merge(1, 1, 1, 6)
	g.heights[1] = 28
	g.Text(2, 1, w.kv("institution", w.opts.Institution)+"    "+w.t("unit"), st.subtitle)
	g.Merge(2, 1, 2, 6)
	headers := []string{
		w.t("figure"),
		w.t("current_period") + " " + p.String(),
		w.t("previous_period") + " " + p.Previous().String(),
		w.t("mom"),
		w.t("year_earlier_period") + " " + p.YearEarlier().String(),
		w.t("yoy"),
	}
	if w.oneYearBase() { // a year: the year before once (上年), with YoY
		headers = []string{headers[0], headers[1], w.lastYearHeader(), w.t("yoy")}
	}
	for i, h := range headers {
		g.Text(3, i+1, h, st.header)
	}
	g.freezeRow = 4
	cur, prev, yago := w.data(p), w.data(p.Previous()), w.data(p.YearEarlier())
	noFigure := w.t("no_base")
	for i, x := range w.summaryFigures() {
		r := 4 + i
		g.Text(r, 1, w.t(x.key), st.label)
		c, cok := x.value(cur)
		b, bok := x.value(prev)
		y, yok := x.value(yago)
		// a base before any data is no data (never 0, nor "not recorded") and never the base of a change
		prevNone, yagoNone := w.noData(p.Previous()), w.noData(p.YearEarlier())
		bok = bok && !prevNone
		yok = yok && !yagoNone
		base := func(c int, v float64, ok bool, d periodData, none bool) {
			if none {
				g.Text(r, c, w.t("cov_no_data"), st.noFigure)
				return
			}
			w.figureCell(g, r, c, x, v, ok, d)
		}
		w.figureCell(g, r, 2, x, c, cok, cur)
		if w.oneYearBase() {
			base(3, y, yok, yago, yagoNone)
			w.changeCell(g, r, 4, x.kind, c, cok, y, yok, noFigure)
			continue
		}
		base(3, b, bok, prev, prevNone)
		base(5, y, yok, yago, yagoNone)
		w.changeCell(g, r, 4, x.kind, c, cok, b, bok, noFigure)
		w.changeCell(g, r, 6, x.kind, c, cok, y, yok, noFigure)
	}

	g.Text(summaryTrendHeader-1, 1, w.trendTitle(), st.section)
	unit := w.t("month")
	if w.trendPeriods()[0].Kind == readmodel.Quarterly {
		unit = w.t("per_quarter")
	}
	g.Text(summaryTrendHeader, 1, unit, st.header)
	g.Text(summaryTrendHeader, 2, w.t("received"), st.header)
	g.Text(summaryTrendHeader, 3, w.t("closed"), st.header)
	for i, q := range w.trendPeriods() {
		tot := w.cats.Total(q)
		r := summaryTrendHeader + 1 + i
		g.Text(r, 1, q.String(), st.text)
		if w.coverage.IsNoData(q.End()) { // a point of the trend is no data when all its months are
			g.Text(r, 2, w.t("cov_no_data"), st.noFigure)
			g.Text(r, 3, w.t("cov_no_data"), st.noFigure)
			continue
		}
		g.Int(r, 2, tot.Received, st.count)
		g.Int(r, 3, tot.Closed, st.count)
	}
	return g
}

// figureCell writes one figure's value in its format, or the no-figure mark.
func (w *workbook) figureCell(g *grid, r, c int, x figure, v float64, ok bool, d periodData) {
	st := w.st
	if !ok {
		mark := w.t("no_base")
		if x.unrecorded(d) {
			mark = w.t("rpt_not_recorded")
		}
		g.Text(r, c, mark, st.noFigure)
		return
	}
	switch x.kind {
	case kindRate:
		g.Ratio(r, c, v, true, st.ratio, st.noFigure, "")
	case kindDays:
		g.Float(r, c, v, st.days, strconv.FormatFloat(v, 'f', 1, 64))
	default:
		g.Int(r, c, int64(v), st.count)
	}
}

// changeCell writes MoM or YoY: a relative change (%) or, for rates, percentage points.
func (w *workbook) changeCell(g *grid, r, c int, kind figureKind, cur float64, curOK bool, base float64, baseOK bool, noFigure string) {
	v, ok := change(kind, cur, curOK, base, baseOK)
	if kind == kindRate && ok {
		g.Float(r, c, v, w.st.points, strconv.FormatFloat(v, 'f', 1, 64)+w.t("rpt_pp"))
		return
	}
	g.Ratio(r, c, v, ok, w.st.ratio, w.st.noFigure, noFigure)
}

func (w *workbook) trendChart(f *excelize.File, g *grid) error {
	sheet := quoteSheet(g.name)
	first, last := summaryTrendHeader+1, summaryTrendHeader+len(w.trendPeriods())
	cats := fmt.Sprintf("%s!$A$%d:$A$%d", sheet, first, last)
	series := func(col string) excelize.ChartSeries {
		return excelize.ChartSeries{
			Name:       fmt.Sprintf("%s!$%s$%d", sheet, col, summaryTrendHeader),
			Categories: cats,
			Values:     fmt.Sprintf("%s!$%s$%d:$%s$%d", sheet, col, first, col, last),
			Line:       excelize.LineOptions{Width: 2.25},
			Marker:     excelize.ChartMarker{Symbol: "circle", Size: 5},
		}
	}
	err := f.AddChart(g.name, fmt.Sprintf("E%d", summaryTrendHeader-1), &excelize.Chart{
		Type:      excelize.Line,
		Series:    []excelize.ChartSeries{series("B"), series("C")},
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: w.trendTitle()}}},
		Legend:    excelize.ChartLegend{Position: "bottom"},
		Dimension: excelize.ChartDimension{Width: 640, Height: 320},
		YAxis:     excelize.ChartAxis{MajorGridLines: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: numFmtCount}},
		PlotArea:  excelize.ChartPlotArea{ShowVal: false},
	})
	if err != nil {
		return fmt.Errorf("sheet %q: trend chart: %w", g.name, err)
	}
	return nil
}

// definition is one line of the cover's definitions: a figure's label and its definition.
type definition struct{ figure, text string }

// definitions lists every figure the workbook shows with its definition (domain.md section 6).
func (w *workbook) definitions() []definition {
	var out []definition
	for _, x := range w.summaryFigures() {
		if x.def != "" {
			key := x.key
			if x.def == "def_closed_bands" {
				key = "rpt_closed_0_15"
			}
			out = append(out, definition{key, x.def})
		}
	}
	out = append(out,
		definition{"share_of_received", "def_share"},
		definition{"rpt_share_of_total", "def_cause_share"},
		definition{"mom", "def_mom"},
		definition{"yoy", "def_yoy"},
		definition{"rpt_rate_change", "def_rate_change"},
	)
	if w.opts.Branches > 0 {
		out = append(out, definition{"rpt_per_1000_branches", "def_per_1000_branches"})
	}
	if w.opts.PersonalCustomers > 0 {
		out = append(out, definition{"rpt_per_10m_customers", "def_per_10m_customers"})
	}
	out = append(out, definition{"rk_sheet_timeliness", "def_timeliness"}, definition{"rk_sheet_open", "def_open_list"})
	return append(out, definition{"sheet_quality", "def_quality_counts"})
}
