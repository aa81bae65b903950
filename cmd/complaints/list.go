package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"complaints/catalog"
	"complaints/internal/atomicfile"
	"complaints/pipeline"
	"complaints/readmodel"
	"complaints/reports/list"
)

func newListCmd(g *globals) *cobra.Command {
	var period, category, cause, channel, bchannel, province, class, figure, status, format, lang, out string
	var sf scopeFlags
	c := &cobra.Command{
		Use:   "list",
		Short: "Export the complaints behind a figure (masked), so every number can be traced to its records",
		Long: `list writes the complaints that one figure of the reports counts, with the figures' own definitions
(primary complaints only, complaints not accepted and non-complaint work orders left out). --figure is any
count of the workbooks, e.g.:

  received                   received in the period (withdrawn complaints included)
  received_regulator         of which regulator-referred (a merged duplicate group holding a referral included)
  received_major, received_repeat
  repeat_complaints          the repeat complaints received in the period and the earlier ones they repeat
  closed                     a valid reply date in the period; closed_0_15, closed_16_30, closed_31_60,
                             closed_over_60 by handling days; closed_regulatory_on_time, closed_internal_on_time
  open_at_start              open at the period's first day
  open_at_end (or open)      received by the period's last day and not replied to by it (withdrawn and invalid
                             reply dates excluded; none past the newest export's month)
  overdue_at_end (or overdue)  open at the last day with the regulatory deadline before it;
                             internal_overdue_at_end with the internal one

--status is the older name of --figure (received, closed, open, overdue).
--category, --cause, --intake-channel (where the complaint came in, as reported, so a group holding a regulator
referral is regulator_referral), --business-channel (where the customer did the business: counter, mobile app
...) and --province take a catalogue code, its Chinese or English name or any spelling the catalogue knows
(complaints taxonomy codes <dimension> lists them; a miss names the closest), --class general, complex or
missing; --branch a branch code, name or alias of the
branch master (its sub-branches included, as in report --branch); --as-of lists the complaints as they stood at
the end of that day, behind the figures of report --as-of. Customers appear only masked (name and phone); no customer key is written. A complaint id that is a
phone, ID or card number shows keyed in the complaint key and masked in the source id column. CSV is UTF-8 with a
BOM, and a text cell starting with = + - @, a tab or a carriage return gets a leading quote so that no
spreadsheet reads it as a formula. XLSX has a title block (institution, period, figure, filters), dates as
dates, and continues on a next sheet past Excel's last row. Sources show as their config label:, summaries
(scrubbed) their first 200 characters.`,
		Example: `  complaints list --period 2026-10                                   # received in October, CSV on stdout
  complaints list --period 2026-Q3 --status overdue --format xlsx     # overdue at 30 September
  complaints list --period 2026-10 --figure received_regulator --intake-channel regulator_referral
  complaints list --period 2026-10 --status closed --category credit_card --out closed.csv
  complaints list --period 2026-10 --category 信用卡 --business-channel 手机银行      # names work as well as codes
  complaints list --period 2026 --cause pricing_fees --branch 440106 --format xlsx --lang en --out fees-440106.xlsx
  complaints list --period 2026-10 --status open --as-of 2026-11-05               # open at 31 October, as filed`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			env, err := g.env()
			if err != nil {
				return err
			}
			if _, err := sf.options(); err != nil {
				return err
			}
			if period == "" {
				period = pipeline.PreviousMonth(time.Now())
			}
			if err := checkLang(lang); err != nil {
				return err
			}
			canonical := func(f string) string {
				if a, ok := readmodel.ListAliases[f]; ok {
					return a
				}
				return f
			}
			if figure != "" && status != "" && canonical(figure) != canonical(status) {
				return usageError{catalog.Errorf("msg_figures_status_and_figure", status, figure)}
			}
			if figure == "" {
				figure = status
			}
			if figure == "" {
				figure = "received"
			}
			opts := list.Options{ListOptions: readmodel.ListOptions{Period: period, Figure: figure, Category: category,
				Cause: cause, IntakeChannel: channel, BusinessChannel: bchannel, Province: province, Class: class}, Format: format, Lang: env.Lang(lang),
				Institution: env.Config.Institution, SourceLabels: env.Config.SourceLabels()}
			if err := opts.Validate(); err != nil {
				return usageError{err}
			}
			if opts.Format == list.XLSX && out == "" {
				out = env.OutputPath("", fmt.Sprintf("list-%s-%s.xlsx", period, figure))
			}
			env, w, _, done, err := g.openFor(cmd, sf, true) // --branch and --as-of: a scoped copy
			if err != nil {
				return err
			}
			defer done()
			if out == "" || out == "-" {
				_, err := list.Write(cmd.Context(), w.DB, opts, cmd.OutOrStdout())
				return err
			}
			if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
				return catalog.Errorf("msg_cli_list_failed", err)
			}
			tmp, err := os.CreateTemp(filepath.Dir(out), ".list-*")
			if err != nil {
				return catalog.Errorf("msg_cli_list_failed", err)
			}
			defer os.Remove(tmp.Name())
			n, err := list.Write(cmd.Context(), w.DB, opts, io.Writer(tmp))
			if cerr := tmp.Close(); err == nil {
				err = cerr
			}
			if err == nil {
				err = os.Chmod(tmp.Name(), atomicfile.Mode())
			}
			if err != nil {
				return err
			}
			if err := os.Rename(tmp.Name(), out); err != nil {
				return catalog.Errorf("msg_cli_list_failed", err)
			}
			fmt.Fprintln(cmd.OutOrStdout(), catalog.Msg("msg_cli_list_written", period, figure, n, out))
			return nil
		},
	}
	fl := c.Flags()
	fl.StringVar(&period, "period", "", "period: 2026-10, 2026-Q3, 2026-H1 or 2026 (default: the previous month)")
	fl.StringVar(&figure, "figure", "", "which figure: received (default), closed, open_at_end, overdue_at_end ... (see above)")
	fl.StringVar(&status, "status", "", "the older name of --figure: received, closed, open (at the period's end) or overdue (at the period's end)")
	fl.StringVar(&channel, "intake-channel", "", "intake channel as reported: code or name (default: all)")
	fl.StringVar(&bchannel, "business-channel", "", "business channel: code or name (default: all)")
	fl.StringVar(&province, "province", "", "province: code or name (default: all)")
	fl.StringVar(&class, "class", "", "complaint class: general, complex or missing (default: all)")
	fl.StringVar(&category, "category", "", "business category: code or name, e.g. credit_card or 信用卡 (default: all)")
	fl.StringVar(&cause, "cause", "", "cause: code or name (default: all)")
	sf.add(fl, "branch code, name or alias, its sub-branches included (default: all)")
	fl.StringVar(&format, "format", list.CSV, "csv or xlsx")
	fl.StringVar(&lang, "lang", "", "zh or en (default: the config's language)")
	fl.StringVar(&out, "out", "", "output file (default: stdout for csv, <output_dir>/list-<period>-<figure>.xlsx for xlsx)")
	return c
}
