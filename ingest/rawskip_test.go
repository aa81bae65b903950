package ingest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"complaints/warehouse"
)

// rawSkipWorld is a cumulative ledger over five months, made to differ from the sample bank: ids of two shapes
// (one a mobile number, which lands keyed), statuses that change, rows that come back as they were after a
// change, year-last dates whose day/month order only some months settle (ambiguous rows are read after
// landing), a reject, and a profile that changes in the last month (another mapping context). It returns each
// month's file name and body; profileFor gives the profile a month is read with.
func rawSkipWorld(seed uint64) (names, bodies []string) {
	rng := rand.New(rand.NewPCG(seed, 7))
	type rec struct {
		id, recv, status, replied, text string
	}
	var recs []*rec
	for m := 1; m <= 5; m++ {
		for k := 0; k < 30; k++ {
			id := fmt.Sprintf("L%d-%03d", m, k)
			if k == 0 {
				id = fmt.Sprintf("1380013%04d", m) // a mobile number as the id: lands keyed
			}
			day := 1 + rng.IntN(12) // day and month both <= 12: an ambiguous year-last date
			recv := fmt.Sprintf("%02d/%02d/2025 10:%02d", day, m, k)
			if k%3 == 0 {
				recv = fmt.Sprintf("2025-%02d-%02d 09:%02d", m, day, k)
			}
			recs = append(recs, &rec{id: id, recv: recv, status: "处理中", text: fmt.Sprintf("客户来电反映问题%d", rng.IntN(1000))})
		}
		for _, r := range recs {
			switch x := rng.IntN(10); {
			case x == 0 && r.status == "处理中":
				r.status, r.replied = "已办结", fmt.Sprintf("2025-%02d-28 16:00", m)
			case x == 1 && r.status == "已办结":
				r.status, r.replied = "处理中", "" // reopened: back to an earlier version's values
			}
		}
		var b strings.Builder
		b.WriteString("工单编号,受理时间,处理状态,回复时间,投诉内容\n")
		for i, r := range recs {
			fmt.Fprintf(&b, "%s,%s,%s,%s,%s\n", r.id, r.recv, r.status, r.replied, r.text)
			if m == 2 && i == 3 {
				b.WriteString("BAD,不是日期,处理中,,坏行\n")
			}
		}
		if m != 4 {
			// a day above 12 settles day-first for the month's ambiguous dates; month 4 reads them month-first
			fmt.Fprintf(&b, "S%d,25/%02d/2025 08:00,处理中,,定序行\n", m, m)
		}
		names = append(names, fmt.Sprintf("crm_202512%02d.csv", m)) // as-of dates after every receipt
		bodies = append(bodies, b.String())
	}
	return names, bodies
}

// landingState is a warehouse's batches, landed rows and sightings as text, raw hashes and ingest times left out.
func landingState(t *testing.T, w *warehouse.Warehouse) string {
	t.Helper()
	var out []string
	out = append(out, rowsOf(t, w, `SELECT concat_ws(' ', batch_id, rows_read, rows_accepted, rows_unchanged, rows_rejected) FROM batches ORDER BY batch_id`)...)
	out = append(out, rowsOf(t, w, `SELECT CAST(t AS VARCHAR) FROM (SELECT * EXCLUDE (raw_hash, ingested_at) FROM landed_rows) t ORDER BY t.batch_id, t.row_number`)...)
	out = append(out, rowsOf(t, w, `SELECT CAST(t AS VARCHAR) FROM row_sightings t ORDER BY t.batch_id, t.row_number`)...)
	out = append(out, rowsOf(t, w, `SELECT CAST(t AS VARCHAR) FROM missing_from_snapshot t ORDER BY ALL`)...)
	return strings.Join(out, "\n")
}

// runRawSkipWorld ingests the world month by month; before is called before each month (index from 0).
func runRawSkipWorld(t *testing.T, seed uint64, before func(w *warehouse.Warehouse, month int)) (*warehouse.Warehouse, []FileResult) {
	t.Helper()
	w := openTestWarehouse(t)
	base := t.TempDir()
	opts := testOptions()
	opts.BaseDir = base
	names, bodies := rawSkipWorld(seed)
	var results []FileResult
	for i := range names {
		opts.Profiles = []Profile{{Name: "crm", Glob: "crm_*.csv", Snapshot: "full"}}
		if i == len(names)-1 {
			// another mapping context: a profile that maps a value the file does not hold, so every row maps as
			// before, but recognising rows by the earlier context would be a guess
			opts.Profiles[0].Values = map[string]map[string]string{"narrative": {"不存在的值": "别的值"}}
		}
		if before != nil {
			before(w, i)
		}
		res, err := IngestFiles(context.Background(), w, opts, []string{writeFile(t, base, names[i], bodies[i])}, "")
		if err != nil || len(res) != 1 || res[0].Err != nil {
			t.Fatalf("%s: %+v %v", names[i], res, err)
		}
		results = append(results, res[0])
		checkNewestCache(t, w, "crm")
	}
	return w, results
}

// checkNewestCache fails when row_newest, kept batch by batch, does not say what is computed from every batch:
// each id's newest version (h, vb, vr, u, ok) and latest receipt exactly, and the newest batch that had the id
// once its sightings since are counted (advanceNewest writes no sighting there). The place in the order and the
// raw hash are the last merge's (a later sighting outranks it the same way: advanceNewest).
func checkNewestCache(t *testing.T, w *warehouse.Warehouse, source string) {
	t.Helper()
	var next int64
	if err := w.DB.QueryRow("SELECT coalesce(max(batch_id), 0) + 1 FROM batches").Scan(&next); err != nil {
		t.Fatal(err)
	}
	// after a batch that came earlier than one before it, the source's rows are dropped until the next batch
	// computes them again
	var valid bool
	if err := w.DB.QueryRow(`SELECT coalesce((SELECT max(through_batch) FROM row_newest_state WHERE source_system = ?) =
		(SELECT max(batch_id) FROM batches WHERE source_system = ?), false)`, source, source).Scan(&valid); err != nil {
		t.Fatal(err)
	}
	if !valid {
		if n := rowsOf(t, w, "SELECT count(*)::VARCHAR FROM row_newest WHERE source_system = '"+source+"'"); n[0] != "0" {
			t.Fatalf("row_newest holds %s rows of %s it no longer vouches for", n[0], source)
		}
		return
	}
	cols := "concat_ws(' ', source_id, h, vb, vr, u, ok, recv, seen_b)"
	full := rowsOf(t, w, fmt.Sprintf(`SELECT %s FROM (%s) ORDER BY 1`, cols,
		strings.NewReplacer("$1", fmt.Sprint(next), "$2", "'"+source+"'").Replace(newestPick(newestCandidatesSQL(false)))))
	kept := rowsOf(t, w, `SELECT `+cols+` FROM (SELECT source_id, h, vb, vr, u, ok, recv,
		greatest(seen_b, coalesce((SELECT max(s.batch_id) FROM `+sightingsSQL+` WHERE v.source_system = n.source_system AND v.source_id = n.source_id), seen_b)) AS seen_b
		FROM row_newest n WHERE source_system = '`+source+`') ORDER BY 1`)
	if strings.Join(full, "\n") != strings.Join(kept, "\n") {
		for i := range min(len(full), len(kept)) {
			if full[i] != kept[i] {
				t.Fatalf("row_newest (%d rows) is not the newest versions computed from every batch (%d rows): %q, computed %q", len(kept), len(full), kept[i], full[i])
			}
		}
		t.Fatalf("row_newest (%d rows) is not the newest versions computed from every batch (%d rows)", len(kept), len(full))
	}
}

// Removing a batch forgets the source's newest versions; the next batch computes them again and lands what it
// would have landed had the removed batch never been ingested... as mapping every row does.
func TestRemovingABatchKeepsNewestRight(t *testing.T) {
	run := func(off bool) string {
		rawSkipOff = off
		defer func() { rawSkipOff = false }()
		remove := func(w *warehouse.Warehouse, month int) {
			if month == 3 {
				if _, err := RemoveBatch(context.Background(), w, 2, RemoveOptions{Reason: "test"}); err != nil {
					t.Fatal(err)
				}
				if n := rowsOf(t, w, "SELECT count(*)::VARCHAR FROM row_newest"); n[0] != "0" {
					t.Fatalf("row_newest kept %s rows after a removal", n[0])
				}
			}
		}
		w, _ := runRawSkipWorld(t, 5, remove)
		return landingState(t, w)
	}
	if a, b := run(true), run(false); a != b {
		t.Fatalf("landing differs after a removal:\n--- every row mapped\n%s\n--- recognised\n%s", a, b)
	}
}

// Recognising unchanged rows before mapping lands exactly what mapping every row lands: the same batches, versions,
// sightings and missing ids, over several seeds; it recognises most unchanged rows of a month, none in the month
// whose profile changed (its rows are still found unchanged after mapping), and never a row with an ambiguous
// date.
func TestRawSkipLandsWhatMappingLands(t *testing.T) {
	for seed := uint64(1); seed <= 3; seed++ {
		rawSkipOff, missingByHistory = true, true
		wOff, _ := runRawSkipWorld(t, seed, nil)
		rawSkipOff, missingByHistory = false, false
		wOn, res := runRawSkipWorld(t, seed, nil)
		if a, b := landingState(t, wOff), landingState(t, wOn); a != b {
			t.Fatalf("seed %d: landing differs with rows recognised before mapping:\n--- every row mapped\n%s\n--- recognised\n%s", seed, a, b)
		}
		for i, r := range res {
			switch {
			case i == 0 && (r.recognised != 0 || r.Unchanged != 0):
				t.Errorf("seed %d month 1: %d recognised, %d unchanged; want none", seed, r.recognised, r.Unchanged)
			case i > 0 && i < 4 && (r.recognised == 0 || r.recognised > r.Unchanged):
				t.Errorf("seed %d month %d: %d recognised of %d unchanged", seed, i+1, r.recognised, r.Unchanged)
			case i == 4 && (r.recognised != 0 || r.Unchanged == 0):
				t.Errorf("seed %d month 5 (profile changed): %d recognised, %d unchanged; want 0 and some", seed, r.recognised, r.Unchanged)
			}
		}
		// never a row whose receipt is an ambiguous year-last date: at most the file's other rows are recognised
		_, bodies := rawSkipWorld(seed)
		for i, r := range res {
			plain := unambiguousRows(bodies[i])
			if r.recognised > plain {
				t.Errorf("seed %d month %d: %d recognised, but only %d rows have a date that is not ambiguous", seed, i+1, r.recognised, plain)
			}
			// and most of the others from month 3 on, whose newest is a sighting (its raw hash kept in row_newest)
			if i >= 2 && i <= 3 && 10*r.recognised < 4*plain {
				t.Errorf("seed %d month %d: %d recognised of %d rows with dates that are not ambiguous", seed, i+1, r.recognised, plain)
			}
		}
	}
	rawSkipOff = false
}

// A row whose raw hash is in the set but that finds no version of its id with it (two ids' hashes swapped here,
// as a 64-bit collision would) makes the attempt fail whole and the file land again with every row mapped:
// the landing is what mapping every row lands.
func TestRawSkipMissLandsAgain(t *testing.T) {
	swap := func(w *warehouse.Warehouse, month int) {
		if month != 1 {
			return
		}
		// the raw hashes of month 1's rows with plain dates passed on from id to id (as a collision would)
		for _, q := range []string{
			`CREATE OR REPLACE TEMP TABLE h AS WITH p AS (SELECT source_id, row_number, raw_hash FROM landed_rows
				WHERE batch_id = 1 AND received_at LIKE '2025-%' AND source_id LIKE 'L1-%')
				SELECT source_id, coalesce(lead(raw_hash) OVER (ORDER BY row_number), (SELECT raw_hash FROM p ORDER BY row_number LIMIT 1)) AS rh FROM p`,
			// the raw hashes ingest reads: the kept newest versions (newest.go)
			`UPDATE row_newest SET rh = h.rh FROM h WHERE row_newest.source_id = h.source_id`,
		} {
			if _, err := w.DB.Exec(q); err != nil {
				t.Fatal(err)
			}
		}
	}
	rawSkipOff = true
	wOff, _ := runRawSkipWorld(t, 4, swap)
	rawSkipOff = false
	wOn, res := runRawSkipWorld(t, 4, swap)
	if a, b := landingState(t, wOff), landingState(t, wOn); a != b {
		t.Fatalf("landing differs after a miss:\n--- every row mapped\n%s\n--- recognised\n%s", a, b)
	}
	if res[1].recognised != 0 || res[1].Unchanged == 0 {
		t.Errorf("month 2 after the miss: %d recognised, %d unchanged; want every row mapped", res[1].recognised, res[1].Unchanged)
	}
	if res[2].recognised == 0 {
		t.Errorf("month 3: nothing recognised; the miss must not turn recognition off for later files")
	}
}

// The raw hash is keyed: the same file under another key lands other raw hashes.
func TestRawHashIsKeyed(t *testing.T) {
	hashes := func(key string) []string {
		w := openTestWarehouse(t)
		base := t.TempDir()
		opts := testOptions()
		opts.HMACKey = []byte(key)
		opts.BaseDir = base
		names, bodies := rawSkipWorld(1)
		if _, err := IngestFiles(context.Background(), w, opts, []string{writeFile(t, base, names[0], bodies[0])}, ""); err != nil {
			t.Fatal(err)
		}
		return rowsOf(t, w, "SELECT raw_hash::VARCHAR FROM landed_rows WHERE raw_hash IS NOT NULL ORDER BY row_number")
	}
	a, b := hashes("key-one-0123456789abcdef"), hashes("key-two-0123456789abcdef")
	if len(a) < 20 || len(a) != len(b) {
		t.Fatalf("raw hashes landed: %d and %d", len(a), len(b))
	}
	for i := range a {
		if a[i] == b[i] {
			t.Fatalf("row %d: the same raw hash under two keys", i)
		}
	}
	if len(slices.Compact(slices.Sorted(slices.Values(a)))) != len(a) {
		t.Errorf("two rows with one raw hash")
	}
}

// unambiguousRows counts a ledger's data rows whose receipt is not an ambiguous year-last date.
func unambiguousRows(body string) int {
	n := 0
	for _, line := range strings.Split(strings.TrimSpace(body), "\n")[1:] {
		f := strings.Split(line, ",")
		recv := f[1]
		if len(recv) < 10 || recv[2] != '/' || recv[0:2] == recv[3:5] || recv[0] > '1' || recv[0:2] > "12" {
			n++
		}
	}
	return n
}

// An older export landed late (its as-of date before the newest batch's) does not take the newest place of the
// ids it saw unchanged; row_newest stays what every batch gives, and the landing is what mapping every row lands.
func TestLateOlderExportKeepsNewestRight(t *testing.T) {
	run := func(off bool) (string, []FileResult) {
		rawSkipOff, missingByHistory = off, off
		defer func() { rawSkipOff, missingByHistory = false, false }()
		w := openTestWarehouse(t)
		base := t.TempDir()
		opts := testOptions()
		opts.BaseDir = base
		opts.Profiles = []Profile{{Name: "crm", Glob: "crm_*.csv", Snapshot: "full"}}
		names, bodies := rawSkipWorld(6)
		files := []string{names[0], names[2], "crm_20251202_again.csv", names[3]}
		texts := []string{bodies[0], bodies[2], bodies[1] + "\n", bodies[3]}
		var out []FileResult
		for i := range files {
			res, err := IngestFiles(context.Background(), w, opts, []string{writeFile(t, base, files[i], texts[i])}, "")
			if err != nil || len(res) != 1 || res[0].Err != nil {
				t.Fatalf("%s: %+v %v", files[i], res, err)
			}
			checkNewestCache(t, w, "crm")
			out = append(out, res[0])
		}
		return landingState(t, w), out
	}
	a, _ := run(true)
	b, res := run(false)
	if a != b {
		t.Fatalf("landing differs with a late older export:\n--- every row mapped\n%s\n--- recognised\n%s", a, b)
	}
	if res[2].AsOf != "2025-12-02" || res[2].Unchanged == 0 {
		t.Errorf("the late export: as-of %s, %d unchanged; want 2025-12-02 and some", res[2].AsOf, res[2].Unchanged)
	}
}

// A large ledger re-exported with a few rows changed: the changed rows' comparison records no sighting (an
// INSERT of no rows), then the rows recognised before mapping go in at once, well over one DuckDB row group.
// With insertion order kept, DuckDB (1.5.6, and 2.0.0) drops every row of such a large INSERT after an empty one
// in the same transaction, silently: the batch then said "unchanged" for rows it never recorded, and a full
// snapshot listed them all as missing. Every row must be landed or seen, and none missing.
func TestLargeLedgerKeepsEverySighting(t *testing.T) {
	const n, changed = 400_000, 5
	export := func(month int) string {
		var b strings.Builder
		b.WriteString("工单编号,受理时间,处理状态,回复时间,投诉内容\n")
		for i := range n {
			status, replied := "处理中", ""
			if month == 2 && i < changed {
				status, replied = "已办结", "2025-03-20 16:00"
			}
			fmt.Fprintf(&b, "T%06d,2025-%02d-%02d 10:00,%s,%s,客户来电%d\n", i, 1+i%2, 1+i%28, status, replied, i%97)
		}
		return b.String()
	}
	w := openTestWarehouse(t)
	base := t.TempDir()
	opts := testOptions()
	opts.BaseDir = base
	opts.Profiles = []Profile{{Name: "crm", Glob: "crm_*.csv", Snapshot: "full"}}
	for m := 1; m <= 2; m++ {
		res, err := IngestFiles(context.Background(), w, opts, []string{writeFile(t, base, fmt.Sprintf("crm_2025033%d.csv", m-1), export(m))}, "")
		if err != nil || len(res) != 1 || res[0].Err != nil {
			t.Fatalf("month %d: %+v %v", m, res, err)
		}
	}
	got := rowsOf(t, w, `SELECT concat_ws(' ', b.batch_id, b.rows_unchanged,
		(SELECT count(*) FROM landed_rows l WHERE l.batch_id = b.batch_id),
		(SELECT count(*) FROM row_sightings s WHERE s.batch_id = b.batch_id),
		(SELECT count(*) FROM missing_from_snapshot m WHERE m.batch_id = b.batch_id)) FROM batches b ORDER BY 1`)
	want := []string{fmt.Sprintf("1 0 %d 0 0", n), fmt.Sprintf("2 %d %d %d 0", n-changed, changed, n-changed)}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("batch, unchanged, landed, sightings, missing:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// The ingest changes DuckDB's global settings while it lands (insertion order) and puts them back: a later
// statement of the same process sees the warehouse as opened.
func TestIngestLeavesGlobalSettings(t *testing.T) {
	w := openTestWarehouse(t)
	settings := func() string {
		return strings.Join(rowsOf(t, w, `SELECT current_setting('preserve_insertion_order')::VARCHAR || ' ' || current_setting('memory_limit')::VARCHAR`), "")
	}
	before := settings()
	var share string
	hookBeforeCommit = func() { share = settings() }
	defer func() { hookBeforeCommit = nil }()
	base := t.TempDir()
	opts := testOptions()
	opts.BaseDir = base
	opts.Profiles = []Profile{{Name: "crm", Glob: "crm_*.csv"}}
	res, err := IngestFiles(context.Background(), w, opts, []string{writeFile(t, base, "crm_20250331.csv", "工单编号,受理时间,处理状态\nA1,2025-03-01 10:00,处理中\n")}, "")
	if err != nil || len(res) != 1 || res[0].Err != nil {
		t.Fatalf("%+v %v", res, err)
	}
	if before != "true 953.6 MiB" || share != "false 953.6 MiB" {
		t.Errorf("settings before the ingest %q, while it lands %q; want %q and %q", before, share, "true 953.6 MiB", "false 953.6 MiB")
	}
	if after := settings(); after != before {
		t.Errorf("settings after the ingest %q, before %q", after, before)
	}
}

// A later export may carry an id's version updated earlier than the one already landed (a system that restored an
// older record): the stored newest keeps its place (updated-at comes before the export's date in the order), so
// the next export repeating it is unchanged, and an id whose later version is updated later takes that version.
func TestLaterExportWithOlderUpdateKeepsNewest(t *testing.T) {
	w := openTestWarehouse(t)
	base := t.TempDir()
	opts := testOptions()
	opts.BaseDir = base
	opts.Profiles = []Profile{{Name: "crm", Glob: "crm_*.csv", Snapshot: "full"}}
	head := "工单编号,受理时间,处理状态,投诉内容,更新时间\n"
	row := func(id, status, updated string) string {
		return id + ",2025-11-03 09:00," + status + ",客户来电反映问题," + updated + "\n"
	}
	months := []struct{ name, body string }{
		{"crm_20251201.csv", head + row("A1", "已办结", "2025-11-20 10:00") + row("B1", "处理中", "2025-11-05 10:00")},
		// A1 comes back as it was before its update; B1 changes with a later update
		{"crm_20251231.csv", head + row("A1", "处理中", "2025-11-10 10:00") + row("B1", "已办结", "2025-12-15 10:00")},
		// both as the newest each has: nothing new
		{"crm_20260131.csv", head + row("A1", "已办结", "2025-11-20 10:00") + row("B1", "已办结", "2025-12-15 10:00")},
	}
	for i, m := range months {
		res, err := IngestFiles(context.Background(), w, opts, []string{writeFile(t, base, m.name, m.body)}, "")
		if err != nil || len(res) != 1 || res[0].Err != nil {
			t.Fatalf("%s: %+v %v", m.name, res, err)
		}
		checkNewestCache(t, w, "crm")
		if want := []int{0, 0, 2}[i]; res[0].Unchanged != want {
			t.Errorf("%s: %d rows unchanged, want %d", m.name, res[0].Unchanged, want)
		}
	}
}

// hashSet finds exactly its keys, whatever their number and however they crowd its directory's runs: evenly
// spread, all under one leading-bit pattern, at the two ends of the range, with repeats.
func TestHashSetFindsExactlyItsKeys(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 3))
	shapes := []struct {
		name string
		gen  func(int) uint64
	}{
		{"spread", func(int) uint64 { return rng.Uint64() }},
		{"crowded", func(int) uint64 { return 0xABCD<<48 | rng.Uint64()>>16 }},
		{"ends", func(i int) uint64 {
			if i%2 == 0 {
				return uint64(i)
			}
			return ^uint64(i)
		}},
		{"repeats", func(int) uint64 { return rng.Uint64N(50) * 0x0123456789ABCDEF }},
	}
	for _, shape := range shapes {
		name, gen := shape.name, shape.gen
		for _, n := range []int{0, 1, 3, 4, 5, 17, 1000, 70000} {
			in := map[uint64]bool{}
			keys := make([]uint64, n)
			for i := range keys {
				keys[i] = gen(i)
				in[keys[i]] = true
			}
			s := newHashSet(keys)
			for k := range in {
				if !s.has(k) {
					t.Fatalf("%s, %d keys: %#x not found", name, n, k)
				}
			}
			for _, k := range []uint64{0, 1, ^uint64(0), 1 << 63, 0xABCD << 48} {
				if s.has(k) != in[k] {
					t.Fatalf("%s, %d keys: has(%#x) = %v", name, n, k, !in[k])
				}
			}
			for range 2000 {
				k := rng.Uint64()
				if name == "crowded" {
					k = 0xABCD<<48 | k>>16
				}
				if s.has(k) != in[k] {
					t.Fatalf("%s, %d keys: has(%#x) = %v", name, n, k, !in[k])
				}
			}
		}
	}
}
