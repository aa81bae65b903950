package main

import (
	"os"

	"github.com/spf13/cobra"

	"complaints/catalog"
	"complaints/internal/bench"
	"complaints/pipeline"
)

func newBenchCmd() *cobra.Command {
	var rows, months int
	var seed int64
	var end, dir string
	c := &cobra.Command{
		Use:   "bench",
		Short: "Measure the first load and the monthly job on generated monthly ledgers, beside DuckDB alone on the same files",
		Long: `bench generates a bank of cumulative monthly ledgers (complaints sample --ledgers monthly), lands all but the
last ledger with DuckDB alone (the persistent floor), then ingests and normalises them (the first load); then
DuckDB alone joins the last ledger to the landed rows' hashes (the monthly floor), and the monthly job ingests
and normalises it and writes the report and the dashboard. Each step runs as a process of its own; bench
prints its time, rows/s, peak RSS and its ratio to the floor measured in the same run.`,
		Example: `  complaints bench --rows 100000 --months 18 --dir /tmp/bench`,
		Args:    cobra.NoArgs,
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
			_, err = bench.Run(cmd.Context(), bench.Options{Dir: dir, Rows: rows, Months: months, Seed: seed, End: endMonth, Exe: exe}, cmd.OutOrStdout())
			return err
		},
	}
	c.Flags().IntVar(&rows, "rows", 100000, "distinct complaints in the ledgers")
	c.Flags().IntVar(&months, "months", 18, "monthly ledgers (the first load takes all but the last)")
	c.Flags().Int64Var(&seed, "seed", 20261031, "the generator's random seed")
	c.Flags().StringVar(&end, "end", "2026-10", "the last ledger's month, YYYY-MM")
	c.Flags().StringVar(&dir, "dir", "", "working folder, emptied of what an earlier bench left (required)")
	c.AddCommand(newBenchFloorCmd())
	return c
}

// newBenchFloorCmd is the floor's step, run by bench as a process of its own.
func newBenchFloorCmd() *cobra.Command {
	var db, next string
	var hashes int
	c := &cobra.Command{
		Use:     "floor FILE...",
		Short:   "One floor step of bench: DuckDB alone lands the files, or prepares the row hashes, or joins the next ledger to them",
		Example: `  complaints bench floor --db /tmp/bench/floor.duckdb ledger_20260131.csv ledger_20260228.csv`,
		Hidden:  true,
		RunE: func(cmd *cobra.Command, args []string) error {
			switch {
			case db == "":
				return usageError{catalog.Errorf("msg_bench_dir")}
			case next != "":
				return bench.FloorMonthly(cmd.Context(), db, next)
			case hashes > 0:
				return bench.FloorHashes(cmd.Context(), db, hashes)
			}
			return bench.FloorPersistent(cmd.Context(), db, args)
		},
	}
	c.Flags().StringVar(&db, "db", "", "the floor's database file")
	c.Flags().StringVar(&next, "next", "", "the monthly floor: the next ledger to join to the row hashes")
	c.Flags().IntVar(&hashes, "hashes", 0, "prepare the row hashes of the first N landed tables")
	return c
}
