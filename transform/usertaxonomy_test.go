package transform

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"complaints/catalog"
)

// TestUserTaxonomy: a user taxonomy file (catalog.UseUserFile) maps a value the built-in catalogue leaves
// unmapped and classifies an empty category by its keyword; merging it, and any later change of it, makes the
// next normalise a full rebuild. The catalogue is process-wide, so this test is not parallel.
func TestUserTaxonomy(t *testing.T) {
	ctx := context.Background()
	t.Cleanup(func() { catalog.UseUserFile("") })
	w := setup(t, []landed{
		{batch: 1, source: "h", id: "U1", received: "2026-10-08 10:00:00", category: "分期业务", cause: "其他"},
		{batch: 1, source: "h", id: "U2", received: "2026-10-08 10:00:00", cause: "其他"},
	})
	// U2's category is empty; no built-in keyword of business_category is in its summary
	if _, err := w.DB.Exec("UPDATE landed_rows SET summary = '客户反映分期手续费过高' WHERE source_id = 'U2'"); err != nil {
		t.Fatal(err)
	}
	normalise := func(wantFull bool) {
		t.Helper()
		res, err := Normalize(ctx, w, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if res.Full != wantFull {
			t.Errorf("full = %v, want %v", res.Full, wantFull)
		}
	}
	normalise(true)
	wantRows(t, w.DB, "SELECT complaint_key, business_category, coalesce(category_rule, '-') FROM complaints ORDER BY 1",
		"h:U1|unmapped|-", "h:U2|other|-")
	wantRows(t, w.DB, "SELECT dimension, raw_value, records FROM unmapped_values", "business_category|分期业务|1")
	normalise(false) // nothing new, same catalogue: incremental

	file := filepath.Join(t.TempDir(), "my-taxonomy.yaml")
	write := func(body string) {
		t.Helper()
		if err := os.WriteFile(file, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := catalog.UseUserFile(file); err != nil {
			t.Fatal(err)
		}
	}
	write("dimensions:\n  business_category:\n    - {code: credit_card, synonyms: [分期业务], keywords: [分期手续费]}\n")
	normalise(true) // no new batch, but the catalogue changed: every complaint is re-derived
	wantRows(t, w.DB, "SELECT complaint_key, business_category, coalesce(category_rule, '-') FROM complaints ORDER BY 1",
		"h:U1|credit_card|-", "h:U2|credit_card|credit_card:分期手续费")
	wantRows(t, w.DB, "SELECT count(*) FROM unmapped_values", "0")
	normalise(false)

	// a label-only change still rebuilds (labels, parents and classes are part of the fingerprint)
	write("dimensions:\n  business_category:\n    - {code: credit_card, zh: 信用卡业务, synonyms: [分期业务], keywords: [分期手续费]}\n")
	normalise(true)
	// back to the built-in catalogue: rebuilt again, U1 unmapped again
	if err := catalog.UseUserFile(""); err != nil {
		t.Fatal(err)
	}
	normalise(true)
	wantRows(t, w.DB, "SELECT complaint_key, business_category FROM complaints ORDER BY 1", "h:U1|unmapped", "h:U2|other")
}
