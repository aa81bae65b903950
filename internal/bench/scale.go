package bench

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"complaints/catalog"
)

// Baseline is the floor of the scale scenario: the first load of the small bank, measured in the same run.
const Baseline Floor = "baseline"

// scaleBase is the small bank's project folder in the working folder.
const scaleBase = "base"

// RunScale runs the scale scenario and writes its table to out as it goes: two banks of cumulative monthly
// ledgers from the same generator, opts.BaseRows and opts.Rows complaints over opts.Months months. Each takes its
// first load (ingest and normalise of every ledger but the last); the large bank's first load is compared with
// the small one's. The large bank then takes the monthly job (ingest, normalise, report, dashboard), and the run
// ends with the largest peak RSS of the large bank's steps, each of them a process with the configuration's
// default memory limit.
func RunScale(ctx context.Context, opts Options, out io.Writer) (*Result, error) {
	if opts.Months < 2 || opts.BaseRows < 1 || opts.Rows <= opts.BaseRows {
		return nil, catalog.Errorf("msg_bench_scale_too_small")
	}
	t, dir, project, _, err := start(ctx, opts, out, catalog.Msg("msg_bench_scale_header", opts.Rows, opts.BaseRows, opts.Months, opts.Seed).Error())
	if err != nil {
		return nil, err
	}
	base := filepath.Join(dir, scaleBase)
	if err := os.RemoveAll(base); err != nil {
		return nil, err
	}
	r := t.r
	end := opts.End.Format("2006-01")
	// firstLoad generates a bank of n complaints into proj and takes its first load, as rows of the table
	firstLoad := func(n int, proj string, floor Floor) (load Step, parts []Step, files []string, rows []int, err error) {
		var gen Step
		gen, err = t.run("msg_bench_step_sample_rows", []any{opts.Months, n}, 0, NoFloor, dir, "sample", "--ledgers", "monthly", "--rows", strconv.Itoa(n),
			"--months", strconv.Itoa(opts.Months), "--seed", strconv.FormatInt(opts.Seed, 10), "--end", end, "--out", proj)
		if err != nil {
			return
		}
		files, rows, err = ledgers(proj)
		if err != nil {
			return
		}
		if len(files) != opts.Months {
			err = catalog.Errorf("msg_bench_ledgers_missing", opts.Months, len(files))
			return
		}
		first := 0
		for i, k := range rows {
			gen.Rows += k
			if i < len(rows)-1 {
				first += k
			}
		}
		t.show(gen)
		in, err := t.step("msg_bench_step_ingest_rows", []any{len(files) - 1, n}, first, floor, proj, append([]string{"ingest"}, files[:len(files)-1]...)...)
		if err != nil {
			return
		}
		nz, err := t.step("msg_bench_step_normalize_rows", []any{n}, first, floor, proj, "normalize")
		if err != nil {
			return
		}
		return t.sum("msg_bench_step_first_load_rows", []any{n}, first, floor, in, nz), []Step{in, nz}, files, rows, nil
	}
	small, _, _, _, err := firstLoad(opts.BaseRows, base, NoFloor)
	if err != nil {
		return r, err
	}
	t.floors[Baseline] = small.Seconds
	large, steps, files, rows, err := firstLoad(opts.Rows, project, Baseline)
	if err != nil {
		return r, err
	}
	r.FirstRows, r.NextRows = large.Rows, rows[len(rows)-1]
	next := files[len(files)-1]
	in, err := t.step("msg_bench_step_ingest_next", nil, r.NextRows, NoFloor, project, "ingest", next)
	if err != nil {
		return r, err
	}
	nz, err := t.step("msg_bench_step_normalize_next", nil, r.NextRows, NoFloor, project, "normalize")
	if err != nil {
		return r, err
	}
	rep, err := t.step("msg_bench_step_report", []any{end}, r.NextRows, NoFloor, project, "report", "--period", end, "--allow-incomplete", "--out", filepath.Join(dir, "report.xlsx"))
	if err != nil {
		return r, err
	}
	dash, err := t.step("msg_bench_step_dashboard", []any{end}, r.NextRows, NoFloor, project, "dashboard", "--to", end, "--allow-incomplete", "--out", filepath.Join(dir, "dashboard.html"))
	if err != nil {
		return r, err
	}
	t.sum("msg_bench_step_monthly_job", nil, r.NextRows, NoFloor, in, nz, rep, dash)
	r.WarehouseBytes = fileSize(filepath.Join(project, "complaints.duckdb"))
	// the largest peak of the large bank's own steps (the generator's excepted)
	var peak Step
	for _, s := range append(steps, in, nz, rep, dash) {
		if s.PeakRSS > peak.PeakRSS {
			peak = s
		}
	}
	fmt.Fprintln(out, catalog.Msg("msg_bench_scale_peak", opts.Rows, peak.PeakRSS>>20, catalog.Msg(peak.Key, peak.Args...).Error()))
	fmt.Fprintln(out, catalog.Msg("msg_bench_scale_size", r.WarehouseBytes>>20))
	fmt.Fprintln(out, catalog.Msg("msg_bench_logs", t.logs))
	return r, nil
}
