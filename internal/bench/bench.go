// Package bench owns `complaints bench`: the scenarios that measure the pipeline against its floor, DuckDB alone
// on the same files, in one run. The ledger scenario generates a bank of cumulative monthly ledgers
// (`complaints sample --ledgers monthly`), lands DuckDB's persistent floor, runs the first load (ingest and
// normalise of every ledger but the last), then the monthly floor and the monthly job on the last ledger (ingest,
// normalise, report, dashboard). Every step is a process of its own (the complaints binary), so each step's peak
// RSS is its own; Run prints each step's time, rows/s, peak RSS and its ratio to the floor.
//
// The plain scenario (RunPlain, plain.go) is the "plain million": the last two ledgers of such a bank and
// the hotline's GB18030 export, landed by DuckDB alone (the persistent floor) and then taken by `complaints run`
// end to end.
//
// The scale scenario (RunScale, scale.go) compares the first load of a large bank (10M complaints) with a small
// one's (1M) in one run, and gives the large bank's peak RSS through its monthly job.
//
// It also owns the floors' SQL (floor.go). Figures go into docs/performance.md, never into tests.
package bench

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"complaints/catalog"
	"complaints/internal/textwidth"
)

// ChildEnv is set in the environment of every step's process: a test binary that runs the steps as itself
// (os.Executable) dispatches to the command line when it sees it.
const ChildEnv = "COMPLAINTS_BENCH_CHILD"

// benchKey keys the bench's invented data; the bench's warehouse is its own and holds nothing real.
const benchKey = "complaints-bench-invented-data-key"

// Options choose the scenario.
type Options struct {
	Dir      string    // working folder: project/ (exports, warehouse), floor.duckdb, logs/, report and dashboard
	Rows     int       // distinct complaints
	Months   int       // monthly ledgers (at least 2: the first load takes all but the last); plain: the window's months
	Hotline  int       // plain: the hotline's complaint calls
	BaseRows int       // scale: the small bank's distinct complaints
	Seed     int64     // the generator's seed
	End      time.Time // the last ledger's month
	Exe      string    // the complaints binary each step runs
}

// Floor names the floor a step is compared with.
type Floor string

const (
	NoFloor    Floor = ""
	Persistent Floor = "persistent"
	Monthly    Floor = "monthly"
)

// Step is one measured step (or the sum of several: Sum).
type Step struct {
	Key     string  // catalogue label key: msg_bench_step_<name>
	Args    []any   // the label's arguments
	Rows    int     // rows the step handles
	Seconds float64 // wall time
	PeakRSS int64   // bytes, the step's process (the largest of a sum's)
	Floor   Floor
	Ratio   float64 // Seconds over the floor's (0: none)
	Sum     bool
}

// Result is a run's steps and sizes.
type Result struct {
	Steps          []Step
	WarehouseBytes int64 // the warehouse after the monthly job
	// VersionsBytes is the warehouse of a project landing each distinct version of the ledgers once, from
	// VersionsRows rows (versions.go)
	VersionsBytes int64
	VersionsRows  int
	FloorBytes    int64   // the persistent floor's database file after the first load's files
	FirstRows     int     // rows of the first load's ledgers (plain: of both ledgers)
	NextRows      int     // rows of the last ledger
	HotlineRows   int     // plain: rows of the hotline's export
	MonthlyShare  float64 // the monthly job's four processes against the first load
	// MonthlyRunShare: the same job as one `complaints run` (one process: the root-cause findings worked out
	// once for the report and the dashboard)
	MonthlyRunShare float64
}

// floorWritesDB is the database file of the monthly job's least writes (floor.go), in the working folder.
const floorWritesDB = "floor-writes.duckdb"

// table runs a scenario's steps as processes and prints them as rows of its table.
type table struct {
	ctx    context.Context
	exe    string
	logs   string
	out    io.Writer
	r      *Result
	floors map[Floor]float64
}

// start empties the working folder of an earlier bench's project, logs and floor, and prints the header line
// and the table's column heads.
func start(ctx context.Context, opts Options, out io.Writer, header string) (t *table, dir, project, floorDB string, err error) {
	if dir, err = filepath.Abs(opts.Dir); err != nil {
		return nil, "", "", "", err
	}
	project, logs := filepath.Join(dir, "project"), filepath.Join(dir, "logs")
	floorDB = filepath.Join(dir, "floor.duckdb")
	writesDB := filepath.Join(dir, floorWritesDB)
	for _, p := range []string{project, logs, floorDB, floorDB + ".wal", writesDB, writesDB + ".wal", filepath.Join(dir, plainHotlineUTF8)} {
		if err := os.RemoveAll(p); err != nil {
			return nil, "", "", "", err
		}
	}
	if err := os.MkdirAll(logs, 0o755); err != nil {
		return nil, "", "", "", err
	}
	t = &table{ctx: ctx, exe: opts.Exe, logs: logs, out: out, r: &Result{}, floors: map[Floor]float64{}}
	fmt.Fprintln(out, header)
	col := func(key string, w int) string { return padLeft(catalog.Msg(key).Error(), w) }
	fmt.Fprintf(out, "%s %s %s %s %s  %s\n", pad(catalog.Msg("msg_bench_col_step").Error(), 54), col("msg_bench_col_rows", 11),
		col("msg_bench_col_seconds", 9), col("msg_bench_col_rate", 10), col("msg_bench_col_rss", 8), catalog.Msg("msg_bench_col_ratio"))
	return t, dir, project, floorDB, nil
}

// show adds a step to the result, with its ratio to its floor, and prints its row.
func (t *table) show(s Step) {
	if f := t.floors[s.Floor]; f > 0 && s.Floor != NoFloor {
		s.Ratio = s.Seconds / f
	}
	t.r.Steps = append(t.r.Steps, s)
	rate, ratio := "-", "-"
	if s.Seconds > 0 && s.Rows > 0 {
		rate = strconv.Itoa(int(float64(s.Rows) / s.Seconds))
	}
	if s.Ratio > 0 {
		ratio = fmt.Sprintf("%.2fx %s", s.Ratio, catalog.Msg("msg_bench_floor_"+string(s.Floor)))
	}
	fmt.Fprintf(t.out, "%s %11d %9.2f %10s %8d  %s\n", pad(catalog.Msg(s.Key, s.Args...).Error(), 54), s.Rows, s.Seconds, rate, s.PeakRSS>>20, ratio)
}

// run runs one step as a process in wd, its output into the logs folder.
func (t *table) run(key string, arg []any, rows int, floor Floor, wd string, args ...string) (Step, error) {
	s := Step{Key: key, Args: arg, Rows: rows, Floor: floor}
	secs, rss, err := runChild(t.ctx, t.exe, wd, filepath.Join(t.logs, fmt.Sprintf("%02d-%s.log", len(t.r.Steps)+1, args[0])), args...)
	s.Seconds, s.PeakRSS = secs, rss
	return s, err
}

// step runs one step and shows it.
func (t *table) step(key string, arg []any, rows int, floor Floor, wd string, args ...string) (Step, error) {
	s, err := t.run(key, arg, rows, floor, wd, args...)
	if err == nil {
		t.show(s)
	}
	return s, err
}

// sum shows the sum of steps: their times added, the largest peak RSS.
func (t *table) sum(key string, arg []any, rows int, floor Floor, parts ...Step) Step {
	s := Step{Key: key, Args: arg, Rows: rows, Floor: floor, Sum: true}
	for _, p := range parts {
		s.Seconds += p.Seconds
		s.PeakRSS = max(s.PeakRSS, p.PeakRSS)
	}
	t.show(s)
	return s
}

// Run runs the ledger scenario and writes its table to out as it goes.
func Run(ctx context.Context, opts Options, out io.Writer) (*Result, error) {
	if opts.Months < 2 || opts.Rows < 1 {
		return nil, catalog.Errorf("msg_bench_too_small")
	}
	t, dir, project, floorDB, err := start(ctx, opts, out, catalog.Msg("msg_bench_header", opts.Rows, opts.Months, opts.Seed).Error())
	if err != nil {
		return nil, err
	}
	r, floors, logs := t.r, t.floors, t.logs
	run, step, show, sum := t.run, t.step, t.show, t.sum

	end := opts.End.Format("2006-01")
	gen, err := run("msg_bench_step_sample", []any{opts.Months}, 0, NoFloor, dir, "sample", "--ledgers", "monthly", "--rows", strconv.Itoa(opts.Rows),
		"--months", strconv.Itoa(opts.Months), "--seed", strconv.FormatInt(opts.Seed, 10), "--end", end, "--out", project)
	if err != nil {
		return r, err
	}
	files, rows, err := ledgers(project)
	if err != nil {
		return r, err
	}
	if len(files) != opts.Months {
		return r, catalog.Errorf("msg_bench_ledgers_missing", opts.Months, len(files))
	}
	for _, n := range rows {
		gen.Rows += n
	}
	show(gen)
	first, next := files[:len(files)-1], files[len(files)-1]
	for _, n := range rows[:len(rows)-1] {
		r.FirstRows += n
	}
	r.NextRows = rows[len(rows)-1]

	fl, err := step("msg_bench_step_floor", []any{len(first)}, r.FirstRows, NoFloor, dir, append([]string{"bench", "floor", "--db", floorDB}, first...)...)
	if err != nil {
		return r, err
	}
	floors[Persistent] = fl.Seconds
	r.FloorBytes = fileSize(floorDB)
	in, err := step("msg_bench_step_ingest", []any{len(first)}, r.FirstRows, Persistent, project, append([]string{"ingest"}, first...)...)
	if err != nil {
		return r, err
	}
	nz, err := step("msg_bench_step_normalize", nil, r.FirstRows, Persistent, project, "normalize")
	if err != nil {
		return r, err
	}
	load := sum("msg_bench_step_first_load", nil, r.FirstRows, Persistent, in, nz)

	// the monthly floor's row hashes are prepared untimed, in a process of their own
	if _, _, err := runChild(ctx, opts.Exe, dir, filepath.Join(logs, "floor-hashes.log"), "bench", "floor", "--db", floorDB, "--hashes", strconv.Itoa(len(first))); err != nil {
		return r, err
	}
	// the monthly job's least writes start from a copy of the floor's database as the monthly floor finds it,
	// with the first load's complaints copied in, untimed
	writesDB := filepath.Join(dir, floorWritesDB)
	if err := copyFile(floorDB, writesDB); err != nil {
		return r, err
	}
	if _, _, err := runChild(ctx, opts.Exe, dir, filepath.Join(logs, "floor-writes-prepare.log"), "bench", "floor", "--db", writesDB,
		"--prepare-writes", filepath.Join(project, "complaints.duckdb")); err != nil {
		return r, err
	}
	mf, err := step("msg_bench_step_floor_monthly", nil, r.NextRows, NoFloor, dir, "bench", "floor", "--db", floorDB, "--next", next)
	if err != nil {
		return r, err
	}
	floors[Monthly] = mf.Seconds
	if _, err := step("msg_bench_step_floor_writes", nil, r.NextRows, Monthly, dir, "bench", "floor", "--db", writesDB, "--writes", next); err != nil {
		return r, err
	}
	if err := os.Remove(writesDB); err != nil {
		return r, err
	}
	// the same monthly job as one `complaints run` starts from a copy of the warehouse as the first load left it
	runProject := filepath.Join(dir, "project-run")
	if err := copyProject(project, runProject); err != nil {
		return r, err
	}
	in2, err := step("msg_bench_step_ingest_next", nil, r.NextRows, Monthly, project, "ingest", next)
	if err != nil {
		return r, err
	}
	nz2, err := step("msg_bench_step_normalize_next", nil, r.NextRows, Monthly, project, "normalize")
	if err != nil {
		return r, err
	}
	rep, err := step("msg_bench_step_report", []any{end}, r.NextRows, NoFloor, project, "report", "--period", end, "--allow-incomplete", "--out", filepath.Join(dir, "report.xlsx"))
	if err != nil {
		return r, err
	}
	dash, err := step("msg_bench_step_dashboard", []any{end}, r.NextRows, NoFloor, project, "dashboard", "--to", end, "--allow-incomplete", "--out", filepath.Join(dir, "dashboard.html"))
	if err != nil {
		return r, err
	}
	sum("msg_bench_step_monthly_ingest_normalize", nil, r.NextRows, Monthly, in2, nz2)
	job := sum("msg_bench_step_monthly_job", nil, r.NextRows, NoFloor, in2, nz2, rep, dash)
	runJob, err := step("msg_bench_step_monthly_run", []any{end}, r.NextRows, NoFloor, runProject, "run",
		filepath.Join(runProject, "exports", filepath.Base(next)), "--period", end, "--allow-incomplete")
	if err != nil {
		return r, err
	}
	if load.Seconds > 0 {
		r.MonthlyShare, r.MonthlyRunShare = job.Seconds/load.Seconds, runJob.Seconds/load.Seconds
	}
	r.WarehouseBytes = fileSize(filepath.Join(project, "complaints.duckdb"))

	// the size target's yardstick: every distinct version of the ledgers landed once (versions.go)
	vp, vrows, err := VersionsProject(ctx, project, dir, files)
	if err != nil {
		return r, err
	}
	if _, err := step("msg_bench_step_versions_ingest", nil, vrows, NoFloor, vp, "ingest", filepath.Join(vp, "exports", versionsFile)); err != nil {
		return r, err
	}
	if _, err := step("msg_bench_step_versions_normalize", nil, vrows, NoFloor, vp, "normalize"); err != nil {
		return r, err
	}
	r.VersionsRows, r.VersionsBytes = vrows, fileSize(filepath.Join(vp, "complaints.duckdb"))

	fmt.Fprintln(out, catalog.Msg("msg_bench_monthly_share", 100*r.MonthlyShare))
	fmt.Fprintln(out, catalog.Msg("msg_bench_monthly_run_share", 100*r.MonthlyRunShare))
	fmt.Fprintln(out, catalog.Msg("msg_bench_sizes", r.WarehouseBytes>>20, r.FloorBytes>>20))
	if r.VersionsBytes > 0 {
		fmt.Fprintln(out, catalog.Msg("msg_bench_versions_sizes", r.WarehouseBytes>>20, r.VersionsBytes>>20, r.VersionsRows,
			fmt.Sprintf("%.2f", float64(r.WarehouseBytes)/float64(r.VersionsBytes))))
	}
	fmt.Fprintln(out, catalog.Msg("msg_bench_logs", logs))
	return r, nil
}

// runChild runs exe with args in wd, its output into logFile, and gives its wall time and peak RSS.
func runChild(ctx context.Context, exe, wd, logFile string, args ...string) (float64, int64, error) {
	lf, err := os.Create(logFile)
	if err != nil {
		return 0, 0, err
	}
	defer lf.Close()
	cmd := exec.CommandContext(ctx, exe, args...)
	cmd.Dir = wd
	cmd.Stdout, cmd.Stderr = lf, lf
	cmd.Env = append(os.Environ(), ChildEnv+"=1", "COMPLAINTS_HMAC_KEY="+benchKey)
	start := time.Now()
	err = cmd.Run()
	secs := time.Since(start).Seconds()
	if err != nil {
		return 0, 0, catalog.Errorf("msg_bench_step_failed", strings.Join(args[:1], " "), logFile, tail(logFile))
	}
	return secs, peakRSS(cmd.ProcessState), nil
}

// tail is the last lines of a log, for an error.
func tail(path string) string {
	b, _ := os.ReadFile(path)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) > 5 {
		lines = lines[len(lines)-5:]
	}
	return strings.Join(lines, "\n")
}

// ledgers lists the project's ledgers in month order (their names carry the as-of date) with their data rows.
func ledgers(project string) ([]string, []int, error) {
	files, err := filepath.Glob(filepath.Join(project, "exports", "ledger_*.csv"))
	if err != nil {
		return nil, nil, err
	}
	sort.Strings(files)
	rows := make([]int, len(files))
	for i, f := range files {
		n, err := countLines(f)
		if err != nil {
			return nil, nil, err
		}
		rows[i] = n - 1
	}
	return files, rows, nil
}

// countLines counts newlines; the ledgers quote no newline inside a field.
func countLines(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<20)
	buf := make([]byte, 1<<20)
	n := 0
	for {
		k, err := br.Read(buf)
		n += bytes.Count(buf[:k], []byte{'\n'})
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
}

func fileSize(p string) int64 {
	fi, err := os.Stat(p)
	if err != nil {
		return 0
	}
	return fi.Size()
}

// padLeft puts spaces before s up to w terminal columns.
func padLeft(s string, w int) string {
	if n := textwidth.Of(s); n < w {
		return strings.Repeat(" ", w-n) + s
	}
	return s
}

// pad fills s with spaces to w terminal columns (a Chinese character takes two).
func pad(s string, w int) string {
	if n := textwidth.Of(s); n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return s
}

// copyProject copies a project's config, branch master and warehouse (closed by its last step, so without a
// write-ahead log) into dst, emptied first; dst's exports folder is a link to src's, so that the config's globs
// match the same files.
func copyProject(src, dst string) error {
	if err := os.RemoveAll(dst); err != nil {
		return err
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	for _, name := range []string{"complaints.yaml", "branches.csv", "complaints.duckdb", "complaints.duckdb.wal"} {
		if err := copyFile(filepath.Join(src, name), filepath.Join(dst, name)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return os.Symlink(filepath.Join(src, "exports"), filepath.Join(dst, "exports"))
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
