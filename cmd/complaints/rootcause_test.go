package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// TestRootcauseUsesConfigDenominators: the config's denominators reach `complaints rootcause`: bank-wide series take
// u-charts per 10,000 customers, a branch named in personal_customers_by_branch too, other branches c-charts.
func TestRootcauseUsesConfigDenominators(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a small warehouse")
	}
	dir := t.TempDir()
	if _, err := run(t, "sample", "--seed", "5", "--months", "14", "--rows", "1500", "--out", dir); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "complaints.yaml")
	b, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	b = append(b, []byte("\ndenominators:\n  personal_customers: 8000000\n  personal_customers_by_month: {\"2026-09\": 8100000}\n  personal_customers_by_branch: {广州天河支行: 300000, GD001: 300000}\n")...)
	if err := os.WriteFile(cfg, b, 0o644); err != nil {
		t.Fatal(err)
	}
	wh := filepath.Join(dir, "w.duckdb")
	for _, step := range [][]string{{"ingest"}, {"normalize"}} {
		if out, err := run(t, append([]string{"--config", cfg, "--warehouse", wh}, step...)...); err != nil {
			t.Fatalf("%v: %v\n%s", step, err, out)
		}
	}
	out, err := run(t, "--config", cfg, "--warehouse", wh, "rootcause", "--period", "2026-09", "--format", "json")
	if err != nil {
		t.Fatalf("rootcause: %v\n%s", err, out)
	}
	var f struct {
		Charts []struct {
			Key struct {
				Kind  string   `json:"kind"`
				Parts []string `json:"parts"`
				Names []string `json:"names"`
			} `json:"key"`
			Type      string    `json:"chart_type"`
			Customers []float64 `json:"customers_10k"`
		} `json:"charts"`
	}
	if err := json.Unmarshal([]byte(out), &f); err != nil {
		t.Fatalf("json: %v\n%.500s", err, out)
	}
	kinds := map[string]int{}
	for _, c := range f.Charts {
		switch {
		case c.Key.Kind == "branch" && (c.Key.Parts[0] == "广州天河支行" || c.Key.Parts[0] == "GD001"):
			if c.Type != "u" || c.Customers[len(c.Customers)-1] != 30 {
				t.Errorf("branch %v: %s chart, n %v", c.Key.Parts, c.Type, c.Customers)
			}
		case c.Key.Kind == "branch":
			if c.Type != "c" {
				t.Errorf("branch %v without customers: %s chart", c.Key.Parts, c.Type)
			}
		default:
			if c.Type != "u" || c.Customers[len(c.Customers)-1] != 810 || c.Customers[len(c.Customers)-2] != 800 {
				t.Errorf("%s %v: %s chart, n %v", c.Key.Kind, c.Key.Parts, c.Type, c.Customers)
			}
		}
		kinds[c.Key.Kind+"/"+c.Type]++
	}
	if kinds["cause/u"] == 0 || kinds["branch/u"] != 1 || kinds["branch/c"] == 0 {
		t.Errorf("chart types by kind: %v", kinds)
	}
}
