package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"complaints/catalog"
)

// TestBatchesAndStaleRefusal: report, dashboard, list and rootcause refuse landed data that is not normalised
// (a batch landed, or removed, after the last normalise); `batches` lists batches, `batches remove` takes one out.
func TestBatchesAndStaleRefusal(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "complaints.yaml")
	if err := os.WriteFile(cfg, []byte("institution: 测试银行\noutput_dir: out\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	csv := filepath.Join(dir, "hotline_20261031.csv")
	if err := os.WriteFile(csv, []byte("工单编号,受理时间,业务类别,投诉内容\nA1,2026-10-03 10:00:00,信用卡,年费\nA2,2026-10-05 11:00:00,借记卡,转账\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	g := []string{"--config", cfg, "--warehouse", filepath.Join(dir, "w.duckdb")}
	do := func(args ...string) (string, error) { return run(t, append(append([]string{}, g...), args...)...) }
	readers := [][]string{{"report", "--period", "2026-10"}, {"dashboard", "--to", "2026-10"}, {"list", "--period", "2026-10"},
		{"rootcause", "--period", "2026-10"}}
	refused := func(key string) {
		t.Helper()
		for _, r := range readers {
			if _, err := do(r...); !catalog.HasKey(err, key) {
				t.Errorf("%v: %v, want %s", r, err, key)
			}
		}
	}
	if out, err := do("ingest", csv); err != nil {
		t.Fatalf("ingest: %v\n%s", err, out)
	}
	refused("msg_poison_batch_not_normalised")
	if out, err := do("normalize"); err != nil {
		t.Fatalf("normalize: %v\n%s", err, out)
	}
	if out, err := do("report", "--period", "2026-10"); err != nil {
		t.Fatalf("report after normalise: %v\n%s", err, out)
	}
	out, err := do("batches")
	if err != nil || !strings.Contains(out, "hotline_20261031.csv") {
		t.Fatalf("batches: %v\n%s", err, out)
	}
	if out, err := do("batches", "remove", "1", "--dry-run"); err != nil || !strings.Contains(out, "hotline_20261031.csv") {
		t.Fatalf("remove --dry-run: %v\n%s", err, out)
	}
	if out, err := do("report", "--period", "2026-10"); err != nil {
		t.Fatalf("a dry run removed something: %v\n%s", err, out)
	}
	if out, err := do("batches", "remove", "1", "--reason", "test"); err != nil {
		t.Fatalf("remove: %v\n%s", err, out)
	}
	refused("msg_poison_batch_removed_not_normalised")
	if _, err := do("batches", "remove", "1"); !catalog.HasKey(err, "msg_poison_batch_already_removed") {
		t.Errorf("second removal: %v", err)
	}
	var u usageError
	if _, err := do("batches", "remove", "one"); !errors.As(err, &u) {
		t.Errorf("remove one: %v, want a usage error", err)
	}
	if out, err := do("normalize"); err != nil {
		t.Fatalf("normalize after removal: %v\n%s", err, out)
	}
	if out, err := do("ingest", csv); err != nil {
		t.Fatalf("the removed file again: %v\n%s", err, out)
	}
	refused("msg_poison_batch_not_normalised") // landed again as a new batch, not skipped
}
