package reports

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"strconv"
	"strings"

	"complaints/readmodel"
	"complaints/rootcause"
	"complaints/rootcause/render"
)

// loadFindings runs the root-cause analytics for a monthly report (the analytics are defined per month); other
// period kinds get no 根因 sheet. customers (the config's denominators) give u-charts. Remediation actions, when a file is given, are attached to recurring findings.
// Months without data or incomplete are left out of the baselines (readmodel.ForAnalysis).
func loadFindings(ctx context.Context, db *sql.DB, p readmodel.Period, lang, remediationFile string, customers rootcause.Customers) (*rootcause.Findings, error) {
	if p.Kind != readmodel.Monthly {
		return nil, nil
	}
	excluded, coverage, err := readmodel.ForAnalysis(ctx, db, p.Start, lang)
	if err != nil {
		return nil, fmt.Errorf("root causes: %w", err)
	}
	f, err := rootcause.Analyze(ctx, db, rootcause.Options{Period: p.String(), Customers: customers,
		IncompleteMonths: excluded, Coverage: coverage})
	if err != nil {
		return nil, fmt.Errorf("root causes: %w", err)
	}
	if remediationFile != "" {
		actions, err := rootcause.LoadRemediation(remediationFile)
		if err != nil {
			return nil, err
		}
		rootcause.ApplyRemediation(f, actions)
	}
	return f, nil
}

// rootCauses is the 根因 sheet: emerging issues, control-chart flags and recurring pairs of the month, each with
// its evidence, and the remediation recorded against recurring findings (Art 26). The figures come from
// rootcause, which states its tests and false-alarm control.
func (w *workbook) rootCauses() *grid {
	st := w.st
	f := w.findings
	g := newGrid(w.t("rpt_rc_sheet"))
	g.Text(1, 1, w.t("rpt_rc_title"), st.title)
	g.Merge(1, 1, 1, 7)
	g.heights[1] = 28
	g.Text(2, 1, w.kv("institution", w.opts.Institution)+"    "+w.kv("period", w.period.String())+"    "+
		fmt.Sprintf(w.t("rpt_rc_tested"), f.Tested, f.Flagged, strconv.FormatFloat(f.Options.FDR, 'f', -1, 64)), st.subtitle)
	g.Merge(2, 1, 2, 7)
	g.widths[1], g.widths[2] = 16, 36
	for c := 3; c <= 6; c++ {
		g.widths[c] = 12
	}
	g.widths[7] = 60
	r := 4
	section := func(title string, heads ...string) {
		g.Text(r, 1, title, st.section)
		g.Merge(r, 1, r, 7)
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
	kind := func(k rootcause.Key) string { return w.t("rpt_rc_kind_" + k.Kind) }

	section(w.t("rpt_rc_emerging"), w.t("rpt_rc_dimension"), w.t("rpt_rc_object"), w.t("rpt_rc_count"),
		w.t("rpt_rc_trailing_mean"), w.t("rpt_rc_rise"), w.t("rpt_rc_p"), w.t("rpt_rc_evidence"))
	if len(f.Emerging) == 0 {
		none()
	}
	for _, e := range f.Emerging {
		g.Text(r, 1, kind(e.Key), st.text)
		g.Text(r, 2, render.KeyLabel(e.Key, w.lang), st.text)
		g.Int(r, 3, int64(e.Count), st.count)
		g.Float(r, 4, e.TrailingMean, st.days, strconv.FormatFloat(e.TrailingMean, 'f', 1, 64))
		switch {
		case e.New:
			g.Text(r, 5, w.t("rpt_rc_new"), st.text)
		case e.Rise == 0 && e.UnderRemediation: // was new: no rise is defined
			g.Text(r, 5, w.t("rpt_rc_under_remediation"), st.text)
		default:
			g.Float(r, 5, e.Rise, st.ratio, strconv.FormatFloat(e.Rise*100, 'f', 0, 64)+"%")
		}
		g.Text(r, 6, strconv.FormatFloat(e.PValue, 'g', 3, 64), st.text)
		g.Text(r, 7, joinCounts(f.Months[len(f.Months)-len(e.Counts):], e.Counts), st.text)
		r++
	}
	r++
	section(w.t("rpt_rc_flags_cu"), w.t("rpt_rc_dimension"), w.t("rpt_rc_object"), w.t("rpt_rc_count"),
		w.t("rpt_rc_centre"), w.t("rpt_rc_ucl"), w.t("rpt_rc_q"), w.t("rpt_rc_rule"))
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
		g.Text(r, 7, strings.Join(rules, "; "), st.text)
		r++
	}
	if flagged == 0 {
		none()
	}
	r++
	section(w.t("rpt_rc_recurring"), w.t("rpt_rc_dimension"), w.t("rpt_rc_object"), w.t("rpt_rc_months_present"),
		w.t("rpt_rc_first_seen"), w.t("rpt_rc_trend"), w.t("rpt_rc_remediation"), w.t("rpt_rc_evidence"))
	shown := 0
	for _, rc := range f.Recurring {
		if !rc.Elevated {
			continue
		}
		shown++
		g.Text(r, 1, kind(rc.Key), st.text)
		g.Text(r, 2, render.KeyLabel(rc.Key, w.lang), st.text)
		g.Int(r, 3, int64(rc.MonthsPresent), st.count)
		first := rc.FirstSeen
		if first == "" {
			first = "—"
		}
		g.Text(r, 4, first, st.text)
		g.Text(r, 5, w.t("rpt_rc_trend_"+rc.Trend), st.text)
		g.Text(r, 6, w.remediation(rc), st.text)
		g.Text(r, 7, joinCounts(rc.Months, rc.Counts), st.text)
		r++
	}
	if shown == 0 {
		none()
	}
	r++
	note := w.t("rpt_rc_method_title") + "\n" + render.Method(w.lang, "\n")
	g.Text(r, 1, note, st.wrap)
	g.Merge(r, 1, r, 7)
	// A merged cell does not grow with its text: give the note the lines its paragraphs need.
	var width, lines float64
	for c := 1; c <= 7; c++ {
		width += g.widths[c]
	}
	for _, p := range strings.Split(note, "\n") {
		lines += math.Max(1, math.Ceil(float64(displayWidth(p))/math.Max(width-4, 10)))
	}
	g.heights[r] = 15 * lines
	g.freezeRow = 3
	return g
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
