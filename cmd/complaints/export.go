package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"complaints/catalog"
	"complaints/ingest"
	"complaints/lake"
)

func newExportCmd(g *globals) *cobra.Command {
	var format, out string
	c := &cobra.Command{
		Use:   "export",
		Short: "Write the warehouse as a Parquet lake for the group's data platform",
		Long: `export --format parquet writes the canonical complaints (partitioned by received year and month), every
mart (by its month) and the figures and source coverage (unpartitioned) as zstd Parquet files in --out, with
a schema file (_schema.json) carrying the privacy key's fingerprint. A partition whose rows changed is
rewritten whole; an unchanged one is left alone. Masked names and phones are left out unless the config's
lake.include_masked is true. ingest --lake DIR takes the complaints back under the same key. Like report,
it refuses a warehouse not normalised since its last batch.`,
		Example: `  complaints export --format parquet --out /data/lake/complaints
  complaints ingest --lake /data/lake/complaints      # into a new warehouse, same key`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "parquet" {
				return usageError{catalog.Errorf("msg_lake_format", format)}
			}
			if out == "" {
				return usageError{catalog.Errorf("msg_lake_out_missing")}
			}
			env, err := g.env()
			if err != nil {
				return err
			}
			key, err := env.Config.HMACKey()
			if err != nil {
				return usageError{err}
			}
			w, err := env.OpenWarehouse(cmd.Context(), true)
			if err != nil {
				return err
			}
			defer w.Close()
			if err := ingest.CheckKey(cmd.Context(), w, key, false, false); err != nil {
				return err
			}
			if err := env.RequireNormalised(cmd.Context(), w); err != nil {
				return err
			}
			res, err := lake.Export(cmd.Context(), w, lake.Options{Dir: out, KeyFingerprint: ingest.KeyFingerprint(key),
				IncludeMasked: env.Config.Lake.IncludeMasked})
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), catalog.Msg("msg_lake_exported", res.Dir, res.Tables, res.Written, res.Unchanged, res.Removed, res.Rows))
			return nil
		},
	}
	c.Flags().StringVar(&format, "format", "parquet", "format of the lake: parquet")
	c.Flags().StringVar(&out, "out", "", "the lake's folder (created when missing)")
	return c
}
