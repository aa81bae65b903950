package readmodel

import (
	"context"
	"database/sql"
	"fmt"
	"sort"

	"complaints/internal/sqlrows"
)

// MonthFigures are the figures of one mart_month row: counts that are not sums over categories and the
// data-quality counts of the records received in the month.
type MonthFigures struct {
	Received         int64
	RepeatCustomers  int64 // distinct customers in the month: a sum over months counts a customer once per month
	RepeatComplaints int64
	DuplicatesLinked int64
	NonComplaints    int64
	NotAccepted      int64
	Withdrawn        int64
	ReplyDateInvalid int64
	TypeMissing      int64
}

// Add returns the sum of two rows.
func (a MonthFigures) Add(b MonthFigures) MonthFigures {
	return MonthFigures{
		Received: a.Received + b.Received, RepeatCustomers: a.RepeatCustomers + b.RepeatCustomers,
		RepeatComplaints: a.RepeatComplaints + b.RepeatComplaints, DuplicatesLinked: a.DuplicatesLinked + b.DuplicatesLinked,
		NonComplaints: a.NonComplaints + b.NonComplaints, NotAccepted: a.NotAccepted + b.NotAccepted,
		Withdrawn: a.Withdrawn + b.Withdrawn, ReplyDateInvalid: a.ReplyDateInvalid + b.ReplyDateInvalid,
		TypeMissing: a.TypeMissing + b.TypeMissing,
	}
}

// MonthRows holds mart_month rows by month.
type MonthRows map[Month]MonthFigures

// LoadMonthRows reads mart_month for the months from..to (inclusive).
func LoadMonthRows(ctx context.Context, db *sql.DB, from, to Month) (MonthRows, error) {
	type row struct {
		month Month
		f     MonthFigures
	}
	out := MonthRows{}
	err := sqlrows.Each(ctx, db, func(r *row) []any {
		f := &r.f
		return []any{&r.month, &f.Received, &f.RepeatCustomers, &f.RepeatComplaints, &f.DuplicatesLinked,
			&f.NonComplaints, &f.NotAccepted, &f.Withdrawn, &f.ReplyDateInvalid, &f.TypeMissing}
	}, func(r row) error {
		out[r.month] = out[r.month].Add(r.f)
		return nil
	}, `
		SELECT strftime(month, '%Y-%m'), received, repeat_customers, repeat_complaints, duplicates_linked,
		       non_complaints, not_accepted, withdrawn, reply_date_invalid, type_missing
		FROM mart_month WHERE month BETWEEN CAST(? AS DATE) AND CAST(? AS DATE) ORDER BY month`, from.FirstDay(), to.FirstDay())
	if err != nil {
		return nil, fmt.Errorf("read mart_month %s..%s: %w", from, to, err)
	}
	return out, nil
}

// Sum adds the period's months. RepeatCustomers becomes a sum of monthly distinct counts (see MonthFigures).
func (r MonthRows) Sum(p Period) MonthFigures {
	var t MonthFigures
	for m := p.Start; m <= p.End(); m++ {
		t = t.Add(r[m])
	}
	return t
}

// DimensionRow is one mart_dimension_month row: primaries received in a month by every slicing dimension.
type DimensionRow struct {
	Month            Month
	IntakeChannel    string
	BusinessChannel  string
	BusinessCategory string
	Cause            string
	ComplaintClass   string
	Branch           string // '' when the export has none
	Province         string // GB/T 2260 code, or the raw text, '' when none
	Received         int64
	Closed           int64
}

// DimensionRows are mart_dimension_month rows.
type DimensionRows []DimensionRow

// LoadDimensionRows reads mart_dimension_month for the months from..to (inclusive).
func LoadDimensionRows(ctx context.Context, db *sql.DB, from, to Month) (DimensionRows, error) {
	out, err := sqlrows.Query(ctx, db, func(d *DimensionRow) []any {
		return []any{&d.Month, &d.IntakeChannel, &d.BusinessChannel, &d.BusinessCategory, &d.Cause, &d.ComplaintClass,
			&d.Branch, &d.Province, &d.Received, &d.Closed}
	}, `
		SELECT strftime(month, '%Y-%m'), intake_channel, business_channel, business_category, cause, complaint_class,
		       branch, province, received, closed
		FROM mart_dimension_month WHERE month BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)
		ORDER BY ALL`, from.FirstDay(), to.FirstDay())
	if err != nil {
		return nil, fmt.Errorf("read mart_dimension_month %s..%s: %w", from, to, err)
	}
	return out, nil
}

// Received sums received over the period's months by the key key returns.
func (d DimensionRows) Received(p Period, key func(DimensionRow) string) map[string]int64 {
	out := map[string]int64{}
	for _, r := range d {
		if p.Contains(r.Month) {
			out[key(r)] += r.Received
		}
	}
	return out
}

// Received2 sums received over the period's months by two keys.
func (d DimensionRows) Received2(p Period, key1, key2 func(DimensionRow) string) map[[2]string]int64 {
	out := map[[2]string]int64{}
	for _, r := range d {
		if p.Contains(r.Month) {
			out[[2]string{key1(r), key2(r)}] += r.Received
		}
	}
	return out
}

// Keys lists a map's keys sorted.
func Keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// CheckCount is the number of records failing one consistency check.
type CheckCount struct {
	Check   string
	Records int64
	// Years (calendar_year_missing only): the years to add to the calendar, "2028" or "1900, 2028".
	Years string
}

// LoadConsistencyCounts counts consistency_issues by check (all records held), most frequent first.
func LoadConsistencyCounts(ctx context.Context, db *sql.DB) ([]CheckCount, error) {
	out, err := sqlrows.Query(ctx, db, func(c *CheckCount) []any { return []any{&c.Check, &c.Records, &c.Years} },
		`SELECT check_code, count(*),
		coalesce(string_agg(DISTINCT regexp_extract(detail, '(\d{4})', 1), ', ' ORDER BY regexp_extract(detail, '(\d{4})', 1))
			FILTER (WHERE check_code = 'calendar_year_missing'), '')
		FROM consistency_issues GROUP BY check_code ORDER BY count(*) DESC, check_code`)
	if err != nil {
		return nil, fmt.Errorf("read consistency_issues: %w", err)
	}
	return out, nil
}

// UnmappedValue is one raw value that maps to no catalogue code.
type UnmappedValue struct {
	Dimension string
	RawValue  string
	Records   int64
	Sources   string
}

// LoadUnmappedValues reads unmapped_values by dimension, most frequent first.
func LoadUnmappedValues(ctx context.Context, db *sql.DB) ([]UnmappedValue, error) {
	out, err := sqlrows.Query(ctx, db, func(u *UnmappedValue) []any { return []any{&u.Dimension, &u.RawValue, &u.Records, &u.Sources} },
		`SELECT dimension, raw_value, records, sources FROM unmapped_values ORDER BY dimension, records DESC, raw_value`)
	if err != nil {
		return nil, fmt.Errorf("read unmapped_values: %w", err)
	}
	return out, nil
}
