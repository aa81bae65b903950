package generator

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
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

// TestLedgerHotlineIsGB18030WithItsProfile: a ledger project with hotline rows and only its last two ledgers
// has the two ledgers (each holding every complaint received by its month; the summary's distinct versions are
// theirs), and the hotline's export in GB18030
// (it decodes; its Chinese is not valid UTF-8) with the hotline's header and one data row per call, each a
// complaint with its own id; complaints.yaml reads it with a hotline profile.
func TestLedgerHotlineIsGB18030WithItsProfile(t *testing.T) {
	opts := Options{Seed: 5, Months: 6, Rows: 400, End: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), LastLedgers: 2, HotlineRows: 250}
	dir := t.TempDir()
	s, err := GenerateLedgers(opts, dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Files) != 2 || s.Files[0].File != "exports/ledger_20260930.csv" || s.Files[1].Rows != opts.Rows || s.Files[0].Rows <= opts.Rows/2 {
		t.Errorf("ledgers %+v", s.Files)
	}
	distinct := map[string]bool{}
	for _, f := range s.Files {
		b, err := os.ReadFile(filepath.Join(dir, f.File))
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs[1:] {
			distinct[strings.Join([]string{r[0], r[8], r[9], r[10], r[12]}, "\x00")] = true
		}
	}
	if len(distinct) != s.DistinctVersions() {
		t.Errorf("%d distinct rows in the two ledgers, summary says %d", len(distinct), s.DistinctVersions())
	}
	if s.Hotline == nil || s.Hotline.File != "exports/hotline_20261031.csv" || s.Hotline.Rows != opts.HotlineRows {
		t.Fatalf("hotline %+v", s.Hotline)
	}
	raw, err := os.ReadFile(filepath.Join(dir, s.Hotline.File))
	if err != nil {
		t.Fatal(err)
	}
	if utf8.Valid(raw) {
		t.Error("the hotline export is valid UTF-8: not GB18030")
	}
	text, err := simplifiedchinese.GB18030.NewDecoder().Bytes(raw)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(text)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(recs[0], hotlineHeader) {
		t.Errorf("header %q", recs[0])
	}
	if len(recs)-1 != opts.HotlineRows {
		t.Errorf("%d data rows, want %d", len(recs)-1, opts.HotlineRows)
	}
	ids := map[string]bool{}
	for _, r := range recs[1:] {
		if len(r) != len(hotlineHeader) || !strings.HasPrefix(r[0], "KF") || r[1] != "投诉" || ids[r[0]] {
			t.Fatalf("row %q", r)
		}
		ids[r[0]] = true
	}
	conf, err := os.ReadFile(filepath.Join(dir, "complaints.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"- name: ledger", "- name: hotline", "glob: exports/hotline_*.csv", "encoding: gb18030", "source_id: 工单编号, record_type: 工单类型"} {
		if !strings.Contains(string(conf), want) {
			t.Errorf("complaints.yaml lacks %q:\n%s", want, conf)
		}
	}
	plain := t.TempDir()
	opts.HotlineRows = 0
	if s, err := GenerateLedgers(opts, plain); err != nil || s.Hotline != nil {
		t.Fatalf("%+v %v", s, err)
	}
	if m, _ := filepath.Glob(filepath.Join(plain, "exports", "hotline_*")); len(m) != 0 {
		t.Errorf("hotline written without hotline rows: %v", m)
	}
}
