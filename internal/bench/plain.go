package bench

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"

	"complaints/catalog"
)

// plainHotlineUTF8 is the hotline's export decoded to UTF-8 in the working folder: the file the persistent floor
// lands (DuckDB's read_csv reads UTF-8 only).
const plainHotlineUTF8 = "hotline_utf8.csv"

// RunPlain runs the plain scenario and writes its table to out as it goes: the ledger bank of opts.Months months
// with only its last two ledgers written and opts.Hotline hotline calls in a GB18030 export
// (`complaints sample --ledgers monthly --last-ledgers 2 --hotline-rows N`); the persistent floor lands the two
// ledgers and the hotline (decoded to UTF-8 beforehand, untimed); then `complaints run` for the last ledger's
// month takes the project end to end (ingest, normalise, report, dashboard) as one step.
func RunPlain(ctx context.Context, opts Options, out io.Writer) (*Result, error) {
	if opts.Months < 2 || opts.Rows < 1 || opts.Hotline < 1 {
		return nil, catalog.Errorf("msg_bench_plain_too_small")
	}
	t, dir, project, floorDB, err := start(ctx, opts, out, catalog.Msg("msg_bench_plain_header", opts.Rows, opts.Months, opts.Hotline, opts.Seed).Error())
	if err != nil {
		return nil, err
	}
	r := t.r
	end := opts.End.Format("2006-01")
	gen, err := t.run("msg_bench_step_sample_plain", nil, 0, NoFloor, dir, "sample", "--ledgers", "monthly", "--rows", strconv.Itoa(opts.Rows),
		"--months", strconv.Itoa(opts.Months), "--last-ledgers", "2", "--hotline-rows", strconv.Itoa(opts.Hotline),
		"--seed", strconv.FormatInt(opts.Seed, 10), "--end", end, "--out", project)
	if err != nil {
		return r, err
	}
	files, rows, err := ledgers(project)
	if err != nil {
		return r, err
	}
	if len(files) != 2 {
		return r, catalog.Errorf("msg_bench_ledgers_missing", 2, len(files))
	}
	hotline, err := filepath.Glob(filepath.Join(project, "exports", "hotline_*.csv"))
	if err != nil {
		return r, err
	}
	if len(hotline) != 1 {
		return r, catalog.Errorf("msg_bench_hotline_missing", len(hotline))
	}
	decoded := filepath.Join(dir, plainHotlineUTF8)
	if err := decodeGB18030(hotline[0], decoded); err != nil {
		return r, err
	}
	n, err := countLines(decoded)
	if err != nil {
		return r, err
	}
	r.FirstRows, r.NextRows, r.HotlineRows = rows[0]+rows[1], rows[1], n-1
	total := r.FirstRows + r.HotlineRows
	gen.Rows = total
	t.show(gen)

	fl, err := t.step("msg_bench_step_floor_plain", nil, total, NoFloor, dir, append([]string{"bench", "floor", "--db", floorDB}, files[0], files[1], decoded)...)
	if err != nil {
		return r, err
	}
	t.floors[Persistent] = fl.Seconds
	r.FloorBytes = fileSize(floorDB)
	if _, err := t.step("msg_bench_step_run", []any{end}, total, Persistent, project, "run", "--period", end, "--allow-incomplete"); err != nil {
		return r, err
	}
	r.WarehouseBytes = fileSize(filepath.Join(project, "complaints.duckdb"))
	fmt.Fprintln(out, catalog.Msg("msg_bench_plain_sizes", r.WarehouseBytes>>20, r.FloorBytes>>20))
	fmt.Fprintln(out, catalog.Msg("msg_bench_logs", t.logs))
	return r, nil
}

// decodeGB18030 writes the GB18030 file src to dst in UTF-8, streaming.
func decodeGB18030(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(out, 1<<20)
	_, err = io.Copy(bw, transform.NewReader(bufio.NewReaderSize(in, 1<<20), simplifiedchinese.GB18030.NewDecoder()))
	if err == nil {
		err = bw.Flush()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}
