package ingest

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/goccy/go-yaml"

	"complaints/warehouse"
)

var testKey = []byte("test-key")

var fixedNow = func() time.Time { return time.Date(2026, 11, 5, 9, 0, 0, 0, warehouse.Beijing) }

func openTestWarehouse(t *testing.T) *warehouse.Warehouse {
	t.Helper()
	w, err := warehouse.Open(context.Background(), warehouse.Options{Path: filepath.Join(t.TempDir(), "w.duckdb"), Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w
}

func testOptions() Options {
	return Options{HMACKey: testKey, Now: fixedNow, MaxRejectRate: 0.5}
}

// expectedCase is a golden case's expected.json.
type expectedCase struct {
	Input         string           `json:"input"` // relative to the case folder; default: the one data file
	Source        string           `json:"source"`
	Format        string           `json:"format"`
	Encoding      string           `json:"encoding"`
	Delimiter     string           `json:"delimiter"`
	Sheet         string           `json:"sheet"`
	AsOf          string           `json:"as_of"`
	HeaderRow     int              `json:"header_row"`
	MaxRejectRate float64          `json:"max_reject_rate"`
	Accepted      int              `json:"accepted"`
	Rejected      int              `json:"rejected"`
	Rows          []map[string]any `json:"rows"`
	Rejects       []map[string]any `json:"rejects"`
	ErrorContains []string         `json:"error_contains"`
	// Notes are the catalogue keys of the summary's notes, in order (checked when given).
	Notes []string `json:"notes"`
}

// TestGolden runs every folder of testdata/ as a case: the input file (with profile.yaml if present) is
// ingested into a fresh warehouse and the counts, batch facts, listed landed rows and rejects are compared.
func TestGolden(t *testing.T) {
	dirs, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		dir := filepath.Join("testdata", d.Name())
		if _, err := os.Stat(filepath.Join(dir, "expected.json")); err != nil {
			continue
		}
		n++
		t.Run(d.Name(), func(t *testing.T) { runGolden(t, dir) })
	}
	if n < 10 {
		t.Fatalf("found %d golden cases, want at least 10", n)
	}
}

func runGolden(t *testing.T, dir string) {
	var exp expectedCase
	b, err := os.ReadFile(filepath.Join(dir, "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &exp); err != nil {
		t.Fatalf("%s/expected.json: %v", dir, err)
	}
	input := exp.Input
	if input == "" {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			switch e.Name() {
			case "expected.json", "profile.yaml", "README", "actual.json":
				continue
			}
			input = e.Name()
		}
	}
	path := filepath.Join(dir, input)
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("input %s not available: %v", path, err)
	}
	opts := testOptions()
	if exp.MaxRejectRate > 0 {
		opts.MaxRejectRate = exp.MaxRejectRate
	}
	profileName := ""
	if pb, err := os.ReadFile(filepath.Join(dir, "profile.yaml")); err == nil {
		var p Profile
		if err := yaml.Unmarshal(pb, &p); err != nil {
			t.Fatalf("%s/profile.yaml: %v", dir, err)
		}
		opts.Profiles = []Profile{p}
		profileName = p.Name
	}
	checkGolden(t, path, opts, profileName, exp)
}

func checkGolden(t *testing.T, path string, opts Options, profileName string, exp expectedCase) {
	t.Helper()
	ctx := context.Background()
	w := openTestWarehouse(t)
	res, err := IngestFiles(ctx, w, opts, []string{path}, profileName)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 {
		t.Fatalf("got %d results", len(res))
	}
	r := res[0]
	if len(exp.ErrorContains) > 0 {
		if r.Err == nil {
			t.Fatalf("want an error containing %q, got none", exp.ErrorContains)
		}
		for _, s := range exp.ErrorContains {
			if !strings.Contains(r.Err.Error(), s) {
				t.Errorf("error %q does not contain %q", r.Err, s)
			}
		}
		assertEmptyWarehouse(t, w)
		return
	}
	if r.Err != nil {
		t.Fatalf("ingest: %v", r.Err)
	}
	if exp.Notes != nil {
		var notes []string
		for _, n := range r.Notes {
			notes = append(notes, n.Key)
		}
		if strings.Join(notes, " ") != strings.Join(exp.Notes, " ") {
			t.Errorf("notes %v, want %v", notes, exp.Notes)
		}
	}
	if r.Accepted != exp.Accepted || r.Rejected != exp.Rejected || r.Read != exp.Accepted+exp.Rejected {
		t.Errorf("read/accepted/rejected = %d/%d/%d, want %d/%d/%d (rejects: %+v)", r.Read, r.Accepted, r.Rejected,
			exp.Accepted+exp.Rejected, exp.Accepted, exp.Rejected, r.Rejects)
	}
	for _, c := range []struct{ name, got, want string }{
		{"source", r.Source, exp.Source}, {"format", r.Format, exp.Format}, {"encoding", r.Encoding, exp.Encoding},
		{"sheet", r.Sheet, exp.Sheet}, {"as_of", r.AsOf, exp.AsOf},
	} {
		if c.want != "" && c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if exp.Delimiter != "" || exp.HeaderRow != 0 {
		rep, err := Check(ctx, path, profileFor(opts, profileName), opts)
		if err != nil {
			t.Fatalf("check: %v", err)
		}
		if exp.Delimiter != "" && rep.Delimiter != exp.Delimiter {
			t.Errorf("delimiter = %q, want %q", rep.Delimiter, exp.Delimiter)
		}
		if exp.HeaderRow != 0 && rep.HeaderRow != exp.HeaderRow {
			t.Errorf("header row = %d, want %d", rep.HeaderRow, exp.HeaderRow)
		}
	}
	// Counts in the warehouse agree with the result.
	var landed, rejected, read int
	q := func(s string, dst *int) {
		if err := w.DB.QueryRow(s, r.BatchID).Scan(dst); err != nil {
			t.Fatal(err)
		}
	}
	q("SELECT count(*) FROM landed_rows WHERE batch_id = ?", &landed)
	q("SELECT count(*) FROM rejects WHERE batch_id = ?", &rejected)
	q("SELECT rows_read FROM batches WHERE batch_id = ?", &read)
	if landed != exp.Accepted || rejected != exp.Rejected || read != exp.Accepted+exp.Rejected {
		t.Errorf("warehouse holds %d landed, %d rejects, rows_read %d; want %d, %d, %d", landed, rejected, read, exp.Accepted, exp.Rejected, exp.Accepted+exp.Rejected)
	}
	rows := landedRows(t, w.DB, r.BatchID)
	for _, want := range exp.Rows {
		rn := int64(want["row_number"].(float64))
		got, ok := rows[rn]
		if !ok {
			t.Errorf("no landed row with row_number %d (have %v)", rn, keys(rows))
			continue
		}
		for k, v := range want {
			if k == "row_number" {
				continue
			}
			if got[k] != fmt.Sprint(v) {
				t.Errorf("row %d %s = %q, want %q", rn, k, got[k], v)
			}
		}
	}
	rj := rejectRows(t, w.DB, r.BatchID)
	for i, want := range exp.Rejects {
		var got map[string]string
		if wr, ok := want["row"]; ok {
			for _, g := range rj {
				if g["row"] == fmt.Sprint(wr) {
					got = g
				}
			}
		} else if i < len(rj) {
			got = rj[len(rj)-1-i]
		}
		if got == nil {
			t.Errorf("no reject %v (have %v)", want, rj)
			continue
		}
		for k, v := range want {
			if k == "key" { // the reason's catalogue key, from the result (the warehouse keeps the rendered reason)
				found := false
				for _, rr := range r.Rejects {
					found = found || fmt.Sprint(rr.Row) == got["row"] && rr.Key == fmt.Sprint(v)
				}
				if !found {
					t.Errorf("reject row %s: no reject with key %q (have %+v)", got["row"], v, r.Rejects)
				}
				continue
			}
			if got[k] != fmt.Sprint(v) {
				t.Errorf("reject row %s %s = %q, want %q", got["row"], k, got[k], v)
			}
		}
	}
	// Every landed row carries its lineage.
	var bad int
	if err := w.DB.QueryRow(`SELECT count(*) FROM landed_rows l JOIN batches b USING (batch_id)
		WHERE l.file_sha256 <> b.file_sha256 OR l.file_path <> b.file_path OR l.source_system <> b.source_system
		OR l.ingested_at <> b.ingested_at OR l.row_number < 1`).Scan(&bad); err != nil {
		t.Fatal(err)
	}
	if bad > 0 {
		t.Errorf("%d landed rows with lineage that disagrees with their batch", bad)
	}
}

func profileFor(opts Options, name string) *Profile {
	for i := range opts.Profiles {
		if opts.Profiles[i].Name == name {
			return &opts.Profiles[i]
		}
	}
	return nil
}

func keys(m map[int64]map[string]string) []int64 {
	var out []int64
	for k := range m {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	if len(out) > 20 {
		out = out[:20]
	}
	return out
}

// landedRows reads a batch's landed rows keyed by row number, each as column -> text (NULLs left out).
func landedRows(t *testing.T, db *sql.DB, batch int64) map[int64]map[string]string {
	t.Helper()
	cols := append([]string{"source_system", "file_path", "sheet"}, slices.DeleteFunc(slices.Clone(landingColumns), func(c string) bool { return c == "row_hash" || c == "raw_hash" })...)
	rs, err := db.Query("SELECT row_number, "+strings.Join(cols, ", ")+" FROM landed_rows WHERE batch_id = ?", batch)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	out := map[int64]map[string]string{}
	for rs.Next() {
		var rn int64
		vals := make([]sql.NullString, len(cols))
		dst := []any{&rn}
		for i := range vals {
			dst = append(dst, &vals[i])
		}
		if err := rs.Scan(dst...); err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		for i, c := range cols {
			if vals[i].Valid {
				m[c] = vals[i].String
			}
		}
		out[rn] = m
	}
	return out
}

func rejectRows(t *testing.T, db *sql.DB, batch int64) []map[string]string {
	t.Helper()
	rs, err := db.Query("SELECT row_number, coalesce(column_name, ''), coalesce(raw_value, ''), reason FROM rejects WHERE batch_id = ? ORDER BY row_number", batch)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	var out []map[string]string
	for rs.Next() {
		var row int64
		var col, raw, reason string
		if err := rs.Scan(&row, &col, &raw, &reason); err != nil {
			t.Fatal(err)
		}
		out = append(out, map[string]string{"row": fmt.Sprint(row), "column": col, "raw_value": raw, "reason": reason})
	}
	return out
}

func assertEmptyWarehouse(t *testing.T, w *warehouse.Warehouse) {
	t.Helper()
	for _, tbl := range []string{"batches", "landed_rows", "rejects"} {
		var n int
		if err := w.DB.QueryRow("SELECT count(*) FROM " + tbl).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("%s holds %d rows, want none", tbl, n)
		}
	}
}
