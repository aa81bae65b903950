package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"complaints/catalog"
)

// TestExportLakeAndIngestItBack: export --format parquet writes the lake; a new warehouse that ingests it with the
// same key (ingest --lake) lists the same complaints, keyed ids masked as before; another key is refused with a
// sentence and exit status 1, another format with a usage error.
func TestExportLakeAndIngestItBack(t *testing.T) {
	dir := t.TempDir()
	csv := filepath.Join(dir, "hotline_20261031.csv")
	body := "工单编号,受理时间,业务类别,处理状态,办结时间,投诉内容\n" +
		"13812345678,2026-10-03 10:00:00,信用卡,处理中,,年费\n" +
		"A-2,2026-10-05 11:00:00,借记卡,已办结,2026-10-09 11:00:00,转账\n" +
		"A-3,2026-09-08 09:00:00,信用卡,处理中,,盗刷\n"
	if err := os.WriteFile(csv, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	wh, wh2, lakeDir := filepath.Join(dir, "w.duckdb"), filepath.Join(dir, "w2.duckdb"), filepath.Join(dir, "lake")
	steps := [][]string{{"--warehouse", wh, "ingest", csv}, {"--warehouse", wh, "normalize"},
		{"--warehouse", wh, "export", "--format", "parquet", "--out", lakeDir},
		{"--warehouse", wh2, "ingest", "--lake", lakeDir}, {"--warehouse", wh2, "normalize"}}
	for _, args := range steps {
		if out, err := run(t, args...); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
	}
	for _, p := range []string{"_schema.json", "complaints/received_year=2026/received_month=10/data_0.parquet",
		"complaints/received_year=2026/received_month=9/data_0.parquet", "mart_month/month_part=2026-10/data_0.parquet"} {
		if _, err := os.Stat(filepath.Join(lakeDir, p)); err != nil {
			t.Errorf("lake lacks %s: %v", p, err)
		}
	}
	list := func(w string) string {
		out, err := run(t, "--warehouse", w, "list", "--period", "2026-10", "--status", "received", "--lang", "en")
		if err != nil {
			t.Fatalf("list: %v\n%s", err, out)
		}
		return out
	}
	a, b := list(wh), list(wh2)
	if a != b || !strings.Contains(a, "138****5678") || strings.Contains(a, "13812345678") {
		t.Errorf("list of the warehouse rebuilt from the lake differs or shows an id in clear:\n%s\nwant\n%s", b, a)
	}

	// a warehouse with a batch landed after its last normalise is not exported
	csv2 := filepath.Join(dir, "hotline_20261101.csv")
	if err := os.WriteFile(csv2, []byte(strings.Replace(body, "A-3", "A-4", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := run(t, "--warehouse", wh, "ingest", csv2); err != nil {
		t.Fatalf("ingest: %v\n%s", err, out)
	}
	if _, err := run(t, "--warehouse", wh, "export", "--out", lakeDir); !catalog.HasKey(err, "msg_poison_batch_not_normalised") {
		t.Errorf("export of a warehouse not normalised: %v", err)
	}

	t.Setenv("COMPLAINTS_HMAC_KEY", "another-key")
	out, err := run(t, "--warehouse", filepath.Join(dir, "w3.duckdb"), "--lang", "en", "ingest", "--lake", lakeDir)
	if !catalog.HasKey(err, "msg_lake_key_differs") || !strings.Contains(err.Error(), "another privacy key") {
		t.Errorf("another key: %v\n%s", err, out)
	}
	if _, err := run(t, "--warehouse", wh, "ingest", "--lake", lakeDir, csv); !catalog.HasKey(err, "msg_lake_with_files") {
		t.Errorf("ingest --lake with a file: %v", err)
	}
	_, err = run(t, "--warehouse", wh, "export", "--format", "csv", "--out", lakeDir)
	var u usageError
	if !errors.As(err, &u) || !catalog.HasKey(err, "msg_lake_format") {
		t.Errorf("--format csv: %v, want a usage error", err)
	}
}
