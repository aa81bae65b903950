package pipeline

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/goccy/go-yaml"

	"complaints/catalog"
	"complaints/transform"
	"complaints/warehouse"
)

// ScopeOptions say what a scoped copy of the warehouse holds (--as-of, --branch).
type ScopeOptions struct {
	// AsOf, when not zero, is a Beijing calendar date: only the batches ingested by the end of that day (and the
	// corrections recorded by then) are used.
	AsOf time.Time
	// Branch, when set, is a branch code, name or alias of the branch master (or, without one, a branch text as
	// the complaints hold it): only the complaints of that unit and its sub-units (branch_master.parent) are kept.
	Branch string
}

// Empty says whether the options ask for the whole warehouse as it is now.
func (o ScopeOptions) Empty() bool { return o.AsOf.IsZero() && o.Branch == "" }

// ParseAsOf reads an --as-of date (YYYY-MM-DD, a Beijing calendar date).
func ParseAsOf(s string) (time.Time, error) {
	t, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(s), warehouse.Beijing)
	if err != nil {
		return time.Time{}, fmt.Errorf("--as-of %q: give a date such as 2026-11-05 (the end of that day, Beijing time, is used)", s)
	}
	return t, nil
}

// Scoped is a temporary warehouse holding the scope asked for, normalised; reports, dashboards, lists and the
// root-cause analytics read it exactly as they read the warehouse itself. Close removes it.
type Scoped struct {
	*warehouse.Warehouse
	// Dir is the temporary folder holding the copy (inside the config's temp directory).
	Dir string
	// File is the copy's DuckDB file.
	File string
	// AsOf is the --as-of date (zero when none); End is the instant it stands for (the next day's 00:00, excluded).
	AsOf, End time.Time
	// Branch is the resolved branch code ("" when none), BranchName its name in the master (or the code), and
	// Subtree the codes kept (the branch and every unit below it).
	Branch, BranchName string
	Subtree            []string
	// landed is, with an as-of, the filter of the warehouse's landed rows the copy's landed_rows view shows (the
	// rows are read in place from the attached warehouse rather than copied).
	landed string
}

// Close closes the copy (when still open) and removes its folder.
func (s *Scoped) Close() error {
	var err error
	if s.Warehouse != nil {
		err = s.Warehouse.Close()
		s.Warehouse = nil
	}
	return errors.Join(err, os.RemoveAll(s.Dir))
}

// closeDB closes the copy's database but keeps its file (to attach it from the warehouse).
func (s *Scoped) closeDB() error {
	if s.Warehouse == nil {
		return nil
	}
	err := s.Warehouse.Close()
	s.Warehouse = nil
	return err
}

// tempBase is the folder scoped copies are made in: the config's temp directory, else "<warehouse>.tmp".
func (e *Env) tempBase() string {
	if d := e.Config.Resolve(e.Config.Warehouse.TempDirectory); d != "" {
		return d
	}
	return e.WarehouseFile() + ".tmp"
}

// removeStaleScopes removes the scoped copies left in base by processes that are gone (killed before their
// Close): a copy's folder is named scope-<pid>-<random>, and a pid that no longer runs marks it stale. Folders
// of a live pid (this process's other copies, a concurrent report) and folders named otherwise are left alone.
func removeStaleScopes(base string, log *slog.Logger) {
	entries, err := os.ReadDir(base)
	if err != nil {
		return
	}
	for _, en := range entries {
		pidText, _, ok := strings.Cut(strings.TrimPrefix(en.Name(), "scope-"), "-")
		if !en.IsDir() || !strings.HasPrefix(en.Name(), "scope-") || !ok {
			continue
		}
		pid, err := strconv.Atoi(pidText)
		if err != nil || pid <= 0 || processAlive(pid) {
			continue
		}
		p := filepath.Join(base, en.Name())
		if err := os.RemoveAll(p); err != nil && log != nil {
			log.Warn("scope: cannot remove a stale scoped copy", "dir", p, "err", err)
		} else if log != nil {
			log.Info("scope: removed a stale scoped copy of a process that is gone", "dir", p, "pid", pid)
		}
	}
}

// processAlive says whether a process with this pid exists (signal 0 checks without sending anything).
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// OpenScope builds a scoped copy of the warehouse: a temporary DuckDB file with the migrations applied into
// which the warehouse (attached read-only, so the warehouse must not be open in this process) is copied.
//
//   - With AsOf: the batches ingested by the end of that day, their rejects and snapshot gaps, and the filings
//     effective by then are copied; their landed rows are read in place (landed_rows becomes a view of the
//     warehouse, which stays attached read-only while the copy is open); and a full normalise runs over them with the config's branch master
//     and calendar, only the corrections recorded by then (see asOfCorrections), and the as-of instant as its
//     clock. Same data and same as-of give the same tables.
//   - Without AsOf: the warehouse's tables are copied as they are (with Branch, only that subtree's complaints
//     and rows).
//   - With Branch: the complaints outside the subtree, their rows and corrections, the rejects (which cannot be
//     attributed to a branch), the branch master's other units and the unknown branch texts are dropped, the marts
//     and data-quality tables are rebuilt from what is left (transform.RebuildMarts), and the batches are cut to
//     the files holding the subtree's rows, counting those rows only.
//
// The copy states its scope in warehouse_scope, which the reports and dashboards show.
func (e *Env) OpenScope(ctx context.Context, o ScopeOptions) (*Scoped, error) {
	main := e.WarehouseFile()
	if _, err := os.Stat(main); err != nil {
		return nil, fmt.Errorf("scope: no warehouse at %s: ingest some exports first", main)
	}
	base := e.tempBase()
	if err := os.MkdirAll(base, 0o755); err != nil {
		return nil, fmt.Errorf("scope: %w", err)
	}
	removeStaleScopes(base, e.logger())
	dir, err := os.MkdirTemp(base, fmt.Sprintf("scope-%d-*", os.Getpid()))
	if err != nil {
		return nil, fmt.Errorf("scope: %w", err)
	}
	s := &Scoped{Dir: dir, File: filepath.Join(dir, "scoped.duckdb")}
	if err := e.buildScope(ctx, s, main, o); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func (e *Env) buildScope(ctx context.Context, s *Scoped, main string, o ScopeOptions) error {
	start := time.Now()
	c := e.Config.Warehouse
	w, err := warehouse.Open(ctx, warehouse.Options{Path: s.File, Threads: c.Threads, MemoryLimit: c.MemoryLimit,
		TempDirectory: filepath.Join(s.Dir, "spill")})
	if err != nil {
		return fmt.Errorf("scope: %w", err)
	}
	s.Warehouse = w
	conn, err := w.DB.Conn(ctx)
	if err != nil {
		return fmt.Errorf("scope: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "ATTACH "+sqlString(main)+" AS src (READ_ONLY)"); err != nil {
		return fmt.Errorf("scope: attach the warehouse %s: %w", main, err)
	}
	attached := true
	defer func() {
		if attached {
			conn.ExecContext(context.WithoutCancel(ctx), "DETACH src")
		}
	}()
	srcTables, err := tableSet(ctx, conn, "src")
	if err != nil {
		return err
	}
	if o.Branch != "" {
		if err := resolveBranch(ctx, conn, srcTables, o.Branch, s); err != nil {
			return err
		}
	}
	corrections := e.Config.Resolve(e.Config.Corrections)
	if !o.AsOf.IsZero() {
		d := o.AsOf.In(warehouse.Beijing)
		s.AsOf = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, warehouse.Beijing)
		s.End = s.AsOf.AddDate(0, 0, 1)
		end := sqlString(s.End.Format("2006-01-02 15:04:05"))
		batches := "batch_id IN (SELECT batch_id FROM src.main.batches WHERE ingested_at < " + end + ")"
		filters := map[string]string{
			"batches": "ingested_at < " + end, "rejects": batches, "missing_from_snapshot": batches,
			"corrections_applied": "applied_at < " + end,
		}
		for k, v := range s.filingFilters(end) {
			filters[k] = v
		}
		order := []string{"batches", "rejects", "missing_from_snapshot", "corrections_applied", "filings", "filing_figures", "filing_complaints"}
		if err := copyTables(ctx, conn, srcTables, order, filters); err != nil {
			return err
		}
		// The landed rows, the bulk of the warehouse, are read in place: the warehouse stays attached while the
		// copy is open.
		s.landed = batches
		if err := s.landedView(ctx, conn, ""); err != nil {
			return err
		}
		if corrections != "" {
			if corrections, err = asOfCorrections(ctx, conn, srcTables, corrections, s); err != nil {
				return err
			}
		}
	} else {
		own, err := tableSet(ctx, conn, "")
		if err != nil {
			return err
		}
		filters := s.filingFilters("")
		var order []string
		if s.Branch != "" {
			filters["complaints"] = "coalesce(branch, '') IN (" + sqlList(s.Subtree) + ")"
			filters["landed_rows"] = "source_system || ':' || source_id IN (SELECT complaint_key FROM complaints)"
			order = []string{"complaints", "landed_rows"}
		}
		for _, t := range sortedKeys(own) {
			switch {
			case t == "schema_migrations" || t == "warehouse_scope" || t == "complaints" || t == "landed_rows":
			case s.Branch != "" && (strings.HasPrefix(t, "mart_") || t == "rejects"):
				// rebuilt from the subtree's complaints; rejects cannot be attributed to a branch
			default:
				order = append(order, t)
			}
		}
		if s.Branch == "" {
			order = append([]string{"complaints", "landed_rows"}, order...)
		}
		if err := copyTables(ctx, conn, srcTables, order, filters); err != nil {
			return err
		}
	}
	if s.landed == "" {
		if _, err := conn.ExecContext(ctx, "DETACH src"); err != nil {
			return fmt.Errorf("scope: detach the warehouse: %w", err)
		}
	}
	attached = false
	e.logger().Debug("scope copied", "as_of", s.AsOf, "branch", s.Branch, "seconds", time.Since(start).Seconds())
	if !o.AsOf.IsZero() {
		cfg := *e.Config
		cfg.Corrections = corrections
		env := *e
		env.Config = &cfg
		env.FullNormalize = true
		at := s.End.Add(-time.Second)
		env.Now = func() time.Time { return at }
		if _, err := env.Normalize(ctx, w); err != nil {
			return fmt.Errorf("scope: normalise as of %s: %w", s.AsOf.Format("2006-01-02"), err)
		}
	}
	if s.Branch != "" {
		if err := pruneToBranch(ctx, w, s); err != nil {
			return err
		}
	}
	e.logger().Debug("scope built", "as_of", s.AsOf, "branch", s.Branch, "seconds", time.Since(start).Seconds())
	return s.writeScope(ctx, w.DB)
}

// landedView makes the copy's landed_rows a view of the attached warehouse's rows within the as-of, and also
// within the complaints the copy keeps when more is given.
func (s *Scoped) landedView(ctx context.Context, q interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}, more string) error {
	where := s.landed
	stmts := []string{"DROP TABLE IF EXISTS landed_rows"} // the migrations' table, first time only
	if more != "" {
		where += " AND " + more
		stmts = nil
	}
	stmts = append(stmts, "CREATE OR REPLACE VIEW landed_rows AS SELECT * FROM src.main.landed_rows WHERE "+where)
	for _, stmt := range stmts {
		if _, err := q.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("scope: landed rows: %w", err)
		}
	}
	return nil
}

// filingFilters keep the filings of the copy's own branch scope ("" is bank-wide) and, with an as-of, those whose
// figures stand at or before it (their as-of, else their filing time).
func (s *Scoped) filingFilters(end string) map[string]string {
	f := "branch_scope = " + sqlString(s.Branch)
	if end != "" {
		f += " AND coalesce(as_of, filed_at) < " + end
	}
	ids := "filing_id IN (SELECT filing_id FROM filings)"
	return map[string]string{"filings": f, "filing_figures": ids, "filing_complaints": ids}
}

func (s *Scoped) writeScope(ctx context.Context, db *sql.DB) error {
	rows := map[string]string{}
	if !s.AsOf.IsZero() {
		rows["as_of"] = s.AsOf.Format("2006-01-02")
	}
	if s.Branch != "" {
		rows["branch"] = s.Branch
		rows["branch_name"] = s.BranchName
		rows["subtree"] = strings.Join(s.Subtree, ",")
	}
	for _, k := range sortedKeys(rows) {
		if _, err := db.ExecContext(ctx, "INSERT OR REPLACE INTO warehouse_scope VALUES (?, ?)", k, rows[k]); err != nil {
			return fmt.Errorf("scope: %w", err)
		}
	}
	return nil
}

// tableSet lists the base tables of an attached database ("" for the connection's own).
func tableSet(ctx context.Context, conn *sql.Conn, db string) (map[string]bool, error) {
	q := "SELECT table_name FROM duckdb_tables() WHERE NOT temporary AND schema_name = 'main' AND database_name = "
	if db == "" {
		q += "current_database()"
	} else {
		q += sqlString(db)
	}
	rows, err := conn.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("scope: list tables: %w", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, err
		}
		out[t] = true
	}
	return out, rows.Err()
}

// copyTables copies the tables named, in order, from the attached warehouse into the copy, with a row filter
// where one is given; a table the warehouse does not have (an older schema) is left empty.
func copyTables(ctx context.Context, conn *sql.Conn, src map[string]bool, order []string, filters map[string]string) error {
	for _, t := range order {
		if !src[t] {
			continue
		}
		q := fmt.Sprintf("INSERT INTO main.%s BY NAME SELECT * FROM src.main.%s", t, t)
		if f := filters[t]; f != "" {
			q += " WHERE " + f
		}
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("scope: copy %s: %w", t, err)
		}
	}
	return nil
}

// branchUnit is one row of the branch master.
type branchUnit struct{ code, name, aliases, parent string }

// resolveBranch finds the unit an argument names (code, then name or alias folded as the catalogue folds) and its
// subtree. Without a match in the master, a branch text the complaints hold is taken as it is (no sub-units).
func resolveBranch(ctx context.Context, conn *sql.Conn, src map[string]bool, arg string, s *Scoped) error {
	var units []branchUnit
	if src["branch_master"] {
		rows, err := conn.QueryContext(ctx, `SELECT code, coalesce(name, ''), coalesce(aliases, ''), coalesce(parent, '')
			FROM src.branch_master ORDER BY code, valid_from NULLS FIRST`)
		if err != nil {
			return fmt.Errorf("scope: branch master: %w", err)
		}
		for rows.Next() {
			var u branchUnit
			if err := rows.Scan(&u.code, &u.name, &u.aliases, &u.parent); err != nil {
				rows.Close()
				return err
			}
			units = append(units, u)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	want := catalog.Normalize(arg)
	match := map[string]bool{}
	for _, u := range units {
		if u.code == strings.TrimSpace(arg) {
			match = map[string]bool{u.code: true}
			break
		}
		spellings := append([]string{u.code, u.name}, splitAliases(u.aliases)...)
		for _, sp := range spellings {
			if sp != "" && catalog.Normalize(sp) == want {
				match[u.code] = true
			}
		}
	}
	switch len(match) {
	case 1:
		for code := range match {
			s.Branch = code
		}
	case 0:
		var n int64
		if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM src.complaints WHERE branch = ?", arg).Scan(&n); err != nil {
			return fmt.Errorf("scope: %w", err)
		}
		if n == 0 {
			return &BranchError{Arg: arg}
		}
		s.Branch, s.BranchName, s.Subtree = arg, arg, []string{arg}
		return nil
	default:
		return &BranchError{Arg: arg, Candidates: sortedKeys(match)}
	}
	children := map[string][]string{}
	s.BranchName = s.Branch
	for _, u := range units {
		if u.parent != "" && u.parent != u.code {
			children[u.parent] = append(children[u.parent], u.code)
		}
		if u.code == s.Branch && u.name != "" {
			s.BranchName = u.name
		}
	}
	seen := map[string]bool{}
	queue := []string{s.Branch}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if seen[c] {
			continue
		}
		seen[c] = true
		queue = append(queue, children[c]...)
	}
	s.Subtree = sortedKeys(seen)
	return nil
}

// BranchError is a --branch that names no unit, or more than one.
type BranchError struct {
	Arg        string
	Candidates []string
}

func (e *BranchError) Error() string {
	if len(e.Candidates) > 0 {
		return fmt.Sprintf("--branch %q names several units of the branch master (%s): give the code", e.Arg, strings.Join(e.Candidates, ", "))
	}
	return fmt.Sprintf("--branch %q is no code, name or alias of the branch master, nor a branch in the data", e.Arg)
}

func splitAliases(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == '|' || r == ';' || r == '；' })
}

// pruneToBranch cuts a copy down to the subtree's complaints and rebuilds the marts from them.
func pruneToBranch(ctx context.Context, w *warehouse.Warehouse, s *Scoped) error {
	keep := "(" + sqlList(s.Subtree) + ")"
	kept := "(SELECT complaint_key FROM complaints)"
	if _, err := w.DB.ExecContext(ctx, "DELETE FROM complaints WHERE coalesce(branch, '') NOT IN "+keep); err != nil {
		return fmt.Errorf("scope: branch %s: %w", s.Branch, err)
	}
	cut := "DELETE FROM landed_rows WHERE source_system || ':' || source_id NOT IN " + kept
	if s.landed != "" {
		if err := s.landedView(ctx, w.DB, "source_system || ':' || source_id IN (SELECT complaint_key FROM main.complaints)"); err != nil {
			return err
		}
		cut = ""
	}
	steps := []string{
		cut,
		"DELETE FROM rejects",
		"DELETE FROM missing_from_snapshot WHERE source_system || ':' || source_id NOT IN " + kept,
		"DELETE FROM corrections WHERE complaint_key NOT IN " + kept,
		"DELETE FROM corrections_applied WHERE complaint_key NOT IN " + kept,
		"DELETE FROM branch_master WHERE code NOT IN " + keep,
		"UPDATE branch_master SET parent = NULL WHERE parent NOT IN " + keep,
		"UPDATE branch_master SET successor = NULL WHERE successor NOT IN " + keep,
	}
	for _, q := range steps {
		if q == "" {
			continue
		}
		if _, err := w.DB.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("scope: branch %s: %w", s.Branch, err)
		}
	}
	if err := transform.RebuildMarts(ctx, w); err != nil {
		return fmt.Errorf("scope: branch %s: %w", s.Branch, err)
	}
	// After the marts (whose months run to the newest export's as-of over every batch): the files shown are those
	// holding the subtree's rows, counting those rows only.
	after := []string{
		"DELETE FROM unknown_branches",
		"DELETE FROM corrections_unmatched WHERE complaint_key NOT IN " + kept,
		"DELETE FROM batches WHERE batch_id NOT IN (SELECT DISTINCT batch_id FROM landed_rows)",
		`UPDATE batches SET rows_accepted = n, rows_read = n, rows_rejected = 0
		 FROM (SELECT batch_id AS b, count(*) AS n FROM landed_rows GROUP BY ALL) AS kept_rows WHERE batches.batch_id = kept_rows.b`,
	}
	for _, q := range after {
		if _, err := w.DB.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("scope: branch %s: %w", s.Branch, err)
		}
	}
	return nil
}

// asOfCorrections writes the corrections in effect at the as-of to a file in the copy's folder and returns its
// path. A correction is in effect when its `when` starts with a date (YYYY-MM-DD) on or before the as-of date;
// without a readable `when`, when the warehouse's audit (corrections_applied) shows it first applied before the
// end of the as-of day. Others (recorded later, or never applied) are left out.
func asOfCorrections(ctx context.Context, conn *sql.Conn, src map[string]bool, path string, s *Scoped) (string, error) {
	cs, err := transform.ReadCorrections(path)
	if err != nil {
		return "", err
	}
	applied := map[string]time.Time{}
	if src["corrections_applied"] {
		rows, err := conn.QueryContext(ctx, `SELECT complaint_key, action, coalesce(field, ''), coalesce(who, ''),
			coalesce("when", ''), coalesce(why, ''), min(applied_at) FROM src.corrections_applied GROUP BY ALL`)
		if err != nil {
			return "", fmt.Errorf("scope: corrections audit: %w", err)
		}
		for rows.Next() {
			var k, a, f, who, when, why string
			var at time.Time
			if err := rows.Scan(&k, &a, &f, &who, &when, &why, &at); err != nil {
				rows.Close()
				return "", err
			}
			applied[strings.Join([]string{k, a, f, who, when, why}, "\x00")] = warehouse.FromWallClock(at)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return "", err
		}
	}
	var keep []transform.Correction
	for _, c := range cs {
		when := strings.TrimSpace(c.When)
		if len(when) >= 10 {
			if d, err := time.ParseInLocation("2006-01-02", when[:10], warehouse.Beijing); err == nil {
				if d.Before(s.End) {
					keep = append(keep, c)
				}
				continue
			}
		}
		key := strings.Join([]string{strings.TrimSpace(c.Complaint), c.Action, strings.TrimSpace(c.Field),
			strings.TrimSpace(c.Who), when, strings.TrimSpace(c.Why)}, "\x00")
		if at, ok := applied[key]; ok && at.Before(s.End) {
			keep = append(keep, c)
		}
	}
	out := filepath.Join(s.Dir, "corrections-as-of.yaml")
	b := []byte("[]\n")
	if len(keep) > 0 {
		if b, err = yaml.Marshal(keep); err != nil {
			return "", fmt.Errorf("scope: corrections: %w", err)
		}
	}
	if err := os.WriteFile(out, b, 0o600); err != nil {
		return "", fmt.Errorf("scope: corrections: %w", err)
	}
	return out, nil
}

func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func sqlList(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = sqlString(x)
	}
	return strings.Join(q, ", ")
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
