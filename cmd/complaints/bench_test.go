package main

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"complaints/internal/bench"
)

// TestMain lets bench run its steps as this test binary (os.Executable): a step's process carries
// bench.ChildEnv and runs the command line instead of the tests.
func TestMain(m *testing.M) {
	if os.Getenv(bench.ChildEnv) != "" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// benchLine is a step's label and its ratio column, as regular expressions.
type benchLine struct{ step, ratio string }

// benchLines fails unless out has a row for each step, with rows and a peak RSS, and the ratio wanted; it gives
// each step's rows.
func benchLines(t *testing.T, out string, want []benchLine) map[string]string {
	t.Helper()
	num := `\s+(\d+)\s+\d+\.\d\d\s+(\d+|-)\s+(\d+)\s+`
	rows := map[string]string{}
	for _, w := range want {
		re := regexp.MustCompile(`(?m)^` + w.step + num + w.ratio + `$`)
		m := re.FindStringSubmatch(out)
		if m == nil {
			t.Errorf("no line %q in\n%s", re, out)
			continue
		}
		if m[1] == "0" || m[3] == "0" {
			t.Errorf("%s: no rows or no peak RSS: %q", w.step, m[0])
		}
		rows[w.step] = m[1]
	}
	return rows
}

// TestBenchPrintsStepsAndRatios runs a tiny bench: every step is there with rows, a peak RSS, and the ratio to
// its floor where it has one. Never its timings.
func TestBenchPrintsStepsAndRatios(t *testing.T) {
	dir := t.TempDir()
	out, err := run(t, "bench", "--rows", "300", "--months", "3", "--dir", dir, "--lang", "en")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	benchLines(t, out, []benchLine{
		{`sample: 3 ledgers`, `-`},
		{`persistent floor: DuckDB lands 2 ledgers`, `-`},
		{`ingest 2 ledgers`, `\d+\.\d\dx persistent floor`},
		{`normalize`, `\d+\.\d\dx persistent floor`},
		{`= first load \(ingest \+ normalize\)`, `\d+\.\d\dx persistent floor`},
		{`monthly floor: DuckDB joins next ledger to hashes`, `-`},
		{`DuckDB alone: the monthly job's least writes`, `\d+\.\d\dx monthly floor`},
		{`ingest the next ledger`, `\d+\.\d\dx monthly floor`},
		{`normalize \(monthly\)`, `\d+\.\d\dx monthly floor`},
		{`report 2026-10`, `-`},
		{`dashboard \(to 2026-10\)`, `-`},
		{`= monthly ingest \+ normalize`, `\d+\.\d\dx monthly floor`},
		{`= monthly job \(ingest, normalize, report, dashboard\)`, `-`},
		{`run 2026-10: the monthly job in one process`, `-`},
		{`each distinct version once: ingest`, `-`},
		{`each distinct version once: normalize`, `-`},
	})
	// the yardstick holds as many rows as the generator says the ledgers have distinct versions
	cmp := regexp.MustCompile(`warehouse \d+ MB: \d+\.\d\dx a warehouse landing each distinct version once \(\d+ MB, ([1-9]\d*) rows\)`).FindStringSubmatch(out)
	gen, _ := os.ReadFile(filepath.Join(dir, "logs", "01-sample.log"))
	versions := regexp.MustCompile(`不同版本 (\d+) 个|(\d+) distinct versions`).FindSubmatch(gen) // the step's own language
	switch {
	case cmp == nil:
		t.Errorf("no comparison with the warehouse landing each distinct version once in\n%s", out)
	case versions == nil || string(versions[1])+string(versions[2]) != cmp[1]:
		t.Errorf("the yardstick has %s rows; the generator's log says %q", cmp[1], versions)
	}
	// the run's copy wrote its report and dashboard, and holds what the four processes' warehouse holds
	for _, name := range []string{"complaints.duckdb", "out/dashboard.html"} {
		if _, err := os.Stat(filepath.Join(dir, "project-run", name)); err != nil {
			t.Errorf("the monthly job's run: %v", err)
		}
	}
	for _, want := range []string{"of the first load's time", "the monthly job as one run took", "warehouse ", "persistent floor's database"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
}

// TestBenchPlainPrintsRunAndItsFloorRatio runs a tiny plain scenario: the sample, the persistent floor over the
// two ledgers and the hotline, and run end to end with its ratio to that floor, each with rows and a peak RSS.
func TestBenchPlainPrintsRunAndItsFloorRatio(t *testing.T) {
	dir := t.TempDir()
	out, err := run(t, "bench", "--scenario", "plain", "--rows", "2000", "--hotline-rows", "1000", "--dir", dir, "--lang", "en")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	rows := benchLines(t, out, []benchLine{
		{`sample: 2 ledgers \+ hotline`, `-`},
		{`persistent floor: DuckDB lands 2 ledgers \+ hotline`, `-`},
		{`run 2026-10 \(ingest, normalize, report, dashboard\)`, `\d+\.\d\dx persistent floor`},
	})
	if len(rows) == 3 && (rows[`run 2026-10 \(ingest, normalize, report, dashboard\)`] != rows[`persistent floor: DuckDB lands 2 ledgers \+ hotline`]) {
		t.Errorf("run and its floor count different rows: %v", rows)
	}
	for _, want := range []string{"1000 hotline calls", "warehouse ", "persistent floor's database", "(2 ledgers + hotline)"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	for _, f := range []string{"project/out/report-2026-10.xlsx", "project/out/dashboard.html", "hotline_utf8.csv"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
}

// TestBenchScaleComparesFirstLoads runs a tiny scale scenario: both banks' first loads, the large one's against
// the small one's, the large bank's monthly job, and the largest peak RSS of its steps. Never its timings.
func TestBenchScaleComparesFirstLoads(t *testing.T) {
	dir := t.TempDir()
	out, err := run(t, "bench", "--scenario", "scale", "--rows", "600", "--base-rows", "200", "--months", "3", "--dir", dir, "--lang", "en")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	benchLines(t, out, []benchLine{
		{`sample: 3 ledgers \(200 complaints\)`, `-`},
		{`ingest 2 ledgers \(200 complaints\)`, `-`},
		{`normalize \(200 complaints\)`, `-`},
		{`= first load \(200 complaints\)`, `-`},
		{`sample: 3 ledgers \(600 complaints\)`, `-`},
		{`ingest 2 ledgers \(600 complaints\)`, `\d+\.\d\dx the small bank's first load`},
		{`normalize \(600 complaints\)`, `\d+\.\d\dx the small bank's first load`},
		{`= first load \(600 complaints\)`, `\d+\.\d\dx the small bank's first load`},
		{`ingest the next ledger`, `-`},
		{`normalize \(monthly\)`, `-`},
		{`report 2026-10`, `-`},
		{`dashboard \(to 2026-10\)`, `-`},
		{`= monthly job \(ingest, normalize, report, dashboard\)`, `-`},
	})
	if !regexp.MustCompile(`largest peak RSS of the 600-complaint steps: [1-9]\d* MB \((ingest|normalize|report|dashboard)`).MatchString(out) {
		t.Errorf("no largest peak RSS of the large bank's steps in\n%s", out)
	}
	for _, f := range []string{"base/complaints.duckdb", "project/complaints.duckdb", "report.xlsx", "dashboard.html"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
}

// TestBenchAndSampleRefuseMisusedFlags: an unknown scenario, and the ledger mode's flags without --ledgers, are
// usage errors that name the flag.
func TestBenchAndSampleRefuseMisusedFlags(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"bench", "--scenario", "million", "--dir", dir, "--lang", "en"}, "--scenario takes ledger, plain or scale"},
		{[]string{"sample", "--hotline-rows", "10", "--out", dir, "--lang", "en"}, "--ledgers monthly only"},
		{[]string{"sample", "--ledgers", "monthly", "--last-ledgers", "-1", "--out", dir, "--lang", "en"}, "cannot be negative"},
	} {
		out, err := run(t, c.args...)
		var u usageError
		if !errors.As(err, &u) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want a usage error with %q\n%s", c.args, err, c.want, out)
		}
	}
}
