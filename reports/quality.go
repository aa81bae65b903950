package reports

import (
	"fmt"

	"complaints/catalog"
	"complaints/readmodel"
)

// ---- Data quality ----------------------------------------------------------------------------------------

func (w *workbook) quality() *grid {
	st := w.st
	g := newGrid(w.t("sheet_quality"))
	g.Text(1, 1, w.withBranch(w.t("sheet_quality")), st.title)
	g.Merge(1, 1, 1, 8)
	g.heights[1] = 28
	g.Text(2, 1, w.t("rejects_by_reason"), st.section)
	g.Text(2, 4, w.t("rows_by_file"), st.section)
	g.Text(3, 1, w.t("reject_reason"), st.header)
	g.Text(3, 2, w.t("rows_rejected"), st.header)
	for i, key := range []string{"file", "source_system", "rows_read", "rows_accepted", "rows_rejected"} {
		g.Text(3, 4+i, w.t(key), st.header)
	}
	g.freezeRow = 4
	g.widths[3] = 3 // gutter between the two tables

	r := 4
	var sum int64
	for _, x := range w.reasons {
		g.Text(r, 1, x.Reason, st.text)
		g.Int(r, 2, x.Rows, st.count)
		sum += x.Rows
		r++
	}
	if len(w.reasons) == 0 {
		g.Text(r, 1, w.t("no_rejects"), st.text)
		g.Merge(r, 1, r, 2)
	} else {
		g.Text(r, 1, w.t("total"), st.totalText)
		g.Formula(r, 2, fmt.Sprintf("SUM(B4:B%d)", r-1), sum, st.totalCount)
	}
	leftEnd := r

	r = 4
	var read, accepted, rejected int64
	for _, b := range w.batches {
		g.Text(r, 4, b.FilePath, st.text)
		g.Text(r, 5, b.SourceSystem, st.text)
		g.Int(r, 6, b.RowsRead, st.count)
		g.Int(r, 7, b.RowsAccepted, st.count)
		g.Int(r, 8, b.RowsRejected, st.count)
		read, accepted, rejected = read+b.RowsRead, accepted+b.RowsAccepted, rejected+b.RowsRejected
		r++
	}
	if len(w.batches) == 0 {
		g.Text(r, 4, w.t("no_batches"), st.text)
		g.Merge(r, 4, r, 8)
	} else {
		g.Text(r, 4, w.t("total"), st.totalText)
		g.Text(r, 5, "", st.totalText)
		for c, v := range map[int]int64{6: read, 7: accepted, 8: rejected} {
			g.Formula(r, c, fmt.Sprintf("SUM(%s4:%s%d)", colName(c), colName(c), r-1), v, st.totalCount)
		}
	}
	top := max(leftEnd, r) + 2

	// Left: the period's records by kind (mart_month, month of receipt), then the consistency checks.
	r = top
	g.Text(r, 1, w.t("rpt_record_counts")+" "+w.period.String(), st.section)
	r++
	g.Text(r, 1, w.t("rpt_kind"), st.header)
	g.Text(r, 2, w.t("rpt_records"), st.header)
	r++
	m := w.months.Sum(w.period)
	for _, x := range []struct {
		key string
		n   int64
	}{
		{"rpt_non_complaints", m.NonComplaints}, {"rpt_not_accepted", m.NotAccepted}, {"rpt_withdrawn", m.Withdrawn},
		{"rpt_duplicates_linked", m.DuplicatesLinked}, {"rpt_reply_date_invalid", m.ReplyDateInvalid}, {"rpt_type_missing", m.TypeMissing},
	} {
		g.Text(r, 1, w.t(x.key), st.text)
		g.Int(r, 2, x.n, st.count)
		r++
	}
	// the period's complaints without a province (neither the export nor the branch master gives one), and their
	// share of the period's complaints (mart_dimension_month, as the regional tables count)
	byProvince := w.dims.Received(w.period, func(d readmodel.DimensionRow) string { return d.Province })
	var all int64
	for _, n := range byProvince {
		all += n
	}
	g.Text(r, 1, w.t("rpt_no_province"), st.text)
	g.Int(r, 2, byProvince[""], st.count)
	r++
	g.Text(r, 1, w.t("rpt_no_province_share"), st.text)
	share, ok := readmodel.Share(byProvince[""], all)
	g.Ratio(r, 2, share, ok, st.ratio, st.noFigure, w.t("no_base"))
	r++
	r++
	g.Text(r, 1, w.t("rpt_consistency_checks"), st.section)
	r++
	g.Text(r, 1, w.t("rpt_check"), st.header)
	g.Text(r, 2, w.t("rpt_records"), st.header)
	r++
	first := r
	var issues int64
	for _, c := range w.checks {
		label := w.t("rpt_check_" + c.Check)
		if len(label) > 0 && label[0] == '?' { // a check this version does not label: show its code
			label = c.Check
		} else if c.Years != "" { // the years to add to the calendar
			label = w.kv("rpt_check_"+c.Check, c.Years)
		}
		g.Text(r, 1, label, st.text)
		g.Int(r, 2, c.Records, st.count)
		issues += c.Records
		r++
	}
	if len(w.checks) == 0 {
		g.Text(r, 1, w.t("rpt_no_issues"), st.text)
		g.Int(r, 2, 0, st.count)
	} else {
		g.Text(r, 1, w.t("total"), st.totalText)
		g.Formula(r, 2, fmt.Sprintf("SUM(B%d:B%d)", first, r-1), issues, st.totalCount)
	}
	bottom := r

	// Right: every raw value that maps to no catalogue code.
	r = top
	g.Text(r, 4, w.t("rpt_unmapped_values"), st.section)
	r++
	for i, key := range []string{"rpt_dimension", "rpt_raw_value", "rpt_records", "rpt_sources"} {
		g.Text(r, 4+i, w.t(key), st.header)
	}
	r++
	if len(w.unmapped) == 0 {
		g.Text(r, 4, w.t("rpt_no_issues"), st.text)
		g.Merge(r, 4, r, 7)
	}
	for _, u := range w.unmapped {
		g.Text(r, 4, w.dimensionLabel(u.Dimension), st.text)
		g.Text(r, 5, u.RawValue, st.text)
		g.Int(r, 6, u.Records, st.count)
		g.Text(r, 7, u.Sources, st.text)
		r++
	}
	w.coverageTable(g, max(r, bottom)+2)
	return g
}

// coverageTable writes the period's months' coverage by source (domain.md section 5, Coverage) from row r.
func (w *workbook) coverageTable(g *grid, r int) {
	if !w.coverage.Known {
		return
	}
	st := w.st
	g.Text(r, 1, w.t("cov_table")+" "+w.period.String(), st.section)
	r++
	g.Text(r, 1, w.coverage.Sentence(w.lang), st.text)
	g.Merge(r, 1, r, 8)
	r++
	for i, key := range []string{"cov_month", "cov_source", "cov_received", "cov_median", "cov_status"} {
		g.Text(r, 1+i, w.t(key), st.header)
	}
	r++
	for _, c := range w.coverage.Rows {
		g.Text(r, 1, c.Month.String(), st.text)
		g.Text(r, 2, c.Source, st.text)
		if c.Covered {
			g.Int(r, 3, c.Received, st.count)
		} else {
			g.Text(r, 3, w.t("cov_no_data"), st.text)
		}
		if c.HasMedian {
			g.Text(r, 4, fmt.Sprintf("%.1f", c.Median), st.text)
		} else {
			g.Text(r, 4, w.t("cov_no_data"), st.text)
		}
		g.Text(r, 5, w.t("cov_status_"+c.Status), st.text)
		r++
	}
}

// dimensionLabel names a catalogue dimension.
func (w *workbook) dimensionLabel(dim string) string {
	switch dim {
	case "business_category", "cause", "intake_channel":
		return w.t(dim)
	case "business_channel":
		return w.t("rpt_business_channel")
	case "status", "demand", "satisfaction":
		return w.t("rpt_dim_" + dim)
	}
	if s := catalog.Text(dim, w.lang); s != "?"+dim {
		return s
	}
	return dim
}
