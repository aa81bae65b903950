package rootcause

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"complaints/config"
	"complaints/ingest"
	"complaints/sample-data/generator"
	"complaints/transform"
	"complaints/transform/calendar"
	"complaints/warehouse"
)

// generatedWarehouse writes the generator's bank for opts into a temporary folder, ingests and normalises it as
// the sample warehouse is built, and returns the open warehouse.
func generatedWarehouse(t *testing.T, opts generator.Options) *warehouse.Warehouse {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	if _, err := generator.Generate(opts, dir); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(filepath.Join(dir, "complaints.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	w, err := warehouse.Open(ctx, warehouse.Options{Path: filepath.Join(dir, "w.duckdb"), Threads: cfg.Warehouse.Threads, MemoryLimit: cfg.Warehouse.MemoryLimit})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	now := func() time.Time { return time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC) }
	if _, err := ingest.IngestSources(ctx, w, ingest.Options{Profiles: cfg.Sources, BaseDir: cfg.Dir, HMACKey: []byte("rootcause-calibration-key"),
		MaxRejectRate: cfg.Ingest.MaxRejectRate, Now: now}); err != nil {
		t.Fatal(err)
	}
	p := cfg.Policy
	if _, err := transform.Normalize(ctx, w, transform.Options{DuplicateWindowDays: p.DuplicateWindowDays,
		InternalDaysGeneral: p.InternalDaysGeneral, InternalDaysComplex: p.InternalDaysComplex,
		RegulatoryDays: p.RegulatoryDays, RepeatWindowDays: p.RepeatWindowDays, Calendar: calendar.New(),
		BranchesFile: cfg.Resolve(cfg.Branches)}); err != nil {
		t.Fatal(err)
	}
	return w
}

// TestCalibrationEndToEnd runs the harness through the whole pipeline: the generator's no-signal bank (about
// 31,000 complaints over 18 months, gamma month effects, working-day and Spring Festival seasonality) -> ingest
// -> normalise -> Analyze for its last 6 months: at most 0.1 findings a period, as the statistics layer's
// TestCalibration over its 20 seeds. The bank total takes its working days from the warehouse's calendar. The
// same warehouses fail the old uncalibrated test. TestCalibrationShortHistoryEndToEnd runs the bank with 3 months
// of data.
func TestCalibrationEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end calibration: skipped with -short (TestCalibration covers the statistics layer)")
	}
	ctx := context.Background()
	end := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	total, naive, periods, family := 0, 0, 0, 0
	for _, seed := range []int64{1, 2} {
		w := generatedWarehouse(t, generator.Options{Seed: seed, Months: 18, Rows: 31000, End: end, NoSignal: true})
		for m := 0; m < 6; m++ {
			period := end.AddDate(0, -m, 0).Format("2006-01")
			f, err := Analyze(ctx, w.DB, Options{Period: period})
			if err != nil {
				t.Fatal(err)
			}
			periods++
			total += f.Discoveries
			family = max(family, f.Family)
			if f.Discoveries > 0 {
				t.Logf("seed %d, %s: %s", seed, period, describe(f))
			}
			if f.HistoryMonths != 12 || len(f.InsufficientHistory) > 0 && f.InsufficientHistory[0].Kind == KindCategory {
				t.Errorf("seed %d, %s: %d complete baseline months, insufficient history %v", seed, period, f.HistoryMonths, f.InsufficientHistory)
			}
			if f.BankTotal == nil || f.BankTotal.WorkingDays == nil || f.Options.WorkingDays[period] < 10 {
				t.Errorf("seed %d, %s: the bank total has no working days from the calendar: %+v", seed, period, f.BankTotal)
			}
			naiveTest = true
			old, err := Analyze(ctx, w.DB, Options{Period: period})
			naiveTest = false
			if err != nil {
				t.Fatal(err)
			}
			naive += old.Discoveries
		}
	}
	t.Logf("end to end without signal: %d findings over %d periods (family up to %d tests); the old test: %d", total, periods, family, naive)
	if float64(total) > 0.1*float64(periods) {
		t.Errorf("%d findings over %d periods without signal, want at most 0.1 a period", total, periods)
	}
	if float64(naive) <= 0.1*float64(periods) {
		t.Errorf("the old uncalibrated test found only %d over %d periods without signal; the harness should catch it", naive, periods)
	}
}

// TestCalibrationShortHistoryEndToEnd: the generator's bank analysed in its third month (3 months of data; the
// months after it are not read, so 2 baseline months) has insufficient history in every series and no test, no
// finding. TestShortHistorySaysSo renders it.
func TestCalibrationShortHistoryEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end calibration: skipped with -short (TestCalibrationShortHistory covers the statistics layer)")
	}
	f := shortHistoryFindings(t)
	if f.Discoveries != 0 || f.HistoryMonths != 2 || len(f.InsufficientHistory) == 0 || f.Family != 0 || f.BankTotal != nil || len(f.Ranked) != 0 {
		t.Errorf("3 months of data: %d findings, %d baseline months, %d series with insufficient history, family %d: %s",
			f.Discoveries, f.HistoryMonths, len(f.InsufficientHistory), f.Family, describe(f))
	}
	kinds := map[string]bool{}
	for _, k := range f.InsufficientHistory {
		kinds[k.Kind] = true
	}
	for _, k := range []string{KindTotal, KindCategory, KindCause, KindBranch, KindChannel, KindCategoryCause, KindBranchCause} {
		if !kinds[k] {
			t.Errorf("3 months of data: no %s series listed with insufficient history", k)
		}
	}
}

// shortHistoryFindings analyses the generator's bank in its third month.
func shortHistoryFindings(t *testing.T) *Findings {
	t.Helper()
	end := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	w := generatedWarehouse(t, generator.Options{Seed: 3, Months: 9, Rows: 6000, End: end, NoSignal: true})
	f, err := Analyze(context.Background(), w.DB, Options{Period: end.AddDate(0, -6, 0).Format("2006-01")})
	if err != nil {
		t.Fatal(err)
	}
	return f
}
