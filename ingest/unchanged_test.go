package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"strings"
	"testing"
)

const ledgerHeader = "工单编号,受理时间,客户姓名,联系电话,处理状态,回复时间,投诉内容\n"

// A cumulative ledger re-exported: the rows equal to the newest version of their id are counted unchanged and
// recorded as seen in the batch, not landed; read = landed + unchanged + rejected in the result, the batch
// record and ListBatches; the same ledger again (another file) lands nothing.
func TestUnchangedRowsAreSeenNotLanded(t *testing.T) {
	w := openTestWarehouse(t)
	base := t.TempDir()
	opts := testOptions()
	opts.BaseDir = base
	opts.Profiles = []Profile{{Name: "crm", Glob: "crm_*.csv"}}
	ingest := func(name, body string) FileResult {
		t.Helper()
		res, err := IngestFiles(context.Background(), w, opts, []string{writeFile(t, base, name, body)}, "")
		if err != nil || len(res) != 1 || res[0].Err != nil {
			t.Fatalf("%s: %+v %v", name, res, err)
		}
		return res[0]
	}
	a1 := "A1,2026-09-01 10:00,张三,13812345678,处理中,,客户来电13812345678投诉"
	a2 := "A2,2026-09-02 10:00,李四,13912345678,处理中,,扣费"
	a3 := "A3,2026-09-03 10:00,王五,13712345678,处理中,,态度"
	r1 := ingest("crm_20260930.csv", ledgerHeader+strings.Join([]string{a1, a2, a3}, "\n")+"\n")
	if r1.Read != 3 || r1.Accepted != 3 || r1.Unchanged != 0 {
		t.Fatalf("first ledger: %+v", r1)
	}
	// A2 closed, A4 new, one reject; A1 and A3 as they were
	a2c := "A2,2026-09-02 10:00,李四,13912345678,已办结,2026-10-10 09:00,扣费"
	a4 := "A4,2026-10-04 10:00,赵六,13612345678,处理中,,网点"
	body2 := ledgerHeader + strings.Join([]string{a1, a2c, a3, a4, "A5,坏日期,,,,,"}, "\n") + "\n"
	r2 := ingest("crm_20261031.csv", body2)
	if r2.Read != 5 || r2.Rejected != 1 || r2.Unchanged != 2 || r2.Accepted-r2.Unchanged != 2 {
		t.Errorf("second ledger: read %d = landed %d + unchanged %d + rejected %d, want 5 = 2 + 2 + 1", r2.Read,
			r2.Accepted-r2.Unchanged, r2.Unchanged, r2.Rejected)
	}
	got := rowsOf(t, w, `SELECT s.batch_id || ' ' || v.source_id || ' ' || s.row_number || ' -> ' || version_batch_id || ' ' || version_row_number
		FROM `+sightingsSQL+` ORDER BY ALL`)
	if want := "2 A1 2 -> 1 2|2 A3 4 -> 1 4"; strings.Join(got, "|") != want {
		t.Errorf("row_sightings = %q, want %q", got, want)
	}
	if got := rowsOf(t, w, "SELECT source_id FROM landed_rows WHERE batch_id = 2 ORDER BY 1"); strings.Join(got, " ") != "A2 A4" {
		t.Errorf("batch 2 landed %q, want A2 A4", got)
	}
	// The same ledger once more (another file: another sha256) lands nothing new.
	r3 := ingest("crm_20261101.csv", body2+"\n")
	if r3.Read != 5 || r3.Unchanged != 4 || r3.Accepted-r3.Unchanged != 0 {
		t.Errorf("same ledger again: %+v", r3)
	}
	if _, landed, _ := tableCounts(t, w); landed != 5 {
		t.Errorf("landed rows = %d, want 5 (3 + 2 + 0)", landed)
	}
	rec := rowsOf(t, w, `SELECT batch_id || ': ' || rows_read || ' = ' || (rows_accepted - rows_unchanged) || ' + ' || rows_unchanged || ' + ' || rows_rejected
		FROM batches ORDER BY batch_id`)
	if want := "1: 3 = 3 + 0 + 0|2: 5 = 2 + 2 + 1|3: 5 = 0 + 4 + 1"; strings.Join(rec, "|") != want {
		t.Errorf("batch records %q, want %q", rec, want)
	}
	bs, err := ListBatches(context.Background(), w)
	if err != nil || len(bs) != 3 || bs[2].Unchanged != 4 || bs[2].Read != bs[2].Accepted+bs[2].Rejected {
		t.Errorf("ListBatches: %+v %v", bs, err)
	}
}

// The row hash is keyed with the privacy key (another key, another hash) and is not a plain hash of the values.
func TestRowHashIsKeyed(t *testing.T) {
	hashes := func(key string) []string {
		w := openTestWarehouse(t)
		opts := testOptions()
		opts.HMACKey = []byte(key)
		p := writeFile(t, t.TempDir(), "crm_20260930.csv", ledgerHeader+"A1,2026-09-01 10:00,张三,13812345678,处理中,,x\n")
		if res, err := IngestFiles(context.Background(), w, opts, []string{p}, ""); err != nil || res[0].Err != nil {
			t.Fatal(err, res)
		}
		return rowsOf(t, w, "SELECT row_hash FROM landed_rows")
	}
	a, b := hashes("key-one"), hashes("key-two")
	if len(a) != 1 || len(a[0]) != 32 || a[0] == b[0] {
		t.Errorf("row hashes under two keys: %q %q", a, b)
	}
	for _, v := range []string{"A1", "张三", "13812345678", "A1,2026-09-01 10:00,张三,13812345678,处理中,,x"} {
		s := sha256.Sum256([]byte(v))
		if strings.HasPrefix(hex.EncodeToString(s[:]), a[0]) {
			t.Errorf("row hash is the plain sha256 of %q", v)
		}
	}
}

// Removing a batch promotes the next sighting of each of its landed rows to a version, landed with the sighting's
// lineage, and points the later sightings of the row at it; the removed batch's own sightings go with it.
func TestRemovingABatchPromotesTheNextSighting(t *testing.T) {
	w := openTestWarehouse(t)
	base := t.TempDir()
	opts := testOptions()
	opts.Profiles = []Profile{{Name: "crm", Glob: "crm_*.csv"}}
	a1 := "A1,2026-09-01 10:00,张三,13812345678,处理中,,x"
	a2 := "A2,2026-09-02 10:00,李四,13912345678,处理中,,y"
	for _, f := range []struct{ name, body string }{
		{"crm_20260930.csv", ledgerHeader + a1 + "\n" + a2 + "\n"}, // batch 1: A1, A2 landed
		{"crm_20261031.csv", ledgerHeader + a2 + "\n" + a1 + "\n"}, // batch 2: both seen (rows 3 and 2)
		{"crm_20261130.csv", ledgerHeader + a1 + "\n"},             // batch 3: A1 seen
	} {
		if res, err := IngestFiles(context.Background(), w, opts, []string{writeFile(t, base, f.name, f.body)}, ""); err != nil || res[0].Err != nil {
			t.Fatal(err, res)
		}
	}
	var hash1 string
	w.DB.QueryRow("SELECT row_hash FROM landed_rows WHERE source_id = 'A1'").Scan(&hash1)
	r, err := RemoveBatch(context.Background(), w, 1, RemoveOptions{})
	if err != nil || r.Promoted != 2 || r.Rows != 2 {
		t.Fatalf("%+v %v", r, err)
	}
	landed := rowsOf(t, w, `SELECT source_id || ' ' || batch_id || ' ' || row_number || ' ' || file_path || ' ' || row_hash FROM landed_rows ORDER BY ALL`)
	want := []string{"A1 2 3 " + filepath.Join(base, "crm_20261031.csv") + " " + hash1}
	if len(landed) != 2 || landed[0] != want[0] || !strings.HasPrefix(landed[1], "A2 2 2 ") {
		t.Errorf("landed after removal %q, want A1 and A2 in batch 2 (A1: %q)", landed, want[0])
	}
	if got := rowsOf(t, w, `SELECT s.batch_id || ' ' || v.source_id || ' -> ' || version_batch_id || ' ' || version_row_number FROM `+sightingsSQL); strings.Join(got, "|") != "3 A1 -> 2 3" {
		t.Errorf("sightings after removal %q, want batch 3's A1 pointing at batch 2 row 3", got)
	}
	// removing batch 3 takes its sighting with it, promoting nothing
	if r, err := RemoveBatch(context.Background(), w, 3, RemoveOptions{}); err != nil || r.Promoted != 0 || r.Unchanged != 1 {
		t.Errorf("%+v %v", r, err)
	}
	if got := rowsOf(t, w, "SELECT count(*)::VARCHAR FROM row_sightings"); got[0] != "0" {
		t.Errorf("sightings left: %s", got[0])
	}
}

// A year-to-date ledger (declared, or detected: every row of its as-of year, older complaints in earlier exports)
// judges missing ids within its year: in January last year's complaints are not missing; a ledger declared
// since the system started lists them.
func TestLedgerScopeJudgesMissingIDsWithinIt(t *testing.T) {
	run := func(scope string) (missing [][]string, notes []string, scopes []string) {
		w := openTestWarehouse(t)
		base := t.TempDir()
		opts := testOptions()
		opts.Profiles = []Profile{{Name: "crm", Glob: "crm_*.csv", Snapshot: "full", LedgerScope: scope}}
		h := "工单编号,受理时间\n"
		for _, f := range []struct{ name, body string }{
			{"crm_20251231.csv", h + "B1,2025-03-01\nB2,2025-11-01\n"},
			{"crm_20260131.csv", h + "C1,2026-01-10\n"},
			{"crm_20260228.csv", h + "C2,2026-02-05\n"},
		} {
			res, err := IngestFiles(context.Background(), w, opts, []string{writeFile(t, base, f.name, f.body)}, "")
			if err != nil || res[0].Err != nil {
				t.Fatal(err, res)
			}
			for _, n := range res[0].Notes {
				notes = append(notes, f.name+": "+n.Key)
			}
		}
		for _, b := range []string{"2", "3"} {
			missing = append(missing, rowsOf(t, w, "SELECT source_id FROM missing_from_snapshot WHERE batch_id = "+b+" ORDER BY 1"))
		}
		return missing, notes, rowsOf(t, w, "SELECT coalesce(ledger_scope, '-') FROM batches ORDER BY batch_id")
	}
	for _, scope := range []string{"", "auto", "year"} {
		missing, notes, scopes := run(scope)
		if len(missing[0]) != 0 || strings.Join(missing[1], " ") != "C1" {
			t.Errorf("ledger_scope %q: missing from January %q, from February %q; want none, C1", scope, missing[0], missing[1])
		}
		if want := "all year year"; scope == "year" {
			if got := strings.Join(scopes, " "); got != "year year year" {
				t.Errorf("declared year: batches.ledger_scope %q", got)
			}
		} else if got := strings.Join(scopes, " "); got != want {
			t.Errorf("ledger_scope %q: batches.ledger_scope %q, want %q", scope, got, want)
		}
		if detected := scope != "year"; detected != (strings.Join(notes, "|") == "crm_20260131.csv: msg_unchanged_ledger_year_detected|crm_20260228.csv: msg_unchanged_ledger_year_detected") {
			t.Errorf("ledger_scope %q: notes %q", scope, notes)
		}
	}
	missing, _, _ := run("all")
	if strings.Join(missing[0], " ") != "B1 B2" || strings.Join(missing[1], " ") != "B1 B2 C1" {
		t.Errorf("since the system started: missing %q, want [B1 B2] [B1 B2 C1]", missing)
	}
	// an unknown scope is refused, naming the choices
	w := openTestWarehouse(t)
	opts := testOptions()
	opts.Profiles = []Profile{{Name: "crm", Glob: "crm_*.csv", Snapshot: "full", LedgerScope: "monthly"}}
	res, _ := IngestFiles(context.Background(), w, opts, []string{writeFile(t, t.TempDir(), "crm_20260131.csv", "工单编号,受理时间\nC1,2026-01-10\n")}, "")
	if len(res) != 1 || res[0].Err == nil || !strings.Contains(res[0].Err.Error(), "ledger_scope") {
		t.Errorf("ledger_scope monthly: %+v", res)
	}
}
