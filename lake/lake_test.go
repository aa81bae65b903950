package lake_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"complaints/catalog"
	"complaints/ingest"
	"complaints/internal/sqlrows"
	"complaints/lake"
	"complaints/readmodel/readmodeltest"
	"complaints/transform"
	"complaints/warehouse"
)

// the files the tests land: the sample bank's hotline and online exports and a CFPB extract (a crosswalk source)
var landedFiles = []string{
	filepath.Join("..", "sample-data", "exports", "hotline_20261020.csv"),
	filepath.Join("..", "sample-data", "exports", "online_platform.ndjson"),
	filepath.Join("..", "testdata", "public", "cfpb", "consumer_complaints_2016_349rows.csv"),
}

// the key readmodeltest.Landed lands with
var testKey = []byte("k")

var exportTime = func() time.Time { return time.Date(2026, 11, 2, 9, 0, 0, 0, warehouse.Beijing) }

func export(t *testing.T, w *warehouse.Warehouse, dir string, masked bool) *lake.Result {
	t.Helper()
	res, err := lake.Export(context.Background(), w, lake.Options{Dir: dir, KeyFingerprint: ingest.KeyFingerprint(testKey),
		IncludeMasked: masked, Now: exportTime})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// tableHashes is every partition's row count and content hash of every exported table, computed over the
// warehouse's tables (lake's own PartitionHashes) or, with dir, over the Parquet files read back with DuckDB.
func tableHashes(t *testing.T, db *sql.DB, s *lake.Schema, dir string) map[string][]lake.Partition {
	t.Helper()
	out := map[string][]lake.Partition{}
	for _, tb := range s.Tables {
		var from string
		if dir == "" {
			sel := []string{"*"}
			if tb.Name == "complaints" {
				sel = append(sel, "year(received_date) AS received_year", "month(received_date) AS received_month")
			} else if len(tb.PartitionBy) > 0 {
				sel = append(sel, "strftime(month, '%Y-%m') AS month_part")
			}
			from = "(SELECT " + strings.Join(sel, ", ") + " FROM " + tb.Name + ")"
		} else {
			glob := filepath.Join(dir, tb.Path, "data_0.parquet")
			if n := len(tb.PartitionBy); n > 0 {
				glob = filepath.Join(dir, tb.Path, strings.Repeat("*/", n)+"*.parquet")
				if len(tb.Partitions) == 0 {
					continue
				}
			}
			from = "read_parquet('" + glob + "', hive_partitioning = true)"
		}
		p, err := lake.PartitionHashes(context.Background(), db, from, tb.Columns, tb.PartitionBy)
		if err != nil {
			t.Fatalf("%s: %v", tb.Name, err)
		}
		out[tb.Name] = p
	}
	return out
}

// TestExportEqualsWarehouse: every exported table read back from its Parquet files with DuckDB equals the
// warehouse's, partition by partition (row count and content hash); the files are zstd; the complaints are
// partitioned by received year and month, the marts by month; masked names and phones are out unless asked for.
func TestExportEqualsWarehouse(t *testing.T) {
	w := readmodeltest.Landed(t, landedFiles...)
	dir := t.TempDir()
	res := export(t, w, dir, false)
	s, err := lake.ReadSchema(dir)
	if err != nil {
		t.Fatal(err)
	}
	if s.KeyFingerprint != ingest.KeyFingerprint(testKey) || res.Written == 0 || res.Unchanged != 0 {
		t.Fatalf("schema %+v, result %+v", s, res)
	}
	want := tableHashes(t, w.DB, s, "")
	got := tableHashes(t, w.DB, s, dir)
	names := map[string]bool{}
	for _, tb := range s.Tables {
		names[tb.Name] = true
		if len(tb.Partitions) > 0 && !equal(want[tb.Name], got[tb.Name]) {
			t.Errorf("%s: the lake's partitions\n%v\ndiffer from the warehouse's\n%v", tb.Name, got[tb.Name], want[tb.Name])
		}
		if !equal(tb.Partitions, want[tb.Name]) && !(len(tb.PartitionBy) == 0 && len(want[tb.Name]) == 0) {
			t.Errorf("%s: the schema file's partitions %v differ from the warehouse's %v", tb.Name, tb.Partitions, want[tb.Name])
		}
		for _, c := range tb.Columns {
			if strings.HasSuffix(c.Name, "_masked") && strings.HasPrefix(c.Name, "customer_") {
				t.Errorf("%s: masked column %s exported without lake.include_masked", tb.Name, c.Name)
			}
		}
	}
	for _, n := range []string{"complaints", "mart_month", "mart_category_month", "mart_dimension_month", "complaint_figures", "source_coverage"} {
		if !names[n] {
			t.Errorf("table %s not exported", n)
		}
	}
	c := s.Tables[0]
	if c.Name != "complaints" || strings.Join(c.PartitionBy, ",") != "received_year,received_month" || len(c.Partitions) < 12 {
		t.Errorf("complaints partitioned by %v into %d partitions", c.PartitionBy, len(c.Partitions))
	}
	if !strings.HasPrefix(c.Partitions[0].Path, "received_year=20") {
		t.Errorf("complaints partition path %q", c.Partitions[0].Path)
	}
	var codecs string
	if err := w.DB.QueryRow(`SELECT string_agg(DISTINCT compression, ',') FROM parquet_metadata(?)`,
		filepath.Join(dir, "*", "**", "*.parquet")).Scan(&codecs); err != nil {
		t.Fatal(err)
	}
	if codecs != "ZSTD" {
		t.Errorf("compression %q, want ZSTD", codecs)
	}
	// with lake.include_masked the masked values are in the lake (and only masked ones: the warehouse has no other)
	dir2 := t.TempDir()
	export(t, w, dir2, true)
	s2, err := lake.ReadSchema(dir2)
	if err != nil {
		t.Fatal(err)
	}
	var cols []string
	for _, col := range s2.Tables[0].Columns {
		cols = append(cols, col.Name)
	}
	if !strings.Contains(strings.Join(cols, ","), "customer_phone_masked") {
		t.Errorf("include_masked: columns %v", cols)
	}
	var clear int
	if err := w.DB.QueryRow(`SELECT count(*) FROM read_parquet(?, hive_partitioning = true)
		WHERE regexp_matches(customer_phone_masked, '1[3-9][0-9]{9}')`, filepath.Join(dir2, "complaints", "*", "*", "*.parquet")).Scan(&clear); err != nil {
		t.Fatal(err)
	}
	if clear != 0 {
		t.Errorf("%d clear phone numbers in the lake", clear)
	}
	// nor in any text of the lake's complaints (hash columns aside: hex digits can look like anything)
	var texts []string
	for _, col := range s2.Tables[0].Columns {
		if col.Type == "VARCHAR" && !strings.HasSuffix(col.Name, "_key") && col.Name != "source_id" && col.Name != "duplicate_of" {
			texts = append(texts, `coalesce("`+col.Name+`", '')`)
		}
	}
	if err := w.DB.QueryRow(`SELECT count(*) FROM read_parquet(?, hive_partitioning = true)
		WHERE regexp_matches(concat_ws(' ', `+strings.Join(texts, ", ")+`), '(^|[^0-9])(1[3-9][0-9]{9}|[0-9]{17}[0-9Xx]|[0-9]{16,19})([^0-9]|$)')`,
		filepath.Join(dir2, "complaints", "*", "*", "*.parquet")).Scan(&clear); err != nil {
		t.Fatal(err)
	}
	if clear != 0 || len(texts) < 10 {
		t.Errorf("%d complaints of the lake hold a phone, ID or card number in clear (%d text columns)", clear, len(texts))
	}
}

func equal(a, b []lake.Partition) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// partitionFiles are the Parquet files of the lake by path, with their content hash and file info.
type fileState struct {
	sum  [32]byte
	info os.FileInfo
}

func partitionFiles(t *testing.T, dir string) map[string]fileState {
	t.Helper()
	out := map[string]fileState{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".parquet") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		info, err := os.Stat(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = fileState{sum: sha256.Sum256(b), info: info}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestExportRewritesChangedMonthsOnly: after one complaint of one month changes, a second export rewrites that
// month's complaint partition and leaves every other complaint partition's file as it was (the same file, not
// rewritten); no temporary folder is left behind.
func TestExportRewritesChangedMonthsOnly(t *testing.T) {
	w := readmodeltest.Landed(t, landedFiles...)
	dir := t.TempDir()
	export(t, w, dir, false)
	before := partitionFiles(t, dir)
	var key, ym string
	if err := w.DB.QueryRow(`SELECT complaint_key, 'received_year=' || year(received_date) || '/received_month=' || month(received_date)
		FROM complaints ORDER BY received_date, complaint_key LIMIT 1`).Scan(&key, &ym); err != nil {
		t.Fatal(err)
	}
	if _, err := w.DB.Exec(`UPDATE complaints SET summary = coalesce(summary, '') || ' (changed)' WHERE complaint_key = ?`, key); err != nil {
		t.Fatal(err)
	}
	res := export(t, w, dir, false)
	if res.Written != 1 || res.Unchanged == 0 {
		t.Errorf("second export: %+v, want 1 partition written", res)
	}
	after := partitionFiles(t, dir)
	changed := "complaints/" + ym + "/data_0.parquet"
	for p, b := range before {
		a, ok := after[p]
		switch {
		case !ok:
			t.Errorf("%s gone", p)
		case p == changed:
			if a.sum == b.sum || os.SameFile(a.info, b.info) {
				t.Errorf("%s: the changed month was not rewritten", p)
			}
		case a.sum != b.sum || !os.SameFile(a.info, b.info):
			t.Errorf("%s: rewritten though its rows did not change", p)
		}
	}
	if _, ok := before[changed]; !ok {
		t.Fatalf("no file %s in %v", changed, before)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".tmp") {
			t.Errorf("temporary %s left in the lake", e.Name())
		}
	}
}

// figureTables are the tables whose content must come out the same from a warehouse rebuilt from the lake.
func figureTables(t *testing.T, db *sql.DB) map[string]string {
	t.Helper()
	names, err := sqlrows.Query(context.Background(), db, func(s *string) []any { return []any{s} },
		`SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'mart\_%' ESCAPE '\' OR table_name IN ('complaint_figures', 'source_coverage') ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, n := range names {
		var h string
		if err := db.QueryRow(`SELECT count(*) || ' ' || coalesce(md5(string_agg(h, '' ORDER BY h)), '') FROM (SELECT md5(CAST(t AS VARCHAR)) AS h FROM ` + n + ` t)`).Scan(&h); err != nil {
			t.Fatal(err)
		}
		out[n] = h
	}
	return out
}

// TestLakeRoundTrip: a warehouse rebuilt from the lake (ingest --lake, then normalise) with the same key has the
// same figures: every mart, the figures table and the sources' coverage, row for row. A second ingest of the same
// lake is skipped; a lake read under another key is refused with a sentence, and nothing lands.
func TestLakeRoundTrip(t *testing.T) {
	ctx := context.Background()
	w := readmodeltest.Landed(t, landedFiles...)
	dir := t.TempDir()
	export(t, w, dir, false)

	fresh, err := warehouse.Open(ctx, warehouse.Options{Path: ":memory:", Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	opts := ingest.Options{HMACKey: testKey, Now: func() time.Time { return time.Date(2026, 12, 1, 9, 0, 0, 0, warehouse.Beijing) }}
	res, err := ingest.IngestLake(ctx, fresh, opts, dir)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	for _, r := range res {
		n += r.Accepted
	}
	var want int
	if err := w.DB.QueryRow(`SELECT count(*) FROM complaints`).Scan(&want); err != nil {
		t.Fatal(err)
	}
	if n != want || len(res) < 2 {
		t.Fatalf("landed %d complaints in %d batches, want %d", n, len(res), want)
	}
	if _, err := transform.Normalize(ctx, fresh, transform.Options{}); err != nil {
		t.Fatal(err)
	}
	a, b := figureTables(t, w.DB), figureTables(t, fresh.DB)
	if len(a) < 5 {
		t.Fatalf("figure tables %v", a)
	}
	for name, h := range a {
		if b[name] != h {
			t.Errorf("%s: rebuilt from the lake %s, warehouse %s", name, b[name], h)
		}
	}
	again, err := ingest.IngestLake(ctx, fresh, opts, dir)
	if err != nil || len(again) == 0 || !again[0].Skipped {
		t.Errorf("second ingest of the lake: %+v, %v; want skipped", again, err)
	}

	other, err := warehouse.Open(ctx, warehouse.Options{Path: ":memory:", Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	_, err = ingest.IngestLake(ctx, other, ingest.Options{HMACKey: []byte("another key")}, dir)
	var m *catalog.Message
	if !errors.As(err, &m) || m.Key != "msg_lake_key_differs" {
		t.Fatalf("another key: %v, want msg_lake_key_differs", err)
	}
	var landed int
	if err := other.DB.QueryRow(`SELECT count(*) FROM landed_rows`).Scan(&landed); err != nil || landed != 0 {
		t.Errorf("another key landed %d rows (%v)", landed, err)
	}
	// and a second export into the same lake under another key is refused too
	if _, err := lake.Export(ctx, w, lake.Options{Dir: dir, KeyFingerprint: ingest.KeyFingerprint([]byte("another key"))}); err == nil {
		t.Error("export under another key into the lake accepted")
	}
}
