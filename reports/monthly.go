package reports

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"complaints/catalog"
	"complaints/internal/atomicfile"
	"complaints/readmodel"
	"complaints/rootcause"
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
	// SourceLabels are the sources' names as their profiles' label: gives them (source system -> label), shown
	// in the open list instead of the system's code.
	SourceLabels map[string]string
	// GeneratedAt is written on the cover and in the document properties; the caller passes time.Now() or the
	// SOURCE_DATE_EPOCH time so that a rebuilt workbook can be identical.
	GeneratedAt time.Time
	// Out is the .xlsx path written (through a temporary file beside it, renamed when complete).
	Out string
	// Branches and PersonalCustomers are the bank's denominators of the regulator's bulletin measures
	// (complaints per 1,000 branches, per 10 million personal customers) on the R3 sheet; 0 omits the measure.
	Branches          int
	PersonalCustomers int64
	// CustomersByMonth and CustomersByBranch refine PersonalCustomers for the 根因 sheet's u-charts (see
	// rootcause.Customers).
	CustomersByMonth, CustomersByBranch map[string]int64
	// RemediationFile (CSV or YAML, see rootcause) records the actions taken on recurring findings;
	// the 根因 sheet shows them beside each finding and marks findings with none or an overdue one.
	RemediationFile string
	// Findings, when they are a monthly Period's, are its root-cause findings already worked out by
	// rootcause.ForMonth with this Lang, these customers and RemediationFile (`complaints run` passes them on to
	// its dashboard); otherwise the report works them out.
	Findings *rootcause.Findings
	// Kind is monthly, quarterly or annual (default: DefaultKind of the period); annual adds the disclosure.
	Kind string
	// Format is xlsx (default) or csv: every sheet as a UTF-8-with-BOM CSV file (see CSVFiles).
	Format string
	// SignOff fills the cover's sign-off block; an empty field leaves a blank line to sign or fill by hand.
	SignOff SignOff
}

// TrendMonths is how many months the summary's trend shows, ending with the period's last month.
const TrendMonths = 13

// WriteMonthly writes the period's workbook (the sheets of its kind: reports/kinds.go).
func WriteMonthly(ctx context.Context, db *sql.DB, opts Options) error {
	if opts.Out == "" {
		return errors.New("report: no output path")
	}
	p, err := readmodel.ParsePeriod(opts.Period)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if err := checkKind(&opts); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	lang := opts.Lang
	if lang != "en" {
		lang = "zh"
	}
	// Everything the sheets need: the period, its MoM and YoY bases, and the trend's 13 months.
	from := min(p.YearEarlier().Start, p.Previous().Start, p.End()-TrendMonths+1)
	cats, err := readmodel.LoadCategoryMonths(ctx, db, from, p.End())
	if err != nil {
		return fmt.Errorf("report %s: %w", p, err)
	}
	batches, err := readmodel.LoadBatches(ctx, db)
	if err != nil {
		return fmt.Errorf("report %s: %w", p, err)
	}
	reasons, err := readmodel.LoadRejectReasons(ctx, db)
	if err != nil {
		return fmt.Errorf("report %s: %w", p, err)
	}
	months, err := readmodel.LoadMonthRows(ctx, db, from, p.End())
	if err != nil {
		return fmt.Errorf("report %s: %w", p, err)
	}
	dims, err := readmodel.LoadDimensionRows(ctx, db, from, p.End())
	if err != nil {
		return fmt.Errorf("report %s: %w", p, err)
	}
	checks, err := readmodel.LoadConsistencyCounts(ctx, db)
	if err != nil {
		return fmt.Errorf("report %s: %w", p, err)
	}
	unmapped, err := readmodel.LoadUnmappedValues(ctx, db)
	if err != nil {
		return fmt.Errorf("report %s: %w", p, err)
	}
	findings := opts.Findings
	if findings == nil || p.Kind != readmodel.Monthly || findings.Period != p.String() {
		if findings, err = loadFindings(ctx, db, p, lang, opts.RemediationFile, rootcause.Customers{Total: opts.PersonalCustomers,
			ByMonth: opts.CustomersByMonth, ByBranch: opts.CustomersByBranch}); err != nil {
			return fmt.Errorf("report %s: %w", p, err)
		}
	}
	periodFindings, err := loadPeriodFindings(ctx, db, p, lang, opts.RemediationFile, rootcause.Customers{Total: opts.PersonalCustomers,
		ByMonth: opts.CustomersByMonth, ByBranch: opts.CustomersByBranch})
	if err != nil {
		return fmt.Errorf("report %s: %w", p, err)
	}
	kd, err := loadKindData(ctx, db, p)
	if err != nil {
		return fmt.Errorf("report %s: %w", p, err)
	}
	scope, err := readmodel.LoadScope(ctx, db) // what a scoped copy (--as-of, --branch) holds; zero for the warehouse
	if err != nil {
		return fmt.Errorf("report %s: %w", p, err)
	}
	restated, err := readmodel.LoadRestatements(ctx, db, p, scope) // filed figures the data now changes
	if err != nil {
		return fmt.Errorf("report %s: %w", p, err)
	}
	moved, err := readmodel.LoadChannelMoves(ctx, db, p)
	if err != nil {
		return fmt.Errorf("report %s: %w", p, err)
	}
	coverage, err := readmodel.LoadCoverage(ctx, db, p)
	if err != nil {
		return fmt.Errorf("report %s: %w", p, err)
	}
	bank := opts.Institution
	if b := scope.BranchLabel(lang); b != "" {
		opts.Institution = bank + " " + b // a branch copy's sheets (机构名称) and pages name the branch
	}
	w := &workbook{lang: lang, period: p, opts: opts, bank: bank, cats: cats, batches: batches, reasons: reasons,
		months: months, dims: dims, checks: checks, unmapped: unmapped, findings: findings, periodFindings: periodFindings, kd: kd, scope: scope,
		restated: restated, channelMoves: moved, coverage: coverage}
	b, err := w.build()
	if err != nil {
		return fmt.Errorf("report %s: %w", p, err)
	}
	if opts.Format == FormatCSV {
		return nil // build wrote the CSV files
	}
	return atomicfile.Write(opts.Out, b)
}

type workbook struct {
	bank     string // Options.Institution as given: the bank (opts.Institution adds a branch copy's branch)
	lang     string
	period   readmodel.Period
	opts     Options
	cats     readmodel.CategoryMonths
	batches  []readmodel.Batch
	reasons  []readmodel.ReasonCount
	months   readmodel.MonthRows
	dims     readmodel.DimensionRows
	checks   []readmodel.CheckCount
	unmapped []readmodel.UnmappedValue
	findings *rootcause.Findings // nil for periods longer than a month
	// each month's findings of a quarter, half-year or year (nil for a month)
	periodFindings []monthFindings
	kd             kindData
	// the disclosure's category rows (first, last) and the row its chart starts at
	discCats     [2]int
	discChartRow int
	rcChart      rcChart // where the 根因 sheet's chart finds its data
	scope        readmodel.Scope
	restated     *readmodel.Restatements
	channelMoves int64 // received in the period, moved to the regulator-referral row through a merged duplicate
	coverage     readmodel.Coverage
	st           *styles
}

// title is the workbook's title for the period's kind.
func (w *workbook) title() string {
	switch w.period.Kind {
	case readmodel.Quarterly:
		return w.t("rpt_report_title_quarterly")
	case readmodel.HalfYearly:
		return w.t("rpt_report_title_half")
	case readmodel.Yearly:
		return w.t("rpt_report_title_yearly")
	}
	return w.t("report_title_monthly")
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
	st, err := newStyles(f, w.t("rpt_pp"))
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
		{w.r2(), "$3:$3"},
		{w.r3(), "$4:$4"},
		{w.channels(), "$3:$3"},
		{w.timeliness(), fmt.Sprintf("$%d:$%d", tlClassHeader, tlClassHeader)},
	}
	grids = w.withDisclosure(grids)
	if w.findings != nil {
		grids = append(grids, struct {
			g           *grid
			printTitles string
		}{w.rootCauses(), ""})
	} else if len(w.periodFindings) > 0 {
		grids = append(grids, struct {
			g           *grid
			printTitles string
		}{w.rootCausesOfPeriod(), ""})
	}
	grids = append(grids, struct {
		g           *grid
		printTitles string
	}{w.quality(), "$3:$3"}, struct {
		g           *grid
		printTitles string
	}{w.restatementsSheet(), "$4:$4"})
	if w.opts.Format == FormatCSV {
		return nil, w.writeCSVs(grids)
	}
	if err := f.SetSheetName("Sheet1", grids[0].g.name); err != nil {
		return nil, err
	}
	for _, x := range grids {
		x.g.fitForPrint(w.st)
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
		if err := w.pageSetup(f2, x.g.name, x.printTitles); err != nil {
			return nil, err
		}
	}
	if err := w.trendChart(f2, findGrid(grids, w.t("sheet_summary"))); err != nil {
		return nil, err
	}
	// The summary prints on one page: a page break through its chart would print the chart cut (and a sheet fit
	// to a number of pages ignores manual page breaks, in Excel as in LibreOffice).
	oneTall := 1
	if err := f2.SetPageLayout(w.t("sheet_summary"), &excelize.PageLayoutOptions{FitToHeight: &oneTall}); err != nil {
		return nil, fmt.Errorf("summary: page layout: %w", err)
	}
	if w.findings != nil {
		if err := w.rootCauseChart(f2, findGrid(grids, w.t("rpt_rc_sheet"))); err != nil {
			return nil, err
		}
	}
	f2.SetActiveSheet(0)
	created := w.opts.GeneratedAt.UTC().Format(time.RFC3339)
	language := "zh-CN"
	if w.lang == "en" {
		language = "en-US"
	}
	if err := f2.SetDocProps(&excelize.DocProperties{
		Title:          w.title() + " " + w.period.String(),
		Subject:        w.title(),
		Creator:        w.bank,
		LastModifiedBy: w.bank,
		Created:        created,
		Modified:       created,
		Language:       language,
	}); err != nil {
		return nil, fmt.Errorf("document properties: %w", err)
	}
	if err := w.finishKinds(f2); err != nil {
		return nil, err
	}
	out, err := f2.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return canonicalPackage(out.Bytes())
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

// ---- Cover -----------------------------------------------------------------------------------------------

const coverCols = 7

func (w *workbook) cover() *grid {
	st := w.st
	g := newGrid(w.t("sheet_cover"))
	g.Text(1, 1, w.title(), st.title)
	g.Merge(1, 1, 1, coverCols)
	g.heights[1] = 28
	r := 3
	kv := func(key, value string) {
		g.Text(r, 1, w.t(key), st.label)
		g.Text(r, 2, value, st.text)
		g.Merge(r, 2, r, coverCols)
		r++
	}
	kv("institution", w.bank) // a branch copy's branch: scope_branch below
	kv("period", w.period.String())
	if w.coverage.Known {
		kv("per_data_months", w.dataSpan()) // the first and last month of the period with data
	}
	kv("generated_at", fmt.Sprintf("%s (%s)", warehouse.WallClockText(w.opts.GeneratedAt), w.t("beijing_time")))
	if b := w.scope.BranchLabel(w.lang); b != "" {
		kv("scope_branch", b)
	}
	if w.scope.AsOf != "" {
		kv("as_of", w.scope.AsOf+" "+w.t("scope_end_of_day")+" ("+w.t("beijing_time")+")")
	} else if n := len(w.batches); n > 0 {
		latest := w.batches[0].IngestedAt
		for _, b := range w.batches {
			if b.IngestedAt.After(latest) {
				latest = b.IngestedAt
			}
		}
		kv("as_of", latest.Format("2006-01-02 15:04:05")+" ("+w.t("beijing_time")+")")
	}
	if w.coverage.Known {
		kv("cov_coverage", w.coverage.Sentence(w.lang))
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
	defRows := map[int]string{}
	for _, d := range w.definitions() {
		g.Text(r, 1, w.t(d.figure), st.label)
		g.Text(r, 2, w.t(d.text), st.wrap)
		g.Merge(r, 2, r, coverCols)
		defRows[r] = w.t(d.text)
		r++
	}
	w.signOffBlock(g, r+1)
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
