package readmodel

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strconv"

	"complaints/catalog"
	"complaints/internal/sqlrows"
)

// SourceMonth is one source's coverage of one month (a source_coverage row, domain.md section 5 Coverage).
type SourceMonth struct {
	Source    string
	Month     Month
	Covered   bool    // within the source's first landed month .. the month of its newest as-of
	Received  int64   // the source's complaint records received in the month
	Median    float64 // the source's median over its covered months among the 6 before (HasMedian)
	HasMedian bool
	Active    bool   // it had complaints received in any of the 3 months before
	Status    string // ok, missing, short, inactive
}

// Gap says whether the row makes its month incomplete (an active source missing, or a source short).
func (s SourceMonth) Gap() bool { return s.Status == "missing" || s.Status == "short" }

// Describe is the gap in a sentence fragment, in lang: the source, the month and the counts.
func (s SourceMonth) Describe(lang string) string { return s.describe().In(lang) }

func (s SourceMonth) describe() *catalog.Message {
	median := "—"
	if s.HasMedian {
		median = strconv.FormatFloat(s.Median, 'f', -1, 64)
	}
	if s.Status == "short" {
		return catalog.Msg("msg_coverage_short", s.Source, s.Month.String(), s.Received, median)
	}
	return catalog.Msg("msg_coverage_missing", s.Source, s.Month.String(), median)
}

// Coverage is what the warehouse knows of a period's completeness. The zero value (Known false) is a warehouse
// not normalised since source_coverage was added: nothing is judged.
type Coverage struct {
	Period Period
	Known  bool // source_coverage has rows
	// FirstMonth is the first month any source covers; months before it are "no data" (never 0).
	FirstMonth Month
	// NewestComplete is the newest complete month up to the newest month any source covers (HasComplete).
	NewestComplete Month
	HasComplete    bool
	// NoData: the period starts before FirstMonth.
	NoData bool
	// Gaps are the period's missing and short sources, by month and source.
	Gaps []SourceMonth
	// Rows are every source's rows of the period's months (the data-quality sheet's table).
	Rows []SourceMonth
}

// Complete says whether the period is complete: every month has data, and no active source is missing or short.
// A warehouse that has not judged coverage yet (Known false) counts as complete.
func (c Coverage) Complete() bool { return !c.Known || (!c.NoData && len(c.Gaps) == 0) }

// IsNoData says whether m is before any data (shown as '—', never 0, and never a baseline or a change's base).
func (c Coverage) IsNoData(m Month) bool { return c.Known && m < c.FirstMonth }

// Sentence is the period's coverage in one sentence in lang: complete, or which source is missing or short (with
// the counts) and the newest complete month.
func (c Coverage) Sentence(lang string) string {
	if c.Complete() {
		return catalog.Msg("msg_coverage_complete", c.Period.String()).In(lang)
	}
	return catalog.Msg("msg_coverage_incomplete", c.Period.String(), c.reasons(), c.newest()).In(lang)
}

// Refusal is the error `report`, `dashboard` and `run` stop with for an incomplete period (nil when complete).
func (c Coverage) Refusal() error {
	if c.Complete() {
		return nil
	}
	return catalog.Errorf("msg_coverage_refused", c.Period.String(), c.reasons(), c.newest())
}

func (c Coverage) reasons() *catalog.Message {
	if c.NoData {
		return catalog.Msg("msg_coverage_no_data", c.FirstMonth.String())
	}
	var out *catalog.Message
	for _, g := range c.Gaps {
		if out == nil {
			out = g.describe()
		} else {
			out = catalog.Msg("msg_coverage_and", out, g.describe())
		}
	}
	return out
}

func (c Coverage) newest() any {
	if !c.HasComplete {
		return catalog.Msg("msg_coverage_none_complete")
	}
	return c.NewestComplete.String()
}

// IncompleteMonths lists the months from..to that have no data or are incomplete, as YYYY-MM in order: the
// months analytics leave out of baselines (rootcause.Options.IncompleteMonths). None when coverage is not known.
func IncompleteMonths(ctx context.Context, db *sql.DB, from, to Month) ([]string, error) {
	c, err := LoadCoverage(ctx, db, Period{Kind: Monthly, Start: from, Len: int(to-from) + 1})
	if err != nil || !c.Known {
		return nil, err
	}
	gap := map[Month]bool{}
	for _, g := range c.Gaps {
		gap[g.Month] = true
	}
	var out []string
	for m := from; m <= to; m++ {
		if c.IsNoData(m) || gap[m] {
			out = append(out, m.String())
		}
	}
	return out, nil
}

// ForAnalysis is what a month's root-cause analysis takes from coverage: the months of the history years before
// period that baselines leave out (IncompleteMonths) and the period's coverage sentence in lang ("" when coverage
// is not known).
func ForAnalysis(ctx context.Context, db *sql.DB, period Month, lang string) (excluded []string, sentence string, err error) {
	if excluded, err = IncompleteMonths(ctx, db, period-36, period-1); err != nil {
		return nil, "", err
	}
	c, err := LoadCoverage(ctx, db, Period{Kind: Monthly, Start: period, Len: 1})
	if err != nil || !c.Known {
		return excluded, "", err
	}
	return excluded, c.Sentence(lang), nil
}

// LoadCoverage reads the coverage of period p from source_coverage. A month past the table's rows (no source's
// export reached it) has every source that ever delivered missing.
func LoadCoverage(ctx context.Context, db *sql.DB, p Period) (Coverage, error) {
	c := Coverage{Period: p}
	var first, last, newest sql.NullString
	if err := db.QueryRowContext(ctx, `
		SELECT strftime(min(month), '%Y-%m'), strftime(max(month), '%Y-%m'),
		       (SELECT strftime(max(month), '%Y-%m') FROM (
		            SELECT month FROM source_coverage GROUP BY month
		            HAVING bool_and(status NOT IN ('missing', 'short')) AND bool_or(covered)))
		FROM source_coverage`).Scan(&first, &last, &newest); err != nil {
		return c, fmt.Errorf("read source_coverage: %w", err)
	}
	if !first.Valid {
		return c, nil
	}
	c.Known = true
	var err error
	if c.FirstMonth, err = ParseMonth(first.String); err != nil {
		return c, err
	}
	lastRow, err := ParseMonth(last.String)
	if err != nil {
		return c, err
	}
	if newest.Valid {
		if c.NewestComplete, err = ParseMonth(newest.String); err != nil {
			return c, err
		}
		c.HasComplete = true
	}
	c.NoData = p.Start < c.FirstMonth
	rows, err := sqlrows.Query(ctx, db, func(s *SourceMonth) []any {
		return []any{&s.Source, &s.Month, &s.Covered, &s.Received, (*nullFloat)(&s.Median), &s.Active, &s.Status}
	}, `SELECT source_system, strftime(month, '%Y-%m'), covered, received, median_6, active, status FROM source_coverage
		WHERE month BETWEEN CAST(? AS DATE) AND CAST(? AS DATE) ORDER BY month, source_system`, p.Start.FirstDay(), p.End().FirstDay())
	if err != nil {
		return c, fmt.Errorf("read source_coverage: %w", err)
	}
	for i := range rows {
		rows[i].HasMedian = rows[i].Median >= 0
		if !rows[i].HasMedian {
			rows[i].Median = 0
		}
	}
	if p.End() > lastRow {
		sources, err := sqlrows.Query(ctx, db, func(s *string) []any { return []any{s} },
			`SELECT DISTINCT source_system FROM source_coverage ORDER BY 1`)
		if err != nil {
			return c, fmt.Errorf("read source_coverage: %w", err)
		}
		for m := max(lastRow+1, p.Start); m <= p.End(); m++ {
			for _, s := range sources {
				rows = append(rows, SourceMonth{Source: s, Month: m, Status: "missing"})
			}
		}
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].Month < rows[j].Month })
	c.Rows = rows
	for _, r := range rows {
		if r.Gap() {
			c.Gaps = append(c.Gaps, r)
		}
	}
	return c, nil
}

// nullFloat scans a nullable DOUBLE, NULL as -1 (a median is never negative).
type nullFloat float64

func (n *nullFloat) Scan(v any) error {
	var f sql.NullFloat64
	if err := f.Scan(v); err != nil {
		return err
	}
	*n = -1
	if f.Valid {
		*n = nullFloat(f.Float64)
	}
	return nil
}
