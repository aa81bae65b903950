package reports

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"complaints/catalog"
	"complaints/reports/marts"
	"complaints/warehouse"
)

// Options of a report run.
type Options struct {
	// Period is "2026-10" (a month); "2026-Q3", "2026-H1" and "2026" are read too and sum their months.
	Period string
	// Lang is "zh" (default) or "en".
	Lang string
	// Institution is written on the cover and as the workbook's creator.
	Institution string
	// GeneratedAt is written on the cover and in the document properties; the caller passes time.Now() or the
	// SOURCE_DATE_EPOCH time so that a rebuilt workbook can be identical.
	GeneratedAt time.Time
	// Out is the .xlsx path written (through a temporary file beside it, renamed when complete).
	Out string
}

// TrendMonths is how many months the summary's trend shows, ending with the period's last month.
const TrendMonths = 13

// WriteMonthly writes the period's workbook: cover, summary, R1 by business category and data quality.
func WriteMonthly(ctx context.Context, db *sql.DB, opts Options) error {
	if opts.Out == "" {
		return errors.New("report: no output path")
	}
	p, err := marts.ParsePeriod(opts.Period)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	lang := opts.Lang
	if lang != "en" {
		lang = "zh"
	}
	// Everything the sheets need: the period, its MoM and YoY bases, and the trend's 13 months.
	from := min(p.YearEarlier().Start, p.Previous().Start, p.End()-TrendMonths+1)
	cats, err := marts.LoadCategoryMonths(ctx, db, from, p.End())
	if err != nil {
		return fmt.Errorf("report %s: %w", p, err)
	}
	batches, err := marts.LoadBatches(ctx, db)
	if err != nil {
		return fmt.Errorf("report %s: %w", p, err)
	}
	reasons, err := marts.LoadRejectReasons(ctx, db)
	if err != nil {
		return fmt.Errorf("report %s: %w", p, err)
	}
	w := &workbook{lang: lang, period: p, opts: opts, cats: cats, batches: batches, reasons: reasons}
	b, err := w.build()
	if err != nil {
		return fmt.Errorf("report %s: %w", p, err)
	}
	return writeFileAtomic(opts.Out, b)
}

type workbook struct {
	lang    string
	period  marts.Period
	opts    Options
	cats    marts.CategoryMonths
	batches []marts.Batch
	reasons []marts.ReasonCount
	st      *styles
}

func (w *workbook) t(key string) string { return catalog.Text(key, w.lang) }

// kv joins a label and a value as the catalogue's colon does ("机构名称：X", "Institution: X").
func (w *workbook) kv(key, value string) string { return w.t(key) + w.t("colon") + value }

// sheetLayout is what is applied to a sheet after its cells are streamed.
type sheetLayout struct {
	name        string
	printTitles string // rows repeated on every printed page, e.g. "$3:$3"
}

func (w *workbook) build() ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return nil, err
	}
	w.st = st
	grids := []struct {
		g           *grid
		printTitles string
	}{
		{w.cover(), ""},
		{w.summary(), ""},
		{w.r1(), "$3:$3"},
		{w.quality(), "$3:$3"},
	}
	if err := f.SetSheetName("Sheet1", grids[0].g.name); err != nil {
		return nil, err
	}
	for _, x := range grids {
		if err := x.g.write(f); err != nil {
			return nil, err
		}
	}
	// The stream writer has written every cell; reopen the package to add what it cannot: page setup, print
	// titles, the chart and the document properties.
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	f2, err := excelize.OpenReader(buf)
	if err != nil {
		return nil, err
	}
	defer f2.Close()
	for _, x := range grids {
		if err := pageSetup(f2, x.g.name, x.printTitles); err != nil {
			return nil, err
		}
	}
	if err := w.trendChart(f2, grids[1].g); err != nil {
		return nil, err
	}
	f2.SetActiveSheet(0)
	created := w.opts.GeneratedAt.UTC().Format(time.RFC3339)
	language := "zh-CN"
	if w.lang == "en" {
		language = "en-US"
	}
	if err := f2.SetDocProps(&excelize.DocProperties{
		Title:          w.t("report_title_monthly") + " " + w.period.String(),
		Subject:        w.t("report_title_monthly"),
		Creator:        w.opts.Institution,
		LastModifiedBy: w.opts.Institution,
		Created:        created,
		Modified:       created,
		Language:       language,
	}); err != nil {
		return nil, fmt.Errorf("document properties: %w", err)
	}
	out, err := f2.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// pageSetup prints every sheet on A4 landscape, one page wide, with the table header repeated.
func pageSetup(f *excelize.File, sheet, printTitles string) error {
	size, orientation, wide, tall, fit := 9, "landscape", 1, 0, true
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: &size, Orientation: &orientation, FitToWidth: &wide, FitToHeight: &tall}); err != nil {
		return fmt.Errorf("sheet %q: page layout: %w", sheet, err)
	}
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return fmt.Errorf("sheet %q: fit to page: %w", sheet, err)
	}
	if printTitles != "" {
		if err := f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: quoteSheet(sheet) + "!" + printTitles, Scope: sheet}); err != nil {
			return fmt.Errorf("sheet %q: print titles: %w", sheet, err)
		}
	}
	return nil
}

func quoteSheet(name string) string { return "'" + strings.ReplaceAll(name, "'", "''") + "'" }

func cellName(r, c int) string {
	s, _ := excelize.CoordinatesToCellName(c, r)
	return s
}

func colName(c int) string {
	s, _ := excelize.ColumnNumberToName(c)
	return s
}

func writeFileAtomic(path string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write %q: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return fmt.Errorf("write %q: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %q: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("write %q: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %q: %w", path, err)
	}
	return nil
}

// ---- Cover -----------------------------------------------------------------------------------------------

const coverCols = 7

func (w *workbook) cover() *grid {
	st := w.st
	g := newGrid(w.t("sheet_cover"))
	g.Text(1, 1, w.t("report_title_monthly"), st.title)
	g.Merge(1, 1, 1, coverCols)
	g.heights[1] = 28
	r := 3
	kv := func(key, value string) {
		g.Text(r, 1, w.t(key), st.label)
		g.Text(r, 2, value, st.text)
		g.Merge(r, 2, r, coverCols)
		r++
	}
	kv("institution", w.opts.Institution)
	kv("period", w.period.String())
	kv("generated_at", fmt.Sprintf("%s (%s)", warehouse.WallClockText(w.opts.GeneratedAt), w.t("beijing_time")))
	if n := len(w.batches); n > 0 {
		latest := w.batches[0].IngestedAt
		for _, b := range w.batches {
			if b.IngestedAt.After(latest) {
				latest = b.IngestedAt
			}
		}
		kv("as_of", latest.Format("2006-01-02 15:04:05")+" ("+w.t("beijing_time")+")")
	}

	r++
	g.Text(r, 1, w.t("source_files"), st.section)
	r++
	for i, key := range []string{"file", "source_system", "format", "rows_read", "rows_accepted", "rows_rejected", "ingested_at"} {
		g.Text(r, i+1, w.t(key), st.header)
	}
	r++
	first := r
	var read, accepted, rejected int64
	for _, b := range w.batches {
		g.Text(r, 1, b.FilePath, st.text)
		g.Text(r, 2, b.SourceSystem, st.text)
		g.Text(r, 3, b.Format, st.text)
		g.Int(r, 4, b.RowsRead, st.count)
		g.Int(r, 5, b.RowsAccepted, st.count)
		g.Int(r, 6, b.RowsRejected, st.count)
		g.Text(r, 7, b.IngestedAt.Format("2006-01-02 15:04:05"), st.text)
		read, accepted, rejected = read+b.RowsRead, accepted+b.RowsAccepted, rejected+b.RowsRejected
		r++
	}
	if len(w.batches) == 0 {
		g.Text(r, 1, w.t("no_batches"), st.text)
		g.Merge(r, 1, r, coverCols)
		r++
	} else {
		g.Text(r, 1, w.t("total"), st.totalText)
		g.Text(r, 2, "", st.totalText)
		g.Text(r, 3, "", st.totalText)
		for c, v := range map[int]int64{4: read, 5: accepted, 6: rejected} {
			g.Formula(r, c, fmt.Sprintf("SUM(%s%d:%s%d)", colName(c), first, colName(c), r-1), v, st.totalCount)
		}
		g.Text(r, 7, "", st.totalText)
		r++
	}

	r++
	g.Text(r, 1, w.t("definitions"), st.section)
	r++
	g.Text(r, 1, w.t("figure"), st.header)
	g.Text(r, 2, w.t("definition"), st.header)
	g.Merge(r, 2, r, coverCols)
	r++
	type def struct{ figure, text string }
	defs := []def{
		{"received", "def_received"}, {"received_regulator", "def_received_regulator"},
		{"received_major", "def_received_major"}, {"closed", "def_closed"},
		{"share_of_received", "def_share"}, {"mom", "def_mom"}, {"yoy", "def_yoy"},
	}
	defRows := map[int]string{}
	for _, d := range defs {
		g.Text(r, 1, w.t(d.figure), st.label)
		g.Text(r, 2, w.t(d.text), st.wrap)
		g.Merge(r, 2, r, coverCols)
		defRows[r] = w.t(d.text)
		r++
	}
	// Merged cells do not grow with their text: give each definition row the lines its text needs.
	widths := g.columnWidths()
	var merged float64
	for c := 2; c <= coverCols; c++ {
		merged += widths[c]
	}
	for row, text := range defRows {
		lines := math.Ceil(float64(displayWidth(text)) / math.Max(merged-2, 10))
		g.heights[row] = 15 * math.Max(lines, 1)
	}
	return g
}

// ---- Summary ---------------------------------------------------------------------------------------------

// summaryTrendHeader is the row of the trend table's header on the summary sheet; the chart reads below it.
const summaryTrendHeader = 10

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
	for i, h := range headers {
		g.Text(3, i+1, h, st.header)
	}
	g.freezeRow = 4
	cur, prev, yago := w.cats.Total(p), w.cats.Total(p.Previous()), w.cats.Total(p.YearEarlier())
	rows := []struct {
		key string
		get func(marts.CategoryFigures) int64
	}{
		{"received", func(f marts.CategoryFigures) int64 { return f.Received }},
		{"received_regulator", func(f marts.CategoryFigures) int64 { return f.ReceivedRegulator }},
		{"received_major", func(f marts.CategoryFigures) int64 { return f.ReceivedMajor }},
		{"closed", func(f marts.CategoryFigures) int64 { return f.Closed }},
	}
	noFigure := w.t("no_base")
	for i, x := range rows {
		r := 4 + i
		c, b, y := x.get(cur), x.get(prev), x.get(yago)
		g.Text(r, 1, w.t(x.key), st.label)
		g.Int(r, 2, c, st.count)
		g.Int(r, 3, b, st.count)
		mom, ok := marts.Change(c, b)
		g.Ratio(r, 4, mom, ok, st.ratio, st.noFigure, noFigure)
		g.Int(r, 5, y, st.count)
		yoy, ok := marts.Change(c, y)
		g.Ratio(r, 6, yoy, ok, st.ratio, st.noFigure, noFigure)
	}

	g.Text(summaryTrendHeader-1, 1, w.t("trend_13_months"), st.section)
	g.Text(summaryTrendHeader, 1, w.t("month"), st.header)
	g.Text(summaryTrendHeader, 2, w.t("received"), st.header)
	g.Text(summaryTrendHeader, 3, w.t("closed"), st.header)
	for i := range TrendMonths {
		m := p.End() - TrendMonths + 1 + marts.Month(i)
		tot := w.cats.Total(marts.Period{Kind: marts.Monthly, Start: m, Len: 1})
		r := summaryTrendHeader + 1 + i
		g.Text(r, 1, m.String(), st.text)
		g.Int(r, 2, tot.Received, st.count)
		g.Int(r, 3, tot.Closed, st.count)
	}
	return g
}

func (w *workbook) trendChart(f *excelize.File, g *grid) error {
	sheet := quoteSheet(g.name)
	first, last := summaryTrendHeader+1, summaryTrendHeader+TrendMonths
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
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: w.t("trend_13_months")}}},
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

// ---- R1 by business category -----------------------------------------------------------------------------

// r1Header is the header row of the R1 table; data starts below it.
const r1Header = 3

func (w *workbook) r1() *grid {
	st := w.st
	p := w.period
	g := newGrid(w.t("sheet_r1"))
	g.Text(1, 1, w.t("r1_title"), st.title)
	g.Merge(1, 1, 1, 8)
	g.heights[1] = 28
	g.Text(2, 1, w.kv("institution", w.opts.Institution)+"    "+w.kv("period", p.String())+"    "+w.t("unit"), st.subtitle)
	g.Merge(2, 1, 2, 8)
	for i, key := range []string{"business_category", "received", "received_regulator", "received_major", "closed", "share_of_received", "mom", "yoy"} {
		g.Text(r1Header, i+1, w.t(key), st.header)
	}
	g.freezeRow, g.freezeCol = r1Header+1, 2

	cur, prev, yago := w.cats.Sum(p), w.cats.Sum(p.Previous()), w.cats.Sum(p.YearEarlier())
	codes := marts.OrderCodes("business_category", w.cats.Codes(), func(code string) bool {
		return !cur[code].IsZero() || prev[code].Received != 0 || yago[code].Received != 0
	})
	first := r1Header + 1
	totalRow := first + len(codes)
	total := w.cats.Total(p)
	noFigure := w.t("no_base")
	for i, code := range codes {
		r := first + i
		f := cur[code]
		g.Text(r, 1, catalog.Label("business_category", code, w.lang), st.text)
		g.Int(r, 2, f.Received, st.count)
		g.Int(r, 3, f.ReceivedRegulator, st.count)
		g.Int(r, 4, f.ReceivedMajor, st.count)
		g.Int(r, 5, f.Closed, st.count)
		if share, ok := marts.Share(f.Received, total.Received); ok {
			g.Formula(r, 6, fmt.Sprintf("B%d/B$%d", r, totalRow), share, st.ratio)
		} else {
			g.Text(r, 6, noFigure, st.noFigure)
		}
		mom, ok := marts.Change(f.Received, prev[code].Received)
		g.Ratio(r, 7, mom, ok, st.ratio, st.noFigure, noFigure)
		yoy, ok := marts.Change(f.Received, yago[code].Received)
		g.Ratio(r, 8, yoy, ok, st.ratio, st.noFigure, noFigure)
	}
	g.Text(totalRow, 1, w.t("total"), st.totalText)
	for c, v := range map[int]int64{2: total.Received, 3: total.ReceivedRegulator, 4: total.ReceivedMajor, 5: total.Closed} {
		g.Formula(totalRow, c, fmt.Sprintf("SUM(%s%d:%s%d)", colName(c), first, colName(c), totalRow-1), v, st.totalCount)
	}
	if share, ok := marts.Share(total.Received, total.Received); ok {
		g.Formula(totalRow, 6, fmt.Sprintf("B%d/B$%d", totalRow, totalRow), share, st.totalRatio)
	} else {
		g.Text(totalRow, 6, noFigure, st.totalNoFigure)
	}
	prevTotal, yagoTotal := w.cats.Total(p.Previous()), w.cats.Total(p.YearEarlier())
	mom, ok := marts.Change(total.Received, prevTotal.Received)
	g.Ratio(totalRow, 7, mom, ok, st.totalRatio, st.totalNoFigure, noFigure)
	yoy, ok := marts.Change(total.Received, yagoTotal.Received)
	g.Ratio(totalRow, 8, yoy, ok, st.totalRatio, st.totalNoFigure, noFigure)
	return g
}

// ---- Data quality ----------------------------------------------------------------------------------------

func (w *workbook) quality() *grid {
	st := w.st
	g := newGrid(w.t("sheet_quality"))
	g.Text(1, 1, w.t("sheet_quality"), st.title)
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
	return g
}
