package ingest

import (
	"archive/zip"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Crafted inputs of the resource bounds (bounds.go, limits.go), built here for the unit tests and written to the
// repository's bad-inputs corpus (testdata/bad-inputs/limits/) by TestLimitsCorpusFiles with -update.

// testSheet is one sheet of a workbook built by buildXLSX: body is the XML inside <worksheet>.
type testSheet struct {
	name, state, body string
}

// buildXLSX returns a minimal workbook package: the sheets (inline strings) and, when sst is not empty, a shared
// strings part with that XML inside <sst>.
func buildXLSX(sheets []testSheet, sst string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	put := func(name, body string) {
		w, err := zw.Create(name)
		if err != nil {
			panic(err)
		}
		w.Write([]byte(body))
	}
	ct := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>`
	var wb, rels strings.Builder
	wb.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>`)
	rels.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
	for i, s := range sheets {
		state := ""
		if s.state != "" {
			state = fmt.Sprintf(` state="%s"`, s.state)
		}
		fmt.Fprintf(&wb, `<sheet name="%s" sheetId="%d"%s r:id="rId%d"/>`, s.name, i+1, state, i+1)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>`, i+1, i+1)
		ct += fmt.Sprintf(`<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`, i+1)
	}
	wb.WriteString(`</sheets></workbook>`)
	rels.WriteString(`</Relationships>`)
	put("[Content_Types].xml", ct+`</Types>`)
	put("_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)
	put("xl/workbook.xml", wb.String())
	put("xl/_rels/workbook.xml.rels", rels.String())
	for i, s := range sheets {
		put(fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1), `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`+s.body+`</worksheet>`)
	}
	if sst != "" {
		put("xl/sharedStrings.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`+sst+`</sst>`)
	}
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// xrow is a <row> of inline-string cells from column A (an empty string leaves the cell out).
func xrow(r int, cells ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<row r="%d">`, r)
	for i, c := range cells {
		if c != "" {
			fmt.Fprintf(&b, `<c r="%s%d" t="inlineStr"><is><t>%s</t></is></c>`, colName(i+1), r, c)
		}
	}
	b.WriteString(`</row>`)
	return b.String()
}

// xdata is a sheet body: the header (complaint id, received at, narrative) and n complaint rows, then extra XML
// inside sheetData, then tail after it (merge ranges).
func xdata(n int, extra, tail string) string {
	var b strings.Builder
	b.WriteString(`<sheetData>` + xrow(1, "complaint id", "received at", "narrative"))
	for i := 1; i <= n; i++ {
		b.WriteString(xrow(i+1, fmt.Sprintf("C%03d", i), fmt.Sprintf("2026-10-%02d", i%28+1), "text"))
	}
	b.WriteString(extra + `</sheetData>` + tail)
	return b.String()
}

// limitsCorpus are the committed files of testdata/bad-inputs/limits/, by name.
func limitsCorpus() map[string][]byte {
	out := map[string][]byte{}
	one := func(body string) []byte { return buildXLSX([]testSheet{{name: "Sheet1", body: body}}, "") }
	out["xlsx_row_2000000000.xlsx"] = one(xdata(3, `<row r="2000000000"><c r="A2000000000" t="inlineStr"><is><t>x</t></is></c></row>`, ""))
	out["xlsx_merge_B2_XFD1048576.xlsx"] = one(xdata(3, "", `<mergeCells count="1"><mergeCell ref="B2:XFD1048576"/></mergeCells>`))
	out["xlsx_cell_in_column_XFD.xlsx"] = one(xdata(3, `<row r="5"><c r="XFD5" t="inlineStr"><is><t>x</t></is></c></row>`, ""))
	out["xlsx_shared_strings_bomb.xlsx"] = sharedStringsBomb(4 << 20)
	out["xlsx_sheet_over_part_limit.xlsx"] = one(xdata(200, "", ""))
	out["xlsx_hidden_sheet_first.xlsx"] = buildXLSX([]testSheet{
		{name: "old", state: "hidden", body: xdata(5, "", "")},
		{name: "current", body: xdata(2, "", "")},
	}, "")
	// Six complaints; C002's id cell is merged down over the next row (row 4), which has no id of its own.
	var merged strings.Builder
	merged.WriteString(`<sheetData>` + xrow(1, "complaint id", "received at", "narrative"))
	for i, id := range []string{"C001", "C002", "", "C004", "C005", "C006"} {
		merged.WriteString(xrow(i+2, id, fmt.Sprintf("2026-10-%02d", i+1), "text"))
	}
	merged.WriteString(`</sheetData><mergeCells count="1"><mergeCell ref="A3:A4"/></mergeCells>`)
	out["xlsx_merged_id_cell.xlsx"] = one(merged.String())
	// A password-protected workbook is an OLE2 compound file (as a legacy .xls is): the magic, then a header.
	cfb := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 1016)...)
	copy(cfb[0x18:], []byte{0x3E, 0x00, 0x03, 0x00, 0xFE, 0xFF, 0x09, 0x00})
	out["xlsx_encrypted.xlsx"] = cfb
	out["xlsx_not_a_zip.xlsx"] = []byte("complaint id,received at\nC001,2026-10-01\n")
	whole := one(xdata(20, "", ""))
	out["xlsx_truncated.xlsx"] = whole[:len(whole)/2]
	out["parquet_corrupt.parquet"] = append(append([]byte("PAR1"), bytes.Repeat([]byte{0x15, 0x04, 0xFF}, 100)...), []byte("\x10\x00\x00\x00PAR1")...)
	// JSON nested 1,000 deep inside a record.
	deep := strings.Repeat(`{"a":`, 1000) + `1` + strings.Repeat(`}`, 1000)
	out["json_nested_deep.json"] = []byte(`[{"complaint id":"C001","received at":"2026-10-01","x":` + deep + `}]` + "\n")
	out["ndjson_line_nested_deep.ndjson"] = []byte(`{"complaint id":"C001","received at":"2026-10-01"}` + "\n" +
		`{"complaint id":"C002","received at":"2026-10-02","x":` + strings.Repeat(`[`, 1000) + strings.Repeat(`]`, 1000) + "}\n")
	out["csv_5000_columns.csv"] = []byte("complaint id,received at," + strings.Repeat("x,", 4997) + "x\nC001,2026-10-01" + strings.Repeat(",", 4998) + "\n")
	out["csv_cell_over_limit.csv"] = []byte("complaint id,received at,narrative\nC001,2026-10-01,short\nC002,2026-10-02," + strings.Repeat("长", 700) + "\n")
	var rows strings.Builder
	rows.WriteString("complaint id,received at\n")
	for i := 1; i <= 20; i++ {
		fmt.Fprintf(&rows, "C%03d,2026-10-%02d\n", i, i)
	}
	out["csv_rows_over_limit.csv"] = []byte(rows.String())
	out["csv_file_over_limit.csv"] = []byte(rows.String())
	return out
}

// sharedStringsBomb is a workbook of a few KB whose shared strings part unpacks to size bytes.
func sharedStringsBomb(size int) []byte {
	si := `<si><t>x</t></si>`
	return buildXLSX([]testSheet{{name: "Sheet1", body: xdata(2, "", "")}}, strings.Repeat(si, size/len(si)))
}

// TestLimitsCorpusFiles checks that the committed corpus files are the builders' (-update rewrites them).
func TestLimitsCorpusFiles(t *testing.T) {
	dir := filepath.Join("..", "testdata", "bad-inputs", "limits")
	for name, want := range limitsCorpus() {
		p := filepath.Join(dir, name)
		if *updateFixtures {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(p)
		if err != nil {
			t.Errorf("%s: %v (run with -update)", name, err)
			continue
		}
		if len(got) > 64<<10 {
			t.Errorf("%s: %d bytes; corpus files stay small", name, len(got))
		}
		if strings.HasSuffix(name, ".xlsx") && bytes.HasPrefix(want, []byte("PK")) {
			continue // zip bytes may differ between Go versions; the parts are what matter, and the tests build them
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from its builder's (run with -update)", name)
		}
	}
}
