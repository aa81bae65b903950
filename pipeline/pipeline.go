// Package pipeline owns the wiring of a run: it opens the warehouse a config names and drives the steps
// (ingest, normalise, report, dashboard) in order, collecting what each did for the end-of-run summary. The CLI
// is a thin shell over it, and tests drive the same calls. It holds no business rules: those live in ingest,
// transform, reports and dashboards.
package pipeline

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"

	"complaints/catalog"
	"complaints/config"
	"complaints/dashboards"
	"complaints/ingest"
	"complaints/internal/termlog"
	"complaints/reports"
	"complaints/rootcause"
	"complaints/transform"
	"complaints/transform/calendar"
	"complaints/warehouse"
)

// Env is what every step needs from the command line and the config.
type Env struct {
	Config *config.Config
	// WarehousePath overrides the config's warehouse path when not empty (--warehouse).
	WarehousePath string
	Logger        *slog.Logger
	// Progress shows progress bars (only when stderr is a terminal).
	Progress bool
	// FullNormalize rebuilds every complaint from every landed row instead of only the new batches' (--full).
	FullNormalize bool
	// Now is the clock; tests fix it.
	Now func() time.Time
}

func (e *Env) now() time.Time {
	if e.Now != nil {
		return e.Now()
	}
	return time.Now()
}

func (e *Env) logger() *slog.Logger {
	if e.Logger != nil {
		return e.Logger
	}
	return slog.New(slog.DiscardHandler)
}

// GeneratedAt is the time written on reports and dashboards: SOURCE_DATE_EPOCH when set (for byte-identical
// rebuilds), else now.
func (e *Env) GeneratedAt() time.Time {
	if s := os.Getenv("SOURCE_DATE_EPOCH"); s != "" {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return time.Unix(n, 0).In(warehouse.Beijing)
		}
	}
	return e.now().In(warehouse.Beijing)
}

// WarehouseFile is the warehouse path in effect.
func (e *Env) WarehouseFile() string {
	if e.WarehousePath != "" {
		return e.WarehousePath
	}
	return e.Config.Resolve(e.Config.Warehouse.Path)
}

// OpenWarehouse opens the warehouse with the config's settings.
func (e *Env) OpenWarehouse(ctx context.Context, readOnly bool) (*warehouse.Warehouse, error) {
	c := e.Config.Warehouse
	return warehouse.Open(ctx, warehouse.Options{
		Path: e.WarehouseFile(), Threads: c.Threads, MemoryLimit: c.MemoryLimit,
		TempDirectory: e.Config.Resolve(c.TempDirectory), ReadOnly: readOnly, FileMode: e.Config.Privacy.Mode(),
	})
}

// RequireKey fails (msg_privacy_no_key, naming the environment variable) when no privacy key is set: ingest,
// run and the inbox call it before opening the warehouse.
func (e *Env) RequireKey() error {
	_, err := e.Config.HMACKey()
	return err
}

// IngestOptions builds ingest options from the config. Without a key (config.HMACKey fails) HMACKey is empty
// and ingest refuses, naming the environment variable; commands check RequireKey first.
func (e *Env) IngestOptions(dryRun bool) ingest.Options {
	key, _ := e.Config.HMACKey()
	opts := ingest.Options{
		Profiles:      e.Config.Sources,
		BaseDir:       e.Config.Dir,
		HMACKey:       key,
		KeyEnv:        e.Config.Privacy.KeyEnv,
		MaxRejectRate: e.Config.Ingest.MaxRejectRate,
		Limits:        e.Config.Ingest.Limits.Ingest(),
		DryRun:        dryRun,
		Progress:      e.Progress,
		Logger:        e.logger(),
		Now:           e.now,
		CalendarYears: e.calendarYears(),
	}
	if e.Config.Branches != "" {
		// an unreadable branch master is refused by normalise, which says why; ingest then knows branch names
		// by their endings only
		opts.BranchSpellings, _ = ingest.ReadBranchSpellings(e.Config.Resolve(e.Config.Branches))
	}
	return opts
}

// RequireNormalised refuses (one sentence, exit 1) to read derived tables that do not reflect the landed data:
// the last normalise failed, or a batch landed or was removed after it (transform.CheckNormalised).
func (e *Env) RequireNormalised(ctx context.Context, w *warehouse.Warehouse) error {
	return transform.CheckNormalised(ctx, w.DB)
}

// Calendar is the working-day calendar: lunar-go's schedules plus the config's calendar files.
func (e *Env) Calendar() (*calendar.Calendar, error) {
	cal := calendar.New()
	for _, f := range e.Config.CalendarFiles {
		if err := cal.LoadFile(e.Config.Resolve(f)); err != nil {
			return nil, err
		}
	}
	return cal, nil
}

// calendarYears are the years the calendar covers, the receipt years ingest takes. A calendar file that does
// not load adds no year here (normalise reports the file's error).
func (e *Env) calendarYears() []int {
	cal, err := e.Calendar()
	if err != nil {
		cal = calendar.New()
		for _, f := range e.Config.CalendarFiles {
			cal.LoadFile(e.Config.Resolve(f))
		}
	}
	return cal.Years()
}

// Normalize rebuilds the canonical table and marts.
func (e *Env) Normalize(ctx context.Context, w *warehouse.Warehouse) (*transform.Result, error) {
	start := time.Now()
	cal, err := e.Calendar()
	if err != nil {
		transform.RecordFailure(ctx, w, e.now(), err)
		return nil, err
	}
	p := e.Config.Policy
	onModel, finish := e.normaliseProgress(ctx)
	res, err := transform.Normalize(ctx, w, transform.Options{
		DuplicateWindowDays: p.DuplicateWindowDays, InternalDaysGeneral: p.InternalDaysGeneral,
		InternalDaysComplex: p.InternalDaysComplex, RegulatoryDays: p.RegulatoryDays, Calendar: cal,
		RepeatWindowDays: p.RepeatWindowDays, Logger: e.logger(), Now: e.now,
		BranchesFile: e.Config.Resolve(e.Config.Branches), CorrectionsFile: e.Config.Resolve(e.Config.Corrections),
		Full: e.FullNormalize, OnModel: onModel,
	})
	finish(err == nil)
	if err != nil {
		return nil, err
	}
	e.logger().Info("normalised", "complaints", res.Complaints, "countable", res.Countable, "duplicates", res.Duplicates,
		"non_complaints", res.NonComplaint, "unmapped_values", res.Unmapped, "full", res.Full, "rederived", res.Rederived,
		"unknown_branches", res.UnknownBranches, "corrections_applied", res.CorrectionsApplied,
		"corrections_unmatched", res.CorrectionsUnmatched, "seconds", time.Since(start).Seconds())
	return res, nil
}

// normaliseProgress gives normalise a bar of its models on stderr (only when stderr is a terminal: e.Progress),
// showing the model running and the time so far; finish completes or aborts it and waits for it to be drawn.
func (e *Env) normaliseProgress(ctx context.Context) (onModel func(string, int, int), finish func(ok bool)) {
	if !e.Progress {
		return nil, func(bool) {}
	}
	p := mpb.NewWithContext(ctx, mpb.WithOutput(os.Stderr), mpb.WithWidth(40), mpb.WithAutoRefresh())
	release := termlog.Stderr.Hold() // log lines wait until the bar is done
	var bar *mpb.Bar
	var current atomic.Value
	current.Store("")
	onModel = func(model string, done, total int) {
		if bar == nil {
			bar = p.AddBar(int64(total),
				mpb.PrependDecorators(decor.Name("normalise", decor.WCSyncSpaceR),
					decor.Any(func(decor.Statistics) string { return current.Load().(string) }, decor.WCSyncSpaceR)),
				mpb.AppendDecorators(decor.Elapsed(decor.ET_STYLE_GO, decor.WCSyncSpace)))
		}
		if done == total {
			model = "done"
		}
		current.Store(model)
		bar.SetCurrent(int64(done))
	}
	finish = func(ok bool) {
		if bar != nil && !ok {
			bar.Abort(false)
		}
		p.Wait()
		release()
	}
	return onModel, finish
}

// Customers are the config's personal-customer denominators for the root-cause u-charts.
func (e *Env) Customers() rootcause.Customers {
	d := e.Config.Denominators
	return rootcause.Customers{Total: d.PersonalCustomers, ByMonth: d.PersonalCustomersByMonth, ByBranch: d.PersonalCustomersByBranch}
}

// OutputPath resolves an output file: an explicit path as given, else name inside the config's output folder.
func (e *Env) OutputPath(explicit, name string) string {
	if explicit != "" {
		return explicit
	}
	return filepath.Join(e.Config.Resolve(e.Config.OutputDir), name)
}

// Lang returns the language in effect: the flag when given, else the config's.
func (e *Env) Lang(flag string) string {
	if flag != "" {
		return flag
	}
	return e.Config.Language
}

// Report writes the monthly workbook for period.
func (e *Env) Report(ctx context.Context, w *warehouse.Warehouse, period, lang, out string, more ...ReportOption) (string, error) {
	opts := reports.Options{
		Period: period, Lang: e.Lang(lang), Institution: e.Config.Institution, GeneratedAt: e.GeneratedAt(),
		Branches: e.Config.Denominators.Branches, PersonalCustomers: e.Config.Denominators.PersonalCustomers,
		CustomersByMonth: e.Config.Denominators.PersonalCustomersByMonth, CustomersByBranch: e.Config.Denominators.PersonalCustomersByBranch,
		RemediationFile: e.Config.Resolve(e.Config.Remediation), SourceLabels: e.Config.SourceLabels(),
		SignOff: reports.SignOff{Preparer: e.Config.SignOff.Preparer, Reviewer: e.Config.SignOff.Reviewer,
			Head: e.Config.SignOff.Head, Phone: e.Config.SignOff.Phone, Date: e.Config.SignOff.Date},
	}
	for _, set := range more {
		set(&opts)
	}
	out = e.OutputPath(out, reportName(period, opts.Format))
	opts.Out = out
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return "", catalog.Errorf("msg_cli_report_failed", err)
	}
	err := reports.WriteMonthly(ctx, w.DB, opts)
	if err != nil {
		return "", err
	}
	return out, nil
}

// Dashboard writes the HTML dashboard for the months from..to (of the warehouse or of a scoped copy w);
// withMap adds the China map (dashboard --map). The recurring findings show the config's remediation actions.
// more adjusts the options further (dashboard --with-summaries).
func (e *Env) Dashboard(ctx context.Context, w *warehouse.Warehouse, from, to, lang, out string, withMap bool, more ...func(*dashboards.Options)) (string, error) {
	out = e.OutputPath(out, "dashboard.html")
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return "", catalog.Errorf("msg_cli_dashboard_failed", err)
	}
	opts := dashboards.Options{
		From: from, To: to, Lang: e.Lang(lang), Institution: e.Config.Institution, GeneratedAt: e.GeneratedAt(), Out: out,
		OnTimeTarget: e.Config.Policy.OnTimeTarget, Map: withMap, Customers: e.Customers(),
		RemediationFile: e.Config.Resolve(e.Config.Remediation),
	}
	for _, f := range more {
		f(&opts)
	}
	err := dashboards.Write(ctx, w.DB, opts)
	if err != nil {
		return "", err
	}
	return out, nil
}
