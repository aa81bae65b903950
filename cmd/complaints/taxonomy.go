package main

import (
	"database/sql"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"complaints/catalog"
	"complaints/internal/termtext"
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
			rows, err := w.DB.QueryContext(cmd.Context(), "SELECT dimension, raw_value, records, sources FROM unmapped_values ORDER BY dimension, records DESC, raw_value")
			if err != nil {
				return fmt.Errorf("read unmapped values: %w", err)
			}
			defer rows.Close()
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "dimension\tvalue\trecords\tsources\tclosest codes")
			n := 0
			for rows.Next() {
				var dim, raw, src string
				var count int64
				if err := rows.Scan(&dim, &raw, &count, &src); err != nil {
					return err
				}
				var near []string
				for _, m := range catalog.Closest(dim, raw, 3) {
					near = append(near, fmt.Sprintf("%s (%s)", m.Code, m.Spelling))
				}
				fmt.Fprintf(tw, "%s\t%q\t%d\t%s\t%s\n", dim, raw, count, termtext.Clean(src), strings.Join(near, ", "))
				n++
			}
			tw.Flush()
			if n == 0 {
				fmt.Fprintln(cmd.OutOrStdout(), "every value maps to a code")
			}
			return rows.Err()
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
	rows, err := db.QueryContext(cmd.Context(), `SELECT dimension, rule, count(*) FROM (
		SELECT 'business_category' AS dimension, category_rule AS rule FROM complaints WHERE category_rule IS NOT NULL
		UNION ALL SELECT 'cause', cause_rule FROM complaints WHERE cause_rule IS NOT NULL)
		GROUP BY ALL ORDER BY dimension, count(*) DESC, rule`)
	if err != nil {
		return fmt.Errorf("read keyword-classified records: %w", err)
	}
	defer rows.Close()
	tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
	n := 0
	for rows.Next() {
		var dim, rule string
		var count int64
		if err := rows.Scan(&dim, &rule, &count); err != nil {
			return err
		}
		if n == 0 {
			fmt.Fprintln(tw, catalog.Text("kw_classified", lang))
			fmt.Fprintln(tw, catalog.Text("kw_rule_header", lang))
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\n", dim, rule, count)
		n++
	}
	if n > 0 {
		fmt.Fprintln(tw)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return rows.Err()
}
