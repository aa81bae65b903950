package main

import (
	"os"

	"github.com/spf13/cobra"

	"complaints/catalog"
	"complaints/internal/bench"
	"complaints/pipeline"
)

func newBenchCmd() *cobra.Command {
	var rows, months, hotline, baseRows int
	var seed int64
	var end, dir, scenario string
	c := &cobra.Command{
		Use:   "bench",
		Short: "Measure the pipeline on generated ledgers (and a hotline export), beside DuckDB alone on the same files",
		Long: `bench generates a bank of cumulative monthly ledgers (complaints sample --ledgers monthly), lands all but the
last ledger with DuckDB alone (the persistent floor), then ingests and normalises them (the first load); then
DuckDB alone joins the last ledger to the landed rows' hashes (the monthly floor), and the monthly job ingests
and normalises it and writes the report and the dashboard. Each step runs as a process of its own; bench
prints its time, rows/s, peak RSS and its ratio to the floor measured in the same run.

--scenario plain measures the plain million instead: the last two ledgers of the bank and the hotline's
GB18030 export (--hotline-rows calls; default 0.6 x --rows), landed by DuckDB alone as text tables (the
persistent floor; the hotline decoded to UTF-8 beforehand, untimed), then complaints run for the last ledger's
month end to end, as one step, with its ratio to that floor.

--scenario scale generates two such banks, of --base-rows and --rows complaints (default: a tenth), takes the
first load of each and gives the large one's as a multiple of the small one's; then the large bank takes the
monthly job, and bench ends with the largest peak RSS of the large bank's steps (the default memory limit).`,
		Example: `  complaints bench --rows 100000 --months 18 --dir /tmp/bench
  complaints bench --scenario plain --rows 680000 --dir /tmp/bench-plain   # about 1.7M rows
  complaints bench --scenario scale --rows 10000000 --months 6 --dir /tmp/bench-10m   # against 1M, same run`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if dir == "" {
				return usageError{catalog.Errorf("msg_bench_dir")}
			}
			endMonth, err := pipeline.ParseMonth(end)
			if err != nil {
				return usageError{err}
			}
			exe, err := os.Executable()
			if err != nil {
				return err
			}
			opts := bench.Options{Dir: dir, Rows: rows, Months: months, Seed: seed, End: endMonth, Exe: exe}
			switch scenario {
			case "ledger":
				_, err = bench.Run(cmd.Context(), opts, cmd.OutOrStdout())
			case "plain":
				opts.Hotline = hotline
				if hotline == 0 {
					opts.Hotline = rows * 3 / 5
				}
				_, err = bench.RunPlain(cmd.Context(), opts, cmd.OutOrStdout())
			case "scale":
				opts.BaseRows = baseRows
				if baseRows == 0 {
					opts.BaseRows = rows / 10
				}
				_, err = bench.RunScale(cmd.Context(), opts, cmd.OutOrStdout())
			default:
				return usageError{catalog.Errorf("msg_bench_scenario", scenario)}
			}
			return err
		},
	}
	c.Flags().StringVar(&scenario, "scenario", "ledger", "ledger: the first load and the monthly job; plain: the last two ledgers and a hotline export, run end to end; scale: a large bank's first load against a small one's, and its monthly job's peak RSS")
	c.Flags().IntVar(&rows, "rows", 100000, "distinct complaints in the ledgers")
	c.Flags().IntVar(&months, "months", 18, "monthly ledgers (the first load takes all but the last); plain: the months of the window, the last two written")
	c.Flags().IntVar(&hotline, "hotline-rows", 0, "plain: the hotline's complaint calls (0: 0.6 x --rows)")
	c.Flags().IntVar(&baseRows, "base-rows", 0, "scale: the small bank's complaints (0: a tenth of --rows)")
	c.Flags().Int64Var(&seed, "seed", 20261031, "the generator's random seed")
	c.Flags().StringVar(&end, "end", "2026-10", "the last ledger's month, YYYY-MM")
	c.Flags().StringVar(&dir, "dir", "", "working folder, emptied of what an earlier bench left (required)")
	c.AddCommand(newBenchFloorCmd())
	return c
}

// newBenchFloorCmd is the floor's step, run by bench as a process of its own.
func newBenchFloorCmd() *cobra.Command {
	var db, next, writes, prepareWrites string
	var hashes int
	c := &cobra.Command{
		Use:     "floor FILE...",
		Short:   "One floor step of bench: DuckDB alone lands the files, or prepares the row hashes, or joins the next ledger to them, or makes the monthly job's least writes",
		Example: `  complaints bench floor --db /tmp/bench/floor.duckdb ledger_20260131.csv ledger_20260228.csv`,
		Hidden:  true,
		RunE: func(cmd *cobra.Command, args []string) error {
			switch {
			case db == "":
				return usageError{catalog.Errorf("msg_bench_dir")}
			case next != "":
				return bench.FloorMonthly(cmd.Context(), db, next)
			case prepareWrites != "":
				return bench.FloorWritesPrepare(cmd.Context(), db, prepareWrites)
			case writes != "":
				return bench.FloorWrites(cmd.Context(), db, writes)
			case hashes > 0:
				return bench.FloorHashes(cmd.Context(), db, hashes)
			}
			return bench.FloorPersistent(cmd.Context(), db, args)
		},
	}
	c.Flags().StringVar(&db, "db", "", "the floor's database file")
	c.Flags().StringVar(&next, "next", "", "the monthly floor: the next ledger to join to the row hashes")
	c.Flags().IntVar(&hashes, "hashes", 0, "prepare the row hashes of the first N landed tables")
	c.Flags().StringVar(&prepareWrites, "prepare-writes", "", "copy this warehouse's complaints into the database, for --writes")
	c.Flags().StringVar(&writes, "writes", "", "the monthly job's least writes for this next ledger")
	return c
}
