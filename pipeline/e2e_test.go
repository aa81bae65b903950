package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"complaints/catalog"
	"complaints/config"
	"complaints/sample-data/generator"
)

// TestDemoEndToEnd runs the whole job on the committed sample bank and reads the workbook back: every figure
// checked here comes from the sample generator's own truth (truth.json), never from the warehouse.
func TestDemoEndToEnd(t *testing.T) {
	ctx := context.Background()
	cfg, err := config.Load("../sample-data/complaints.yaml")
	if err != nil {
		t.Fatal(err)
	}
	truth, err := generator.LoadTruth("../sample-data/truth.json")
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	cfg.OutputDir = out
	// a remediation file naming the planted recurring pair's branch by its code in lower case (the master's code
	// folded, as a person may type it)
	cfg.Remediation = filepath.Join(out, "remediation.csv")
	if err := os.WriteFile(cfg.Remediation, []byte("cause,branch,action,status\n"+truth.Planted.Recurring.Cause+","+
		strings.ToLower(truth.Planted.Recurring.BranchCode)+",柜面服务专项培训,进行中\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := &Env{Config: cfg, WarehousePath: filepath.Join(out, "demo.duckdb"),
		Now: func() time.Time { return time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC) }}
	w, err := env.OpenWarehouse(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	s, err := env.Run(ctx, w, RunOptions{})
	if err != nil {
		t.Fatal(err)
	}

	// Every file: read = accepted + rejected, as the generator wrote it.
	byFile := map[string]generator.FileTruth{}
	for _, f := range truth.Files {
		byFile[filepath.Base(f.File)] = f
	}
	if len(s.Files) != len(truth.Files) {
		t.Fatalf("ingested %d files, truth has %d", len(s.Files), len(truth.Files))
	}
	for _, f := range s.Files {
		ft, ok := byFile[filepath.Base(f.Path)]
		if !ok {
			t.Errorf("unexpected file %s", f.Path)
			continue
		}
		if f.Err != nil || f.Read != ft.DataRows || f.Accepted != ft.Accepted || f.Rejected != ft.Rejected {
			t.Errorf("%s: read %d accepted %d rejected %d (err %v); truth %d = %d + %d",
				f.Path, f.Read, f.Accepted, f.Rejected, f.Err, ft.DataRows, ft.Accepted, ft.Rejected)
		}
	}

	// The generator writes only spellings the catalogue knows (its own test checks that), so nothing may be unmapped.
	if s.Normalize.Unmapped != 0 {
		t.Errorf("%d raw values map to no code on the sample data", s.Normalize.Unmapped)
	}
	if want := truth.Totals.DuplicatesLinked; int(s.Normalize.Duplicates) != want {
		t.Errorf("duplicates linked %d, truth %d", s.Normalize.Duplicates, want)
	}

	// The period is the last complete month, the truth window's last month.
	if s.Period != truth.Window.LastMonth {
		t.Fatalf("demo reported %s, want %s", s.Period, truth.Window.LastMonth)
	}
	if _, err := os.Stat(s.Dashboard); err != nil {
		t.Fatalf("dashboard not written: %v", err)
	}
	// run worked the root-cause findings out once for both: its 根因 sheet and its page are those of a report and
	// a dashboard written on their own, and both mark the planted branch's finding as under remediation (the
	// action names the branch's code in lower case)
	alone, err := env.Report(ctx, w, s.Period, "", filepath.Join(out, "alone.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	rcText := func(path string) string {
		f, err := excelize.OpenFile(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := f.GetRows(catalog.Text("rpt_rc_sheet", "zh"))
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for _, r := range rows {
			b.WriteString(strings.Join(r, "|") + "\n")
		}
		return b.String()
	}
	marked := truth.Planted.Recurring.BranchName + " × " + catalog.Label("cause", truth.Planted.Recurring.Cause, "zh")
	underRemediation := regexp.MustCompile(regexp.QuoteMeta(marked) + `[^\n]*` + regexp.QuoteMeta(catalog.Text("rpt_rc_under_remediation", "zh")))
	if a, b := rcText(s.Report), rcText(alone); a != b || !underRemediation.MatchString(a) {
		t.Errorf("the run's 根因 sheet differs from the report's alone (%v), or does not mark %s under remediation:\n%s", a != b, marked, a)
	}
	aloneDash, err := env.Dashboard(ctx, w, AddMonths(s.Period, -12), s.Period, "", filepath.Join(out, "alone.html"), false)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := readFile(t, s.Dashboard), readFile(t, aloneDash); a != b || !strings.Contains(a, catalog.Text("rpt_rc_under_remediation", "zh")) {
		t.Errorf("the run's dashboard differs from the dashboard alone (%v), or marks nothing under remediation", a != b)
	}

	// R1 read back: received (primaries) and closed per business category, and the total row.
	wantRecv, wantClosed := map[string]int{}, map[string]int{}
	totalRecv, totalClosed := 0, 0
	for _, m := range truth.ByMonthCategory {
		if m.Month != s.Period {
			continue
		}
		wantRecv[m.BusinessCategory] += m.ReceivedPrimary
		wantClosed[m.BusinessCategory] += m.ClosedPrimary
		totalRecv += m.ReceivedPrimary
		totalClosed += m.ClosedPrimary
	}
	if totalRecv == 0 {
		t.Fatal("truth has no complaints in the period")
	}
	f, err := excelize.OpenFile(s.Report)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(catalog.Text("sheet_r1", "zh"), excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	recvCol, closedCol := -1, -1
	body := 0
	for i, r := range rows {
		for j, c := range r {
			if c == catalog.Text("received", "zh") && recvCol < 0 {
				recvCol = j
			}
			if c == catalog.Text("closed", "zh") && closedCol < 0 {
				closedCol = j
			}
		}
		if recvCol >= 0 && closedCol >= 0 {
			body = i + 1
			break
		}
	}
	if recvCol < 0 || closedCol < 0 {
		t.Fatalf("R1 has no received/closed header: %v", rows[:min(5, len(rows))])
	}
	cell := func(r []string, c int) int {
		if c >= len(r) {
			return 0
		}
		n, err := strconv.ParseFloat(strings.TrimSpace(r[c]), 64)
		if err != nil {
			return 0
		}
		return int(n)
	}
	seen := map[string]bool{}
	for _, r := range rows[body:] {
		if len(r) == 0 {
			continue
		}
		label := strings.TrimSpace(r[0])
		if label == catalog.Text("total", "zh") {
			// The total row is a formula; its cached value is what a reader sees first.
			seen["total"] = true
			if cell(r, recvCol) != totalRecv || cell(r, closedCol) != totalClosed {
				t.Errorf("R1 total: received %d closed %d; truth %d and %d", cell(r, recvCol), cell(r, closedCol), totalRecv, totalClosed)
			}
			continue
		}
		for _, c := range catalog.Dimension("business_category") {
			if label == c.ZH {
				seen[c.Code] = true
				if got := cell(r, recvCol); got != wantRecv[c.Code] {
					t.Errorf("R1 %s received = %d, truth %d", c.Code, got, wantRecv[c.Code])
				}
				if got := cell(r, closedCol); got != wantClosed[c.Code] {
					t.Errorf("R1 %s closed = %d, truth %d", c.Code, got, wantClosed[c.Code])
				}
			}
		}
	}
	if !seen["total"] {
		t.Error("R1 has no total row")
	}
	for code, n := range wantRecv {
		if n > 0 && !seen[code] {
			t.Errorf("R1 lacks a row for %s (truth: %d received)", code, n)
		}
	}

	// The July workbook's 根因 sheet names the planted outage and the planted recurring branch x cause.
	july, err := env.Report(ctx, w, truth.Planted.Spike.Month, "zh", filepath.Join(out, "july.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	text := rcText(july)
	spike := catalog.Label("business_category", truth.Planted.Spike.BusinessCategory, "zh") + " × " +
		catalog.Label("cause", truth.Planted.Spike.Cause, "zh")
	if !strings.Contains(text, spike) {
		t.Errorf("根因 sheet for %s does not name %q", truth.Planted.Spike.Month, spike)
	}
	// The demo config names the branch master, so complaints.branch holds the branch's code (GD001) and the
	// sheet shows the master's name for it (广州天河支行), never the bare code.
	cause := " × " + catalog.Label("cause", truth.Planted.Recurring.Cause, "zh")
	byName, byCode := truth.Planted.Recurring.BranchName+cause, truth.Planted.Recurring.BranchCode+cause
	if !strings.Contains(text, byName) || strings.Contains(text, byCode) {
		t.Errorf("根因 sheet for %s should name %q (not the code %q)", truth.Planted.Spike.Month, byName, byCode)
	}
	checkOutageByChannel(t, ctx, env, w, truth, out, july)
	checkAnnualAndCSV(t, ctx, env, w, truth, out)
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
