package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"complaints/catalog"
	"complaints/config"
	"complaints/pipeline"
	"complaints/readmodel"
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
		Short: "Quality-team root-cause analytics: Pareto, control charts, recurrence, repeats, emerging issues, terms",
		// Long is set in the user's language when help is shown (rootcauseHelp).
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
			var acts []rootcause.Action
			if remediation != "" {
				var err error
				if acts, err = rootcause.LoadRemediation(remediation); err != nil {
					return usageError{err}
				}
			}
			env, w, _, done, err := g.openFor(cmd, sf, !store)
			if err != nil {
				return err
			}
			defer done()
			pm, err := readmodel.ParseMonth(period)
			if err != nil {
				return usageError{err}
			}
			excluded, coverage, err := readmodel.ForAnalysis(cmd.Context(), w.DB, pm, env.Lang(lang))
			if err != nil {
				return err
			}
			f, err := rootcause.Analyze(cmd.Context(), w.DB, rootcause.Options{Period: period, BaselineMonths: baseline,
				ExcludeFlaggedFromBaseline: exclude, MinCount: minCount, FDR: fdr, Customers: env.Customers(),
				IncompleteMonths: excluded, Coverage: coverage})
			if err != nil {
				return err
			}
			if remediation != "" {
				rootcause.ApplyRemediation(f, acts)
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
	fl.StringVar(&period, "period", "", "month to analyse, YYYY-MM (default: the previous month)")
	fl.StringVar(&lang, "lang", "", "zh or en (default: the config's language)")
	fl.StringVar(&format, "format", "table", "table, csv or json")
	fl.StringVar(&remediation, "remediation", "", "remediation tracking file (CSV or YAML) to show beside recurring findings")
	fl.IntVar(&baseline, "baseline", 12, "baseline months before the period for the control charts")
	fl.BoolVar(&exclude, "exclude-flagged-baseline", false, "drop baseline months outside the limits and recompute them")
	fl.IntVar(&minCount, "min-count", 3, "recurrence: minimum complaints in a month")
	fl.Float64Var(&fdr, "fdr", 0.05, catalog.Text("rc_flag_fdr", "en"))
	fl.IntVar(&top, "top", 20, "rows per section in table and csv output (0 = all)")
	sf.add(fl, "analyse one branch and its sub-branches only (code, name or alias)")
	fl.BoolVar(&store, "store", false, "also store the control charts in the warehouse table mart_control_chart")
	help := c.HelpFunc()
	c.SetHelpFunc(func(cmd *cobra.Command, args []string) {
		l := helpLang(g, lang)
		cmd.Long = rootcauseHelp(l)
		cmd.Flags().Lookup("fdr").Usage = catalog.Text("rc_flag_fdr", l)
		help(cmd, args)
	})
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

// helpLang is the language of a command's help: --lang when given, else the config's language (the default
// config's when there is no file or it does not load).
func helpLang(g *globals, flag string) string {
	if flag == "zh" || flag == "en" {
		return flag
	}
	path := g.config
	if path == "" && exists(config.DefaultFile) {
		path = config.DefaultFile
	}
	if path != "" {
		if cfg, err := config.Load(path); err == nil {
			return cfg.Language
		}
	}
	return config.Default().Language
}
