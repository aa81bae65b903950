package main

import (
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/spf13/cobra"

	"complaints/catalog"
	"complaints/config"
	"complaints/internal/atomicfile"
	"complaints/internal/termlog"
	"complaints/internal/termtext"
	"complaints/pipeline"
	"complaints/warehouse"
)

// globals are the flags every command shares.
type globals struct {
	warehouse string
	config    string
	logFormat string
	logLevel  string
	lang      string // --lang as given on the command line (a command's own --lang or the global one), else ""
}

func newRoot() *cobra.Command {
	g := &globals{}
	root := &cobra.Command{
		Use:   "complaints",
		Short: "Turn banks' consumer-complaint exports into regulator workbooks and offline dashboards",
		Long: `complaints ingests the exports complaint systems and branches produce (CSV in GB18030 or UTF-8,
XLSX with title rows, JSON, Parquet), normalises categories and time limits in an embedded DuckDB
warehouse, and writes Excel regulator reports and self-contained HTML dashboards. Nothing reaches a network.

A config file (complaints.yaml in the working folder, or --config) names the sources and policy values;
see complaints.example.yaml. Without one, built-in defaults apply.`,
		Example: `  # the whole job on the bundled sample data
  complaints demo

  # the monthly job (period defaults to the previous month)
  complaints run --config /data/complaints/complaints.yaml`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	pf := root.PersistentFlags()
	pf.StringVar(&g.warehouse, "warehouse", "", "DuckDB warehouse file (default: the config's warehouse.path, ./complaints.duckdb)")
	pf.StringVar(&g.config, "config", "", "config file (default: ./complaints.yaml if it exists, else built-in defaults)")
	pf.StringVar(&g.logFormat, "log-format", "text", "log format on stderr: text or json (json for batch schedulers)")
	pf.StringVar(&g.logLevel, "log-level", "info", "log level: debug, info, warn or error")
	pf.String("lang", "", "language of messages and help: zh or en (default: the config's language)")
	root.PersistentPreRunE = func(c *cobra.Command, _ []string) error {
		if f := c.Flags().Lookup("lang"); f != nil && f.Changed {
			if err := checkLang(f.Value.String()); err != nil {
				return err
			}
			g.lang = f.Value.String()
		}
		catalog.SetLang(g.langFor(c))
		return nil
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		catalog.SetLang(g.langFor(c)) // before any PreRun: the flags parsed so far, else the config
		return usageError{catalog.Errorf("msg_cli_flag_error", err, c.CommandPath())}
	})

	root.AddCommand(
		newDemoCmd(g), newSampleCmd(g), newIngestCmd(g), newNormalizeCmd(g),
		newReportCmd(g), newDashboardCmd(g), newRunCmd(g), newTaxonomyCmd(g), newSourcesCmd(g), newBranchesCmd(g), newBatchesCmd(g), newRootcauseCmd(g), newListCmd(g), newExportCmd(g), newVersionCmd(), newBenchCmd(),
	)
	useLocalHelp(root, g)
	return root
}

// env loads the config and builds the pipeline environment.
func (g *globals) env() (*pipeline.Env, error) {
	logger, err := g.logger()
	if err != nil {
		return nil, err
	}
	var cfg *config.Config
	switch {
	case g.config != "":
		cfg, err = config.Load(g.config)
	default:
		if _, statErr := os.Stat(config.DefaultFile); statErr == nil {
			cfg, err = config.Load(config.DefaultFile)
		} else {
			cfg = config.Default()
		}
	}
	if err != nil {
		return nil, usageError{err}
	}
	catalog.SetLang(cfg.Language)
	if g.lang != "" {
		catalog.SetLang(g.lang)
	}
	atomicfile.SetMode(cfg.Privacy.Mode())
	restrictUmask(cfg.Privacy.Mode())
	if err := useTaxonomy(cfg); err != nil {
		return nil, err
	}
	return &pipeline.Env{Config: cfg, WarehousePath: g.warehouse, Logger: logger, Progress: stderrIsTerminal(), Now: time.Now}, nil
}

// open loads the config and opens its warehouse for a command; the caller closes the warehouse.
func (g *globals) open(cmd *cobra.Command, readOnly bool) (*pipeline.Env, *warehouse.Warehouse, error) {
	env, err := g.env()
	if err != nil {
		return nil, nil, err
	}
	w, err := env.OpenWarehouse(cmd.Context(), readOnly)
	if err != nil {
		return nil, nil, err
	}
	return env, w, nil
}

// openKeyed is open for the commands that ingest (ingest, run): without a privacy key they refuse with
// msg_privacy_no_key and exit status 2, before a warehouse is opened or created.
func (g *globals) openKeyed(cmd *cobra.Command) (*pipeline.Env, *warehouse.Warehouse, error) {
	env, err := g.env()
	if err != nil {
		return nil, nil, err
	}
	if err := env.RequireKey(); err != nil {
		return nil, nil, usageError{err}
	}
	w, err := env.OpenWarehouse(cmd.Context(), false)
	if err != nil {
		return nil, nil, err
	}
	return env, w, nil
}

func (g *globals) logger() (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(g.logLevel)); err != nil {
		return nil, usageError{catalog.Errorf("msg_cli_log_level", g.logLevel)}
	}
	return newLogger(termlog.Stderr, g.logFormat, level) // held while progress bars are drawn
}

// newLogger is the process logger on w. Values from data or file names (a newline, an escape sequence) never
// forge a line or reach the terminal raw: slog's text handler quotes any value holding a character that is not
// printable (a newline as \n, ESC as \x1b, U+202E as \u202e); the JSON handler's text values are cleaned
// (termtext.Clean); messages are constants. TestLogLinesCannotBeForged pins this.
func newLogger(w io.Writer, format string, level slog.Level) (*slog.Logger, error) {
	opts := &slog.HandlerOptions{Level: level}
	switch format {
	case "text":
		// A catalogue message (catalog.Log) shows in the user's language with its code; its English text is for
		// JSON logs, which machines read.
		opts.ReplaceAttr = func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) == 0 && a.Key == catalog.LogMsgEN {
				return slog.Attr{}
			}
			return a
		}
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		// JSON escapes control characters but keeps format characters such as the bidi override U+202E, which
		// reorder what a terminal shows: text values go through termtext.Clean first.
		opts.ReplaceAttr = func(_ []string, a slog.Attr) slog.Attr {
			switch v := a.Value.Any().(type) {
			case string:
				a.Value = slog.StringValue(termtext.Clean(v))
			case error:
				a.Value = slog.StringValue(termtext.Clean(v.Error()))
			}
			return a
		}
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, usageError{catalog.Errorf("msg_cli_log_format", format)}
}

func stderrIsTerminal() bool {
	fi, err := os.Stderr.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// useTaxonomy merges the config's user taxonomy file into the catalogue for the rest of the process (or puts
// the built-in one back when the config names none), before any step reads it.
func useTaxonomy(cfg *config.Config) error {
	if err := catalog.UseUserFile(cfg.Resolve(cfg.Taxonomy)); err != nil {
		return usageError{err}
	}
	return nil
}
