package dashboards

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"time"

	"complaints/catalog"
	"complaints/internal/atomicfile"
	"complaints/readmodel"
	"complaints/rootcause"
	"complaints/warehouse"
)

// Options of a dashboard run.
type Options struct {
	// From and To are the first and last months shown, "YYYY-MM". An empty To is the newest month in the marts;
	// an empty From is 12 months before To (13 months in all).
	From, To string
	// Lang is "zh" (default) or "en"; it also picks ECharts' built-in locale (ZH or EN).
	Lang string
	// Institution is shown in the header.
	Institution string
	// AsOf is the data's as-of shown in the header (the run's --as-of); empty shows the newest ingest time.
	AsOf string
	// GeneratedAt is shown in the header; the caller passes time.Now() or the SOURCE_DATE_EPOCH time.
	GeneratedAt time.Time
	// Map adds a China map of complaints by province to the Geography section (china.js of npm echarts@4.9.0,
	// fetched by `make assets`). Off by default: a map of China without an approval number (审图号) is a
	// compliance risk in a bank's documents.
	Map bool
	// RemediationFile is the config's `remediation:` file (CSV or YAML, see rootcause.LoadRemediation): its
	// actions are shown beside the recurring findings. Empty: no file, every recurring finding is marked as
	// having no action.
	RemediationFile string
	// Customers are the config's personal-customer denominators: with them, the control chart is a u-chart of
	// complaints per 10,000 customers (rootcause decides per series).
	Customers rootcause.Customers
	// Findings, when they are To's, are its root-cause findings already worked out by rootcause.ForMonth with
	// these Customers, Lang and RemediationFile (`complaints run` passes its report's); otherwise the dashboard
	// works them out.
	Findings *rootcause.Findings
	// OnTimeTarget is the on-time rate drawn as the target line, a fraction (0.95 when 0).
	OnTimeTarget float64
	// WithSummaries adds the complaints' scrubbed summaries (their first 200 characters) to the drill-down tables;
	// without it they show no free text.
	WithSummaries bool
	// Out is the .html path written (through a temporary file beside it).
	Out string
}

// DefaultMonths is how many months the dashboard shows when From is not given.
const DefaultMonths = 13

// DefaultOnTimeTarget is the on-time target line when Options.OnTimeTarget is 0.
const DefaultOnTimeTarget = 0.95

// maxMonths bounds the range a page holds.
const maxMonths = 240

// topBranches is how many branches the heatmap shows.
const topBranches = 20

// topCauses is how many causes the causes-over-time view draws apart from the others.
const topCauses = 6

// data is everything read from the marts for one page.
type data struct {
	from, to    readmodel.Month
	cats        readmodel.CategoryMonths
	causes      map[string]int64 // received by cause over from..to
	months      map[readmodel.Month]readmodel.DashMonthFigures
	repeats     map[readmodel.Month]readmodel.DashRepeatFigures
	catCause    []readmodel.DashDimensionSum // business_category, cause
	flow        []readmodel.DashDimensionSum // intake_channel, business_category, cause
	branchCau   []readmodel.DashDimensionSum // branch, cause
	provinces   []readmodel.DashDimensionSum // province
	asOf        string
	findings    *rootcause.Findings // the last month's root causes (bank-wide pages only)
	names       branchNames         // branch codes -> names (branch master)
	remediation string              // base name of the remediation file applied to findings, "" for none
	scope       readmodel.Scope
	coverage    readmodel.Coverage            // of from..to: a banner on each incomplete month, '—' before any data
	branches    []readmodel.DashBranchFigures // the last month's figures by branch (the branch view)
	drill       *drillDoc                     // the last month's drill-down cells
}

// Write writes the dashboard for the months From..To.
func Write(ctx context.Context, db *sql.DB, opts Options) error {
	if opts.Out == "" {
		return errors.New("dashboard: no output path")
	}
	if opts.OnTimeTarget < 0 || opts.OnTimeTarget > 1 {
		return fmt.Errorf("dashboard: on-time target %v is not a fraction between 0 and 1", opts.OnTimeTarget)
	}
	js, err := echartsScript()
	if err != nil {
		return fmt.Errorf("dashboard: %w", err)
	}
	var chinaMap []byte
	if opts.Map {
		if chinaMap, err = chinaMapScript(); err != nil {
			return fmt.Errorf("dashboard: %w", err)
		}
	}
	lang := opts.Lang
	if lang != "en" {
		lang = "zh"
	}
	from, to, err := monthRange(ctx, db, opts.From, opts.To)
	if err != nil {
		return fmt.Errorf("dashboard: %w", err)
	}
	d, err := load(ctx, db, opts, from, to)
	if err != nil {
		return fmt.Errorf("dashboard %s..%s: %w", from, to, err)
	}
	p := build(lang, opts, d)
	page, err := render(p, js, chinaMap)
	if err != nil {
		return fmt.Errorf("dashboard %s..%s: %w", from, to, err)
	}
	return atomicfile.Write(opts.Out, page)
}

func load(ctx context.Context, db *sql.DB, opts Options, from, to readmodel.Month) (*data, error) {
	d := &data{from: from, to: to}
	// The last month's MoM and YoY need the 12 months before it too.
	early := min(from, to-12)
	var err error
	if d.names, err = loadBranchNames(ctx, db); err != nil {
		return nil, err
	}
	if d.cats, err = readmodel.LoadCategoryMonths(ctx, db, early, to); err != nil {
		return nil, err
	}
	causes, err := readmodel.LoadCauseMonths(ctx, db, from, to)
	if err != nil {
		return nil, err
	}
	d.causes = causes.Sum(from, to)
	if d.months, err = readmodel.LoadDashMonthFigures(ctx, db, early, to); err != nil {
		return nil, err
	}
	if d.repeats, err = readmodel.LoadDashRepeats(ctx, db, from, to); err != nil {
		return nil, err
	}
	if d.findings = opts.Findings; d.findings == nil || d.findings.Period != to.String() {
		if d.findings, err = rootcause.ForMonth(ctx, db, rootcause.Options{Period: to.String(), Customers: opts.Customers},
			opts.Lang, opts.RemediationFile); err != nil {
			return nil, err
		}
	}
	if opts.RemediationFile != "" {
		d.remediation = filepath.Base(opts.RemediationFile)
	}
	if d.catCause, err = readmodel.DashSumDimensions(ctx, db, from, to, "business_category", "cause"); err != nil {
		return nil, err
	}
	if d.flow, err = readmodel.DashSumDimensions(ctx, db, from, to, "intake_channel", "business_category", "cause"); err != nil {
		return nil, err
	}
	if d.branchCau, err = readmodel.DashSumDimensions(ctx, db, from, to, "branch", "cause"); err != nil {
		return nil, err
	}
	if d.provinces, err = readmodel.DashSumDimensions(ctx, db, from, to, "province"); err != nil {
		return nil, err
	}
	if d.branches, err = readmodel.LoadDashBranches(ctx, db, to); err != nil {
		return nil, err
	}
	if d.coverage, err = readmodel.LoadCoverage(ctx, db, readmodel.Period{Kind: readmodel.Monthly, Start: from, Len: int(to-from) + 1}); err != nil {
		return nil, err
	}
	d.asOf = opts.AsOf
	if d.scope, err = readmodel.LoadScope(ctx, db); err != nil { // a scoped copy (--as-of, --branch) says what it holds
		return nil, err
	}
	lang := opts.Lang
	if lang != "en" {
		lang = "zh"
	}
	if d.drill, err = loadDrill(ctx, db, lang, to, d.scope, d.names, d.branches, opts.WithSummaries); err != nil {
		return nil, err
	}
	if d.asOf == "" && d.scope.AsOf != "" {
		d.asOf = d.scope.AsOf + " " + catalog.Text("scope_end_of_day", opts.Lang)
	}
	if d.asOf == "" {
		batches, err := readmodel.LoadBatches(ctx, db)
		if err != nil {
			return nil, err
		}
		var latest time.Time
		for _, b := range batches {
			if b.IngestedAt.After(latest) {
				latest = b.IngestedAt
			}
		}
		if !latest.IsZero() {
			d.asOf = latest.Format("2006-01-02 15:04:05")
		}
	}
	return d, nil
}

func monthRange(ctx context.Context, db *sql.DB, fromText, toText string) (from, to readmodel.Month, err error) {
	if toText == "" {
		latest, ok, err := readmodel.LatestMonth(ctx, db)
		if err != nil {
			return 0, 0, err
		}
		if !ok {
			return 0, 0, errors.New("mart_category_month is empty: ingest and normalise first, or give --to")
		}
		to = latest
	} else if to, err = readmodel.ParseMonth(toText); err != nil {
		return 0, 0, fmt.Errorf("--to: %w", err)
	}
	if fromText == "" {
		from = to - DefaultMonths + 1
	} else if from, err = readmodel.ParseMonth(fromText); err != nil {
		return 0, 0, fmt.Errorf("--from: %w", err)
	}
	if from > to {
		return 0, 0, fmt.Errorf("from %s is after to %s", from, to)
	}
	if int(to-from)+1 > maxMonths {
		return 0, 0, fmt.Errorf("%s..%s is %d months; at most %d fit a page", from, to, int(to-from)+1, maxMonths)
	}
	return from, to, nil
}

// page is everything the template shows. Charts are plain data: the template inlines them as JSON.
type page struct {
	Lang, HTMLLang, Locale, Title  string
	Institution, Period, Generated string
	AsOf, Branch                   string
	LabelInstitution, LabelPeriod  string
	LabelGenerated, LabelAsOf      string
	LabelBranch, LabelContents     string
	Sections                       []section
	Banners                        []string // one per incomplete month (domain.md section 5, Coverage)
	DataTable, NoData              string
	HasCauses                      bool
	chartOptions                   map[string]any
	drill                          *drillDoc
}

type section struct {
	ID, Title, Note string
	KPIs            []kpi
	Charts          []chartBlock
	Tables          []namedTable // tables with no chart, shown open
}

type namedTable struct {
	Title, Note string
	Table       table
}

type kpi struct{ Label, Value, MoM, YoY, MoMLabel, YoYLabel string }

type chartBlock struct {
	ID, Title, Note, Class string
	Table                  *table
}

type table struct {
	Header []string
	Rows   [][]string
	// Classes, when set, holds a CSS class per row ("" for none): the recurring table marks findings with no
	// action or an overdue one.
	Classes []string
}

// Class is row i's CSS class.
func (t table) Class(i int) string {
	if i < len(t.Classes) {
		return t.Classes[i]
	}
	return ""
}

func build(lang string, opts Options, d *data) *page {
	t := func(key string) string { return catalog.Text(key, lang) }
	from, to := d.from, d.to
	p := &page{
		Lang: lang, HTMLLang: "zh-CN", Locale: "ZH",
		Title:            t("dashboard_title"),
		Institution:      opts.Institution,
		Period:           from.String() + " – " + to.String(),
		Generated:        warehouse.WallClockText(opts.GeneratedAt) + " (" + t("beijing_time") + ")",
		AsOf:             t("dash_as_of_unknown"),
		LabelInstitution: t("institution"), LabelPeriod: t("period_range"), LabelGenerated: t("generated_at"),
		LabelAsOf: t("as_of"), LabelBranch: t("dash_branch"), LabelContents: t("dash_contents"),
		DataTable: t("data_table"), NoData: t("no_data"),
		chartOptions: map[string]any{},
	}
	if lang == "en" {
		p.HTMLLang, p.Locale = "en", "EN"
	}
	if d.asOf != "" {
		p.AsOf = d.asOf
		if len(d.asOf) > 10 {
			p.AsOf += " (" + t("beijing_time") + ")"
		}
	}
	if l := d.scope.BranchLabel(lang); l != "" {
		p.Branch = l
	}
	p.Banners = coverageBanners(lang, d.coverage)
	col := newColours(d)
	add := func(s *section, id, title, note string, opt map[string]any, tbl *table) {
		p.chartOptions[id] = opt
		s.Charts = append(s.Charts, chartBlock{ID: id, Title: title, Note: note, Table: tbl})
	}

	// Overview: KPI tiles of the last month and the trend.
	overview := section{ID: "overview", Title: t("dash_section_overview")}
	overview.KPIs = kpis(lang, d)
	trend, trendTable := trendChart(lang, from, to, d.cats, col, d.coverage.IsNoData)
	add(&overview, "trend", t("trend_title"), t("def_trend"), trend, &trendTable)
	add(&overview, "categories", t("category_breakdown_title")+" · "+to.String(), "", categoryChart(lang, to, d.cats, col), nil)

	causes := section{ID: "causes", Title: t("dash_section_causes")}
	pareto, paretoTable := paretoChart(lang, from, to, d.causes)
	p.HasCauses = len(paretoTable.Rows) > 0
	add(&causes, "pareto", t("pareto_title"), t("def_vital_few"), pareto, &paretoTable)
	add(&causes, "treemap", t("dash_treemap_title"), t("dash_def_dimensions"), treemapChart(lang, from, to, d.catCause, col), nil)
	add(&causes, "sankey", t("dash_sankey_title"), t("dash_def_dimensions"), sankeyChart(lang, from, to, d.flow, col), nil)
	heatTitle := t("dash_heatmap_title")
	heat, heatTable := heatmapChart(lang, heatTitle, from, to, d.branchCau, d.names)
	add(&causes, "heatmap", heatTitle, t("dash_def_dimensions"), heat, &heatTable)

	branches := section{ID: "branches", Title: t("dash_section_branches")}
	bview, bviewTable, bviewNote, _ := branchViewChart(lang, to, d.branches, opts.Customers, d.names, d.coverage.IsNoData)
	add(&branches, "branches", t("dash_branch_view_title")+" · "+to.String(), bviewNote+" "+t("dash_def_branches"), bview, &bviewTable)

	timeliness := section{ID: "timeliness", Title: t("dash_section_timeliness")}
	recurring := section{ID: "recurring", Title: t("dash_section_recurring")}
	bands, bandsTable := bandsChart(lang, from, to, d.months)
	add(&timeliness, "bands", t("dash_bands_title"), t("dash_def_bands"), bands, &bandsTable)
	target := opts.OnTimeTarget
	if target == 0 {
		target = DefaultOnTimeTarget
	}
	ontime, ontimeTable := onTimeChart(lang, from, to, d.months, target)
	add(&timeliness, "ontime", t("dash_ontime_title"), t("dash_def_ontime"), ontime, &ontimeTable)
	overdue, overdueTable := overdueChart(lang, from, to, d.months, d.coverage.IsNoData)
	add(&timeliness, "overdue", t("dash_overdue_title"), t("dash_def_overdue"), overdue, &overdueTable)
	repeats, repeatsTable := repeatsChart(lang, from, to, d.repeats, d.coverage.IsNoData)
	add(&recurring, "repeats", t("dash_repeats_title"), t("dash_def_repeats"), repeats, &repeatsTable)
	if f := d.findings; f != nil {
		// a month before any data is a gap: before the analytics' first month or the coverage's
		noData := func(m string) bool {
			mo, err := readmodel.ParseMonth(m)
			return f.NoData(m) || (err == nil && d.coverage.IsNoData(mo))
		}
		if cc, ccTable, ok := controlChart(lang, f, d.names, noData); ok {
			add(&recurring, "control", t("dash_cc_title"), t("rc_view_def_control"), cc, &ccTable)
		}
		ranked := namedTable{Title: t("rc_view_ranked_title") + " · " + f.Period, Table: findingsTable(lang, f, d.names)}
		if len(f.Ranked) == 0 {
			ranked.Note = t("rc_view_none_flagged")
		}
		recurring.Tables = append(recurring.Tables, ranked)
		causesView, causesTable := viewChart(lang, "rccauses", t("rc_view_causes_title"), f, f.CauseView(topCauses), noData)
		add(&recurring, "rccauses", t("rc_view_causes_title"), t("rc_view_def_views"), causesView, &causesTable)
		channels, channelsTable := viewChart(lang, "rcchannels", t("rc_view_channels_title"), f, f.ChannelView(), noData)
		add(&recurring, "rcchannels", t("rc_view_channels_title"), t("rc_view_def_views"), channels, &channelsTable)
		note := t("dash_remediation_none")
		if d.remediation != "" {
			note = fmt.Sprintf(t("dash_remediation_from"), d.remediation)
		}
		recurring.Tables = append(recurring.Tables, namedTable{Title: t("rc_view_recurring_title"),
			Table: recurringTable(lang, f, d.names), Note: note},
			namedTable{Title: t("rc_view_rising_title"), Table: risingTable(lang, f, d.names)})
	}

	geography := section{ID: "geography", Title: t("dash_section_geography")}
	prov, provTable := provinceChart(lang, from, to, d.provinces)
	add(&geography, "provinces", t("dash_province_title"), t("dash_def_province"), prov, &provTable)
	if opts.Map {
		add(&geography, "map", t("dash_map_title"), t("dash_def_map"), mapChart(lang, from, to, d.provinces), nil)
	}

	p.drill = d.drill
	for chart, dim := range map[string]string{"trend": "business_category", "categories": "business_category", "treemap": "business_category",
		"pareto": "cause", "branches": "branch", "heatmap": "branch", "provinces": "province"} {
		d.drill.nameChart(chart, dim, lang, d.names)
	}
	p.Sections = []section{overview, causes, branches, timeliness, geography, recurring}
	return p
}

// kpis are the tiles of the last month: received, and on a bank-wide page the figures mart_category_month holds.
func kpis(lang string, d *data) []kpi {
	t := func(key string) string { return catalog.Text(key, lang) }
	to := d.to
	suffix := " · " + to.String()
	noData := d.coverage.IsNoData
	count := func(key string, cur, prev, yago int64) kpi {
		k := kpi{Label: t(key) + suffix, Value: grouped(cur),
			MoMLabel: t("mom"), MoM: pctChange(lang, cur, prev), YoYLabel: t("yoy"), YoY: pctChange(lang, cur, yago)}
		// a month before any data is no data, never 0, and never the base of a change
		if noData(to) {
			k.Value, k.MoM, k.YoY = t("cov_no_data"), t("no_base"), t("no_base")
		}
		if noData(to - 1) {
			k.MoM = t("no_base")
		}
		if noData(to - 12) {
			k.YoY = t("no_base")
		}
		return k
	}
	rate := func(key string, f func(readmodel.DashMonthFigures) (num, den int64)) kpi {
		cur, ok := ratio(f(d.months[to]))
		prev, okPrev := ratio(f(d.months[to-1]))
		yago, okYago := ratio(f(d.months[to-12]))
		k := kpi{Label: t(key) + suffix, Value: t("no_base"), MoMLabel: t("mom"), MoM: t("no_base"), YoYLabel: t("yoy"), YoY: t("no_base")}
		if ok {
			k.Value = formatPct(cur)
			if okPrev {
				k.MoM = formatPP(lang, cur-prev)
			}
			if okYago {
				k.YoY = formatPP(lang, cur-yago)
			}
		}
		return k
	}
	if d.months == nil {
		last := readmodel.Period{Kind: readmodel.Monthly, Start: to, Len: 1}
		cur, prev, yago := d.cats.Total(last), d.cats.Total(last.Previous()), d.cats.Total(last.YearEarlier())
		return []kpi{count("received", cur.Received, prev.Received, yago.Received)}
	}
	m := func(o readmodel.Month) readmodel.DashMonthFigures { return d.months[o] }
	return []kpi{
		count("received", m(to).Received, m(to-1).Received, m(to-12).Received),
		count("received_regulator", m(to).ReceivedRegulator, m(to-1).ReceivedRegulator, m(to-12).ReceivedRegulator),
		count("closed", m(to).Closed, m(to-1).Closed, m(to-12).Closed),
		rate("dash_ontime_regulatory", func(f readmodel.DashMonthFigures) (int64, int64) { return f.RegulatoryOnTime, f.RegulatoryKnown }),
		rate("dash_ontime_internal", func(f readmodel.DashMonthFigures) (int64, int64) { return f.InternalOnTime, f.InternalKnown }),
		count("dash_overdue_at_end", m(to).OverdueAtEnd, m(to-1).OverdueAtEnd, m(to-12).OverdueAtEnd),
		rate("dash_satisfaction_rate", func(f readmodel.DashMonthFigures) (int64, int64) { return f.Satisfied, f.SatisfactionRecorded }),
	}
}

func ratio(num, den int64) (float64, bool) { return readmodel.Share(num, den) }

// coverageBanners are the page's banners: one per incomplete month of the page that has data, naming the
// sources missing or short with their counts and the newest complete month.
func coverageBanners(lang string, c readmodel.Coverage) []string {
	if !c.Known {
		return nil
	}
	var out []string
	for m := c.Period.Start; m <= c.Period.End(); m++ {
		if c.IsNoData(m) {
			continue
		}
		one := c
		one.Period, one.NoData, one.Gaps = readmodel.Period{Kind: readmodel.Monthly, Start: m, Len: 1}, false, nil
		for _, g := range c.Gaps {
			if g.Month == m {
				one.Gaps = append(one.Gaps, g)
			}
		}
		if !one.Complete() {
			out = append(out, catalog.Text("cov_incomplete_banner", lang)+" · "+one.Sentence(lang))
		}
	}
	return out
}

func pctChange(lang string, cur, base int64) string {
	if r, ok := readmodel.Change(cur, base); ok {
		return signed(r*100) + "%"
	}
	return catalog.Text("no_base", lang)
}

func formatPct(r float64) string { return strconv.FormatFloat(r*100, 'f', 1, 64) + "%" }

func formatPP(lang string, diff float64) string {
	return signed(diff*100) + " " + catalog.Text("dash_pp", lang)
}

// signed formats to one decimal with an explicit + for positive values; -0.0 reads 0.0.
func signed(x float64) string {
	s := strconv.FormatFloat(x, 'f', 1, 64)
	if s == "-0.0" {
		s = "0.0"
	}
	if x > 0 && s != "0.0" {
		s = "+" + s
	}
	return s
}

// rate1 is num/den as a percentage rounded to one decimal, nil when den is 0 (ECharts leaves a gap).
func rate1(num, den int64) *float64 {
	if den == 0 {
		return nil
	}
	v := roundTo1(float64(num) * 100 / float64(den))
	return &v
}

func provinceLabel(code, lang string) string {
	if code == "" {
		return catalog.Text("dash_no_province", lang)
	}
	return catalog.Label("province", code, lang)
}
