package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"complaints/catalog"
)

// TestKeyedIDsMaskedInListsAndWorkbook: complaint ids that are mobile, ID and card numbers land keyed; after
// normalise, `complaints list` and the workbook's open-complaints sheet show each one masked (beside its
// complaint key, which stays the keyed identity) and no output shows an id in clear.
func TestKeyedIDsMaskedInListsAndWorkbook(t *testing.T) {
	dir := t.TempDir()
	csv := filepath.Join(dir, "hotline_20261031.csv")
	body := "工单编号,受理时间,业务类别,处理状态,办结时间,投诉内容\n" +
		"13812345678,2026-10-03 10:00:00,信用卡,处理中,,年费\n" +
		"11010519491231002X,2026-10-05 11:00:00,借记卡,处理中,,转账\n" +
		"6222021234567890128,2026-10-08 09:00:00,信用卡,处理中,,盗刷\n" +
		"+86 139 1234 5678,2026-10-09 09:00:00,个人贷款,处理中,,利率\n"
	if err := os.WriteFile(csv, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	clear := []string{"13812345678", "11010519491231002X", "6222021234567890128", "13912345678", "139 1234 5678"}
	masked := []string{"138****5678", "110105********002X", "622202*********0128", "139****5678"}
	wh := filepath.Join(dir, "w.duckdb")
	for _, args := range [][]string{{"ingest", csv}, {"normalize"}} {
		if out, err := run(t, append([]string{"--warehouse", wh}, args...)...); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
	}
	check := func(where, text string, keyed bool) {
		t.Helper()
		for _, c := range clear {
			if strings.Contains(text, c) {
				t.Errorf("%s shows %q in clear:\n%s", where, c, text)
			}
		}
		for _, m := range masked {
			if !strings.Contains(text, m) {
				t.Errorf("%s lacks the masked id %q:\n%s", where, m, text)
			}
		}
		if keyed && strings.Count(text, "hotline:k:") < 4 {
			t.Errorf("%s lacks the keyed complaint keys:\n%s", where, text)
		}
	}
	for _, status := range []string{"received", "open"} {
		out, err := run(t, "--warehouse", wh, "list", "--period", "2026-10", "--status", status)
		if err != nil {
			t.Fatalf("list: %v\n%s", err, out)
		}
		check("list --status "+status, out, true)
	}
	xlsx := filepath.Join(dir, "r.xlsx")
	if out, err := run(t, "--warehouse", wh, "report", "--period", "2026-10", "--lang", "zh", "--out", xlsx, "--record-filing"); err != nil {
		t.Fatalf("report: %v\n%s", err, out)
	}
	all, open := workbookText(t, xlsx)
	check("the workbook's open sheet", open, false) // the filed list shows the source's own (masked) id, no key
	for _, c := range clear {
		if strings.Contains(all, c) {
			t.Errorf("the workbook shows %q in clear", c)
		}
	}
	// A later export closes the mobile's complaint: the restatements of the filed October list it masked.
	later := filepath.Join(dir, "hotline_20261105.csv")
	if err := os.WriteFile(later, []byte("工单编号,受理时间,业务类别,处理状态,办结时间,投诉内容\n"+
		"138 1234 5678,2026-10-03 10:00:00,信用卡,已办结,2026-10-20 09:00:00,年费\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"ingest", later}, {"normalize"}, {"report", "--period", "2026-10", "--lang", "zh", "--out", xlsx}} {
		if out, err := run(t, append([]string{"--warehouse", wh}, args...)...); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
	}
	all, _ = workbookText(t, xlsx)
	if !strings.Contains(all, "(138****5678)") {
		t.Errorf("the restatements do not show the masked id:\n%s", all)
	}
	for _, c := range append(clear, "138 1234 5678") {
		if strings.Contains(all, c) {
			t.Errorf("the restated workbook shows %q in clear", c)
		}
	}
}

// workbookText is every sheet's rows ("|" between cells), and the open-complaints sheet's alone.
func workbookText(t *testing.T, path string) (all, open string) {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var a, o strings.Builder
	for _, s := range f.GetSheetList() {
		rows, err := f.GetRows(s)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			line := strings.Join(r, "|") + "\n"
			a.WriteString(line)
			if s == catalog.Text("rk_sheet_open", "zh") {
				o.WriteString(line)
			}
		}
	}
	return a.String(), o.String()
}
