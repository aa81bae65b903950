package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"time"

	"github.com/spf13/cobra"

	"complaints/catalog"
	"complaints/dashboards"
	"complaints/ingest"
	"complaints/pipeline"
	"complaints/readmodel"
	"complaints/sample-data/generator"
	"complaints/warehouse"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func newIngestCmd(g *globals) *cobra.Command {
	var profile string
	var dryRun bool
	var maxRejectRate float64
	var inbox string
	var adoptKey bool
	var lakeDir string
	c := &cobra.Command{
		Use:   "ingest [FILE...]",
		Short: "Land export files in the warehouse (every configured source when no file is given)",
		Long: `ingest reads export files, maps their columns to the landing fields, replaces personal identifiers
by keyed hashes and masks, and lands each file as one batch in one transaction. A file already ingested
(same sha256) is skipped. Rows that cannot be complaint records are rejected with a reason; the summary
shows read = accepted + rejected for every file.`,
		Example: `  complaints ingest                                  # every source of complaints.yaml by its glob
  complaints ingest exports/hotline_20261105.csv     # one file; its profile is found by glob
  complaints ingest --profile hotline new.csv        # one file read with a named profile
  complaints ingest --dry-run exports/*.xlsx         # read and report, land nothing
  complaints ingest --inbox /sftp/complaints         # every new file dropped there; moved to done/ or failed/
  complaints ingest --lake /data/lake/complaints     # the complaints of a Parquet lake (export), same key`,
		RunE: func(cmd *cobra.Command, args []string) error {
			env, w, err := g.openKeyed(cmd)
			if err != nil {
				return err
			}
			defer w.Close()
			opts := env.IngestOptions(dryRun)
			opts.AdoptKey = adoptKey
			if cmd.Flags().Changed("max-reject-rate") {
				if maxRejectRate < 0 || maxRejectRate > 1 {
					return usageError{catalog.Errorf("msg_cli_max_reject_rate", maxRejectRate)}
				}
				opts.MaxRejectRate = maxRejectRate
			}
			var res []ingest.FileResult
			switch {
			case inbox != "" && len(args) > 0:
				return usageError{catalog.Errorf("msg_cli_inbox_args")}
			case lakeDir != "" && (inbox != "" || len(args) > 0):
				return usageError{catalog.Errorf("msg_lake_with_files")}
			case lakeDir != "":
				res, err = ingest.IngestLake(cmd.Context(), w, opts, lakeDir)
			case inbox != "":
				res, err = ingest.IngestInbox(cmd.Context(), w, opts, inbox)
			case len(args) > 0:
				res, err = ingest.IngestFiles(cmd.Context(), w, opts, args, profile)
			default:
				res, err = ingest.IngestSources(cmd.Context(), w, opts)
			}
			pipeline.PrintIngest(cmd.OutOrStdout(), res)
			if err != nil {
				return err
			}
			if n := (&pipeline.Summary{Files: res}).Failed(); n > 0 {
				return catalog.Errorf("msg_cli_files_failed", n, len(res))
			}
			return nil
		},
	}
	c.Flags().StringVar(&profile, "profile", "", "source profile to read the files with (default: the profile whose glob matches)")
	c.Flags().BoolVar(&dryRun, "dry-run", false, "read and report without landing anything")
	c.Flags().BoolVar(&adoptKey, "adopt-key", false, "record the privacy key as this warehouse's when it holds hashed data but no key fingerprint (built by an earlier version); only with the key it was built with")
	c.Flags().StringVar(&lakeDir, "lake", "", "take back the complaints of a Parquet lake written by export (its key fingerprint must be this key's)")
	c.Flags().StringVar(&inbox, "inbox", "", "take every new file dropped in DIR; landed ones move to DIR/done, failed ones to DIR/failed with a .reason.txt")
	c.Flags().Float64Var(&maxRejectRate, "max-reject-rate", 0.2, "a file rejecting more than this share of its rows is not taken at all (config: ingest.max_reject_rate)")
	return c
}

func newNormalizeCmd(g *globals) *cobra.Command {
	var full bool
	c := &cobra.Command{
		Use:   "normalize",
		Short: "Rebuild the canonical complaints and the marts from the landed rows",
		Long: `normalize types the landed rows, maps categories to the catalogue's codes, keeps the newest version of
each complaint, applies the branch master and the corrections file, computes both deadlines, links customers,
duplicates and repeat complainants, and rebuilds the marts that reports and dashboards read, in one
transaction. By default only complaints in batches not yet normalised are re-derived (everything is rebuilt
when the models, catalogue, calendar, branch master or policy changed); --full rebuilds from every landed row
and gives identical tables.`,
		Example: `  complaints normalize
  complaints normalize --full --warehouse /data/complaints.duckdb`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			env, w, err := g.open(cmd, false)
			if err != nil {
				return err
			}
			defer w.Close()
			env.FullNormalize = full
			res, err := env.Normalize(cmd.Context(), w)
			if err != nil {
				return err
			}
			pipeline.PrintSummary(cmd.OutOrStdout(), &pipeline.Summary{Normalize: res})
			return nil
		},
	}
	c.Flags().BoolVar(&full, "full", false, "rebuild every complaint from every landed row")
	return c
}

func newReportCmd(g *globals) *cobra.Command {
	var period, lang, out, kind, format string
	var sf scopeFlags
	var record, allowIncomplete bool
	c := &cobra.Command{
		Use:   "report",
		Short: "Write the regulator workbook (.xlsx) for a month, quarter, half-year or year",
		Long: `report writes the Excel workbook for a month from the marts: a cover with the definitions of every
figure, the summary with month-on-month and year-on-year changes, the table by business category (R1) and
the data-quality sheet, timeliness by complaint type and branch, and the overdue and open list. The annual kind
adds the public disclosure (complaints after merging duplicates, shares by business category, cause and region,
year on year). --format csv writes every sheet as a UTF-8 CSV with a byte-order mark, in a folder (or as
<name>-NN-<sheet>.csv beside an --out ending in .xlsx or .csv). Set SOURCE_DATE_EPOCH to fix the "generated at"
time for byte-identical files.

--as-of DATE uses only the versions ingested by the end of that day (Beijing time), so October regenerated in
December shows the October figures as filed. --branch writes one branch's own workbook: its complaints and
those of its sub-branches (branch master parent), nothing of any other branch (rejected rows, which cannot be
attributed to a branch, are left out). --record-filing stores the figures as submitted; every later workbook
of the period lists, on its 更正/Restatements sheet, each filed figure the data now changes and the
complaints behind the change. An incomplete period (an active source's export missing or under half its usual
volume, judged bank-wide) is refused with exit status 1 unless --allow-incomplete is given.`,
		Example: `  complaints report --period 2026-10
  complaints report --period 2026-Q3                 # quarterly: flows summed, stocks at the quarter's ends
  complaints report --period 2026-H1
  complaints report --period 2025                    # the year: the annual kind, with the disclosure sheet
  complaints report --period 2025 --kind monthly     # the year's figures without the disclosure
  complaints report --period 2026-10 --format csv    # out/report-2026-10/01-封面.csv ...
  complaints report --period 2026-10 --lang en --out /reports/2026-10-en.xlsx
  complaints report --period 2026-10 --record-filing        # the workbook submitted; its figures are kept
  complaints report --period 2026-10 --as-of 2026-11-05     # October as the data stood on 5 November
  complaints report --period 2026-10 --branch GZ001         # one branch (code or name) and its sub-branches`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if period == "" {
				period = pipeline.PreviousMonth(time.Now())
			}
			if _, err := readmodel.ParsePeriod(period); err != nil {
				return usageError{err}
			}
			if err := checkLang(lang); err != nil {
				return err
			}
			if err := checkReportKind(period, kind, format); err != nil {
				return err
			}
			env, w, s, done, err := g.openFor(cmd, sf, false)
			if err != nil {
				return err
			}
			defer done()
			if err := env.CheckCoverage(cmd.Context(), w.DB, period, allowIncomplete); err != nil {
				return err
			}
			if s != nil && out == "" {
				out = env.OutputPath("", scopedName("report-"+period, s))
				if format != "csv" {
					out += ".xlsx"
				}
			}
			path, err := env.Report(cmd.Context(), w, period, lang, out, pipeline.ReportKind(kind), pipeline.ReportFormat(format))
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), catalog.Msg("msg_cli_report", period, path))
			if record {
				id, err := env.RecordFiling(cmd.Context(), w, s, period, path)
				if err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), catalog.Msg("msg_cli_filing", id, period))
			}
			return nil
		},
	}
	sf.add(c.Flags(), "write one branch's own workbook (code, name or alias; its sub-branches included)")
	c.Flags().BoolVar(&record, "record-filing", false, "store this workbook's figures as filed; later workbooks of the period show what changed")
	c.Flags().BoolVar(&allowIncomplete, "allow-incomplete", false, allowIncompleteHelp)
	c.Flags().StringVar(&period, "period", "", "period to report: 2026-10, 2026-Q3, 2026-H1 or 2026 (default: the previous month)")
	c.Flags().StringVar(&lang, "lang", "", "zh or en (default: the config's language)")
	c.Flags().StringVar(&out, "out", "", "output file (default: <output_dir>/report-<period>.xlsx, or the folder report-<period> for csv)")
	c.Flags().StringVar(&kind, "kind", "", "monthly, quarterly or annual (default: from the period: 2026-10 monthly, 2026-Q3 quarterly, 2026 annual)")
	c.Flags().StringVar(&format, "format", "xlsx", "xlsx, or csv (every sheet as a UTF-8-with-BOM CSV file)")
	return c
}

func newDashboardCmd(g *globals) *cobra.Command {
	var from, to, lang, out string
	var sf scopeFlags
	var withMap, allowIncomplete, withSummaries bool
	c := &cobra.Command{
		Use:   "dashboard",
		Short: "Write the self-contained HTML dashboard (opens with no network)",
		Long: `dashboard writes one HTML file with the ECharts library inlined: headline figures, the monthly trend by
business category, the Pareto of causes, timeliness, recurring branch x cause pairs and the geography of
complaints (with --map, a China map). It opens from a shared drive or an e-mail attachment with no network at all.
A click on a bar, a Sankey node or an underlined name opens the last month's complaints behind it (at most 50,
masked, no free text unless --with-summaries) with the total and the complaints list command that returns them all.`,
		Example: `  complaints dashboard                                 # the 13 months ending last month
  complaints dashboard --from 2025-11 --to 2026-10 --out /share/dashboard.html
  complaints dashboard --branch 广州天河支行          # one branch's page (name, alias or code; sub-branches included)
  complaints dashboard --branch GZ001                  # the same by the branch master's code
  complaints dashboard --to 2026-10 --as-of 2026-11-05  # the data as it stood on 5 November
  complaints dashboard --map                           # add the China map (internal use: it has no 审图号)
  complaints dashboard --with-summaries                # drill-down tables with the scrubbed summaries (internal use)`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if to == "" {
				to = pipeline.PreviousMonth(time.Now())
			}
			if from == "" {
				from = pipeline.AddMonths(to, -12)
			}
			for _, p := range []string{from, to} {
				if _, err := pipeline.ParseMonth(p); err != nil {
					return usageError{err}
				}
			}
			if from > to {
				return usageError{catalog.Errorf("msg_cli_from_after_to", from, to)}
			}
			if err := checkLang(lang); err != nil {
				return err
			}
			env, w, s, done, err := g.openFor(cmd, sf, false)
			if err != nil {
				return err
			}
			defer done()
			if err := env.CheckCoverage(cmd.Context(), w.DB, to, allowIncomplete); err != nil {
				return err
			}
			if s != nil && out == "" {
				out = env.OutputPath("", scopedName("dashboard", s)+".html")
			}
			path, err := env.Dashboard(cmd.Context(), w, from, to, lang, out, withMap,
				func(o *dashboards.Options) { o.WithSummaries = withSummaries })
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), catalog.Msg("msg_cli_dashboard_range", from, to, path))
			return nil
		},
	}
	c.Flags().StringVar(&from, "from", "", "first month, YYYY-MM (default: 12 months before --to)")
	c.Flags().StringVar(&to, "to", "", "last month, YYYY-MM (default: the previous month)")
	c.Flags().StringVar(&lang, "lang", "", "zh or en (default: the config's language)")
	sf.add(c.Flags(), "show one branch's data only: code, name or alias (its sub-branches included)")
	c.Flags().BoolVar(&allowIncomplete, "allow-incomplete", false, allowIncompleteHelp)
	c.Flags().BoolVar(&withSummaries, "with-summaries", false, "show the complaints' scrubbed summaries (first 200 characters) in the drill-down tables (off by default: no free text)")
	c.Flags().BoolVar(&withMap, "map", false, "also draw a China map by province (off by default: a map without an approval number, 审图号, is a compliance risk; needs `make assets`)")
	c.Flags().StringVar(&out, "out", "", "output file (default: <output_dir>/dashboard.html, or dashboard-<branch code>.html)")
	return c
}

func newRunCmd(g *globals) *cobra.Command {
	var period, lang string
	var adoptKey, allowIncomplete bool
	var record bool
	c := &cobra.Command{
		Use:   "run [FILE...]",
		Short: "The monthly job: ingest, normalise, report and dashboard for a period",
		Long: `run does the whole monthly job: ingests every configured source (or the files given), normalises, and
writes the period's workbook and the 13-month dashboard, then prints a summary. --period defaults to the
previous month, so a monthly cron line needs no date. The exit code is non-zero when any file failed, and 1
when the period is incomplete (an active source's export missing or under half its usual volume: one sentence
names the source and the newest complete month; --allow-incomplete goes ahead, and the outputs say so).
--record-filing stores the workbook's figures as filed, as report --record-filing does.`,
		Example: `  # crontab: 06:00 on the 3rd of every month
  0 6 3 * * cd /data/complaints && complaints run --log-format json >> run.log 2>&1

  complaints run --period 2026-10
  complaints run --period 2026-10 --record-filing   # the workbook submitted: later ones show restatements`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if period == "" {
				period = pipeline.PreviousMonth(time.Now())
			}
			if _, err := pipeline.ParseMonth(period); err != nil {
				return usageError{err}
			}
			if err := checkLang(lang); err != nil {
				return err
			}
			env, w, err := g.openKeyed(cmd)
			if err != nil {
				return err
			}
			defer w.Close()
			s, err := env.Run(cmd.Context(), w, pipeline.RunOptions{Period: period, Files: args, Lang: lang, RecordFiling: record, AdoptKey: adoptKey, AllowIncomplete: allowIncomplete})
			pipeline.PrintSummary(cmd.OutOrStdout(), s)
			return err
		},
	}
	c.Flags().StringVar(&period, "period", "", "month to report, YYYY-MM (default: the previous month)")
	c.Flags().StringVar(&lang, "lang", "", "zh or en (default: the config's language)")
	c.Flags().BoolVar(&record, "record-filing", false, "store the workbook's figures as filed; later workbooks of the period show what changed")
	c.Flags().BoolVar(&allowIncomplete, "allow-incomplete", false, allowIncompleteHelp)
	c.Flags().BoolVar(&adoptKey, "adopt-key", false, "as ingest --adopt-key: record the privacy key of a warehouse built before key fingerprints")
	return c
}

func newSampleCmd(g *globals) *cobra.Command {
	var seed int64
	var months, rows, lastLedgers, hotlineRows int
	var end, out, ledgers string
	var noSignal bool
	c := &cobra.Command{
		Use:   "sample",
		Short: "Generate a realistic sample project (exports, config and the truth behind them)",
		Long: `sample writes a demo bank's exports as real systems hand them over (GB18030 hotline CSV, NDJSON online
platform, XLSX walk-in log with a merged title row, letters CSV with a BOM, referrals XLSX, and a later
hotline export with changed statuses), a complaints.yaml to read them, and truth.json: the figures the
generator planted, to check the pipeline against. The same seed gives the same bytes.`,
		Example: `  complaints sample --out /tmp/bank
  complaints sample --seed 7 --months 36 --rows 100000 --out /tmp/big
  cd /tmp/bank && complaints run --period 2026-10`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return usageError{catalog.Errorf("msg_cli_sample_out")}
			}
			endMonth, err := pipeline.ParseMonth(end)
			if err != nil {
				return usageError{err}
			}
			opts := generator.Options{Seed: seed, Months: months, Rows: rows, End: endMonth, NoSignal: noSignal}
			switch ledgers {
			case "":
				if lastLedgers != 0 || hotlineRows != 0 {
					return usageError{catalog.Errorf("msg_bench_ledgers_only")}
				}
			case "monthly":
				if lastLedgers < 0 || hotlineRows < 0 {
					return usageError{catalog.Errorf("msg_bench_ledgers_negative")}
				}
				opts.LastLedgers, opts.HotlineRows = lastLedgers, hotlineRows
				s, err := generator.GenerateLedgers(opts, out)
				if err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), catalog.Msg("msg_bench_ledgers_written", len(s.Files), s.Complaints, s.Rows,
					s.DistinctVersions(), s.Versions[1], s.Versions[2], s.Versions[3]))
				if s.Hotline != nil {
					fmt.Fprintln(cmd.OutOrStdout(), catalog.Msg("msg_bench_hotline_written", s.Hotline.File, s.Hotline.Rows))
				}
				fmt.Fprintln(cmd.OutOrStdout(), catalog.Msg("msg_bench_ledgers_project", out))
				return nil
			default:
				return usageError{catalog.Errorf("msg_bench_ledgers_mode", ledgers)}
			}
			// the demo bank holds every record until its truth is computed, a heap that only grows: a lower GC
			// target keeps its peak RSS nearer the live records (docs/performance.md)
			defer debug.SetGCPercent(debug.SetGCPercent(25))
			truth, err := generator.Generate(opts, out)
			if err != nil {
				return err
			}
			_ = truth
			fmt.Fprintln(cmd.OutOrStdout(), catalog.Msg("msg_cli_sample_written", out))
			return nil
		},
	}
	c.Flags().Int64Var(&seed, "seed", 20261031, "random seed (the same seed gives the same files)")
	c.Flags().IntVar(&months, "months", 24, "months of data")
	c.Flags().IntVar(&rows, "rows", 20000, "approximate number of complaints")
	c.Flags().StringVar(&end, "end", "2026-10", "last month, YYYY-MM")
	c.Flags().StringVar(&out, "out", "", "folder to write the project to (required)")
	c.Flags().StringVar(&ledgers, "ledgers", "", "monthly: cumulative monthly ledgers instead (every complaint since the start, with that month's status, one file a month); --rows counts distinct complaints")
	c.Flags().IntVar(&lastLedgers, "last-ledgers", 0, "with --ledgers: write only the last N ledgers of the window (0: all); they still hold the complaints of every month")
	c.Flags().IntVar(&hotlineRows, "hotline-rows", 0, "with --ledgers: also write the hotline's GB18030 export of N complaint calls over the window, and its source profile (0: none)")
	c.Flags().BoolVar(&noSignal, "no-signal", false, "a bank without planted signals (month-to-month noise and working-day seasonality only), to check that root-cause analysis flags nothing")
	return c
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print the version of complaints and of its embedded DuckDB",
		Example: "  complaints version",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			v := version
			if bi, ok := debug.ReadBuildInfo(); ok && v == "dev" {
				for _, s := range bi.Settings {
					if s.Key == "vcs.revision" && len(s.Value) >= 12 {
						v = "dev+" + s.Value[:12]
					}
				}
			}
			fmt.Fprintf(cmd.OutOrStdout(), "complaints %s (%s, %s/%s, duckdb %s)\n", v, runtime.Version(), runtime.GOOS, runtime.GOARCH, warehouse.EngineVersion())
			return nil
		},
	}
}

// allowIncompleteHelp is the --allow-incomplete flag of report, dashboard and run.
const allowIncompleteHelp = "write the outputs of an incomplete period (a source's export missing or under half its usual volume; they say so) instead of stopping with exit status 1"

func checkLang(lang string) error {
	if lang != "" && lang != "zh" && lang != "en" {
		return usageError{catalog.Errorf("msg_cli_lang", lang)}
	}
	return nil
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }
