// Package list exports the complaints behind a figure of the marts (issue "Excel regulator reports"): for a
// period and a status (received, closed, open at end, overdue at end) the records that the figure counts, with
// the same definitions as transform/models/40_marts.sql, so that every number of a report can be traced to its
// records. Only masked personal data is written (customer_name_masked, customer_phone_masked, and an id that
// landed keyed as its masked form, source_id_masked); no customer key.
package list

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"complaints/catalog"
	"complaints/readmodel"
)

// Statuses a list can be drawn for; each is one figure of mart_category_month.
const (
	Received = "received" // received in the period (mart: received)
	Closed   = "closed"   // valid reply date in the period (mart: closed)
	Open     = "open"     // open at the period's last day (mart: open_at_end of the last month)
	Overdue  = "overdue"  // open at the last day, regulatory deadline before it (mart: overdue_at_end)
)

// Formats a list can be written in.
const (
	CSV  = "csv"
	XLSX = "xlsx"
)

// MaxSheetRows is the number of data rows per worksheet (Excel's 1,048,576 rows less the header); the list
// continues on a next sheet past it. A variable so that a test can lower it.
var MaxSheetRows = 1048575

// Options select the records and the output.
type Options struct {
	Period   string // 2026-10, 2026-Q3, 2026-H1 or 2026
	Status   string // received (default), closed, open, overdue
	Category string // business_category code ("" = all)
	Cause    string // cause code ("" = all)
	Branch   string // branch code as held in complaints.branch, or a branch master name ("" = all)
	Format   string // csv (default) or xlsx
	Lang     string // zh (default) or en
}

// Row is one listed complaint.
type Row struct {
	Key, Source           string
	SourceID              string // the id a clerk looks the case up by: masked when it landed keyed (SourceIDText)
	Received              time.Time
	Replied               sql.NullTime
	Status                string
	ReplyDateInvalid      bool
	Category, CategoryRaw string
	Cause, CauseRaw       string
	Branch                string // complaints.branch: a branch master code, or the exported text
	BranchName            string // the branch master's name of Branch, else Branch itself
	Class                 string // complaint class: general, complex, or "" when the type is missing
	InternalDeadline      sql.NullTime
	RegulatoryDeadline    sql.NullTime
	DaysOverdue           sql.NullInt64 // open at the period's end: period end - regulatory deadline (0 when not yet due)
	Handler               string
	NameMasked            string
	PhoneMasked           string
	Summary               string
}

// Validate checks the options and fills the defaults.
func (o *Options) Validate() error {
	if _, err := readmodel.ParsePeriod(o.Period); err != nil {
		return err
	}
	switch o.Status {
	case "":
		o.Status = Received
	case Received, Closed, Open, Overdue:
	default:
		return fmt.Errorf("status %q: use received, closed, open or overdue", o.Status)
	}
	switch o.Format {
	case "":
		o.Format = CSV
	case CSV, XLSX:
	default:
		return fmt.Errorf("format %q: use csv or xlsx", o.Format)
	}
	if o.Category != "" {
		if _, ok := catalog.Lookup("business_category", o.Category); !ok && o.Category != "unmapped" {
			return fmt.Errorf("category %q: not a business_category code of the catalogue", o.Category)
		}
	}
	if o.Cause != "" {
		if _, ok := catalog.Lookup("cause", o.Cause); !ok && o.Cause != "unmapped" {
			return fmt.Errorf("cause %q: not a cause code of the catalogue", o.Cause)
		}
	}
	return nil
}

// Bounds are the first and last day of a period.
func Bounds(period string) (first, last time.Time, err error) {
	p, err := readmodel.ParsePeriod(period)
	if err != nil {
		return first, last, err
	}
	first = time.Date(p.Start.Year(), time.Month(p.Start.Mon()), 1, 0, 0, 0, 0, time.UTC)
	e := p.End()
	last = time.Date(e.Year(), time.Month(e.Mon())+1, 0, 0, 0, 0, 0, time.UTC)
	return first, last, nil
}

// query is the SQL of a list. The conditions repeat 40_marts.sql: mart_base (primary complaints, not
// "not accepted"), then received / closed / open_at_end / overdue_at_end. $1 is the period's first day, $2 its
// last day
// (named p_first and p_last in the query).
func query(o Options) (string, []any) {
	// open at the last day: the stock join of 40_marts.sql (withdrawn and invalid reply dates never open)
	// and, as the mart, none for a month past the newest export's (the mart has no row for it)
	const openAtEnd = `(received_date <= p_last AND (replied_date IS NULL OR replied_date > p_last)
		AND status <> 'withdrawn' AND NOT reply_date_invalid
		AND EXISTS (SELECT 1 FROM mart_category_month WHERE month = date_trunc('month', p_last)))`
	var where []string
	where = append(where, `is_complaint AND is_primary AND status <> 'not_accepted'`)
	switch o.Status {
	case Received:
		where = append(where, `received_date BETWEEN p_first AND p_last`)
	case Closed:
		where = append(where, `status = 'closed' AND replied_date IS NOT NULL AND replied_date BETWEEN p_first AND p_last`)
	case Open:
		where = append(where, openAtEnd)
	case Overdue:
		where = append(where, openAtEnd, `regulatory_deadline < p_last`)
	}
	var args []any
	n := 3
	if o.Category != "" {
		where = append(where, fmt.Sprintf(`business_category = $%d`, n))
		args = append(args, o.Category)
		n++
	}
	if o.Cause != "" {
		where = append(where, fmt.Sprintf(`cause = $%d`, n))
		args = append(args, o.Cause)
		n++
	}
	if o.Branch != "" {
		where = append(where, fmt.Sprintf(`(branch = $%d OR branch IN (SELECT code FROM branch_master WHERE name = $%d))`, n, n))
		args = append(args, o.Branch)
	}
	q := `SELECT complaint_key, source_system, ` + SourceIDText + `, received_at, replied_at, status, reply_date_invalid,
		business_category, coalesce(business_category_raw, ''), cause, coalesce(cause_raw, ''), coalesce(branch, ''),
		coalesce((SELECT arg_max(name, coalesce(valid_to, DATE '9999-12-31')) FROM branch_master
		          WHERE code = complaints.branch AND trim(coalesce(name, '')) <> ''), branch, ''),
		coalesce(complaint_class, ''), internal_deadline, regulatory_deadline,
		CASE WHEN ` + openAtEnd + ` THEN greatest(date_diff('day', regulatory_deadline, p_last), 0) END,
		coalesce(handler, ''), coalesce(customer_name_masked, ''), coalesce(customer_phone_masked, ''), coalesce(summary, '')
	FROM complaints, (SELECT $1::DATE AS p_first, $2::DATE AS p_last) AS p
	WHERE ` + strings.Join(where, "\n  AND ") + `
	ORDER BY received_at, complaint_key`
	return q, args
}

// SourceIDText is the SQL (over complaints) of the source id shown to a person: the masked form of an id that
// landed keyed (138****5678), else the id as exported. The complaint key beside it stays the identity.
const SourceIDText = `coalesce(source_id_masked, source_id)`

// Each runs the list's query and calls fn for every row, in order of receipt.
func Each(ctx context.Context, db *sql.DB, opts Options, fn func(Row) error) error {
	if err := opts.Validate(); err != nil {
		return err
	}
	first, last, err := Bounds(opts.Period)
	if err != nil {
		return err
	}
	q, extra := query(opts)
	args := append([]any{first.Format(time.DateOnly), last.Format(time.DateOnly)}, extra...)
	rs, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("list: %w", err)
	}
	defer rs.Close()
	for rs.Next() {
		var r Row
		if err := rs.Scan(&r.Key, &r.Source, &r.SourceID, &r.Received, &r.Replied, &r.Status, &r.ReplyDateInvalid,
			&r.Category, &r.CategoryRaw, &r.Cause, &r.CauseRaw, &r.Branch, &r.BranchName, &r.Class, &r.InternalDeadline,
			&r.RegulatoryDeadline, &r.DaysOverdue,
			&r.Handler, &r.NameMasked, &r.PhoneMasked, &r.Summary); err != nil {
			return fmt.Errorf("list: %w", err)
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	if err := rs.Err(); err != nil {
		return fmt.Errorf("list: %w", err)
	}
	return nil
}

// Rows returns the whole list (for tests and small periods; Write streams).
func Rows(ctx context.Context, db *sql.DB, opts Options) ([]Row, error) {
	var out []Row
	err := Each(ctx, db, opts, func(r Row) error { out = append(out, r); return nil })
	return out, err
}
