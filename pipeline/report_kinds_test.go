package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"complaints/catalog"
	"complaints/reports"
	"complaints/sample-data/generator"
	"complaints/warehouse"
)

// checkAnnualAndCSV (part of TestDemoEndToEnd): the annual disclosure of 2025 against the generator's truth
// (complaints after merging duplicates, by business category and by cause; 2024, covered from November only, no
// base), and the CSV export's files.
func checkAnnualAndCSV(t *testing.T, ctx context.Context, env *Env, w *warehouse.Warehouse, truth *generator.Truth, out string) {
	t.Helper()
	path, err := env.Report(ctx, w, "2025", "zh", filepath.Join(out, "annual.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(catalog.Text("rk_sheet_disclosure", "zh"), excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	// rows by section (overview, categories, causes) and label: 其他 is both a category and a cause
	sections := map[string]int{catalog.Text("rk_disclosure_by_category", "zh"): 1, catalog.Text("rk_disclosure_by_cause", "zh"): 2,
		catalog.Text("rk_disclosure_by_region", "zh"): 3}
	byLabel := map[[2]any][]string{}
	section := 0
	for _, r := range rows {
		if len(r) == 0 {
			continue
		}
		if n, ok := sections[r[0]]; ok {
			section = n
		}
		if _, seen := byLabel[[2]any{section, r[0]}]; !seen {
			byLabel[[2]any{section, r[0]}] = r
		}
	}
	num := func(r []string, c int) int {
		if c >= len(r) {
			return -1
		}
		n, err := strconv.ParseFloat(r[c], 64)
		if err != nil {
			return -1
		}
		return int(n)
	}
	var cur, prev int
	cats, causes := map[string]int{}, map[string]int{}
	for _, m := range truth.ByMonthCategory {
		switch {
		case strings.HasPrefix(m.Month, "2025-"):
			cur += m.ReceivedPrimary
			cats[m.BusinessCategory] += m.ReceivedPrimary
		case strings.HasPrefix(m.Month, "2024-"):
			prev += m.ReceivedPrimary
		}
	}
	for _, m := range truth.ByMonthCause {
		if strings.HasPrefix(m.Month, "2025-") {
			causes[m.Cause] += m.ReceivedPrimary
		}
	}
	// the data start in 2024-11: 2024 is covered in part, no base for 2025 ("—", as on the summary)
	r := byLabel[[2]any{0, catalog.Text("rk_received_after_merge", "zh")}]
	if num(r, 1) != cur || len(r) < 3 || r[2] != catalog.Text("cov_no_data", "zh") || prev == 0 {
		t.Errorf("disclosure: received after merging %v, truth 2025 %d, 2024 (no base) %d", r, cur, prev)
	}
	for code, n := range cats {
		if r := byLabel[[2]any{1, catalog.Label("business_category", code, "zh")}]; n > 0 && num(r, 1) != n {
			t.Errorf("disclosure: %s %v, truth %d", code, r, n)
		}
	}
	for code, n := range causes {
		if r := byLabel[[2]any{2, catalog.Label("cause", code, "zh")}]; n > 0 && num(r, 1) != n {
			t.Errorf("disclosure: cause %s %v, truth %d", code, r, n)
		}
	}

	// CSV: a folder of one file per sheet, the open list last.
	dir, err := env.Report(ctx, w, "2026-10", "zh", "", ReportFormat(reports.FormatCSV))
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(dir) != "report-2026-10" {
		t.Errorf("CSV folder %s", dir)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) < 10 || !strings.HasSuffix(entries[len(entries)-1].Name(), "-未办结清单.csv") {
		t.Errorf("CSV files %v", entries)
	}
}
