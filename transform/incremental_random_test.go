package transform

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"complaints/warehouse"
)

// TestIncrementalEqualsFullRandom lands six random batches one at a time into two warehouses: one normalised
// incrementally after each batch, the other normalised in full; after every batch every derived table must be
// the same. The batches re-export complaints with other identifier keys from small pools (so customers join and
// split), other categories, replies and channels (regulator referrals), and the corrections file changes each
// time (duplicate_of across customers, not_duplicate, major, withdrawn entries): the cases where an incremental
// normalise must work out again the customers, duplicate groups and repeats of complaints it does not re-derive.
// Receipt times grow with the complaint number and duplicate_of corrections name an earlier number, so no
// duplicate chain is a cycle.
func TestIncrementalEqualsFullRandom(t *testing.T) {
	for _, seed := range []uint64{2, 3} {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 7))
			inc, full := setup(t, nil), setup(t, nil)
			const complaints = 24
			pick := func(pool string, n int) string {
				if r.IntN(2) == 0 {
					return ""
				}
				return fmt.Sprintf("%s%d", pool, r.IntN(n))
			}
			for b := int64(1); b <= 6; b++ {
				var rows []landed
				seen := map[int]bool{}
				for range 8 {
					k := r.IntN(complaints)
					if seen[k] {
						continue
					}
					seen[k] = true
					day, hour := 1+k/2, 8+k%2*4
					row := landed{
						batch: b, source: "hotline", id: fmt.Sprint("K", k),
						received: fmt.Sprintf("2026-09-%02d %02d:00:00", day, hour),
						updated:  fmt.Sprintf("2026-10-%02d 10:00:00", b),
						typ:      []string{"投诉", "投诉", "投诉", "咨询"}[r.IntN(4)],
						channel:  []string{"电话", "电话", "12378"}[r.IntN(3)],
						category: []string{"信用卡", "贷款"}[r.IntN(2)],
						status:   []string{"处理中", "待审批"}[k%2], // 待审批 maps to no status: listed
						idKey:    pick("i", 5), phoneKey: pick("p", 5), card: pick("c", 3),
					}
					if r.IntN(2) == 0 {
						row.status = []string{"已办结", "已销号"}[k%3%2] // 已销号 maps by its words
						row.replied = fmt.Sprintf("2026-09-%02d 09:00:00", day+1+r.IntN(9))
					}
					rows = append(rows, row)
				}
				var corr strings.Builder
				for range r.IntN(5) {
					k := 1 + r.IntN(complaints-1)
					switch r.IntN(3) {
					case 0:
						fmt.Fprintf(&corr, "- complaint: hotline:K%d\n  action: duplicate_of\n  value: hotline:K%d\n", k, r.IntN(k))
					case 1:
						fmt.Fprintf(&corr, "- complaint: hotline:K%d\n  action: not_duplicate\n", k)
					default:
						fmt.Fprintf(&corr, "- complaint: hotline:K%d\n  action: major\n", k)
					}
				}
				landBoth(t, inc, full, rows, corr.String())
			}
			// the random batches did make customers of several records and duplicate groups
			wantSome(t, full, "SELECT count(*) FROM (SELECT customer_key FROM complaints GROUP BY 1 HAVING count(*) > 2)")
			wantSome(t, full, "SELECT count(*) FROM complaints WHERE NOT is_primary")
			wantSome(t, full, "SELECT count(*) FROM complaints WHERE repeat_complainant")
			wantSome(t, full, "SELECT count(*) FROM complaints WHERE group_regulator_referral AND NOT is_regulator_referral")
			wantSome(t, full, "SELECT count(*) FROM unmapped_values WHERE dimension = 'status'")
		})
	}
}

// wantSome fails the test unless the count q gives is above zero.
func wantSome(t *testing.T, w *warehouse.Warehouse, q string) {
	t.Helper()
	var n int
	if err := w.DB.QueryRow(q).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	if n == 0 {
		t.Errorf("%s: none", q)
	}
}

// TestIncrementalCorrectionAcrossCustomers: a duplicate_of correction is the one link between two customers. X
// (a regulator referral) is corrected to repeat T, itself a duplicate of E (another customer's records, in no
// batch since): X's primary is E and E's group becomes regulator-referred; withdrawing the correction undoes
// both. Incremental and full normalise agree at each step.
func TestIncrementalCorrectionAcrossCustomers(t *testing.T) {
	batches := [][]landed{{
		{batch: 1, source: "hotline", id: "E", received: "2026-09-01 10:00:00", category: "信用卡", status: "处理中", phoneKey: "pe"},
		{batch: 1, source: "hotline", id: "T", received: "2026-09-03 10:00:00", category: "信用卡", status: "处理中", phoneKey: "pe"},
		{batch: 1, source: "hotline", id: "X", received: "2026-09-05 10:00:00", category: "贷款", status: "处理中", phoneKey: "px", channel: "12378"},
	}, {
		{batch: 2, source: "hotline", id: "Z", received: "2026-09-06 10:00:00", category: "贷款", status: "处理中", phoneKey: "pz"},
	}, {
		{batch: 3, source: "hotline", id: "Z2", received: "2026-09-07 10:00:00", category: "贷款", status: "处理中", phoneKey: "pz2"},
	}}
	corrections := []string{"", "- complaint: hotline:X\n  action: duplicate_of\n  value: hotline:T\n", ""}
	want := [][]string{
		{"E|hotline:E|false", "T|hotline:E|false", "X|hotline:X|true"},
		{"E|hotline:E|true", "T|hotline:E|true", "X|hotline:E|true"},
		{"E|hotline:E|false", "T|hotline:E|false", "X|hotline:X|true"},
	}
	inc, full := setup(t, nil), setup(t, nil)
	for i, rows := range batches {
		landBoth(t, inc, full, rows, corrections[i])
		wantRows(t, inc.DB, "SELECT source_id, primary_key, group_regulator_referral FROM complaints WHERE source_id IN ('E', 'T', 'X') ORDER BY 1", want[i]...)
	}
}

// landBoth lands rows in both warehouses and normalises them with the corrections file given: inc
// incrementally, full in full; every derived table must then be the same in both.
func landBoth(t *testing.T, inc, full *warehouse.Warehouse, rows []landed, corrections string) {
	t.Helper()
	file := writeFile(t, "corrections.yaml", corrections)
	land(t, inc, rows)
	land(t, full, rows)
	if _, err := Normalize(context.Background(), inc, Options{CorrectionsFile: file}); err != nil {
		t.Fatal(err)
	}
	if _, err := Normalize(context.Background(), full, Options{CorrectionsFile: file, Full: true}); err != nil {
		t.Fatal(err)
	}
	if a, f := dumpAll(t, inc), dumpAll(t, full); a != f {
		t.Fatalf("batch %d: incremental differs from full\ncorrections:\n%s\n--- incremental\n%s\n--- full\n%s", rows[0].batch, corrections, a, f)
	}
}

// TestIncrementalFollowsNewMonthsCovered: a later batch whose complaint is received in a later month moves the
// months covered on; a complaint still open that the batch does not touch stays open up to the new end, in
// complaint_figures and the marts, as a full normalise has it.
func TestIncrementalFollowsNewMonthsCovered(t *testing.T) {
	inc, full := setup(t, nil), setup(t, nil)
	landBoth(t, inc, full, []landed{
		{batch: 1, source: "hotline", id: "A", received: "2026-09-01 10:00:00", category: "信用卡", status: "处理中", phoneKey: "pa"},
		{batch: 1, source: "hotline", id: "B", received: "2026-09-05 10:00:00", category: "贷款", status: "已办结", replied: "2026-09-20 10:00:00", phoneKey: "pb"},
	}, "")
	landBoth(t, inc, full, []landed{
		{batch: 2, source: "hotline", id: "C", received: "2026-12-02 10:00:00", category: "信用卡", status: "处理中", phoneKey: "pc"},
	}, "")
	got := rowsOf(t, inc.DB, "SELECT complaint_key || ' ' || CAST(open_until AS VARCHAR) || ' ' || CAST(covered_until AS VARCHAR) FROM complaint_figures WHERE complaint_key = 'hotline:A'")
	if len(got) != 1 || got[0] != "hotline:A 2027-01-01 2027-01-01" {
		t.Fatalf("A's open interval after a later month is covered: %q", got)
	}
}

// TestCompactionFollowsTheShareRewritten: a full normalise lets its checkpoint compact the tables; an incremental
// one does not, and counts the complaints it rewrote, until those rewritten since the last compaction reach a
// quarter of the complaints: that run compacts and starts the count again.
func TestCompactionFollowsTheShareRewritten(t *testing.T) {
	w := setup(t, nil)
	var rows []landed
	for i := range 10 {
		rows = append(rows, landed{batch: 1, source: "hotline", id: fmt.Sprintf("A%d", i), received: "2026-09-01 10:00:00",
			category: "信用卡", status: "处理中", phoneKey: fmt.Sprintf("p%d", i)})
	}
	state := func() (string, string) {
		t.Helper()
		var since, tasks string
		if err := w.DB.QueryRow(`SELECT (SELECT value FROM normalise_state WHERE name = 'rewritten_since_vacuum'),
			current_setting('max_vacuum_tasks')::VARCHAR`).Scan(&since, &tasks); err != nil {
			t.Fatal(err)
		}
		return since, tasks
	}
	// batch by batch: the complaints it adds, then the count and DuckDB's setting after the normalise
	for i, step := range []struct {
		add          int
		full         bool
		since, tasks string
	}{
		{0, true, "0", "100"},  // the first normalise is full
		{1, false, "1", "0"},   // 1 of 11 rewritten
		{2, false, "3", "0"},   // 3 of 13
		{1, false, "0", "100"}, // 4 of 14: a quarter reached, compacted
		{1, false, "1", "0"},   // counted again from there
		{0, true, "0", "100"},  // normalise --full
	} {
		for j := range step.add {
			rows = append(rows, landed{batch: int64(i + 1), source: "hotline", id: fmt.Sprintf("B%d_%d", i, j),
				received: "2026-09-02 10:00:00", category: "贷款", status: "处理中", phoneKey: fmt.Sprintf("q%d_%d", i, j)})
		}
		if i > 0 && step.add > 0 {
			land(t, w, rows[len(rows)-step.add:])
		} else if i == 0 {
			land(t, w, rows)
		}
		res, err := Normalize(context.Background(), w, Options{Full: step.full && i > 0})
		if err != nil {
			t.Fatal(err)
		}
		if res.Full != step.full {
			t.Fatalf("step %d: full %v, want %v", i, res.Full, step.full)
		}
		if since, tasks := state(); since != step.since || tasks != step.tasks {
			t.Errorf("step %d: rewritten since the last compaction %s, max_vacuum_tasks %s; want %s and %s", i, since, tasks, step.since, step.tasks)
		}
	}
}
