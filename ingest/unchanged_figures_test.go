package ingest_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"complaints/ingest"
	"complaints/readmodel"
	"complaints/scope"
	"complaints/transform"
	"complaints/warehouse"
)

// unchangedLedgers are four cumulative monthly ledgers of one source (snapshot: full), the third an older export
// ingested late: A1 closes in the last, A2 closes in the second (and the late one still has it open), A3's reply
// date is after the first export's date (invalid there) and no longer in the second, A4 appears in the second.
var unchangedLedgers = []struct {
	name, ingested string
	rows           []string
}{
	{"crm_20260930.csv", "2026-10-01", []string{"A1,2026-09-01 10:00,张三,13812345678,处理中,", "A2,2026-09-02 10:00,李四,13912345678,处理中,",
		"A3,2026-09-03 10:00,王五,13712345678,已办结,2026-10-05 09:00"}},
	{"crm_20261031.csv", "2026-11-01", []string{"A1,2026-09-01 10:00,张三,13812345678,处理中,", "A2,2026-09-02 10:00,李四,13912345678,已办结,2026-10-10 09:00",
		"A3,2026-09-03 10:00,王五,13712345678,已办结,2026-10-05 09:00", "A4,2026-10-04 10:00,赵六,13812345678,处理中,"}},
	{"crm_20261015.csv", "2026-11-02", []string{"A1,2026-09-01 10:00,张三,13812345678,处理中,", "A2,2026-09-02 10:00,李四,13912345678,处理中,",
		"A3,2026-09-03 10:00,王五,13712345678,已办结,2026-10-05 09:00", "A4,2026-10-04 10:00,赵六,13812345678,处理中,"}},
	{"crm_20261130.csv", "2026-12-01", []string{"A1,2026-09-01 10:00,张三,13812345678,已办结,2026-11-20 09:00",
		"A2,2026-09-02 10:00,李四,13912345678,已办结,2026-10-10 09:00",
		"A3,2026-09-03 10:00,王五,13712345678,已办结,2026-10-05 09:00", "A4,2026-10-04 10:00,赵六,13812345678,处理中,"}},
}

// unchangedFigures are what the figures rest on, lineage left out (the landed row a complaint was read from and
// how many versions were landed are what differ when unchanged rows are not landed).
func unchangedFigures(t *testing.T, db *sql.DB) string {
	t.Helper()
	var out []string
	for _, q := range []string{
		`SELECT to_json(c)::VARCHAR FROM (SELECT * EXCLUDE (batch_id, row_number, file_path, version_count) FROM complaints) c ORDER BY 1`,
		`SELECT to_json(m)::VARCHAR FROM mart_month m ORDER BY 1`,
		`SELECT to_json(m)::VARCHAR FROM complaint_figures m ORDER BY 1`,
		`SELECT to_json(m)::VARCHAR FROM consistency_issues m ORDER BY 1`,
		`SELECT to_json(m)::VARCHAR FROM source_coverage m ORDER BY 1`,
		`SELECT to_json(m)::VARCHAR FROM missing_from_snapshot m ORDER BY 1`,
	} {
		rs, err := db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		for rs.Next() {
			var s string
			if err := rs.Scan(&s); err != nil {
				t.Fatal(err)
			}
			out = append(out, s)
		}
		rs.Close()
	}
	// the restatements of September against its filing (recorded after the first ledger)
	ctx := context.Background()
	sc, err := readmodel.LoadScope(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := readmodel.ParsePeriod("2026-09")
	r, err := readmodel.LoadRestatements(ctx, db, p, sc)
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range r.Rows {
		out = append(out, fmt.Sprintf("restated %+v", row))
	}
	return strings.Join(out, "\n")
}

// fileSeptember records a filing of 2026-09 as `report --record-filing` does (pipeline's insertFiling).
func fileSeptember(t *testing.T, w *warehouse.Warehouse) {
	t.Helper()
	ctx := context.Background()
	conn, err := w.DB.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	p, _ := readmodel.ParsePeriod("2026-09")
	if err := readmodel.FilingMembers(ctx, conn, p); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO filings VALUES (1, '2026-09', 'month', '', NULL, TIMESTAMP '2026-10-01 12:00:00', (SELECT max(ingested_at) FROM batches), 'r.xlsx')`,
		`INSERT INTO filing_complaints SELECT 1, * FROM period_members`,
		`INSERT INTO filing_figures SELECT 1, * FROM period_figures`,
	} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
}

// unchangedWorld ingests the ledgers into a new warehouse, normalising (incrementally) after each, and returns the
// warehouse file and the figures after each step: as-of copies at two dates, then batch 2 removed.
func unchangedWorld(t *testing.T, every bool) (steps []string, landed int, rederived []int64) {
	t.Helper()
	ingest.LandEveryRow(every)
	defer ingest.LandEveryRow(false)
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "w.duckdb")
	w, err := warehouse.Open(ctx, warehouse.Options{Path: path, Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	normalise := func(w *warehouse.Warehouse, at time.Time) {
		t.Helper()
		r, err := transform.Normalize(ctx, w, transform.Options{Now: func() time.Time { return at }})
		if err != nil {
			t.Fatal(err)
		}
		rederived = append(rederived, r.Rederived)
	}
	for _, l := range unchangedLedgers {
		p := filepath.Join(dir, l.name)
		body := "工单编号,受理时间,客户姓名,联系电话,处理状态,回复时间\n" + strings.Join(l.rows, "\n") + "\n"
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		at, _ := time.ParseInLocation("2006-01-02 15:04", l.ingested+" 09:00", warehouse.Beijing)
		opts := ingest.Options{HMACKey: []byte("k"), Now: func() time.Time { return at }, MaxRejectRate: 0.5,
			Profiles: []ingest.Profile{{Name: "crm", Glob: "crm_*.csv", Snapshot: "full"}}}
		res, err := ingest.IngestFiles(ctx, w, opts, []string{p}, "")
		if err != nil || res[0].Err != nil {
			t.Fatalf("%s: %+v %v", l.name, res, err)
		}
		normalise(w, at.Add(time.Hour))
		if l.name == unchangedLedgers[0].name {
			fileSeptember(t, w)
		}
		steps = append(steps, unchangedFigures(t, w.DB))
	}
	if err := w.DB.QueryRow("SELECT count(*) FROM landed_rows").Scan(&landed); err != nil {
		t.Fatal(err)
	}
	w.Close()
	for _, day := range []string{"2026-11-01", "2026-11-02"} {
		asOf, _ := scope.ParseAsOf(day)
		c, err := scope.Open(ctx, scope.Source{Warehouse: path, TempBase: filepath.Join(dir, "tmp"), Threads: 2,
			Normalize: func(ctx context.Context, w *warehouse.Warehouse, corrections string, at time.Time) error {
				_, err := transform.Normalize(ctx, w, transform.Options{Full: true, CorrectionsFile: corrections, Now: func() time.Time { return at }})
				return err
			}}, scope.Options{AsOf: asOf})
		if err != nil {
			t.Fatal(err)
		}
		steps = append(steps, unchangedFigures(t, c.DB))
		c.Close()
	}
	w, err = warehouse.Open(ctx, warehouse.Options{Path: path, Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if _, err := ingest.RemoveBatch(ctx, w, 2, ingest.RemoveOptions{Reason: "test", Force: true}); err != nil {
		t.Fatal(err)
	}
	normalise(w, time.Date(2026, 12, 2, 9, 0, 0, 0, warehouse.Beijing))
	steps = append(steps, unchangedFigures(t, w.DB))
	return steps, landed, rederived
}

// Telling unchanged rows apart changes no figure: after each ledger (incremental normalises), in as-of copies,
// and after a batch removal that promotes the next sighting of its rows, the complaints, marts, checks, coverage,
// snapshot gaps and the restatements of a filed month equal those of landing every row as a version.
func TestUnchangedRowsKeepTheFigures(t *testing.T) {
	before, all, _ := unchangedWorld(t, true)
	after, landed, rederived := unchangedWorld(t, false)
	names := []string{"ledger 1", "ledger 2", "ledger 3 (older, late)", "ledger 4", "as of 2026-11-01", "as of 2026-11-02", "batch 2 removed"}
	for i := range before {
		if before[i] != after[i] {
			t.Errorf("%s: figures differ\nevery row landed:\n%s\nunchanged rows seen:\n%s", names[i], before[i], after[i])
		}
	}
	// the incremental normalises re-derive the complaints with a new version (ledger 2: A2, A4; ledger 3: A2;
	// ledger 4: A1) and those seen unchanged with a reply date judged invalid (ledger 2: A3), counted in landed
	// versions (Result.Rederived): A2 2 + A3 1 + A4 1; A2 3; A1 2
	if got := fmt.Sprint(rederived[1:4]); got != "[4 3 2]" {
		t.Errorf("versions re-derived by the normalises after ledgers 2, 3, 4: %s, want [4 3 2]", got)
	}
	if all != 15 || landed != 7 {
		t.Errorf("landed rows: %d landing every row (want 15), %d telling unchanged rows (want 7)", all, landed)
	}
}
