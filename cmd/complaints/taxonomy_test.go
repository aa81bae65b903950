package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"complaints/catalog"
	"complaints/warehouse"
)

// TestKeywordClassifiedCount: `taxonomy unmapped` counts the records keyword rules classified, by rule.
func TestKeywordClassifiedCount(t *testing.T) {
	ctx := context.Background()
	w, err := warehouse.Open(ctx, warehouse.Options{Path: filepath.Join(t.TempDir(), "w.duckdb")})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	for i, r := range []struct{ cat, catRule, causeRule string }{
		{"credit_card", "credit_card:信用卡", "fund_safety:盗刷"},
		{"credit_card", "credit_card:信用卡", ""},
		{"loans", "", ""},
	} {
		nul := func(s string) any {
			if s == "" {
				return nil
			}
			return s
		}
		_, err := w.DB.Exec(`INSERT INTO complaints (complaint_key, source_system, source_id, batch_id, file_path, row_number,
			version_count, record_type, is_complaint, intake_channel, business_channel, business_category, cause, status,
			received_at, received_date, reply_date_invalid, paused_days, extension_tier, is_regulator_referral, is_major,
			primary_key, is_primary, group_regulator_referral, category_rule, cause_rule)
			VALUES (?, 'h', ?, 1, 'f.csv', 1, 1, 'complaint', true, 'phone', 'other', ?, 'other', 'open',
			TIMESTAMP '2026-10-08 10:00:00', DATE '2026-10-08', false, 0, 0, false, false, ?, true, false, ?, ?)`,
			"h:K"+string(rune('1'+i)), "K"+string(rune('1'+i)), r.cat, "h:K"+string(rune('1'+i)), nul(r.catRule), nul(r.causeRule))
		if err != nil {
			t.Fatal(err)
		}
	}
	var out bytes.Buffer
	cmd := &cobra.Command{}
	cmd.SetOut(&out)
	cmd.SetContext(ctx)
	if err := printKeywordClassified(cmd, w.DB, "en"); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	want := []string{"Classified by keyword rules", "dimension", "business_category  credit_card:信用卡  2", "cause              fund_safety:盗刷   1"}
	if len(lines) != len(want) {
		t.Fatalf("output:\n%s", out.String())
	}
	for i, w := range want {
		if !strings.HasPrefix(strings.TrimSpace(lines[i]), w) {
			t.Errorf("line %d %q, want it to start with %q", i, lines[i], w)
		}
	}
}

// TestTaxonomyCodesUserFile: `taxonomy codes` shows the catalogue merged with the config's taxonomy file (a
// relabelled code's new labels, an added code last), and a bad user file is a usage error naming file and line.
func TestTaxonomyCodesUserFile(t *testing.T) {
	t.Cleanup(func() { catalog.UseUserFile("") })
	dir := t.TempDir()
	cfg := filepath.Join(dir, "bank.yaml")
	tax := filepath.Join(dir, "my-taxonomy.yaml")
	os.WriteFile(cfg, []byte("taxonomy: my-taxonomy.yaml\n"), 0o644)
	os.WriteFile(tax, []byte("dimensions:\n  demand:\n    - {code: refund, zh: 退还费用, en: Refund of fees}\n    - {code: cancel, zh: 销户, en: Close the account}\n"), 0o644)
	out, err := run(t, "--config", cfg, "taxonomy", "codes", "demand")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 10 || strings.Join(strings.Fields(lines[0]), " ") != "refund 退还费用 Refund of fees" ||
		strings.Join(strings.Fields(lines[9]), " ") != "cancel 销户 Close the account" {
		t.Errorf("taxonomy codes demand:\n%s", out)
	}
	os.WriteFile(tax, []byte("dimensions:\n  demand:\n    - {code: refund, lable: 退还费用}\n"), 0o644)
	_, err = run(t, "--config", cfg, "taxonomy", "codes", "demand")
	var u usageError
	if !errors.As(err, &u) || !strings.Contains(err.Error(), "my-taxonomy.yaml") || !strings.Contains(err.Error(), "[3:") ||
		!strings.Contains(err.Error(), "lable") {
		t.Errorf("bad user file: %v", err)
	}
}
