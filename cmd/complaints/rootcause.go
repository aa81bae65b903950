package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

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
		Long: `rootcause analyses one month against its baseline from the warehouse's marts (domain.md section 8) and
prints the findings ranked, each with its evidence (counts by month, limits, the rule that fired, p-values).
No customer key or personal data is printed: repeat complainants are counts only.

  How it decides    every finding comes from a test of a count against its own history: the exact conditional
                    binomial test of the tested months' count against the complete baseline months' count, the
                    month's complaints of the whole bank (or the customers, for a u-chart) as exposure, widened
                    where the baseline months vary more than chance (quasi-Poisson, Student t). Months before the
                    data's first month are no data, never zeros. One Benjamini-Hochberg family at --fdr covers
                    every test of the run; the output states its size. A series with fewer than 6 complete
                    baseline months has insufficient history: listed, not judged.
  Findings          every test passed, in one list ranked by excess complaints (observed minus the count the
                    series' own history predicts), each with one sentence saying what is unusual and since when
                    (the first month of the run of months above expected); a series with nothing before is
                    "new" (no rise). Pareto, repeat complainants, terms and the recurring list are descriptive.
  Emerging issues   a business category, cause, category x cause, branch or business channel whose period test
                    passes, at least +50% above its expected count and at least 10 complaints.
  Control charts    per business category, cause, branch and business channel. c-chart of monthly counts:
                    centre = mean of the complete months among the --baseline months before the period, limits =
                    centre ± 3·sqrt(centre) (lower floored at 0). u-chart of complaints per 10,000 personal
                    customers where the config gives a denominator (denominators.personal_customers,
                    personal_customers_by_month for the bank-wide series, personal_customers_by_branch for
                    branches): centre ū = baseline complaints / baseline customers in 10,000s, limits at month i
                    ū ± 3·sqrt(ū/n_i). Western Electric rule 1 (beyond 3 sigma) and rule 4 (8 in a row on one
                    side) are shown as evidence; a series is flagged when its period test passes. Sparse series
                    (expected count under 5) are not charted, only tested. Branches are shown by their name.
  Rising            (branch, cause) and (business category, cause) whose last 3 months are above their earlier
                    months (the test above).
  Recurring         (branch, cause) and (business category, cause) with at least --min-count complaints in at least
                    3 of the 6 months ending at the period; first seen, trend (last 3 vs previous 3 months, slope);
                    elevated when the 6 months' test against the months before them passes and 3 of the 6 are above
                    the expected count (every pair is tested, so no pair is picked on the months it is tested on).
  Peers             a branch whose share of one cause over the 6 months is above the other branches' share.
  Bank total        all complaints of the month against the bank's own complete baseline months (the other
                    tests compare shares of the month's complaints, so only this one sees a bank-wide rise).
  Pareto            causes and category x cause in the period; the vital few reach 80% cumulative share.
  Repeat            customers with a repeat complaint (another primary complaint of theirs in the 90 days before
                    it; looking back only, so a month's figure is final once it ends), their repeats and the
                    earlier complaints repeated: counts and shares, per branch.
  Terms             narrative words and phrases whose share rises most against the baseline: smoothed log-ratio
                    log((a+1)/(A+V)) - log((b+1)/(B+V)), at least 5 in the period, per business category.
                    Chinese is segmented with a built-in banking lexicon (words and runs of up to 4 words);
                    stop words and spoken fillers (Chinese and English) and redaction marks (XXXX, 某某,
                    [手机号]) are removed; a piece of a longer word is not shown on its own.

--remediation FILE (CSV or YAML: cause and/or business_category and/or branch, action, owner, status, due) shows
the actions beside each recurring finding and marks findings with no action, or with one overdue (due before the
period's last day and not done). A finding with an open action is "under remediation", never "new"; one with a
completed action shows its complaints a month before and after the action's due date and whether the drop is
beyond chance.

--as-of DATE analyses the data as it stood at the end of that day; --branch one branch and its sub-branches
(code, name or alias): a scoped copy of the warehouse, so --store is not allowed with them.`,
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
	fl.Float64Var(&fdr, "fdr", 0.05, "Benjamini-Hochberg false discovery rate")
	fl.IntVar(&top, "top", 20, "rows per section in table and csv output (0 = all)")
	sf.add(fl, "analyse one branch and its sub-branches only (code, name or alias)")
	fl.BoolVar(&store, "store", false, "also store the control charts in the warehouse table mart_control_chart")
	return c
}
