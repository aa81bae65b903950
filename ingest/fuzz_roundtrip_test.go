package ingest

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"io"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzCSVRoundTrip: records written as valid CSV by encoding/csv (quotes, doubled quotes, delimiters, line breaks
// and CRs inside fields) are read back by csvParser exactly: as many records as were written (an independent
// count), every field equal. The rules for broken quoting must never fire on a well-formed file.
func FuzzCSVRoundTrip(f *testing.F) {
	f.Add("A1", "2026-10-05", "text", uint8(3), false)
	f.Add("A\"1", "a,b", "line one\nline two", uint8(5), true)
	f.Add("x", "\"quoted\"", "ends with quote\"", uint8(40), false)
	f.Add("", "", "a\r\nb", uint8(2), true)
	f.Add("id", "multi\nline\nfield\nwith\nmany\nlines", "x\"y", uint8(7), false)
	f.Fuzz(func(t *testing.T, a, b, c string, n uint8, crlf bool) {
		if !utf8.ValidString(a + b + c) {
			return
		}
		// a lone CR inside a field is a line end to the reader (old Mac files); keep CRs out of the fields
		a, b, c = strings.ReplaceAll(a, "\r", ""), strings.ReplaceAll(b, "\r", ""), strings.ReplaceAll(c, "\r", "")
		records := [][]string{{"h1", "h2", "h3"}}
		for i := 0; i < int(n%50)+1; i++ {
			r := []string{a, b, c}
			r[i%3] += strings.Repeat("x", i%4) // vary the records a little
			if r[0] == "" && r[1] == "" && r[2] == "" {
				r[0] = "id" // a blank line is no record
			}
			records = append(records, r)
		}
		var buf bytes.Buffer
		wr := csv.NewWriter(&buf)
		wr.UseCRLF = crlf
		if err := wr.WriteAll(records); err != nil {
			t.Fatal(err)
		}
		lines := 0
		for _, r := range records {
			for _, fld := range r {
				lines += strings.Count(fld, "\n")
			}
		}
		p := &csvParser{r: bufio.NewReader(&buf), delim: ',', maxLines: lines + 2, maxCols: 1000, maxCell: 1 << 20, want: 3}
		var got [][]string
		for {
			row, err := p.record()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("read: %v", err)
			}
			if row.Issue != nil || row.Problem != "" {
				t.Fatalf("record %d of a well-formed file rejected: %v %s\n%q", len(got)+1, row.Issue, row.Problem, buf.String())
			}
			got = append(got, row.Fields)
		}
		if len(got) != len(records) {
			t.Fatalf("read %d records, wrote %d\n%q", len(got), len(records), buf.String())
		}
		for i := range records {
			for j := range records[i] {
				if j >= len(got[i]) || got[i][j] != records[i][j] {
					t.Fatalf("record %d: got %q, want %q", i+1, got[i], records[i])
				}
			}
		}
	})
}
