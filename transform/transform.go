// Package transform owns everything between landed rows and the marts: the embedded SQL models (staging,
// canonical complaints, duplicates, marts) applied in a fixed order in one transaction, the taxonomy mapping
// table, and the policy values the models use. It writes only the warehouse: never files, never reports.
package transform

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"sort"
	"strings"
	"time"

	"complaints/catalog"
	"complaints/transform/calendar"
	"complaints/warehouse"
)

//go:embed models/*.sql
var modelFS embed.FS

// Options are the policy values the models use (config's policy section).
type Options struct {
	// DuplicateWindowDays: a later record within this many calendar days may be a duplicate (default 7).
	DuplicateWindowDays int
	// InternalDaysGeneral and InternalDaysComplex: working days to reply (defaults 3 and 10).
	InternalDaysGeneral, InternalDaysComplex int
	// RegulatoryDays: calendar days to a decision without an extension (default 15).
	RegulatoryDays int
	// RepeatWindowDays: two or more complaints by one customer within this many days make a repeat complainant (90).
	RepeatWindowDays int
	// Logger receives per-model timings at debug level (nil: none).
	Logger *slog.Logger
	// Calendar is the working-day calendar (default calendar.New(): lunar-go's schedules).
	Calendar *calendar.Calendar
}

func (o *Options) defaults() {
	if o.DuplicateWindowDays <= 0 {
		o.DuplicateWindowDays = 7
	}
	if o.InternalDaysGeneral <= 0 {
		o.InternalDaysGeneral = 3
	}
	if o.InternalDaysComplex <= 0 {
		o.InternalDaysComplex = 10
	}
	if o.RegulatoryDays <= 0 {
		o.RegulatoryDays = 15
	}
	if o.RepeatWindowDays <= 0 {
		o.RepeatWindowDays = 90
	}
	if o.Calendar == nil {
		o.Calendar = calendar.New()
	}
}

// Result summarises a normalise run.
type Result struct {
	Versions     int64 // landed versions considered
	Complaints   int64 // canonical records (all work-order types)
	Countable    int64 // complaints that count (complaint work orders, accepted)
	Duplicates   int64 // records linked to an earlier primary
	Unmapped     int64 // distinct raw category/cause/channel values that map to no code
	NonComplaint int64 // enquiries, suggestions, praise and other work orders
}

// goSteps run right after the model they are keyed by: work that is clearer in Go than in SQL.
var goSteps = map[string]func(context.Context, *sql.Tx) error{
	"20_complaints": linkCustomers, // customers before duplicates: duplicates need "the same customer"
}

// Model is one embedded SQL file.
type Model struct {
	Name string
	SQL  string
}

// Models lists the embedded models in the order they are applied (by file name).
func Models() ([]Model, error) {
	entries, err := fs.ReadDir(modelFS, "models")
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	out := make([]Model, 0, len(names))
	for _, n := range names {
		b, err := modelFS.ReadFile("models/" + n)
		if err != nil {
			return nil, err
		}
		out = append(out, Model{Name: strings.TrimSuffix(n, ".sql"), SQL: string(b)})
	}
	return out, nil
}

// Normalize rebuilds the canonical complaints and the marts from every landed row, in one transaction: a
// failure leaves the previous tables as they were. Running it twice gives identical tables.
func Normalize(ctx context.Context, w *warehouse.Warehouse, opts Options) (*Result, error) {
	opts.defaults()
	models, err := Models()
	if err != nil {
		return nil, err
	}
	conn, err := w.DB.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("normalize: %w", err)
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("normalize: begin: %w", err)
	}
	defer tx.Rollback() // no-op after Commit
	if err := loadTaxonomy(ctx, tx); err != nil {
		return nil, err
	}
	if err := loadCalendar(ctx, tx, opts.Calendar); err != nil {
		return nil, err
	}
	// Policy values reach the SQL as DuckDB variables; they are integers from the config, not input data.
	for name, v := range map[string]int{
		"duplicate_window_days": opts.DuplicateWindowDays, "internal_days_general": opts.InternalDaysGeneral,
		"internal_days_complex": opts.InternalDaysComplex, "regulatory_days": opts.RegulatoryDays,
		"repeat_window_days": opts.RepeatWindowDays,
	} {
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("SET VARIABLE %s = %d", name, v)); err != nil {
			return nil, fmt.Errorf("normalize: set policy %s: %w", name, err)
		}
	}
	for _, m := range models {
		t0 := time.Now()
		if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
			return nil, fmt.Errorf("normalize: model %s: %w", m.Name, err)
		}
		t1 := time.Now()
		if step := goSteps[m.Name]; step != nil {
			if err := step(ctx, tx); err != nil {
				return nil, err
			}
		}
		if opts.Logger != nil {
			opts.Logger.Debug("model applied", "model", m.Name, "sql_seconds", t1.Sub(t0).Seconds(), "go_seconds", time.Since(t1).Seconds())
		}
	}
	res := &Result{}
	err = tx.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM landed_rows),
		count(*),
		count(*) FILTER (WHERE is_complaint AND status <> 'not_accepted'),
		count(*) FILTER (WHERE NOT is_primary),
		count(*) FILTER (WHERE NOT is_complaint)
		FROM complaints`).Scan(&res.Versions, &res.Complaints, &res.Countable, &res.Duplicates, &res.NonComplaint)
	if err != nil {
		return nil, fmt.Errorf("normalize: summary: %w", err)
	}
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM unmapped_values").Scan(&res.Unmapped); err != nil {
		return nil, fmt.Errorf("normalize: unmapped count: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("normalize: commit: %w", err)
	}
	return res, nil
}

// loadTaxonomy refreshes taxonomy_map from the catalogue.
func loadTaxonomy(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM taxonomy_map"); err != nil {
		return fmt.Errorf("normalize: taxonomy_map: %w", err)
	}
	syns := catalog.Synonyms()
	const chunk = 200
	for i := 0; i < len(syns); i += chunk {
		end := min(i+chunk, len(syns))
		var q strings.Builder
		q.WriteString("INSERT INTO taxonomy_map VALUES ")
		args := make([]any, 0, 3*(end-i))
		for j, s := range syns[i:end] {
			if j > 0 {
				q.WriteString(",")
			}
			q.WriteString("(?,?,?)")
			args = append(args, s.Dimension, s.Text, s.Code)
		}
		if _, err := tx.ExecContext(ctx, q.String(), args...); err != nil {
			return fmt.Errorf("normalize: taxonomy_map: %w", err)
		}
	}
	return nil
}

// loadCalendar fills calendar_days for every year a complaint was received in, plus the following years the
// calendar covers (deadlines run past year end). A receipt year without a schedule is an error naming it.
func loadCalendar(ctx context.Context, tx *sql.Tx, cal *calendar.Calendar) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM calendar_days"); err != nil {
		return fmt.Errorf("normalize: calendar_days: %w", err)
	}
	var minY, maxY sql.NullInt64
	err := tx.QueryRowContext(ctx, `SELECT min(year(d)), max(year(d)) FROM (
		SELECT TRY_CAST(received_at AS DATE) AS d FROM landed_rows) WHERE d IS NOT NULL`).Scan(&minY, &maxY)
	if err != nil {
		return fmt.Errorf("normalize: receipt years: %w", err)
	}
	if !minY.Valid {
		return nil
	}
	last := int(maxY.Int64)
	for y := int(minY.Int64); y <= last; y++ {
		if !cal.Covers(y) {
			_, err := cal.IsWorkday(calendar.D(y, 1, 1))
			return fmt.Errorf("normalize: complaints were received in %d: %w", y, err)
		}
	}
	for cal.Covers(last+1) && last < int(maxY.Int64)+2 {
		last++
	}
	var rows []any
	n := 0
	for d := calendar.D(int(minY.Int64), 1, 1); d.Year() <= last; d = d.AddDate(0, 0, 1) {
		work, err := cal.IsWorkday(d)
		if err != nil {
			return fmt.Errorf("normalize: %w", err)
		}
		if work {
			n++
		}
		var name any
		if h := cal.HolidayName(d); h != "" {
			name = h
		}
		rows = append(rows, d.Format("2006-01-02"), work, n, name)
	}
	const per = 4
	const chunk = 250
	for i := 0; i < len(rows); i += per * chunk {
		end := min(i+per*chunk, len(rows))
		q := "INSERT INTO calendar_days VALUES " + strings.TrimSuffix(strings.Repeat("(CAST(? AS DATE),?,?,?),", (end-i)/per), ",")
		if _, err := tx.ExecContext(ctx, q, rows[i:end]...); err != nil {
			return fmt.Errorf("normalize: calendar_days: %w", err)
		}
	}
	return nil
}
