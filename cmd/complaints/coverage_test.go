package main

import (
	"path/filepath"
	"strings"
	"testing"

	"complaints/catalog"
	"complaints/internal/termtext"
)

// TestIncompletePeriodExitsOne: a small sample bank (2026-02 .. 2026-10; the hotline's later export reaches into
// 2026-11). Its referrals fall to 5 and 3 in 2026-09 and 2026-10 against a median of 11: under half, but a Poisson
// count of mean 11 is 3 or fewer with probability 0.005, so 2026-10 is complete (a small source's noise is not a
// lost export). 2026-11, the month a cron job would ask for in December, is incomplete (online's export never
// arrived); the newest complete month is 2026-10. report, dashboard and run stop with exit status 1 and one
// sentence naming the period, the source with its counts and the newest complete month, also for a branch's copy
// (coverage is judged bank-wide), in the language --lang asks for (the config's is zh); --allow-incomplete writes
// the report, whose cover says the period is incomplete. A branch's report of 2026-10, a complete month, passes.
func TestIncompletePeriodExitsOne(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a small warehouse")
	}
	dir := t.TempDir()
	if _, err := run(t, "sample", "--seed", "3", "--months", "9", "--rows", "2000", "--out", dir); err != nil {
		t.Fatal(err)
	}
	base := []string{"--config", filepath.Join(dir, "complaints.yaml"), "--warehouse", filepath.Join(dir, "w.duckdb")}
	do := func(args ...string) (string, error) { return run(t, append(append([]string{}, base...), args...)...) }
	for _, step := range []string{"ingest", "normalize"} {
		if out, err := do(step); err != nil {
			t.Fatalf("%s: %v\n%s", step, err, out)
		}
	}
	online := `source "online" has no export covering 2026-11 (median of the previous 6 months: 67)`
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"report", "--period", "2026-11"}, online},
		{[]string{"report", "--period", "2026-11", "--branch", "GD000"}, online},
		{[]string{"dashboard", "--to", "2026-11"}, online},
		{[]string{"run", "--period", "2026-11"}, online},
	} {
		args := tc.args
		_, err := do(args...)
		if exitOf(err) != 1 || !catalog.HasKey(err, "msg_coverage_refused") {
			t.Fatalf("%v: exit %d, error %v; want exit 1 and msg_coverage_refused", args, exitOf(err), err)
		}
		msg := catalog.Localize(err, "en")
		if lines := errorLines(err); len(lines) != 1 {
			t.Errorf("%v: %d lines on stderr, want one sentence: %q", args, len(lines), lines)
		}
		for _, want := range []string{args[2] + " is incomplete (", tc.want, "the newest complete month is 2026-10"} {
			if !strings.Contains(msg, want) {
				t.Errorf("%v: %q lacks %q", args, msg, want)
			}
		}
		// what stderr shows is in the language asked for, not the config's (zh)
		for _, lang := range []string{"en", "zh"} {
			_, err := do(append(append([]string{}, args...), "--lang", lang)...)
			lines := errorLines(err)
			if want := termtext.Clean(catalog.Localize(err, lang)); exitOf(err) != 1 || len(lines) != 1 || lines[0] != want {
				t.Errorf("%v --lang %s: stderr %q, want %q", args, lang, lines, want)
			}
		}
	}
	out := filepath.Join(dir, "nov.xlsx")
	if _, err := do("report", "--period", "2026-11", "--allow-incomplete", "--lang", "en", "--out", out); err != nil {
		t.Fatalf("report --allow-incomplete: %v", err)
	}
	all, _ := workbookText(t, out)
	if !strings.Contains(all, "2026-11 is incomplete (") {
		t.Error("the workbook of an incomplete period written with --allow-incomplete does not say it is incomplete")
	}
	oct := filepath.Join(dir, "oct-gd001.xlsx")
	if _, err := do("report", "--period", "2026-10", "--branch", "GD001", "--lang", "en", "--out", oct); err != nil {
		t.Fatalf("a branch's report of a complete month: %v", err)
	}
	if all, _ := workbookText(t, oct); !strings.Contains(all, "2026-10 is complete") {
		t.Error("the cover of a complete month does not say it is complete")
	}
}
