package main

import (
	"fmt"
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

// TestSourcesCheckUsesBranchMaster: `sources check` reads a column of branch short names as the branch when the
// config's branch master lists them, and not without it.
func TestSourcesCheckUsesBranchMaster(t *testing.T) {
	dir := t.TempDir()
	master, err := os.ReadFile(filepath.Join("..", "..", "ingest", "testdata", "branch_master", "branches.csv"))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("单据,收件,归口,全文\n")
	for i := range 40 {
		fmt.Fprintf(&b, "GD2026%04d,2026-03-%02d,%s,客户反映第%d笔转账到账延迟，多次联系客服未果，要求解释原因\n", i, 1+i%20, []string{"朝阳", "海淀", "浦东"}[i%3], i)
	}
	files := map[string]string{"branches.csv": string(master), "ledger.csv": b.String(),
		"with.yaml": "institution: 测试银行\nbranches: branches.csv\n", "without.yaml": "institution: 测试银行\n"}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for cfg, want := range map[string]bool{"with.yaml": true, "without.yaml": false} {
		out, err := run(t, "--config", filepath.Join(dir, cfg), "--warehouse", filepath.Join(dir, "w.duckdb"), "sources", "check", filepath.Join(dir, "ledger.csv"))
		if err != nil {
			t.Fatalf("%s: %v\n%s", cfg, err, out)
		}
		if got := strings.Contains(out, "branch: 归口"); got != want {
			t.Errorf("%s: branch pinned to 归口 %v, want %v:\n%s", cfg, got, want, out)
		}
	}
}
