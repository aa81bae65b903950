package ingest

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"complaints/catalog"
	"complaints/warehouse"
)

const keyTestCSV = "complaint id,received at,customer phone,narrative\nA1,2026-10-05,13812345678,text\nA2,2026-10-06,13912345678,text\n"

// TestKeyRequired: without a key nothing is ingested, neither files nor the inbox, and the error names the
// environment variable.
func TestKeyRequired(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	p := writeFile(t, dir, "a.csv", keyTestCSV)
	w := openTestWarehouse(t)
	opts := testOptions()
	opts.HMACKey, opts.KeyEnv = nil, "MY_KEY_VAR"
	_, err := IngestFiles(ctx, w, opts, []string{p}, "")
	if !catalog.HasKey(err, "msg_privacy_no_key") || !strings.Contains(err.Error(), "MY_KEY_VAR") {
		t.Fatalf("files: %v", err)
	}
	_, err = IngestInbox(ctx, w, opts, dir)
	if !catalog.HasKey(err, "msg_privacy_no_key") {
		t.Fatalf("inbox: %v", err)
	}
	if b, l, _ := tableCounts(t, w); b != 0 || l != 0 {
		t.Fatalf("landed %d batches, %d rows", b, l)
	}
}

// TestKeyFingerprintAndRotation: the first ingest stores the key's fingerprint; another key is refused with a
// sentence naming neither key; rotating means re-ingesting the retained exports into a new warehouse, where
// the new key works and the records still link (same keys for the same phone across files).
func TestKeyFingerprintAndRotation(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	a := writeFile(t, dir, "a.csv", keyTestCSV)
	b := writeFile(t, dir, "b.csv", "complaint id,received at,customer phone,narrative\nB1,2026-10-07,13812345678,again\n")
	oldKey, newKey := []byte("old-secret-key-1"), []byte("new-secret-key-2")
	opts := testOptions()

	old := openTestWarehouse(t)
	opts.HMACKey = oldKey
	if res, err := IngestFiles(ctx, old, opts, []string{a}, ""); err != nil || res[0].Err != nil {
		t.Fatalf("first ingest: %v %v", err, res)
	}
	if fp, _ := old.Meta(ctx, keyFingerprintName); fp != KeyFingerprint(oldKey) || strings.Contains(fp, string(oldKey)) {
		t.Fatalf("fingerprint %q", fp)
	}
	opts.HMACKey = newKey
	_, err := IngestFiles(ctx, old, opts, []string{b}, "")
	if !catalog.HasKey(err, "msg_privacy_key_differs") {
		t.Fatalf("another key: %v", err)
	}
	for _, lang := range []string{"zh", "en"} {
		msg := catalog.Localize(err, lang)
		if strings.Contains(msg, string(oldKey)) || strings.Contains(msg, string(newKey)) || strings.Contains(msg, KeyFingerprint(oldKey)) {
			t.Fatalf("the message shows a key: %s", msg)
		}
	}
	if _, err := IngestInbox(ctx, old, opts, t.TempDir()); !catalog.HasKey(err, "msg_privacy_key_differs") && err != nil {
		t.Fatalf("inbox: %v", err)
	}
	if n, _, _ := tableCounts(t, old); n != 1 {
		t.Fatalf("the old warehouse has %d batches", n)
	}
	// The old key still works on the old warehouse.
	opts.HMACKey = oldKey
	if res, err := IngestFiles(ctx, old, opts, []string{b}, ""); err != nil || res[0].Err != nil {
		t.Fatalf("old key: %v %v", err, res)
	}

	// Rotation: the retained exports into a new warehouse under the new key.
	fresh, err := warehouse.Open(ctx, warehouse.Options{Path: filepath.Join(t.TempDir(), "new.duckdb"), Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	opts.HMACKey = newKey
	if res, err := IngestFiles(ctx, fresh, opts, []string{a, b}, ""); err != nil || res[0].Err != nil || res[1].Err != nil {
		t.Fatalf("re-ingest: %v %v", err, res)
	}
	got := rowsOf(t, fresh, "SELECT DISTINCT customer_phone_key FROM landed_rows WHERE customer_phone_masked = '138****5678'")
	if len(got) != 1 || got[0] != CustomerKey(newKey, "13812345678") {
		t.Fatalf("linked keys %v", got)
	}
	opts.HMACKey = oldKey
	if _, err := IngestFiles(ctx, fresh, opts, []string{a}, ""); !catalog.HasKey(err, "msg_privacy_key_differs") {
		t.Fatalf("old key on the new warehouse: %v", err)
	}
}
