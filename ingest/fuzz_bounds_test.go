package ingest

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"
)

// fuzzLimits are small bounds, so that whatever the fuzzer builds stays within a few MB of memory.
var fuzzLimits = Limits{MaxFileBytes: 1 << 20, MaxPartBytes: 1 << 20, MaxPartRatio: 100, MaxRows: 10_000, MaxMergeCells: 10_000,
	MaxCellBytes: 64 << 10, MaxColumns: 200, MaxJSONDepth: 16, MaxFieldLines: 50}.WithDefaults()

// readAllRows reads every row of t, checking what every reader promises: rows within the bounds, row numbers
// increasing (XLSX, NDJSON), and an error or io.EOF at the end (no panic, no endless stream).
func readAllRows(t *testing.T, tb *table, increasing bool) {
	defer tb.Close()
	if err := guardRows(tb, fuzzLimits); err != nil {
		return
	}
	prev := 0
	for n := 0; ; n++ {
		r, err := tb.Next()
		if err != nil {
			return
		}
		if n > fuzzLimits.MaxRows || len(r.Fields) > fuzzLimits.MaxColumns {
			t.Fatalf("row %d (%d fields) past the bounds", r.Num, len(r.Fields))
		}
		if increasing && r.Num <= prev {
			t.Fatalf("row number %d after %d", r.Num, prev)
		}
		prev = r.Num
	}
}

func fuzzInput(t *testing.T, name string, data []byte) *input {
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return &input{Path: p, Name: name, Size: int64(len(data)), Head: data[:min(len(data), 8192)], UTF8: utf8.Valid(data), Limits: fuzzLimits}
}

// FuzzXLSXRead feeds arbitrary bytes to the XLSX reader as a workbook. Seeds: testdata/fuzz/FuzzXLSXRead.
func FuzzXLSXRead(f *testing.F) {
	for _, name := range []string{"xlsx_row_2000000000.xlsx", "xlsx_merged_id_cell.xlsx", "xlsx_hidden_sheet_first.xlsx"} {
		f.Add(limitsCorpus()[name])
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tb, err := openXLSX(context.Background(), fuzzInput(t, "f.xlsx", data))
		if err != nil {
			return
		}
		readAllRows(t, tb, true)
	})
}

// FuzzJSONFlatten feeds arbitrary bytes to the JSON reader (an array of objects, or NDJSON when the text starts
// with '{') and its flattening of nested values. Seeds: testdata/fuzz/FuzzJSONFlatten.
func FuzzJSONFlatten(f *testing.F) {
	f.Add([]byte(`[{"complaint id":"C1","received at":"2026-10-01","customer":{"name":"张三","tags":["a","b"]},"x":[{"y":1}]}]`))
	f.Add([]byte("{\"id\":\"1\",\"a\":{\"b\":null}}\n{\"id\":\"2\",\"a\":[1,[2,[3]]]}\n"))
	f.Add(limitsCorpus()["ndjson_line_nested_deep.ndjson"])
	f.Fuzz(func(t *testing.T, data []byte) {
		in := fuzzInput(t, "f.json", data)
		tb, err := openJSON(context.Background(), in)
		if err != nil {
			return
		}
		readAllRows(t, tb, isNDJSON(in.Head))
	})
}
