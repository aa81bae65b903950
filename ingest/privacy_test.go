package ingest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"complaints/catalog"
)

// The personal values of the tests: a name, a mobile, an 18-digit ID number with a valid check digit and
// birth date, and a Luhn-valid card number (digits as written, and as they would appear compacted).
var personalValues = []string{"张三", "13812345678", "11010519491231002X", "6222021234567890128", "4111111111111111"}

func assertNoPersonal(t *testing.T, where, text string, values ...string) {
	t.Helper()
	for _, v := range append(values, personalValues...) {
		if strings.Contains(text, v) {
			t.Errorf("%s quotes %q: %s", where, v, text)
		}
	}
}

func TestPersonalKind(t *testing.T) {
	for v, want := range map[string]string{
		"13812345678": personalPhone, "+86 138 1234 5678": personalPhone, "008613812345678": personalPhone,
		"11010519491231002X": personalID, "110105194912310021": "", // wrong check digit
		"110105194913310028":  "", // month 13
		"6222021234567890128": personalCard, "4111 1111 1111 1111": personalCard, "4111111111111112": "",
		"1234567890123452": "", // Luhn valid, no card prefix
		"A1":               "", "2026-10-05": "", "12812345678": "",
	} {
		if got := personalKind(v); got != want {
			t.Errorf("%q: %q, want %q", v, got, want)
		}
	}
}

// TestHeaderlessFileQuotesNothingPersonal: a file without a header row, whose first row is a customer's record,
// is refused with an error that quotes none of the record, in zh and en, in the JSON log and in the inbox's
// reason file (0600).
func TestHeaderlessFileQuotesNothingPersonal(t *testing.T) {
	defer catalog.SetLang(catalog.Lang())
	ctx := context.Background()
	base := t.TempDir()
	in := filepath.Join(base, "inbox")
	if err := os.MkdirAll(in, 0o755); err != nil {
		t.Fatal(err)
	}
	body := "张三,13812345678,11010519491231002X,6222021234567890128,信用卡被盗刷\n李四,13912345678,110105194912310029,4111111111111111,年费\n"
	writeFile(t, in, "export.csv", body)
	var log bytes.Buffer
	opts := inboxOptions(base)
	opts.Logger = slog.New(slog.NewJSONHandler(&log, nil))
	w := openTestWarehouse(t)
	res, err := IngestInbox(ctx, w, opts, in)
	if err != nil || len(res) != 1 || res[0].Err == nil {
		t.Fatalf("%v %+v", err, res)
	}
	e := res[0].Err
	if !catalog.HasKey(e, "msg_privacy_not_header") || !errors.Is(e, ErrMissingColumns) {
		t.Fatalf("error %v", e)
	}
	for _, lang := range []string{"zh", "en"} {
		catalog.SetLang(lang)
		assertNoPersonal(t, "error ("+lang+")", e.Error())
	}
	assertNoPersonal(t, "log", log.String())
	if !strings.Contains(log.String(), `"level":"ERROR"`) && !strings.Contains(log.String(), "failed") {
		t.Fatalf("no failure logged: %s", log.String())
	}
	note := filepath.Join(in, "failed", "export.csv.reason.txt")
	b, err := os.ReadFile(note)
	if err != nil {
		t.Fatal(err)
	}
	assertNoPersonal(t, "reason file", string(b))
	for _, p := range []string{note, filepath.Join(in, "failed", "export.csv")} {
		if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("%s: %v %v", p, fi.Mode(), err)
		}
	}
}

// TestHeaderSwallowedByQuoteIsNotQuoted: an unclosed quote in the header makes the whole file one cell; the
// error does not quote it.
func TestHeaderSwallowedByQuoteIsNotQuoted(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "q.csv", "\"complaint id,received at,narrative\nA1,2026-10-05,张三 13812345678 11010519491231002X\nA2,2026-10-06,6222021234567890128\n")
	res, err := IngestFiles(context.Background(), nil, Options{HMACKey: testKey, DryRun: true}, []string{p}, "")
	if err != nil || res[0].Err == nil {
		t.Fatalf("%v %+v", err, res)
	}
	assertNoPersonal(t, "error", res[0].Err.Error(), "A2", "2026-10-06")
}

// TestQuoteCell: scrubbed, one line, cut.
func TestQuoteCell(t *testing.T) {
	if got := quoteCell("联系 13812345678\n下一行"); got != `"联系 [手机号] 下一行"` {
		t.Fatal(got)
	}
	if got := quoteCell(strings.Repeat("长", 100)); got != `"`+strings.Repeat("长", maxQuotedRunes)+`…"` {
		t.Fatal(got)
	}
	if !looksLikeHeader([]string{"工单编号", "受理时间", "客户姓名"}) || looksLikeHeader([]string{"张三", "13812345678", "x"}) ||
		looksLikeHeader([]string{"A1", "2026-10-05", "100.50"}) {
		t.Fatal("looksLikeHeader")
	}
}

// TestPersonalIDColumnsLandKeyed: mobile numbers as complaint ids and ID numbers as referral references land
// keyed (never in clear), the same id in a re-export written differently gets the same key, an ordinary id lands
// as exported, and a profile can say not_personal (or personal).
func TestPersonalIDColumnsLandKeyed(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	a := writeFile(t, dir, "a.csv", "complaint id,received at,referral ref,narrative\n"+
		"13812345678,2026-10-05,11010519491231002X,text\n13912345678,2026-10-06,440301199001011234,text\nA-3,2026-10-06,R3,text\n")
	b := writeFile(t, dir, "b.csv", "complaint id,received at,narrative\n+86 138 1234 5678,2026-10-05,again\n13712345678,2026-10-07,x\n")
	w := openTestWarehouse(t)
	res, err := IngestFiles(ctx, w, testOptions(), []string{a, b}, "")
	if err != nil || res[0].Err != nil || res[1].Err != nil || res[0].Accepted != 3 {
		t.Fatalf("%v %+v", err, res)
	}
	ids := rowsOf(t, w, "SELECT source_id || ' ' || coalesce(referral_ref, '') FROM landed_rows ORDER BY batch_id, row_number")
	all := strings.Join(ids, "\n")
	assertNoPersonal(t, "landed ids", all, "13912345678", "440301199001011234", "13712345678")
	for i, id := range ids {
		if i == 2 {
			// a value that is no phone, ID or card number lands as exported, whatever its column holds: the
			// same id must land the same way in every export
			if id != "A-3 R3" {
				t.Fatalf("an ordinary id beside phone numbers: %q, want it as exported", id)
			}
			continue
		}
		if !strings.HasPrefix(id, keyedIDPrefix) {
			t.Fatalf("not keyed: %q", id)
		}
	}
	if first, again := strings.Fields(ids[0])[0], strings.Fields(ids[3])[0]; first != again {
		t.Fatalf("the same id keys differently: %s %s", first, again)
	}
	// A profile says the ids are not personal; another says they are.
	c := writeFile(t, dir, "c.csv", "complaint id,received at,narrative\n13812345678,2026-10-05,x\n")
	d := writeFile(t, dir, "d.csv", "complaint id,received at,narrative\nD1,2026-10-05,x\n")
	opts := testOptions()
	opts.Profiles = []Profile{{Name: "clear", Glob: "c.csv", NotPersonal: []string{"source_id"}}, {Name: "keyed", Glob: "d.csv", Personal: []string{"source_id"}}}
	opts.BaseDir = dir
	if res, err := IngestFiles(ctx, w, opts, []string{c, d}, ""); err != nil || res[0].Err != nil || res[1].Err != nil {
		t.Fatalf("%v %+v", err, res)
	}
	got := rowsOf(t, w, "SELECT source_system || ' ' || source_id FROM landed_rows WHERE source_system IN ('clear', 'keyed') ORDER BY 1")
	if len(got) != 2 || got[0] != "clear 13812345678" || got[1] != "keyed "+keyedID(testKey, "D1") {
		t.Fatalf("profiles: %v", got)
	}
}

// TestMissingColumnHintSkipsPersonal: the closest-match hint for a missing complaint id never proposes a
// column of phone numbers (it does propose the same header over plain ids).
func TestMissingColumnHintSkipsPersonal(t *testing.T) {
	dir := t.TempDir()
	hint := func(body string) error {
		p := writeFile(t, dir, "h.csv", "工单编码,受理时间,内容\n"+body)
		res, err := IngestFiles(context.Background(), nil, Options{HMACKey: testKey, DryRun: true}, []string{p}, "")
		if err != nil {
			t.Fatal(err)
		}
		return res[0].Err
	}
	if e := hint("W1,2026-10-05,x\nW2,2026-10-05,y\n"); e == nil || !strings.Contains(e.Error(), `closest ["工单编码"]`) {
		t.Fatalf("plain ids: %v", e)
	}
	if e := hint("13812345678,2026-10-05,x\n13912345678,2026-10-05,y\n"); e == nil || strings.Contains(e.Error(), "closest") {
		t.Fatalf("phones: %v", e)
	}
}

// TestFileNamesScrubbed: a phone, ID number or name in a file name reaches neither source_system nor
// file_path nor the log.
func TestFileNamesScrubbed(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	p := writeFile(t, dir, "投诉_13812345678_张三.csv", "complaint id,received at,narrative\nA1,2026-10-05,x\n")
	q := writeFile(t, dir, "张三-11010519491231002X.csv", "complaint id,received at,narrative\nB1,2026-10-05,x\n")
	var log bytes.Buffer
	opts := testOptions()
	opts.BaseDir = dir
	opts.Logger = slog.New(slog.NewJSONHandler(&log, nil))
	w := openTestWarehouse(t)
	res, err := IngestFiles(ctx, w, opts, []string{p, q}, "")
	if err != nil || res[0].Err != nil || res[1].Err != nil {
		t.Fatalf("%v %+v", err, res)
	}
	got := strings.Join(rowsOf(t, w, "SELECT DISTINCT b.source_system || ' ' || b.file_path || ' ' || l.source_system || ' ' || l.file_path FROM batches b JOIN landed_rows l USING (batch_id)"), "\n")
	assertNoPersonal(t, "batches", got)
	assertNoPersonal(t, "log", log.String())
	assertNoPersonal(t, "result", res[0].Path+res[1].Path)
	if !strings.Contains(got, "投诉_[手机号]_[姓名]") {
		t.Fatalf("source: %s", got)
	}

	// Through the inbox: a file that fails, and one that lands and is moved.
	in := filepath.Join(dir, "inbox")
	if err := os.MkdirAll(in, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, in, "投诉_13912345678_李四.csv", "no header here\n")
	writeFile(t, in, "客户_440301199001011234.csv", "complaint id,received at,narrative\nC1,2026-10-05,x\n")
	log.Reset()
	opts.InboxSettle = -1
	res, err = IngestInbox(ctx, w, opts, in)
	if err != nil || len(res) != 2 {
		t.Fatalf("%v %+v", err, res)
	}
	text := log.String() + res[0].Path + res[1].Path + fmt.Sprint(res[0].Err, res[1].Err)
	if b, err := os.ReadFile(filepath.Join(in, "failed", "投诉_13912345678_李四.csv.reason.txt")); err == nil {
		text += string(b)
	} else {
		t.Fatal(err)
	}
	assertNoPersonal(t, "inbox", text, "13912345678", "李四", "440301199001011234")
}

// A phone number used as a complaint id is keyed the same way whether its export's id column is mostly phone
// numbers or mostly ordinary ids: one complaint, never the phone in clear.
func TestPersonalIDKeyedWhateverTheColumn(t *testing.T) {
	dir := t.TempDir()
	a := writeFile(t, dir, "hotline_20261031.csv", "complaint id,received at,narrative\n13812345678,2026-10-05,x\n13912345678,2026-10-06,x\n13712345678,2026-10-07,x\n")
	b := writeFile(t, dir, "hotline_20261130.csv", "complaint id,received at,narrative\n13812345678,2026-10-05,y\nC1,2026-11-01,y\nC2,2026-11-02,y\nC3,2026-11-03,y\n")
	w := openTestWarehouse(t)
	res, err := IngestFiles(context.Background(), w, testOptions(), []string{a, b}, "")
	if err != nil || res[0].Err != nil || res[1].Err != nil {
		t.Fatalf("%v %+v", err, res)
	}
	ids := rowsOf(t, w, "SELECT DISTINCT source_id FROM landed_rows ORDER BY 1")
	assertNoPersonal(t, "landed ids", strings.Join(ids, "\n"), "13812345678")
	if len(ids) != 6 {
		t.Fatalf("%d distinct ids, want 6 (the phone of both exports is one): %v", len(ids), ids)
	}
}

// A data row of names and narrative (no personal digits left to scrub) is not a header: nothing of it is quoted.
func TestDataRowWithoutDigitsIsNotQuoted(t *testing.T) {
	if looksLikeHeader([]string{"C001", "张三", "138****5678", "2026-10-05", "信用卡年费"}) {
		t.Fatal("a data row with a name and a narrative looks like a header")
	}
	if !looksLikeHeader([]string{"Ticket", "Opened", "投诉内容"}) {
		t.Fatal("a header with one known column name is not quoted")
	}
}

// A source named after a file name that holds personal data is a keyed name: never in clear, and two files
// named after two customers stay two sources.
func TestSourceFromPersonalFileName(t *testing.T) {
	a, b := sourceFromName("/x/13812345678_20261031.csv", testKey), sourceFromName("/x/13912345678_20261031.csv", testKey)
	if a == b || !strings.HasPrefix(a, "file-") || strings.Contains(a+b, "138") {
		t.Fatalf("phone file names: %q %q", a, b)
	}
	if s := sourceFromName("/x/张三_20261031.csv", testKey); !strings.HasPrefix(s, "file-") {
		t.Fatalf("a name as the file name: %q", s)
	}
	if s := sourceFromName("/x/hotline_20261031.csv", testKey); s != "hotline" {
		t.Fatalf("an ordinary file name: %q", s)
	}
}

// A warehouse that holds hashed data but no key fingerprint (built by a version before fingerprints) is refused
// until the user says the key is the one it was built with (AdoptKey); from then on another key is refused.
func TestKeyOfAnOlderWarehouseIsAdoptedOnlyWhenSaid(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	w := openTestWarehouse(t)
	a := writeFile(t, dir, "a.csv", "complaint id,received at,customer phone,narrative\nA1,2026-10-05,13812345678,x\n")
	b := writeFile(t, dir, "b.csv", "complaint id,received at,customer phone,narrative\nB1,2026-10-06,13912345678,y\n")
	if res, err := IngestFiles(ctx, w, testOptions(), []string{a}, ""); err != nil || res[0].Err != nil {
		t.Fatalf("%v %+v", err, res)
	}
	if _, err := w.DB.Exec("DELETE FROM warehouse_meta"); err != nil { // as an older version left it
		t.Fatal(err)
	}
	opts := testOptions()
	opts.HMACKey = []byte("another key")
	if _, err := IngestFiles(ctx, w, opts, []string{b}, ""); !catalog.HasKey(err, "msg_privacy_key_unknown") {
		t.Fatalf("no fingerprint, hashed data, no adopt: %v", err)
	}
	opts = testOptions()
	opts.AdoptKey = true
	if res, err := IngestFiles(ctx, w, opts, []string{b}, ""); err != nil || res[0].Err != nil {
		t.Fatalf("adopt: %v %+v", err, res)
	}
	opts = testOptions()
	opts.HMACKey = []byte("another key")
	if _, err := IngestFiles(ctx, w, opts, []string{b}, ""); !catalog.HasKey(err, "msg_privacy_key_differs") {
		t.Fatalf("after adopting, another key: %v", err)
	}
}
