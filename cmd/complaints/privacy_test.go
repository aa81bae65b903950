package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"complaints/catalog"
)

// TestIngestAndRunRefuseWithoutKey: no key, no ingest: exit status 2 (a usage error), one sentence naming the
// environment variable, and no warehouse created.
func TestIngestAndRunRefuseWithoutKey(t *testing.T) {
	t.Setenv("COMPLAINTS_HMAC_KEY", "")
	dir := t.TempDir()
	csv := filepath.Join(dir, "a.csv")
	if err := os.WriteFile(csv, []byte("complaint id,received at,narrative\nA1,2026-10-05,text\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	wh := filepath.Join(dir, "w.duckdb")
	for _, args := range [][]string{
		{"--warehouse", wh, "ingest", csv},
		{"--warehouse", wh, "ingest", "--inbox", dir},
		{"--warehouse", wh, "run", "--period", "2026-10", csv},
	} {
		_, err := run(t, args...)
		var u usageError
		if !errors.As(err, &u) || !catalog.HasKey(err, "msg_privacy_no_key") || !strings.Contains(err.Error(), "COMPLAINTS_HMAC_KEY") {
			t.Fatalf("%v: %v", args, err)
		}
		if _, err := os.Stat(wh); !os.IsNotExist(err) {
			t.Fatalf("%v: a warehouse was created", args)
		}
	}
}
