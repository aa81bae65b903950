package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"complaints/internal/atomicfile"
	"complaints/pipeline"
	"complaints/reports/list"
)

func newListCmd(g *globals) *cobra.Command {
	var period, category, cause, status, format, lang, out string
	var sf scopeFlags
	c := &cobra.Command{
		Use:   "list",
		Short: "Export the complaints behind a figure (masked), so every number can be traced to its records",
		Long: `list writes the complaints that one figure of the reports counts, with the figures' own definitions
(primary complaints only, complaints not accepted and non-complaint work orders left out):

  received   received in the period (withdrawn complaints included)
  closed     a valid reply date in the period
  open       received by the period's last day and not replied to by it (withdrawn and invalid reply dates excluded)
  overdue    open at the period's last day with the regulatory deadline before it

--category and --cause take catalogue codes (complaints taxonomy), --branch a branch code, name or alias of the
branch master (its sub-branches included, as in report --branch); --as-of lists the complaints as they stood at
the end of that day, behind the figures of report --as-of. Customers appear only masked (name and phone); no customer key is written. A complaint id that is a
phone, ID or card number shows keyed in the complaint key and masked in the source id column. CSV is UTF-8 with a
BOM, and a text cell starting with = + - @, a tab or a carriage return gets a leading quote so that no
spreadsheet reads it as a formula. XLSX continues on a next sheet past 1,048,575 rows.`,
		Example: `  complaints list --period 2026-10                                   # received in October, CSV on stdout
  complaints list --period 2026-Q3 --status overdue --format xlsx     # overdue at 30 September
  complaints list --period 2026-10 --status closed --category credit_card --out closed.csv
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
			opts := list.Options{Period: period, Status: status, Category: category, Cause: cause,
				Format: format, Lang: env.Lang(lang)}
			if err := opts.Validate(); err != nil {
				return usageError{err}
			}
			if opts.Format == list.XLSX && out == "" {
				out = env.OutputPath("", fmt.Sprintf("list-%s-%s.xlsx", period, opts.Status))
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
				return fmt.Errorf("list: %w", err)
			}
			tmp, err := os.CreateTemp(filepath.Dir(out), ".list-*")
			if err != nil {
				return fmt.Errorf("list: %w", err)
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
				return fmt.Errorf("list: %w", err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "list (%s, %s): %d complaints: %s\n", period, opts.Status, n, out)
			return nil
		},
	}
	fl := c.Flags()
	fl.StringVar(&period, "period", "", "period: 2026-10, 2026-Q3, 2026-H1 or 2026 (default: the previous month)")
	fl.StringVar(&status, "status", list.Received, "which figure: received, closed, open (at the period's end) or overdue (at the period's end)")
	fl.StringVar(&category, "category", "", "business category code (default: all)")
	fl.StringVar(&cause, "cause", "", "cause code (default: all)")
	sf.add(fl, "branch code, name or alias, its sub-branches included (default: all)")
	fl.StringVar(&format, "format", list.CSV, "csv or xlsx")
	fl.StringVar(&lang, "lang", "", "zh or en (default: the config's language)")
	fl.StringVar(&out, "out", "", "output file (default: stdout for csv, <output_dir>/list-<period>-<status>.xlsx for xlsx)")
	return c
}
