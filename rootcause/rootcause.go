// Package rootcause is the quality team's root-cause analytics (domain.md section 8): the Pareto of causes, c- and
// u-chart control charts with Western Electric rules 1 and 4, recurrence of (branch, cause) and (business category, cause)
// pairs, repeat complainants, emerging issues and the narrative terms that rise in a period. It reads the marts
// (mart_dimension_month) and the canonical complaints table; it never prints or stores a customer key.
//
// Statistical choices, stated once here and in docs/decisions.md ("Root causes"):
//
//   - Months. A month some source covers (source_coverage, judged bank-wide, so also in a --branch copy) holds
//     data: a series without a complaint in it has a zero there (a branch's zero report), never a gap. A month
//     before the first covered month is no data, never a zero: it enters no baseline and no test.
//     Options.IncompleteMonths keeps further months out the same way. A warehouse without coverage rows takes the
//     months with complaints in mart_dimension_month instead. A test needs MinHistory (6) complete baseline
//     months; a series or pair with fewer is listed in Findings.InsufficientHistory and yields no finding.
//   - The test (RateTest). A count x over the tested months (exposure e1) is compared with the count y of the
//     complete baseline months (exposure e0) by the exact conditional test for two Poisson counts: under no
//     change x | x+y ~ Binomial(x+y, e1/(e1+e0)), so the baseline's own noise is part of the test. The exposure
//     is the months' total received complaints (a series is tested for its share of the bank's complaints, so
//     the working days, the Spring Festival and bank-wide month effects cancel), for a category x cause its
//     category's complaints, a u-chart series' customers, or for a peer test the branches' complaints. Over-dispersion: where the baseline months' Pearson X² against
//     that proportional model is beyond the chi-square 95th percentile, both counts are divided by the
//     dispersion factor X²/(k-1) (quasi-Poisson) and the p-value is at least the Student t tail (k-1 degrees of
//     freedom) of the standardised excess, which carries the uncertainty of the estimated factor.
//   - Which tests. Period: each category, cause, branch, business channel (the charted series) and category x
//     cause, the period against the BaselineMonths (12) months before it. Rising: each branch x cause and
//     category x cause, the last 3 months against the complete months before them. Recurring: every such pair,
//     the 6 months ending at the period against the complete months before the 6; no pair is chosen on the months
//     it is tested on. Peers: each branch x cause over the 6 months, the branch's share of its own complaints
//     against the other branches' share (dispersion estimated across the other branches). Bank total
//     (BankTotal): every complaint received, the period against the complete months among the BaselineMonths
//     before it with the months' working days as the exposure (Options.WorkingDays, read from calendar_days),
//     the only test that sees a bank-wide surge. A test whose
//     tested count is 0 is in the family with p = 1; a series with no complaint in its baseline nor its period,
//     and a branch without complaints over the 6 months (no peer exposure), are not tested.
//   - One family. Benjamini-Hochberg at FDR (default 5%) runs once over every test of the run, of every kind
//     (Findings.Family tests). Findings are the tests passing it, shown as: a bank-wide rise; a flagged chart; an emerging issue (a
//     period test passed with at least EmergingMin (10) complaints and EmergingRise (+50%) above the expected
//     count); a rising pair; an elevated recurring pair (also at least MinCount and above its expected count in 3
//     of the 6 months); a peer excess. Findings.Discoveries counts them. Measured on data without signal: about
//     0.06 findings per period (docs/performance.md).
//   - Ranking (excess.go). Findings.Ranked lists every finding, most excess complaints first: observed minus the
//     count the baseline months' rate predicts over the months tested; FirstMonth is the first month of the run of
//     months above expected ending at the last tested month above it; a series with nothing in its baseline is New
//     (no rise). Each carries a plain sentence (zh, en). ApplyRemediation marks a finding with an open action as
//     under remediation (never new) and compares the months before and after a completed action's date.
//   - Control charts (what is drawn). c-charts on monthly counts per business category, cause, branch and
//     business channel: the centre is the mean of the complete months among the BaselineMonths before the
//     period; limits are centre ± 3·sqrt(centre), the lower one floored at 0. Rule 1 is a point beyond the
//     limits; rule 4 is the 8 points ending at the period all on one side of the centre; both are evidence, the
//     flag is the test's. With ExcludeFlaggedFromBaseline, baseline months outside the limits are dropped and
//     the limits recomputed until none is left outside (the excluded months are listed).
//   - Where Options.Customers gives a series a customer count for every month (bank-wide for categories, causes
//     and channels; a branch's own for branches), it takes a u-chart of complaints per 10,000 customers instead:
//     ū = Σcount/Σn over the baseline (n in 10,000s), limits ū ± 3·sqrt(ū/n_i) at each month. The c-chart is the
//     same computation with n_i = 1. Chart.Type says which. Sparse series (expected count in the period under 5)
//     are not charted alone (no limits shown); they are tested all the same.
//   - Recurrence (the descriptive list): a pair with at least MinCount (default 3) complaints in at least 3 of the
//     6 months ending at the period; Elevated marks the ones that are findings.
//   - Narrative terms: smoothed log-ratio log((a+1)/(A+V)) - log((b+1)/(B+V)) of a term's count in the period
//     (a of A terms) against the baseline (b of B), V the vocabulary size; at least 5 occurrences in the period.
//     Chinese text is segmented by bidirectional maximum matching over an embedded banking lexicon, the catalogue's
//     labels and the stop words (gse was measured and rejected: docs/decisions.md, docs/performance.md) and counted as words and runs
//     of 2-4 words within a phrase; a term almost always inside a longer one is dropped. English is counted as
//     words and word pairs without stop words. Placeholders such as [手机号] are dropped. Branches are shown by
//     their branch master name (Key.Names).
package rootcause

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"time"

	"complaints/internal/sqlrows"
)

// Options of Analyze. Zero values take the defaults.
type Options struct {
	Period                     string    // YYYY-MM (required)
	BaselineMonths             int       // months before the period that make the control-chart baseline (12)
	ExcludeFlaggedFromBaseline bool      // drop out-of-control baseline months and recompute the limits
	MinCount                   int       // recurrence: minimum complaints in a month for the pair to be present (3)
	FDR                        float64   // Benjamini-Hochberg false discovery rate (0.05)
	SparseMean                 float64   // baseline mean under which a series is not charted alone (5)
	EmergingRise               float64   // emerging issues: minimum rise over the trailing mean (0.5 = +50%)
	EmergingMin                int       // emerging issues: minimum count in the period (10)
	TermMinCount               int       // narrative terms: minimum occurrences in the period (5)
	TermsPerCategory           int       // narrative terms kept per business category (10)
	Customers                  Customers // denominators for u-charts; none given: c-charts only
	// IncompleteMonths (YYYY-MM) are kept out of every baseline, as the months before the data's first month are
	// (e.g. months a coverage check finds incomplete).
	IncompleteMonths []string `json:"incomplete_months,omitempty"`
	// Coverage is the period's coverage in one sentence (complete, or which source is missing or short), shown
	// with the findings.
	Coverage string
	// WorkingDays are the working days of each month (YYYY-MM), the exposure of the bank-total test, so that a
	// month with the Spring Festival or a long holiday is expected to receive fewer complaints. Analyze reads them
	// from the warehouse's calendar (calendar_days: the State Council schedules normalise loaded) when none are
	// given; without them for every month tested, the bank total takes one unit of exposure a month.
	WorkingDays map[string]float64 `json:"working_days,omitempty"`
	// covered are the months some source covers (source_coverage; nil when the warehouse has no coverage rows):
	// Analyze reads them, so a branch copy's months without a complaint of the branch stay zero reports.
	covered map[string]bool
}

// Customers are the personal-customer counts behind the u-charts (complaints per 10,000 customers), from the
// config's denominators. Business category, cause and business channel series use the bank-wide figure of each
// month (ByMonth, else Total); branch series use the branch's own figure (ByBranch, by code or name). A series
// without a figure for every month of its baseline and period keeps a c-chart.
type Customers struct {
	Total    int64            `json:"total,omitempty"`
	ByMonth  map[string]int64 `json:"by_month,omitempty"`  // YYYY-MM -> bank-wide customers that month
	ByBranch map[string]int64 `json:"by_branch,omitempty"` // branch code or name -> the branch's customers
}

// per10k is n_i for a series: its customers at months[from:] in units of 10,000 (0 before from), or nil when the
// series takes a c-chart.
func (c Customers) per10k(k Key, months []string, from int) []float64 {
	out := make([]float64, len(months))
	switch k.Kind {
	case KindBranch:
		n := c.ByBranch[k.Parts[0]]
		if n <= 0 && len(k.Names) > 0 && k.Names[0] != "" {
			n = c.ByBranch[k.Names[0]]
		}
		if n <= 0 {
			return nil
		}
		for i := from; i < len(months); i++ {
			out[i] = float64(n) / 10000
		}
	case KindCategory, KindCause, KindChannel:
		for i := from; i < len(months); i++ {
			n := c.ByMonth[months[i]]
			if n <= 0 {
				n = c.Total
			}
			if n <= 0 {
				return nil
			}
			out[i] = float64(n) / 10000
		}
	default:
		return nil
	}
	return out
}

const (
	recurrenceWindow    = 6
	recurrenceMinMonths = 3
	TrailingMonths      = 6 // the months an emerging issue's count is compared with
)

func (o Options) withDefaults() Options {
	orDefault(&o.BaselineMonths, 12)
	orDefault(&o.MinCount, 3)
	orDefault(&o.FDR, 0.05)
	orDefault(&o.SparseMean, 5)
	orDefault(&o.EmergingRise, 0.5)
	orDefault(&o.EmergingMin, 10)
	orDefault(&o.TermMinCount, 5)
	orDefault(&o.TermsPerCategory, 10)
	return o
}

// orDefault sets *v to d when it is not set (zero or negative).
func orDefault[T int | float64](v *T, d T) {
	if *v <= 0 {
		*v = d
	}
}

// Series kinds.
const (
	KindCategory      = "business_category"
	KindCause         = "cause"
	KindBranch        = "branch"
	KindChannel       = "business_channel"
	KindCategoryCause = "category_cause"
	KindBranchCause   = "branch_cause"
)

// Key identifies a series: its kind and the codes of its parts, e.g. category_cause [payment_settlement
// facilities_systems]. A branch part is complaints.branch: the branch master's code (GD001) when the config names a
// master, else the branch as exported. Names holds the display name of each part where the branch master gives one
// ("" elsewhere); KeyLabel shows it.
type Key struct {
	Kind  string   `json:"kind"`
	Parts []string `json:"parts"`
	Names []string `json:"names,omitempty"`
}

func (k Key) String() string { return strings.Join(k.Parts, " x ") }
func (k Key) id() string     { return k.Kind + "\x00" + strings.Join(k.Parts, "\x00") }

// Findings are the results of Analyze for one period.
type Findings struct {
	Period         string       `json:"period"`
	Options        Options      `json:"options"`
	Months         []string     `json:"months"`          // the loaded months, oldest first; the last is the period
	BaselineMonths []string     `json:"baseline_months"` // the control-chart baseline
	Received       int          `json:"received"`        // primaries received in the period
	ParetoCauses   Pareto       `json:"pareto_causes"`
	ParetoCatCause Pareto       `json:"pareto_category_cause"`
	Charts         []Chart      `json:"charts"` // every tested series, flagged first, then by p-value
	Tested         int          `json:"tested"` // charted series tested in the period
	Flagged        int          `json:"flagged"`
	Recurring      []Recurrence `json:"recurring"`
	Rising         []Rising     `json:"rising"` // pairs whose last 3 months are above their baseline (findings)
	Peers          []Peer       `json:"peers"`  // branch x cause above the other branches' share (findings)
	// Ranked are the run's findings (Discoveries of them), most excess complaints first, each with its sentence.
	Ranked []Finding `json:"ranked_findings"`
	// BankTotal is the test of the bank's complaints received in the period (nil: insufficient history).
	BankTotal *BankTotal `json:"bank_total,omitempty"`
	// Family is the number of tests in the run's one Benjamini-Hochberg family (at Options.FDR); Discoveries the
	// findings it yields (a bank-wide rise, flagged charts, emerging issues, rising, elevated recurring and peer findings).
	Family      int `json:"family"`
	Discoveries int `json:"findings"`
	// HistoryMonths is the number of complete months in the period's baseline; InsufficientHistory lists the
	// series with fewer than MinHistory complete baseline months for a test: they yield no finding.
	HistoryMonths       int        `json:"history_months"`
	InsufficientHistory []Key      `json:"insufficient_history"`
	Repeats             Repeats    `json:"repeats"`
	Emerging            []Emerging `json:"emerging"`
	Terms               []Term     `json:"terms"`
	complete            []bool     // by Months: complete months (a baseline may use them)
	series              seriesSet  // the series tested, for the read-only views (views.go)
	firstData           string     // the data's first month (YYYY-MM), "" without data
}

// Pareto is a Pareto table for the period.
type Pareto struct {
	Total    int          `json:"total"`
	VitalFew int          `json:"vital_few"` // smallest number of top items whose cumulative share reaches 80%
	Items    []ParetoItem `json:"items"`
}

// ParetoItem is one bar.
type ParetoItem struct {
	Key        Key     `json:"key"`
	Count      int     `json:"count"`
	Share      float64 `json:"share"`
	Cumulative float64 `json:"cumulative"`
	Vital      bool    `json:"vital"`
}

// Chart types: a c-chart of monthly counts, or a u-chart of complaints per 10,000 customers when the options
// give the series a denominator (Options.Customers).
const (
	ChartC = "c"
	ChartU = "u"
)

// Chart is one series' control chart (or, when Sparse, its Poisson test only) for the period. Centre, UCL and
// LCL are in the chart's units: complaints for a c-chart, complaints per 10,000 customers for a u-chart.
type Chart struct {
	Key            Key       `json:"key"`
	Type           string    `json:"chart_type"`              // ChartC or ChartU
	Counts         []int     `json:"counts"`                  // by Findings.Months
	Count          int       `json:"count"`                   // the period's count
	Customers      []float64 `json:"customers_10k,omitempty"` // u-chart: n_i, customers in units of 10,000, by month
	Rates          []float64 `json:"rates,omitempty"`         // u-chart: complaints per 10,000 customers, by month
	Rate           float64   `json:"rate,omitempty"`          // u-chart: the period's rate
	Centre         float64   `json:"centre"`                  // c: baseline mean; u: baseline Σcount/Σn
	UCL            float64   `json:"ucl"`                     // the period's limits
	LCL            float64   `json:"lcl"`
	UCLs           []float64 `json:"ucl_by_month"` // limits by month over the baseline and the period (0 before)
	LCLs           []float64 `json:"lcl_by_month"`
	Sparse         bool      `json:"sparse"` // expected count in the period < SparseMean: not charted, Poisson test only
	Rule1          bool      `json:"rule1"`
	Rule4          bool      `json:"rule4"`
	PValue         float64   `json:"p_value"` // the period's calibrated test (Test)
	QValue         float64   `json:"q_value"` // BH-adjusted over the run's family
	Flagged        bool      `json:"flagged"` // passes BH at FDR
	Test           RateTest  `json:"test"`
	Rule1Months    []bool    `json:"rule1_months"`
	ExcludedMonths []string  `json:"excluded_months,omitempty"`
	tested         bool
}

// Recurrence is a pair present in at least 3 of the 6 months ending at the period.
type Recurrence struct {
	Key           Key      `json:"key"`
	Months        []string `json:"months"` // the 6 months
	Counts        []int    `json:"counts"`
	MonthsPresent int      `json:"months_present"`
	FirstSeen     string   `json:"first_seen"` // first month of the excess (Finding.FirstMonth); untested: first month with MinCount
	Slope         float64  `json:"slope"`      // least-squares complaints per month over the 6 months
	Last3         int      `json:"last3"`
	Prev3         int      `json:"prev3"`
	Trend         string   `json:"trend"`      // rising / falling / stable (last 3 vs previous 3, ±20%)
	PriorMean     float64  `json:"prior_mean"` // monthly mean of the complete months before the 6
	PValue        float64  `json:"p_value"`    // the 6 months against the months before them (Test); 1 untested
	QValue        float64  `json:"q_value"`
	MonthsAbove   int      `json:"months_above"` // of the 6, months with at least MinCount and above the expected count
	Elevated      bool     `json:"elevated"`     // passes the run's family and is above expected in 3 of the 6 months
	Test          RateTest `json:"test"`
	Actions       []Action `json:"actions,omitempty"`
	NoAction      bool     `json:"no_action"`
	Overdue       bool     `json:"overdue"`
	// Effect: counts before and after a completed action's date (ApplyRemediation).
	Effect *RemediationEffect `json:"remediation_effect,omitempty"`
	tested bool
	passed bool
}

// Repeats are repeat complainants (domain.md section 5) as counts only.
type Repeats struct {
	Months   []RepeatRow `json:"months"`    // per loaded month
	Period   RepeatRow   `json:"period"`    // the period
	ByBranch []RepeatRow `json:"by_branch"` // the period, per branch (Branch set), most repeat complaints first
}

// RepeatRow counts primaries received and those of repeat complainants (customers with a repeat complaint
// received: one with an earlier primary of theirs in the 90 days before it).
type RepeatRow struct {
	Month            string  `json:"month,omitempty"`
	Branch           string  `json:"branch,omitempty"`      // complaints.branch (the master's code when there is one)
	BranchName       string  `json:"branch_name,omitempty"` // the branch master's name, else Branch
	Received         int     `json:"received"`
	Customers        int     `json:"customers"`         // distinct identified customers
	RepeatCustomers  int     `json:"repeat_customers"`  // of which repeat complainants
	RepeatComplaints int     `json:"repeat_complaints"` // their complaints: the repeats received and the earlier ones they repeat
	ComplaintShare   float64 `json:"complaint_share"`   // their complaints / received
	CustomerShare    float64 `json:"customer_share"`    // repeat customers / customers
}

// Emerging is a series far above its expected count in the period.
type Emerging struct {
	Key          Key     `json:"key"`
	Counts       []int   `json:"counts"` // the 6 trailing months then the period
	Count        int     `json:"count"`
	TrailingMean float64 `json:"trailing_mean"`  // the count expected from the baseline's rate
	Rise         float64 `json:"rise,omitempty"` // count / expected - 1; absent when New
	New          bool    `json:"new,omitempty"`  // nothing in the baseline: no rise is defined
	// UnderRemediation: an open remediation action matches the series; it is then not shown as new.
	UnderRemediation bool     `json:"under_remediation,omitempty"`
	PValue           float64  `json:"p_value"`
	QValue           float64  `json:"q_value"`
	Test             RateTest `json:"test"`
}

// Term is a narrative word or phrase whose share rises in the period.
type Term struct {
	Category string  `json:"business_category"` // "" for all categories
	Term     string  `json:"term"`
	Period   int     `json:"period_count"`
	Baseline int     `json:"baseline_count"`
	Score    float64 `json:"log_ratio"`
}

// cell is one row of mart_dimension_month reduced to the dimensions used here.
type cell struct {
	month                               int // index into months
	category, cause, branch, bizChannel string
	n                                   int
}

// Analyze computes the findings for opts.Period.
func Analyze(ctx context.Context, db *sql.DB, opts Options) (*Findings, error) {
	opts = opts.withDefaults()
	p, err := time.Parse("2006-01", opts.Period)
	if err != nil {
		return nil, fmt.Errorf("rootcause: period %q: use YYYY-MM", opts.Period)
	}
	hist := max(opts.BaselineMonths, recurrenceWindow+6, TrailingMonths, 7)
	months := make([]string, hist+1)
	for i := range months {
		months[i] = p.AddDate(0, i-hist, 0).Format("2006-01")
	}
	f := &Findings{Period: opts.Period, Options: opts, Months: months,
		BaselineMonths: months[hist-opts.BaselineMonths : hist]}
	cells, err := loadCells(ctx, db, months)
	if err != nil {
		return nil, err
	}
	names, err := BranchNames(ctx, db)
	if err != nil {
		return nil, err
	}
	series := buildSeries(cells, len(months), names)
	for _, c := range cells {
		if c.month == hist {
			f.Received += c.n
		}
	}
	f.ParetoCauses = pareto(series, KindCause, hist)
	f.ParetoCatCause = pareto(series, KindCategoryCause, hist)
	firstData, err := firstDataMonth(ctx, db)
	if err != nil {
		return nil, err
	}
	if opts.WorkingDays == nil {
		if opts.WorkingDays, err = workingDays(ctx, db, months); err != nil {
			return nil, err
		}
		f.Options.WorkingDays = opts.WorkingDays
	}
	if opts.covered, err = coveredMonths(ctx, db); err != nil {
		return nil, err
	}
	if len(opts.covered) > 0 {
		firstData = ""
		for m := range opts.covered {
			if firstData == "" || m < firstData {
				firstData = m
			}
		}
	} else {
		opts.covered = nil
	}
	analyzeSeries(f, series, months, firstData, opts)
	f.series, f.firstData = series, firstData
	if f.Repeats, err = repeats(ctx, db, months); err != nil {
		return nil, err
	}
	for i := range f.Repeats.ByBranch {
		b := &f.Repeats.ByBranch[i]
		b.BranchName = b.Branch
		if name := names[b.Branch]; name != "" {
			b.BranchName = name
		}
	}
	if f.Terms, err = terms(ctx, db, months[hist-opts.BaselineMonths], opts.Period, opts); err != nil {
		return nil, err
	}
	return f, nil
}

// firstDataMonth is the first month (YYYY-MM) with a complaint in mart_dimension_month, "" when it is empty:
// months before it are no data, never zeros in a baseline.
func firstDataMonth(ctx context.Context, db *sql.DB) (string, error) {
	var m sql.NullString
	if err := db.QueryRowContext(ctx, `SELECT strftime(min(month), '%Y-%m') FROM mart_dimension_month WHERE received > 0`).Scan(&m); err != nil {
		return "", fmt.Errorf("rootcause: reading mart_dimension_month: %w", err)
	}
	return m.String, nil
}

// coveredMonths are the months (YYYY-MM) some source covers (source_coverage, bank-wide also in a branch copy):
// months with data, in which a series without a complaint has a zero, never a gap. Empty when the warehouse has
// not judged coverage.
func coveredMonths(ctx context.Context, db *sql.DB) (map[string]bool, error) {
	ms, err := sqlrows.Query(ctx, db, func(m *string) []any { return []any{m} },
		`SELECT strftime(month, '%Y-%m') FROM source_coverage GROUP BY month HAVING bool_or(covered)`)
	if err != nil {
		return nil, fmt.Errorf("rootcause: reading source_coverage: %w", err)
	}
	out := make(map[string]bool, len(ms))
	for _, m := range ms {
		out[m] = true
	}
	return out, nil
}

// workingDays counts the working days of each of months in the warehouse's calendar (calendar_days, which holds
// whole years with a State Council schedule); a month of a year without one is absent.
func workingDays(ctx context.Context, db *sql.DB, months []string) (map[string]float64, error) {
	type row struct {
		month string
		n     float64
	}
	rows, err := sqlrows.Query(ctx, db, func(r *row) []any { return []any{&r.month, &r.n} },
		`SELECT strftime(day, '%Y-%m'), count(*) FILTER (WHERE is_workday)::DOUBLE FROM calendar_days
		WHERE day >= CAST(? AS DATE) AND day < CAST(? AS DATE) GROUP BY 1`, monthStart(months[0]), monthStart(nextMonth(months[len(months)-1])))
	if err != nil {
		return nil, fmt.Errorf("rootcause: reading calendar_days: %w", err)
	}
	out := map[string]float64{}
	for _, r := range rows {
		out[r.month] = r.n
	}
	return out, nil
}

func monthStart(m string) string { return m + "-01" }

func nextMonth(m string) string {
	t, _ := time.Parse("2006-01", m)
	return t.AddDate(0, 1, 0).Format("2006-01")
}

func loadCells(ctx context.Context, db *sql.DB, months []string) ([]cell, error) {
	idx := map[string]int{}
	for i, m := range months {
		idx[m] = i
	}
	type monthCell struct {
		label string
		cell
	}
	var out []cell
	err := sqlrows.Each(ctx, db, func(r *monthCell) []any {
		return []any{&r.label, &r.category, &r.cause, &r.branch, &r.bizChannel, &r.n}
	}, func(r monthCell) error {
		r.cell.month = idx[r.label]
		out = append(out, r.cell)
		return nil
	}, `
SELECT strftime(month, '%Y-%m'), business_category, cause, branch, business_channel, sum(received)::BIGINT
FROM mart_dimension_month
WHERE month >= CAST(? AS DATE) AND month <= CAST(? AS DATE)
GROUP BY ALL`, monthStart(months[0]), monthStart(months[len(months)-1]))
	if err != nil {
		return nil, fmt.Errorf("rootcause: reading mart_dimension_month: %w", err)
	}
	return out, nil
}

// seriesSet maps a series id to its key and monthly counts.
type seriesSet map[string]*seriesData

type seriesData struct {
	key    Key
	counts []int
}

func (s seriesSet) add(k Key, month, n, nMonths int) {
	id := k.id()
	d := s[id]
	if d == nil {
		d = &seriesData{key: k, counts: make([]int, nMonths)}
		s[id] = d
	}
	d.counts[month] += n
}

// sorted lists the series of some kinds in a stable order.
func (s seriesSet) sorted(kinds ...string) []*seriesData {
	want := map[string]bool{}
	for _, k := range kinds {
		want[k] = true
	}
	var ids []string
	for id, d := range s {
		if want[d.key.Kind] {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	out := make([]*seriesData, len(ids))
	for i, id := range ids {
		out[i] = s[id]
	}
	return out
}

// buildSeries sums the cells into series; branchNames (code -> name, may be nil) names the branch parts.
func buildSeries(cells []cell, nMonths int, branchNames map[string]string) seriesSet {
	s := seriesSet{}
	for _, c := range cells {
		s.add(Key{Kind: KindCategory, Parts: []string{c.category}}, c.month, c.n, nMonths)
		s.add(Key{Kind: KindCause, Parts: []string{c.cause}}, c.month, c.n, nMonths)
		s.add(Key{Kind: KindChannel, Parts: []string{c.bizChannel}}, c.month, c.n, nMonths)
		s.add(Key{Kind: KindCategoryCause, Parts: []string{c.category, c.cause}}, c.month, c.n, nMonths)
		if c.branch != "" {
			var names []string
			if name := branchNames[c.branch]; name != "" && name != c.branch {
				names = []string{name}
			}
			s.add(Key{Kind: KindBranch, Parts: []string{c.branch}, Names: names}, c.month, c.n, nMonths)
			var bcNames []string
			if names != nil {
				bcNames = []string{names[0], ""}
			}
			s.add(Key{Kind: KindBranchCause, Parts: []string{c.branch, c.cause}, Names: bcNames}, c.month, c.n, nMonths)
		}
	}
	return s
}

// BranchNames maps branch master codes to names (the view branch_labels); empty without a branch master. Anything shown to a user names a branch by its name, falling back to
// the code or the exported text.
func BranchNames(ctx context.Context, db *sql.DB) (map[string]string, error) {
	out, err := sqlrows.Map[string, string](ctx, db, `SELECT code, name FROM branch_labels`)
	if err != nil {
		return nil, fmt.Errorf("rootcause: reading branch_labels: %w", err)
	}
	return out, nil
}

func pareto(s seriesSet, kind string, period int) Pareto {
	var p Pareto
	for _, d := range s.sorted(kind) {
		if n := d.counts[period]; n > 0 {
			p.Items = append(p.Items, ParetoItem{Key: d.key, Count: n})
		}
	}
	return p.finish()
}

// SumPareto is the Pareto of several periods' items together (a quarter's or a year's causes from its months'
// ParetoCauses): counts added by series, then ordered, shared and cut at the vital few as pareto does.
func SumPareto(ps ...Pareto) Pareto {
	var p Pareto
	at := map[string]int{}
	for _, q := range ps {
		for _, it := range q.Items {
			i, ok := at[it.Key.id()]
			if !ok {
				i = len(p.Items)
				at[it.Key.id()] = i
				p.Items = append(p.Items, ParetoItem{Key: it.Key})
			}
			p.Items[i].Count += it.Count
		}
	}
	return p.finish()
}

// finish orders the items by count (stable: ties keep their order), and sets the total, the shares and the
// vital few: the smallest number of top items whose cumulative share reaches 80%.
func (p Pareto) finish() Pareto {
	p.Total = 0
	for _, it := range p.Items {
		p.Total += it.Count
	}
	sort.SliceStable(p.Items, func(i, j int) bool { return p.Items[i].Count > p.Items[j].Count })
	cum := 0
	for i := range p.Items {
		it := &p.Items[i]
		cum += it.Count
		it.Share = float64(it.Count) / float64(p.Total)
		it.Cumulative = float64(cum) / float64(p.Total)
		prev := 0.0
		if i > 0 {
			prev = p.Items[i-1].Cumulative
		}
		if prev < 0.8-1e-12 {
			it.Vital = true
			p.VitalFew = i + 1
		}
	}
	return p
}

// VitalFew is the number of leading shares (sorted descending) whose cumulative sum first reaches 80%.
func VitalFew(shares []float64) int {
	cum := 0.0
	for i, s := range shares {
		cum += s
		if cum >= 0.8-1e-12 {
			return i + 1
		}
	}
	return len(shares)
}

// chartKinds are the series charted (and tested) in the period.
var chartKinds = []string{KindCategory, KindCause, KindBranch, KindChannel}

// controlCharts charts and tests the chart kinds' series with every loaded month complete, Benjamini-Hochberg
// over the charts alone; Analyze tests them within the run's whole family instead (analyzeSeries).
func controlCharts(s seriesSet, months []string, o Options) []Chart {
	h := newHistory(s, months, months[0], o)
	var charts []Chart
	for _, d := range s.sorted(chartKinds...) {
		if c := chartOf(d, h, o); c != nil && c.tested {
			charts = append(charts, *c)
		}
	}
	var fam family
	for i := range charts {
		fam.add(charts[i].PValue, &charts[i].QValue, &charts[i].Flagged)
	}
	fam.apply(o.FDR)
	sortCharts(charts)
	return charts
}

func sortCharts(charts []Chart) {
	sort.SliceStable(charts, func(i, j int) bool {
		if charts[i].Flagged != charts[j].Flagged {
			return charts[i].Flagged
		}
		return charts[i].PValue < charts[j].PValue
	})
}

// chartOf builds one series' chart and its period test; nil when the series has no complaint in the baseline or
// the period. tested is false (and the series has insufficient history) when the baseline holds fewer than
// MinHistory complete months or the period is not complete.
//
// A c-chart is the u-chart with every n_i = 1, so one computation serves both: the centre is ū = Σc/Σn over the
// complete (and included) baseline months, the limits at month i are ū ± 3·sqrt(ū/n_i), the plotted value is
// c_i/n_i. For a u-chart n_i is the month's customers in units of 10,000, so values and limits are complaints per
// 10,000 customers. The period's test (Chart.Test) compares the period's count with the baseline's by the
// calibrated RateTest, the exposure being the customers for a u-chart and the month's volume of complaints
// otherwise.
func chartOf(d *seriesData, h history, o Options) *Chart {
	months := h.months
	period := h.period
	first := period - o.BaselineMonths
	den := o.Customers.per10k(d.key, months, first)
	n := func(i int) float64 {
		if den == nil {
			return 1
		}
		return den[i]
	}
	value := func(i int) float64 { return float64(d.counts[i]) / n(i) }
	c := &Chart{Key: d.key, Type: ChartC, Counts: d.counts, Count: d.counts[period]}
	if den != nil {
		c.Type, c.Customers = ChartU, den
		c.Rates = make([]float64, len(months))
		for i := first; i <= period; i++ {
			c.Rates[i] = value(i)
		}
		c.Rate = c.Rates[period]
	}
	included := make([]bool, o.BaselineMonths)
	for j := range included {
		included[j] = h.complete[first+j]
	}
	c.UCLs, c.LCLs = make([]float64, len(months)), make([]float64, len(months))
	for iter := 0; ; iter++ {
		sumC, sumN, k := 0.0, 0.0, 0
		for j, in := range included {
			if in {
				sumC += float64(d.counts[first+j])
				sumN += n(first + j)
				k++
			}
		}
		c.Centre = 0
		if sumN > 0 {
			c.Centre = sumC / sumN
		}
		for i := first; i <= period; i++ {
			c.UCLs[i], c.LCLs[i] = ULimits(c.Centre, n(i))
		}
		if !o.ExcludeFlaggedFromBaseline || iter > o.BaselineMonths {
			break
		}
		changed := false
		for j, in := range included {
			i := first + j
			if in && Rule1(value(i), c.UCLs[i], c.LCLs[i]) && k > 1 {
				included[j], changed = false, true
			}
		}
		if !changed {
			break
		}
	}
	c.UCL, c.LCL = c.UCLs[period], c.LCLs[period]
	var base []int
	for j, in := range included {
		if !in && h.complete[first+j] {
			c.ExcludedMonths = append(c.ExcludedMonths, months[first+j])
		}
		if in {
			base = append(base, first+j)
		}
	}
	sum := 0
	for _, i := range base {
		sum += d.counts[i]
	}
	if sum == 0 && c.Count == 0 {
		return nil
	}
	if len(base) >= MinHistory && h.complete[period] {
		ex := h.exposure(d.key)
		if den != nil {
			ex = den
		}
		c.Test = testWindow(d.counts, ex, []int{period}, base)
		c.PValue, c.tested = c.Test.P, true
	}
	c.Sparse = c.Centre*n(period) < o.SparseMean
	c.Rule1Months = make([]bool, len(d.counts))
	if !c.Sparse {
		pts := make([]float64, 0, o.BaselineMonths+1)
		for i := first; i <= period; i++ {
			if !h.complete[i] && i != period {
				continue
			}
			c.Rule1Months[i] = Rule1(value(i), c.UCLs[i], c.LCLs[i])
			pts = append(pts, value(i))
		}
		c.Rule1 = c.Rule1Months[period]
		c.Rule4 = Rule4(pts, c.Centre)
	}
	return c
}

// recurrences lists the pairs with at least MinCount complaints in at least 3 of the 6 months ending at the
// period (a descriptive list). Every pair with MinHistory complete months before the 6 is tested, listed or not:
// the 6 months' sum against the rate of the complete months before them (the months that choose nothing), so the
// months tested are not the months that picked the pair. A listed pair is Elevated when its test passes the
// run's family and at least 3 of the 6 months are above the count expected from that rate.
func recurrences(s seriesSet, h history, o Options, fam *family, insufficient func(Key)) []Recurrence {
	months := h.months
	period := h.period
	w0 := period - recurrenceWindow + 1
	var win []int
	for i := w0; i <= period; i++ {
		if h.complete[i] {
			win = append(win, i)
		}
	}
	base := h.baseline(0, w0)
	var out []Recurrence
	type tested struct {
		q    float64
		flag bool
	}
	for _, d := range s.sorted(KindBranchCause, KindCategoryCause) {
		present := 0
		for i := w0; i <= period; i++ {
			if d.counts[i] >= o.MinCount {
				present++
			}
		}
		ok := len(base) >= MinHistory && len(win) >= recurrenceMinMonths
		if !ok {
			insufficient(d.key)
		}
		var test RateTest
		if ok {
			test = testWindow(d.counts, h.exposure(d.key), win, base)
		}
		if present < recurrenceMinMonths {
			if ok { // a zero count too: p = 1, never a finding, but a member of the family
				t := new(tested)
				fam.add(test.P, &t.q, &t.flag)
			}
			continue
		}
		r := Recurrence{Key: d.key, Months: months[w0:], Counts: d.counts[w0:], MonthsPresent: present, Test: test, tested: ok}
		for i, n := range d.counts {
			if n >= o.MinCount && (h.complete[i] || i == period) {
				r.FirstSeen = months[i]
				break
			}
		}
		ys := make([]float64, 0, recurrenceWindow)
		for i, n := range r.Counts {
			ys = append(ys, float64(n))
			if i < 3 {
				r.Prev3 += n
			} else {
				r.Last3 += n
			}
		}
		r.Slope = slope(ys)
		switch {
		case float64(r.Last3) > 1.2*float64(r.Prev3):
			r.Trend = "rising"
		case float64(r.Last3) < 0.8*float64(r.Prev3):
			r.Trend = "falling"
		default:
			r.Trend = "stable"
		}
		prior := make([]float64, 0, len(base))
		for _, i := range base {
			prior = append(prior, float64(d.counts[i]))
		}
		r.PriorMean = mean(prior)
		r.PValue = 1
		if ok {
			r.PValue = test.P
			rate, ex := 0.0, h.exposure(d.key)
			if test.E0 > 0 {
				rate = float64(test.Y) / test.E0
			}
			for _, i := range win {
				if d.counts[i] >= o.MinCount && float64(d.counts[i]) > rate*ex[i] {
					r.MonthsAbove++
				}
			}
			r.FirstSeen, _ = excessRun(d.counts, func(i int) float64 { return rate * ex[i] }, h.complete, win, months)
		}
		out = append(out, r)
	}
	for i := range out {
		if out[i].tested {
			fam.add(out[i].PValue, &out[i].QValue, &out[i].passed)
		} else {
			out[i].QValue = 1
		}
	}
	return out
}

func sortRecurring(out []Recurrence) {
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Elevated != b.Elevated {
			return a.Elevated
		}
		if a.PValue != b.PValue {
			return a.PValue < b.PValue
		}
		return a.Last3+a.Prev3 > b.Last3+b.Prev3
	})
}

// emergingKinds are the series tested for emerging issues.
var emergingKinds = []string{KindCategory, KindCause, KindCategoryCause, KindBranch, KindChannel}

// periodTest is the period's test of one series of emergingKinds (the chart's own test for a charted series).
type periodTest struct {
	d      *seriesData
	chart  *Chart // nil for a kind that is not charted
	test   RateTest
	q      float64
	passed bool
}

// emerging lists the period tests that passed the run's family, with at least EmergingMin complaints and at least
// EmergingRise above the expected count.
func emerging(tests []*periodTest, h history, o Options) []Emerging {
	var out []Emerging
	period := h.period
	for _, t := range tests {
		x := t.d.counts[period]
		if !t.passed || x < o.EmergingMin || float64(x) < (1+o.EmergingRise)*t.test.Expected {
			continue
		}
		e := Emerging{Key: t.d.key, Counts: t.d.counts[period-TrailingMonths:], Count: x,
			TrailingMean: t.test.Expected, PValue: t.test.P, QValue: t.q, Test: t.test}
		if t.test.Y == 0 {
			e.New = true
		} else {
			e.Rise = float64(x)/t.test.Expected - 1
		}
		out = append(out, e)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].PValue != out[j].PValue {
			return out[i].PValue < out[j].PValue
		}
		return out[i].Count > out[j].Count
	})
	return out
}

// analyzeSeries runs every test of the period on the series and applies one Benjamini-Hochberg family at
// Options.FDR over all of them (f.Family tests): the period tests of the charted series and of category x cause,
// the rising and recurring tests of the pairs and the peer tests of branch x cause. A series or pair without
// MinHistory complete baseline months is listed in f.InsufficientHistory and tested by no baseline test.
func analyzeSeries(f *Findings, s seriesSet, months []string, firstData string, o Options) {
	h := newHistory(s, months, firstData, o)
	f.InsufficientHistory, f.Rising, f.Peers = []Key{}, []Rising{}, []Peer{}
	f.HistoryMonths = len(h.baseline(h.period-o.BaselineMonths, h.period))
	seen := map[string]bool{}
	insufficient := func(k Key) {
		if !seen[k.id()] {
			seen[k.id()] = true
			f.InsufficientHistory = append(f.InsufficientHistory, k)
		}
	}
	var fam family
	charts := []*Chart{}
	var tests []*periodTest
	for _, d := range s.sorted(emergingKinds...) {
		c := chartOf(d, h, o)
		if c == nil {
			continue
		}
		if !c.tested {
			insufficient(d.key)
		}
		if c.Key.Kind != KindCategoryCause && c.tested {
			charts = append(charts, c)
		}
		if c.tested {
			tests = append(tests, &periodTest{d: d, chart: c, test: c.Test})
		}
	}
	for _, t := range tests {
		fam.add(t.test.P, &t.q, &t.passed)
	}
	rising := risingTests(s, h, o, insufficient)
	for i := range rising {
		fam.add(rising[i].Test.P, &rising[i].QValue, &rising[i].Flagged)
	}
	f.Recurring = recurrences(s, h, o, &fam, insufficient)
	f.Peers = peerTests(s, h, o)
	for i := range f.Peers {
		fam.add(f.Peers[i].Test.P, &f.Peers[i].QValue, &f.Peers[i].Flagged)
	}
	if f.BankTotal = bankTotalTest(h, o, insufficient); f.BankTotal != nil {
		fam.add(f.BankTotal.Test.P, &f.BankTotal.QValue, &f.BankTotal.Flagged)
	}
	fam.apply(o.FDR)
	f.Family = len(fam)
	for _, t := range tests {
		if t.chart.Key.Kind != KindCategoryCause {
			t.chart.Flagged, t.chart.QValue = t.passed, t.q
		}
	}
	for _, c := range charts {
		f.Charts = append(f.Charts, *c)
	}
	sortCharts(f.Charts)
	f.Tested = len(f.Charts)
	for _, c := range f.Charts {
		if c.Flagged {
			f.Flagged++
		}
	}
	f.Emerging = emerging(tests, h, o)
	for _, r := range rising {
		if r.Flagged {
			f.Rising = append(f.Rising, r)
		}
	}
	sort.SliceStable(f.Rising, func(i, j int) bool { return f.Rising[i].Test.P < f.Rising[j].Test.P })
	for i := range f.Recurring {
		r := &f.Recurring[i]
		r.Elevated = r.passed && r.MonthsAbove >= recurrenceMinMonths
	}
	sortRecurring(f.Recurring)
	peers := []Peer{}
	for _, p := range f.Peers {
		if p.Flagged {
			peers = append(peers, p)
		}
	}
	f.Peers = peers
	sort.SliceStable(f.Peers, func(i, j int) bool { return f.Peers[i].Test.P < f.Peers[j].Test.P })
	// a finding is a test passed that is shown as one: a flagged chart, an emerging issue (category x cause, or
	// a charted series not already flagged), a rising pair, an elevated recurring pair, a peer excess
	em := map[string]bool{}
	for _, e := range f.Emerging {
		em[e.Key.id()] = true
	}
	for _, t := range tests {
		if t.passed && (t.chart.Flagged || em[t.d.key.id()]) {
			f.Discoveries++
		}
	}
	f.Discoveries += len(f.Rising) + len(f.Peers)
	if f.BankTotal != nil && f.BankTotal.Flagged {
		f.Discoveries++
	}
	for _, r := range f.Recurring {
		if r.Elevated {
			f.Discoveries++
		}
	}
	f.complete = h.complete
	f.Ranked = rankFindings(f, s, h, tests, em)
	sort.Slice(f.InsufficientHistory, func(i, j int) bool { return f.InsufficientHistory[i].id() < f.InsufficientHistory[j].id() })
}

func repeats(ctx context.Context, db *sql.DB, months []string) (Repeats, error) {
	var r Repeats
	period := months[len(months)-1]
	// each month's figures from mart_month (40_marts aggregates figure_members' received, received_repeat and
	// repeat_complaints by month): the complaints received and their customers, the repeat complainants
	// (customers with a repeat complaint received) and their complaints; a month without a row has none
	byMonth := map[string]RepeatRow{}
	rows, err := sqlrows.Query(ctx, db, func(x *RepeatRow) []any {
		return []any{&x.Month, &x.Received, &x.Customers, &x.RepeatCustomers, &x.RepeatComplaints}
	}, `SELECT strftime(month, '%Y-%m'), received, customers, repeat_customers, repeat_complaints
		FROM mart_month WHERE month BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)`, monthStart(months[0]), monthStart(period))
	if err != nil {
		return r, fmt.Errorf("rootcause: repeat complainants: %w", err)
	}
	for _, x := range rows {
		byMonth[x.Month] = x
	}
	for _, m := range months {
		x := byMonth[m]
		x.Month = m
		x.shares()
		r.Months = append(r.Months, x)
	}
	r.Period = r.Months[len(r.Months)-1]
	// the period's by branch: figure_members, the figures' one definition
	if r.ByBranch, err = sqlrows.Query(ctx, db, func(x *RepeatRow) []any {
		return []any{&x.Branch, &x.Received, &x.Customers, &x.RepeatCustomers, &x.RepeatComplaints}
	}, `SELECT branch AS b, count(*) FILTER (WHERE figure = 'received')::BIGINT,
  count(DISTINCT customer_key) FILTER (WHERE figure = 'received')::BIGINT,
  count(DISTINCT customer_key) FILTER (WHERE figure = 'received_repeat')::BIGINT,
  count(*) FILTER (WHERE figure = 'repeat_complaints')::BIGINT
FROM figure_members(CAST(? AS DATE), CAST(? AS DATE)) WHERE figure IN ('received', 'received_repeat', 'repeat_complaints')
GROUP BY b ORDER BY 5 DESC, 2 DESC, b`, monthStart(period), monthStart(period)); err != nil {
		return r, fmt.Errorf("rootcause: repeat complainants: %w", err)
	}
	for i := range r.ByBranch {
		r.ByBranch[i].shares()
	}
	return r, nil
}

func (x *RepeatRow) shares() {
	if x.Received > 0 {
		x.ComplaintShare = float64(x.RepeatComplaints) / float64(x.Received)
	}
	if x.Customers > 0 {
		x.CustomerShare = float64(x.RepeatCustomers) / float64(x.Customers)
	}
}
