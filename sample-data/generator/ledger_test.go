package generator

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestLedgersAreCumulativeAndCountTheirVersions: each month's ledger holds every complaint of the earlier one
// (same order, then the month's new ones), the summary's rows and distinct versions are what the files hold, a
// complaint's row never goes back to an earlier state, and the same options write the same bytes.
func TestLedgersAreCumulativeAndCountTheirVersions(t *testing.T) {
	opts := Options{Seed: 11, Months: 5, Rows: 1500, End: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)}
	dir := t.TempDir()
	s, err := GenerateLedgers(opts, dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Files) != opts.Months || s.Files[len(s.Files)-1].File != "exports/ledger_20261031.csv" {
		t.Fatalf("files %+v", s.Files)
	}
	distinct := map[string]bool{}
	versions := map[string]int{}
	var prev []string
	rows := 0
	for _, f := range s.Files {
		b, err := os.ReadFile(filepath.Join(dir, f.File))
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		recs = recs[1:]
		if len(recs) != f.Rows {
			t.Errorf("%s: %d rows, summary says %d", f.File, len(recs), f.Rows)
		}
		rows += len(recs)
		for i, id := range prev {
			if recs[i][0] != id {
				t.Fatalf("%s: row %d is %s, the earlier ledger's is %s", f.File, i+1, recs[i][0], id)
			}
		}
		prev = prev[:0]
		for _, r := range recs {
			prev = append(prev, r[0])
			key := string(bytes.Join([][]byte{[]byte(r[0]), []byte(r[8]), []byte(r[9]), []byte(r[10]), []byte(r[12])}, []byte{0}))
			if !distinct[key] {
				distinct[key] = true
				versions[r[0]]++
			}
		}
	}
	if len(prev) != opts.Rows || s.Complaints != opts.Rows {
		t.Errorf("last ledger %d complaints, want %d", len(prev), opts.Rows)
	}
	if rows != s.Rows || len(distinct) != s.DistinctVersions() {
		t.Errorf("rows %d distinct %d; summary %d, %d", rows, len(distinct), s.Rows, s.DistinctVersions())
	}
	var by [4]int
	for _, v := range versions {
		by[v]++
	}
	if by != s.Versions || by[2] == 0 || by[3] == 0 {
		t.Errorf("versions per complaint %v, summary %v", by, s.Versions)
	}
	again := t.TempDir()
	if _, err := GenerateLedgers(opts, again); err != nil {
		t.Fatal(err)
	}
	for _, f := range append([]string{"complaints.yaml", "branches.csv"}, s.Files[0].File, s.Files[len(s.Files)-1].File) {
		a, _ := os.ReadFile(filepath.Join(dir, f))
		b, _ := os.ReadFile(filepath.Join(again, f))
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between two runs with the same options", f)
		}
	}
}
