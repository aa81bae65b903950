package transform

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"complaints/warehouse"
)

func writeFile(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// rowsOf runs q and returns every row as its columns joined by "|" (NULL as "-").
func rowsOf(t *testing.T, db *sql.DB, q string) []string {
	t.Helper()
	rs, err := db.Query(q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rs.Close()
	cols, _ := rs.Columns()
	var out []string
	for rs.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rs.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		parts := make([]string, len(cols))
		for i, v := range vals {
			parts[i] = "-"
			if v.Valid {
				parts[i] = v.String
			}
		}
		out = append(out, strings.Join(parts, "|"))
	}
	return out
}

func wantRows(t *testing.T, db *sql.DB, q string, want ...string) {
	t.Helper()
	got := rowsOf(t, db, q)
	if !reflect.DeepEqual(got, want) && !(len(got) == 0 && len(want) == 0) {
		t.Errorf("%s\n got  %q\n want %q", q, got, want)
	}
}

const branchCSV = "\ufeffcode,name,aliases,parent,province_code,province_name,valid_from,valid_to,successor\n" +
	"BJ000,北京分行,,,110000,北京市,,,\n" +
	"BJ001,北京朝阳支行,朝阳支行|朝阳网点,BJ000,110000,北京市,,,\n" +
	"SH001,上海浦东支行,浦东支行；浦东网点,SH000,310000,上海市,,2026-06-30,SH009\n" +
	"SH009,上海自贸区支行,自贸区支行,SH000,310000,上海市,2026-07-01,,\n" +
	"GL1,南京鼓楼支行,鼓楼支行,JS000,320000,江苏省,,,\n" +
	"GL2,福州鼓楼支行,鼓楼支行,FJ000,350000,福建省,,,\n"

// TestBranchMaster: exported branch texts become codes by code, name or alias (folded like the catalogue); a
// renamed or merged unit hands over to its successor after its last day; ambiguous and unknown texts stay raw
// and are listed; the province comes from the branch when the record has none.
func TestBranchMaster(t *testing.T) {
	rows := []landed{
		{batch: 1, source: "hotline", id: "A", received: "2026-05-01 10:00:00", category: "信用卡", branch: "朝阳网点"},
		{batch: 1, source: "hotline", id: "B", received: "2026-05-02 10:00:00", category: "信用卡", branch: " ＢＪ００１ ", province: "广东省"},
		{batch: 1, source: "hotline", id: "C", received: "2026-05-10 10:00:00", category: "信用卡", branch: "浦东网点"},
		{batch: 1, source: "hotline", id: "D", received: "2026-08-01 10:00:00", category: "信用卡", branch: "浦东支行"},
		{batch: 1, source: "hotline", id: "E", received: "2026-05-03 10:00:00", category: "信用卡", branch: "鼓楼支行"},
		{batch: 1, source: "hotline", id: "F", received: "2026-05-04 10:00:00", category: "信用卡", branch: "火星支行"},
		{batch: 2, source: "online", id: "G", received: "2026-05-05 10:00:00", category: "信用卡", branch: "火星支行"},
		{batch: 2, source: "online", id: "N", received: "2026-05-06 10:00:00", category: "信用卡"},
	}
	w := setup(t, rows)
	res, err := Normalize(context.Background(), w, Options{BranchesFile: writeFile(t, "branches.csv", branchCSV)})
	if err != nil {
		t.Fatal(err)
	}
	if res.UnknownBranches != 2 {
		t.Errorf("unknown branches %d, want 2 (鼓楼支行 ambiguous, 火星支行)", res.UnknownBranches)
	}
	wantRows(t, w.DB, "SELECT source_id, branch, branch_raw, province FROM complaints ORDER BY source_id",
		"A|BJ001|朝阳网点|110000",
		"B|BJ001|ＢＪ００１|440000", // branch_raw is the exported text trimmed
		"C|SH001|浦东网点|310000",
		"D|SH009|浦东支行|310000",
		"E|鼓楼支行|鼓楼支行|-",
		"F|火星支行|火星支行|-",
		"G|火星支行|火星支行|-",
		"N|-|-|-",
	)
	wantRows(t, w.DB, "SELECT raw, records, sources, candidates FROM unknown_branches ORDER BY raw",
		"火星支行|2|hotline,online|-",
		"鼓楼支行|1|hotline|GL1,GL2",
	)
	wantRows(t, w.DB, "SELECT count(*) FROM branch_master", "6")
	// the marts show codes
	wantRows(t, w.DB, "SELECT branch, sum(received)::BIGINT FROM mart_dimension_month GROUP BY ALL ORDER BY ALL",
		"|1", "BJ001|2", "SH001|1", "SH009|1", "火星支行|2", "鼓楼支行|1")

	// without a branch master nothing is mapped or listed
	if _, err := Normalize(context.Background(), w, Options{}); err != nil {
		t.Fatal(err)
	}
	wantRows(t, w.DB, "SELECT count(*) FILTER (WHERE branch = branch_raw), count(*) FROM complaints", "7|8")
	wantRows(t, w.DB, "SELECT count(*) FROM unknown_branches", "0")

	// a malformed file is an error naming the file and the line
	_, err = Normalize(context.Background(), w, Options{BranchesFile: writeFile(t, "bad.csv", "code,name,valid_to\nX1,某支行,31/12/2026\n")})
	if err == nil || !strings.Contains(err.Error(), "bad.csv: line 2: valid_to") {
		t.Errorf("bad branch file: %v", err)
	}
}

// TestReplyCompletenessMart: closed primaries per branch and month of reply; recorded = the export records
// reply elements at all; complete = all six present.
func TestReplyCompletenessMart(t *testing.T) {
	all := []string{"是", "已处理", "已整改", "满意", "3天", "王五 010-1234"}
	five := []string{"是", "已处理", "否", "满意", "3天", "王五"}
	rows := []landed{
		// BJ001: two closed in May (one complete, one with remediation "否"), one closed in June with nothing recorded
		{batch: 1, source: "hotline", id: "1", received: "2026-05-01 10:00:00", category: "信用卡", status: "已办结", replied: "2026-05-03 10:00:00", branch: "朝阳支行", reply: all},
		{batch: 1, source: "hotline", id: "2", received: "2026-05-02 10:00:00", category: "贷款", status: "已办结", replied: "2026-05-04 10:00:00", branch: "BJ001", reply: five},
		{batch: 1, source: "hotline", id: "3", received: "2026-05-30 10:00:00", category: "借记卡", status: "已办结", replied: "2026-06-02 10:00:00", branch: "北京朝阳支行"},
		// no branch: one closed in May, complete; one open (not closed: not counted); one withdrawn (not closed)
		{batch: 1, source: "hotline", id: "4", received: "2026-05-05 10:00:00", category: "信用卡", status: "已办结", replied: "2026-05-06 10:00:00", reply: all},
		{batch: 1, source: "hotline", id: "5", received: "2026-05-06 10:00:00", category: "贷款", status: "处理中", reply: all},
		{batch: 1, source: "hotline", id: "6", received: "2026-05-07 10:00:00", category: "借记卡", status: "撤诉", replied: "2026-05-08 10:00:00", reply: all},
		// an enquiry closed in May at BJ001: not a complaint, not counted
		{batch: 1, source: "hotline", id: "7", typ: "咨询", received: "2026-05-08 10:00:00", category: "信用卡", status: "已办结", replied: "2026-05-09 10:00:00", branch: "BJ001", reply: all},
	}
	w := setup(t, rows)
	if _, err := Normalize(context.Background(), w, Options{BranchesFile: writeFile(t, "branches.csv", branchCSV)}); err != nil {
		t.Fatal(err)
	}
	wantRows(t, w.DB, "SELECT strftime(month, '%Y-%m'), branch, closed, recorded, complete FROM mart_reply_completeness ORDER BY ALL",
		"2026-05||1|1|1",
		"2026-05|BJ001|2|2|1",
		"2026-06|BJ001|1|0|0",
	)
}

const correctionsYAML = `
- complaint: hotline:H1
  action: reclassify
  field: business_category
  value: 借记卡
  who: 张三
  when: "2026-11-05"
  why: 客户实际办理的是借记卡
- complaint: hotline:H1
  action: reclassify
  field: complaint_type
  value: service_product
  who: 张三
  when: "2026-11-05"
  why: 产品问题
- complaint: hotline:X2
  action: not_duplicate
  who: 李四
  why: 新事实
- complaint: hotline:Y2
  action: duplicate_of
  value: hotline:Y1
  who: 李四
- complaint: hotline:M1
  action: major
  who: 王五
- complaint: hotline:E1
  action: not_complaint
  who: 王五
- complaint: hotline:NOPE
  action: major
- complaint: hotline:M1
  action: reclassify
  field: cause
  value: 火星原因
`

// TestCorrections: each action applies, is audited once, an unknown complaint or value is listed, and a
// correction survives a re-export of the complaint in a later batch.
func TestCorrections(t *testing.T) {
	rows := []landed{
		{batch: 1, source: "hotline", id: "H1", received: "2026-10-05 10:00:00", updated: "2026-10-05 10:00:00", category: "信用卡", status: "处理中", phoneKey: "h"},
		// X1, X2: same customer and category two days apart before any reply: X2 would be a duplicate of X1
		{batch: 1, source: "hotline", id: "X1", received: "2026-10-01 10:00:00", category: "贷款", status: "处理中", phoneKey: "x"},
		{batch: 1, source: "hotline", id: "X2", received: "2026-10-03 10:00:00", category: "贷款", status: "处理中", phoneKey: "x"},
		// Y1, Y2: different customers: linked only by the correction
		{batch: 1, source: "hotline", id: "Y1", received: "2026-10-02 10:00:00", category: "贷款", status: "处理中", phoneKey: "y1"},
		{batch: 1, source: "hotline", id: "Y2", received: "2026-10-04 10:00:00", category: "贷款", status: "处理中", phoneKey: "y2"},
		{batch: 1, source: "hotline", id: "M1", received: "2026-10-06 10:00:00", category: "贷款", status: "处理中", major: "否"},
		{batch: 1, source: "hotline", id: "E1", received: "2026-10-07 10:00:00", category: "贷款", status: "处理中"},
	}
	w := setup(t, rows)
	corr := writeFile(t, "corrections.yaml", correctionsYAML)
	at := time.Date(2026, 11, 6, 9, 0, 0, 0, warehouse.Beijing)
	opts := Options{CorrectionsFile: corr, Now: func() time.Time { return at }}
	res, err := Normalize(context.Background(), w, opts)
	if err != nil {
		t.Fatal(err)
	}
	// 6 changes: H1 category and type, X2 unlinked, Y2 linked, M1 major, E1 not a complaint
	if res.CorrectionsApplied != 6 || res.CorrectionsUnmatched != 2 {
		t.Errorf("applied %d (want 6), unmatched %d (want 2)", res.CorrectionsApplied, res.CorrectionsUnmatched)
	}
	wantRows(t, w.DB, `SELECT source_id, business_category, complaint_type, complaint_class, internal_limit_days, is_major,
		record_type, is_complaint, is_primary, coalesce(duplicate_of, '-') FROM complaints ORDER BY source_id`,
		"E1|loans|-|-|3|false|other|false|true|-",
		"H1|debit_card|service_product|complex|10|false|complaint|true|true|-",
		"M1|loans|-|-|3|true|complaint|true|true|-",
		"X1|loans|-|-|3|false|complaint|true|true|-",
		"X2|loans|-|-|3|false|complaint|true|true|-",
		"Y1|loans|-|-|3|false|complaint|true|true|-",
		"Y2|loans|-|-|3|false|complaint|true|false|hotline:Y1",
	)
	wantRows(t, w.DB, `SELECT complaint_key, action, field, old, new, who, "when", why, strftime(applied_at, '%Y-%m-%d %H:%M')
		FROM corrections_applied ORDER BY ALL`,
		"hotline:E1|not_complaint|-|complaint|other|王五|-|-|2026-11-06 09:00",
		"hotline:H1|reclassify|business_category|credit_card|debit_card|张三|2026-11-05|客户实际办理的是借记卡|2026-11-06 09:00",
		"hotline:H1|reclassify|complaint_type|-|service_product|张三|2026-11-05|产品问题|2026-11-06 09:00",
		"hotline:M1|major|-|false|true|王五|-|-|2026-11-06 09:00",
		"hotline:X2|not_duplicate|-|hotline:X1|-|李四|-|新事实|2026-11-06 09:00",
		"hotline:Y2|duplicate_of|-|-|hotline:Y1|李四|-|-|2026-11-06 09:00",
	)
	wantRows(t, w.DB, "SELECT seq, complaint_key, action, reason FROM corrections_unmatched ORDER BY seq",
		"7|hotline:NOPE|major|unknown_complaint", "8|hotline:M1|reclassify|value_unmapped")

	// normalising again with nothing new (no batch, the same corrections file) re-derives nothing, changes nothing
	// and audits nothing new
	before := dumpAll(t, w)
	again, err := Normalize(context.Background(), w, opts)
	if err != nil {
		t.Fatal(err)
	}
	if again.Full || again.Rederived != 0 || again.CorrectionsApplied != 0 || again.Complaints != 7 || again.CorrectionsUnmatched != 2 {
		t.Errorf("nothing-new run: %+v", *again)
	}
	if dumpAll(t, w) != before {
		t.Error("a normalise with nothing new changed the tables")
	}
	wantRows(t, w.DB, "SELECT count(*) FROM corrections_applied", "6")

	// a re-export: H1 lands again in batch 2, now 贷款 and closed; the correction still applies, and the audit
	// records it over the new exported value
	land(t, w, []landed{{batch: 2, source: "hotline", id: "H1", received: "2026-10-05 10:00:00", updated: "2026-10-08 10:00:00",
		category: "贷款", status: "已办结", replied: "2026-10-08 09:00:00", phoneKey: "h"}})
	at = at.Add(24 * time.Hour)
	res, err = Normalize(context.Background(), w, opts)
	if err != nil {
		t.Fatal(err)
	}
	// re-derived: H1's two versions, plus the single versions of the other corrected complaints X2, Y2, M1, E1
	if res.Full || res.Rederived != 6 {
		t.Errorf("re-export run: full %v, rederived %d (want incremental, 6)", res.Full, res.Rederived)
	}
	wantRows(t, w.DB, "SELECT business_category, business_category_raw, status, version_count FROM complaints WHERE source_id = 'H1'",
		"debit_card|贷款|closed|2")
	wantRows(t, w.DB, `SELECT old, new, strftime(applied_at, '%Y-%m-%d') FROM corrections_applied
		WHERE complaint_key = 'hotline:H1' AND field = 'business_category' ORDER BY applied_at`,
		"credit_card|debit_card|2026-11-06", "loans|debit_card|2026-11-07")
	// and a full rebuild agrees
	incr := dump(t, w)
	if _, err := Normalize(context.Background(), w, Options{CorrectionsFile: corr, Full: true, Now: opts.Now}); err != nil {
		t.Fatal(err)
	}
	if full := dump(t, w); full != incr {
		t.Error("full normalise differs from incremental after the re-export")
	}
	// a withdrawn correction is undone on the next (incremental) normalise
	if _, err := Normalize(context.Background(), w, Options{Now: opts.Now}); err != nil {
		t.Fatal(err)
	}
	wantRows(t, w.DB, "SELECT business_category, is_major FROM complaints WHERE source_id IN ('H1', 'M1') ORDER BY source_id",
		"loans|false", "loans|false")

	// a malformed entry is an error naming the entry
	_, err = Normalize(context.Background(), w, Options{CorrectionsFile: writeFile(t, "c.yaml", "- complaint: hotline:H1\n  action: recolour\n")})
	if err == nil || !strings.Contains(err.Error(), "entry 1 (hotline:H1)") {
		t.Errorf("bad corrections: %v", err)
	}
}

// dumpAll is every derived table, sorted, as text.
func dumpAll(t *testing.T, w *warehouse.Warehouse) string {
	t.Helper()
	var b strings.Builder
	for _, tbl := range []string{"complaints", "complaint_figures", "mart_category_month", "mart_cause_month", "mart_month", "mart_dimension_month",
		"mart_reply_completeness", "consistency_issues", "unmapped_values", "unknown_branches", "corrections_unmatched"} {
		fmt.Fprintln(&b, "==", tbl)
		q := "SELECT * FROM " + tbl + " ORDER BY ALL"
		if tbl == "complaint_figures" { // a list column, as text
			q = "SELECT * REPLACE (CAST(repeated_in AS VARCHAR) AS repeated_in) FROM complaint_figures ORDER BY ALL"
		}
		for _, r := range rowsOf(t, w.DB, q) {
			fmt.Fprintln(&b, r)
		}
	}
	return b.String()
}

// TestIncrementalEqualsFull lands three batches one at a time, normalising incrementally after each, and
// compares every derived table with a full normalise of all three batches in a fresh warehouse.
func TestIncrementalEqualsFull(t *testing.T) {
	batches := [][]landed{{
		{batch: 1, source: "hotline", id: "A", received: "2026-09-01 10:00:00", updated: "2026-09-01 10:00:00", category: "信用卡", status: "处理中", phoneKey: "pa", branch: "朝阳支行"},
		{batch: 1, source: "hotline", id: "B", received: "2026-09-03 10:00:00", category: "信用卡", status: "处理中", idKey: "ib", branch: "浦东支行"},
		{batch: 1, source: "hotline", id: "C", received: "2026-09-10 10:00:00", category: "贷款", status: "已办结", replied: "2026-09-12 10:00:00", phoneKey: "pc", reply: []string{"是", "是", "是", "是", "是", "是"}},
	}, {
		// A closed (new version); D links A's phone to B's ID: A and B become one customer, so B is A's duplicate
		{batch: 2, source: "hotline", id: "A", received: "2026-09-01 10:00:00", updated: "2026-09-05 10:00:00", category: "信用卡", status: "已办结", replied: "2026-09-05 09:00:00", phoneKey: "pa", branch: "朝阳支行"},
		{batch: 2, source: "online", id: "D", received: "2026-10-20 10:00:00", category: "借记卡", status: "处理中", phoneKey: "pa", idKey: "ib", branch: "火星支行"},
	}, {
		// C reopened with another category; E a new complaint of C's customer within 90 days after C: a repeat
		{batch: 3, source: "hotline", id: "C", received: "2026-09-10 10:00:00", category: "信用卡", status: "处理中", phoneKey: "pc"},
		{batch: 3, source: "letters", id: "E", received: "2026-11-01 10:00:00", category: "神秘业务", status: "处理中", phoneKey: "pc", branch: "BJ001"},
	}}
	branches := writeFile(t, "branches.csv", branchCSV)
	corr := writeFile(t, "corrections.yaml", "- complaint: online:D\n  action: major\n- complaint: letters:E\n  action: reclassify\n  field: cause\n  value: 收费\n")
	opts := Options{BranchesFile: branches, CorrectionsFile: corr}
	inc := setup(t, nil)
	// re-derived versions: batch 1 all 3 (first run: full); batch 2 A's 2 versions + D; batch 3 C's 2 versions + E
	// + D (a corrected complaint is always re-derived)
	wantRederived := []int64{3, 3, 4}
	for i, b := range batches {
		land(t, inc, b)
		res, err := Normalize(context.Background(), inc, opts)
		if err != nil {
			t.Fatal(err)
		}
		if want := i == 0; res.Full != want {
			t.Errorf("batch %d: full %v, want %v", i+1, res.Full, want)
		}
		if res.Rederived != wantRederived[i] {
			t.Errorf("batch %d: rederived %d, want %d", i+1, res.Rederived, wantRederived[i])
		}
	}
	full := setup(t, nil)
	for _, b := range batches {
		land(t, full, b)
	}
	if _, err := Normalize(context.Background(), full, Options{BranchesFile: branches, CorrectionsFile: corr, Full: true}); err != nil {
		t.Fatal(err)
	}
	a, b := dumpAll(t, inc), dumpAll(t, full)
	if a != b {
		t.Errorf("incremental differs from full:\n--- incremental\n%s\n--- full\n%s", a, b)
	}
	// the hand-worked facts behind the comparison: D links A's phone and B's ID, so B (09-03, same category, before
	// A's reply on 09-05) is A's duplicate and no repeat; D (49 days after A) and E (52 days after C) are repeats,
	// the earlier A and C not;
	// B's 浦东支行 was received after SH001's last day (06-30): its successor SH009
	wantRows(t, full.DB, "SELECT source_id, is_primary, coalesce(duplicate_of, '-'), repeat_complainant, branch, is_major FROM complaints ORDER BY source_id",
		"A|true|-|false|BJ001|false", "B|false|hotline:A|false|SH009|false", "C|true|-|false|-|false",
		"D|true|-|true|火星支行|true", "E|true|-|true|BJ001|false")
	// a branch master change forces a full rebuild
	res, err := Normalize(context.Background(), inc, Options{CorrectionsFile: corr})
	if err != nil || !res.Full {
		t.Errorf("after dropping the branch master: full %v, err %v", res != nil && res.Full, err)
	}
}

func writeFileErr(path, body string) error { return os.WriteFile(path, []byte(body), 0o644) }

// TestFingerprintSeesNullsMoved: moving a branch's date from valid_from to valid_to changes the reference data, so
// the next normalise rebuilds rather than carrying on incrementally with the old mapping.
func TestFingerprintSeesNullsMoved(t *testing.T) {
	rows := []landed{
		{batch: 1, source: "hotline", id: "A", received: "2026-05-01 10:00:00", category: "信用卡", branch: "浦东支行"},
		{batch: 1, source: "hotline", id: "B", received: "2026-08-01 10:00:00", category: "信用卡", branch: "浦东支行"},
	}
	w := setup(t, rows)
	head := "code,name,aliases,parent,province_code,province_name,valid_from,valid_to,successor\n"
	before := head + "SH001,上海浦东支行,浦东支行,SH000,310000,上海市,2026-06-30,,\n"
	after := head + "SH001,上海浦东支行,浦东支行,SH000,310000,上海市,,2026-06-30,\n"
	if _, err := Normalize(context.Background(), w, Options{BranchesFile: writeFile(t, "before.csv", before)}); err != nil {
		t.Fatal(err)
	}
	res, err := Normalize(context.Background(), w, Options{BranchesFile: writeFile(t, "after.csv", after)})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Full {
		t.Fatalf("the branch master changed (valid_from moved to valid_to) but the normalise was not a rebuild: %+v", res)
	}
}
