package list

import (
	"archive/zip"
	"bufio"
	"bytes"
	"io"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// TestSplitAtExcelsRowLimit writes MaxSheetRows+1 = 1,048,576 list rows at Excel's real limit (not a lowered one):
// the first sheet holds the header and 1,048,575 rows (its last row is 1,048,576, Excel's last), the second the
// header and the one row left. The sheets are checked in the saved file's XML, streamed, because loading a
// million-row sheet back through excelize would take much longer. Slow, so skipped with -short; run in CI.
func TestSplitAtExcelsRowLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 1,048,576 rows; run without -short")
	}
	if MaxSheetRows != 1048575 {
		t.Fatalf("MaxSheetRows = %d, want Excel's 1,048,576 rows less the header", MaxSheetRows)
	}
	f := excelize.NewFile()
	defer f.Close()
	cols := []Column{{Key: "list_complaint_key", Width: 22, Value: func(r Row, _ string) any { return r.Key }}, Columns[2]}
	sw, err := NewSheetWriter(f, "list", cols, "zh", SheetStyles{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	received := time.Date(2026, 10, 8, 9, 30, 0, 0, time.UTC)
	total := MaxSheetRows + 1
	for i := range total {
		if err := sw.Add(Row{Key: "hotline:" + strconv.Itoa(i), Source: "hotline", Received: received}); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Close(); err != nil {
		t.Fatal(err)
	}
	if got := sw.Sheets(); len(got) != 2 || got[0] != "list" || got[1] != "list (2)" {
		t.Fatalf("sheets %v, want [list, list (2)]", got)
	}
	if err := f.DeleteSheet("Sheet1"); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "big.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	z, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	rowsOf := func(name string) (n, last int, firstKey, lastKey string) {
		for _, e := range z.File {
			if e.Name != name {
				continue
			}
			r, err := e.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			br := bufio.NewReaderSize(r, 1<<20)
			rowTag := regexp.MustCompile(`<row r="(\d+)"`)
			for {
				chunk, err := br.ReadBytes('>')
				if m := rowTag.FindSubmatch(chunk); m != nil {
					n++
					last, _ = strconv.Atoi(string(m[1]))
				}
				if i := bytes.Index(chunk, []byte("hotline:")); i >= 0 {
					k := string(chunk[i : bytes.IndexByte(chunk[i:], '<')+i])
					if firstKey == "" {
						firstKey = k
					}
					lastKey = k
				}
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
			}
		}
		return
	}
	sheets := f.GetSheetList()
	if len(sheets) != 2 {
		t.Fatalf("workbook sheets %v", sheets)
	}
	n1, last1, first1, end1 := rowsOf("xl/worksheets/sheet2.xml")
	n2, last2, first2, end2 := rowsOf("xl/worksheets/sheet3.xml")
	if n1 != 1048576 || last1 != 1048576 || first1 != "hotline:0" || end1 != "hotline:1048574" {
		t.Errorf("first sheet: %d rows, last row %d, keys %s..%s; want 1,048,576 rows ending at row 1,048,576, keys 0..1048574", n1, last1, first1, end1)
	}
	if n2 != 2 || last2 != 2 || first2 != "hotline:1048575" || end2 != first2 {
		t.Errorf("second sheet: %d rows, last row %d, keys %s..%s; want the header and row hotline:1048575", n2, last2, first2, end2)
	}
}
