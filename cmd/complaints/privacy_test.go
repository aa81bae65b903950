package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"complaints/catalog"
	"complaints/internal/atomicfile"
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

// TestFileModeFromConfig: privacy.file_mode reaches the written files (atomicfile) and the warehouse, under a
// umask of 022.
func TestFileModeFromConfig(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	defer atomicfile.SetMode(0)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "complaints.yaml")
	csv := filepath.Join(dir, "a.csv")
	for p, b := range map[string]string{cfg: "privacy:\n  file_mode: \"0640\"\n", csv: "complaint id,received at,narrative\nA1,2026-10-05,text\n"} {
		if err := os.WriteFile(p, []byte(b), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	wh := filepath.Join(dir, "w.duckdb")
	if out, err := run(t, "--config", cfg, "--warehouse", wh, "ingest", csv); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if atomicfile.Mode() != 0o640 {
		t.Fatalf("atomicfile mode %v", atomicfile.Mode())
	}
	if fi, err := os.Stat(wh); err != nil || fi.Mode().Perm() != 0o640 {
		t.Fatalf("warehouse: %v %v", fi.Mode(), err)
	}
}
