// Package readmodel is the read side of the warehouse: everything reports, dashboards and the CLI show is read
// here. It reads the marts and holds the only arithmetic those layers do on them (summing a mart's monthly rows
// over a period, and the ratios of domain.md section 6: share, MoM, YoY), the branch labels, and the per-complaint
// tables the written side derives: the members of each figure (figure_members over complaint_figures) behind the
// lists, the timeliness sheet, filings and restatements, and the sources' coverage of a period (source_coverage:
// complete or not, no data before the first month). Every figure itself is defined once, in transform's model
// 40_figures and migration 017's figure_members; this package never recomputes one from complaints or landed
// rows, and it only runs SELECTs (and temporary tables). It also reads what the records say of each branch's
// province, and drafts from it the branch master `branches suggest` writes (branch_provinces.go: no figure).
package readmodel

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"complaints/catalog"
	"complaints/internal/sqlrows"
)

// Month is a calendar month counted from year 0 (year*12 + month-1), so that month arithmetic is addition.
type Month int

// MonthOf returns the month of a date.
func MonthOf(year int, m time.Month) Month { return Month(year*12 + int(m) - 1) }

// ParseMonth reads "YYYY-MM".
func ParseMonth(s string) (Month, error) {
	y, m, ok := strings.Cut(s, "-")
	if !ok || len(y) != 4 || len(m) != 2 {
		return 0, fmt.Errorf("month %q: want YYYY-MM", s)
	}
	yi, err1 := strconv.Atoi(y)
	mi, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || mi < 1 || mi > 12 || yi < 1900 {
		return 0, fmt.Errorf("month %q: want YYYY-MM", s)
	}
	return MonthOf(yi, time.Month(mi)), nil
}

// Year of the month.
func (m Month) Year() int { return int(m) / 12 }

// Mon is the month of the year, 1..12.
func (m Month) Mon() int { return int(m)%12 + 1 }

// String formats "YYYY-MM", the form the CLI and the tables use.
func (m Month) String() string { return fmt.Sprintf("%04d-%02d", m.Year(), m.Mon()) }

// FirstDay is "YYYY-MM-01", the mart's month key as SQL text.
func (m Month) FirstDay() string { return m.String() + "-01" }

// LastDay is the month's last day, "YYYY-MM-DD".
func (m Month) LastDay() string {
	return time.Date(m.Year(), time.Month(m.Mon())+1, 0, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
}

// Scan reads a query's "YYYY-MM" text (strftime(month, '%Y-%m')), so that a row's month scans into a Month.
func (m *Month) Scan(src any) error {
	var s string
	switch v := src.(type) {
	case string:
		s = v
	case []byte:
		s = string(v)
	default:
		return fmt.Errorf("month: want YYYY-MM text, got %T", src)
	}
	var err error
	*m, err = ParseMonth(s)
	return err
}

// Kind of a reporting period.
type Kind string

// The period kinds of domain.md section 6.
const (
	Monthly    Kind = "month"
	Quarterly  Kind = "quarter"
	HalfYearly Kind = "half"
	Yearly     Kind = "year"
)

// Period is a run of whole months: a month, quarter, half-year or year.
type Period struct {
	Kind  Kind
	Start Month
	Len   int // months
}

// ParsePeriod reads "2026-10" (month), "2026-Q3" (quarter), "2026-H1" (half-year) or "2026" (year).
func ParsePeriod(s string) (Period, error) {
	bad := fmt.Errorf("period %q: want YYYY-MM, YYYY-Qn, YYYY-Hn or YYYY", s)
	if len(s) == 4 {
		y, err := strconv.Atoi(s)
		if err != nil || y < 1900 {
			return Period{}, bad
		}
		return Period{Kind: Yearly, Start: MonthOf(y, time.January), Len: 12}, nil
	}
	if len(s) == 7 && (s[5] == 'Q' || s[5] == 'q' || s[5] == 'H' || s[5] == 'h') && s[4] == '-' {
		y, err := strconv.Atoi(s[:4])
		n := int(s[6] - '0')
		if err != nil || y < 1900 {
			return Period{}, bad
		}
		if s[5] == 'Q' || s[5] == 'q' {
			if n < 1 || n > 4 {
				return Period{}, bad
			}
			return Period{Kind: Quarterly, Start: MonthOf(y, time.Month(3*(n-1)+1)), Len: 3}, nil
		}
		if n < 1 || n > 2 {
			return Period{}, bad
		}
		return Period{Kind: HalfYearly, Start: MonthOf(y, time.Month(6*(n-1)+1)), Len: 6}, nil
	}
	m, err := ParseMonth(s)
	if err != nil {
		return Period{}, bad
	}
	return Period{Kind: Monthly, Start: m, Len: 1}, nil
}

// End is the period's last month.
func (p Period) End() Month { return p.Start + Month(p.Len-1) }

// Previous is the period of the same length just before (the base of MoM, 环比).
func (p Period) Previous() Period {
	return Period{Kind: p.Kind, Start: p.Start - Month(p.Len), Len: p.Len}
}

// YearEarlier is the same period a year earlier (the base of YoY, 同比).
func (p Period) YearEarlier() Period { return Period{Kind: p.Kind, Start: p.Start - 12, Len: p.Len} }

// Contains reports whether month m lies in the period.
func (p Period) Contains(m Month) bool { return m >= p.Start && m <= p.End() }

// String is the period in the form ParsePeriod reads.
func (p Period) String() string {
	y := p.Start.Year()
	switch p.Kind {
	case Quarterly:
		return fmt.Sprintf("%04d-Q%d", y, (p.Start.Mon()-1)/3+1)
	case HalfYearly:
		return fmt.Sprintf("%04d-H%d", y, (p.Start.Mon()-1)/6+1)
	case Yearly:
		return fmt.Sprintf("%04d", y)
	}
	return p.Start.String()
}

// Change is the relative change of a count against its base (MoM or YoY of section 6). ok is false where the base
// is 0 (or missing, which reads as 0): there is no figure then, never 0 and never infinity.
func Change(current, base int64) (ratio float64, ok bool) {
	if base == 0 {
		return 0, false
	}
	return float64(current-base) / float64(base), true
}

// Share is row / total; ok is false when the total is 0.
func Share(row, total int64) (ratio float64, ok bool) {
	if total == 0 {
		return 0, false
	}
	return float64(row) / float64(total), true
}

// CategoryFigures are the figures of one mart_category_month row (or a sum of rows). Flows (received, closed and
// their parts, the numerators and denominators of the rates) add up over months; the stocks (OpenAtStart,
// OpenAtEnd, OverdueAtEnd) are as at a month's first or last day and never add up over months: CategoryMonths.Sum
// takes a period's first month's OpenAtStart and its last month's OpenAtEnd and OverdueAtEnd.
type CategoryFigures struct {
	Received          int64
	ReceivedRegulator int64
	ReceivedMajor     int64
	Closed            int64

	Closed0to15, Closed16to30, Closed31to60, ClosedOver60 int64 // closed by handling days
	RegulatoryOnTime, InternalOnTime                      int64 // closed on or before each deadline
	RegulatoryKnown, InternalKnown                        int64 // closed whose flag on each clock is known: the on-time rates' denominators
	HandlingDaysSum                                       int64 // average handling days = HandlingDaysSum / DaysKnown
	DaysKnown                                             int64 // closed with handling days (not those of a source without reply dates)
	SatisfactionRecorded, Satisfied                       int64 // Satisfied counts satisfied + basically satisfied
	ReplyElementsRecorded, ReplyComplete                  int64

	OpenAtStart, OpenAtEnd, OverdueAtEnd int64 // stocks
}

// Add returns the sum of two rows of the same dates (e.g. two categories of one period): every field, stocks
// included, adds up. Months of one category are combined by CategoryMonths.Sum, not by Add.
func (a CategoryFigures) Add(b CategoryFigures) CategoryFigures {
	return CategoryFigures{
		Received: a.Received + b.Received, ReceivedRegulator: a.ReceivedRegulator + b.ReceivedRegulator,
		ReceivedMajor: a.ReceivedMajor + b.ReceivedMajor, Closed: a.Closed + b.Closed,
		Closed0to15: a.Closed0to15 + b.Closed0to15, Closed16to30: a.Closed16to30 + b.Closed16to30,
		Closed31to60: a.Closed31to60 + b.Closed31to60, ClosedOver60: a.ClosedOver60 + b.ClosedOver60,
		RegulatoryOnTime: a.RegulatoryOnTime + b.RegulatoryOnTime, InternalOnTime: a.InternalOnTime + b.InternalOnTime,
		RegulatoryKnown: a.RegulatoryKnown + b.RegulatoryKnown, InternalKnown: a.InternalKnown + b.InternalKnown,
		HandlingDaysSum: a.HandlingDaysSum + b.HandlingDaysSum, DaysKnown: a.DaysKnown + b.DaysKnown,
		SatisfactionRecorded: a.SatisfactionRecorded + b.SatisfactionRecorded, Satisfied: a.Satisfied + b.Satisfied,
		ReplyElementsRecorded: a.ReplyElementsRecorded + b.ReplyElementsRecorded, ReplyComplete: a.ReplyComplete + b.ReplyComplete,
		OpenAtStart: a.OpenAtStart + b.OpenAtStart, OpenAtEnd: a.OpenAtEnd + b.OpenAtEnd, OverdueAtEnd: a.OverdueAtEnd + b.OverdueAtEnd,
	}
}

// flows is the row with its stocks zeroed.
func (a CategoryFigures) flows() CategoryFigures {
	a.OpenAtStart, a.OpenAtEnd, a.OverdueAtEnd = 0, 0, 0
	return a
}

// IsZero reports whether every figure is 0.
func (a CategoryFigures) IsZero() bool { return a == CategoryFigures{} }

// Rate is numerator / denominator; ok is false when the denominator is 0 (no figure, never 0%).
func Rate(num, den int64) (ratio float64, ok bool) { return Share(num, den) }

// PointChange is the difference of two rates in percentage points (MoM/YoY of a rate, section 6); ok is false
// when either rate has no figure.
func PointChange(current float64, currentOK bool, base float64, baseOK bool) (points float64, ok bool) {
	if !currentOK || !baseOK {
		return 0, false
	}
	return (current - base) * 100, true
}

// CategoryMonths holds mart_category_month rows by month and business category.
type CategoryMonths map[Month]map[string]CategoryFigures

// LoadCategoryMonths reads mart_category_month for the months from..to (inclusive).
func LoadCategoryMonths(ctx context.Context, db *sql.DB, from, to Month) (CategoryMonths, error) {
	type row struct {
		month                  Month
		code                   string
		f                      CategoryFigures
		regUnknown, intUnknown int64
		daysUnknown            int64
	}
	out := CategoryMonths{}
	err := sqlrows.Each(ctx, db, func(r *row) []any {
		f := &r.f
		return []any{&r.month, &r.code, &f.Received, &f.ReceivedRegulator, &f.ReceivedMajor, &f.Closed,
			&f.Closed0to15, &f.Closed16to30, &f.Closed31to60, &f.ClosedOver60, &f.RegulatoryOnTime, &f.InternalOnTime,
			&f.HandlingDaysSum, &f.SatisfactionRecorded, &f.Satisfied, &f.ReplyElementsRecorded, &f.ReplyComplete,
			&f.OpenAtStart, &f.OpenAtEnd, &f.OverdueAtEnd, &r.regUnknown, &r.intUnknown, &r.daysUnknown}
	}, func(r row) error {
		f, m := r.f, r.month
		f.RegulatoryKnown, f.InternalKnown = f.Closed-r.regUnknown, f.Closed-r.intUnknown
		f.DaysKnown = f.Closed - r.daysUnknown
		if out[m] == nil {
			out[m] = map[string]CategoryFigures{}
		}
		out[m][r.code] = out[m][r.code].Add(f)
		return nil
	}, `
		SELECT strftime(month, '%Y-%m'), business_category, received, received_regulator, received_major, closed,
		       closed_0_15, closed_16_30, closed_31_60, closed_over_60, closed_regulatory_on_time, closed_internal_on_time,
		       handling_days_sum, satisfaction_recorded, satisfied, reply_elements_recorded, reply_complete,
		       open_at_start, open_at_end, overdue_at_end, closed_regulatory_unknown, closed_internal_unknown,
		       closed_days_unknown
		FROM mart_category_month
		WHERE month BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)
		ORDER BY month, business_category`, from.FirstDay(), to.FirstDay())
	if err != nil {
		return nil, fmt.Errorf("read mart_category_month %s..%s: %w", from, to, err)
	}
	return out, nil
}

// Sum combines each category's rows over the period's months: flows add up; OpenAtStart is the first month's,
// OpenAtEnd and OverdueAtEnd the last month's (a month without a row has none open).
func (c CategoryMonths) Sum(p Period) map[string]CategoryFigures {
	out := map[string]CategoryFigures{}
	for m := p.Start; m <= p.End(); m++ {
		for code, f := range c[m] {
			out[code] = out[code].Add(f.flows())
		}
	}
	for code, f := range c[p.Start] {
		x := out[code]
		x.OpenAtStart = f.OpenAtStart
		out[code] = x
	}
	for code, f := range c[p.End()] {
		x := out[code]
		x.OpenAtEnd, x.OverdueAtEnd = f.OpenAtEnd, f.OverdueAtEnd
		out[code] = x
	}
	return out
}

// Total adds every category's rows over the period's months.
func (c CategoryMonths) Total(p Period) CategoryFigures {
	var t CategoryFigures
	for _, f := range c.Sum(p) {
		t = t.Add(f)
	}
	return t
}

// Codes lists every category code that has a row in the months held.
func (c CategoryMonths) Codes() []string {
	seen := map[string]bool{}
	var out []string
	for _, byCode := range c {
		for code := range byCode {
			if !seen[code] {
				seen[code] = true
				out = append(out, code)
			}
		}
	}
	sort.Strings(out)
	return out
}

// CauseMonths holds mart_cause_month rows (complaints received) by month and cause.
type CauseMonths map[Month]map[string]int64

// LoadCauseMonths reads mart_cause_month for the months from..to (inclusive).
func LoadCauseMonths(ctx context.Context, db *sql.DB, from, to Month) (CauseMonths, error) {
	type row struct {
		month Month
		code  string
		n     int64
	}
	out := CauseMonths{}
	err := sqlrows.Each(ctx, db, func(r *row) []any { return []any{&r.month, &r.code, &r.n} }, func(r row) error {
		if out[r.month] == nil {
			out[r.month] = map[string]int64{}
		}
		out[r.month][r.code] += r.n
		return nil
	}, `
		SELECT strftime(month, '%Y-%m'), cause, received
		FROM mart_cause_month
		WHERE month BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)
		ORDER BY month, cause`, from.FirstDay(), to.FirstDay())
	if err != nil {
		return nil, fmt.Errorf("read mart_cause_month %s..%s: %w", from, to, err)
	}
	return out, nil
}

// Sum adds each cause's rows over the months from..to.
func (c CauseMonths) Sum(from, to Month) map[string]int64 {
	out := map[string]int64{}
	for m := from; m <= to; m++ {
		for code, n := range c[m] {
			out[code] += n
		}
	}
	return out
}

// LatestMonth is the newest month in mart_category_month; ok is false when the mart is empty.
func LatestMonth(ctx context.Context, db *sql.DB) (m Month, ok bool, err error) {
	var s sql.NullString
	if err := db.QueryRowContext(ctx, `SELECT strftime(max(month), '%Y-%m') FROM mart_category_month`).Scan(&s); err != nil {
		return 0, false, fmt.Errorf("read mart_category_month: %w", err)
	}
	if !s.Valid {
		return 0, false, nil
	}
	m, err = ParseMonth(s.String)
	if err != nil {
		return 0, false, fmt.Errorf("read mart_category_month: %w", err)
	}
	return m, true, nil
}

// Batch is one ingested file as recorded in batches.
type Batch struct {
	ID           int64
	SourceSystem string
	FilePath     string
	Format       string
	RowsRead     int64
	RowsAccepted int64
	RowsRejected int64
	IngestedAt   time.Time // Beijing wall clock, zone-less digits
}

// LoadBatches reads every batch in ingest order.
func LoadBatches(ctx context.Context, db *sql.DB) ([]Batch, error) {
	out, err := sqlrows.Query(ctx, db, func(b *Batch) []any {
		return []any{&b.ID, &b.SourceSystem, &b.FilePath, &b.Format, &b.RowsRead, &b.RowsAccepted, &b.RowsRejected, &b.IngestedAt}
	}, `
		SELECT batch_id, source_system, file_path, format, rows_read, rows_accepted, rows_rejected, ingested_at
		FROM batches ORDER BY ingested_at, batch_id`)
	if err != nil {
		return nil, fmt.Errorf("read batches: %w", err)
	}
	return out, nil
}

// ReasonCount is the number of rejected rows with one reason.
type ReasonCount struct {
	Reason string
	Rows   int64
}

// LoadRejectReasons counts rejects by reason, most frequent first.
func LoadRejectReasons(ctx context.Context, db *sql.DB) ([]ReasonCount, error) {
	out, err := sqlrows.Query(ctx, db, func(r *ReasonCount) []any { return []any{&r.Reason, &r.Rows} },
		`SELECT reason, count(*) FROM rejects GROUP BY reason ORDER BY count(*) DESC, reason`)
	if err != nil {
		return nil, fmt.Errorf("read rejects: %w", err)
	}
	return out, nil
}

// OrderCodes puts codes of a catalogue dimension in catalogue order, a parent code (bank_card) right after its
// children (debit_card, credit_card) as domain.md section 5 shows it, and codes the catalogue does not know after
// them ("unmapped" first, then alphabetically). keep decides which codes appear: catalogue codes without a
// parent-child role are always shown (a regulator table has fixed rows); parents and unknown codes only when keep
// says so (typically: nonzero).
func OrderCodes(dimension string, codes []string, keep func(code string) bool) []string {
	cat := catalog.Dimension(dimension)
	known := map[string]bool{}
	children := map[string][]string{}
	for _, c := range cat {
		known[c.Code] = true
		if c.Parent != "" {
			children[c.Parent] = append(children[c.Parent], c.Code)
		}
	}
	var out []string
	lastChild := map[string]string{}
	for p, ch := range children {
		lastChild[ch[len(ch)-1]] = p
	}
	for _, c := range cat {
		if len(children[c.Code]) > 0 {
			continue // a parent is placed after its last child
		}
		out = append(out, c.Code)
		if p, ok := lastChild[c.Code]; ok && keep(p) {
			out = append(out, p)
		}
	}
	var unknown []string
	for _, code := range codes {
		if !known[code] && keep(code) {
			unknown = append(unknown, code)
		}
	}
	sort.Slice(unknown, func(i, j int) bool {
		if (unknown[i] == "unmapped") != (unknown[j] == "unmapped") {
			return unknown[i] == "unmapped"
		}
		return unknown[i] < unknown[j]
	})
	return append(out, unknown...)
}

// CatalogueIndex is a code's position in its dimension (for fixed colours); unknown codes get len+their rank in
// others (sorted), so they are stable too.
func CatalogueIndex(dimension, code string, others []string) int {
	cat := catalog.Dimension(dimension)
	for i, c := range cat {
		if c.Code == code {
			return i
		}
	}
	for i, o := range others {
		if o == code {
			return len(cat) + i
		}
	}
	return len(cat) + len(others)
}
