package reports

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"complaints/catalog"
	"complaints/readmodel"
)

// The annual disclosure (年度消费投诉情况), laid out as banks publish it (Bank of China's 2025 report): a paragraph
// with the year's complaints after merging duplicates and the year-on-year change, the months the year's data
// cover, then the distribution by business category, by cause and by region, each with shares and the year before
// ("—" when the year before is no data, periods.go). Printed A4 portrait.

const disclosureCols = 5

// shareRow is one line of a distribution: a label and the counts of this year and the year before.
type shareRow struct {
	label     string
	cur, prev int64
	none      bool // "not recorded": listed last, never named in the paragraph
}

func (w *workbook) disclosure() *grid {
	st := w.st
	p := w.period
	prevP := p.YearEarlier()
	g := newGrid(w.t("rk_sheet_disclosure"))
	year := strconv.Itoa(p.Start.Year())
	g.Text(1, 1, w.opts.Institution+strings.ReplaceAll(w.t("rk_disclosure_title"), "{year}", year), st.title)
	g.Merge(1, 1, 1, disclosureCols)
	g.heights[1] = 30
	g.Text(2, 1, w.t("unit"), st.subtitle)
	g.Merge(2, 1, 2, disclosureCols)
	for c := 2; c <= disclosureCols; c++ {
		g.widths[c] = 14
	}

	cur, prev := w.cats.Total(p), w.cats.Total(prevP)
	// the year before is no data when it starts before any data: "—" in its columns, never 0, and no YoY
	prevNone := w.noData(prevP)
	dupCur, dupPrev := w.months.Sum(p).DuplicatesLinked, w.months.Sum(prevP).DuplicatesLinked

	catCur, catPrev := w.cats.Sum(p), w.cats.Sum(prevP)
	// a row of the year before alone is not listed when the year before is no data
	prevOf := func(m map[string]int64) map[string]int64 {
		if prevNone {
			return nil
		}
		return m
	}
	if prevNone {
		catPrev = nil
	}
	var cats []shareRow
	for _, code := range readmodel.OrderCodes("business_category", w.cats.Codes(), func(string) bool { return true }) {
		if r := (shareRow{label: catalog.Label("business_category", code, w.lang), cur: catCur[code].Received, prev: catPrev[code].Received}); r.cur+r.prev > 0 {
			cats = append(cats, r)
		}
	}
	cause := func(d readmodel.DimensionRow) string { return d.Cause }
	causes := w.distribution(w.dims.Received(p, cause), prevOf(w.dims.Received(prevP, cause)), func(c string) string {
		return catalog.Label("cause", c, w.lang)
	})
	// the regional ranking lists the provinces recorded; the complaints without one are a footnote share
	province := func(d readmodel.DimensionRow) string { return d.Province }
	byProvCur, byProvPrev := w.dims.Received(p, province), prevOf(w.dims.Received(prevP, province))
	noneCur, nonePrev := byProvCur[""], byProvPrev[""]
	delete(byProvCur, "")
	delete(byProvPrev, "")
	regions := w.distribution(byProvCur, byProvPrev, func(c string) string {
		return catalog.Label("province", c, w.lang)
	})
	for _, rows := range [][]shareRow{cats, causes, regions} {
		sortShares(rows)
	}

	// The paragraph a bank publishes, from the figures of the tables below.
	para := w.disclosureText(year, cur.Received, prev.Received, prevNone, cats, causes, regions)
	g.Text(3, 1, para, st.wrap)
	g.Merge(3, 1, 3, disclosureCols)
	// the months the year's data covers, in words
	g.Text(4, 1, strings.ReplaceAll(w.t("per_disclosure_span"), "{span}", w.dataSpan()), st.note)
	g.Merge(4, 1, 4, disclosureCols)

	// 一、总体情况
	r := 5
	g.Text(r, 1, w.t("rk_disclosure_overall"), st.section)
	r++
	for i, h := range []string{w.t("figure"), w.t("rk_this_year") + " " + year, w.t("rk_last_year") + " " + strconv.Itoa(prevP.Start.Year()), w.t("yoy")} {
		g.Text(r, i+1, h, st.header)
	}
	r++
	noFigure := w.t("no_base")
	after := r
	footRow, foot := 0, ""
	for _, x := range []struct {
		key       string
		cur, prev int64
	}{{"rk_received_after_merge", cur.Received, prev.Received}, {"rpt_duplicates_merged", dupCur, dupPrev}} {
		g.Text(r, 1, w.t(x.key), st.label)
		g.Int(r, 2, x.cur, st.count)
		w.priorCount(g, r, 3, x.prev, prevNone, false)
		v, ok := readmodel.Change(x.cur, x.prev)
		g.Ratio(r, 4, v, ok && !prevNone, st.ratio, st.noFigure, noFigure)
		r++
	}
	g.Text(r, 1, w.t("rk_received_before_merge"), st.totalText)
	sums := map[int]int64{2: cur.Received + dupCur}
	if prevNone {
		w.priorCount(g, r, 3, 0, true, true)
	} else {
		sums[3] = prev.Received + dupPrev
	}
	for c, v := range sums {
		g.Formula(r, c, fmt.Sprintf("SUM(%s%d:%s%d)", colName(c), after, colName(c), r-1), v, st.totalCount)
	}
	v, ok := readmodel.Change(cur.Received+dupCur, prev.Received+dupPrev)
	g.Ratio(r, 4, v, ok && !prevNone, st.totalRatio, st.totalNoFigure, noFigure)
	r += 2

	regionKey := regionHeading(append(readmodel.Keys(byProvCur), readmodel.Keys(byProvPrev)...))
	for _, sec := range []struct {
		title, first string
		rows         []shareRow
	}{
		{"rk_disclosure_by_category", "business_category", cats},
		{"rk_disclosure_by_cause", "cause", causes},
		{"rk_disclosure_by_region", regionKey, regions},
	} {
		g.Text(r, 1, w.t(sec.title), st.section)
		total := w.shareSection(g, r+1, w.t(sec.first), year, strconv.Itoa(prevP.Start.Year()), sec.rows, prevNone)
		if sec.first == "business_category" {
			w.discCats = [2]int{r + 2, total - 1}
		}
		r = total + 2
		if sec.title == "rk_disclosure_by_region" {
			foot = w.regionFootnote(regionKey, year, noneCur, nonePrev, sumRegions(regions, false)+noneCur, sumRegions(regions, true)+nonePrev, prevNone)
			g.Text(total+1, 1, foot, st.note)
			g.Merge(total+1, 1, total+1, disclosureCols)
			footRow = total + 1
			r = total + 3
		}
	}
	note := w.t("rk_disclosure_note")
	g.Text(r, 1, note, st.note)
	g.Merge(r, 1, r, disclosureCols)
	// Merged cells do not grow with their text: give the paragraph and the note the lines they need.
	var width float64
	for _, x := range g.columnWidths() {
		width += x
	}
	lines := func(s string) float64 { return math.Ceil(float64(displayWidth(s)) / math.Max(width-4, 10)) }
	g.heights[3] = 15 * math.Max(3, lines(para)+1)
	g.heights[r] = 15 * lines(note)
	g.heights[footRow] = 15 * lines(foot)
	w.discChartRow = r + 2
	return g
}

// regionFootnote states the complaints without a recorded province (a recorded state, when the regions are US
// states: heading is regionHeading's key), this year and the year before (or that it has no data), and their
// share of all the year's complaints.
func (w *workbook) regionFootnote(heading, year string, cur, prev, allCur, allPrev int64, prevNone bool) string {
	pct := func(n, of int64) string {
		s, ok := readmodel.Share(n, of)
		if !ok {
			return w.t("no_base")
		}
		return strconv.FormatFloat(s*100, 'f', 1, 64) + "%"
	}
	key := "rk_disclosure_region_footnote"
	switch {
	case heading == "rpt_us_state" && prevNone:
		key = "per_disclosure_state_footnote_no_prior"
	case heading == "rpt_us_state":
		key = "rk_disclosure_state_footnote"
	case prevNone:
		key = "per_disclosure_region_footnote_no_prior"
	}
	return strings.NewReplacer("{n}", groupThousands(cur), "{year}", year, "{pct}", pct(cur, allCur),
		"{prev_n}", groupThousands(prev), "{prev_pct}", pct(prev, allPrev)).Replace(w.t(key))
}

// priorCount writes the year before's count, or "—" when the year before is no data.
func (w *workbook) priorCount(g *grid, r, c int, n int64, none, total bool) {
	count, noFigure := w.st.count, w.st.noFigure
	if total {
		count, noFigure = w.st.totalCount, w.st.totalNoFigure
	}
	if none {
		g.Text(r, c, w.t("cov_no_data"), noFigure)
		return
	}
	g.Int(r, c, n, count)
}

// sumRegions adds the rows' counts of this year (or, prev, of the year before).
func sumRegions(rows []shareRow, prev bool) int64 {
	var n int64
	for _, x := range rows {
		if prev {
			n += x.prev
		} else {
			n += x.cur
		}
	}
	return n
}

// distribution turns two maps of counts into rows (codes with a count in either year).
func (w *workbook) distribution(cur, prev map[string]int64, label func(string) string) []shareRow {
	all := map[string]bool{}
	for k := range cur {
		all[k] = true
	}
	for k := range prev {
		all[k] = true
	}
	var out []shareRow
	for _, k := range readmodel.Keys(all) {
		if cur[k]+prev[k] > 0 {
			out = append(out, shareRow{label(k), cur[k], prev[k], k == ""})
		}
	}
	return out
}

// sortShares puts the largest first (this year's count, then last year's, then the label).
func sortShares(rows []shareRow) {
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].none != rows[j].none {
			return rows[j].none
		}
		if rows[i].cur != rows[j].cur {
			return rows[i].cur > rows[j].cur
		}
		if rows[i].prev != rows[j].prev {
			return rows[i].prev > rows[j].prev
		}
		return rows[i].label < rows[j].label
	})
}

// shareSection writes header | count | share | last year | YoY from row header, a total row of formulas, and
// returns the total row.
func (w *workbook) shareSection(g *grid, header int, first, year, prevYear string, rows []shareRow, prevNone bool) int {
	st := w.st
	for i, h := range []string{first, w.t("rk_complaints") + " " + year, w.t("share_of_received"), w.t("rk_complaints") + " " + prevYear, w.t("yoy")} {
		g.Text(header, i+1, h, st.header)
	}
	g.heights[header] = 30
	firstRow := header + 1
	totalRow := firstRow + len(rows)
	var tc, tp int64
	for _, x := range rows {
		tc, tp = tc+x.cur, tp+x.prev
	}
	noFigure := w.t("no_base")
	for i, x := range rows {
		r := firstRow + i
		g.Text(r, 1, x.label, st.text)
		g.Int(r, 2, x.cur, st.count)
		if s, ok := readmodel.Share(x.cur, tc); ok {
			g.Formula(r, 3, fmt.Sprintf("B%d/B$%d", r, totalRow), s, st.ratio)
		} else {
			g.Text(r, 3, noFigure, st.noFigure)
		}
		w.priorCount(g, r, 4, x.prev, prevNone, false)
		v, ok := readmodel.Change(x.cur, x.prev)
		g.Ratio(r, 5, v, ok && !prevNone, st.ratio, st.noFigure, noFigure)
	}
	g.Text(totalRow, 1, w.t("total"), st.totalText)
	if len(rows) == 0 {
		g.Int(totalRow, 2, 0, st.totalCount)
		g.Text(totalRow, 3, noFigure, st.totalNoFigure)
		w.priorCount(g, totalRow, 4, 0, prevNone, true)
		g.Text(totalRow, 5, noFigure, st.totalNoFigure)
		return totalRow
	}
	g.Formula(totalRow, 2, fmt.Sprintf("SUM(B%d:B%d)", firstRow, totalRow-1), tc, st.totalCount)
	if s, ok := readmodel.Share(tc, tc); ok {
		g.Formula(totalRow, 3, fmt.Sprintf("B%d/B$%d", totalRow, totalRow), s, st.totalRatio)
	} else {
		g.Text(totalRow, 3, noFigure, st.totalNoFigure)
	}
	if prevNone {
		w.priorCount(g, totalRow, 4, 0, true, true)
	} else {
		g.Formula(totalRow, 4, fmt.Sprintf("SUM(D%d:D%d)", firstRow, totalRow-1), tp, st.totalCount)
	}
	v, ok := readmodel.Change(tc, tp)
	g.Ratio(totalRow, 5, v, ok && !prevNone, st.totalRatio, st.totalNoFigure, noFigure)
	return totalRow
}

// disclosureText is the published paragraph: the year's complaints after merging duplicates, the change on the
// year before, and the three largest business categories, causes and regions with their shares.
func (w *workbook) disclosureText(year string, cur, prev int64, prevNone bool, cats, causes, regions []shareRow) string {
	var b strings.Builder
	b.WriteString(strings.NewReplacer("{year}", year, "{n}", groupThousands(cur)).Replace(w.t("rk_disclosure_para_total")))
	if v, ok := readmodel.Change(cur, prev); ok && !prevNone {
		key := "rk_disclosure_para_up"
		if v < 0 {
			key = "rk_disclosure_para_down"
		}
		b.WriteString(strings.ReplaceAll(w.t(key), "{pct}", strconv.FormatFloat(math.Abs(v)*100, 'f', 1, 64)+"%"))
	} else {
		b.WriteString(w.t("rk_disclosure_para_no_base"))
	}
	top := func(key string, rows []shareRow, total int64) {
		var names, shares []string
		for _, x := range rows {
			if len(names) == 3 || x.cur == 0 || x.none {
				break
			}
			names = append(names, x.label)
			s, _ := readmodel.Share(x.cur, total)
			shares = append(shares, strconv.FormatFloat(s*100, 'f', 1, 64)+"%")
		}
		if len(names) == 0 {
			return
		}
		sep := w.t("rk_list_sep")
		b.WriteString(strings.NewReplacer("{names}", strings.Join(names, sep), "{shares}", strings.Join(shares, sep)).Replace(w.t(key)))
	}
	sum := func(rows []shareRow) int64 {
		var n int64
		for _, x := range rows {
			n += x.cur
		}
		return n
	}
	top("rk_disclosure_para_categories", cats, sum(cats))
	top("rk_disclosure_para_causes", causes, sum(causes))
	top("rk_disclosure_para_regions", regions, sum(regions))
	return strings.TrimSpace(b.String())
}

// disclosureChart draws the shares by business category as a pie below the tables (the picture a published
// disclosure carries), from the category table's cells.
func (w *workbook) disclosureChart(f *excelize.File) error {
	first, last := w.discCats[0], w.discCats[1]
	if last < first {
		return nil
	}
	sheet := w.t("rk_sheet_disclosure")
	q := quoteSheet(sheet)
	err := f.AddChart(sheet, fmt.Sprintf("A%d", w.discChartRow), &excelize.Chart{
		Type: excelize.Pie,
		Series: []excelize.ChartSeries{{
			Name:       fmt.Sprintf("%s!$B$%d", q, first-1),
			Categories: fmt.Sprintf("%s!$A$%d:$A$%d", q, first, last),
			Values:     fmt.Sprintf("%s!$B$%d:$B$%d", q, first, last),
		}},
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: w.t("rk_disclosure_by_category")}}},
		Legend:    excelize.ChartLegend{Position: "right"},
		PlotArea:  excelize.ChartPlotArea{ShowPercent: true},
		Dimension: excelize.ChartDimension{Width: 560, Height: 320},
	})
	if err != nil {
		return fmt.Errorf("disclosure chart: %w", err)
	}
	return nil
}
