package reports

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"complaints/readmodel/readmodeltest"
)

// TestCoverageOnCoverAndQualitySheet: with walk_in's export for 2026-10 missing (active, median 20) the cover
// names the period incomplete with the source, its median and the newest complete month (2026-09), and the
// data-quality sheet lists the month's coverage by source; hotline's row shows its count.
func TestCoverageOnCoverAndQualitySheet(t *testing.T) {
	db := readmodeltest.Open(t)
	seed(t, db)
	for _, s := range []string{
		`INSERT INTO source_coverage VALUES ('hotline', DATE '2026-09-01', true, 100, 100, true, 'ok'),
			('walk_in', DATE '2026-09-01', true, 21, 20, true, 'ok'),
			('hotline', DATE '2026-10-01', true, 98, 100, true, 'ok'),
			('walk_in', DATE '2026-10-01', false, 0, 20, true, 'missing')`,
	} {
		if _, err := db.Exec(s); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(t.TempDir(), "report.xlsx")
	if err := WriteMonthly(context.Background(), db, Options{Period: "2026-10", Lang: "en", Institution: "Bank",
		GeneratedAt: generatedAt, Out: out}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	find := func(sheet, label string) []string {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if len(r) > 1 && r[0] == label {
				return r
			}
		}
		return nil
	}
	cover := find("Cover", "Coverage")
	if cover == nil {
		t.Fatal("the cover has no Coverage line")
	}
	want := `2026-10 is incomplete (source "walk_in" has no export covering 2026-10 (median of the previous 6 months: 20)); the newest complete month is 2026-09`
	if cover[1] != want {
		t.Errorf("cover's coverage line %q, want %q", cover[1], want)
	}
	rows, err := f.GetRows("Data quality")
	if err != nil {
		t.Fatal(err)
	}
	var table []string
	for _, r := range rows {
		if len(r) >= 5 && r[0] == "2026-10" {
			table = append(table, strings.Join(r[:5], "|"))
		}
	}
	if got := strings.Join(table, "\n"); got != "2026-10|hotline|98|100.0|complete\n2026-10|walk_in|—|20.0|missing (no export covers the month)" {
		t.Errorf("data-quality coverage rows:\n%s", got)
	}
}

// TestNoDataMonthsReadAsDash: the sources' first month is 2026-10, so on the summary of 2026-10 the previous
// month and the year-earlier month are no data: '—' rather than their mart rows' values, with no MoM or YoY, and
// the trend's months before 2026-10 read '—'.
func TestNoDataMonthsReadAsDash(t *testing.T) {
	db := readmodeltest.Open(t)
	seed(t, db)
	if _, err := db.Exec(`INSERT INTO source_coverage VALUES ('hotline', DATE '2026-10-01', true, 55, NULL, false, 'ok')`); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "report.xlsx")
	if err := WriteMonthly(context.Background(), db, Options{Period: "2026-10", Lang: "en", Institution: "Bank",
		GeneratedAt: generatedAt, Out: out}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s := "Summary"
	if got := get(t, f, s, "A4") + "|" + get(t, f, s, "C4") + "|" + get(t, f, s, "D4") + "|" + get(t, f, s, "E4") + "|" + get(t, f, s, "F4"); got != "Received|—|—|—|—" {
		t.Errorf("summary's received row: %s", got)
	}
	if got := get(t, f, s, "B4"); got != "55" {
		t.Errorf("2026-10 received %s, want 55", got)
	}
	for r, want := range map[int]string{summaryTrendHeader + 1: "2025-10|—|—", summaryTrendHeader + 12: "2026-09|—|—", summaryTrendHeader + 13: "2026-10|55|"} {
		row := fmt.Sprint(r)
		got := get(t, f, s, "A"+row) + "|" + get(t, f, s, "B"+row) + "|" + get(t, f, s, "C"+row)
		if !strings.HasPrefix(got, want) {
			t.Errorf("trend row %d: %s, want %s", r, got, want)
		}
	}
}
