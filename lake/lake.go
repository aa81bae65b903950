// Package lake owns the Parquet lake the group's data platform reads: `complaints export --format parquet`
// writes the canonical complaints (partitioned by received year and month), every mart (by its month) and the
// other exported tables (unpartitioned) as zstd Parquet through DuckDB's COPY, with a schema file (_schema.json)
// that lists every table's columns and partitions (row count and content hash) and carries the privacy key's
// fingerprint. A partition whose content hash changed is rewritten whole; one that did not is left as it is.
// Masked names and phones are left out unless configured; the warehouse holds no clear personal data, and
// nothing here adds any. Reading the lake back into a warehouse is ingest's (ingest/lake.go).
package lake

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"complaints/catalog"
	"complaints/internal/atomicfile"
	"complaints/internal/sqlrows"
	"complaints/warehouse"
)

// SchemaFile is the lake's schema file, at the top of its folder.
const SchemaFile = "_schema.json"

// FormatVersion is the layout version written in the schema file.
const FormatVersion = 1

// Schema is the schema file: what the lake holds and the key fingerprint its hashes were made with.
type Schema struct {
	FormatVersion  int    `json:"format_version"`
	KeyFingerprint string `json:"key_fingerprint"`
	MaskedIncluded bool   `json:"masked_included"`
	ExportedAt     string `json:"exported_at"`
	// Sources are the as-of of every source system's newest batch: the months the marts and the sources'
	// coverage reach, which a warehouse rebuilt from the lake must reach as well.
	Sources []Source `json:"sources"`
	Tables  []Table  `json:"tables"`
}

// Source is one source system and the as-of of its newest batch (its export's as-of, else its ingest time),
// Beijing wall clock 'YYYY-MM-DD HH:MM:SS'.
type Source struct {
	Name string `json:"source_system"`
	AsOf string `json:"as_of"`
}

// Table is one exported table: its folder (relative to the lake), its columns, how it is partitioned and its
// partitions (one, with an empty path, when it is not partitioned).
type Table struct {
	Name        string      `json:"name"`
	Path        string      `json:"path"`
	PartitionBy []string    `json:"partition_by,omitempty"`
	Columns     []Column    `json:"columns"`
	Partitions  []Partition `json:"partitions"`
}

// Column is one column of a table's Parquet files (partition columns are in the folder names only).
type Column struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// Partition is one partition folder (hive style: received_year=2026/received_month=10) with its row count and
// the content hash of its rows (ContentHash: order-independent, over the exported columns and the partition).
type Partition struct {
	Path string `json:"path"`
	Rows int64  `json:"rows"`
	Hash string `json:"hash"`
}

// Options are an export's settings.
type Options struct {
	// Dir is the lake's folder (created when missing).
	Dir string
	// KeyFingerprint is the privacy key's fingerprint (ingest.KeyFingerprint), checked against the warehouse by
	// the caller.
	KeyFingerprint string
	// IncludeMasked keeps the masked customer names and phones (config lake.include_masked).
	IncludeMasked bool
	// Now is the export time (tests fix it); nil means time.Now.
	Now func() time.Time
}

// Result says what an export wrote.
type Result struct {
	Dir                         string
	Tables                      int
	Written, Unchanged, Removed int // partitions
	Rows                        int64
}

// maskedColumns are the masked personal values left out unless configured.
var maskedColumns = map[string]bool{"customer_name_masked": true, "customer_phone_masked": true}

// spec is how one table is exported: partition columns as SQL over the table, or none.
type spec struct {
	name  string
	parts []string // "expr AS name"
	names []string
}

// specs lists the exported tables: the complaints by received year and month, every mart by its month, the
// figures behind them and the sources' coverage unpartitioned.
func specs(ctx context.Context, w *warehouse.Warehouse) ([]spec, error) {
	out := []spec{{name: "complaints",
		parts: []string{"year(received_date) AS received_year", "month(received_date) AS received_month"},
		names: []string{"received_year", "received_month"}}}
	marts, err := sqlrows.Query(ctx, w.DB, func(s *string) []any { return []any{s} },
		`SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' AND table_name LIKE 'mart\_%' ESCAPE '\' ORDER BY 1`)
	if err != nil {
		return nil, err
	}
	for _, m := range marts {
		out = append(out, spec{name: m, parts: []string{"strftime(month, '%Y-%m') AS month_part"}, names: []string{"month_part"}})
	}
	for _, t := range []string{"complaint_figures", "source_coverage"} {
		out = append(out, spec{name: t})
	}
	return out, nil
}

func quote(id string) string { return `"` + strings.ReplaceAll(id, `"`, `""`) + `"` }

func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// columns are the exported columns of a table, in its order.
func columns(ctx context.Context, w *warehouse.Warehouse, table string, masked bool) ([]Column, error) {
	cols, err := sqlrows.Query(ctx, w.DB, func(c *Column) []any { return []any{&c.Name, &c.Type} },
		`SELECT column_name, data_type FROM duckdb_columns() WHERE schema_name = 'main' AND table_name = ? ORDER BY column_index`, table)
	if err != nil {
		return nil, err
	}
	out := cols[:0]
	for _, c := range cols {
		if maskedColumns[c.Name] && !masked {
			continue
		}
		out = append(out, c)
	}
	return out, nil
}

// PartitionHashes gives, for the rows of from (a table or a parenthesised query holding cols and the partition
// columns names), every partition's hive path with its row count and content hash. The export compares them with
// the schema file's; a test computes them over the Parquet files and over the warehouse.
func PartitionHashes(ctx context.Context, q sqlrows.Querier, from string, cols []Column, names []string) ([]Partition, error) {
	row := make([]string, len(cols))
	for i, c := range cols {
		row[i] = quote(c.Name)
	}
	path := "''"
	if len(names) > 0 {
		parts := make([]string, len(names))
		for i, n := range names {
			parts[i] = sqlString(n+"=") + " || CAST(" + quote(n) + " AS VARCHAR)"
		}
		path = strings.Join(parts, " || '/' || ")
	}
	query := fmt.Sprintf(`SELECT path, count(*), md5(string_agg(h, '' ORDER BY h))
FROM (SELECT %s AS path, md5(CAST(ROW(%s) AS VARCHAR)) AS h FROM %s)
GROUP BY path ORDER BY path`, path, strings.Join(row, ", "), from)
	return sqlrows.Query(ctx, q, func(p *Partition) []any { return []any{&p.Path, &p.Rows, &p.Hash} }, query)
}

func (s spec) source(cols []Column) string {
	sel := make([]string, 0, len(cols)+len(s.parts))
	for _, c := range cols {
		sel = append(sel, quote(c.Name))
	}
	sel = append(sel, s.parts...)
	return "(SELECT " + strings.Join(sel, ", ") + " FROM " + quote(s.name) + ")"
}

// ReadSchema reads a lake's schema file; a folder without one is not a lake (msg_lake_not_a_lake).
func ReadSchema(dir string) (*Schema, error) {
	b, err := os.ReadFile(filepath.Join(dir, SchemaFile))
	if err != nil {
		if os.IsNotExist(err) {
			return nil, catalog.Errorf("msg_lake_not_a_lake", dir, SchemaFile)
		}
		return nil, err
	}
	var s Schema
	if err := json.Unmarshal(b, &s); err != nil || s.FormatVersion == 0 {
		return nil, catalog.Errorf("msg_lake_schema_unreadable", filepath.Join(dir, SchemaFile))
	}
	if s.FormatVersion > FormatVersion {
		return nil, catalog.Errorf("msg_lake_schema_newer", s.FormatVersion, FormatVersion)
	}
	return &s, nil
}

// Export writes the lake into opts.Dir: every partition whose content changed (or is new) is written to a
// temporary folder beside it and swapped into place whole; a partition no longer in the warehouse is removed;
// the schema file is replaced last. A lake exported under another key is refused (msg_lake_key_differs): its
// hashes would not link with the new ones.
func Export(ctx context.Context, w *warehouse.Warehouse, opts Options) (*Result, error) {
	if err := os.MkdirAll(opts.Dir, 0o755); err != nil {
		return nil, err
	}
	old := map[string]map[string]Partition{}
	if prev, err := ReadSchema(opts.Dir); err == nil {
		if prev.KeyFingerprint != opts.KeyFingerprint {
			return nil, catalog.Errorf("msg_lake_key_differs", opts.Dir)
		}
		for _, t := range prev.Tables {
			m := map[string]Partition{}
			for _, p := range t.Partitions {
				m[p.Path] = p
			}
			old[t.Name] = m
		}
	} else if _, statErr := os.Stat(filepath.Join(opts.Dir, SchemaFile)); statErr == nil {
		return nil, err
	}
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	res := &Result{Dir: opts.Dir}
	schema := Schema{FormatVersion: FormatVersion, KeyFingerprint: opts.KeyFingerprint, MaskedIncluded: opts.IncludeMasked,
		ExportedAt: now().In(warehouse.Beijing).Format("2006-01-02 15:04:05")}
	var err error
	schema.Sources, err = sqlrows.Query(ctx, w.DB, func(s *Source) []any { return []any{&s.Name, &s.AsOf} },
		`SELECT source_system, strftime(max(coalesce(export_as_of, ingested_at)), '%Y-%m-%d %H:%M:%S') FROM batches GROUP BY 1 ORDER BY 1`)
	if err != nil {
		return nil, err
	}
	sp, err := specs(ctx, w)
	if err != nil {
		return nil, err
	}
	for _, s := range sp {
		cols, err := columns(ctx, w, s.name, opts.IncludeMasked)
		if err != nil {
			return nil, err
		}
		parts, err := PartitionHashes(ctx, w.DB, s.source(cols), cols, s.names)
		if err != nil {
			return nil, err
		}
		if len(s.names) == 0 && len(parts) == 0 {
			parts = []Partition{{Path: "", Hash: "empty"}}
		}
		if err := exportTable(ctx, w, opts.Dir, s, cols, parts, old[s.name], res); err != nil {
			return nil, err
		}
		t := Table{Name: s.name, Path: s.name, PartitionBy: s.names, Columns: cols, Partitions: parts}
		for _, p := range parts {
			res.Rows += p.Rows
		}
		schema.Tables = append(schema.Tables, t)
		res.Tables++
	}
	b, err := json.MarshalIndent(schema, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := atomicfile.Write(filepath.Join(opts.Dir, SchemaFile), append(b, '\n')); err != nil {
		return nil, err
	}
	return res, nil
}

// exportTable writes the changed partitions of one table and removes the ones gone.
func exportTable(ctx context.Context, w *warehouse.Warehouse, dir string, s spec, cols []Column, parts []Partition, old map[string]Partition, res *Result) error {
	root := filepath.Join(dir, s.name)
	var changed []Partition
	keep := map[string]bool{}
	for _, p := range parts {
		keep[p.Path] = true
		where := filepath.Join(root, filepath.FromSlash(p.Path))
		if len(s.names) == 0 {
			where = filepath.Join(root, "data_0.parquet")
		}
		if o, ok := old[p.Path]; ok && o.Hash == p.Hash && exists(where) {
			res.Unchanged++
			continue
		}
		changed = append(changed, p)
	}
	for path := range old {
		if !keep[path] {
			if err := os.RemoveAll(filepath.Join(root, filepath.FromSlash(path))); err != nil {
				return err
			}
			res.Removed++
		}
	}
	if len(changed) == 0 {
		return nil
	}
	tmp, err := os.MkdirTemp(dir, ".tmp-"+s.name+"-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	out := filepath.Join(tmp, "out")
	if len(s.names) == 0 {
		// an unpartitioned table is one file, replaced by a rename
		if err := os.MkdirAll(out, 0o755); err != nil {
			return err
		}
		q := fmt.Sprintf(`COPY %s TO %s (FORMAT parquet, COMPRESSION zstd)`, s.source(cols), sqlString(filepath.Join(out, "data_0.parquet")))
		if _, err := w.DB.ExecContext(ctx, q); err != nil {
			return err
		}
		if err := os.MkdirAll(root, 0o755); err != nil {
			return err
		}
		if err := os.Rename(filepath.Join(out, "data_0.parquet"), filepath.Join(root, "data_0.parquet")); err != nil {
			return err
		}
		res.Written++
		return nil
	}
	paths := make([]string, len(changed))
	for i, p := range changed {
		paths[i] = sqlString(p.Path)
	}
	sort.Strings(paths)
	pathExpr := make([]string, len(s.names))
	for i, n := range s.names {
		pathExpr[i] = sqlString(n+"=") + " || CAST(" + quote(n) + " AS VARCHAR)"
	}
	q := fmt.Sprintf(`COPY (SELECT * FROM %s WHERE %s IN (%s)) TO %s (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (%s))`,
		s.source(cols), strings.Join(pathExpr, " || '/' || "), strings.Join(paths, ", "), sqlString(out), strings.Join(s.names, ", "))
	if _, err := w.DB.ExecContext(ctx, q); err != nil {
		return err
	}
	for _, p := range changed {
		if err := swap(filepath.Join(out, filepath.FromSlash(p.Path)), filepath.Join(root, filepath.FromSlash(p.Path)), tmp); err != nil {
			return err
		}
		res.Written++
	}
	return nil
}

// swap puts the partition folder src in the place of dst: the old folder is moved aside and the new one renamed
// in, so a reader sees the old partition or the new one, never a half-written one.
func swap(src, dst, tmp string) error {
	if !exists(src) {
		return fmt.Errorf("lake: partition %s was not written", src)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	if exists(dst) {
		aside, err := os.MkdirTemp(tmp, "old-")
		if err != nil {
			return err
		}
		if err := os.Rename(dst, filepath.Join(aside, "p")); err != nil {
			return err
		}
	}
	return os.Rename(src, dst)
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }
