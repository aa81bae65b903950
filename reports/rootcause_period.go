package reports

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"strconv"

	"complaints/readmodel"
	"complaints/rootcause"
	"complaints/rootcause/render"
)

// monthFindings are one month's findings within a longer period.
type monthFindings struct {
	month string
	f     *rootcause.Findings
}

// loadPeriodFindings runs the month's analysis (loadFindings) for every month of a quarter, half-year or year:
// the 根因 sheet of a longer period shows the period's Pareto and each month's findings. Nil for a month.
func loadPeriodFindings(ctx context.Context, db *sql.DB, p readmodel.Period, lang, remediationFile string, customers rootcause.Customers) ([]monthFindings, error) {
	if p.Kind == readmodel.Monthly {
		return nil, nil
	}
	var out []monthFindings
	for m := p.Start; m <= p.End(); m++ {
		f, err := loadFindings(ctx, db, readmodel.Period{Kind: readmodel.Monthly, Start: m, Len: 1}, lang, remediationFile, customers)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", m, err)
		}
		out = append(out, monthFindings{month: m.String(), f: f})
	}
	return out, nil
}

// rootCausesOfPeriod is the 根因 sheet of a quarter, half-year or year: the Pareto of the period's causes (its
// months' Paretos added, rootcause.SumPareto), then every month's findings ranked by excess complaints, each
// month's analysis as the monthly sheet shows it (its tests, baseline and false-alarm control).
func (w *workbook) rootCausesOfPeriod() *grid {
	st := w.st
	g := newGrid(w.t("rpt_rc_sheet"))
	const last = 9
	total := 0
	var paretos []rootcause.Pareto
	for _, m := range w.periodFindings {
		total += len(m.f.Ranked)
		paretos = append(paretos, m.f.ParetoCauses)
	}
	g.Text(1, 1, w.t("rpt_rc_title"), st.title)
	g.Merge(1, 1, 1, last)
	g.heights[1] = 28
	g.Text(2, 1, w.kv("institution", w.opts.Institution)+"    "+w.kv("period", w.period.String())+"    "+
		fmt.Sprintf(w.t("rcp_summary"), len(w.periodFindings), total), st.subtitle)
	g.Merge(2, 1, 2, last)
	g.widths[1], g.widths[2], g.widths[3] = 10, 16, 36
	for c := 4; c <= last; c++ {
		g.widths[c] = 11
	}
	r := 4
	section := func(title string, heads ...string) {
		g.Text(r, 1, title, st.section)
		g.Merge(r, 1, r, last)
		r++
		for i, h := range heads {
			g.Text(r, 1+i, h, st.header)
		}
		r++
	}
	p := rootcause.SumPareto(paretos...)
	section(w.t("rcp_pareto_title"), w.t("rcp_rank"), w.t("cause"), "", w.t("rcp_count"), w.t("rcp_share"), w.t("cumulative_share"), w.t("rcp_vital"))
	g.Merge(r-1, 2, r-1, 3)
	if len(p.Items) == 0 {
		g.Text(r, 1, w.t("rpt_rc_none"), st.text)
		r++
	}
	for i, it := range p.Items {
		g.Int(r, 1, int64(i+1), st.count)
		g.Text(r, 2, render.KeyLabel(it.Key, w.lang), st.text)
		g.Merge(r, 2, r, 3)
		g.Int(r, 4, int64(it.Count), st.count)
		g.Ratio(r, 5, it.Share, true, st.ratio, st.noFigure, "—")
		g.Ratio(r, 6, it.Cumulative, true, st.ratio, st.noFigure, "—")
		if it.Vital {
			g.Text(r, 7, w.t("rcp_vital_mark"), st.text)
		} else {
			g.Text(r, 7, "", st.text)
		}
		r++
	}
	r++
	section(w.t("rcp_months_title"), w.t("month"), w.t("rc_view_type"), w.t("rc_view_what"), w.t("rc_view_since"),
		w.t("rc_view_observed"), w.t("rc_view_expected"), w.t("rc_view_excess"), w.t("rc_view_sentence"))
	g.Merge(r-1, 8, r-1, last)
	for _, m := range w.periodFindings {
		if len(m.f.Ranked) == 0 {
			g.Text(r, 1, m.month, st.text)
			g.Text(r, 2, w.t("rc_view_none_flagged"), st.text)
			g.Merge(r, 2, r, last)
			r++
			continue
		}
		for _, fd := range m.f.Ranked {
			g.Text(r, 1, m.month, st.text)
			g.Text(r, 2, w.t("rc_view_type_"+fd.Type), st.text)
			g.Text(r, 3, render.KeyLabel(fd.Key, w.lang), st.wrap)
			since := fd.FirstMonth
			if since == "" {
				since = "—"
			}
			g.Text(r, 4, since, st.text)
			g.Int(r, 5, int64(fd.Observed), st.count)
			g.Float(r, 6, fd.Expected, st.days, strconv.FormatFloat(fd.Expected, 'f', 1, 64))
			g.Float(r, 7, fd.Excess, st.days, strconv.FormatFloat(fd.Excess, 'f', 1, 64))
			text := fd.Sentence[w.lang]
			g.Text(r, 8, text, st.wrap)
			g.Merge(r, 8, r, last)
			g.heights[r] = 15 * math.Max(1, math.Ceil(float64(displayWidth(text))/(g.widths[8]+g.widths[9]-2)))
			r++
		}
	}
	return g
}
