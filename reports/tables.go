package reports

import (
	"fmt"
	"sort"
	"strings"

	"complaints/catalog"
	"complaints/readmodel"
)

// ---- R1 by business category -----------------------------------------------------------------------------

// r1Header is the header row of the R1 table; data starts below it.
const r1Header = 3

// R1 columns (1-based). The last three are hidden helpers: the numerators of the rates, so that the total row's
// rates are formulas over summed numerators and denominators and recalculate to the written figures. When a closed
// complaint's on-time flag is unknown (domain.md section 4), two more hidden helpers hold the on-time rates'
// denominators, the closed complaints whose flag on each clock is known.
const (
	r1Category = iota + 1
	r1OpenStart
	r1Received
	r1Regulator
	r1Major
	r1Closed
	r1Band0
	r1Band16
	r1Band31
	r1Band60
	r1OnTimeReg
	r1OnTimeInt
	r1Overdue
	r1OpenEnd
	r1AvgDays
	r1Share
	r1MoM
	r1YoY
	r1HelperReg
	r1HelperInt
	r1HelperDays
	r1HelperRegKnown
	r1HelperIntKnown
)

// r1NotRecorded marks the band and average-days cells of a row whose closed complaints all come from a source that
// records no reply dates (domain.md section 9): their duration is "not recorded", not 0.
func r1NotRecorded(f readmodel.CategoryFigures) bool { return f.Closed > 0 && f.DaysKnown == 0 }

func (w *workbook) r1() *grid {
	st := w.st
	p := w.period
	g := newGrid(w.t("sheet_r1"))
	g.Text(1, 1, w.t("r1_title"), st.title)
	g.Merge(1, 1, 1, r1YoY)
	g.heights[1] = 28
	g.Text(2, 1, w.kv("institution", w.opts.Institution)+"    "+w.kv("period", p.String())+"    "+w.t("unit"), st.subtitle)
	g.Merge(2, 1, 2, r1YoY)
	total := w.cats.Total(p)
	// the rates divide by the closed complaints whose flag is known: by closed when all are, else by helpers
	regDen, intDen, last := r1Closed, r1Closed, r1HelperDays
	headers := []string{"business_category", "rpt_open_at_start", "received", "received_regulator", "received_major",
		"closed", "rpt_closed_0_15", "rpt_closed_16_30", "rpt_closed_31_60", "rpt_closed_over_60",
		"rpt_on_time_regulatory", "rpt_on_time_internal", "rpt_overdue_at_end", "rpt_open_at_end", "rpt_avg_handling_days",
		"share_of_received", "mom", "yoy",
		"rpt_helper_regulatory_on_time", "rpt_helper_internal_on_time", "rpt_helper_handling_days_sum"}
	unknownClocks := total.RegulatoryKnown != total.Closed || total.InternalKnown != total.Closed
	if unknownClocks {
		regDen, intDen, last = r1HelperRegKnown, r1HelperIntKnown, r1HelperIntKnown
		headers = append(headers, "rpt_helper_regulatory_known", "rpt_helper_internal_known")
	}
	// closed complaints without handling days (a source without reply dates): average handling days divide by the
	// closed with days, in one more hidden helper column, and a note under the table says how many have no band
	daysUnknown, daysDen := total.DaysKnown != total.Closed, r1Closed
	if daysUnknown {
		if !unknownClocks {
			last = r1HelperIntKnown // the columns stay in their places; the known-clock helpers repeat closed
			headers = append(headers, "rpt_helper_regulatory_known", "rpt_helper_internal_known")
		}
		last++
		daysDen = last
		headers = append(headers, "rpt_helper_days_known")
	}
	for i, key := range headers {
		g.Text(r1Header, i+1, w.t(key), st.header)
	}
	// a year: the MoM column holds the year before's received (上年), beside YoY
	yearBase := w.oneYearBase()
	if yearBase {
		g.Text(r1Header, r1MoM, w.lastYearHeader(), st.header)
	}
	g.heights[r1Header] = 45
	for c := r1OpenStart; c <= last; c++ {
		g.widths[c] = 11
	}
	for c := r1HelperReg; c <= last; c++ {
		g.hidden[c] = true
	}
	g.freezeRow, g.freezeCol = r1Header+1, 2

	cur, prev, yago := w.cats.Sum(p), w.cats.Sum(p.Previous()), w.cats.Sum(p.YearEarlier())
	// a base before any data is no data: its MoM or YoY is "—", whatever its mart rows hold
	prevNone, yagoNone := w.noData(p.Previous()), w.noData(p.YearEarlier())
	codes := readmodel.OrderCodes("business_category", w.cats.Codes(), func(code string) bool {
		return !cur[code].IsZero() || prev[code].Received != 0 || yago[code].Received != 0
	})
	first := r1Header + 1
	totalRow := first + len(codes)
	noFigure := w.t("no_base")
	// rates writes the three rate cells of a row as formulas over the row's own cells, or "—" with nothing closed.
	rates := func(r int, f readmodel.CategoryFigures, ratio, days, none int) {
		g.rates(r, regDen, f.RegulatoryKnown, noFigure, none, []rateCell{{r1OnTimeReg, r1HelperReg, f.RegulatoryOnTime, ratio}})
		g.rates(r, intDen, f.InternalKnown, noFigure, none, []rateCell{{r1OnTimeInt, r1HelperInt, f.InternalOnTime, ratio}})
		if r1NotRecorded(f) {
			g.Text(r, r1AvgDays, w.t("rpt_not_recorded"), none)
			return
		}
		g.rates(r, daysDen, f.DaysKnown, noFigure, none, []rateCell{{r1AvgDays, r1HelperDays, f.HandlingDaysSum, days}})
	}
	counts := func(f readmodel.CategoryFigures) map[int]int64 {
		m := map[int]int64{
			r1OpenStart: f.OpenAtStart, r1Received: f.Received, r1Regulator: f.ReceivedRegulator, r1Major: f.ReceivedMajor,
			r1Closed: f.Closed, r1Band0: f.Closed0to15, r1Band16: f.Closed16to30, r1Band31: f.Closed31to60, r1Band60: f.ClosedOver60,
			r1Overdue: f.OverdueAtEnd, r1OpenEnd: f.OpenAtEnd,
			r1HelperReg: f.RegulatoryOnTime, r1HelperInt: f.InternalOnTime, r1HelperDays: f.HandlingDaysSum,
		}
		if unknownClocks || daysUnknown {
			m[r1HelperRegKnown], m[r1HelperIntKnown] = f.RegulatoryKnown, f.InternalKnown
		}
		if daysUnknown {
			m[daysDen] = f.DaysKnown
		}
		return m
	}
	// bands writes a row's band cells: "not recorded" where none of its closed complaints has handling days
	bands := func(r int, f readmodel.CategoryFigures, style int) {
		if r1NotRecorded(f) {
			for c := r1Band0; c <= r1Band60; c++ {
				g.Text(r, c, w.t("rpt_not_recorded"), style)
			}
		}
	}
	for i, code := range codes {
		r := first + i
		f := cur[code]
		g.Text(r, r1Category, catalog.Label("business_category", code, w.lang), st.text)
		for c, v := range counts(f) {
			g.Int(r, c, v, st.count)
		}
		bands(r, f, st.noFigure)
		rates(r, f, st.ratio, st.days, st.noFigure)
		if share, ok := readmodel.Share(f.Received, total.Received); ok {
			g.Formula(r, r1Share, fmt.Sprintf("C%d/C$%d", r, totalRow), share, st.ratio)
		} else {
			g.Text(r, r1Share, noFigure, st.noFigure)
		}
		w.r1Bases(g, r, f.Received, prev[code].Received, yago[code].Received, prevNone, yagoNone, yearBase, false)
	}
	g.Text(totalRow, 1, w.t("total"), st.totalText)
	for c, v := range counts(total) {
		g.Formula(totalRow, c, fmt.Sprintf("SUM(%s%d:%s%d)", colName(c), first, colName(c), totalRow-1), v, st.totalCount)
	}
	bands(totalRow, total, st.totalNoFigure)
	rates(totalRow, total, st.totalRatio, st.totalDays, st.totalNoFigure)
	if share, ok := readmodel.Share(total.Received, total.Received); ok {
		g.Formula(totalRow, r1Share, fmt.Sprintf("C%d/C$%d", totalRow, totalRow), share, st.totalRatio)
	} else {
		g.Text(totalRow, r1Share, noFigure, st.totalNoFigure)
	}
	prevTotal, yagoTotal := w.cats.Total(p.Previous()), w.cats.Total(p.YearEarlier())
	w.r1Bases(g, totalRow, total.Received, prevTotal.Received, yagoTotal.Received, prevNone, yagoNone, yearBase, true)
	if yearBase && !yagoNone {
		if c := colName(r1MoM); len(codes) > 0 {
			g.Formula(totalRow, r1MoM, fmt.Sprintf("SUM(%s%d:%s%d)", c, first, c, totalRow-1), yagoTotal.Received, st.totalCount)
		} else {
			g.Int(totalRow, r1MoM, 0, st.totalCount)
		}
	}
	if daysUnknown {
		note := totalRow + 2
		g.Text(note, 1, catalog.Msg("msg_nodates_r1_note", total.Closed-total.DaysKnown).In(w.lang), st.note)
		g.Merge(note, 1, note, r1YoY)
		g.heights[note] = 45
	}
	return g
}

// r1Bases writes a row's MoM and YoY of received, "—" where the base is no data; for a year (yearBase) the MoM
// column holds the year before's received instead (the total row's sum is written by the caller).
func (w *workbook) r1Bases(g *grid, r int, cur, prev, yago int64, prevNone, yagoNone, yearBase, total bool) {
	st := w.st
	ratio, count, none := st.ratio, st.count, st.noFigure
	if total {
		ratio, count, none = st.totalRatio, st.totalCount, st.totalNoFigure
	}
	noFigure := w.t("no_base")
	switch {
	case yearBase && yagoNone:
		g.Text(r, r1MoM, w.t("cov_no_data"), none)
	case yearBase && !total:
		g.Int(r, r1MoM, yago, count)
	case !yearBase:
		mom, ok := readmodel.Change(cur, prev)
		g.Ratio(r, r1MoM, mom, ok && !prevNone, ratio, none, noFigure)
	}
	yoy, ok := readmodel.Change(cur, yago)
	g.Ratio(r, r1YoY, yoy, ok && !yagoNone, ratio, none, noFigure)
}

// ---- R2 cause x business category ------------------------------------------------------------------------

func (w *workbook) r2() *grid {
	st := w.st
	p := w.period
	g := newGrid(w.t("sheet_r2"))
	cause := func(d readmodel.DimensionRow) string { return d.Cause }
	category := func(d readmodel.DimensionRow) string { return d.BusinessCategory }
	cells := w.dims.Received2(p, cause, category)
	byCause, byCat := w.dims.Received(p, cause), w.dims.Received(p, category)
	causes := readmodel.OrderCodes("cause", readmodel.Keys(byCause), func(c string) bool { return byCause[c] != 0 })
	cats := readmodel.OrderCodes("business_category", readmodel.Keys(byCat), func(c string) bool { return byCat[c] != 0 })
	totalCol := 2 + len(cats)
	shareCol := totalCol + 1
	g.Text(1, 1, w.t("rpt_r2_title"), st.title)
	g.Merge(1, 1, 1, shareCol)
	g.heights[1] = 28
	g.Text(2, 1, w.kv("institution", w.opts.Institution)+"    "+w.kv("period", p.String())+"    "+w.t("unit"), st.subtitle)
	g.Merge(2, 1, 2, shareCol)
	g.Text(3, 1, w.t("cause"), st.header)
	for i, code := range cats {
		g.Text(3, 2+i, catalog.Label("business_category", code, w.lang), st.header)
	}
	g.Text(3, totalCol, w.t("total"), st.header)
	g.Text(3, shareCol, w.t("rpt_share_of_total"), st.header)
	g.heights[3] = 45
	for c := 2; c <= shareCol; c++ {
		g.widths[c] = 10
	}
	g.freezeRow, g.freezeCol = 4, 2
	first := 4
	totalRow := first + len(causes)
	var grand int64
	for _, n := range byCause {
		grand += n
	}
	noFigure := w.t("no_base")
	last := colName(totalCol - 1)
	for i, code := range causes {
		r := first + i
		g.Text(r, 1, catalog.Label("cause", code, w.lang), st.text)
		for j, cat := range cats {
			g.Int(r, 2+j, cells[[2]string{code, cat}], st.count)
		}
		g.Formula(r, totalCol, fmt.Sprintf("SUM(B%d:%s%d)", r, last, r), byCause[code], st.count)
		if share, ok := readmodel.Share(byCause[code], grand); ok {
			g.Formula(r, shareCol, fmt.Sprintf("%s%d/%s$%d", colName(totalCol), r, colName(totalCol), totalRow), share, st.ratio)
		} else {
			g.Text(r, shareCol, noFigure, st.noFigure)
		}
	}
	g.Text(totalRow, 1, w.t("total"), st.totalText)
	for j, cat := range cats {
		c := 2 + j
		g.Formula(totalRow, c, fmt.Sprintf("SUM(%s%d:%s%d)", colName(c), first, colName(c), totalRow-1), byCat[cat], st.totalCount)
	}
	g.Formula(totalRow, totalCol, fmt.Sprintf("SUM(%s%d:%s%d)", colName(totalCol), first, colName(totalCol), totalRow-1), grand, st.totalCount)
	if share, ok := readmodel.Share(grand, grand); ok {
		g.Formula(totalRow, shareCol, fmt.Sprintf("%s%d/%s$%d", colName(totalCol), totalRow, colName(totalCol), totalRow), share, st.totalRatio)
	} else {
		g.Text(totalRow, shareCol, noFigure, st.totalNoFigure)
	}
	return g
}

// ---- R3 by region and branch -----------------------------------------------------------------------------

// r3Header is the header row of both R3 tables (province in A-C, branch in E-G).
const r3Header = 4

func (w *workbook) r3() *grid {
	st := w.st
	p := w.period
	g := newGrid(w.t("rpt_sheet_r3"))
	g.Text(1, 1, w.t("rpt_r3_title"), st.title)
	g.Merge(1, 1, 1, 7)
	g.heights[1] = 28
	g.Text(2, 1, w.kv("institution", w.opts.Institution)+"    "+w.kv("period", p.String())+"    "+w.t("unit"), st.subtitle)
	g.Merge(2, 1, 2, 7)
	g.Text(3, 1, w.t("rpt_by_province"), st.section)
	g.Text(3, 5, w.t("rpt_by_branch"), st.section)
	g.widths[4] = 3
	g.freezeRow = r3Header + 1

	notRecorded := w.t("rpt_not_recorded")
	byProvince := w.dims.Received(p, func(d readmodel.DimensionRow) string { return d.Province })
	var provinces []string
	known := map[string]bool{}
	for _, c := range catalog.Dimension("province") {
		known[c.Code] = true
		if byProvince[c.Code] != 0 {
			provinces = append(provinces, c.Code)
		}
	}
	// then the regions no province code matched (raw text, a crosswalk source's US states), most complaints
	// first, then none recorded
	others := []string{}
	for _, code := range readmodel.Keys(byProvince) {
		if !known[code] && code != "" && byProvince[code] != 0 {
			others = append(others, code)
		}
	}
	sort.SliceStable(others, func(i, j int) bool { return byProvince[others[i]] > byProvince[others[j]] })
	provinces = append(provinces, others...)
	if byProvince[""] != 0 {
		provinces = append(provinces, "")
	}
	provLabel := func(code string) string {
		if code == "" {
			return notRecorded
		}
		return catalog.Label("province", code, w.lang)
	}
	heading := regionHeading(provinces)
	if section := map[string]string{"rpt_us_state": "rpt_by_us_state", "rpt_region": "rpt_by_region"}[heading]; section != "" {
		g.Text(3, 1, w.t(section), st.section)
	}
	provTotal := w.shareTable(g, 1, w.t(heading), provinces, byProvince, provLabel)

	byBranch := w.dims.Received(p, func(d readmodel.DimensionRow) string { return d.Branch })
	branches := readmodel.Keys(byBranch)
	sort.SliceStable(branches, func(i, j int) bool {
		a, b := branches[i], branches[j]
		if (a == "") != (b == "") {
			return b == ""
		}
		return byBranch[a] > byBranch[b]
	})
	kept := branches[:0]
	for _, b := range branches {
		if byBranch[b] != 0 {
			kept = append(kept, b)
		}
	}
	branchTotal := w.shareTable(g, 5, w.t("rpt_branch"), kept, byBranch, func(name string) string {
		return w.branchLabel(name)
	})

	// The regulator's bulletin measures over the bank's own denominators, as formulas over the province total.
	if w.opts.Branches <= 0 && w.opts.PersonalCustomers <= 0 {
		return g
	}
	var received int64
	for _, n := range byProvince {
		received += n
	}
	r := max(provTotal, branchTotal) + 2
	g.Text(r, 1, w.t("rpt_regulator_measures"), st.section)
	r++
	g.Text(r, 1, w.t("figure"), st.header)
	g.Text(r, 2, w.t("rpt_denominator"), st.header)
	g.Text(r, 3, w.t("rpt_value"), st.header)
	r++
	measure := func(key string, denominator int64, scale float64) {
		g.Text(r, 1, w.t(key), st.label)
		g.Int(r, 2, denominator, st.count)
		g.Formula(r, 3, fmt.Sprintf("B$%d/B%d*%s", provTotal, r, formatScale(scale)), float64(received)/float64(denominator)*scale, st.days)
		r++
	}
	if w.opts.Branches > 0 {
		measure("rpt_per_1000_branches", int64(w.opts.Branches), 1e3)
	}
	if w.opts.PersonalCustomers > 0 {
		measure("rpt_per_10m_customers", w.opts.PersonalCustomers, 1e7)
	}
	return g
}

func formatScale(s float64) string { return fmt.Sprintf("%.0f", s) }

// shareTable writes a label | received | share table at column col from r3Header down, with a total row of
// formulas, and returns the total row.
func (w *workbook) shareTable(g *grid, col int, header string, keys []string, received map[string]int64, label func(string) string) int {
	st := w.st
	g.Text(r3Header, col, header, st.header)
	g.Text(r3Header, col+1, w.t("received"), st.header)
	g.Text(r3Header, col+2, w.t("share_of_received"), st.header)
	first := r3Header + 1
	totalRow := first + len(keys)
	var total int64
	for _, k := range keys {
		total += received[k]
	}
	rc := colName(col + 1)
	for i, k := range keys {
		r := first + i
		g.Text(r, col, label(k), st.text)
		g.Int(r, col+1, received[k], st.count)
		share, _ := readmodel.Share(received[k], total) // total > 0: every row kept is nonzero
		g.Formula(r, col+2, fmt.Sprintf("%s%d/%s$%d", rc, r, rc, totalRow), share, st.ratio)
	}
	g.Text(totalRow, col, w.t("total"), st.totalText)
	if len(keys) == 0 {
		g.Int(totalRow, col+1, 0, st.totalCount)
		g.Text(totalRow, col+2, w.t("no_base"), st.totalNoFigure)
		return totalRow
	}
	g.Formula(totalRow, col+1, fmt.Sprintf("SUM(%s%d:%s%d)", rc, first, rc, totalRow-1), total, st.totalCount)
	g.Formula(totalRow, col+2, fmt.Sprintf("%s%d/%s$%d", rc, totalRow, rc, totalRow), 1.0, st.totalRatio)
	return totalRow
}

// ---- By intake channel -----------------------------------------------------------------------------------

func (w *workbook) channels() *grid {
	st := w.st
	p := w.period
	g := newGrid(w.t("rpt_sheet_channels"))
	g.Text(1, 1, w.t("rpt_channels_title"), st.title)
	g.Merge(1, 1, 1, 7)
	g.heights[1] = 28
	g.Text(2, 1, w.kv("institution", w.opts.Institution)+"    "+w.kv("period", p.String())+"    "+w.t("unit"), st.subtitle)
	g.Merge(2, 1, 2, 7)
	headers := []string{w.t("intake_channel"), w.t("received"), w.t("share_of_received"),
		w.t("previous_period") + " " + p.Previous().String(), w.t("mom"),
		w.t("year_earlier_period") + " " + p.YearEarlier().String(), w.t("yoy")}
	// a year: the year before once (上年), with YoY; the columns of a base before any data read "—"
	yearBase := w.oneYearBase()
	if yearBase {
		headers = []string{headers[0], headers[1], headers[2], w.lastYearHeader(), w.t("yoy")}
	}
	prevNone, yagoNone := w.noData(p.Previous()), w.noData(p.YearEarlier())
	for i, h := range headers {
		g.Text(3, i+1, h, st.header)
	}
	g.freezeRow, g.freezeCol = 4, 2
	key := func(d readmodel.DimensionRow) string { return d.IntakeChannel }
	cur, prev, yago := w.dims.Received(p, key), w.dims.Received(p.Previous(), key), w.dims.Received(p.YearEarlier(), key)
	all := map[string]int64{}
	for _, m := range []map[string]int64{cur, prev, yago} {
		for k, v := range m {
			all[k] += v
		}
	}
	codes := readmodel.OrderCodes("intake_channel", readmodel.Keys(all), func(c string) bool { return all[c] != 0 })
	first := 4
	totalRow := first + len(codes)
	var tc, tp, ty int64
	for _, c := range codes {
		tc, tp, ty = tc+cur[c], tp+prev[c], ty+yago[c]
	}
	noFigure := w.t("no_base")
	// the base columns: previous period (4, 5) and year earlier (6, 7), or for a year the year before (4, 5)
	type base struct {
		count, change int
		none, yago    bool
	}
	bases := []base{{4, 5, prevNone, false}, {6, 7, yagoNone, true}}
	if yearBase {
		bases = []base{{4, 5, yagoNone, true}}
	}
	pick := func(x base, prev, yago int64) int64 {
		if x.yago {
			return yago
		}
		return prev
	}
	row := func(r int, c, b, y int64, count, ratio, none int) {
		for _, x := range bases {
			chg, ok := readmodel.Change(c, pick(x, b, y))
			g.Ratio(r, x.change, chg, ok && !x.none, ratio, none, noFigure)
		}
	}
	for i, code := range codes {
		r := first + i
		g.Text(r, 1, catalog.Label("intake_channel", code, w.lang), st.text)
		g.Int(r, 2, cur[code], st.count)
		if share, ok := readmodel.Share(cur[code], tc); ok {
			g.Formula(r, 3, fmt.Sprintf("B%d/B$%d", r, totalRow), share, st.ratio)
		} else {
			g.Text(r, 3, noFigure, st.noFigure)
		}
		for _, x := range bases {
			if x.none {
				g.Text(r, x.count, w.t("cov_no_data"), st.noFigure)
			} else {
				g.Int(r, x.count, pick(x, prev[code], yago[code]), st.count)
			}
		}
		row(r, cur[code], prev[code], yago[code], st.count, st.ratio, st.noFigure)
	}
	g.Text(totalRow, 1, w.t("total"), st.totalText)
	sums := map[int]int64{2: tc}
	for _, x := range bases {
		if x.none {
			g.Text(totalRow, x.count, w.t("cov_no_data"), st.totalNoFigure)
		} else {
			sums[x.count] = pick(x, tp, ty)
		}
	}
	for c, v := range sums {
		g.Formula(totalRow, c, fmt.Sprintf("SUM(%s%d:%s%d)", colName(c), first, colName(c), totalRow-1), v, st.totalCount)
	}
	if share, ok := readmodel.Share(tc, tc); ok {
		g.Formula(totalRow, 3, fmt.Sprintf("B%d/B$%d", totalRow, totalRow), share, st.totalRatio)
	} else {
		g.Text(totalRow, 3, noFigure, st.totalNoFigure)
	}
	row(totalRow, tc, tp, ty, st.totalCount, st.totalRatio, st.totalNoFigure)
	// a group holding a regulator referral is counted on the regulator-referral row (domain.md section 5)
	note := totalRow + 2
	g.Text(note, 1, catalog.Msg("msg_figures_channels_moved", w.channelMoves).In(w.lang), st.note)
	g.Merge(note, 1, note, 7)
	g.heights[note] = 32
	return g
}

// regionHeading is the label key of a region column's heading for the region codes shown: GB/T 2260 provinces
// (with raw texts no code matched) keep "Province (GB/T 2260)"; US states alone (a crosswalk source's US-<code>)
// are "State (US)"; both together are "Region".
func regionHeading(codes []string) string {
	known := map[string]bool{}
	for _, c := range catalog.Dimension("province") {
		known[c.Code] = true
	}
	var us, others bool
	for _, code := range codes {
		switch {
		case code == "":
		case strings.HasPrefix(code, "US-") && !known[code]:
			us = true
		default:
			others = true
		}
	}
	switch {
	case us && others:
		return "rpt_region"
	case us:
		return "rpt_us_state"
	}
	return "rpt_province"
}
