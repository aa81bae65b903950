package ingest

import (
	"archive/zip"
	"bytes"
	"flag"
	"fmt"
	"html"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

var updateFixtures = flag.Bool("update", false, "rewrite the generated XLSX fixtures in testdata/")

// xlsxFixtures are golden cases whose workbook is written by writeWalkinPackage (TestGolden runs them from
// testdata/; TestXLSXFixturesUpToDate checks the committed files still hold what the generator writes).
var xlsxFixtures = []struct {
	dir      string
	date1904 bool
}{
	{"testdata/xlsx_walkin_1900", false},
	{"testdata/xlsx_walkin_1904", true},
}

// xcell is one cell of a hand-written sheet part.
type xcell struct {
	ref      string
	s        int    // style index (cellXfs)
	t        string // "", "s" (shared string), "str" (formula string), "inlineStr"
	f        string // formula
	v        string // value or cached value; for t=s the shared string index is assigned by the writer
	phonetic string // for shared strings: a phonetic run (rPh) readers must ignore
}

// writeWalkinPackage writes a branch walk-in log workbook part by part (no library), to hold what excelize
// cannot write: formulas with cached values and shared strings with phonetic runs. It has a merged title row
// with an as-of date, a two-row merged header (one header cell with a phonetic run), serial dates in cells with
// built-in (22, 14) and custom (yyyy"年"m"月"d"日") date formats, a date computed by a formula (cached serial), a
// plain serial in a General cell, a branch merged down over three rows, formula strings and numbers read as
// their cached values, and a merged total row. date1904 switches the workbook to the 1904 date system (the
// serials are written in it).
func writeWalkinPackage(path string, date1904 bool) error {
	ser := func(y, m, d, hh, mm int) string {
		return fmt.Sprintf("%.10g", serialOf(time.Date(y, time.Month(m), d, hh, mm, 0, 0, time.UTC), date1904))
	}
	const (
		stGeneral  = 0
		stDateTime = 1 // numFmt 22
		stCNDate   = 2 // custom yyyy"年"m"月"d"日"
		stDate     = 3 // numFmt 14
	)
	rows := [][]xcell{
		{{ref: "A1", t: "s", v: "某银行网点投诉登记簿（截至2026年10月31日）"}},
		{{ref: "A2", t: "s", v: "登记编号"}, {ref: "B2", t: "s", v: "登记日期"}, {ref: "C2", t: "s", v: "客户信息"}, {ref: "E2", t: "s", v: "网点名称"},
			{ref: "F2", t: "s", v: "投诉摘要"}, {ref: "G2", t: "s", v: "办结日期"}, {ref: "H2", t: "s", v: "补偿金额"}},
		{{ref: "C3", t: "s", v: "客户姓名", phonetic: "kè hù xìng míng"}, {ref: "D3", t: "s", v: "联系电话"}},
		{{ref: "A4", t: "s", v: "W1"}, {ref: "B4", s: stDateTime, v: ser(2026, 10, 3, 14, 5)}, {ref: "C4", t: "s", v: "张三", phonetic: "ちょうさん"},
			{ref: "D4", t: "s", v: "13812345678"}, {ref: "E4", t: "s", v: "朝阳支行", phonetic: "cháo yáng zhī háng"},
			{ref: "F4", t: "str", f: `CONCATENATE("排队","时间长")`, v: "排队时间长"},
			{ref: "G4", s: stCNDate, f: "B4+2", v: ser(2026, 10, 5, 14, 5)}, {ref: "H4", f: "100*2", v: "200"}},
		{{ref: "A5", t: "s", v: "W2"}, {ref: "B5", s: stDateTime, f: "DATE(2026,10,4)+TIME(9,30,0)", v: ser(2026, 10, 4, 9, 30)},
			{ref: "C5", t: "s", v: "欧阳娜娜"}, {ref: "D5", t: "s", v: "139 0000 1111"}, {ref: "F5", t: "s", v: "态度差"},
			{ref: "G5", t: "inlineStr", v: "2026-10-08"}},
		{{ref: "A6", t: "s", v: "W3"}, {ref: "B6", s: stDate, v: ser(2026, 10, 6, 0, 0)}, {ref: "C6", t: "s", v: "李四"},
			{ref: "F6", t: "s", v: "收费", phonetic: "shōu fèi"}, {ref: "H6", t: "str", f: `IF(1>0,"","x")`, v: ""}},
		{{ref: "A7", t: "s", v: "W4"}, {ref: "B7", s: stGeneral, v: ser(2026, 10, 7, 0, 0)}, {ref: "C7", t: "s", v: "王五"},
			{ref: "E7", t: "s", v: "海淀支行"}, {ref: "F7", t: "s", v: "ATM吞卡"}},
		{{ref: "A8", t: "s", v: "合计"}, {ref: "E8", f: "COUNTA(A4:A7)", v: "4"}},
	}
	merges := []string{"A1:H1", "A2:A3", "B2:B3", "C2:D2", "E2:E3", "F2:F3", "G2:G3", "H2:H3", "E4:E6", "A8:D8"}

	var sst []xcell
	index := map[string]int{}
	var sheet strings.Builder
	sheet.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheetData>`)
	for i, row := range rows {
		fmt.Fprintf(&sheet, `<row r="%d">`, i+1)
		for _, c := range row {
			fmt.Fprintf(&sheet, `<c r="%s"`, c.ref)
			if c.s != 0 {
				fmt.Fprintf(&sheet, ` s="%d"`, c.s)
			}
			if c.t != "" {
				fmt.Fprintf(&sheet, ` t="%s"`, c.t)
			}
			sheet.WriteString(">")
			if c.f != "" {
				fmt.Fprintf(&sheet, "<f>%s</f>", html.EscapeString(c.f))
			}
			switch c.t {
			case "s":
				key := c.v + "\x00" + c.phonetic
				n, ok := index[key]
				if !ok {
					n = len(sst)
					index[key] = n
					sst = append(sst, c)
				}
				fmt.Fprintf(&sheet, "<v>%d</v>", n)
			case "inlineStr":
				fmt.Fprintf(&sheet, "<is><t>%s</t></is>", html.EscapeString(c.v))
			default:
				fmt.Fprintf(&sheet, "<v>%s</v>", html.EscapeString(c.v))
			}
			sheet.WriteString("</c>")
		}
		sheet.WriteString("</row>")
	}
	fmt.Fprintf(&sheet, `</sheetData><mergeCells count="%d">`, len(merges))
	for _, m := range merges {
		fmt.Fprintf(&sheet, `<mergeCell ref="%s"/>`, m)
	}
	sheet.WriteString(`</mergeCells></worksheet>`)

	var ss strings.Builder
	fmt.Fprintf(&ss, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\n"+
		`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">`, len(sst), len(sst))
	for _, c := range sst {
		if c.phonetic == "" {
			fmt.Fprintf(&ss, "<si><t>%s</t></si>", html.EscapeString(c.v))
			continue
		}
		// A rich-text run for the base text, then the phonetic run over it, as East Asian Excel writes them.
		fmt.Fprintf(&ss, `<si><r><t>%s</t></r><rPh sb="0" eb="%d"><t>%s</t></rPh><phoneticPr fontId="1" type="noConversion"/></si>`,
			html.EscapeString(c.v), len([]rune(c.v)), html.EscapeString(c.phonetic))
	}
	ss.WriteString("</sst>")

	wbPr := ""
	if date1904 {
		wbPr = `<workbookPr date1904="1"/>`
	}
	parts := map[string]string{
		"[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`,
		"_rels/.rels": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
		"xl/workbook.xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` + wbPr + `<sheets><sheet name="登记簿" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
		"xl/styles.xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><sz val="9"/><name val="SimSun"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="22" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="176" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>`,
		"xl/worksheets/sheet1.xml": sheet.String(),
		"xl/sharedStrings.xml":     ss.String(),
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	names := make([]string, 0, len(parts))
	for n := range parts {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: n, Method: zip.Deflate, Modified: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			return err
		}
		if _, err := io.WriteString(fw, parts[n]); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

// packageParts reads every part of a zip package.
func packageParts(t *testing.T, path string) map[string]string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	out := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		out[f.Name] = string(b)
	}
	return out
}

// TestXLSXFixturesUpToDate: the committed workbooks hold what writeWalkinPackage writes (go test -run
// TestXLSXFixturesUpToDate ./ingest/ -update rewrites them).
func TestXLSXFixturesUpToDate(t *testing.T) {
	for _, fx := range xlsxFixtures {
		committed := filepath.Join(fx.dir, "walkin_log.xlsx")
		if *updateFixtures {
			if err := os.MkdirAll(fx.dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := writeWalkinPackage(committed, fx.date1904); err != nil {
				t.Fatal(err)
			}
			continue
		}
		fresh := filepath.Join(t.TempDir(), "walkin_log.xlsx")
		if err := writeWalkinPackage(fresh, fx.date1904); err != nil {
			t.Fatal(err)
		}
		want, got := packageParts(t, fresh), packageParts(t, committed)
		if len(want) != len(got) {
			t.Errorf("%s: %d parts, generator writes %d (run with -update)", committed, len(got), len(want))
		}
		for n, w := range want {
			if got[n] != w {
				t.Errorf("%s: part %s differs from the generator's (run with -update)", committed, n)
			}
		}
	}
}
