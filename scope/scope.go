// Package scope owns the scoped copies of the warehouse that --as-of and --branch read: a temporary DuckDB
// file built table by table from an explicit policy (Policies: copy, filter, prune to the branch subtree,
// rebuild, drop, with a rule for --as-of and one for --branch), the unit a --branch argument names and its
// subtree, and the corrections in effect at an as-of. A warehouse table with no policy makes it refuse, and the
// user's values (branch, dates) reach SQL as bound parameters only. Reports, dashboards, lists and the
// root-cause analytics read a copy exactly as they read the warehouse itself.
package scope

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"complaints/internal/sqlrows"
	"complaints/transform"
	"complaints/warehouse"
)

// Options say what a scoped copy of the warehouse holds (--as-of, --branch).
type Options struct {
	// AsOf, when not zero, is a Beijing calendar date: only the batches ingested by the end of that day (and the
	// corrections recorded by then) are used.
	AsOf time.Time
	// Branch, when set, is a branch code, name or alias of the branch master (or, without one, a branch text as
	// the complaints hold it): only the complaints of that unit and its sub-units (branch_master.parent) are kept.
	Branch string
}

// Empty says whether the options ask for the whole warehouse as it is now.
func (o Options) Empty() bool { return o.AsOf.IsZero() && o.Branch == "" }

// ParseAsOf reads an --as-of date (YYYY-MM-DD, a Beijing calendar date).
func ParseAsOf(s string) (time.Time, error) {
	t, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(s), warehouse.Beijing)
	if err != nil {
		return time.Time{}, fmt.Errorf("--as-of %q: give a date such as 2026-11-05 (the end of that day, Beijing time, is used)", s)
	}
	return t, nil
}

// Source is what a copy is made from and with.
type Source struct {
	// Warehouse is the warehouse file; it is attached read-only, so it must not be open in this process.
	Warehouse string
	// TempBase is the folder the copies are made in (one scope-<pid>-<random> folder each).
	TempBase string
	// Threads and MemoryLimit are the copy's DuckDB settings (warehouse.Options).
	Threads     int
	MemoryLimit string
	// Corrections is the corrections file in effect ("" for none).
	Corrections string
	// Normalize runs a full normalise of an --as-of copy with the corrections file given and at as its clock.
	Normalize func(ctx context.Context, w *warehouse.Warehouse, corrections string, at time.Time) error
	Logger    *slog.Logger
}

// Scoped is a temporary warehouse holding the scope asked for, normalised. Close removes it.
type Scoped struct {
	*warehouse.Warehouse
	// Dir is the temporary folder holding the copy (inside Source.TempBase).
	Dir string
	// File is the copy's DuckDB file.
	File string
	// AsOf is the --as-of date (zero when none); End is the instant it stands for (the next day's 00:00, excluded).
	AsOf, End time.Time
	// Branch is the resolved branch code ("" when none), BranchName its name in the master (or the code), and
	// Subtree the codes kept (the branch and every unit below it).
	Branch, BranchName string
	Subtree            []string
	// inPlace holds, per table read in place from the attached warehouse (a view), the condition of its rows.
	inPlace map[string]string
	// filtered are the tables a --branch copy pruned when copying them.
	filtered map[string]bool
}

// Close closes the copy (when still open) and removes its folder.
func (c *Scoped) Close() error {
	var err error
	if c.Warehouse != nil {
		err = c.Warehouse.Close()
		c.Warehouse = nil
	}
	return errors.Join(err, os.RemoveAll(c.Dir))
}

// CloseDB closes the copy's database but keeps its file (to attach it from the warehouse).
func (c *Scoped) CloseDB() error {
	if c.Warehouse == nil {
		return nil
	}
	err := c.Warehouse.Close()
	c.Warehouse = nil
	return err
}

// Open builds a scoped copy of the warehouse: a temporary DuckDB file with the migrations applied into which the
// warehouse (attached read-only) is copied table by table as Policies say.
//
//   - With AsOf: each table's AsOf rule: the batches ingested by the end of that day, their rejects and
//     snapshot gaps, the corrections audit and the filings effective by then are copied; the landed rows are
//     read in place (landed_rows becomes a view of the warehouse, which stays attached read-only while the copy
//     is open); then Source.Normalize runs a full normalise over them with only the corrections recorded by then
//     (see asOfCorrections) and the as-of instant as its clock. Same data and same as-of give the same tables.
//   - With Branch: each table's Branch rule: the complaints outside the subtree, their rows and corrections,
//     the branch master's other units are pruned (when copying, or from what the as-of step left); the marts
//     and data-quality tables are rebuilt from what is left (transform.RebuildMarts); the dropped tables
//     (rejects, which cannot be attributed to a branch; other units' unknown branch texts) are emptied; and the
//     batches are cut to the files holding the subtree's rows, counting those rows only.
//
// The copy states its scope in warehouse_scope, which the reports and dashboards show.
func Open(ctx context.Context, src Source, o Options) (*Scoped, error) {
	if err := validate(Policies); err != nil {
		return nil, err
	}
	if o.Empty() {
		return nil, errors.New("scope: neither an as-of nor a branch: read the warehouse itself")
	}
	if _, err := os.Stat(src.Warehouse); err != nil {
		return nil, fmt.Errorf("scope: no warehouse at %s: ingest some exports first", src.Warehouse)
	}
	if err := os.MkdirAll(src.TempBase, 0o755); err != nil {
		return nil, fmt.Errorf("scope: %w", err)
	}
	removeStaleScopes(src.TempBase, src.Logger)
	dir, err := os.MkdirTemp(src.TempBase, fmt.Sprintf("scope-%d-*", os.Getpid()))
	if err != nil {
		return nil, fmt.Errorf("scope: %w", err)
	}
	c := &Scoped{Dir: dir, File: filepath.Join(dir, "scoped.duckdb"), inPlace: map[string]string{}, filtered: map[string]bool{}}
	if err := c.build(ctx, src, o); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

func (c *Scoped) build(ctx context.Context, src Source, o Options) error {
	log := src.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	start := time.Now()
	w, err := warehouse.Open(ctx, warehouse.Options{Path: c.File, Threads: src.Threads, MemoryLimit: src.MemoryLimit,
		TempDirectory: filepath.Join(c.Dir, "spill")})
	if err != nil {
		return fmt.Errorf("scope: %w", err)
	}
	c.Warehouse = w
	conn, err := w.DB.Conn(ctx)
	if err != nil {
		return fmt.Errorf("scope: %w", err)
	}
	defer conn.Close()
	if err := AttachReadOnly(ctx, conn, src.Warehouse, "src"); err != nil {
		return fmt.Errorf("scope: attach the warehouse %s: %w", src.Warehouse, err)
	}
	attached := true
	defer func() {
		if attached {
			conn.ExecContext(context.WithoutCancel(ctx), "DETACH src")
		}
	}()
	srcRel, err := relations(ctx, conn, "src")
	if err != nil {
		return err
	}
	own, err := relations(ctx, conn, "")
	if err != nil {
		return err
	}
	if err := Check(append(srcRel.names(), own.names()...)); err != nil {
		return err
	}
	if o.Branch != "" {
		if err := resolveBranch(ctx, conn, srcRel.tables, o.Branch, c); err != nil {
			return err
		}
	}
	corrections := src.Corrections
	if !o.AsOf.IsZero() {
		d := o.AsOf.In(warehouse.Beijing)
		c.AsOf = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, warehouse.Beijing)
		c.End = c.AsOf.AddDate(0, 0, 1)
		if err := c.copyTables(ctx, conn, srcRel, own, func(p Policy) Rule { return p.AsOf }); err != nil {
			return err
		}
		if corrections != "" {
			if corrections, err = asOfCorrections(ctx, conn, srcRel.tables, corrections, c); err != nil {
				return err
			}
		}
	} else if err := c.copyTables(ctx, conn, srcRel, own, func(p Policy) Rule { return p.Branch }); err != nil {
		return err
	}
	if len(c.inPlace) == 0 {
		if _, err := conn.ExecContext(ctx, "DETACH src"); err != nil {
			return fmt.Errorf("scope: detach the warehouse: %w", err)
		}
	}
	attached = false
	log.Debug("scope copied", "as_of", c.AsOf, "branch", c.Branch, "seconds", time.Since(start).Seconds())
	if !o.AsOf.IsZero() {
		if src.Normalize == nil {
			return errors.New("scope: no normalise for an as-of copy")
		}
		if err := src.Normalize(ctx, w, corrections, c.End.Add(-time.Second)); err != nil {
			return fmt.Errorf("scope: normalise as of %s: %w", c.AsOf.Format("2006-01-02"), err)
		}
	}
	if c.Branch != "" {
		if err := c.pruneToBranch(ctx, w.DB, own); err != nil {
			return fmt.Errorf("scope: branch %s: %w", c.Branch, err)
		}
	}
	log.Debug("scope built", "as_of", c.AsOf, "branch", c.Branch, "seconds", time.Since(start).Seconds())
	return c.writeScope(ctx, w.DB)
}

// execer is a database or a connection.
type execer interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}

// copyTables fills the copy from the attached warehouse, table by table in the policies' order, by the rule
// rule picks. A table only one side has is skipped (left as the copy's migrations made it); views are never
// copied.
func (c *Scoped) copyTables(ctx context.Context, conn *sql.Conn, src, own relationSet, rule func(Policy) Rule) error {
	for _, p := range Policies {
		r := rule(p)
		t := p.Table
		if !src.tables[t] || !own.tables[t] {
			continue
		}
		copyAll := fmt.Sprintf("INSERT INTO main.%s BY NAME SELECT * FROM src.main.%s", t, t)
		var err error
		switch {
		case r.Action == Copy, r.Action == Prune && r.After:
			_, err = conn.ExecContext(ctx, copyAll)
		case r.Action == Filter && r.InPlace:
			c.inPlace[t] = r.Where.Text
			if _, err = conn.ExecContext(ctx, "DROP TABLE main."+t); err == nil { // the migrations' table
				err = c.inPlaceView(ctx, conn, t, "")
			}
		case r.Action == Filter, r.Action == Prune:
			where, args := c.bind(r.Where)
			_, err = conn.ExecContext(ctx, copyAll+" WHERE "+where, args...)
			c.filtered[t] = r.Action == Prune
		}
		if err != nil {
			return fmt.Errorf("scope: copy %s: %w", t, err)
		}
	}
	return nil
}

// inPlaceView makes a table read in place a view of the attached warehouse's rows within its filter, and
// within more when given.
func (c *Scoped) inPlaceView(ctx context.Context, q execer, table, more string) error {
	where := "(" + c.inPlace[table] + ")"
	if more != "" {
		where += " AND (" + more + ")"
	}
	_, err := q.ExecContext(ctx, fmt.Sprintf("CREATE OR REPLACE VIEW main.%s AS SELECT * FROM src.main.%s WHERE %s", table, table, where))
	return err
}

// pruneToBranch cuts the copy down to the subtree's complaints (Prune), rebuilds the marts from them
// (transform.RebuildMarts), empties the tables a branch copy drops, and prunes the tables that must wait for the
// rebuild (After). own is the set of the copy's tables as its migrations made them.
func (c *Scoped) pruneToBranch(ctx context.Context, db *sql.DB, own relationSet) error {
	for _, p := range Policies {
		if r := p.Branch; r.Action == Prune && !r.After && own.tables[p.Table] {
			if err := c.prune(ctx, db, p.Table, r); err != nil {
				return err
			}
		}
	}
	if err := transform.RebuildMarts(ctx, c.Warehouse); err != nil {
		return err
	}
	for _, p := range Policies {
		if p.Branch.Action == Drop && own.tables[p.Table] {
			if _, err := db.ExecContext(ctx, "DELETE FROM main."+p.Table); err != nil {
				return fmt.Errorf("drop %s: %w", p.Table, err)
			}
		}
	}
	for _, p := range Policies {
		if r := p.Branch; r.Action == Prune && r.After && own.tables[p.Table] {
			if err := c.prune(ctx, db, p.Table, r); err != nil {
				return err
			}
		}
	}
	return nil
}

// prune deletes a table's rows outside the subtree (unless the copy already filtered it), or narrows the view
// of a table read in place; then runs the rule's Then.
func (c *Scoped) prune(ctx context.Context, db *sql.DB, table string, r Rule) error {
	var err error
	switch {
	case c.inPlace[table] != "":
		err = c.inPlaceView(ctx, db, table, r.Where.Text)
	case !c.filtered[table]:
		where, args := c.bind(r.Where)
		_, err = db.ExecContext(ctx, "DELETE FROM main."+table+" WHERE NOT ("+where+")", args...)
	}
	for _, s := range r.Then {
		if err != nil {
			break
		}
		text, args := c.bind(s)
		_, err = db.ExecContext(ctx, text, args...)
	}
	if err != nil {
		return fmt.Errorf("prune %s: %w", table, err)
	}
	return nil
}

// bind gives a rule's SQL with its parameters' values: a Subtree ? becomes one ? per code.
func (c *Scoped) bind(s SQL) (string, []any) {
	var b strings.Builder
	var args []any
	i := 0
	for _, r := range s.Text {
		if r != '?' || i >= len(s.Args) {
			b.WriteRune(r)
			continue
		}
		switch s.Args[i] {
		case End:
			args = append(args, c.End.Format("2006-01-02 15:04:05"))
			b.WriteRune('?')
		case Branch:
			args = append(args, c.Branch)
			b.WriteRune('?')
		case Subtree:
			b.WriteString(placeholders(len(c.Subtree)))
			for _, code := range c.Subtree {
				args = append(args, code)
			}
		}
		i++
	}
	return b.String(), args
}

func (c *Scoped) writeScope(ctx context.Context, db *sql.DB) error {
	rows := map[string]string{}
	if !c.AsOf.IsZero() {
		rows["as_of"] = c.AsOf.Format("2006-01-02")
	}
	if c.Branch != "" {
		rows["branch"] = c.Branch
		rows["branch_name"] = c.BranchName
		rows["subtree"] = strings.Join(c.Subtree, ",")
	}
	for _, k := range sortedKeys(rows) {
		if _, err := db.ExecContext(ctx, "INSERT OR REPLACE INTO warehouse_scope VALUES (?, ?)", k, rows[k]); err != nil {
			return fmt.Errorf("scope: %w", err)
		}
	}
	return nil
}

// relationSet is the tables and views of one database's main schema.
type relationSet struct{ tables, views map[string]bool }

func (r relationSet) names() []string {
	out := append(sortedKeys(r.tables), sortedKeys(r.views)...)
	return out
}

// relations lists the tables and views of an attached database ("" for the connection's own).
func relations(ctx context.Context, conn *sql.Conn, db string) (relationSet, error) {
	type rel struct {
		name string
		view bool
	}
	cond := "database_name = current_database()"
	var args []any
	if db != "" {
		cond, args = "database_name = ?", []any{db, db}
	}
	rs, err := sqlrows.Query(ctx, conn, func(r *rel) []any { return []any{&r.name, &r.view} },
		`SELECT table_name, false FROM duckdb_tables() WHERE NOT temporary AND schema_name = 'main' AND `+cond+`
		 UNION ALL SELECT view_name, true FROM duckdb_views() WHERE NOT internal AND NOT temporary AND schema_name = 'main' AND `+cond,
		args...)
	if err != nil {
		return relationSet{}, fmt.Errorf("scope: list tables: %w", err)
	}
	out := relationSet{tables: map[string]bool{}, views: map[string]bool{}}
	for _, r := range rs {
		if r.view {
			out.views[r.name] = true
		} else {
			out.tables[r.name] = true
		}
	}
	return out, nil
}
