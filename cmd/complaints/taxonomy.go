package main

import (
	"database/sql"
	"fmt"
	"os"
	"sort"
	"strconv"
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
	var writeTo string
	unmapped := &cobra.Command{
		Use:   "unmapped",
		Short: "List every raw category, cause, channel, status, demand or satisfaction value that maps to no code, with codes proposed by meaning",
		Long: `unmapped lists the values of the last normalise that matched no code of the catalogue (value, records,
sources, proposed codes): business categories, causes, channels, statuses, demands and satisfaction. Such
records are kept as 'unmapped' in every figure, never dropped (an unmapped status follows the reply date: open
without one; an unmapped demand or satisfaction counts as none); add the spelling as a synonym to map them. A value that is no spelling already maps at normalise when its own words point to one
code (the catalogue's spellings, keywords and value words); what is left is only proposed, ranked by meaning: the
CFPB crosswalk's code for the same value, the codes other sources' records of the same complaint id or narrative
carry, then the codes whose words the value shares. A proposal is never applied: --write appends them to a user
taxonomy file as comments, to keep by uncommenting. First it counts the records whose export left the business
category or cause empty and that a keyword rule of the catalogue classified, by rule.`,
		Example: "  complaints taxonomy unmapped --warehouse /data/complaints.duckdb\n  complaints taxonomy unmapped --write my-taxonomy.yaml",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			_, w, err := g.open(cmd, false)
			if err != nil {
				return err
			}
			defer w.Close()
			lang := catalog.Lang() // the config's language, or --lang
			if err := printKeywordClassified(cmd, w.DB, lang); err != nil {
				return err
			}
			values, err := readmodel.LoadUnmappedValues(cmd.Context(), w.DB)
			if err != nil {
				return err
			}
			evidence, err := readmodel.LoadValueEvidence(cmd.Context(), w.DB)
			if err != nil {
				return err
			}
			records := map[[2]string][]catalog.RecordEvidence{}
			for _, e := range evidence {
				k := [2]string{e.Dimension, e.RawValue}
				records[k] = append(records[k], catalog.RecordEvidence{Code: e.Code, Records: e.Records})
			}
			var proposed []valueProposal
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, catalog.Text("msg_values_header", lang))
			for _, u := range values {
				ps := catalog.Propose(u.Dimension, u.RawValue, records[[2]string{u.Dimension, u.RawValue}], 3)
				var near []string
				for _, p := range ps {
					near = append(near, fmt.Sprintf("%s (%s: %s)", p.Code, p.Evidence, termtext.Clean(p.Detail)))
				}
				if len(ps) > 0 {
					proposed = append(proposed, valueProposal{u, ps})
				}
				fmt.Fprintf(tw, "%s\t%q\t%d\t%s\t%s\n", u.Dimension, u.RawValue, u.Records, termtext.Clean(u.Sources), strings.Join(near, ", "))
			}
			tw.Flush()
			if len(values) == 0 {
				fmt.Fprintln(cmd.OutOrStdout(), catalog.Msg("msg_cli_all_mapped").In(lang))
			}
			if writeTo == "" {
				return nil
			}
			if len(proposed) == 0 {
				fmt.Fprintln(cmd.OutOrStdout(), catalog.Text("msg_values_none", lang))
				return nil
			}
			f, err := os.OpenFile(writeTo, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
			if err != nil {
				return err
			}
			if _, err := f.WriteString(proposalComments(proposed, lang)); err != nil {
				f.Close()
				return err
			}
			if err := f.Close(); err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), catalog.Msg("msg_values_written", len(proposed), writeTo).In(lang))
			return nil
		},
	}
	unmapped.Flags().StringVar(&writeTo, "write", "", "append the proposals to this user taxonomy file, commented out, for review")
	c.AddCommand(unmapped, &cobra.Command{
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
				return usageError{catalog.Errorf("msg_cli_no_dimension", args[0], strings.Join(catalog.DimensionNames(), ", "))}
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

// valueProposal is an unmapped value with the codes proposed for it.
type valueProposal struct {
	value     readmodel.UnmappedValue
	proposals []catalog.Proposal
}

// proposalComments renders proposals as a commented block of a user taxonomy file: per dimension, one entry per
// best proposed code with the values proposed for it as synonyms, each value's evidence on a comment line above.
// Nothing in it is read until uncommented (into the file's own dimensions: key, if it has one).
func proposalComments(ps []valueProposal, lang string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\n# %s\n# dimensions:\n", catalog.Text("msg_values_file_header", lang))
	byDim := map[string]map[string][]valueProposal{}
	var dims []string
	for _, p := range ps {
		d := p.value.Dimension
		if byDim[d] == nil {
			byDim[d] = map[string][]valueProposal{}
			dims = append(dims, d)
		}
		byDim[d][p.proposals[0].Code] = append(byDim[d][p.proposals[0].Code], p)
	}
	oneLine := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	for _, d := range dims {
		fmt.Fprintf(&b, "#   %s:\n", d)
		codes := make([]string, 0, len(byDim[d]))
		for c := range byDim[d] {
			codes = append(codes, c)
		}
		sort.Strings(codes)
		for _, code := range codes {
			var syn []string
			for _, p := range byDim[d][code] {
				var why []string
				for _, o := range p.proposals {
					why = append(why, fmt.Sprintf("%s %s: %s", o.Code, o.Evidence, oneLine(o.Detail)))
				}
				fmt.Fprintf(&b, "#     # %s (%d): %s\n", strconv.Quote(oneLine(p.value.RawValue)), p.value.Records, strings.Join(why, "; "))
				syn = append(syn, strconv.Quote(oneLine(p.value.RawValue)))
			}
			fmt.Fprintf(&b, "#     - {code: %s, synonyms: [%s]}\n", code, strings.Join(syn, ", "))
		}
	}
	return b.String()
}
