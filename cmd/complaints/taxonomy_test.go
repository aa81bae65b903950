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

// TestTaxonomyUnmappedProposals: `taxonomy unmapped` proposes codes by meaning (another source's record of the
// same complaint id, then shared words; never a code by spelling alone), and --write appends them to a user
// taxonomy file as comments only: the catalogue merged from that file is unchanged until a line is uncommented.
func TestTaxonomyUnmappedProposals(t *testing.T) {
	t.Cleanup(func() { catalog.UseUserFile("") })
	ctx := context.Background()
	dir := t.TempDir()
	wpath := filepath.Join(dir, "w.duckdb")
	w, err := warehouse.Open(ctx, warehouse.Options{Path: wpath})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []struct{ src, id, cat, catRaw, cause, causeRaw string }{
		{"h", "T1", "unmapped", "储蓄国债", "unmapped", "收费态度"},
		{"o", "T1", "treasury", "国债", "other", "其他"},
		{"h", "T2", "loans", "贷款", "unmapped", "Late fee"},
	} {
		_, err := w.DB.Exec(`INSERT INTO complaints (complaint_key, source_system, source_id, batch_id, file_path, row_number,
			version_count, record_type, is_complaint, intake_channel, business_channel, business_category, business_category_raw,
			cause, cause_raw, status, received_at, received_date, reply_date_invalid, paused_days, extension_tier,
			is_regulator_referral, is_major, primary_key, is_primary, group_regulator_referral)
			VALUES (?, ?, ?, 1, 'f.csv', 1, 1, 'complaint', true, 'phone', 'other', ?, ?, ?, ?, 'open',
			TIMESTAMP '2026-10-08 10:00:00', DATE '2026-10-08', false, 0, 0, false, false, ?, true, false)`,
			r.src+":"+r.id, r.src, r.id, r.cat, r.catRaw, r.cause, r.causeRaw, r.src+":"+r.id)
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.DB.Exec(`INSERT INTO unmapped_values VALUES ('business_category', '储蓄国债', 1, 'h'),
		('cause', '收费态度', 1, 'h'), ('cause', 'Late fee', 1, 'h')`); err != nil {
		t.Fatal(err)
	}
	w.Close()
	cfg := filepath.Join(dir, "bank.yaml")
	tax := filepath.Join(dir, "my-taxonomy.yaml")
	os.WriteFile(cfg, []byte("language: en\ntaxonomy: my-taxonomy.yaml\n"), 0o644)
	os.WriteFile(tax, []byte("dimensions:\n  demand:\n    - {code: refund, synonyms: [退还费用]}\n"), 0o644)
	before := func() string { catalog.UseUserFile(tax); return catalog.Fingerprint() }()
	out, err := run(t, "--config", cfg, "--warehouse", wpath, "taxonomy", "unmapped", "--write", tax)
	if err != nil {
		t.Fatal(err, out)
	}
	for _, want := range []string{
		`business_category  "储蓄国债"  1  h  treasury (records: 1)`,
		`cause  "Late fee"  1  h  pricing_fees (crosswalk: Late fee)`,
		`cause  "收费态度"  1  h  pricing_fees (words: 收费), service_quality (words: 态度)`,
	} {
		if !strings.Contains(strings.Join(strings.Fields(out), " "), strings.Join(strings.Fields(want), " ")) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "facilities_systems") {
		t.Errorf("a code proposed by spelling alone:\n%s", out)
	}
	b, _ := os.ReadFile(tax)
	for _, want := range []string{"#     - {code: treasury, synonyms: [\"储蓄国债\"]}", "#     - {code: pricing_fees, synonyms: [\"Late fee\", \"收费态度\"]}"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("taxonomy file lacks %q:\n%s", want, b)
		}
	}
	if err := catalog.UseUserFile(tax); err != nil || catalog.Fingerprint() != before {
		t.Errorf("the proposals changed the catalogue (%v)", err)
	}
	// uncommented, they are a valid user file that maps the values
	os.WriteFile(tax, []byte(strings.NewReplacer("#     - ", "    - ", "#   cause:", "  cause:", "#   business_category:", "  business_category:").Replace(string(b))), 0o644)
	if err := catalog.UseUserFile(tax); err != nil || !catalog.Known("cause", "Late fee") || !catalog.Known("business_category", "储蓄国债") {
		t.Errorf("uncommented proposals: %v\n%s", err, b)
	}
}

// TestTaxonomyUnmappedStatusDemandSatisfaction: statuses, demands and satisfaction that map to no code are
// listed by `taxonomy unmapped` with codes proposed by meaning, and --write appends those proposals for review;
// values their words map (已销号) or a satisfaction recorded as not taken (未回访) are not listed, and nothing is
// applied: the listed status stays open, the demand and satisfaction none.
func TestTaxonomyUnmappedStatusDemandSatisfaction(t *testing.T) {
	t.Cleanup(func() { catalog.UseUserFile(""); catalog.SetLang("zh") })
	dir := t.TempDir()
	export := "工单编号,受理时间,投诉内容,处理状态,客户诉求,满意度\n" +
		"H1,2026-10-05 10:00:00,卡被吞,待审批,退费并赔偿,基本认可\n" +
		"H2,2026-10-06 10:00:00,卡被吞,已销号,退款,满意\n" +
		"H3,2026-10-07 10:00:00,卡被吞,待审批,退费并赔偿,未回访\n"
	tax := filepath.Join(dir, "my-taxonomy.yaml")
	for name, body := range map[string]string{"hotline_20261031.csv": export, "complaints.yaml": "language: en\n",
		"my-taxonomy.yaml": "dimensions: {}\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	wh := filepath.Join(dir, "w.duckdb")
	g := []string{"--config", filepath.Join(dir, "complaints.yaml"), "--warehouse", wh}
	for _, args := range [][]string{{"ingest", filepath.Join(dir, "hotline_20261031.csv")}, {"normalize"}} {
		if out, err := run(t, append(g, args...)...); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
	}
	out, err := run(t, append(g, "taxonomy", "unmapped", "--write", tax)...)
	if err != nil {
		t.Fatal(err, out)
	}
	flat := strings.Join(strings.Fields(out), " ")
	for _, want := range []string{
		`demand "退费并赔偿" 2 hotline compensation (words: 赔偿), refund (words: 退费)`,
		`satisfaction "基本认可" 1 hotline basically_satisfied (words: 基本), satisfied (words: 认可)`,
		`status "待审批" 2 hotline`,
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	for _, not := range []string{"已销号", "未回访", "退款"} {
		if strings.Contains(out, not) {
			t.Errorf("%s is listed, but maps:\n%s", not, out)
		}
	}
	b, _ := os.ReadFile(tax)
	for _, want := range []string{"#   satisfaction:", `#     - {code: basically_satisfied, synonyms: ["基本认可"]}`,
		"#   demand:", `#     - {code: compensation, synonyms: ["退费并赔偿"]}`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("taxonomy file lacks %q:\n%s", want, b)
		}
	}
	if strings.Contains(string(b), "待审批") {
		t.Errorf("a value without a proposal was written:\n%s", b)
	}
	db := openReadOnly(t, wh)
	defer db.Close()
	var got string
	if err := db.QueryRow(`SELECT string_agg(source_id || ' ' || status || ' ' || coalesce(demand, '-') || ' ' || coalesce(satisfaction, '-'), '; ' ORDER BY source_id) FROM complaints`).Scan(&got); err != nil {
		t.Fatal(err)
	}
	if want := "H1 open - -; H2 closed refund satisfied; H3 open - -"; got != want {
		t.Errorf("complaints %q, want %q", got, want)
	}
}
