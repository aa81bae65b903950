package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"complaints/catalog"
	"complaints/config"
	"complaints/pipeline"
)

// demoKey keys the demo's own warehouse when no privacy key is set. It is used by demo only, which always
// starts a new warehouse from invented data; ingest and run have no built-in key and refuse without one.
const demoKey = "complaints-demo-key-invented-data-only"

func newDemoCmd(g *globals) *cobra.Command {
	var data, out string
	c := &cobra.Command{
		Use:   "demo",
		Short: "Run the whole job on the bundled sample data",
		Long: `demo ingests the bundled sample bank's exports (sample-data/), normalises them, and writes the latest
complete month's workbook and the dashboard to the output folder, then prints what it read, accepted and
rejected and where the outputs are. It starts from a fresh warehouse (<out>/demo.duckdb, its own, replaced
every time). With --warehouse it creates that file instead, and refuses if it already exists: demo never
touches a warehouse it did not create. When the privacy key's environment variable (COMPLAINTS_HMAC_KEY) is
unset, demo keys its warehouse with a fixed demo key of its own: fine for the invented sample data, never used
by ingest or run.`,
		Example: `  complaints demo
  complaints demo --out /tmp/demo-out
  complaints demo --data /tmp/bank      # a project made by 'complaints sample'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			logger, err := g.logger()
			if err != nil {
				return err
			}
			cfgPath := filepath.Join(data, "complaints.yaml")
			if !exists(cfgPath) {
				return usageError{catalog.Errorf("msg_cli_demo_no_config", cfgPath)}
			}
			cfg, err := config.Load(cfgPath)
			if err != nil {
				return usageError{err}
			}
			if err := useTaxonomy(cfg); err != nil {
				return err
			}
			absOut, err := filepath.Abs(out)
			if err != nil {
				return err
			}
			cfg.OutputDir = absOut
			wh := g.warehouse
			if wh != "" {
				// A warehouse demo did not create is never touched: an existing one is refused, not replaced.
				for _, p := range []string{wh, wh + ".wal"} {
					if _, err := os.Lstat(p); err == nil {
						return usageError{catalog.Errorf("msg_misc_demo_existing_warehouse", p)}
					}
				}
			} else {
				wh = filepath.Join(absOut, "demo.duckdb")
			}
			for _, p := range []string{wh, wh + ".wal"} {
				if wh == g.warehouse {
					break
				}
				if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
					return catalog.Errorf("msg_cli_demo_remove", p, err)
				}
			}
			if _, err := cfg.HMACKey(); err != nil {
				// The demo builds its own new warehouse from invented data: it may key it with the demo key.
				if err := os.Setenv(cfg.Privacy.KeyEnv, demoKey); err != nil {
					return err
				}
			}
			env := &pipeline.Env{Config: cfg, WarehousePath: wh, Logger: logger, Progress: stderrIsTerminal()}
			w, err := env.OpenWarehouse(cmd.Context(), false)
			if err != nil {
				return err
			}
			defer w.Close()
			s, err := env.Run(cmd.Context(), w, pipeline.RunOptions{})
			pipeline.PrintSummary(cmd.OutOrStdout(), s)
			fmt.Fprintln(cmd.OutOrStdout(), catalog.Msg("msg_cli_warehouse", wh))
			return err
		},
	}
	c.Flags().StringVar(&data, "data", "sample-data", "folder holding the sample project (complaints.yaml and exports/)")
	c.Flags().StringVar(&out, "out", "out", "folder for the workbook, the dashboard and the demo warehouse")
	return c
}
