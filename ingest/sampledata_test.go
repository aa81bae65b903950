package ingest

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
)

// TestSampleData ingests the bundled demo project (sample-data/) with its own complaints.yaml, as `complaints
// demo` does, and logs the per-file counts. It is skipped only while the folder has no exports yet.
func TestSampleData(t *testing.T) {
	base := filepath.Join("..", "sample-data")
	exports, _ := filepath.Glob(filepath.Join(base, "exports", "*"))
	if len(exports) == 0 {
		t.Skip("sample-data/exports has no files yet")
	}
	b, err := os.ReadFile(filepath.Join(base, "complaints.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		Sources []Profile `yaml:"sources"`
	}
	if err := yaml.Unmarshal(b, &cfg); err != nil {
		t.Fatal(err)
	}
	w := openTestWarehouse(t)
	opts := testOptions()
	opts.MaxRejectRate = 0.2
	opts.Profiles, opts.BaseDir = cfg.Sources, base
	res, err := IngestSources(context.Background(), w, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != len(exports) {
		t.Errorf("ingested %d files, the exports folder has %d", len(res), len(exports))
	}
	for _, r := range res {
		t.Logf("%-45s %-9s %-6s %-10s %-8s as_of=%-10s read=%5d accepted=%5d rejected=%3d batch=%d", r.Path, r.Source, r.Format, r.Encoding, r.Sheet, r.AsOf, r.Read, r.Accepted, r.Rejected, r.BatchID)
		for i, rj := range r.Rejects {
			if i == 5 {
				break
			}
			t.Logf("    reject row %d %q %q: %s", rj.Row, rj.Column, rj.RawValue, rj.Reason)
		}
		if r.Err != nil {
			t.Errorf("%s: %v", r.Path, r.Err)
		}
		if r.Accepted == 0 && r.Err == nil {
			t.Errorf("%s: nothing accepted", r.Path)
		}
	}
	// The generator's truth.json says what each file must give.
	var truth struct {
		Files []struct {
			File     string `json:"file"`
			Accepted int    `json:"accepted"`
			Rejected int    `json:"rejected"`
			Rejects  []struct {
				Row int `json:"row"`
			} `json:"rejects"`
		} `json:"files"`
	}
	if tb, err := os.ReadFile(filepath.Join(base, "truth.json")); err == nil && json.Unmarshal(tb, &truth) == nil {
		byPath := map[string]FileResult{}
		for _, r := range res {
			byPath[r.Path] = r
		}
		for _, f := range truth.Files {
			r, ok := byPath[f.File]
			if !ok {
				t.Errorf("truth.json file %s was not ingested", f.File)
				continue
			}
			if r.Accepted != f.Accepted || r.Rejected != f.Rejected {
				t.Errorf("%s: accepted/rejected %d/%d, truth.json says %d/%d", f.File, r.Accepted, r.Rejected, f.Accepted, f.Rejected)
			}
			var rows []int
			for _, rj := range f.Rejects {
				rows = append(rows, rj.Row)
			}
			var got []int
			for _, rj := range r.Rejects {
				got = append(got, rj.Row)
			}
			if fmt.Sprint(got) != fmt.Sprint(rows) {
				t.Errorf("%s: rejected rows %v, truth.json says %v", f.File, got, rows)
			}
		}
	}
	// No phone, ID, card number or e-mail address in clear anywhere in the landing tables.
	for _, tbl := range []string{"batches", "landed_rows", "rejects"} {
		for _, c := range varcharColumns(t, w.DB, tbl) {
			if strings.HasSuffix(c, "_key") || c == "file_sha256" || c == "row_hash" || c == "raw_hash" {
				continue
			}
			var n int
			var example sql.NullString
			q := fmt.Sprintf(`SELECT count(*), any_value(%[1]q) FROM %[2]q WHERE regexp_matches(%[1]q, '(^|[^0-9])(1[3-9][0-9]{9}|[0-9]{17}[0-9Xx]|[0-9]{15,19})([^0-9]|$)|@[A-Za-z0-9-]+\.')`, c, tbl)
			if err := w.DB.QueryRow(q).Scan(&n, &example); err != nil {
				t.Fatal(err)
			}
			if n > 0 {
				t.Errorf("%s.%s: %d values with a phone, ID, card or e-mail in clear, e.g. %q", tbl, c, n, example.String)
			}
		}
	}
	again, err := IngestSources(context.Background(), w, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range again {
		if !r.Skipped {
			t.Errorf("%s: second run not skipped", r.Path)
		}
	}
}
