package ingest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// fuzzEncodings are the profile encodings FuzzCSVRead tries ("" = detected).
var fuzzEncodings = []string{"", "utf-8", "gb18030", "utf-16le", "utf-8-bom"}

// FuzzCSVRead sends arbitrary bytes, under an encoding choice, through encoding detection, decoding, the CSV
// reader and the mapping step. Properties: no panic, read = accepted + rejected, every landed string valid UTF-8.
// Seeds: testdata/fuzz/FuzzCSVRead (run as ordinary tests).
func FuzzCSVRead(f *testing.F) {
	f.Add([]byte("complaint id,received at,narrative\nA1,2026-10-05,\"open\nA2,2026-10-05,text\n"), uint8(0))
	f.Add([]byte("complaint id,received at,narrative\rA1,2026-10-05,x\rA2,2026-10-05,\"a\rb\"\r"), uint8(0))
	f.Add([]byte("工单编号,受理时间,网点\nC1,2026-10-05,广州天\xe6\xb2支行\n"), uint8(1))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte, enc uint8) {
		path := filepath.Join(dir, "f.csv")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		var p *Profile
		if e := fuzzEncodings[int(enc)%len(fuzzEncodings)]; e != "" {
			p = &Profile{Name: "fuzz", Format: "csv", Encoding: e}
		} else {
			p = &Profile{Name: "fuzz", Format: "csv"}
		}
		o, err := openFile(context.Background(), path, "f.csv", p, testKey, Limits{MaxFieldLines: 4}, nil, nil)
		if err != nil {
			return // refused: no header, missing columns, wrong encoding ...
		}
		defer o.table.Close()
		accepted := 0
		st, err := o.mapper.mapTable(context.Background(), func(rec arrow.RecordBatch) error {
			accepted += int(rec.NumRows())
			for c := 1; c < int(rec.NumCols()); c++ {
				col := rec.Column(c).(*array.String)
				for r := 0; r < col.Len(); r++ {
					if !col.IsNull(r) && !utf8.ValidString(col.Value(r)) {
						return errors.New("invalid UTF-8 in " + landingColumns[c-1] + ": " + col.Value(r))
					}
				}
			}
			return nil
		}, func(r Reject) error {
			if !utf8.ValidString(r.RawValue) || !utf8.ValidString(r.Column) {
				return errors.New("reject with invalid UTF-8")
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if st.Read != st.Accepted+st.Rejected || st.Accepted != accepted {
			t.Fatalf("read %d, accepted %d (%d landed), rejected %d", st.Read, st.Accepted, accepted, st.Rejected)
		}
	})
}
