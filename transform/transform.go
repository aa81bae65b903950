// Package transform owns everything between landed rows and the marts: the embedded SQL models (staging,
// canonical complaints, duplicates, marts) applied in a fixed order (temporary tables first, then every write
// in one transaction), the reference tables loaded for them (taxonomy mapping, keyword rules, calendar, branch
// master, corrections), and the policy values the models use. It writes only the warehouse: never files, never
// reports.
package transform

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"log/slog"
	"sort"
	"strconv"
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
var goSteps = map[string]func(context.Context, querier) error{
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

// querier is what the normalise's statements run on: its connection (the work on temporary tables) or its
// write transaction.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// writeFrom is the first model that writes the warehouse's own tables; every model before it works on
// temporary tables only.
const writeFrom = "38_write"

// referenceTables are loaded from the catalogue and the config's files on every normalise. They are loaded
// into temporary tables of the same names first, which the models read (DuckDB looks a name up in the
// temporary schema first), and copied into the warehouse's tables in the write transaction.
var referenceTables = []string{"taxonomy_map", "keyword_rules", "calendar_days", "branch_master", "corrections"}

// Normalize brings the canonical complaints and the marts up to date with the landed rows. A full run
// (Options.Full, the first run, or after a change of models, catalogue, calendar, branch master or policy)
// rebuilds every complaint from every landed row; an incremental run re-derives only the complaints of batches
// not yet normalised and the corrected ones, then recomputes customers, duplicates, repeats, marts and checks.
// Both give identical tables, and running either twice gives identical tables.
//
// It works in two phases on one connection of its own. First every model before writeFrom builds temporary
// tables, each statement committed on its own: nothing the warehouse holds changes. DuckDB scans a table
// created or filled in the running transaction with one thread, so building them inside the write transaction
// took twice as long on two cores (docs/performance.md). Then one
// transaction copies the reference data and runs the models that write the warehouse's tables: a failure
// anywhere leaves every table as it was. The connection is discarded at the end, with its temporary tables.
//
// A failure is recorded (normalise_state 'last_failure', see RecordFailure) and a success clears it, so that
// CheckNormalised can refuse to report on tables a failed normalise left behind.
func Normalize(ctx context.Context, w *warehouse.Warehouse, opts Options) (*Result, error) {
	opts.defaults()
	res, err := normalize(ctx, w, opts)
	if err != nil {
		RecordFailure(ctx, w, opts.Now(), err)
		return nil, err
	}
	if _, err := w.DB.ExecContext(ctx, "DELETE FROM normalise_state WHERE name = 'last_failure'"); err != nil {
		return nil, fmt.Errorf("normalize: bookkeeping: %w", err)
	}
	return res, nil
}

// RecordFailure records that a normalise failed at now, with its error, in normalise_state ('last_failure':
// the Beijing time, a tab, the error's first 500 bytes); the next successful normalise clears it. Errors of the
// recording itself are ignored (the normalise's own error is what the caller reports).
func RecordFailure(ctx context.Context, w *warehouse.Warehouse, now time.Time, failure error) {
	msg := failure.Error()
	if len(msg) > 500 {
		msg = strings.ToValidUTF8(msg[:500], "")
	}
	w.DB.ExecContext(context.WithoutCancel(ctx), "INSERT OR REPLACE INTO normalise_state VALUES ('last_failure', ?)",
		now.In(warehouse.Beijing).Format("2006-01-02 15:04:05")+"\t"+msg)
}

// CheckNormalised says whether the derived tables reflect the landed data, for the commands that read them
// (report, dashboard, list, rootcause): nil when they do; else an error of one sentence naming why: the last
// normalise failed, a batch landed after the last normalise, or a normalised batch was removed since.
func CheckNormalised(ctx context.Context, db *sql.DB) error {
	var failed sql.NullString
	var landed, removed sql.NullInt64
	err := db.QueryRowContext(ctx, `SELECT (SELECT value FROM normalise_state WHERE name = 'last_failure'),
		(SELECT min(batch_id) FROM batches WHERE batch_id NOT IN (SELECT batch_id FROM normalised_batches)),
		(SELECT min(batch_id) FROM normalised_batches WHERE batch_id NOT IN (SELECT batch_id FROM batches))`).Scan(&failed, &landed, &removed)
	if err != nil {
		return fmt.Errorf("normalised: %w", err)
	}
	switch {
	case failed.Valid:
		when, _, _ := strings.Cut(failed.String, "\t")
		return catalog.Errorf("msg_poison_normalise_failed", when)
	case landed.Valid:
		return catalog.Errorf("msg_poison_batch_not_normalised", landed.Int64)
	case removed.Valid:
		return catalog.Errorf("msg_poison_batch_removed_not_normalised", removed.Int64)
	}
	return nil
}

func normalize(ctx context.Context, w *warehouse.Warehouse, opts Options) (*Result, error) {
	// step logs how long the work before the models took, a step at a time (at debug level)
	stepStart := time.Now()
	step := func(name string) {
		if opts.Logger != nil {
			opts.Logger.Debug("prepared", "step", name, "seconds", time.Since(stepStart).Seconds())
		}
		stepStart = time.Now()
	}
	models, err := Models()
	if err != nil {
		return nil, err
	}
	conn, err := w.DB.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("normalize: %w", err)
	}
	defer discard(conn)
	// Settings for the length of the normalise, put back afterwards (both are DuckDB's global settings: they
	// outlive the connection): no model depends on the order rows come out of a statement (every order that
	// matters is explicit), so DuckDB need not keep insertion order (less memory, more parallel work); and the
	// canonical rows are stored without FSST string compression, whose analysis was a large share of the time of
	// writing a million complaints (the file grows a little; dictionary compression stays).
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
	var catalogName string
	if err := conn.QueryRowContext(ctx, "SELECT current_database()").Scan(&catalogName); err != nil {
		return nil, fmt.Errorf("normalize: %w", err)
	}
	stored := func(table string) string { return `"` + strings.ReplaceAll(catalogName, `"`, `""`) + `".main.` + table }
	// the corrections in effect until now, to tell whether the file changed (and, in 24_core, which complaints a
	// withdrawn duplicate_of correction named); then the temporary reference tables the loaders fill
	if _, err := conn.ExecContext(ctx, "CREATE OR REPLACE TEMP TABLE prev_corrections AS SELECT * FROM "+stored("corrections")); err != nil {
		return nil, fmt.Errorf("normalize: corrections: %w", err)
	}
	for _, t := range referenceTables {
		if _, err := conn.ExecContext(ctx, "CREATE OR REPLACE TEMP TABLE "+t+" AS SELECT * FROM "+stored(t)+" LIMIT 0"); err != nil {
			return nil, fmt.Errorf("normalize: %s: %w", t, err)
		}
	}
	if err := loadTaxonomy(ctx, conn); err != nil {
		return nil, err
	}
	if err := loadCalendar(ctx, conn, opts.Calendar); err != nil {
		return nil, err
	}
	if err := loadBranches(ctx, conn, opts.BranchesFile); err != nil {
		return nil, err
	}
	step("reference data")
	policy := map[string]int{
		"duplicate_window_days": opts.DuplicateWindowDays, "internal_days_general": opts.InternalDaysGeneral,
		"internal_days_complex": opts.InternalDaysComplex, "regulatory_days": opts.RegulatoryDays,
		"repeat_window_days": opts.RepeatWindowDays,
	}
	fp, err := fingerprint(ctx, conn, models, policy)
	if err != nil {
		return nil, err
	}
	full := opts.Full || !canIncrement(ctx, conn, fp)
	step("fingerprint")
	// scope_keys: the complaints an incremental run re-derives: those in batches not yet normalised, and every
	// complaint named by the corrections file before (a withdrawn correction must be undone) or now.
	if _, err := conn.ExecContext(ctx, "CREATE OR REPLACE TEMP TABLE scope_keys (complaint_key VARCHAR)"); err != nil {
		return nil, fmt.Errorf("normalize: scope: %w", err)
	}
	if !full {
		if _, err := conn.ExecContext(ctx, `INSERT INTO scope_keys
			SELECT DISTINCT source_system || ':' || source_id FROM landed_rows
			WHERE batch_id NOT IN (SELECT batch_id FROM normalised_batches)
			UNION SELECT complaint_key FROM prev_corrections`); err != nil {
			return nil, fmt.Errorf("normalize: scope: %w", err)
		}
	}
	if err := loadCorrections(ctx, conn, opts.CorrectionsFile); err != nil {
		return nil, err
	}
	// Nothing new: an incremental run with no batch landed since the last normalise and the corrections file as it
	// was would re-derive nothing and recompute the customer links, duplicates, repeats and marts to the same
	// values (seconds on a million complaints), so it stops here, having written nothing (the reference data is in the
	// fingerprint: it is as stored). Nothing the tables hold depends on the day it runs.
	if !full {
		unchanged := false
		if err := conn.QueryRowContext(ctx, `SELECT NOT EXISTS (SELECT 1 FROM batches WHERE batch_id NOT IN (SELECT batch_id FROM normalised_batches))
			AND NOT EXISTS (SELECT * FROM prev_corrections EXCEPT ALL SELECT * FROM corrections)
			AND NOT EXISTS (SELECT * FROM corrections EXCEPT ALL SELECT * FROM prev_corrections)`).Scan(&unchanged); err != nil {
			return nil, fmt.Errorf("normalize: anything new: %w", err)
		}
		if unchanged {
			if opts.Logger != nil {
				opts.Logger.Debug("nothing new since the last normalise: no batch and no change to the corrections file")
			}
			if opts.OnModel != nil {
				opts.OnModel("", len(models), len(models))
			}
			return summarise(ctx, conn, &Result{}, false)
		}
	}
	step("scope and corrections")
	// src_rows: the landed versions the models re-derive. Every landed row in a full normalise (a view: copying
	// them would cost more than reading them twice); an incremental one reads a few thousand of a million, by a
	// filter on every landed row, so they are copied once (10_staging reads src_rows a dozen times).
	src := "CREATE TEMP VIEW src_rows AS SELECT * FROM landed_rows"
	if !full {
		if _, err := conn.ExecContext(ctx, `INSERT INTO scope_keys SELECT complaint_key FROM corrections
			EXCEPT SELECT complaint_key FROM scope_keys`); err != nil {
			return nil, fmt.Errorf("normalize: scope: %w", err)
		}
		// (the source_id filter first, found on a narrow scan, spares building the key of every wide row)
		src = `CREATE TEMP TABLE src_rows AS SELECT * FROM landed_rows
			WHERE source_id IN (SELECT source_id FROM landed_rows
			                    WHERE source_system || ':' || source_id IN (SELECT complaint_key FROM scope_keys))
			  AND source_system || ':' || source_id IN (SELECT complaint_key FROM scope_keys)`
	}
	for _, q := range []string{"DROP VIEW IF EXISTS src_rows", src} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return nil, fmt.Errorf("normalize: rows in scope: %w", err)
		}
	}
	// Policy values reach the SQL as DuckDB variables; they are integers from the config, not input data.
	for name, v := range policy {
		if _, err := conn.ExecContext(ctx, fmt.Sprintf("SET VARIABLE %s = %d", name, v)); err != nil {
			return nil, fmt.Errorf("normalize: set policy %s: %w", name, err)
		}
	}
	now := opts.Now().In(warehouse.Beijing).Format("2006-01-02 15:04:05")
	for _, q := range []string{fmt.Sprintf("SET VARIABLE incremental = %v", !full), "SET VARIABLE normalise_at = '" + now + "'"} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return nil, fmt.Errorf("normalize: %w", err)
		}
	}
	step("rows in scope")
	var tx *sql.Tx
	defer func() {
		if tx != nil {
			tx.Rollback() // no-op after Commit
		}
	}()
	var on querier = conn
	for i, m := range models {
		if m.Name == writeFrom {
			// the write transaction: the reference data as loaded, then every model that writes
			if tx, err = conn.BeginTx(ctx, nil); err != nil {
				return nil, fmt.Errorf("normalize: begin: %w", err)
			}
			on = tx
			for _, t := range referenceTables {
				for _, q := range []string{"DELETE FROM " + stored(t), "INSERT INTO " + stored(t) + " SELECT * FROM temp.main." + t} {
					if _, err := tx.ExecContext(ctx, q); err != nil {
						return nil, fmt.Errorf("normalize: store %s: %w", t, err)
					}
				}
			}
		}
		if opts.OnModel != nil {
			opts.OnModel(m.Name, i, len(models))
		}
		t0 := time.Now()
		if opts.Logger != nil && opts.Logger.Enabled(ctx, slog.LevelDebug) {
			// one statement at a time, each timed (BENCH_VERBOSE=1 shows where a model spends its time)
			for _, st := range statements(m.SQL) {
				ts := time.Now()
				if _, err := on.ExecContext(ctx, st); err != nil {
					return nil, fmt.Errorf("normalize: model %s: %w", m.Name, err)
				}
				opts.Logger.Debug("statement", "model", m.Name, "seconds", time.Since(ts).Seconds(), "sql", firstLine(st))
			}
		} else if _, err := on.ExecContext(ctx, m.SQL); err != nil {
			return nil, fmt.Errorf("normalize: model %s: %w", m.Name, err)
		}
		t1 := time.Now()
		if step := goSteps[m.Name]; step != nil {
			if err := step(ctx, on); err != nil {
				return nil, err
			}
		}
		if opts.Logger != nil {
			opts.Logger.Debug("model applied", "model", m.Name, "sql_seconds", t1.Sub(t0).Seconds(), "go_seconds", time.Since(t1).Seconds())
		}
	}
	if tx == nil {
		return nil, fmt.Errorf("normalize: no model %s: nothing was written", writeFrom)
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
	res, err := summarise(ctx, tx, &Result{Full: full}, true)
	if err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("normalize: commit: %w", err)
	}
	return res, nil
}

// discard closes a connection the normalise had to itself for good, instead of handing it back to the pool:
// its temporary tables (the shadowing reference tables above all) go with it.
func discard(conn *sql.Conn) {
	conn.Raw(func(any) error { return driver.ErrBadConn })
	conn.Close()
}

// summarise fills res with the counts of the tables as they now stand. ran says the models ran (their
// temporary tables give the corrections applied and the versions re-derived; else 0).
func summarise(ctx context.Context, q querier, res *Result, ran bool) (*Result, error) {
	err := q.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM landed_rows),
		count(*),
		count(*) FILTER (WHERE is_complaint AND status <> 'not_accepted'),
		count(*) FILTER (WHERE NOT is_primary),
		count(*) FILTER (WHERE NOT is_complaint)
		FROM complaints`).Scan(&res.Versions, &res.Complaints, &res.Countable, &res.Duplicates, &res.NonComplaint)
	if err != nil {
		return nil, fmt.Errorf("normalize: summary: %w", err)
	}
	if err := q.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM unmapped_values), (SELECT count(*) FROM unknown_branches),
		(SELECT count(*) FROM corrections_unmatched)`).Scan(&res.Unmapped, &res.UnknownBranches, &res.CorrectionsUnmatched); err != nil {
		return nil, fmt.Errorf("normalize: unmapped count: %w", err)
	}
	if ran {
		if err := q.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM corr_log), (SELECT versions FROM rederived)`).Scan(
			&res.CorrectionsApplied, &res.Rederived); err != nil {
			return nil, fmt.Errorf("normalize: corrections applied: %w", err)
		}
	}
	return res, nil
}

// fingerprint digests everything the derived tables depend on besides the landed rows and the corrections:
// the models, the catalogue (with the user taxonomy file) and its mapping, the calendar, the branch master and the policy values.
func fingerprint(ctx context.Context, db querier, models []Model, policy map[string]int) (string, error) {
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
	// every row as JSON (a NULL is `null`, never skipped as concat_ws skips it: moving a date from valid_from to
	// valid_to must change the digest), every table one element of a list (an empty table is `null`)
	err := db.QueryRowContext(ctx, `SELECT md5(to_json([
		(SELECT string_agg(to_json(struct_pack(day, is_workday, holiday))::VARCHAR, ';' ORDER BY day) FROM calendar_days),
		(SELECT string_agg(to_json(struct_pack(dimension, synonym, code))::VARCHAR, ';' ORDER BY dimension, synonym) FROM taxonomy_map),
		(SELECT string_agg(to_json(struct_pack(dimension, priority, code, keyword, rule_id))::VARCHAR, ';'
			ORDER BY dimension, priority, code, keyword, rule_id) FROM keyword_rules),
		(SELECT string_agg(to_json(struct_pack(code, name, aliases, parent, province_code, province_name, valid_from, valid_to, successor))::VARCHAR, ';'
			ORDER BY code, name, aliases, valid_from, valid_to) FROM branch_master)])::VARCHAR)`).Scan(&data)
	if err != nil {
		return "", fmt.Errorf("normalize: fingerprint: %w", err)
	}
	h.Write([]byte(data.String))
	return hex.EncodeToString(h.Sum(nil)), nil
}

// canIncrement says whether the tables may be updated in place: the last normalise used the same fingerprint,
// and every batch it normalised is still landed.
func canIncrement(ctx context.Context, db querier, fp string) bool {
	var last sql.NullString
	var done, gone int64
	err := db.QueryRowContext(ctx, `SELECT (SELECT value FROM normalise_state WHERE name = 'fingerprint'),
		(SELECT count(*) FROM normalised_batches),
		(SELECT count(*) FROM normalised_batches WHERE batch_id NOT IN (SELECT batch_id FROM batches))`).Scan(&last, &done, &gone)
	return err == nil && last.Valid && last.String == fp && done > 0 && gone == 0
}

// loadTaxonomy refreshes taxonomy_map and keyword_rules from the catalogue.
func loadTaxonomy(ctx context.Context, db querier) error {
	if _, err := db.ExecContext(ctx, "DELETE FROM taxonomy_map"); err != nil {
		return fmt.Errorf("normalize: taxonomy_map: %w", err)
	}
	if _, err := db.ExecContext(ctx, "DELETE FROM keyword_rules"); err != nil {
		return fmt.Errorf("normalize: keyword_rules: %w", err)
	}
	var rules [][]*string
	for _, r := range catalog.KeywordRules() {
		rules = append(rules, textRow(r.Dimension, strconv.Itoa(r.Priority), r.Code, r.Keyword, r.ID))
	}
	if err := insertRows(ctx, db, "keyword_rules", "r[1], CAST(r[2] AS INTEGER), r[3], r[4], r[5]", rules); err != nil {
		return err
	}
	var syns [][]*string
	for _, s := range catalog.Synonyms() {
		syns = append(syns, textRow(s.Dimension, s.Text, s.Code))
	}
	return insertRows(ctx, db, "taxonomy_map", "r[1], r[2], r[3]", syns)
}

// textRow is a row of text values for insertRows ("" stays "", never NULL).
func textRow(vals ...string) []*string {
	out := make([]*string, len(vals))
	for i := range vals {
		out[i] = &vals[i]
	}
	return out
}

// insertRows inserts rows of text values (nil: NULL) into table in one statement: they go as one JSON
// parameter, and cols says how each column comes from the row r (r[1] the first value, cast as needed). One
// statement instead of one per row or hundreds of parameters: the reference data is loaded on every
// normalise, including the ones with nothing to do.
func insertRows(ctx context.Context, db querier, table, cols string, rows [][]*string) error {
	if len(rows) == 0 {
		return nil
	}
	b, err := json.Marshal(rows)
	if err != nil {
		return fmt.Errorf("normalize: %s: %w", table, err)
	}
	q := "INSERT INTO " + table + " SELECT " + cols + " FROM (SELECT unnest(CAST(CAST(? AS JSON) AS VARCHAR[][])) AS r)"
	if _, err := db.ExecContext(ctx, q, string(b)); err != nil {
		return fmt.Errorf("normalize: %s: %w", table, err)
	}
	return nil
}

// loadCalendar fills calendar_days with every year the calendar covers from the first year a complaint was
// received in up to two years after the last (deadlines run past year end). A year with no schedule is left
// out, never guessed: 25_clocks leaves the clocks that need it unknown and 45_quality lists those complaints
// with the year to add (domain.md section 4). workday_no keeps counting over a missing year; the clocks never
// count across one (25_clocks numbers the runs of consecutive days).
func loadCalendar(ctx context.Context, db querier, cal *calendar.Calendar) error {
	if _, err := db.ExecContext(ctx, "DELETE FROM calendar_days"); err != nil {
		return fmt.Errorf("normalize: calendar_days: %w", err)
	}
	var minY, maxY sql.NullInt64
	err := db.QueryRowContext(ctx, `SELECT min(year(d)), max(year(d)) FROM (
		SELECT TRY_CAST(received_at AS DATE) AS d FROM landed_rows) WHERE d IS NOT NULL`).Scan(&minY, &maxY)
	if err != nil {
		return fmt.Errorf("normalize: receipt years: %w", err)
	}
	if !minY.Valid {
		return nil
	}
	var rows [][]*string
	n := 0
	for y := int(minY.Int64); y <= int(maxY.Int64)+2; y++ {
		if !cal.Covers(y) {
			continue
		}
		for d := calendar.D(y, 1, 1); d.Year() == y; d = d.AddDate(0, 0, 1) {
			work, err := cal.IsWorkday(d)
			if err != nil {
				return fmt.Errorf("normalize: %w", err)
			}
			if work {
				n++
			}
			row := textRow(d.Format("2006-01-02"), strconv.FormatBool(work), strconv.Itoa(n), cal.HolidayName(d))
			if *row[3] == "" {
				row[3] = nil
			}
			rows = append(rows, row)
		}
	}
	return insertRows(ctx, db, "calendar_days", "CAST(r[1] AS DATE), CAST(r[2] AS BOOLEAN), CAST(r[3] AS INTEGER), r[4]", rows)
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
