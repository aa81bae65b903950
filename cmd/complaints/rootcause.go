package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"complaints/catalog"
	"complaints/pipeline"
	"complaints/rootcause"
	"complaints/rootcause/render"
)

func newRootcauseCmd(g *globals) *cobra.Command {
	var period, lang, format, remediation string
	var baseline, minCount, top int
	var fdr float64
	var exclude, store bool
	var sf scopeFlags
	c := &cobra.Command{
		Use:   "rootcause",
		Short: catalog.Text("help_rootcause_short", "en"),
		// Short, Long, Example and the flags' help are set in the user's language when help is shown (helptext.go;
		// the long help is rootcauseHelp, the method the report's 根因 sheet states too).
		Example: `  complaints rootcause --period 2026-10
  complaints rootcause --period 2026-07 --lang en --format csv > rootcause-2026-07.csv
  complaints rootcause --period 2026-10 --remediation actions.yaml --store
  complaints rootcause --period 2026-10 --branch GZ001 --as-of 2026-11-05`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if store && (sf.asOf != "" || sf.branch != "") {
				return usageError{fmt.Errorf("--store writes the warehouse's own control charts: not with --as-of or --branch")}
			}
			if _, err := sf.options(); err != nil {
				return err
			}
			if period == "" {
				period = pipeline.PreviousMonth(time.Now())
			}
			if _, err := pipeline.ParseMonth(period); err != nil {
				return usageError{err}
			}
			if err := checkLang(lang); err != nil {
				return err
			}
			switch format {
			case "table", "csv", "json":
			default:
				return usageError{fmt.Errorf("--format %q: use table, csv or json", format)}
			}
			if fdr <= 0 || fdr >= 1 {
				return usageError{fmt.Errorf("--fdr %v: give a rate between 0 and 1", fdr)}
			}
			if baseline < 8 {
				return usageError{fmt.Errorf("--baseline %d: give at least 8 months (rule 4 needs 8 points)", baseline)}
			}
			if remediation != "" {
				if _, err := rootcause.LoadRemediation(remediation); err != nil {
					return usageError{err}
				}
			}
			env, w, _, done, err := g.openFor(cmd, sf, !store)
			if err != nil {
				return err
			}
			defer done()
			f, err := rootcause.ForMonth(cmd.Context(), w.DB, rootcause.Options{Period: period, BaselineMonths: baseline,
				ExcludeFlaggedFromBaseline: exclude, MinCount: minCount, FDR: fdr, Customers: env.Customers()},
				env.Lang(lang), remediation)
			if err != nil {
				return err
			}
			if store {
				if err := rootcause.WriteMart(cmd.Context(), w.DB, f); err != nil {
					return err
				}
			}
			return render.Write(cmd.OutOrStdout(), f, env.Lang(lang), format, top)
		},
	}
	fl := c.Flags()
	fl.StringVar(&period, "period", "", "")
	fl.StringVar(&lang, "lang", "", "")
	fl.StringVar(&format, "format", "table", "")
	fl.StringVar(&remediation, "remediation", "", "")
	fl.IntVar(&baseline, "baseline", 12, "")
	fl.BoolVar(&exclude, "exclude-flagged-baseline", false, "")
	fl.IntVar(&minCount, "min-count", 3, "")
	fl.Float64Var(&fdr, "fdr", 0.05, "")
	fl.IntVar(&top, "top", 20, "")
	sf.add(fl, "")
	fl.BoolVar(&store, "store", false, "")
	composedLong["help_rootcause"] = rootcauseHelp
	return c
}

// rootcauseHelp is the long help of `complaints rootcause` in lang: the plain-words method the report's 根因 sheet
// shows too (render.MethodKeys), then what the help alone needs.
func rootcauseHelp(lang string) string {
	parts := []string{render.Method(lang, "\n\n")}
	for _, k := range []string{"rc_help_privacy", "rc_help_options", "rc_help_docs"} {
		parts = append(parts, catalog.Text(k, lang))
	}
	return strings.Join(parts, "\n\n")
}
