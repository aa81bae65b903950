package main

import (
	"os"
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

// TestBenchPrintsStepsAndRatios runs a tiny bench: every step is there with rows, a peak RSS, and the ratio to
// its floor where it has one. Never its timings.
func TestBenchPrintsStepsAndRatios(t *testing.T) {
	dir := t.TempDir()
	out, err := run(t, "bench", "--rows", "300", "--months", "3", "--dir", dir, "--lang", "en")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	num := `\s+(\d+)\s+\d+\.\d\d\s+(\d+|-)\s+(\d+)\s+`
	for _, want := range []struct{ step, ratio string }{
		{`sample: 3 ledgers`, `-`},
		{`persistent floor: DuckDB lands 2 ledgers`, `-`},
		{`ingest 2 ledgers`, `\d+\.\d\dx persistent floor`},
		{`normalize`, `\d+\.\d\dx persistent floor`},
		{`= first load \(ingest \+ normalize\)`, `\d+\.\d\dx persistent floor`},
		{`monthly floor: DuckDB joins next ledger to hashes`, `-`},
		{`ingest the next ledger`, `\d+\.\d\dx monthly floor`},
		{`normalize \(monthly\)`, `\d+\.\d\dx monthly floor`},
		{`report 2026-10`, `-`},
		{`dashboard \(to 2026-10\)`, `-`},
		{`= monthly ingest \+ normalize`, `\d+\.\d\dx monthly floor`},
		{`= monthly job \(ingest, normalize, report, dashboard\)`, `-`},
	} {
		re := regexp.MustCompile(`(?m)^` + want.step + num + want.ratio + `$`)
		m := re.FindStringSubmatch(out)
		if m == nil {
			t.Errorf("no line %q in\n%s", re, out)
			continue
		}
		if m[1] == "0" || m[3] == "0" {
			t.Errorf("%s: no rows or no peak RSS: %q", want.step, m[0])
		}
	}
	for _, want := range []string{"of the first load's time", "warehouse ", "persistent floor's database"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
}
