// Package list exports the complaints behind a figure of the marts (issue "Excel regulator reports"): for a
// period and a status (received, closed, open at end, overdue at end) the records that the figure counts, with
// the same definitions as transform/models/40_marts.sql, so that every number of a report can be traced to its
// records. Only masked personal data is written (customer_name_masked, customer_phone_masked); no customer key.
package list

import (
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"complaints/catalog"
	"complaints/reports/marts"
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
	Received              time.Time
	Replied               sql.NullTime
	Status                string
	ReplyDateInvalid      bool
	Category, CategoryRaw string
	Cause, CauseRaw       string
	Branch                string
	RegulatoryDeadline    sql.NullTime
	DaysOverdue           sql.NullInt64 // open at the period's end: period end - regulatory deadline (0 when not yet due)
	Handler               string
	NameMasked            string
	PhoneMasked           string
	Summary               string
}

// Validate checks the options and fills the defaults.
func (o *Options) Validate() error {
	if _, err := marts.ParsePeriod(o.Period); err != nil {
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
	p, err := marts.ParsePeriod(period)
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
	const openAtEnd = `(received_date <= p_last AND (replied_date IS NULL OR replied_date > p_last)
		AND status <> 'withdrawn' AND NOT reply_date_invalid)`
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
	q := `SELECT complaint_key, source_system, received_at, replied_at, status, reply_date_invalid,
		business_category, coalesce(business_category_raw, ''), cause, coalesce(cause_raw, ''), coalesce(branch, ''),
		regulatory_deadline,
		CASE WHEN ` + openAtEnd + ` THEN greatest(date_diff('day', regulatory_deadline, p_last), 0) END,
		coalesce(handler, ''), coalesce(customer_name_masked, ''), coalesce(customer_phone_masked, ''), coalesce(summary, '')
	FROM complaints, (SELECT $1::DATE AS p_first, $2::DATE AS p_last) AS p
	WHERE ` + strings.Join(where, "\n  AND ") + `
	ORDER BY received_at, complaint_key`
	return q, args
}

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
		if err := rs.Scan(&r.Key, &r.Source, &r.Received, &r.Replied, &r.Status, &r.ReplyDateInvalid,
			&r.Category, &r.CategoryRaw, &r.Cause, &r.CauseRaw, &r.Branch, &r.RegulatoryDeadline, &r.DaysOverdue,
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

var headerKeys = []string{"list_complaint_key", "list_source", "list_received", "list_replied", "list_status",
	"list_category", "list_cause", "list_branch", "list_regulatory_deadline", "list_days_overdue", "list_handler",
	"list_customer_name", "list_customer_phone", "list_summary"}

// daysOverdueCol is the 0-based column of the only number.
const daysOverdueCol = 9

// Header is the list's header row in lang.
func Header(lang string) []string {
	h := make([]string, len(headerKeys))
	for i, k := range headerKeys {
		h[i] = catalog.Text(k, lang)
	}
	return h
}

func label(dim, code, raw, lang string) string {
	l := catalog.Label(dim, code, lang)
	if code == "unmapped" && raw != "" {
		l += "（" + raw + "）"
	}
	return l
}

// cells is a row as its cells: text, except days overdue (int64, or nil when not open at the period's end).
func (r Row) cells(lang string) []any {
	ts := func(t time.Time) string { return t.Format(time.DateTime) }
	replied := ""
	if r.Replied.Valid {
		replied = ts(r.Replied.Time)
	}
	status := catalog.Label("status", r.Status, lang)
	if r.ReplyDateInvalid {
		status = catalog.Text("list_reply_date_invalid", lang)
	}
	deadline := ""
	if r.RegulatoryDeadline.Valid {
		deadline = r.RegulatoryDeadline.Time.Format(time.DateOnly)
	}
	var days any
	if r.DaysOverdue.Valid {
		days = r.DaysOverdue.Int64
	}
	return []any{r.Key, r.Source, ts(r.Received), replied, status,
		label("business_category", r.Category, r.CategoryRaw, lang), label("cause", r.Cause, r.CauseRaw, lang),
		r.Branch, deadline, days, r.Handler, r.NameMasked, r.PhoneMasked, r.Summary}
}

// Write writes the list in opts.Format to w and returns the number of complaints written.
func Write(ctx context.Context, db *sql.DB, opts Options, w io.Writer) (int, error) {
	if err := opts.Validate(); err != nil {
		return 0, err
	}
	if opts.Format == XLSX {
		return writeXLSX(ctx, db, opts, w)
	}
	return writeCSV(ctx, db, opts, w)
}

// Neutralise keeps a spreadsheet from reading a text cell as a formula: a cell starting with = + - @, a tab or a
// carriage return gets a leading single quote.
func Neutralise(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func writeCSV(ctx context.Context, db *sql.DB, opts Options, w io.Writer) (int, error) {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return 0, err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(Header(opts.Lang)); err != nil {
		return 0, err
	}
	n := 0
	rec := make([]string, len(headerKeys))
	err := Each(ctx, db, opts, func(r Row) error {
		for i, c := range r.cells(opts.Lang) {
			switch v := c.(type) {
			case string:
				rec[i] = Neutralise(v)
			case int64:
				rec[i] = fmt.Sprint(v)
			default:
				rec[i] = ""
			}
		}
		n++
		return cw.Write(rec)
	})
	if err != nil {
		return n, err
	}
	cw.Flush()
	return n, cw.Error()
}

func writeXLSX(ctx context.Context, db *sql.DB, opts Options, w io.Writer) (int, error) {
	f := excelize.NewFile()
	defer f.Close()
	base := catalog.Text("list_sheet", opts.Lang)
	header := Header(opts.Lang)
	lastCol, _ := excelize.ColumnNumberToName(len(header))
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return 0, err
	}
	var (
		sw     *excelize.StreamWriter
		sheets []string
		rowNo  int // data rows on the current sheet
		n      int
	)
	finish := func() error {
		if sw == nil {
			return nil
		}
		// the autofilter: a stream writer has it only through a table over the sheet's rows
		if err := sw.AddTable(&excelize.Table{Range: fmt.Sprintf("A1:%s%d", lastCol, rowNo+1)}); err != nil {
			return err
		}
		return sw.Flush()
	}
	next := func() error {
		if err := finish(); err != nil {
			return err
		}
		name := base
		if len(sheets) > 0 {
			name = fmt.Sprintf("%s (%d)", base, len(sheets)+1)
		}
		if len(sheets) == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return err
		}
		sheets = append(sheets, name)
		var err error
		if sw, err = f.NewStreamWriter(name); err != nil {
			return err
		}
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return err
		}
		for c, width := range []float64{22, 10, 20, 20, 16, 18, 18, 14, 12, 10, 12, 14, 16, 50} {
			if err := sw.SetColWidth(c+1, c+1, width); err != nil {
				return err
			}
		}
		h := make([]any, len(header))
		for i, s := range header {
			h[i] = excelize.Cell{StyleID: bold, Value: s}
		}
		rowNo = 0
		return sw.SetRow("A1", h)
	}
	if err := next(); err != nil {
		return 0, err
	}
	err = Each(ctx, db, opts, func(r Row) error {
		if rowNo >= MaxSheetRows {
			if err := next(); err != nil {
				return err
			}
		}
		rowNo++
		n++
		cells := r.cells(opts.Lang)
		for i, c := range cells {
			if s, ok := c.(string); ok {
				// always a string cell: never read as a number, a date or a formula
				cells[i] = excelize.Cell{Value: s}
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, rowNo+1)
		return sw.SetRow(cell, cells)
	})
	if err != nil {
		return n, err
	}
	if err := finish(); err != nil {
		return n, err
	}
	return n, f.Write(w)
}
