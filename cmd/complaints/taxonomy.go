package main

import (
	"database/sql"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"complaints/catalog"
	"complaints/internal/termtext"
	"complaints/readmodel"
)

func newTaxonomyCmd(g *globals) *cobra.Command {
	c := &cobra.Command{
		Use:   "taxonomy",
		Short: "Inspect the classification catalogue and the values that map to nothing",
		Example: `  complaints taxonomy unmapped
  complaints taxonomy codes business_category`,
	}
	c.AddCommand(&cobra.Command{
		Use:   "unmapped",
		Short: "List every raw category, cause or channel value that maps to no code, with the closest codes",
		Long: `unmapped lists the values of the last normalise that matched no code of the catalogue (value, records,
sources, closest codes). Such records are kept as 'unmapped' in every figure, never dropped; add the spelling
as a synonym to map them. First it counts the records whose export left the business category or cause empty
and that a keyword rule of the catalogue classified, by rule.`,
		Example: "  complaints taxonomy unmapped --warehouse /data/complaints.duckdb",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			env, w, err := g.open(cmd, false)
			if err != nil {
				return err
			}
			defer w.Close()
			if err := printKeywordClassified(cmd, w.DB, env.Config.Language); err != nil {
				return err
			}
			values, err := readmodel.LoadUnmappedValues(cmd.Context(), w.DB)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "dimension\tvalue\trecords\tsources\tclosest codes")
			for _, u := range values {
				var near []string
				for _, m := range catalog.Closest(u.Dimension, u.RawValue, 3) {
					near = append(near, fmt.Sprintf("%s (%s)", m.Code, m.Spelling))
				}
				fmt.Fprintf(tw, "%s\t%q\t%d\t%s\t%s\n", u.Dimension, u.RawValue, u.Records, termtext.Clean(u.Sources), strings.Join(near, ", "))
			}
			tw.Flush()
			if len(values) == 0 {
				fmt.Fprintln(cmd.OutOrStdout(), "every value maps to a code")
			}
			return nil
		},
	}, &cobra.Command{
		Use:   "codes DIMENSION",
		Short: "List a dimension's codes with their Chinese and English labels",
		Long: `codes lists a dimension's codes in catalogue order with their Chinese and English labels: the built-in
catalogue merged with the config's taxonomy file, if it names one (a relabelled code shows its new labels, a
code the file adds is listed last).`,
		Example: "  complaints taxonomy codes cause\n  complaints taxonomy codes business_category --config bank.yaml",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := g.env(); err != nil {
				return err
			}
			codes := catalog.Dimension(args[0])
			if codes == nil {
				return usageError{fmt.Errorf("no dimension %q; use one of %s", args[0], strings.Join(catalog.DimensionNames(), ", "))}
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
			for _, c := range codes {
				fmt.Fprintf(tw, "%s\t%s\t%s\n", c.Code, c.ZH, c.EN)
			}
			return tw.Flush()
		},
	})
	return c
}

// printKeywordClassified lists how many records keyword rules classified, by dimension and rule (nothing when
// none did).
func printKeywordClassified(cmd *cobra.Command, db *sql.DB, lang string) error {
	counts, err := readmodel.LoadRuleCounts(cmd.Context(), db)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
	for i, c := range counts {
		if i == 0 {
			fmt.Fprintln(tw, catalog.Text("kw_classified", lang))
			fmt.Fprintln(tw, catalog.Text("kw_rule_header", lang))
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\n", c.Dimension, c.Rule, c.Records)
	}
	if len(counts) > 0 {
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}
