package ingest

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"
	"testing/iotest"
)

// TestXMLScan reads tricky XML one byte at a time (every refill path): prefixes, entities, character
// references, CDATA, comments, a '>' inside an attribute value, self-closing tags.
func TestXMLScan(t *testing.T) {
	doc := `<?xml version="1.0"?><!-- c --><x:row r="2" spans="1:3"><x:c r="A2" t="inlineStr" a='>'><x:is><x:t>a&amp;b&#x4E2D;&#25991;<![CDATA[<raw>]]></x:t></x:is></x:c><c r="B2"/></x:row>`
	x := newXMLScan(iotest.OneByteReader(strings.NewReader(doc)))
	var got []string
	for {
		tok, err := x.next()
		if err != nil {
			t.Fatal(err)
		}
		if tok.kind == tokEOF {
			break
		}
		switch tok.kind {
		case tokStart:
			s := "<" + string(tok.name)
			if v, ok := xmlAttr(tok.attrs, "r"); ok {
				s += " r=" + string(v)
			}
			if v, ok := xmlAttr(tok.attrs, "a"); ok {
				s += " a=" + string(v)
			}
			if tok.self {
				s += "/"
			}
			got = append(got, s)
		case tokEnd:
			got = append(got, "/"+string(tok.name))
		case tokText:
			if tok.cdata {
				got = append(got, "cdata:"+string(tok.text))
			} else {
				got = append(got, "text:"+string(xmlText(nil, tok.text)))
			}
		}
	}
	want := "<row r=2|<c r=A2 a=>|<is|<t|text:a&b中文|cdata:<raw>|/t|/is|/c|<c r=B2/|/row"
	if strings.Join(got, "|") != want {
		t.Errorf("tokens\n got %s\nwant %s", strings.Join(got, "|"), want)
	}
	for ref, want := range map[string][2]int{"A1": {1, 1}, "AB12": {28, 12}, "XFD1048576": {16384, 1048576}} {
		if c, r, ok := cellRef([]byte(ref)); !ok || c != want[0] || r != want[1] {
			t.Errorf("cellRef(%s) = %d, %d, %v", ref, c, r, ok)
		}
	}
	for _, bad := range []string{"", "1", "A", "A0", "A1B"} {
		if _, _, ok := cellRef([]byte(bad)); ok {
			t.Errorf("cellRef(%q) accepted", bad)
		}
	}
}

// TestScanMerges finds merge ranges across chunk boundaries and ignores the words in cell text.
func TestScanMerges(t *testing.T) {
	var b bytes.Buffer
	b.WriteString(`<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>see mergeCell ref="A1:Z9" here</t></is></c></row>`)
	b.WriteString(strings.Repeat(`<row r="2"><c r="A2"><v>1</v></c></row>`, 20000)) // pushes the merges past the first chunk
	b.WriteString(`</sheetData><mergeCells count="2"><mergeCell ref="B3:A2"/><x:mergeCell ref="C1:D1"/></mergeCells></worksheet>`)
	var z bytes.Buffer
	zw := zip.NewWriter(&z)
	w, _ := zw.Create("sheet.xml")
	w.Write(b.Bytes())
	zw.Close()
	zr, err := zip.NewReader(bytes.NewReader(z.Bytes()), int64(z.Len()))
	if err != nil {
		t.Fatal(err)
	}
	got, err := scanMerges(zr.File[0], DefaultLimits, "Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	want := []mergeRange{{1, 3, 1, 4}, {2, 1, 3, 2}}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("merges %v, want %v", got, want)
	}
}
