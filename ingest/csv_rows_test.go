package ingest

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"golang.org/x/text/encoding/simplifiedchinese"

	"complaints/catalog"
)

// csvFile writes b as a file named name in a fresh folder.
func csvFile(t *testing.T, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// dryRun reads and maps one file (nothing lands) with profile p (nil: none) and limits.
func dryRun(t *testing.T, path string, p *Profile, lim Limits) FileResult {
	t.Helper()
	opts := testOptions()
	opts.DryRun, opts.Limits, opts.MaxRejectRate = true, lim, 1
	name := ""
	if p != nil {
		if p.Name == "" {
			p.Name = "t"
		}
		opts.Profiles = []Profile{*p}
		name = p.Name
	}
	res, err := IngestFiles(context.Background(), nil, opts, []string{path}, name)
	if err != nil {
		t.Fatal(err)
	}
	r := res[0]
	if r.Err == nil && r.Read != r.Accepted+r.Rejected {
		t.Errorf("read %d != accepted %d + rejected %d", r.Read, r.Accepted, r.Rejected)
	}
	return r
}

func wantCounts(t *testing.T, r FileResult, read, accepted, rejected int) {
	t.Helper()
	if r.Err != nil {
		t.Fatalf("error: %v", r.Err)
	}
	if r.Read != read || r.Accepted != accepted || r.Rejected != rejected {
		t.Errorf("read/accepted/rejected = %d/%d/%d, want %d/%d/%d (rejects %+v)", r.Read, r.Accepted, r.Rejected, read, accepted, rejected, r.Rejects)
	}
}

func wantRejectKey(t *testing.T, r FileResult, row int, key string) {
	t.Helper()
	for _, rj := range r.Rejects {
		if rj.Row == row && rj.Key == key {
			return
		}
	}
	t.Errorf("no reject of row %d with key %s (have %+v)", row, key, r.Rejects)
}

// qCSV is the reproduction: 100 records, record 50 (line 51) opens a quote it never closes.
func qCSV(eol string) []byte {
	var b bytes.Buffer
	b.WriteString("complaint id,received at,narrative" + eol)
	for i := 1; i <= 100; i++ {
		if i == 50 {
			fmt.Fprintf(&b, "A%d,2026-10-05,\"open%s", i, eol)
		} else {
			fmt.Fprintf(&b, "A%d,2026-10-05,text%s", i, eol)
		}
	}
	return b.Bytes()
}

func TestCSVUnclosedQuoteMidFileRejectsOnlyItsRecord(t *testing.T) {
	r := dryRun(t, csvFile(t, "q.csv", qCSV("\n")), nil, Limits{})
	wantCounts(t, r, 100, 99, 1)
	wantRejectKey(t, r, 51, "msg_csv_unclosed_quote")
}

// A quote that seems to close after a line break but is followed by more text was not a closing quote.
func TestCSVQuoteClosedBadlyAfterLineBreak(t *testing.T) {
	in := "complaint id,received at,narrative\nA1,2026-10-05,\"open\nA2,2026-10-05,x\nA3,2026-10-05,\"closed\"here\nA4,2026-10-05,y\n"
	r := dryRun(t, csvFile(t, "b.csv", []byte(in)), nil, Limits{})
	wantCounts(t, r, 4, 3, 1)
	wantRejectKey(t, r, 2, "msg_csv_unclosed_quote")
}

// A quote closed lines later but giving the record another width took records in: they are read again.
func TestCSVQuoteClosedWithWrongWidth(t *testing.T) {
	var b strings.Builder
	b.WriteString("complaint id,received at,narrative\n")
	for i := 1; i <= 20; i++ {
		switch i {
		case 5:
			b.WriteString("A5,2026-10-05,\"open\n")
		case 9:
			b.WriteString("A9,2026-10-05,x\",y\n")
		default:
			fmt.Fprintf(&b, "A%d,2026-10-05,text\n", i)
		}
	}
	r := dryRun(t, csvFile(t, "w.csv", []byte(b.String())), nil, Limits{})
	// A5 rejected; A6..A8 read again; A9 (x",y: 4 fields) rejected for its width.
	wantCounts(t, r, 20, 18, 2)
	wantRejectKey(t, r, 6, "msg_csv_unclosed_quote")
	wantRejectKey(t, r, 10, "msg_csv_field_count")
}

// The last record cut off inside a quoted narrative of several lines is one reject, not one per line.
func TestCSVLastRecordCutOff(t *testing.T) {
	in := "complaint id,received at,narrative\nA1,2026-10-05,ok\nA2,2026-10-05,\"first line\nsecond line\nthird, with a comma"
	r := dryRun(t, csvFile(t, "cut.csv", []byte(in)), nil, Limits{})
	wantCounts(t, r, 2, 1, 1)
	wantRejectKey(t, r, 3, "msg_csv_cut_off")
}

// A quoted field of more lines than MaxFieldLines counts as unclosed; within the limit it is one field.
func TestCSVFieldLinesLimit(t *testing.T) {
	var b strings.Builder
	b.WriteString("complaint id,received at,narrative\nA1,2026-10-05,\"l1\n")
	for i := 2; i <= 6; i++ {
		fmt.Fprintf(&b, "l%d\n", i)
	}
	b.WriteString("l7\"\nA2,2026-10-05,after\n")
	path := csvFile(t, "lines.csv", []byte(b.String()))
	// 7 lines > 5: A1 rejected; the 6 lines after its first are read as records again (l2..l6 have 1 field,
	// l7" has 1 field): 6 rejects of their own, and A2.
	r := dryRun(t, path, nil, Limits{MaxFieldLines: 5})
	wantCounts(t, r, 8, 1, 7)
	wantRejectKey(t, r, 2, "msg_csv_field_lines")
	r = dryRun(t, path, nil, Limits{MaxFieldLines: 7})
	wantCounts(t, r, 2, 2, 0)
}

func TestCSVLineEnds(t *testing.T) {
	for name, eol := range map[string]string{"cr": "\r", "crlf": "\r\n", "lf": "\n"} {
		t.Run(name, func(t *testing.T) {
			r := dryRun(t, csvFile(t, name+".csv", qCSV(eol)), nil, Limits{})
			wantCounts(t, r, 100, 99, 1)
		})
	}
	// Mixed CRLF and LF, a quoted field with a CRLF inside, a CR-only file with a quoted line break.
	mixed := "complaint id,received at,narrative\r\nA1,2026-10-05,x\nA2,2026-10-05,\"a\r\nb\"\r\nA3,2026-10-05,y\n"
	r := dryRun(t, csvFile(t, "mixed.csv", []byte(mixed)), nil, Limits{})
	wantCounts(t, r, 3, 3, 0)
	cr := "complaint id,received at,narrative\rA1,2026-10-05,\"a\rb\"\rA2,2026-10-05,y"
	r = dryRun(t, csvFile(t, "cr2.csv", []byte(cr)), nil, Limits{})
	wantCounts(t, r, 2, 2, 0)
}

// genCSV writes n records (after a header) with quoted fields, doubled quotes, embedded line breaks (within
// maxLines lines), empty fields and mixed line ends; the record count is n by construction.
func genCSV(rng *rand.Rand, n, maxLines int) []byte {
	var b bytes.Buffer
	eol := func() string {
		if rng.IntN(3) == 0 {
			return "\r\n"
		}
		return "\n"
	}
	b.WriteString("complaint id,received at,narrative,branch" + eol())
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "G%d,2026-10-%02d,", i, 1+rng.IntN(28))
		switch rng.IntN(5) {
		case 0:
			b.WriteString(`"said ""hi"", then left"`)
		case 1:
			b.WriteString(`"`)
			for l := 0; l < rng.IntN(maxLines); l++ {
				fmt.Fprintf(&b, "line %d, more%s", l, eol())
			}
			b.WriteString(`end"`)
		case 2:
			b.WriteString("")
		default:
			b.WriteString("plain text 投诉")
		}
		b.WriteString(",")
		if rng.IntN(4) == 0 {
			b.WriteString(`"支行, 一"`)
		} else {
			b.WriteString("支行")
		}
		b.WriteString(eol())
		if rng.IntN(20) == 0 {
			b.WriteString(eol()) // a blank line is not a record
		}
	}
	return b.Bytes()
}

// csvRecords counts records with encoding/csv (LazyQuotes), header included.
func csvRecords(t *testing.T, b []byte) int {
	t.Helper()
	cr := csv.NewReader(bytes.NewReader(b))
	cr.LazyQuotes, cr.FieldsPerRecord = true, -1
	n := 0
	for {
		_, err := cr.Read()
		if err == io.EOF {
			return n
		}
		if err != nil {
			t.Fatalf("encoding/csv: %v", err)
		}
		n++
	}
}

// read counts the records the file holds: by construction and by encoding/csv, on generated well-formed files.
func TestCSVReadCountsEveryRecord(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 1))
	for k := range 6 {
		n := 50 + rng.IntN(400)
		b := genCSV(rng, n, 8)
		if got := csvRecords(t, b) - 1; got != n {
			t.Fatalf("generator: encoding/csv counts %d records, built %d", got, n)
		}
		r := dryRun(t, csvFile(t, fmt.Sprintf("g%d.csv", k), b), nil, Limits{MaxFieldLines: 10})
		wantCounts(t, r, n, n, 0)
	}
}

// gbBytes is s in GB18030.
func gbBytes(t *testing.T, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// chineseCSV is a UTF-8 CSV of n rows with Chinese branches and narratives.
func chineseCSV(n int) string {
	var b strings.Builder
	b.WriteString("工单编号,受理时间,网点,投诉内容\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "C%d,2026-10-05,广州天河支行,客户反映信用卡年费问题%d\n", i, i)
	}
	return b.String()
}

// One stray byte in a UTF-8 file (a character cut in half) does not switch the file to GB18030: that row's
// branch gets U+FFFD and the row is flagged; every other row's Chinese lands unchanged.
func TestStrayByteKeepsUTF8(t *testing.T) {
	s := chineseCSV(40)
	cut := strings.Replace(s, "C7,2026-10-05,广州天河支行", "C7,2026-10-05,广州天\xe6\xb2支行", 1)
	path := csvFile(t, "stray.csv", []byte(cut))
	w := openTestWarehouse(t)
	res, err := IngestFiles(context.Background(), w, testOptions(), []string{path}, "")
	if err != nil || res[0].Err != nil {
		t.Fatal(err, res[0].Err)
	}
	r := res[0]
	if r.Encoding != "utf-8" || !r.EncodingGuessed || r.Flagged != 1 || r.Accepted != 40 {
		t.Fatalf("encoding %q guessed %v flagged %d accepted %d", r.Encoding, r.EncodingGuessed, r.Flagged, r.Accepted)
	}
	rows := landedRows(t, w.DB, r.BatchID)
	if got := rows[8]["branch"]; got != "广州天\uFFFD支行" {
		t.Errorf("row 8 branch %q", got)
	}
	if got := rows[3]["branch"]; got != "广州天河支行" {
		t.Errorf("row 3 branch %q", got)
	}
	var flags string
	if err := w.DB.QueryRow("SELECT string_agg(row_number || '=' || row_flags, ';') FROM landed_rows WHERE row_flags IS NOT NULL").Scan(&flags); err != nil {
		t.Fatal(err)
	}
	if flags != "8=invalid_text:branch" {
		t.Errorf("row flags %q", flags)
	}
}

// Invalid bytes in the id or the receipt date make the row a reject with its own reason.
func TestInvalidBytesInIDOrDateReject(t *testing.T) {
	s := chineseCSV(30)
	s = strings.Replace(s, "C3,", "C\xff3,", 1)
	s = strings.Replace(s, "C5,2026-10-05", "C5,2026-10\xfe-05", 1)
	r := dryRun(t, csvFile(t, "iddate.csv", []byte(s)), nil, Limits{})
	wantCounts(t, r, 30, 28, 2)
	wantRejectKey(t, r, 4, "msg_csv_invalid_text_id")
	wantRejectKey(t, r, 6, "msg_csv_invalid_text_received")
}

// A file whose bytes are mostly not text in the profile's encoding is refused whole, naming the encoding that
// reads it; a GB18030 file is read as GB18030 (guessed) when no profile says.
func TestWrongEncodingRefused(t *testing.T) {
	gb := csvFile(t, "gb.csv", gbBytes(t, chineseCSV(20)))
	r := dryRun(t, gb, &Profile{Encoding: "utf-8"}, Limits{})
	if !catalog.HasKey(r.Err, "msg_csv_wrong_encoding") {
		t.Errorf("GB18030 under utf-8: %v", r.Err)
	}
	r = dryRun(t, gb, nil, Limits{})
	wantCounts(t, r, 20, 20, 0)
	if r.Encoding != "gb18030" || !r.EncodingGuessed {
		t.Errorf("encoding %q guessed %v", r.Encoding, r.EncodingGuessed)
	}
	u := csvFile(t, "u.csv", []byte(chineseCSV(20)))
	r = dryRun(t, u, &Profile{Encoding: "gb18030"}, Limits{})
	if !catalog.HasKey(r.Err, "msg_csv_wrong_encoding") {
		t.Errorf("UTF-8 under gb18030: %v", r.Err)
	}
	r = dryRun(t, u, nil, Limits{})
	if r.EncodingGuessed || r.Encoding != "utf-8" {
		t.Errorf("valid UTF-8: encoding %q guessed %v", r.Encoding, r.EncodingGuessed)
	}
	// Random bytes and NULs: text in no encoding.
	rng := rand.New(rand.NewPCG(1, 2))
	bin := make([]byte, 4096)
	for i := range bin {
		bin[i] = byte(rng.IntN(256))
	}
	r = dryRun(t, csvFile(t, "bin.csv", append([]byte("complaint id,received at\n"), bin...)), nil, Limits{})
	if !catalog.HasKey(r.Err, "msg_csv_not_text") {
		t.Errorf("binary: %v", r.Err)
	}
}

// detectEncoding weighs the whole file: the stray byte, a mostly-ASCII GB18030 file, a tie.
func TestDetectEncodingWeighs(t *testing.T) {
	stats := func(b []byte) textStats {
		var st textStats
		c := textCounter{st: &st}
		c.feed(b, true)
		return st
	}
	for _, c := range []struct {
		name string
		b    []byte
		want string
	}{
		{"utf-8 with a cut character", []byte(strings.Repeat("广州天河支行,", 50) + "\xe6\xb2\n"), "utf-8"},
		{"gb18030", gbBytes(t, strings.Repeat("广州天河支行,", 50)), "gb18030"},
		{"ascii with one gb18030 word", append([]byte(strings.Repeat("abc,def\n", 50)), gbBytes(t, "支行")...), "gb18030"},
		{"ascii with one 0xFF", []byte(strings.Repeat("abc,def\n", 50) + "\xff"), "utf-8"},
	} {
		if got, guessed := detectEncoding(c.b[:min(len(c.b), 8192)], false, stats(c.b)); got != c.want || !guessed {
			t.Errorf("%s: %q (guessed %v), want %q", c.name, got, guessed, c.want)
		}
	}
}

// scanFile's counts agree with one pass over the whole file, across its 256 KiB chunks.
func TestScanFileCountsText(t *testing.T) {
	s := strings.Repeat("工单编号,受理时间,网点\n", 30000) // > 256 KiB
	b := []byte(s + "\xe6\xb2," + s)
	ff, err := scanFile(csvFile(t, "big.csv", b), DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	per := int64(strings.Count(s, "") - 1 - strings.Count(s, ",") - strings.Count(s, "\n"))
	if ff.UTF8 || ff.Text.UTF8Chars != 2*per || ff.Text.UTF8Bad != 2 || ff.Text.GBBad == 0 {
		t.Errorf("utf8 %v, %+v (want %d chars, 2 bad)", ff.UTF8, ff.Text, 2*per)
	}
}

// A valid UTF-8 file whose characters straddle scanFile's 256 KiB chunks at every split (1|2, 2|1 of a 3-byte
// character, 1|3, 2|2, 3|1 of a 4-byte one) is valid, with every character counted once.
func TestScanFileCharactersAcrossChunks(t *testing.T) {
	const chunk = 256 << 10
	var b []byte
	chars := int64(0)
	for i, c := range []struct {
		r      string
		before int
	}{{"工", 1}, {"工", 2}, {"😀", 1}, {"😀", 2}, {"😀", 3}} {
		edge := (i + 1) * chunk
		pad := edge - c.before - len(b)
		b = append(b, bytes.Repeat([]byte{'a'}, pad)...)
		b = append(b, c.r...)
		chars++
	}
	b = append(b, '\n')
	ff, err := scanFile(csvFile(t, "edges.csv", b), DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if !ff.UTF8 || ff.Text.UTF8Chars != chars || ff.Size != int64(len(b)) {
		t.Errorf("utf8 %v, %d characters counted (want %d), size %d of %d", ff.UTF8, ff.Text.UTF8Chars, chars, ff.Size, len(b))
	}
}

// The mapping step makes every reader's text valid UTF-8 (readers other than CSV do not vouch for it): an
// invalid field is replaced by U+FFFD and the row flagged.
func TestMappingFixesInvalidUTF8FromAnyReader(t *testing.T) {
	rows := []rawRow{
		{Num: 2, Fields: []string{"X1", "2026-10-05", "ok 支行", "fine"}},
		{Num: 3, Fields: []string{"X2", "2026-10-05", "bad \xe6\xb2", "also \xff bad"}},
		{Num: 4, Fields: []string{"X3", "2026-10-05", "nul\x00 is text here", "\uFFFD kept"}},
	}
	tb := &table{Format: "json", Header: []string{"complaint id", "received at", "branch", "narrative"}}
	tb.next = func() (rawRow, error) {
		if len(rows) == 0 {
			return rawRow{}, io.EOF
		}
		r := rows[0]
		rows = rows[1:]
		return r, nil
	}
	m, err := newMapper("x.json", tb, nil, testKey)
	if err != nil {
		t.Fatal(err)
	}
	var got []map[string]string
	st, err := m.mapTable(context.Background(), func(rec arrow.RecordBatch) error {
		for r := 0; r < int(rec.NumRows()); r++ {
			row := map[string]string{}
			for i, c := range landingColumns {
				if col := rec.Column(i + 1).(*array.String); !col.IsNull(r) {
					row[c] = col.Value(r)
				}
			}
			got = append(got, row)
		}
		return nil
	}, func(Reject) error { return nil })
	if err != nil || st.Accepted != 3 || st.Flagged != 1 {
		t.Fatalf("%+v %v", st, err)
	}
	if g := got[1]; g["branch"] != "bad \uFFFD" || g["narrative"] != "also \uFFFD bad" || g["row_flags"] != "invalid_text:branch,narrative" {
		t.Errorf("row 3: %q", g)
	}
	for _, i := range []int{0, 2} {
		if f, ok := got[i]["row_flags"]; ok {
			t.Errorf("row %d flagged %q", i, f)
		}
	}
}

// Counting a stream in pieces gives the counts of the whole (sequences split between chunks).
func TestTextCounterSplits(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	parts := [][]byte{[]byte("广州"), gbBytes(t, "天河"), {0xff}, {0xe6, 0xb2}, []byte("ab,"), {0x81, 0x30, 0x81, 0x30}, {0}}
	for range 200 {
		var b []byte
		for range rng.IntN(40) {
			b = append(b, parts[rng.IntN(len(parts))]...)
		}
		var whole, split textStats
		(&textCounter{st: &whole}).feed(b, true)
		c := &textCounter{st: &split}
		for rest := b; ; {
			k := min(len(rest), rng.IntN(6))
			c.feed(rest[:k], false)
			rest = rest[k:]
			if len(rest) == 0 {
				break
			}
		}
		c.feed(nil, true)
		if whole != split {
			t.Fatalf("%q: whole %+v, in pieces %+v", b, whole, split)
		}
	}
}

// On the repository's well-formed CSVs, read equals encoding/csv's count of non-blank records after the header.
func TestCSVReadAgreesWithEncodingCSV(t *testing.T) {
	for _, path := range []string{
		"testdata/csv_embedded_newlines/multi.csv", "testdata/csv_semicolon/semi.csv", "testdata/csv_utf16/export_utf16.txt",
		"../sample-data/exports/hotline_20261020.csv", "../sample-data/exports/hotline_20261105.csv",
		"../sample-data/exports/letters_comment_box.csv",
	} {
		t.Run(filepath.Base(filepath.Dir(path))+"/"+filepath.Base(path), func(t *testing.T) {
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			r := dryRun(t, path, nil, Limits{})
			if r.Err != nil {
				t.Fatal(r.Err)
			}
			ff, _ := scanFile(path, DefaultLimits)
			enc, _ := detectEncoding(ff.Head, ff.UTF8, ff.Text)
			dr, _, err := decodeReader(bytes.NewReader(b), enc)
			if err != nil {
				t.Fatal(err)
			}
			cr := csv.NewReader(dr)
			cr.LazyQuotes, cr.FieldsPerRecord = true, -1
			if strings.HasSuffix(path, "semi.csv") {
				cr.Comma = ';'
			}
			n, header := 0, false
			for {
				rec, err := cr.Read()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				if isEmptyRow(rec) {
					continue
				}
				if !header { // the header (these files have no title rows)
					header = true
					continue
				}
				n++
			}
			if r.Read != n {
				t.Errorf("read %d, encoding/csv counts %d records", r.Read, n)
			}
		})
	}
}

// A file name with bytes that are not UTF-8 lands as valid text (file_path, source_system).
func TestInvalidFileNameLandsAsText(t *testing.T) {
	path := csvFile(t, "hot\xffline_20261031.csv", []byte(chineseCSV(3)))
	w := openTestWarehouse(t)
	res, err := IngestFiles(context.Background(), w, testOptions(), []string{path}, "")
	if err != nil || res[0].Err != nil {
		t.Fatal(err, res[0].Err)
	}
	var fp, src string
	if err := w.DB.QueryRow("SELECT file_path, source_system FROM batches").Scan(&fp, &src); err != nil {
		t.Fatal(err)
	}
	if !utf8.ValidString(fp) || !utf8.ValidString(src) || !strings.Contains(fp, "hot\uFFFDline") {
		t.Errorf("file_path %q, source %q", fp, src)
	}
}

// `sources check` says a guessed encoding too.
func TestCheckSaysGuessedEncoding(t *testing.T) {
	rep, err := Check(context.Background(), csvFile(t, "gb.csv", gbBytes(t, chineseCSV(5))), nil, testOptions())
	if err != nil || rep.Encoding != "gb18030" || !rep.EncodingGuessed {
		t.Fatalf("%v: encoding %q guessed %v", err, rep.Encoding, rep.EncodingGuessed)
	}
}

// A stray byte in a GB18030 file: still GB18030, the decoder's U+FFFD flags the row.
func TestStrayByteInGB18030(t *testing.T) {
	b := gbBytes(t, chineseCSV(20))
	b = bytes.Replace(b, gbBytes(t, "问题4\n"), append(gbBytes(t, "问题4"), 0xFF, '\n'), 1)
	r := dryRun(t, csvFile(t, "gbstray.csv", b), nil, Limits{})
	wantCounts(t, r, 20, 20, 0)
	if r.Encoding != "gb18030" || r.Flagged != 1 {
		t.Errorf("encoding %q flagged %d", r.Encoding, r.Flagged)
	}
}

// An unclosed quote in the header does not make the whole file one header cell (which landed 0 rows): the
// file is refused for want of a header.
func TestCSVUnclosedQuoteInHeader(t *testing.T) {
	in := "complaint id,received at,\"narrative\nA1,2026-10-05,text\nA2,2026-10-05,text\n"
	r := dryRun(t, csvFile(t, "h.csv", []byte(in)), nil, Limits{})
	if r.Err == nil {
		t.Fatalf("landed %d/%d/%d", r.Read, r.Accepted, r.Rejected)
	}
}

// A ragged row (one field short) before an unclosed quote or a multi-line record must not set the width a whole
// record has: the header does. Counts are by construction (records written), checked against the summary.
func TestCSVRaggedRowDoesNotSetRecordWidth(t *testing.T) {
	var lost strings.Builder
	lost.WriteString("complaint id,received at,narrative\n")
	for i := 1; i <= 60; i++ {
		switch i {
		case 48:
			fmt.Fprintf(&lost, "A%d,2026-10-05\n", i) // one field short
		case 49:
			fmt.Fprintf(&lost, "A%d,2026-10-05,\"open\n", i) // never closed
		default:
			fmt.Fprintf(&lost, "A%d,2026-10-05,text\n", i)
		}
	}
	var split strings.Builder
	split.WriteString("complaint id,received at,narrative\n")
	for i := 1; i <= 18; i++ {
		fmt.Fprintf(&split, "A%d,2026-10-05,text\n", i)
	}
	split.WriteString("A19,2026-10-05\nA20,2026-10-05,\"first line\nsecond line\"\n")
	for _, c := range []struct {
		name                     string
		body                     string
		read, accepted, rejected int
	}{
		{"lost.csv", lost.String(), 60, 58, 2},
		{"split.csv", split.String(), 20, 19, 1},
	} {
		w := openTestWarehouse(t)
		res, err := IngestFiles(context.Background(), w, testOptions(), []string{csvFile(t, c.name, []byte(c.body))}, "")
		if err != nil || res[0].Err != nil {
			t.Fatalf("%s: %v %v", c.name, err, res[0].Err)
		}
		if r := res[0]; r.Read != c.read || r.Accepted != c.accepted || r.Rejected != c.rejected {
			t.Errorf("%s: read %d = %d + %d, want %d = %d + %d", c.name, r.Read, r.Accepted, r.Rejected, c.read, c.accepted, c.rejected)
		}
	}
}

// A record rejected for an unclosed quote keeps its id, so a full snapshot does not list it as missing.
func TestCSVUnclosedQuoteKeepsID(t *testing.T) {
	w := openTestWarehouse(t)
	dir := t.TempDir()
	opts := testOptions()
	opts.Profiles = []Profile{{Name: "crm", Glob: "crm_*.csv", Snapshot: "full"}}
	opts.BaseDir = dir
	var a, b strings.Builder
	a.WriteString("工单编号,受理时间,投诉内容\n")
	b.WriteString("工单编号,受理时间,投诉内容\n")
	for i := 1; i <= 10; i++ {
		fmt.Fprintf(&a, "Q%d,2026-10-05,正常\n", i)
		if i == 5 {
			fmt.Fprintf(&b, "Q%d,2026-10-05,\"未闭合\n", i)
		} else {
			fmt.Fprintf(&b, "Q%d,2026-10-05,正常\n", i)
		}
	}
	pa := writeFile(t, dir, "crm_20261020.csv", a.String())
	pb := writeFile(t, dir, "crm_20261031.csv", b.String())
	res, err := IngestFiles(context.Background(), w, opts, []string{pa, pb}, "")
	if err != nil || res[0].Err != nil || res[1].Err != nil {
		t.Fatalf("%v %+v", err, res)
	}
	if r := res[1]; r.Read != 10 || r.Rejected != 1 || r.MissingFromSnapshot != 0 {
		t.Fatalf("second export: read %d rejected %d missing %d, want 10, 1, 0", r.Read, r.Rejected, r.MissingFromSnapshot)
	}
}
