package transform

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"complaints/catalog"
	"complaints/warehouse"
)

// landed is one hand-made landed row; empty strings land as NULL.
type landed struct {
	batch                                                 int64
	source, id, typ, received, updated, channel, category string
	cause, status, replied, idKey, phoneKey, major        string
	branch, province, card                                string
	reply                                                 []string // the six reply elements, when exported
}

func setup(t *testing.T, rows []landed) *warehouse.Warehouse {
	t.Helper()
	ctx := context.Background()
	w, err := warehouse.Open(ctx, warehouse.Options{Path: ":memory:", Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	land(t, w, rows)
	return w
}

// land inserts the rows (and their batches, once each) into a warehouse: a later call lands later batches.
func land(t *testing.T, w *warehouse.Warehouse, rows []landed) {
	t.Helper()
	batches := map[int64]bool{}
	var base int
	if err := w.DB.QueryRow("SELECT count(*) FROM landed_rows").Scan(&base); err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		i += base
		var seen int
		w.DB.QueryRow("SELECT count(*) FROM batches WHERE batch_id = ?", r.batch).Scan(&seen)
		if !batches[r.batch] && seen == 0 {
			batches[r.batch] = true
			_, err := w.DB.Exec(`INSERT INTO batches (batch_id, source_system, file_path, file_sha256, file_size, format, encoding, sheet, export_as_of, rows_read, rows_accepted, rows_rejected, ingested_at) VALUES (?, ?, ?, ?, 1, 'csv', 'utf-8', NULL, NULL, 0, 0, 0, ?)`,
				r.batch, r.source, fmt.Sprintf("f%d.csv", r.batch), fmt.Sprintf("sha%d", r.batch), fmt.Sprintf("2026-11-0%d 09:00:00", r.batch))
			if err != nil {
				t.Fatal(err)
			}
		}
		nul := func(s string) any {
			if s == "" {
				return nil
			}
			return s
		}
		reply := make([]any, 6)
		for j := range reply {
			if j < len(r.reply) {
				reply[j] = nul(r.reply[j])
			}
		}
		_, err := w.DB.Exec(`INSERT INTO landed_rows (batch_id, source_system, file_path, file_sha256, row_number, ingested_at,
			source_id, record_type, received_at, updated_at, intake_channel, business_category, cause, status, replied_at,
			customer_id_key, customer_phone_key, major, branch, province, reply_facts, reply_accountability, reply_remediation,
			reply_satisfaction, reply_time, reply_handler_contact, customer_card_key)
			VALUES (?, ?, 'f.csv', 'sha', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			append([]any{r.batch, r.source, i + 2, fmt.Sprintf("2026-11-0%d 09:00:00", r.batch), r.id, nul(r.typ), r.received, nul(r.updated),
				nul(r.channel), nul(r.category), nul(r.cause), nul(r.status), nul(r.replied), nul(r.idKey), nul(r.phoneKey), nul(r.major),
				nul(r.branch), nul(r.province)}, append(reply, nul(r.card))...)...)
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestNormalizeRules(t *testing.T) {
	rows := []landed{
		// H1 open in batch 1, closed in batch 2 (newest version wins).
		{batch: 1, source: "hotline", id: "H1", typ: "投诉", received: "2026-10-03 10:00:00", updated: "2026-10-03 10:00:00", channel: "电话", category: "信用卡", cause: "态度差", status: "处理中", phoneKey: "p1"},
		{batch: 2, source: "hotline", id: "H1", typ: "投诉", received: "2026-10-03 10:00:00", updated: "2026-10-06 16:00:00", channel: "电话", category: "信用卡", cause: "态度差", status: "已办结", replied: "2026-10-06 15:00:00", phoneKey: "p1"},
		// R1: regulator referral with ID + the same phone, same category, 2 days later, before H1's reply -> duplicate of H1.
		{batch: 1, source: "referral", id: "R1", received: "2026-10-05 09:00:00", channel: "12378", category: "信用卡中心", cause: "服务态度", status: "已办结", replied: "2026-10-06 12:00:00", idKey: "i1", phoneKey: "p1", major: "否"},
		// R2: the same customer again after the replies to H1 and R1 -> not a duplicate (new facts restart the clock).
		{batch: 1, source: "referral", id: "R2", received: "2026-10-07 09:00:00", channel: "监管转送", category: "信用卡", cause: "收费", status: "处理中", idKey: "i1", major: "是"},
		// E1: an enquiry: not a complaint.
		{batch: 1, source: "hotline", id: "E1", typ: "咨询", received: "2026-10-04 10:00:00", channel: "电话", category: "借记卡", status: "已办结", replied: "2026-10-04 11:00:00", phoneKey: "p9"},
		// W1 withdrawn: received, never closed.
		{batch: 1, source: "hotline", id: "W1", typ: "投诉", received: "2026-10-10 10:00:00", channel: "电话", category: "ＤＥＢＩＴ　ＣＡＲＤ", status: "撤诉", replied: "2026-10-12 10:00:00"},
		// N1 not accepted: not received.
		{batch: 1, source: "hotline", id: "N1", typ: "投诉", received: "2026-10-11 10:00:00", channel: "电话", category: "借记卡", status: "不予受理"},
		// B1 reply before receipt: counts as received, neither in closed nor open figures: "closed, reply date invalid".
		{batch: 1, source: "hotline", id: "B1", typ: "投诉", received: "2026-10-20 10:00:00", channel: "电话", category: "贷款", cause: "流程繁琐", status: "已办结", replied: "2026-10-18 10:00:00"},
		// S1 received in September, closed in October; unmapped category kept with its raw text.
		{batch: 1, source: "hotline", id: "S1", typ: "投诉", received: "2026-09-30 23:59:00", channel: "电话", category: "神秘业务", cause: "其他", status: "已办结", replied: "2026-10-02 09:00:00"},
	}
	w := setup(t, rows)
	res, err := Normalize(context.Background(), w, Options{DuplicateWindowDays: 7})
	if err != nil {
		t.Fatal(err)
	}
	if res.Complaints != 8 || res.Duplicates != 1 || res.NonComplaint != 1 || res.Unmapped != 1 || res.Versions != 9 {
		t.Fatalf("result %+v", res)
	}
	type row struct {
		status, category, cause, channel, primary string
		isPrimary, invalid, regulatorGroup        bool
		versions                                  int
	}
	got := map[string]row{}
	rs, err := w.DB.Query(`SELECT complaint_key, status, business_category, cause, intake_channel, primary_key, is_primary,
		reply_date_invalid, group_regulator_referral, version_count FROM complaints`)
	if err != nil {
		t.Fatal(err)
	}
	for rs.Next() {
		var k string
		var r row
		if err := rs.Scan(&k, &r.status, &r.category, &r.cause, &r.channel, &r.primary, &r.isPrimary, &r.invalid, &r.regulatorGroup, &r.versions); err != nil {
			t.Fatal(err)
		}
		got[k] = r
	}
	rs.Close()
	want := map[string]row{
		"hotline:H1":  {"closed", "credit_card", "service_quality", "phone", "hotline:H1", true, false, true, 2},
		"referral:R1": {"closed", "credit_card", "service_quality", "regulator_referral", "hotline:H1", false, false, true, 1},
		"referral:R2": {"open", "credit_card", "pricing_fees", "regulator_referral", "referral:R2", true, false, true, 1},
		"hotline:E1":  {"closed", "debit_card", "other", "phone", "hotline:E1", true, false, false, 1},
		"hotline:W1":  {"withdrawn", "debit_card", "other", "phone", "hotline:W1", true, false, false, 1},
		"hotline:N1":  {"not_accepted", "debit_card", "other", "phone", "hotline:N1", true, false, false, 1},
		"hotline:B1":  {"closed", "loans", "rules_processes", "phone", "hotline:B1", true, true, false, 1},
		"hotline:S1":  {"closed", "unmapped", "other", "phone", "hotline:S1", true, false, false, 1},
	}
	for k, wr := range want {
		if got[k] != wr {
			t.Errorf("%s: got %+v, want %+v", k, got[k], wr)
		}
	}

	// Marts, worked out by hand from the rows above.
	type mart struct{ received, regulator, major, closed int }
	marts := map[string]mart{}
	rs, _ = w.DB.Query(`SELECT strftime(month, '%Y-%m') || ' ' || business_category, received, received_regulator, received_major, closed FROM mart_category_month`)
	for rs.Next() {
		var k string
		var m mart
		rs.Scan(&k, &m.received, &m.regulator, &m.major, &m.closed)
		marts[k] = m
	}
	rs.Close()
	wantMarts := map[string]mart{
		// H1 (primary, group holds R1 a regulator referral, closed 10-06) + R2 (regulator, major, open); R1 is a duplicate.
		"2026-10 credit_card": {received: 2, regulator: 2, major: 1, closed: 1},
		// W1 withdrawn counts as received, not closed; N1 not accepted and E1 enquiry do not count.
		"2026-10 debit_card": {received: 1},
		// B1 received; its reply date is invalid so it is not closed.
		"2026-10 loans": {received: 1},
		// S1 received 09-30 23:59 (September), closed 10-02 (October).
		"2026-09 unmapped": {received: 1},
		"2026-10 unmapped": {closed: 1},
		// the exports are as of November: R2 is still open then, so November has a (stock-only) row.
		"2026-11 credit_card": {},
	}
	if len(marts) != len(wantMarts) {
		t.Errorf("mart rows %v, want %v", marts, wantMarts)
	}
	for k, wm := range wantMarts {
		if marts[k] != wm {
			t.Errorf("mart %s: got %+v, want %+v", k, marts[k], wm)
		}
	}

	// Consistency checks and unmapped values are listed.
	var check, unmappedRaw string
	w.DB.QueryRow("SELECT check_code FROM consistency_issues WHERE complaint_key = 'hotline:B1'").Scan(&check)
	w.DB.QueryRow("SELECT raw_value FROM unmapped_values WHERE dimension = 'business_category'").Scan(&unmappedRaw)
	if check != "reply_before_receipt" || unmappedRaw != "神秘业务" {
		t.Errorf("consistency check %q (want reply_before_receipt), unmapped %q (want 神秘业务)", check, unmappedRaw)
	}

	// Idempotent: a second run gives identical tables.
	before := dump(t, w)
	if _, err := Normalize(context.Background(), w, Options{}); err != nil {
		t.Fatal(err)
	}
	if after := dump(t, w); after != before {
		t.Fatal("second normalize changed the tables")
	}
}

func dump(t *testing.T, w *warehouse.Warehouse) string {
	var b strings.Builder
	for _, q := range []string{
		"SELECT * FROM complaints ORDER BY complaint_key",
		"SELECT * FROM mart_category_month ORDER BY ALL",
		"SELECT * FROM mart_cause_month ORDER BY ALL",
	} {
		rs, err := w.DB.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rs.Columns()
		for rs.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			rs.Scan(ptrs...)
			fmt.Fprintln(&b, vals...)
		}
		rs.Close()
	}
	return b.String()
}

// TestSQLFoldingMatchesCatalog checks that norm_text in SQL folds spellings exactly as catalog.Normalize does.
func TestSQLFoldingMatchesCatalog(t *testing.T) {
	w := setup(t, nil)
	models, _ := Models()
	if _, err := w.DB.Exec(models[0].SQL); err != nil {
		t.Fatal(err)
	}
	inputs := []string{"  信用卡 ", "ＤＥＢＩＴ　ＣＡＲＤ", "Credit  Card", "Ａｐｐ闪退", "（其他）", "12378", "Walk-In"}
	for _, s := range catalog.Synonyms() {
		inputs = append(inputs, s.Text)
	}
	for _, dim := range catalog.DimensionNames() {
		for _, c := range catalog.Dimension(dim) {
			inputs = append(inputs, c.ZH, c.EN)
			inputs = append(inputs, c.Synonyms...)
		}
	}
	conn, _ := w.DB.Conn(context.Background())
	defer conn.Close()
	conn.ExecContext(context.Background(), models[0].SQL)
	for _, in := range inputs {
		var got string
		if err := conn.QueryRowContext(context.Background(), "SELECT norm_text(?)", in).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if want := catalog.Normalize(in); got != want {
			t.Errorf("norm_text(%q) = %q, catalog.Normalize = %q", in, got, want)
		}
	}
}

// complaints has no index since migration 008: normalise itself checks complaint_key unique, and a duplicate
// (here planted by hand, as a bug in a model would leave it) fails the normalise and writes nothing.
func TestDuplicateComplaintKeyFailsNormalise(t *testing.T) {
	ctx := context.Background()
	w := setup(t, []landed{
		{batch: 1, source: "hotline", id: "H1", received: "2026-10-09 10:00:00", category: "信用卡", status: "处理中", phoneKey: "p1"},
		{batch: 1, source: "hotline", id: "H2", received: "2026-10-10 10:00:00", category: "借记卡", status: "处理中", phoneKey: "p2"},
	})
	if _, err := Normalize(ctx, w, Options{}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.DB.Exec("INSERT INTO complaints SELECT * FROM complaints WHERE complaint_key = 'hotline:H1'"); err != nil {
		t.Fatal(err)
	}
	land(t, w, []landed{{batch: 2, source: "hotline", id: "H3", received: "2026-10-11 10:00:00", category: "贷款", status: "处理中", phoneKey: "p3"}})
	// with a corrections file, which the failed normalise must not store either
	corr := writeFile(t, "c.yaml", "- complaint: hotline:H2\n  action: major\n  who: 王五\n")
	_, err := Normalize(ctx, w, Options{CorrectionsFile: corr})
	if err == nil || !strings.Contains(err.Error(), "complaint_key hotline:H1 would be stored 2 times") {
		t.Fatalf("want the duplicate key named, got %v", err)
	}
	var n int
	if err := w.DB.QueryRow("SELECT count(*) FROM complaints WHERE complaint_key = 'hotline:H3'").Scan(&n); err != nil || n != 0 {
		t.Fatalf("the failed normalise wrote hotline:H3 (%d rows, %v)", n, err)
	}
	// nothing else either, and its temporary tables (which shadow the reference tables) went with its connection
	wantRows(t, w.DB, "SELECT (SELECT count(*) FROM corrections), (SELECT count(*) FROM corrections_applied), (SELECT count(*) FROM normalised_batches), (SELECT count(*) FROM duckdb_tables() WHERE temporary)", "0|0|1|0")
	// a full normalise rewrites the table, and so repairs it
	if _, err := Normalize(ctx, w, Options{Full: true}); err != nil {
		t.Fatal(err)
	}
	if err := w.DB.QueryRow("SELECT count(*) FROM complaints").Scan(&n); err != nil || n != 3 {
		t.Fatalf("after --full: %d complaints, %v", n, err)
	}
}

// element_present skips the fold for text with more than two characters between its ends; on every string of
// up to three pieces below it must agree with the plain definition (fold, then not one of the "no" words).
func TestElementPresentShortcutMatchesFold(t *testing.T) {
	w := setup(t, nil)
	models, _ := Models()
	conn, _ := w.DB.Conn(context.Background())
	defer conn.Close()
	if _, err := conn.ExecContext(context.Background(), models[0].SQL); err != nil {
		t.Fatal(err)
	}
	pieces := []string{"", " ", "　", "\t", "\n", "\r\n", "\f", "\v", "\u00a0", "\u2007", "\u200b", "\ufeff", "\u2028", "\u0085", "n", "N", "no", "No", "nO", "O", "ＮＯ", "ｎ", "否", "无", "未",
		"-", "/", "－", "／", "x", "已说明", "是"}
	var inputs []string
	for _, a := range pieces {
		for _, b := range pieces {
			for _, c := range pieces {
				inputs = append(inputs, a+b+c)
			}
		}
	}
	rows, err := conn.QueryContext(context.Background(), `SELECT s, element_present(s) FROM unnest(?::VARCHAR[]) t(s)
		WHERE element_present(s) IS DISTINCT FROM
		      (norm_text(s) IS NOT NULL AND norm_text(s) NOT IN ('n', 'no', '否', '无', '未', '-', '/'))`, inputs)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		var got bool
		rows.Scan(&s, &got)
		t.Errorf("element_present(%q) = %v, the fold says otherwise", s, got)
	}
	if len(inputs) < 10000 {
		t.Fatalf("only %d inputs", len(inputs))
	}
	var null bool
	if err := conn.QueryRowContext(context.Background(), "SELECT element_present(NULL::VARCHAR)").Scan(&null); err != nil || null {
		t.Errorf("element_present(NULL) = %v, %v; want false", null, err)
	}
}

// OnModel (the CLI's progress bar) hears of every model in order and of the end; a run with nothing new only
// of the end.
func TestOnModelReportsProgress(t *testing.T) {
	w := setup(t, []landed{{batch: 1, source: "hotline", id: "H1", received: "2026-10-09 10:00:00", status: "处理中"}})
	models, _ := Models()
	var calls []string
	opts := Options{OnModel: func(m string, done, total int) {
		if total != len(models) {
			t.Errorf("total %d, want %d", total, len(models))
		}
		calls = append(calls, fmt.Sprintf("%d:%s", done, m))
	}}
	if _, err := Normalize(context.Background(), w, opts); err != nil {
		t.Fatal(err)
	}
	var want []string
	for i, m := range models {
		want = append(want, fmt.Sprintf("%d:%s", i, m.Name))
	}
	want = append(want, fmt.Sprintf("%d:", len(models)))
	if strings.Join(calls, " ") != strings.Join(want, " ") {
		t.Errorf("calls %v\nwant  %v", calls, want)
	}
	calls = nil
	if _, err := Normalize(context.Background(), w, opts); err != nil {
		t.Fatal(err)
	}
	if strings.Join(calls, " ") != fmt.Sprintf("%d:", len(models)) {
		t.Errorf("nothing-new run: calls %v", calls)
	}
}

// The normalise changes two of DuckDB's global settings for its length (insertion order, FSST); they outlive its
// connection, so it must put them back for the reports that run after it in the same process.
func TestNormaliseLeavesGlobalSettings(t *testing.T) {
	w := setup(t, []landed{{batch: 1, source: "hotline", id: "H1", received: "2026-10-09 10:00:00", category: "信用卡", status: "处理中"}})
	if _, err := Normalize(context.Background(), w, Options{}); err != nil {
		t.Fatal(err)
	}
	wantRows(t, w.DB, "SELECT current_setting('preserve_insertion_order')::VARCHAR, current_setting('disabled_compression_methods')::VARCHAR", "true|")
}
