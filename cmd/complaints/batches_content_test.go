package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBatchesShowContentMapping: a file whose headers no synonym names (the other bank's referrals, a profile
// naming no column) lands; `sources check` shows the columns mapped by content with a snippet pinning them, a
// header word's among them, and `batches` says which header went to which field by content, and by which word.
func TestBatchesShowContentMapping(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile(filepath.Join("..", "..", "ingest", "testdata", "otherbank", "referrals.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	xlsx := filepath.Join(dir, "referrals.xlsx")
	if err := os.WriteFile(xlsx, src, 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "complaints.yaml")
	conf := "institution: 测试银行\noutput_dir: out\nsources:\n  - name: referrals\n    glob: referrals.xlsx\n    format: xlsx\n    as_of: \"2026-10-31\"\n"
	if err := os.WriteFile(cfg, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	g := []string{"--config", cfg, "--warehouse", filepath.Join(dir, "w.duckdb")}
	do := func(args ...string) (string, error) { return run(t, append(append([]string{}, g...), args...)...) }
	out, err := do("sources", "check", xlsx)
	if err != nil || !strings.Contains(out, "major: 重大件") || !strings.Contains(out, "source_id: 来函文号") {
		t.Fatalf("sources check: %v\n%s", err, out)
	}
	if out, err := do("ingest", xlsx); err != nil {
		t.Fatalf("ingest: %v\n%s", err, out)
	}
	out, err = do("batches")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`major <- "重大件" ("重大")`, `source_id <- "来函文号",`, `received_at <- "收文日",`} {
		if !strings.Contains(out, want) {
			t.Errorf("batches does not say %s:\n%s", want, out)
		}
	}
}
