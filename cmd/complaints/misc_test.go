package main

import (
	"os"
	"path/filepath"
	"testing"

	"complaints/catalog"
)

// TestSourcesCheckFailsWhenIngestWouldRefuse: `sources check` exits non-zero (returns an error) for every file
// ingest would refuse, and zero for one it would land.
func TestSourcesCheckFailsWhenIngestWouldRefuse(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"good.csv":     "工单编号,受理时间,投诉内容\nA1,2026-10-05,文本\nA2,2026-10-06,文本\n",
		"nodate.csv":   "工单编号,投诉内容\nA1,文本\n",
		"rejects.csv":  "工单编号,受理时间,投诉内容\nA1,2026-10-05,文本\nA2,不是日期,文本\nA3,也不是,文本\n",
		"noheader.csv": "",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if out, err := run(t, "sources", "check", filepath.Join(dir, "good.csv")); err != nil {
		t.Fatalf("good file: %v\n%s", err, out)
	}
	for _, name := range []string{"nodate.csv", "rejects.csv", "noheader.csv", "absent.csv"} {
		out, err := run(t, "sources", "check", filepath.Join(dir, name))
		if err == nil {
			t.Errorf("%s: check succeeded for a file ingest refuses\n%s", name, out)
		}
		if (name == "nodate.csv" || name == "rejects.csv") && !catalog.HasKey(err, "msg_misc_check_refused") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestDemoRefusesAnExistingWarehouse: `demo --warehouse X` with X (or its WAL) present refuses and leaves both.
func TestDemoRefusesAnExistingWarehouse(t *testing.T) {
	dir := t.TempDir()
	wh := filepath.Join(dir, "prod.duckdb")
	for _, p := range []string{wh, wh + ".wal"} {
		if err := os.WriteFile(p, []byte("precious"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, err := run(t, "demo", "--warehouse", wh, "--out", filepath.Join(dir, "out"), "--data", filepath.Join("..", "..", "sample-data"))
	if !catalog.HasKey(err, "msg_misc_demo_existing_warehouse") {
		t.Fatalf("demo on an existing warehouse: %v", err)
	}
	for _, p := range []string{wh, wh + ".wal"} {
		if b, err := os.ReadFile(p); err != nil || string(b) != "precious" {
			t.Errorf("%s was touched: %q %v", p, b, err)
		}
	}
}
