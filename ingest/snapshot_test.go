package ingest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"complaints/warehouse"
)

func TestSnapshotFullListsMissingIDs(t *testing.T) {
	w := openTestWarehouse(t)
	base := t.TempDir()
	os.MkdirAll(filepath.Join(base, "exports"), 0o755)
	full := Profile{Name: "crm", Glob: "exports/crm_*.csv", Snapshot: "full"}
	opts := testOptions()
	opts.BaseDir = base
	opts.Profiles = []Profile{full}
	ingest := func(name, body string) FileResult {
		t.Helper()
		p := writeFile(t, base, "exports/"+name, body)
		res, err := IngestFiles(context.Background(), w, opts, []string{p}, "")
		if err != nil || len(res) != 1 || res[0].Err != nil {
			t.Fatalf("%s: %+v %v", name, res, err)
		}
		return res[0]
	}
	h := "工单编号,受理时间\n"
	// Another source's ids never count.
	other := writeFile(t, base, "hotline_20261001.csv", h+"Z9,2026-09-01\n")
	if res, err := IngestFiles(context.Background(), w, testOptions(), []string{other}, ""); err != nil || res[0].Err != nil {
		t.Fatal(err, res)
	}
	r1 := ingest("crm_20261001.csv", h+"A1,2026-09-01\nA2,2026-09-02\nA3,2026-09-03\n")
	if r1.MissingFromSnapshot != 0 {
		t.Errorf("first snapshot: %d missing", r1.MissingFromSnapshot)
	}
	// A2 gone, A3 present but rejected (bad date: still exported, so not missing), A4 new.
	r2 := ingest("crm_20261101.csv", h+"A1,2026-09-01\nA3,坏日期\nA4,2026-10-04\n")
	if r2.MissingFromSnapshot != 1 || r2.Rejected != 1 {
		t.Errorf("second snapshot: %+v", r2)
	}
	// An older export ingested late is compared only with exports not newer than it: here none.
	r3 := ingest("crm_20260915.csv", h+"A1,2026-09-01\n")
	if r3.MissingFromSnapshot != 0 {
		t.Errorf("older snapshot ingested late: %d missing, want 0", r3.MissingFromSnapshot)
	}
	r4 := ingest("crm_20261201.csv", h+"A4,2026-10-04\n")
	rows := rowsOf(t, w, `SELECT batch_id || ' ' || source_system || ' ' || source_id || ' ' || last_seen_batch FROM missing_from_snapshot ORDER BY ALL`)
	want := []string{
		"3 crm A2 2", // missing from batch 3, last seen in batch 2
		"5 crm A1 4", "5 crm A2 2", "5 crm A3 2",
	}
	if strings.Join(rows, "|") != strings.Join(want, "|") || r4.MissingFromSnapshot != 3 {
		t.Errorf("missing_from_snapshot = %q (count %d), want %q", rows, r4.MissingFromSnapshot, want)
	}
	// Never deleted: every landed row is still there (landed as a version, or seen unchanged: A1 in batches 3
	// and 4, A4 in batch 5).
	var seen int
	if err := w.DB.QueryRow("SELECT count(*) FROM row_sightings").Scan(&seen); err != nil {
		t.Fatal(err)
	}
	if _, landed, _ := tableCounts(t, w); landed+seen != 1+3+2+1+1 || seen != 3 {
		t.Errorf("landed rows = %d, seen unchanged %d", landed, seen)
	}
}

func TestSnapshotIncrementalListsNothing(t *testing.T) {
	w := openTestWarehouse(t)
	dir := t.TempDir()
	opts := testOptions()
	opts.Profiles = []Profile{{Name: "crm", Glob: "crm_*.csv", Snapshot: "incremental"}}
	a := writeFile(t, dir, "crm_20261001.csv", "工单编号,受理时间\nA1,2026-09-01\nA2,2026-09-02\n")
	b := writeFile(t, dir, "crm_20261101.csv", "工单编号,受理时间\nA1,2026-09-01\n")
	res, err := IngestFiles(context.Background(), w, opts, []string{a, b}, "")
	if err != nil || res[1].Err != nil || res[1].MissingFromSnapshot != 0 {
		t.Fatalf("%+v %v", res, err)
	}
	var n int
	if err := w.DB.QueryRow("SELECT count(*) FROM missing_from_snapshot").Scan(&n); err != nil || n != 0 {
		t.Errorf("an incremental source listed %d missing ids (%v)", n, err)
	}
	// A bad value is an error naming the choices.
	opts.Profiles[0].Snapshot = "complete"
	c := writeFile(t, dir, "crm_20261201.csv", "工单编号,受理时间\nA9,2026-09-01\n")
	res, _ = IngestFiles(context.Background(), w, opts, []string{c}, "")
	if res[0].Err == nil || !strings.Contains(res[0].Err.Error(), "incremental or full") {
		t.Errorf("bad snapshot value: %v", res[0].Err)
	}
}

func TestSnapshotRollsBackWithTheBatch(t *testing.T) {
	w := openTestWarehouse(t)
	dir := t.TempDir()
	opts := testOptions()
	opts.MaxRejectRate = 0.2
	opts.Profiles = []Profile{{Name: "crm", Glob: "crm_*.csv", Snapshot: "full"}}
	a := writeFile(t, dir, "crm_20261001.csv", "工单编号,受理时间\nA1,2026-09-01\nA2,2026-09-02\n")
	// Too many rejects: the file is not taken, and nothing is listed as missing.
	b := writeFile(t, dir, "crm_20261101.csv", "工单编号,受理时间\nA1,x\nA3,y\n")
	res, err := IngestFiles(context.Background(), w, opts, []string{a, b}, "")
	if err != nil || res[0].Err != nil || res[1].Err == nil {
		t.Fatalf("%+v %v", res, err)
	}
	var n int
	if err := w.DB.QueryRow("SELECT count(*) FROM missing_from_snapshot").Scan(&n); err == nil && n != 0 {
		t.Errorf("%d rows listed by a rolled-back batch", n)
	}
	// Dry run lists nothing either.
	opts.DryRun = true
	opts.MaxRejectRate = 0.5
	c := writeFile(t, dir, "crm_20261201.csv", "工单编号,受理时间\nA9,2026-09-01\n")
	if res, err := IngestFiles(context.Background(), w, opts, []string{c}, ""); err != nil || res[0].Err != nil || res[0].MissingFromSnapshot != 0 {
		t.Fatalf("%+v %v", res, err)
	}
	if err := w.DB.QueryRow("SELECT count(*) FROM missing_from_snapshot").Scan(&n); err == nil && n != 0 {
		t.Errorf("dry run listed %d", n)
	}
}

func rowsOf(t *testing.T, w *warehouse.Warehouse, q string) []string {
	t.Helper()
	rs, err := w.DB.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	var out []string
	for rs.Next() {
		var s string
		if err := rs.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}
