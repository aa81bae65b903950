package generator

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"complaints/catalog"
	"complaints/config"
)

// The demo set is generated once per test binary and shared (Generate takes about a second).
var (
	demoOnce  sync.Once
	demoDir   string
	demoGen   *gen
	demoTruth *Truth
	demoErr   error
)

func demo(t *testing.T) (string, *gen, *Truth) {
	t.Helper()
	demoOnce.Do(func() {
		demoDir, demoErr = os.MkdirTemp("", "sample-demo-")
		if demoErr == nil {
			demoGen, demoTruth, demoErr = generate(DemoOptions(), demoDir)
		}
	})
	if demoErr != nil {
		t.Fatal(demoErr)
	}
	return demoDir, demoGen, demoTruth
}

func TestMain(m *testing.M) {
	code := m.Run()
	if demoDir != "" {
		os.RemoveAll(demoDir)
	}
	os.Exit(code)
}

func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if rel == "generator" || strings.HasPrefix(rel, "generator"+string(filepath.Separator)) {
			return nil
		}
		b, err := os.ReadFile(p)
		out[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestSameSeedSameBytes(t *testing.T) {
	a, _, _ := demo(t)
	b := t.TempDir()
	if _, err := Generate(DemoOptions(), b); err != nil {
		t.Fatal(err)
	}
	ta, tb := readTree(t, a), readTree(t, b)
	if len(ta) != len(tb) || len(ta) < 10 {
		t.Fatalf("file sets differ: %d vs %d", len(ta), len(tb))
	}
	for name, x := range ta {
		if !bytes.Equal(x, tb[name]) {
			t.Errorf("%s differs between two runs with the same options", name)
		}
	}
}

func TestDifferentSeedDifferentData(t *testing.T) {
	a, _, ta := demo(t)
	o := DemoOptions()
	o.Seed++
	b := t.TempDir()
	tb, err := Generate(o, b)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"exports/hotline_20261020.csv", "exports/online_platform.ndjson", "exports/branch_walkin_log.xlsx", "truth.json"} {
		x, _ := os.ReadFile(filepath.Join(a, f))
		y, _ := os.ReadFile(filepath.Join(b, f))
		if bytes.Equal(x, y) {
			t.Errorf("%s is the same for seeds %d and %d", f, ta.Seed, tb.Seed)
		}
	}
}

func TestXLSXZipTimesFixed(t *testing.T) {
	dir, _, _ := demo(t)
	for _, f := range []string{"exports/branch_walkin_log.xlsx", "exports/referrals_2024-11_2026-10.xlsx"} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		x, err := excelize.OpenReader(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		p, err := x.GetDocProps()
		if err != nil || p.Created != "2026-11-01T01:00:00Z" || p.Modified != p.Created {
			t.Errorf("%s: doc props %+v %v", f, p, err)
		}
		x.Close()
	}
}

func TestSpellingsMapToCatalogue(t *testing.T) {
	_, g, _ := demo(t)
	known := map[[2]string]string{}
	for _, s := range catalog.Synonyms() {
		known[[2]string{s.Dimension, s.Text}] = s.Code
	}
	keys := make([][2]string, 0, len(g.spellings))
	for k := range g.spellings {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i][0]+keys[i][1] < keys[j][0]+keys[j][1] })
	dims := map[string]bool{}
	for _, k := range keys {
		dims[k[0]] = true
		want := g.spellings[k]
		got, ok := known[[2]string{k[0], catalog.Normalize(k[1])}]
		if !ok {
			t.Errorf("%s spelling %q is not in the catalogue (want %s)", k[0], k[1], want)
		} else if got != want {
			t.Errorf("%s spelling %q maps to %s, the generator means %s", k[0], k[1], got, want)
		}
	}
	for _, d := range []string{"business_category", "cause", "complaint_type", "demand", "business_channel", "satisfaction", "status", "intake_channel", "record_type", "province"} {
		if !dims[d] {
			t.Errorf("no spelling of %s was checked", d)
		}
	}
}

// exportRow is one accepted row read back from an export, independently of the generator's structures.
type exportRow struct {
	key, kind, category, status string
	received                    time.Time
	updated                     string
}

var synOnce sync.Once
var synMap map[[2]string]string

func mapRaw(t *testing.T, dim, raw string) string {
	if raw == "" {
		return ""
	}
	synOnce.Do(func() {
		synMap = map[[2]string]string{}
		for _, s := range catalog.Synonyms() {
			synMap[[2]string{s.Dimension, s.Text}] = s.Code
		}
	})
	if c, ok := synMap[[2]string{dim, catalog.Normalize(raw)}]; ok {
		return c
	}
	t.Fatalf("%s %q unmapped", dim, raw)
	return ""
}

func readCSV(t *testing.T, path string, gb bool) [][]string {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if gb {
		if b, err = simplifiedchinese.GB18030.NewDecoder().Bytes(b); err != nil {
			t.Fatal(err)
		}
	}
	b = bytes.TrimPrefix(b, []byte("\ufeff"))
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// readBack reads every export as a pipeline would and returns the accepted rows and the rejected count.
func readBack(t *testing.T, dir string, tr *Truth) ([]exportRow, int) {
	var rows []exportRow
	rejected := 0
	add := func(src, id, kind, cat, status string, rec time.Time, ok bool, updated string) {
		if !ok || id == "" {
			rejected++
			return
		}
		rows = append(rows, exportRow{key: src + ":" + id, kind: kind, category: cat, status: status, received: rec, updated: updated})
	}
	for _, f := range tr.Files {
		p := filepath.Join(dir, f.File)
		switch f.Source {
		case srcHotline:
			recs := readCSV(t, p, true)
			for _, r := range recs[1:] {
				if len(r) != len(hotlineHeader) {
					rejected++
					continue
				}
				rt, err := time.ParseInLocation(hotlineTime, r[2], bj)
				u, _ := time.ParseInLocation(hotlineTime, r[26], bj)
				add(srcHotline, r[0], mapRaw(t, "record_type", r[1]), mapRaw(t, "business_category", r[7]), mapRaw(t, "status", r[13]), rt, err == nil, u.Format(time.RFC3339))
			}
		case srcLetters:
			recs := readCSV(t, p, false)
			for _, r := range recs[1:] {
				rt, err := time.ParseInLocation("2006年1月2日", r[2], bj)
				add(srcLetters, r[0], "complaint", mapRaw(t, "business_category", r[6]), mapRaw(t, "status", r[9]), rt, err == nil, "")
			}
		case srcOnline:
			b, _ := os.ReadFile(p)
			for _, line := range bytes.Split(bytes.TrimSpace(b), []byte("\n")) {
				var o onlineRow
				if err := json.Unmarshal(line, &o); err != nil {
					t.Fatal(err)
				}
				rt, err := time.Parse(time.RFC3339, o.CreatedAt)
				id := ""
				if o.TicketID != nil {
					id = *o.TicketID
				}
				add(srcOnline, id, "complaint", mapRaw(t, "business_category", o.Product.Category), mapRaw(t, "status", o.Status), rt.In(bj), err == nil, o.UpdatedAt)
			}
		case srcWalkIn, srcReferrals:
			x, err := excelize.OpenFile(p)
			if err != nil {
				t.Fatal(err)
			}
			all, err := x.GetRows(f.Sheet, excelize.Options{RawCellValue: true})
			x.Close()
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range all[f.HeaderRow:] {
				for len(r) < 13 {
					r = append(r, "")
				}
				if f.Source == srcWalkIn {
					serial, err := strconv.ParseFloat(r[1], 64)
					rt := excelEpoch.AddDate(0, 0, int(serial))
					add(srcWalkIn, r[0], "complaint", mapRaw(t, "business_category", r[5]), mapRaw(t, "status", r[8]), rt, err == nil, "")
				} else {
					rt, err := time.ParseInLocation("2006-01-02", r[2], bj)
					add(srcReferrals, r[0], "complaint", mapRaw(t, "business_category", r[6]), mapRaw(t, "status", r[11]), rt, err == nil, "")
				}
			}
		}
	}
	// newest version of each record (the hotline's 更新时间; later files win ties)
	newest := map[string]exportRow{}
	var order []string
	for _, r := range rows {
		old, ok := newest[r.key]
		if !ok {
			order = append(order, r.key)
		}
		if !ok || r.updated >= old.updated {
			newest[r.key] = r
		}
	}
	out := make([]exportRow, 0, len(order))
	for _, k := range order {
		out = append(out, newest[k])
	}
	return out, rejected
}

func TestTruthMatchesExports(t *testing.T) {
	dir, _, tr := demo(t)
	rows, rejected := readBack(t, dir, tr)
	wantRej := 0
	for _, f := range tr.Files {
		if f.DataRows != f.Accepted+f.Rejected || f.Rejected != len(f.RejectRows) {
			t.Errorf("%s: rows %d != accepted %d + rejected %d (%d listed)", f.File, f.DataRows, f.Accepted, f.Rejected, len(f.RejectRows))
		}
		wantRej += f.Rejected
	}
	if rejected != wantRej || rejected != tr.Totals.RejectedRows {
		t.Errorf("rejected rows read back %d, truth %d / %d", rejected, wantRej, tr.Totals.RejectedRows)
	}
	if len(rows) != tr.Totals.Records {
		t.Errorf("distinct records read back %d, truth %d", len(rows), tr.Totals.Records)
	}
	got := map[[2]string]int{}
	total := 0
	first, _ := time.ParseInLocation("2006-01", tr.Window.FirstMonth, bj)
	last, _ := time.ParseInLocation("2006-01", tr.Window.LastMonth, bj)
	end := last.AddDate(0, 1, 0)
	for _, r := range rows {
		if r.kind != "complaint" || r.status == "not_accepted" || r.received.Before(first) || !r.received.Before(end) {
			continue
		}
		got[[2]string{r.received.Format("2006-01"), r.category}]++
		total++
	}
	want := map[[2]string]int{}
	sum := 0
	for _, x := range tr.ByMonthCategory {
		if x.ReceivedRecords > 0 {
			want[[2]string{x.Month, x.BusinessCategory}] = x.ReceivedRecords
		}
		sum += x.ReceivedRecords
	}
	if total != sum || sum != tr.Totals.ReceivedRecords {
		t.Errorf("received records: read back %d, by_month_category %d, totals %d", total, sum, tr.Totals.ReceivedRecords)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s %s: read back %d, truth %d", k[0], k[1], got[k], v)
		}
	}
	for k, v := range got {
		if want[k] != v {
			t.Errorf("%s %s: read back %d, truth %d", k[0], k[1], v, want[k])
		}
	}
}

func TestTruthInternallyConsistent(t *testing.T) {
	_, g, tr := demo(t)
	var rec, prim, closedR, closedP, reg int
	for _, x := range tr.ByMonthCategory {
		rec += x.ReceivedRecords
		prim += x.ReceivedPrimary
		closedR += x.ClosedRecords
		closedP += x.ClosedPrimary
		reg += x.ReceivedRegulator
		if x.ReceivedPrimary > x.ReceivedRecords || x.ReceivedRegulator > x.ReceivedPrimary || x.ReceivedMajor > x.ReceivedPrimary || x.ClosedPrimary > x.ClosedRecords {
			t.Errorf("inconsistent row %+v", x)
		}
	}
	var cause, causeP, ch, br int
	for _, x := range tr.ByMonthCause {
		cause += x.ReceivedRecords
		causeP += x.ReceivedPrimary
	}
	for _, x := range tr.ByMonthChannel {
		ch += x.ReceivedRecords
	}
	for _, x := range tr.ByMonthBranch {
		br += x.ReceivedRecords
	}
	if rec != tr.Totals.ReceivedRecords || cause != rec || ch != rec || br != rec || prim != tr.Totals.ReceivedPrimary || causeP != prim {
		t.Errorf("sums differ: records %d cause %d channel %d branch %d totals %d; primary %d cause %d totals %d", rec, cause, ch, br, tr.Totals.ReceivedRecords, prim, causeP, tr.Totals.ReceivedPrimary)
	}
	if rec-prim != len(tr.Planted.Duplicates) || tr.Totals.DuplicatesLinked != len(tr.Planted.Duplicates) {
		t.Errorf("records - primaries = %d, planted duplicate pairs %d", rec-prim, len(tr.Planted.Duplicates))
	}
	if len(tr.Planted.Duplicates) != 30 || len(tr.Planted.NotDups) != 10 {
		t.Errorf("pairs: %d duplicates, %d not", len(tr.Planted.Duplicates), len(tr.Planted.NotDups))
	}
	if tr.Planted.Repeat.PlantedCustomers != 40 || tr.Planted.Repeat.RepeatCustomers != 40+len(tr.Planted.NotDups) {
		t.Errorf("repeat customers: planted %d, found %d", tr.Planted.Repeat.PlantedCustomers, tr.Planted.Repeat.RepeatCustomers)
	}
	// the generic duplicate finder finds exactly the planted pairs
	a := g.analyse()
	for _, p := range g.plant.dupPairs {
		if a.primary[p[1]] != p[0] {
			t.Errorf("planted duplicate %s not linked to %s", p[1].ID, p[0].ID)
		}
	}
	for _, p := range g.plant.nonDupPairs {
		if a.primary[p[1]] != p[1] {
			t.Errorf("referral after reply %s linked as a duplicate", p[1].ID)
		}
	}
	if reg == 0 || tr.Planted.Spike.Planted != 300 || len(tr.Planted.Major) == 0 || len(tr.Planted.ReplyFlags) < 20 {
		t.Errorf("planted signals missing: regulator %d spike %d major %d flags %d", reg, tr.Planted.Spike.Planted, len(tr.Planted.Major), len(tr.Planted.ReplyFlags))
	}
	// recurring branch x cause: about 3x its baseline in each planted month
	rm := map[string]bool{}
	for _, m := range tr.Planted.Recurring.Months {
		rm[m] = true
	}
	for _, c := range tr.Planted.Recurring.Counts {
		if rm[c.Month] && float64(c.Count) < 2.5*tr.Planted.Recurring.BaselineMean {
			t.Errorf("recurring month %s: %d, baseline %.1f", c.Month, c.Count, tr.Planted.Recurring.BaselineMean)
		}
	}
	// the truth file round-trips through LoadTruth
	dir, _, _ := demo(t)
	lt, err := LoadTruth(filepath.Join(dir, "truth.json"))
	if err != nil || lt.Totals.ReceivedRecords != tr.Totals.ReceivedRecords {
		t.Fatalf("LoadTruth: %v", err)
	}
}

func TestWorkedExampleDeadlines(t *testing.T) {
	c := newCalendar()
	for _, x := range []struct{ recv, w3, w10, c15 string }{
		{"2026-09-18", "2026-09-22", "2026-10-09", "2026-10-08"},
		{"2025-09-30", "2025-10-11", "2025-10-21", "2025-10-15"},
		{"2026-02-13", "2026-02-25", "2026-03-05", "2026-02-28"},
		{"2025-01-24", "2025-02-05", "2025-02-13", "2025-02-08"},
	} {
		d, _ := time.ParseInLocation("2006-01-02", x.recv, bj)
		if got := fmtD(c.addWorkingDays(d, 3)); got != x.w3 {
			t.Errorf("%s +3 working days = %s, want %s", x.recv, got, x.w3)
		}
		if got := fmtD(c.addWorkingDays(d, 10)); got != x.w10 {
			t.Errorf("%s +10 working days = %s, want %s", x.recv, got, x.w10)
		}
		if got := fmtD(c.calendarDeadline(d, 15)); got != x.c15 {
			t.Errorf("%s +15 calendar days = %s, want %s", x.recv, got, x.c15)
		}
	}
	_, _, tr := demo(t)
	seen := map[string]bool{}
	for _, h := range tr.Planted.Holidays {
		seen[h.Received[:10]] = true
	}
	for _, d := range []string{"2026-09-18", "2025-09-30", "2026-02-13", "2025-01-24"} {
		if !seen[d] {
			t.Errorf("no holiday case received on %s", d)
		}
	}
}

func TestConfigLoads(t *testing.T) {
	dir, _, _ := demo(t)
	cfg, err := config.Load(filepath.Join(dir, "complaints.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	landing := map[string]bool{"customer_name": true, "customer_phone": true, "customer_id_number": true, "customer_card": true}
	for _, f := range strings.Fields("source_id record_type received_at updated_at intake_channel business_channel business_category cause complaint_type demand branch province status replied_at paused_days extension_tier extension_approved outcome satisfaction compensation reply_facts reply_accountability reply_remediation reply_satisfaction reply_time reply_handler_contact handler major referral_ref summary narrative") {
		landing[f] = true
	}
	if len(cfg.Sources) != 5 {
		t.Fatalf("%d sources", len(cfg.Sources))
	}
	for _, s := range cfg.Sources {
		m, err := filepath.Glob(filepath.Join(cfg.Dir, s.Glob))
		if err != nil || len(m) == 0 {
			t.Errorf("source %s: glob %s matches nothing", s.Name, s.Glob)
		}
		for k := range s.Columns {
			if !landing[k] {
				t.Errorf("source %s maps unknown landing field %s", s.Name, k)
			}
		}
	}
}

// TestCommittedDemoSetIsCurrent keeps sample-data/ byte-identical to what Generate writes for DemoOptions.
// Regenerate it with: UPDATE_SAMPLE_DATA=1 go test ./sample-data/generator -run TestCommittedDemoSetIsCurrent
func TestCommittedDemoSetIsCurrent(t *testing.T) {
	committed := filepath.Join("..")
	if os.Getenv("UPDATE_SAMPLE_DATA") == "1" {
		os.RemoveAll(filepath.Join(committed, "exports"))
		if _, err := Generate(DemoOptions(), committed); err != nil {
			t.Fatal(err)
		}
	}
	dir, _, _ := demo(t)
	want := readTree(t, dir)
	got := readTree(t, committed)
	for name, b := range want {
		c, ok := got[name]
		switch {
		case !ok:
			t.Errorf("sample-data/%s is missing; regenerate with UPDATE_SAMPLE_DATA=1", name)
		case !bytes.Equal(b, c):
			t.Errorf("sample-data/%s differs from the generator's output; regenerate with UPDATE_SAMPLE_DATA=1", name)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("sample-data/%s is not written by the generator", name)
		}
	}
}

// TestNoSignal: the no-signal bank plants no recurring pair and no spike, its month volumes follow the working
// days (the Spring Festival month is low) and vary from month to month far beyond Poisson (the gamma month
// effects).
func TestNoSignal(t *testing.T) {
	g := newGen(Options{Seed: 5, Months: 18, Rows: 31000, End: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), NoSignal: true})
	g.build()
	per := make([]float64, len(g.months))
	for _, r := range g.recs {
		if r.Planted == "recurring" || r.Planted == "spike" {
			t.Fatalf("no-signal bank has a %s record", r.Planted)
		}
		if r.Kind == "complaint" && r.Planted == "" && g.inWindow(r.Received) {
			per[g.monthIndex(r.Received)]++
		}
	}
	// the calendar's weight of each month: working days plus 0.4 per day off
	cal, sum, feb := make([]float64, len(g.months)), 0.0, -1
	for i, m := range g.months {
		cal[i] = g.monthWeight(i) / g.monthEff[i]
		sum += cal[i]
		if monthKey(m) == "2026-02" {
			feb = i
		}
	}
	if feb < 0 || cal[feb] > 0.85*sum/float64(len(cal)) {
		t.Errorf("the Spring Festival month's calendar weight %.1f against a mean of %.1f", cal[feb], sum/float64(len(cal)))
	}
	total := 0.0
	for _, n := range per {
		total += n
	}
	x2 := 0.0
	for i, n := range per {
		e := total * cal[i] / sum
		x2 += (n - e) * (n - e) / e
	}
	if phi := x2 / float64(len(per)-1); phi < 3 {
		t.Errorf("monthly volumes over-dispersed by %.1f against the calendar, want the gamma month effects (> 3)", phi)
	}
}
