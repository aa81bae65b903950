// Package render writes root-cause findings for people: labels of series and chart rules in the user's
// language, and the findings as a text table, CSV or JSON (`complaints rootcause`). The analytics themselves, which
// compute the findings and never format them, are package rootcause.
package render

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"

	"complaints/catalog"
	"complaints/internal/termtext"
	"complaints/rootcause"
)

// KeyLabel is a series key in lang: catalogue labels for codes; a branch by its name from the branch master
// (Key.Names), else as complaints.branch holds it (the code, or the exported text without a master).
func KeyLabel(k rootcause.Key, lang string) string { return rootcause.KeyLabel(k, lang) }

// row is one printed finding.
type row struct {
	section, kind, key, label           string
	count                               int
	chart, rate                         string // control: chart type (c / u) and, for u, the period's rate
	reference, ucl, lcl, pValue, qValue string
	rule, flag, evidence, remediation   string
	excess, first, rise, sentence       string // ranked findings: excess, first month of it, rise or "new", the sentence
}

func ff(x float64, prec int) string {
	if math.IsInf(x, 1) {
		return "+Inf"
	}
	return strconv.FormatFloat(x, 'f', prec, 64)
}

// riseText is a rise as +N%, "new" (新出现) for a series with nothing in its baseline, "—" when there is none.
func riseText(rise *float64, isNew bool, lang string) string {
	switch {
	case isNew:
		return catalog.Text("rc_new", lang)
	case rise == nil || math.IsInf(*rise, 0) || math.IsNaN(*rise):
		return "—"
	}
	return fmt.Sprintf("%+.0f%%", 100**rise)
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// countsOf are a finding's counts in its own months.
func countsOf(months []string, fd rootcause.Finding) []int {
	out := make([]int, 0, len(fd.Months))
	for _, m := range fd.Months {
		for i, x := range months {
			if x == m && i < len(fd.Counts) {
				out = append(out, fd.Counts[i])
			}
		}
	}
	return out
}

func fp(p float64) string { return strconv.FormatFloat(p, 'g', 3, 64) }

func evidence(months []string, counts []int) string {
	var b strings.Builder
	for i, n := range counts {
		if i > 0 {
			b.WriteString(" ")
		}
		fmt.Fprintf(&b, "%s:%d", months[i], n)
	}
	return b.String()
}

// rateEvidence is evidence with each month's rate per 10,000 customers: 2026-07:321(2.68).
func rateEvidence(months []string, counts []int, rates []float64) string {
	var b strings.Builder
	for i, n := range counts {
		if i > 0 {
			b.WriteString(" ")
		}
		fmt.Fprintf(&b, "%s:%d(%s)", months[i], n, ff(rates[i], 3))
	}
	return b.String()
}

// ChartLabel names a chart's type in lang: c-chart (counts) or u-chart (per 10,000 customers).
func ChartLabel(c rootcause.Chart, lang string) string {
	if c.Type == rootcause.ChartU {
		return catalog.Text("rc_chart_u", lang)
	}
	return catalog.Text("rc_chart_c", lang)
}

// rows ranks the findings for printing: emerging issues, control-chart flags, recurring pairs, then the Paretos,
// repeat complainants and terms. top limits the rows of each section (0 = all).
func rows(f *rootcause.Findings, lang string, top int) []row {
	T := func(k string) string { return catalog.Text(k, lang) }
	var out []row
	limit := func(n int) int {
		if top > 0 && n > top {
			return top
		}
		return n
	}
	trail := f.Months[len(f.Months)-1-rootcause.TrailingMonths:]
	for _, fd := range f.Ranked[:limit(len(f.Ranked))] {
		r := row{section: "findings", kind: fd.Key.Kind, key: fd.Key.String(), label: KeyLabel(fd.Key, lang), count: fd.Observed,
			reference: ff(fd.Expected, 1), excess: ff(fd.Excess, 1), first: fd.FirstMonth, rise: riseText(fd.Rise, fd.New, lang),
			qValue: fp(fd.QValue), flag: fd.Type, sentence: fd.Sentence[lang], evidence: evidence(fd.Months, countsOf(f.Months, fd))}
		if fd.UnderRemediation {
			r.remediation = T("rc_under_remediation")
		}
		if fd.Effect != nil {
			r.remediation = strings.TrimSpace(r.remediation + " " + fd.Effect.Sentence[lang])
		}
		out = append(out, r)
	}
	for _, e := range f.Emerging[:limit(len(f.Emerging))] {
		rise := &e.Rise
		if e.New || e.Rise == 0 { // no rise is defined for a series with nothing in its baseline
			rise = nil
		}
		r := row{section: "emerging", kind: e.Key.Kind, key: e.Key.String(), label: KeyLabel(e.Key, lang), count: e.Count,
			reference: ff(e.TrailingMean, 1), pValue: fp(e.PValue), rule: riseText(rise, e.New, lang), evidence: evidence(trail, e.Counts)}
		if e.UnderRemediation {
			r.remediation = T("rc_under_remediation")
		}
		out = append(out, r)
	}
	for _, x := range f.Peers[:limit(len(f.Peers))] {
		share := 0.0
		if x.Total > 0 {
			share = float64(x.Count) / float64(x.Total)
		}
		out = append(out, row{section: "peers", kind: x.Key.Kind, key: x.Key.String(), label: KeyLabel(x.Key, lang), count: x.Count,
			reference: ff(x.Expected, 1), rule: ff(100*share, 1) + "% / " + ff(100*x.PeerRate, 1) + "%", pValue: fp(x.Test.P), qValue: fp(x.QValue),
			flag: "peer", evidence: strconv.Itoa(x.Total)})
	}
	for _, x := range f.Rising[:limit(len(f.Rising))] {
		out = append(out, row{section: "rising", kind: x.Key.Kind, key: x.Key.String(), label: KeyLabel(x.Key, lang), count: x.Count,
			reference: ff(x.Expected, 1), pValue: fp(x.Test.P), qValue: fp(x.QValue), flag: "rising", evidence: evidence(x.Months, x.Counts)})
	}
	var flagged []rootcause.Chart
	for _, c := range f.Charts {
		if c.Flagged {
			flagged = append(flagged, c)
		}
	}
	for _, c := range flagged[:limit(len(flagged))] {
		var rules []string
		if c.Sparse {
			rules = append(rules, T("rc_sparse"))
		}
		if c.Rule1 {
			rules = append(rules, T("rc_rule1"))
		}
		if c.Rule4 {
			rules = append(rules, T("rc_rule4"))
		}
		rules = append(rules, T("rc_bh"))
		first := len(f.Months) - 1 - f.Options.BaselineMonths
		r := row{section: "control", kind: c.Key.Kind, key: c.Key.String(), label: KeyLabel(c.Key, lang), count: c.Count,
			chart: c.Type, reference: ff(c.Centre, 1), pValue: fp(c.PValue), qValue: fp(c.QValue), rule: strings.Join(rules, "; "), flag: "flagged",
			evidence: evidence(f.Months[first:], c.Counts[first:])}
		prec := 1
		if c.Type == rootcause.ChartU {
			prec = 3 // rates per 10,000 customers are small numbers
			r.rate = ff(c.Rate, prec)
			r.reference = ff(c.Centre, prec)
			r.evidence = rateEvidence(f.Months[first:], c.Counts[first:], c.Rates[first:])
		}
		if !c.Sparse {
			r.ucl, r.lcl = ff(c.UCL, prec), ff(c.LCL, prec)
		}
		out = append(out, r)
	}
	for _, c := range f.Recurring[:limit(len(f.Recurring))] {
		r := row{section: "recurring", kind: c.Key.Kind, key: c.Key.String(), label: KeyLabel(c.Key, lang), count: c.Counts[len(c.Counts)-1],
			reference: ff(c.PriorMean, 1), pValue: fp(c.PValue), qValue: fp(c.QValue),
			rule:     fmt.Sprintf("%d/6 %s, %d/6 %s, %s %s, %s %s", c.MonthsPresent, T("rc_months_present"), c.MonthsAbove, T("rc_months_above"), T("rc_first_seen"), orDash(c.FirstSeen), T("rc_trend"), T("rc_trend_"+c.Trend)),
			evidence: evidence(c.Months, c.Counts)}
		if c.Elevated {
			r.flag = "elevated"
		}
		var acts []string
		for _, a := range c.Actions {
			acts = append(acts, a.Text())
		}
		switch {
		case c.Overdue:
			acts = append([]string{"[" + T("rc_overdue") + "]"}, acts...)
		case c.NoAction:
			acts = []string{"[" + T("rc_no_action") + "]"}
		}
		if c.Effect != nil {
			acts = append(acts, c.Effect.Sentence[lang])
		}
		r.remediation = strings.Join(acts, "; ")
		r.first = c.FirstSeen
		out = append(out, r)
	}
	for _, p := range []struct {
		section string
		p       rootcause.Pareto
	}{{"pareto_cause", f.ParetoCauses}, {"pareto_category_cause", f.ParetoCatCause}} {
		for _, it := range p.p.Items[:limit(len(p.p.Items))] {
			r := row{section: p.section, kind: it.Key.Kind, key: it.Key.String(), label: KeyLabel(it.Key, lang), count: it.Count,
				reference: ff(100*it.Share, 1) + "%", rule: ff(100*it.Cumulative, 1) + "%"}
			if it.Vital {
				r.flag = "vital_few"
			}
			out = append(out, r)
		}
	}
	rep := func(x rootcause.RepeatRow, key string) row {
		return row{section: "repeats", kind: "", key: key, label: key, count: x.RepeatCustomers,
			reference: strconv.Itoa(x.RepeatComplaints) + "/" + strconv.Itoa(x.Received), rule: ff(100*x.ComplaintShare, 1) + "%",
			evidence: fmt.Sprintf("%s %d/%d (%s%%)", T("rc_customers"), x.RepeatCustomers, x.Customers, ff(100*x.CustomerShare, 1))}
	}
	out = append(out, rep(f.Repeats.Period, f.Period))
	var byBranch []rootcause.RepeatRow
	for _, b := range f.Repeats.ByBranch {
		if b.RepeatComplaints > 0 {
			byBranch = append(byBranch, b)
		}
	}
	for _, b := range byBranch[:limit(len(byBranch))] {
		r := rep(b, b.BranchName)
		r.key = b.Branch
		r.kind = rootcause.KindBranch
		out = append(out, r)
	}
	for _, t := range f.Terms {
		label := T("rc_all_categories")
		if t.Category != "" {
			label = catalog.Label("business_category", t.Category, lang)
		}
		out = append(out, row{section: "terms", kind: rootcause.KindCategory, key: t.Category, label: label + ": " + t.Term, count: t.Period,
			reference: strconv.Itoa(t.Baseline), rule: ff(t.Score, 2)})
	}
	return out
}

// Write prints the findings as table (sections of aligned columns), csv (one flat table) or json (the Findings).
func Write(w io.Writer, f *rootcause.Findings, lang, format string, top int) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(f)
	case "csv":
		cw := csv.NewWriter(w)
		cw.Write([]string{"section", "rank", "series_kind", "series_key", "label", "count", "chart_type", "rate", "reference", "ucl", "lcl",
			"rule", "p_value", "q_value", "flag", "evidence", "remediation", "excess", "first_month", "rise", "finding", "sentence"})
		rank := map[string]int{}
		for _, r := range rows(f, lang, top) {
			rank[r.section]++
			cw.Write([]string{r.section, strconv.Itoa(rank[r.section]), r.kind, r.key, r.label, strconv.Itoa(r.count), r.chart, r.rate, r.reference,
				r.ucl, r.lcl, r.rule, r.pValue, r.qValue, r.flag, r.evidence, r.remediation, r.excess, r.first, r.rise, findingFlag(r.section), r.sentence})
		}
		cw.Flush()
		return cw.Error()
	case "table", "":
		return writeTable(w, f, lang, top)
	}
	return fmt.Errorf("format %q: use table, csv or json", format)
}

// descriptive are the sections that describe the period and flag nothing (not findings).
var descriptive = map[string]bool{"recurring": true, "pareto_cause": true, "pareto_category_cause": true, "repeats": true, "terms": true}

// findingFlag says in the CSV whether a row is a finding ("finding") or descriptive ("descriptive").
func findingFlag(section string) string {
	if descriptive[section] {
		return "descriptive"
	}
	return "finding"
}

func writeTable(w io.Writer, f *rootcause.Findings, lang string, top int) error {
	T := func(k string) string { return catalog.Text(k, lang) }
	fmt.Fprintf(w, "%s %s — %s %d; %s %d; %s %d\n", T("rc_title"), f.Period, T("rc_received"), f.Received,
		T("rc_tested"), f.Tested, T("rc_flagged"), f.Flagged)
	if f.Options.Coverage != "" {
		fmt.Fprintln(w, f.Options.Coverage)
	}
	nc, nu := 0, 0
	for _, c := range f.Charts {
		if c.Type == rootcause.ChartU {
			nu++
		} else {
			nc++
		}
	}
	fmt.Fprintf(w, T("rc_chart_counts")+"\n", nc, nu)
	fmt.Fprintln(w, catalog.Msg("msg_calib_family", f.Family, ff(f.Options.FDR, 2), f.Discoveries).In(lang))
	if len(f.InsufficientHistory) > 0 {
		fmt.Fprintln(w, catalog.Msg("msg_calib_insufficient", len(f.InsufficientHistory), rootcause.MinHistory).In(lang))
	}
	heads := map[string]string{"findings": "rc_section_findings", "rising": "rc_section_rising", "peers": "rc_section_peers", "emerging": "rc_section_emerging", "control": "rc_section_control_cu", "recurring": "rc_section_recurring",
		"pareto_cause": "rc_section_pareto", "pareto_category_cause": "rc_section_pareto_cc", "repeats": "rc_section_repeats", "terms": "rc_section_terms"}
	cols := map[string][]string{
		"findings":              {"rc_rank", "rc_finding_type", "rc_key", "rc_observed", "rc_expected", "rc_excess", "rc_first_month", "rc_rise", "rc_sentence", "rc_remediation"},
		"peers":                 {"rc_rank", "rc_kind", "rc_key", "rc_count", "rc_expected", "rc_share_vs_peers", "rc_p_value", "rc_q_value", "rc_branch_total"},
		"rising":                {"rc_rank", "rc_kind", "rc_key", "rc_count", "rc_expected", "rc_p_value", "rc_q_value", "rc_evidence"},
		"emerging":              {"rc_rank", "rc_kind", "rc_key", "rc_count", "rc_trailing_mean", "rc_rise", "rc_p_value", "rc_evidence", "rc_remediation"},
		"control":               {"rc_rank", "rc_kind", "rc_key", "rc_chart_type", "rc_count", "rc_rate", "rc_centre", "rc_ucl", "rc_lcl", "rc_rule", "rc_p_value", "rc_q_value", "rc_evidence"},
		"recurring":             {"rc_rank", "rc_kind", "rc_key", "rc_count", "rc_prior_mean", "rc_trend", "rc_p_value", "rc_elevated", "rc_evidence", "rc_remediation"},
		"pareto_cause":          {"rc_rank", "rc_key", "rc_count", "rc_share", "cumulative_share", "rc_vital"},
		"pareto_category_cause": {"rc_rank", "rc_key", "rc_count", "rc_share", "cumulative_share", "rc_vital"},
		"repeats":               {"rc_rank", "rc_key", "rc_repeat_customers", "rc_repeat_complaints", "rc_complaint_share", "rc_customers"},
		"terms":                 {"rc_rank", "rc_term", "rc_count", "rc_baseline_count", "rc_log_ratio"},
	}
	all := rows(f, lang, top)
	for _, sec := range []string{"findings", "emerging", "control", "rising", "peers", "recurring", "pareto_cause", "pareto_category_cause", "repeats", "terms"} {
		head := T(heads[sec])
		if descriptive[sec] {
			head = T("rc_descriptive") + " " + head
		}
		fmt.Fprintf(w, "\n== %s\n", head)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		var hs []string
		for _, c := range cols[sec] {
			hs = append(hs, T(c))
		}
		fmt.Fprintln(tw, strings.Join(hs, "\t"))
		n := 0
		for _, r := range all {
			if r.section != sec {
				continue
			}
			n++
			kind := T("rc_kind_" + r.kind)
			if r.kind == "" {
				kind = ""
			}
			var cells []string
			switch sec {
			case "findings":
				cells = []string{strconv.Itoa(n), T("rc_finding_" + r.flag), r.label, strconv.Itoa(r.count), r.reference, r.excess, orDash(r.first), r.rise, r.sentence, r.remediation}
			case "peers":
				cells = []string{strconv.Itoa(n), kind, r.label, strconv.Itoa(r.count), r.reference, r.rule, r.pValue, r.qValue, r.evidence}
			case "rising":
				cells = []string{strconv.Itoa(n), kind, r.label, strconv.Itoa(r.count), r.reference, r.pValue, r.qValue, r.evidence}
			case "emerging":
				cells = []string{strconv.Itoa(n), kind, r.label, strconv.Itoa(r.count), r.reference, r.rule, r.pValue, r.evidence, r.remediation}
			case "control":
				chart := T("rc_chart_c")
				if r.chart == rootcause.ChartU {
					chart = T("rc_chart_u")
				}
				rate := r.rate
				if rate == "" {
					rate = "—"
				}
				cells = []string{strconv.Itoa(n), kind, r.label, chart, strconv.Itoa(r.count), rate, r.reference, r.ucl, r.lcl, r.rule, r.pValue, r.qValue, r.evidence}
			case "recurring":
				el := ""
				if r.flag != "" {
					el = "*"
				}
				cells = []string{strconv.Itoa(n), kind, r.label, strconv.Itoa(r.count), r.reference, r.rule, r.pValue, el, r.evidence, r.remediation}
			case "pareto_cause", "pareto_category_cause":
				v := ""
				if r.flag != "" {
					v = "*"
				}
				cells = []string{strconv.Itoa(n), r.label, strconv.Itoa(r.count), r.reference, r.rule, v}
			case "repeats":
				cells = []string{strconv.Itoa(n), r.label, strconv.Itoa(r.count), r.reference, r.rule, r.evidence}
			case "terms":
				cells = []string{strconv.Itoa(n), r.label, strconv.Itoa(r.count), r.reference, r.rule}
			}
			for i := range cells {
				cells[i] = termtext.Clean(cells[i]) // branch names and terms come from the data
			}
			fmt.Fprintln(tw, strings.Join(cells, "\t"))
		}
		if n == 0 {
			fmt.Fprintln(tw, T("rc_none"))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	return nil
}
