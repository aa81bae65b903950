// Package transform owns everything between landed rows and the marts: the embedded SQL models (staging,
// canonical complaints, duplicates, marts, quality checks, audit), the reference tables loaded for them
// (taxonomy mapping, keyword rules, calendar, branch master, corrections), and the policy values the models use.
// It writes only the warehouse: never files, never reports.
//
// Every model declares its phase on its first line (`-- phase: stage`; Phase lists the phases and what each
// may do), and optionally the Go steps run after it (`-- then: customers`) and, for a stage model, the later
// phases that read its temporary tables (`-- read-by: quality`). The models run in the order of their file
// names, their phases never going backwards; which models run where (the write transaction, RebuildMarts) is
// decided by phase, never by file name. Normalize runs in four steps: prepare, plan, stage and write.
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
	"log/slog"
	"maps"
	"slices"
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

// querier is what the normalise's statements run on: its connection (the work on temporary tables) or its
// write transaction.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

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
// It runs four steps on one connection of its own (normalize): prepare loads the reference data, plan decides
// full or incremental and which complaints to re-derive, stage runs the models of the macros and stage phases
// into temporary tables (nothing the warehouse holds changes), and write runs the models from the write phase on
// in one transaction: a failure anywhere leaves every table as it was. The connection is discarded at the end,
// with its temporary tables.
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

// normalize runs the normalise's four steps on one connection of its own, discarded at the end with its
// temporary tables: prepare, plan, stage (temporary tables only) and write (one transaction).
func normalize(ctx context.Context, w *warehouse.Warehouse, opts Options) (*Result, error) {
	models, err := Models()
	if err != nil {
		return nil, err
	}
	conn, err := w.DB.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("normalize: %w", err)
	}
	defer discard(conn)
	r := &normaliseRun{conn: conn, models: models, opts: opts, stepStart: time.Now()}
	defer r.resetSettings(ctx)
	if err := r.prepare(ctx); err != nil {
		return nil, err
	}
	if err := r.plan(ctx); err != nil {
		return nil, err
	}
	if r.nothingNew {
		if opts.OnModel != nil {
			opts.OnModel("", len(models), len(models))
		}
		return summarise(ctx, conn, &Result{}, false)
	}
	if err := r.stage(ctx); err != nil {
		return nil, err
	}
	return r.write(ctx)
}

// normaliseRun is one normalise: its connection and models, and what its steps found.
type normaliseRun struct {
	conn   *sql.Conn
	models []Model
	opts   Options
	// catalogName names the warehouse's tables past the temporary reference tables of the same names (stored).
	catalogName string
	policy      map[string]int
	now         string    // the normalise's time (Beijing), stamped on normalised_batches and corrections_applied
	stepStart   time.Time // when the step running now began (logStep)
	// set by plan
	fp         string // the fingerprint of everything the derived tables depend on besides the landed rows
	full       bool   // every complaint is re-derived
	nothingNew bool   // incremental with no new batch and the corrections unchanged: nothing to do
}

// stored is the warehouse's own table of that name (a temporary table of the same name shadows the bare name).
func (r *normaliseRun) stored(table string) string {
	return `"` + strings.ReplaceAll(r.catalogName, `"`, `""`) + `".main.` + table
}

// execEach runs each statement on q in turn; an error names what they were for.
func execEach(ctx context.Context, q querier, what string, stmts ...string) error {
	for _, s := range stmts {
		if _, err := q.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("normalize: %s: %w", what, err)
		}
	}
	return nil
}

// logStep logs how long the step just done took (at debug level).
func (r *normaliseRun) logStep(name string) {
	if r.opts.Logger != nil {
		r.opts.Logger.Debug("normalise step", "step", name, "seconds", time.Since(r.stepStart).Seconds())
	}
	r.stepStart = time.Now()
}

// prepare sets the normalise's settings and loads the reference data into temporary tables of the same names
// as the warehouse's (which the models read, DuckDB looking a name up in the temporary schema first): the
// taxonomy and keyword rules, the calendar, the branch master and the corrections file; and the policy values
// and the normalise's time as DuckDB variables. The corrections in effect until now are kept as
// prev_corrections (plan compares them, and 24_core reads the complaints a withdrawn duplicate_of named).
func (r *normaliseRun) prepare(ctx context.Context) error {
	// Settings for the length of the normalise, put back by resetSettings (both are DuckDB's global settings:
	// they outlive the connection): no model depends on the order rows come out of a statement (every order that
	// matters is explicit), so DuckDB need not keep insertion order (less memory, more parallel work); and the
	// canonical rows are stored without FSST string compression, whose analysis was a large share of the time of
	// writing a million complaints (the file grows a little; dictionary compression stays).
	for _, q := range []string{"SET preserve_insertion_order = false", "SET disabled_compression_methods = 'fsst'"} {
		if err := execEach(ctx, r.conn, q, q); err != nil {
			return err
		}
	}
	if err := r.conn.QueryRowContext(ctx, "SELECT current_database()").Scan(&r.catalogName); err != nil {
		return fmt.Errorf("normalize: %w", err)
	}
	if err := execEach(ctx, r.conn, "corrections", "CREATE OR REPLACE TEMP TABLE prev_corrections AS SELECT * FROM "+r.stored("corrections")); err != nil {
		return err
	}
	for _, t := range referenceTables {
		if err := execEach(ctx, r.conn, t, "CREATE OR REPLACE TEMP TABLE "+t+" AS SELECT * FROM "+r.stored(t)+" LIMIT 0"); err != nil {
			return err
		}
	}
	if err := loadTaxonomy(ctx, r.conn); err != nil {
		return err
	}
	if err := loadCalendar(ctx, r.conn, r.opts.Calendar); err != nil {
		return err
	}
	if err := loadBranches(ctx, r.conn, r.opts.BranchesFile); err != nil {
		return err
	}
	if err := loadCorrections(ctx, r.conn, r.opts.CorrectionsFile); err != nil {
		return err
	}
	// Policy values reach the SQL as DuckDB variables; they are integers from the config, not input data.
	r.policy = map[string]int{
		"duplicate_window_days": r.opts.DuplicateWindowDays, "internal_days_general": r.opts.InternalDaysGeneral,
		"internal_days_complex": r.opts.InternalDaysComplex, "regulatory_days": r.opts.RegulatoryDays,
		"repeat_window_days": r.opts.RepeatWindowDays,
	}
	for name, v := range r.policy {
		if err := execEach(ctx, r.conn, "set policy "+name, fmt.Sprintf("SET VARIABLE %s = %d", name, v)); err != nil {
			return err
		}
	}
	r.now = r.opts.Now().In(warehouse.Beijing).Format("2006-01-02 15:04:05")
	if err := execEach(ctx, r.conn, "time", "SET VARIABLE normalise_at = '"+r.now+"'"); err != nil {
		return err
	}
	r.logStep("prepare")
	return nil
}

// resetSettings puts back the global settings prepare changed (also after a failure).
func (r *normaliseRun) resetSettings(ctx context.Context) {
	for _, q := range []string{"RESET preserve_insertion_order", "RESET disabled_compression_methods"} {
		r.conn.ExecContext(context.WithoutCancel(ctx), q)
	}
}

// plan decides what this normalise re-derives. Full when asked, on the first run, after a change of anything
// in the fingerprint (models, catalogue, calendar, branch master, policy) or when a normalised batch was
// removed. Otherwise scope_keys lists the complaints to re-derive: those with a version in batches not yet
// normalised, every complaint the corrections file names, before (a withdrawn correction must be undone) or now,
// and those whose reply date was judged invalid and that a new batch saw unchanged (a later export may make
// a reply date no longer in the future). An unchanged row changes nothing else: it equals the current version. With no batch
// landed since the last normalise and the corrections file as it was, it sets nothingNew: re-deriving nothing
// would recompute the customer links, duplicates, repeats and marts to the same values, and nothing the tables
// hold depends on the day it runs.
func (r *normaliseRun) plan(ctx context.Context) error {
	fp, err := fingerprint(ctx, r.conn, r.models, r.policy)
	if err != nil {
		return err
	}
	r.fp = fp
	r.full = r.opts.Full || !canIncrement(ctx, r.conn, fp)
	if err := execEach(ctx, r.conn, "scope", "CREATE OR REPLACE TEMP TABLE scope_keys (complaint_key VARCHAR)"); err != nil {
		return err
	}
	if r.full {
		r.logStep("plan")
		return nil
	}
	unchanged := false
	if err := r.conn.QueryRowContext(ctx, `SELECT NOT EXISTS (SELECT 1 FROM batches WHERE batch_id NOT IN (SELECT batch_id FROM normalised_batches))
		AND NOT EXISTS (SELECT * FROM prev_corrections EXCEPT ALL SELECT * FROM corrections)
		AND NOT EXISTS (SELECT * FROM corrections EXCEPT ALL SELECT * FROM prev_corrections)`).Scan(&unchanged); err != nil {
		return fmt.Errorf("normalize: anything new: %w", err)
	}
	if unchanged {
		if r.opts.Logger != nil {
			r.opts.Logger.Debug("nothing new since the last normalise: no batch and no change to the corrections file")
		}
		r.nothingNew = true
		return nil
	}
	err = execEach(ctx, r.conn, "scope", `INSERT INTO scope_keys
		SELECT DISTINCT source_system || ':' || source_id FROM landed_rows
		WHERE batch_id NOT IN (SELECT batch_id FROM normalised_batches)
		UNION SELECT c.complaint_key FROM row_sightings s
		JOIN landed_rows v ON v.batch_id = s.version_batch_id AND v.row_number = s.version_row_number
		JOIN complaints c ON c.complaint_key = v.source_system || ':' || v.source_id
		WHERE s.batch_id NOT IN (SELECT batch_id FROM normalised_batches) AND c.reply_date_invalid
		UNION SELECT complaint_key FROM prev_corrections
		UNION SELECT complaint_key FROM corrections`)
	r.logStep("plan")
	return err
}

// stage builds the temporary tables of the stage phase: src_versions and src_rows (the landed versions to
// re-derive, below), then every model of the macros and stage phases with the Go steps their headers name, each
// statement committed on its own. Nothing the warehouse holds changes. (DuckDB scans a table created or filled in
// the running transaction with one thread, so these tables are built before the write transaction, not in it:
// decisions.md.)
func (r *normaliseRun) stage(ctx context.Context) error {
	// src_versions: the columns that choose a complaint's current version (10_staging, stg_pick) of every landed
	// version to re-derive; src_rows: whole landed rows, which the models type and map. A full normalise reads
	// every landed row through views (copying them would cost more than reading them twice). An incremental one
	// re-derives a few thousand complaints of a million: their versions' narrow columns are copied by a filter on
	// every landed row, and src_rows reads src_picked, which 10_staging fills with the whole rows of the current
	// versions only (the wide copy was most of the time of finding the rows in scope, and the earlier versions
	// are never typed).
	versions := "SELECT batch_id, row_number, source_system, source_id, received_at, updated_at, ingested_at FROM landed_rows"
	stmts := []string{"DROP VIEW IF EXISTS src_rows", "DROP VIEW IF EXISTS src_versions",
		"CREATE OR REPLACE TEMP TABLE src_picked AS SELECT * FROM landed_rows LIMIT 0"}
	if r.full {
		stmts = append(stmts, "CREATE TEMP VIEW src_versions AS "+versions, "CREATE TEMP VIEW src_rows AS SELECT * FROM landed_rows")
	} else {
		stmts = append(stmts, "CREATE OR REPLACE TEMP TABLE src_versions AS "+versions+
			" WHERE source_system || ':' || source_id IN (SELECT complaint_key FROM scope_keys)",
			"CREATE TEMP VIEW src_rows AS SELECT * FROM src_picked")
	}
	stmts = append(stmts, fmt.Sprintf("SET VARIABLE incremental = %v", !r.full))
	if err := execEach(ctx, r.conn, "rows in scope", stmts...); err != nil {
		return err
	}
	r.logStep("rows in scope")
	for i, m := range r.models {
		if m.Phase <= PhaseStage {
			if err := r.runModel(ctx, r.conn, i, m); err != nil {
				return err
			}
		}
	}
	r.logStep("stage")
	return nil
}

// write is the one transaction that changes the warehouse: it stores the reference data as loaded, runs every
// model from the write phase on (complaints, marts, quality tables, audit), records the batches the tables now
// reflect with the fingerprint they were computed with, and summarises. A failure anywhere leaves every table as
// it was.
func (r *normaliseRun) write(ctx context.Context) (*Result, error) {
	tx, err := r.conn.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("normalize: begin: %w", err)
	}
	defer tx.Rollback() // no-op after Commit
	for _, t := range referenceTables {
		if err := execEach(ctx, tx, "store "+t, "DELETE FROM "+r.stored(t), "INSERT INTO "+r.stored(t)+" SELECT * FROM temp.main."+t); err != nil {
			return nil, err
		}
	}
	for i, m := range r.models {
		if m.Phase >= PhaseWrite {
			if err := r.runModel(ctx, tx, i, m); err != nil {
				return nil, err
			}
		}
	}
	if r.opts.OnModel != nil {
		r.opts.OnModel("", len(r.models), len(r.models))
	}
	var book []string
	if r.full {
		book = append(book, "DELETE FROM normalised_batches")
	}
	book = append(book,
		"INSERT INTO normalised_batches SELECT batch_id, CAST('"+r.now+"' AS TIMESTAMP) FROM batches WHERE batch_id NOT IN (SELECT batch_id FROM normalised_batches)",
		"INSERT OR REPLACE INTO normalise_state VALUES ('fingerprint', '"+r.fp+"')")
	if err := execEach(ctx, tx, "bookkeeping", book...); err != nil {
		return nil, err
	}
	if err := r.planVacuum(ctx, tx); err != nil {
		return nil, err
	}
	res, err := summarise(ctx, tx, &Result{Full: r.full}, true)
	if err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("normalize: commit: %w", err)
	}
	r.logStep("write")
	return res, nil
}

// vacuumShare is the share of the complaints that incremental normalises may rewrite, in all, before the checkpoint
// after one of them compacts the row groups their deleted rows left (DuckDB's vacuum).
const vacuumShare = 0.25

// planVacuum, in the write transaction, decides whether the checkpoint that follows its COMMIT compacts the tables'
// row groups. A full normalise does. An incremental one rewrites a month's changed complaints, and compacting
// every row group they touched costs it more than the rows it rewrites; their deleted rows are left in place
// until the complaints rewritten since the last compaction (normalise_state 'rewritten_since_vacuum') reach
// vacuumShare of the table, and that run compacts them all. DuckDB's setting is the process's: it holds until the
// next normalise decides again.
func (r *normaliseRun) planVacuum(ctx context.Context, tx *sql.Tx) error {
	var since, written, total int64
	if err := tx.QueryRowContext(ctx, `SELECT
		(SELECT coalesce(max(TRY_CAST(value AS BIGINT)), 0) FROM normalise_state WHERE name = 'rewritten_since_vacuum'),
		(SELECT count(*) FROM written_keys), (SELECT count(*) FROM complaints)`).Scan(&since, &written, &total); err != nil {
		return fmt.Errorf("normalize: rows rewritten since the last compaction: %w", err)
	}
	since += written
	vacuum := r.full || float64(since) >= vacuumShare*float64(total)
	set := "SET max_vacuum_tasks = 0"
	if vacuum {
		since, set = 0, "RESET max_vacuum_tasks"
	}
	return execEach(ctx, tx, "compaction",
		"INSERT OR REPLACE INTO normalise_state VALUES ('rewritten_since_vacuum', '"+strconv.FormatInt(since, 10)+"')", set)
}

// runModel runs model m (the i-th) on q, then the Go steps its header names, telling OnModel first. With the
// logger at debug level it runs one statement at a time, each timed (BENCH_VERBOSE=1 shows where a model spends
// its time).
func (r *normaliseRun) runModel(ctx context.Context, q querier, i int, m Model) error {
	if r.opts.OnModel != nil {
		r.opts.OnModel(m.Name, i, len(r.models))
	}
	log := r.opts.Logger
	t0 := time.Now()
	if log != nil && log.Enabled(ctx, slog.LevelDebug) {
		for _, st := range statements(m.SQL) {
			ts := time.Now()
			if _, err := q.ExecContext(ctx, st); err != nil {
				return fmt.Errorf("normalize: model %s: %w", m.Name, err)
			}
			log.Debug("statement", "model", m.Name, "seconds", time.Since(ts).Seconds(), "sql", firstLine(st))
		}
	} else if _, err := q.ExecContext(ctx, m.SQL); err != nil {
		return fmt.Errorf("normalize: model %s: %w", m.Name, err)
	}
	t1 := time.Now()
	for _, step := range m.Then {
		if err := goSteps[step](ctx, q); err != nil {
			return err
		}
	}
	if log != nil {
		log.Debug("model applied", "model", m.Name, "sql_seconds", t1.Sub(t0).Seconds(), "go_seconds", time.Since(t1).Seconds())
	}
	return nil
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
		count(*) FILTER (WHERE NOT is_complaint AND NOT coalesce(analytics_only, false))
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
	// valid_to must change the digest), every table one element of a list (an empty table is `null`); the branch
	// master's rows in the order of their JSON text, a total order (two rows differing only in a parent must not
	// swap places and force a needless rebuild)
	err := db.QueryRowContext(ctx, `SELECT md5(to_json([
		(SELECT string_agg(to_json(struct_pack(day, is_workday, holiday))::VARCHAR, ';' ORDER BY day) FROM calendar_days),
		(SELECT string_agg(to_json(struct_pack(dimension, synonym, code))::VARCHAR, ';' ORDER BY dimension, synonym) FROM taxonomy_map),
		(SELECT string_agg(to_json(struct_pack(dimension, priority, code, keyword, rule_id))::VARCHAR, ';'
			ORDER BY dimension, priority, code, keyword, rule_id) FROM keyword_rules),
		(SELECT string_agg(j, ';' ORDER BY j) FROM (SELECT to_json(struct_pack(code, name, aliases, parent, province_code,
			province_name, valid_from, valid_to, successor))::VARCHAR AS j FROM branch_master))])::VARCHAR)`).Scan(&data)
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

// loadTaxonomy refreshes taxonomy_map (with the CFPB crosswalk) and keyword_rules from the catalogue.
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
	// the catalogue's value words ride under vw_<dimension> (10_staging's raw_map reads them)
	for _, w := range catalog.ValueWords() {
		syns = append(syns, textRow("vw_"+w.Dimension, w.Text, w.Code))
	}
	// the CFPB crosswalk rides in the same table under dimensions of its own (10_staging reads them): xw_source
	// names the sources it applies to, xw_business_category and xw_cause hold "value<US>sub" (sub empty for
	// the first level alone), folded like the synonyms
	xw := catalog.CFPBCrosswalk()
	for _, src := range xw.Sources {
		syns = append(syns, textRow("xw_source", src, src))
	}
	for _, e := range xw.Entries() {
		syns = append(syns, textRow("xw_"+e.Dimension, e.Value+"\x1f"+e.Sub, e.Code))
	}
	// and its regions (the CFPB's State: US states and territories) as province codes US-<code>
	regions := xw.RegionSynonyms()
	for _, n := range slices.Sorted(maps.Keys(regions)) {
		syns = append(syns, textRow("xw_province", n, regions[n]))
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
