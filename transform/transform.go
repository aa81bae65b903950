// Package transform owns everything between landed rows and the marts: the embedded SQL models (staging,
// canonical complaints, duplicates, marts) applied in a fixed order in one transaction, the taxonomy mapping
// table, and the policy values the models use. It writes only the warehouse: never files, never reports.
package transform

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/hex"
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
	// BranchesFile is the branch master CSV (config `branches`, already resolved); "" leaves branches as exported.
	BranchesFile string
	// CorrectionsFile is the corrections YAML (config `corrections`, already resolved); "" applies none.
	CorrectionsFile string
	// Full rebuilds every complaint from every landed row (`normalize --full`). Otherwise only the complaints
	// that appear in batches not yet normalised (and the corrected ones) are re-derived, unless anything they
	// depend on changed since the last normalise (models, catalogue, calendar, branch master, policy values):
	// then a full rebuild runs anyway.
	Full bool
	// Now stamps normalised_batches and corrections_applied (default time.Now).
	Now func() time.Time
	// OnModel, when set, is told before each model runs (done models so far, of total) and once more when all
	// have run (done == total): the CLI's progress bar. A run with nothing new calls it with done == total only.
	OnModel func(model string, done, total int)
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
	if o.Now == nil {
		o.Now = time.Now
	}
}

// Result summarises a normalise run.
type Result struct {
	Versions             int64 // landed versions considered
	Complaints           int64 // canonical records (all work-order types)
	Countable            int64 // complaints that count (complaint work orders, accepted)
	Duplicates           int64 // records linked to an earlier primary
	Unmapped             int64 // distinct raw category/cause/channel values that map to no code
	NonComplaint         int64 // enquiries, suggestions, praise and other work orders
	Full                 bool  // the run rebuilt everything (asked for, first run, or something it depends on changed)
	Rederived            int64 // complaints re-derived from their landed versions (all of them when Full)
	UnknownBranches      int64 // distinct branch texts the branch master does not map
	CorrectionsApplied   int64 // corrections in effect that changed a complaint this run
	CorrectionsUnmatched int64 // corrections naming an unknown complaint or target, or an unmapped value
}

// goSteps run right after the model they are keyed by: work that is clearer in Go than in SQL.
var goSteps = map[string]func(context.Context, *sql.Tx) error{
	"24_core": linkCustomers, // customers before duplicates: duplicates need "the same customer"
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

// Normalize brings the canonical complaints and the marts up to date with the landed rows, in one transaction: a
// failure leaves the previous tables as they were. A full run (Options.Full, the first run, or after a change
// of models, catalogue, calendar, branch master or policy) rebuilds every complaint from every landed row; an
// incremental run re-derives only the complaints of batches not yet normalised and the corrected ones, then
// recomputes customers, duplicates, repeats, marts and checks over all rows. Both give identical tables, and
// running either twice gives identical tables.
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
	// Settings for the length of the normalise, put back afterwards: no model depends on the order rows come out
	// of a statement (every order that matters is explicit), so DuckDB need not keep insertion order (less memory,
	// more parallel work); and the canonical rows are stored without FSST string compression, whose analysis
	// took half the time of writing a million complaints (the file grows a little; dictionary compression stays).
	for _, q := range []string{"SET preserve_insertion_order = false", "SET disabled_compression_methods = 'fsst'"} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return nil, fmt.Errorf("normalize: %s: %w", q, err)
		}
	}
	defer func() {
		for _, q := range []string{"RESET preserve_insertion_order", "RESET disabled_compression_methods"} {
			conn.ExecContext(context.WithoutCancel(ctx), q)
		}
	}()
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
	if err := loadBranches(ctx, tx, opts.BranchesFile); err != nil {
		return nil, err
	}
	policy := map[string]int{
		"duplicate_window_days": opts.DuplicateWindowDays, "internal_days_general": opts.InternalDaysGeneral,
		"internal_days_complex": opts.InternalDaysComplex, "regulatory_days": opts.RegulatoryDays,
		"repeat_window_days": opts.RepeatWindowDays,
	}
	fp, err := fingerprint(ctx, tx, models, policy)
	if err != nil {
		return nil, err
	}
	full := opts.Full || !canIncrement(ctx, tx, fp)
	// scope_keys: the complaints an incremental run re-derives: those in batches not yet normalised, and every
	// complaint named by the corrections file before (a withdrawn correction must be undone) or now.
	if _, err := tx.ExecContext(ctx, "CREATE OR REPLACE TEMP TABLE scope_keys (complaint_key VARCHAR)"); err != nil {
		return nil, fmt.Errorf("normalize: scope: %w", err)
	}
	if !full {
		if _, err := tx.ExecContext(ctx, `INSERT INTO scope_keys
			SELECT DISTINCT source_system || ':' || source_id FROM landed_rows
			WHERE batch_id NOT IN (SELECT batch_id FROM normalised_batches)
			UNION SELECT complaint_key FROM corrections`); err != nil {
			return nil, fmt.Errorf("normalize: scope: %w", err)
		}
	}
	if !full {
		// the corrections in effect until now, to tell whether the file changed
		if _, err := tx.ExecContext(ctx, "CREATE OR REPLACE TEMP TABLE prev_corrections AS SELECT * FROM corrections"); err != nil {
			return nil, fmt.Errorf("normalize: corrections: %w", err)
		}
	}
	if err := loadCorrections(ctx, tx, opts.CorrectionsFile); err != nil {
		return nil, err
	}
	// Nothing new: an incremental run with no batch landed since the last normalise and the corrections file as it
	// was would re-derive nothing and recompute the customer links, duplicates, repeats and marts to the same
	// values (15 s on 1.1M complaints), so it stops here. Nothing the tables hold depends on the day it runs.
	unchanged := false
	if !full {
		if err := tx.QueryRowContext(ctx, `SELECT NOT EXISTS (SELECT 1 FROM batches WHERE batch_id NOT IN (SELECT batch_id FROM normalised_batches))
			AND NOT EXISTS (SELECT * FROM prev_corrections EXCEPT ALL SELECT * FROM corrections)
			AND NOT EXISTS (SELECT * FROM corrections EXCEPT ALL SELECT * FROM prev_corrections)`).Scan(&unchanged); err != nil {
			return nil, fmt.Errorf("normalize: anything new: %w", err)
		}
	}
	if unchanged {
		if opts.Logger != nil {
			opts.Logger.Debug("nothing new since the last normalise: no batch and no change to the corrections file")
		}
		if opts.OnModel != nil {
			opts.OnModel("", len(models), len(models))
		}
		return summarise(ctx, tx, &Result{}, false)
	}
	src := "CREATE TEMP VIEW src_rows AS SELECT * FROM landed_rows"
	if !full {
		if _, err := tx.ExecContext(ctx, `INSERT INTO scope_keys SELECT complaint_key FROM corrections
			EXCEPT SELECT complaint_key FROM scope_keys`); err != nil {
			return nil, fmt.Errorf("normalize: scope: %w", err)
		}
		src += " WHERE source_system || ':' || source_id IN (SELECT complaint_key FROM scope_keys)"
	}
	for _, q := range []string{"DROP VIEW IF EXISTS src_rows", src} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return nil, fmt.Errorf("normalize: rows in scope: %w", err)
		}
	}
	// Policy values reach the SQL as DuckDB variables; they are integers from the config, not input data.
	for name, v := range policy {
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("SET VARIABLE %s = %d", name, v)); err != nil {
			return nil, fmt.Errorf("normalize: set policy %s: %w", name, err)
		}
	}
	now := opts.Now().In(warehouse.Beijing).Format("2006-01-02 15:04:05")
	for _, q := range []string{fmt.Sprintf("SET VARIABLE incremental = %v", !full), "SET VARIABLE normalise_at = '" + now + "'"} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return nil, fmt.Errorf("normalize: %w", err)
		}
	}
	for i, m := range models {
		if opts.OnModel != nil {
			opts.OnModel(m.Name, i, len(models))
		}
		t0 := time.Now()
		if opts.Logger != nil && opts.Logger.Enabled(ctx, slog.LevelDebug) {
			// one statement at a time, each timed (BENCH_VERBOSE=1 shows where a model spends its time)
			for _, st := range statements(m.SQL) {
				ts := time.Now()
				if _, err := tx.ExecContext(ctx, st); err != nil {
					return nil, fmt.Errorf("normalize: model %s: %w", m.Name, err)
				}
				opts.Logger.Debug("statement", "model", m.Name, "seconds", time.Since(ts).Seconds(), "sql", firstLine(st))
			}
		} else if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
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
	if opts.OnModel != nil {
		opts.OnModel("", len(models), len(models))
	}
	// bookkeeping: the batches the tables now reflect, and what they were computed with
	book := []string{
		"INSERT INTO normalised_batches SELECT batch_id, CAST('" + now + "' AS TIMESTAMP) FROM batches WHERE batch_id NOT IN (SELECT batch_id FROM normalised_batches)",
		"INSERT OR REPLACE INTO normalise_state VALUES ('fingerprint', '" + fp + "')",
	}
	if full {
		book = append([]string{"DELETE FROM normalised_batches"}, book...)
	}
	for _, q := range book {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return nil, fmt.Errorf("normalize: bookkeeping: %w", err)
		}
	}
	return summarise(ctx, tx, &Result{Full: full}, true)
}

// summarise fills res with the counts of the tables as they now stand, and commits. ran says the models ran in
// this transaction (their temporary tables give the corrections applied and the versions re-derived; else 0).
func summarise(ctx context.Context, tx *sql.Tx, res *Result, ran bool) (*Result, error) {
	err := tx.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM landed_rows),
		count(*),
		count(*) FILTER (WHERE is_complaint AND status <> 'not_accepted'),
		count(*) FILTER (WHERE NOT is_primary),
		count(*) FILTER (WHERE NOT is_complaint)
		FROM complaints`).Scan(&res.Versions, &res.Complaints, &res.Countable, &res.Duplicates, &res.NonComplaint)
	if err != nil {
		return nil, fmt.Errorf("normalize: summary: %w", err)
	}
	if err := tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM unmapped_values), (SELECT count(*) FROM unknown_branches),
		(SELECT count(*) FROM corrections_unmatched)`).Scan(&res.Unmapped, &res.UnknownBranches, &res.CorrectionsUnmatched); err != nil {
		return nil, fmt.Errorf("normalize: unmapped count: %w", err)
	}
	if ran {
		if err := tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM corr_log), (SELECT coalesce(sum(version_count), 0) FROM stg_pick)`).Scan(
			&res.CorrectionsApplied, &res.Rederived); err != nil {
			return nil, fmt.Errorf("normalize: corrections applied: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("normalize: commit: %w", err)
	}
	return res, nil
}

// fingerprint digests everything the derived tables depend on besides the landed rows and the corrections:
// the models, the catalogue (with the user taxonomy file) and its mapping, the calendar, the branch master and the policy values.
func fingerprint(ctx context.Context, tx *sql.Tx, models []Model, policy map[string]int) (string, error) {
	h := sha256.New()
	for _, m := range models {
		fmt.Fprintf(h, "%s\n%s\n", m.Name, m.SQL)
	}
	keys := make([]string, 0, len(policy))
	for k := range policy {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(h, "%s=%d\n", k, policy[k])
	}
	// the whole catalogue in effect (built-in merged with the user file): a new label or parent also rebuilds
	fmt.Fprintf(h, "taxonomy=%s\n", catalog.Fingerprint())
	var data sql.NullString
	err := tx.QueryRowContext(ctx, `SELECT md5(concat_ws('|',
		(SELECT string_agg(concat_ws(',', day, is_workday, holiday), ';' ORDER BY day) FROM calendar_days),
		(SELECT string_agg(concat_ws(',', dimension, synonym, code), ';' ORDER BY dimension, synonym) FROM taxonomy_map),
		(SELECT string_agg(concat_ws(',', dimension, priority, code, keyword, rule_id), ';' ORDER BY dimension, priority) FROM keyword_rules),
		(SELECT string_agg(concat_ws(',', code, name, aliases, parent, province_code, province_name, valid_from, valid_to, successor), ';'
			ORDER BY code, name, aliases, valid_from, valid_to) FROM branch_master)))`).Scan(&data)
	if err != nil {
		return "", fmt.Errorf("normalize: fingerprint: %w", err)
	}
	h.Write([]byte(data.String))
	return hex.EncodeToString(h.Sum(nil)), nil
}

// canIncrement says whether the tables may be updated in place: the last normalise used the same fingerprint,
// and every batch it normalised is still landed.
func canIncrement(ctx context.Context, tx *sql.Tx, fp string) bool {
	var last sql.NullString
	var done, gone int64
	err := tx.QueryRowContext(ctx, `SELECT (SELECT value FROM normalise_state WHERE name = 'fingerprint'),
		(SELECT count(*) FROM normalised_batches),
		(SELECT count(*) FROM normalised_batches WHERE batch_id NOT IN (SELECT batch_id FROM batches))`).Scan(&last, &done, &gone)
	return err == nil && last.Valid && last.String == fp && done > 0 && gone == 0
}

// loadTaxonomy refreshes taxonomy_map and keyword_rules from the catalogue.
func loadTaxonomy(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM taxonomy_map"); err != nil {
		return fmt.Errorf("normalize: taxonomy_map: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM keyword_rules"); err != nil {
		return fmt.Errorf("normalize: keyword_rules: %w", err)
	}
	for _, r := range catalog.KeywordRules() {
		if _, err := tx.ExecContext(ctx, "INSERT INTO keyword_rules VALUES (?, ?, ?, ?, ?)", r.Dimension, r.Priority, r.Code, r.Keyword, r.ID); err != nil {
			return fmt.Errorf("normalize: keyword_rules: %w", err)
		}
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

// statements splits a model into its statements: a statement ends with a line (not a comment) ending in ';'.
func statements(model string) []string {
	var out []string
	var cur strings.Builder
	code := false
	for line := range strings.Lines(model) {
		t := strings.TrimSpace(line)
		cur.WriteString(line)
		if t != "" && !strings.HasPrefix(t, "--") {
			code = true
		}
		if code && strings.HasSuffix(t, ";") && !strings.HasPrefix(t, "--") {
			out = append(out, cur.String())
			cur.Reset()
			code = false
		}
	}
	if code {
		out = append(out, cur.String())
	}
	return out
}

// firstLine is a statement's first line of code, for a log line.
func firstLine(st string) string {
	for line := range strings.Lines(st) {
		if t := strings.TrimSpace(line); t != "" && !strings.HasPrefix(t, "--") {
			return t
		}
	}
	return ""
}
