package reports

import (
	"fmt"
	"strings"
	"time"

	"complaints/catalog"
	"complaints/readmodel"
	"complaints/warehouse"
)

// The 更正/Restatements sheet: every filed figure of the period and scope the current data changes (filed, now,
// difference) and the complaints that entered or left it, as readmodel.LoadRestatements compares them.

// maxKeysShown is how many complaint keys a cell lists; `complaints list` gives them all.
const maxKeysShown = 40

func shortKeys(keys string, n int64) string {
	f := strings.Fields(keys)
	if len(f) <= maxKeysShown {
		return keys
	}
	return strings.Join(f[:maxKeysShown], " ") + fmt.Sprintf(" … (+%d)", n-maxKeysShown)
}

// itemLabel is a figure's item as shown: the catalogue's label, the branch's name, or the total.
func (w *workbook) itemLabel(dimension, item string) string {
	switch dimension {
	case "total":
		return w.t("total")
	case "branch":
		if item == "" {
			return w.t("rst_no_branch")
		}
		if n := w.restated.Names[item]; n != "" {
			return n
		}
		return item
	case "province":
		if item == "" {
			return w.t("rst_no_province")
		}
	}
	return catalog.Label(dimension, item, w.lang)
}

func (w *workbook) stamp(t time.Time) string {
	return warehouse.WallClockText(t) + " (" + w.t("beijing_time") + ")"
}

// restatementsSheet is the 更正/Restatements sheet; its table header is on row 4.
func (w *workbook) restatementsSheet() *grid {
	st := w.st
	const cols = 9
	g := newGrid(w.t("sheet_restatements"))
	g.Text(1, 1, w.withBranch(w.t("rst_title")+" "+w.period.String()), st.title)
	g.Merge(1, 1, 1, cols)
	g.heights[1] = 28
	g.Text(2, 1, w.t("prt_rst_intro"), st.subtitle)
	g.Merge(2, 1, 2, cols)
	r := w.restated
	if r == nil {
		r = &readmodel.Restatements{}
	}
	comma, semicolon := "，", "；"
	if w.lang == "en" {
		comma, semicolon = ", ", "; "
	}
	var filed []string
	for _, f := range r.Filings {
		asOf := f.FiledAt
		if !f.AsOf.IsZero() {
			asOf = f.AsOf
		}
		filed = append(filed, w.t("rst_filed_at")+w.t("colon")+w.stamp(f.FiledAt)+comma+w.t("as_of")+w.t("colon")+warehouse.WallClockText(asOf))
	}
	line := w.t("rst_no_filing")
	if len(filed) > 0 {
		line = w.t("rst_filings") + w.t("colon") + strings.Join(filed, semicolon)
	}
	g.Text(3, 1, line, st.text)
	g.Merge(3, 1, 3, cols)
	for i, key := range []string{"rst_filed_at", "rst_figure", "rst_dimension", "rst_item", "rst_filed", "rst_now", "rst_difference", "rst_entered", "rst_left"} {
		g.Text(4, i+1, w.t(key), st.header)
	}
	g.freezeRow = 5
	row := 5
	for _, x := range r.Rows {
		g.Text(row, 1, warehouse.WallClockText(r.Filings[x.Filing].FiledAt), st.text)
		g.Text(row, 2, w.t("rst_fig_"+x.Figure), st.text)
		g.Text(row, 3, w.t("rst_dim_"+x.Dimension), st.text)
		g.Text(row, 4, w.itemLabel(x.Dimension, x.Item), st.text)
		g.Int(row, 5, x.Filed, st.count)
		g.Int(row, 6, x.Now, st.count)
		g.Formula(row, 7, fmt.Sprintf("F%d-E%d", row, row), x.Now-x.Filed, st.count)
		g.Text(row, 8, shortKeys(x.Entered, x.EnteredN), st.wrap)
		g.Text(row, 9, shortKeys(x.Left, x.LeftN), st.wrap)
		row++
	}
	switch {
	case len(r.Filings) == 0:
		g.Text(row, 1, w.t("rst_nothing_to_compare"), st.text)
		g.Merge(row, 1, row, cols)
	case len(r.Rows) == 0:
		g.Text(row, 1, w.t("rst_no_change"), st.text)
		g.Merge(row, 1, row, cols)
	}
	g.widths[8], g.widths[9] = 40, 40
	return g
}
