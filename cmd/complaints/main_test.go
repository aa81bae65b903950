package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"complaints/catalog"
	"complaints/dashboards"
)

func run(t *testing.T, args ...string) (string, error) {
	t.Helper()
	root := newRoot()
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs(args)
	err := root.Execute()
	return out.String(), err
}

// TestEveryCommandHasHelpWithExamples walks the command tree: users learn the tool from --help.
func TestEveryCommandHasHelpWithExamples(t *testing.T) {
	var walk func(c *cobra.Command)
	n := 0
	walk = func(c *cobra.Command) {
		if c.Name() == "help" || c.Name() == "completion" {
			return
		}
		n++
		if c.Short == "" || c.Example == "" {
			t.Errorf("%q lacks a short description or an example", c.CommandPath())
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(newRoot())
	if n < 10 {
		t.Fatalf("only %d commands", n)
	}
	for _, name := range []string{"demo", "sample", "ingest", "normalize", "report", "dashboard", "run", "version", "sources", "taxonomy"} {
		out, err := run(t, name, "--help", "--lang", "en")
		if err != nil || !strings.Contains(out, "Examples:") {
			t.Errorf("%s --help: %v\n%s", name, err, out)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	cases := [][]string{
		{"report", "--period", "2026-13"},
		{"report", "--lang", "fr"},
		{"report", "--period", "2026-10", "--kind", "annual"},
		{"report", "--period", "2026", "--kind", "weekly"},
		{"report", "--period", "2026-10", "--format", "pdf"},
		{"dashboard", "--from", "2026-10", "--to", "2026-01"},
		{"ingest", "--no-such-flag"},
		{"--log-format", "xml", "normalize"},
		{"sample"},
	}
	for _, args := range cases {
		_, err := run(t, args...)
		var u usageError
		if !errors.As(err, &u) {
			t.Errorf("%v: error %v is not a usage error (exit 2)", args, err)
		}
	}
}

func TestBadConfigNamesKeyAndLine(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "c.yaml")
	os.WriteFile(p, []byte("institution: x\npolicy:\n  regulatory_dayz: 15\n"), 0o644)
	_, err := run(t, "--config", p, "--warehouse", filepath.Join(dir, "w.duckdb"), "normalize")
	if err == nil || !strings.Contains(err.Error(), "regulatory_dayz") || !strings.Contains(err.Error(), "[3:") {
		t.Fatalf("error %v: want the unknown key and its line", err)
	}
}

func TestVersionNamesDuckDB(t *testing.T) {
	out, err := run(t, "version")
	if err != nil || !strings.Contains(out, "complaints") || !strings.Contains(out, "duckdb v") {
		t.Fatalf("version: %v %q", err, out)
	}
}

// TestSampleThenRun drives the CLI as a user would: generate a small project, run the monthly job on it, and
// run it again, recording the filing: the second run skips every file and writes the same figures.
func TestSampleThenRun(t *testing.T) {
	dir := t.TempDir()
	if _, err := run(t, "sample", "--seed", "3", "--months", "9", "--rows", "2000", "--out", dir); err != nil {
		t.Fatal(err)
	}
	// a new user's path: sample, then run on its last month, which is complete (no go-ahead needed)
	args := []string{"--config", filepath.Join(dir, "complaints.yaml"), "--warehouse", filepath.Join(dir, "w.duckdb"), "run", "--period", "2026-10"}
	out, err := run(t, args...)
	if err != nil {
		t.Fatalf("run: %v\n%s", err, out)
	}
	landed := strings.TrimSuffix(catalog.Msg("msg_cli_landed_batch", 0).Error(), "0")
	normalised := catalog.Msg("msg_cli_normalised", 0, 0, 0, 0, 0).Error()[:9]
	for _, want := range []string{landed, normalised, "report-2026-10.xlsx", "dashboard.html", catalog.Msg("msg_cli_total").Error()} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	out2, err := run(t, append(args, "--record-filing")...)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out2, catalog.Msg("msg_cli_filing", 1, "2026-10").Error()) {
		t.Errorf("run --record-filing recorded no filing:\n%s", out2)
	}
	if strings.Contains(out2, landed) || !strings.Contains(out2, strings.TrimSuffix(catalog.Msg("msg_cli_skipped", "").Error(), " ")) {
		t.Errorf("second run landed files again:\n%s", out2)
	}
	if !strings.Contains(out2, catalog.Msg("msg_cli_unchanged").Error()) {
		t.Errorf("second run re-derived complaints with no new batch:\n%s", out2)
	}
	if a, b := tail(out, normalised), tail(out2, normalised); a != b {
		t.Errorf("second run changed the figures:\n%s\n%s", a, b)
	}
	// dashboard --map draws the China map (when `make assets` fetched it; CI requires it).
	mapPage := filepath.Join(dir, "map.html")
	_, err = run(t, args[0], args[1], args[2], args[3], "dashboard", "--to", "2026-10", "--map", "--out", mapPage)
	switch {
	case errors.Is(err, dashboards.ErrNoChinaMap) && os.Getenv("COMPLAINTS_REQUIRE_BROWSER") != "1":
		t.Logf("dashboard --map not checked: %v", err)
	case err != nil:
		t.Errorf("dashboard --map: %v", err)
	default:
		if b, _ := os.ReadFile(mapPage); !strings.Contains(string(b), `id="chart-map"`) {
			t.Error("dashboard --map wrote no map")
		}
	}
}

func tail(s, from string) string {
	i := strings.Index(s, from)
	if i < 0 {
		return ""
	}
	line, _, _ := strings.Cut(s[i:], "\n")
	return line
}
