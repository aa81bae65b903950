// Package warehouse owns the DuckDB file: opening it with explicit settings, the numbered schema migrations,
// the clear message when another process holds the file, and the Beijing wall-clock time convention. It must
// not know input formats, categories or reports.
package warehouse

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"complaints/catalog"
	"complaints/internal/sqlrows"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Options are the DuckDB settings the warehouse is opened with. Every one is set explicitly so that a run does
// not depend on DuckDB's defaults (which take all memory and cores, and may download extensions).
type Options struct {
	// Path of the DuckDB file; ":memory:" or "" for an in-memory warehouse (tests).
	Path string
	// Threads DuckDB may use; 0 means the number of CPUs.
	Threads int
	// MemoryLimit such as "1GB"; empty means "1GB" (config.DefaultMemoryLimit).
	MemoryLimit string
	// TempDirectory for spilling; empty means "<path>.tmp".
	TempDirectory string
	// ReadOnly opens the file without write access (several readers may share it).
	ReadOnly bool
	// FileMode is the permission the warehouse file and its WAL are given when opened for writing and when
	// closed; 0 means 0600 (config privacy.file_mode).
	FileMode os.FileMode
}

// Warehouse is an open DuckDB warehouse with its schema migrated.
type Warehouse struct {
	DB        *sql.DB
	Path      string
	connector *duckdb.Connector
	mode      os.FileMode // 0: read-only or in memory, the files are left alone
}

// Open opens (creating if needed) the warehouse file and applies any pending migrations.
func Open(ctx context.Context, opts Options) (*Warehouse, error) {
	path := opts.Path
	if path == ":memory:" {
		path = ""
	}
	if path != "" {
		if dir := filepath.Dir(path); dir != "" {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return nil, fmt.Errorf("warehouse %q: create folder: %w", path, err)
			}
		}
	}
	threads := opts.Threads
	if threads <= 0 {
		threads = runtime.NumCPU()
	}
	mem := opts.MemoryLimit
	if mem == "" {
		mem = "1GB"
	}
	tmp := opts.TempDirectory
	if tmp == "" {
		if path == "" {
			tmp = filepath.Join(os.TempDir(), "complaints-duckdb-tmp")
		} else {
			tmp = path + ".tmp"
		}
	}
	settings := []string{
		"threads=" + strconv.Itoa(threads),
		"memory_limit=" + mem,
		"temp_directory=" + tmp,
		"autoinstall_known_extensions=false",
		"autoload_known_extensions=false",
		// jemalloc's background threads give freed pages back to the system as the work goes, instead of at
		// the end of a task: the resident memory follows the memory limit more closely (docs/decisions.md,
		// "Memory limit 1GB by default")
		"allocator_background_threads=true",
	}
	if opts.ReadOnly {
		settings = append(settings, "access_mode=READ_ONLY")
	}
	dsn := path + "?" + strings.Join(settings, "&")
	connector, err := duckdb.NewConnector(dsn, func(execer driver.ExecerContext) error {
		// Every connection sees Beijing as its time zone, so that functions such as now() and
		// current_date agree with the wall-clock values stored in the tables.
		_, err := execer.ExecContext(context.Background(), "SET TimeZone = 'Asia/Shanghai'", nil)
		return err
	})
	if err != nil {
		return nil, explainOpenError(path, err)
	}
	db := sql.OpenDB(connector)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, explainOpenError(path, err)
	}
	w := &Warehouse{DB: db, Path: path, connector: connector}
	if err := w.checkSchema(ctx, opts.ReadOnly); err != nil {
		db.Close()
		return nil, err
	}
	if !opts.ReadOnly && path != "" {
		w.mode = opts.FileMode
		if w.mode == 0 {
			w.mode = 0o600
		}
	}
	if !opts.ReadOnly {
		if _, err := w.Migrate(ctx); err != nil {
			db.Close()
			return nil, err
		}
	}
	w.restrict()
	return w, nil
}

// restrict gives the warehouse file and its WAL (when there is one) the configured permission: DuckDB creates
// them with the process umask's.
func (w *Warehouse) restrict() {
	if w.mode == 0 {
		return
	}
	for _, p := range []string{w.Path, w.Path + ".wal"} {
		_ = os.Chmod(p, w.mode) // absent (no WAL) is fine
	}
}

// Close closes the warehouse.
func (w *Warehouse) Close() error {
	w.restrict()
	err := w.DB.Close()
	if w.connector != nil {
		if cerr := w.connector.Close(); err == nil {
			err = cerr
		}
	}
	w.restrict()
	return err
}

// Meta returns the value stored under name in warehouse_meta, "" when there is none.
func (w *Warehouse) Meta(ctx context.Context, name string) (string, error) {
	var v string
	err := w.DB.QueryRowContext(ctx, "SELECT value FROM warehouse_meta WHERE name = ?", name).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("warehouse %q: read warehouse_meta: %w", w.Path, err)
	}
	return v, nil
}

// SetMetaOnce stores value under name unless a value is already there, and returns the value in effect.
func (w *Warehouse) SetMetaOnce(ctx context.Context, name, value string) (string, error) {
	if _, err := w.DB.ExecContext(ctx, "INSERT INTO warehouse_meta VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
		name, value, WallClock(time.Now())); err != nil {
		return "", fmt.Errorf("warehouse %q: write warehouse_meta: %w", w.Path, err)
	}
	return w.Meta(ctx, name)
}

// Connector is the DuckDB connector, for the Appender (ingest's landing).
func (w *Warehouse) Connector() *duckdb.Connector { return w.connector }

// EngineVersion is the version of the embedded DuckDB library ("unknown" when it cannot say).
func EngineVersion() string {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return "unknown"
	}
	defer db.Close()
	var v string
	if err := db.QueryRow("SELECT version()").Scan(&v); err != nil {
		return "unknown"
	}
	return v
}

// Migration is one numbered schema file.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations lists the embedded migrations in version order.
func Migrations() ([]Migration, error) {
	entries, err := fs.ReadDir(migrationFS, "migrations")
	if err != nil {
		return nil, err
	}
	var out []Migration
	for _, e := range entries {
		name := e.Name()
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %q: name must start with a number and an underscore", name)
		}
		b, err := migrationFS.ReadFile("migrations/" + name)
		if err != nil {
			return nil, err
		}
		out = append(out, Migration{Version: v, Name: strings.TrimSuffix(name, ".sql"), SQL: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	for i := 1; i < len(out); i++ {
		if out[i].Version == out[i-1].Version {
			return nil, fmt.Errorf("migrations %q and %q share version %d", out[i-1].Name, out[i].Name, out[i].Version)
		}
	}
	return out, nil
}

// Migrate applies the migrations not yet recorded in schema_migrations, each in its own transaction, and
// returns the names it applied (none when the schema is current).
func (w *Warehouse) Migrate(ctx context.Context) ([]string, error) {
	if _, err := w.DB.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)`); err != nil {
		return nil, fmt.Errorf("warehouse %q: create schema_migrations: %w", w.Path, err)
	}
	migs, err := Migrations()
	if err != nil {
		return nil, err
	}
	var applied []string
	for _, m := range migs {
		var n int
		if err := w.DB.QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations WHERE version = ?", m.Version).Scan(&n); err != nil {
			return applied, fmt.Errorf("warehouse %q: read schema_migrations: %w", w.Path, err)
		}
		if n > 0 {
			continue
		}
		if err := w.applyMigration(ctx, m); err != nil {
			return applied, err
		}
		applied = append(applied, m.Name)
	}
	return applied, nil
}

// checkSchema refuses a warehouse that a newer version of the program migrated: a version in schema_migrations
// that this binary does not embed means tables it does not know how to read or keep consistent. Opened
// read-only, it also refuses one that misses a migration of this binary (an earlier program's warehouse): it
// cannot be upgraded without write access, and reading it would fail on what the migration adds.
func (w *Warehouse) checkSchema(ctx context.Context, readOnly bool) error {
	var exists int
	if err := w.DB.QueryRowContext(ctx, `SELECT count(*) FROM duckdb_tables() WHERE table_name = 'schema_migrations' AND schema_name = 'main'`).Scan(&exists); err != nil || exists == 0 {
		return nil
	}
	migs, err := Migrations()
	if err != nil {
		return err
	}
	known := map[int]bool{}
	for _, m := range migs {
		known[m.Version] = true
	}
	type applied struct {
		version int
		name    string
	}
	done, err := sqlrows.Query(ctx, w.DB, func(a *applied) []any { return []any{&a.version, &a.name} },
		"SELECT version, name FROM schema_migrations ORDER BY version")
	if err != nil {
		return fmt.Errorf("warehouse %q: read schema_migrations: %w", w.Path, err)
	}
	have := map[int]bool{}
	for _, a := range done {
		if !known[a.version] {
			return catalog.Errorf("msg_misc_warehouse_newer", w.Path, a.name, migs[len(migs)-1].Name)
		}
		have[a.version] = true
	}
	// A read-only open cannot migrate, and the read side's tables, views and macros may not exist yet.
	for _, m := range migs {
		if readOnly && !have[m.Version] {
			return catalog.Errorf("msg_misc_warehouse_older", w.Path, m.Name)
		}
	}
	return nil
}

func (w *Warehouse) applyMigration(ctx context.Context, m Migration) error {
	tx, err := w.DB.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("warehouse %q: migration %s: begin: %w", w.Path, m.Name, err)
	}
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		tx.Rollback()
		return fmt.Errorf("warehouse %q: migration %s: %w", w.Path, m.Name, err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations VALUES (?, ?, ?)", m.Version, m.Name, WallClock(time.Now())); err != nil {
		tx.Rollback()
		return fmt.Errorf("warehouse %q: migration %s: record: %w", w.Path, m.Name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("warehouse %q: migration %s: commit: %w", w.Path, m.Name, err)
	}
	return nil
}

// ErrLocked is returned (wrapped) when another process holds the warehouse file.
var ErrLocked = errors.New("warehouse in use")

var lockPID = regexp.MustCompile(`PID (\d+)`)

// explainOpenError turns DuckDB's lock conflict into one sentence naming the file and the process holding it.
func explainOpenError(path string, err error) error {
	msg := err.Error()
	if strings.Contains(msg, "Could not set lock") || strings.Contains(msg, "Conflicting lock") {
		holder := "another process"
		if m := lockPID.FindStringSubmatch(msg); m != nil {
			holder = "process " + m[1]
			if cmd := processName(m[1]); cmd != "" {
				holder += " (" + cmd + ")"
			}
		}
		return fmt.Errorf("%w: the warehouse %s is being used by %s; wait for it to finish or stop it, then run again (or point --warehouse at another file)", ErrLocked, path, holder)
	}
	return fmt.Errorf("open warehouse %q: %w", path, err)
}

func processName(pid string) string {
	b, err := os.ReadFile("/proc/" + pid + "/cmdline")
	if err != nil || len(b) == 0 {
		return ""
	}
	args := strings.Split(strings.TrimRight(string(b), "\x00"), "\x00")
	s := strings.Join(args, " ")
	if len(s) > 80 {
		s = s[:77] + "..."
	}
	return s
}

// UnorderedWrites sets DuckDB's preserve_insertion_order to false for a transaction that writes many rows, and
// returns what puts the setting back (it is global to the database). With insertion order kept, DuckDB (1.5.6,
// and 2.0.0 too) silently loses every row of an INSERT of more than a row group or so that follows an INSERT of
// no rows into the same table in the same transaction (ingest's TestLargeLedgerKeepsEverySighting); without it,
// DuckDB writes the rows another way. A write may use it when nothing it does depends on the order rows are
// stored in. query reads one boolean, exec runs a statement (on the writing connection or the database).
func UnorderedWrites(query func(string) (bool, error), exec func(string) error) (restore func(), err error) {
	keep, err := query("SELECT current_setting('preserve_insertion_order')")
	if err != nil {
		return nil, fmt.Errorf("warehouse settings: %w", err)
	}
	if err := exec("SET preserve_insertion_order = false"); err != nil {
		return nil, fmt.Errorf("warehouse settings: %w", err)
	}
	return func() { exec(fmt.Sprintf("SET preserve_insertion_order = %t", keep)) }, nil
}

// sqlConn is what *sql.DB and *sql.Conn both do.
type sqlConn interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// UnorderedWritesOn is UnorderedWrites on a database or a connection of it (the setting is put back even after
// ctx is cancelled).
func UnorderedWritesOn(ctx context.Context, c sqlConn) (restore func(), err error) {
	return UnorderedWrites(func(q string) (b bool, err error) { err = c.QueryRowContext(ctx, q).Scan(&b); return b, err },
		func(q string) error { _, err := c.ExecContext(context.WithoutCancel(ctx), q); return err })
}
