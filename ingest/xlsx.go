package ingest

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

func init() {
	registerReader(readerSpec{Name: "xlsx", Exts: []string{"xlsx", "xlsm"}, Sniff: sniffXLSX, Open: openXLSX})
}

// sniffXLSX: a zip file (an .xlsx is one).
func sniffXLSX(head []byte) bool { return bytes.HasPrefix(head, []byte("PK\x03\x04")) }

// openXLSX streams a sheet with excelize's Rows iterator and raw cell values (formatted values would turn
// dates into mm-dd-yy text). What the iterator does not give, it reads from the package itself with a
// streaming XML pass over the sheet part: merged ranges (filled into every cell they cover, so a branch name
// merged over many rows reaches each row) and which cells carry a date number format (their serials become
// dates in the workbook's 1900 or 1904 system).
func openXLSX(ctx context.Context, in *input) (*table, error) {
	f, err := excelize.OpenFile(in.Path)
	if err != nil {
		return nil, fmt.Errorf("open workbook: %w", err)
	}
	fail := func(err error) (*table, error) {
		f.Close()
		return nil, err
	}
	sheet := ""
	if in.Profile != nil && in.Profile.Sheet != "" {
		for _, s := range f.GetSheetList() {
			if strings.EqualFold(s, in.Profile.Sheet) {
				sheet = s
			}
		}
		if sheet == "" {
			return fail(fmt.Errorf("sheet %q not found (sheets: %s)", in.Profile.Sheet, strings.Join(f.GetSheetList(), ", ")))
		}
	} else {
		for _, s := range f.GetSheetList() {
			if ok, err := sheetHasData(f, s); err != nil {
				return fail(fmt.Errorf("sheet %q: %w", s, err))
			} else if ok {
				sheet = s
				break
			}
		}
		if sheet == "" {
			return fail(fmt.Errorf("every sheet is empty (sheets: %s)", strings.Join(f.GetSheetList(), ", ")))
		}
	}
	props, _ := f.GetWorkbookProps()
	date1904 := props.Date1904 != nil && *props.Date1904
	layout, err := scanSheetLayout(in.Path, sheet)
	if err != nil {
		return fail(fmt.Errorf("sheet %q: %w", sheet, err))
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		return fail(fmt.Errorf("sheet %q: %w", sheet, err))
	}
	rowNum := 0
	mergeVal := map[int]string{}
	active := []int{} // indexes of merges covering the current row
	nextMerge := 0
	next := func() (rawRow, error) {
		for rows.Next() {
			rowNum++
			cells, err := rows.Columns(excelize.Options{RawCellValue: true})
			if err != nil {
				return rawRow{}, fmt.Errorf("sheet %q row %d: %w", sheet, rowNum, err)
			}
			for c, v := range cells {
				if v != "" && layout.isDate(rowNum, c+1) {
					if x, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
						if s, ok := serialText(x, date1904); ok {
							cells[c] = s
						}
					}
				}
			}
			// Merged ranges: remember each top-left value, fill the other cells.
			for nextMerge < len(layout.merges) && layout.merges[nextMerge].r0 <= rowNum {
				active = append(active, nextMerge)
				nextMerge++
			}
			keep := active[:0]
			for _, mi := range active {
				m := layout.merges[mi]
				if m.r1 < rowNum {
					delete(mergeVal, mi)
					continue
				}
				keep = append(keep, mi)
				if m.r0 == rowNum {
					if m.c0-1 < len(cells) {
						mergeVal[mi] = cells[m.c0-1]
					}
				}
				v := mergeVal[mi]
				if v == "" {
					continue
				}
				for len(cells) < m.c1 {
					cells = append(cells, "")
				}
				for c := m.c0; c <= m.c1; c++ {
					if cells[c-1] == "" {
						cells[c-1] = v
					}
				}
			}
			active = keep
			return rawRow{Num: rowNum, Fields: cells}, nil
		}
		if err := rows.Error(); err != nil {
			return rawRow{}, fmt.Errorf("sheet %q: %w", sheet, err)
		}
		return rawRow{}, io.EOF
	}
	t := &table{Format: "xlsx", Sheet: sheet, Serials: true, Date1904: date1904, next: next,
		close: func() error {
			rows.Close()
			if in.count != nil {
				in.count(int(in.Size))
			}
			return f.Close()
		}}
	if err := withHeader(t, in.Profile); err != nil {
		t.Close()
		if err == io.EOF {
			return nil, fmt.Errorf("sheet %q: no header: the sheet is empty", sheet)
		}
		return nil, fmt.Errorf("sheet %q: %w", sheet, err)
	}
	return t, nil
}

// sheetHasData says whether a sheet has any non-empty cell, reading only until the first one.
func sheetHasData(f *excelize.File, sheet string) (bool, error) {
	rows, err := f.Rows(sheet)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	for rows.Next() {
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return false, err
		}
		if !isEmptyRow(cells) {
			return true, nil
		}
	}
	return false, rows.Error()
}

type mergeRange struct{ r0, c0, r1, c1 int }

type span struct{ from, to int }

// sheetLayout is what the Rows iterator does not tell: merged ranges and date-formatted cells (per column, as
// row spans, so a long sheet costs a few spans, not a set of cells).
type sheetLayout struct {
	merges    []mergeRange
	dateSpans map[int][]span // column (1-based) -> row spans
}

func (l *sheetLayout) isDate(row, col int) bool {
	s := l.dateSpans[col]
	i := sort.Search(len(s), func(i int) bool { return s[i].to >= row })
	return i < len(s) && s[i].from <= row
}

// scanSheetLayout streams the sheet part of the package once with encoding/xml.
func scanSheetLayout(file, sheet string) (*sheetLayout, error) {
	zr, err := zip.OpenReader(file)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	parts := map[string]*zip.File{}
	for _, f := range zr.File {
		parts[strings.TrimPrefix(f.Name, "/")] = f
	}
	sheetPart, err := sheetPartName(parts, sheet)
	if err != nil {
		return nil, err
	}
	dateStyles, err := readDateStyles(parts)
	if err != nil {
		return nil, fmt.Errorf("styles: %w", err)
	}
	zf := parts[sheetPart]
	if zf == nil {
		return nil, fmt.Errorf("part %s is missing from the package", sheetPart)
	}
	rc, err := zf.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	l := &sheetLayout{dateSpans: map[int][]span{}}
	dec := xml.NewDecoder(rc)
	row, col := 0, 0
	for {
		tok, err := dec.RawToken() // no namespace bookkeeping: much cheaper on a large sheet
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", sheetPart, err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "row":
			row++
			col = 0
			if v := attr(se, "r"); v != "" {
				row, _ = strconv.Atoi(v)
			}
		case "c":
			col++
			if v := attr(se, "r"); v != "" {
				if c, r, err := excelize.CellNameToCoordinates(v); err == nil {
					col, row = c, r
				}
			}
			t := attr(se, "t")
			s := attr(se, "s")
			if s == "" || (t != "" && t != "n") {
				continue
			}
			id, _ := strconv.Atoi(s)
			if !dateStyles[id] {
				continue
			}
			sp := l.dateSpans[col]
			if n := len(sp); n > 0 && sp[n-1].to >= row-1 {
				sp[n-1].to = row
			} else {
				l.dateSpans[col] = append(sp, span{row, row})
			}
		case "mergeCell":
			ref := attr(se, "ref")
			a, b, ok := strings.Cut(ref, ":")
			if !ok {
				continue
			}
			c0, r0, err1 := excelize.CellNameToCoordinates(a)
			c1, r1, err2 := excelize.CellNameToCoordinates(b)
			if err1 == nil && err2 == nil {
				l.merges = append(l.merges, mergeRange{min(r0, r1), min(c0, c1), max(r0, r1), max(c0, c1)})
			}
		}
	}
	sort.Slice(l.merges, func(i, j int) bool { return l.merges[i].r0 < l.merges[j].r0 })
	return l, nil
}

func attr(se xml.StartElement, name string) string {
	for _, a := range se.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// sheetPartName finds a sheet's part through xl/workbook.xml and its relationships.
func sheetPartName(parts map[string]*zip.File, sheet string) (string, error) {
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	if err := readXMLPart(parts, "xl/workbook.xml", &wb); err != nil {
		return "", err
	}
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := readXMLPart(parts, "xl/_rels/workbook.xml.rels", &rels); err != nil {
		return "", err
	}
	for _, s := range wb.Sheets {
		if !strings.EqualFold(s.Name, sheet) {
			continue
		}
		for _, r := range rels.Rels {
			if r.ID == s.RID {
				t := r.Target
				if strings.HasPrefix(t, "/") {
					return strings.TrimPrefix(t, "/"), nil
				}
				return path.Clean("xl/" + t), nil
			}
		}
	}
	return "", fmt.Errorf("sheet %q has no part in the package", sheet)
}

func readXMLPart(parts map[string]*zip.File, name string, v any) error {
	zf := parts[name]
	if zf == nil {
		return fmt.Errorf("part %s is missing from the package", name)
	}
	rc, err := zf.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	return xml.NewDecoder(rc).Decode(v)
}

// readDateStyles returns the cell style indexes (cellXfs) whose number format shows a date or time.
func readDateStyles(parts map[string]*zip.File) (map[int]bool, error) {
	out := map[int]bool{}
	if parts["xl/styles.xml"] == nil {
		return out, nil
	}
	var st struct {
		NumFmts []struct {
			ID   int    `xml:"numFmtId,attr"`
			Code string `xml:"formatCode,attr"`
		} `xml:"numFmts>numFmt"`
		Xfs []struct {
			NumFmtID int `xml:"numFmtId,attr"`
		} `xml:"cellXfs>xf"`
	}
	if err := readXMLPart(parts, "xl/styles.xml", &st); err != nil {
		return nil, err
	}
	custom := map[int]string{}
	for _, n := range st.NumFmts {
		custom[n.ID] = n.Code
	}
	for i, x := range st.Xfs {
		if code, ok := custom[x.NumFmtID]; ok {
			out[i] = isDateFormatCode(code)
		} else {
			out[i] = isBuiltinDateFormat(x.NumFmtID)
		}
	}
	return out, nil
}

// isBuiltinDateFormat: built-in number formats 14-22 and 45-47 are dates and times; 27-36 and 50-58 are the
// East Asian locale date formats (yyyy"年"m"月"d"日" and the like in a Chinese Excel).
func isBuiltinDateFormat(id int) bool {
	return id >= 14 && id <= 22 || id >= 45 && id <= 47 || id >= 27 && id <= 36 || id >= 50 && id <= 58
}

// isDateFormatCode: a custom format is a date when it has y, m, d, h or s outside quoted text, escapes and
// [bracketed] sections (colours, locales).
func isDateFormatCode(code string) bool {
	inQ, inB := false, false
	for i := 0; i < len(code); i++ {
		c := code[i]
		switch {
		case inQ:
			if c == '"' {
				inQ = false
			}
		case inB:
			if c == ']' {
				inB = false
			}
		case c == '"':
			inQ = true
		case c == '[':
			inB = true
		case c == '\\' || c == '_' || c == '*':
			i++
		default:
			switch c | 0x20 {
			case 'y', 'm', 'd', 'h', 's':
				return true
			}
		}
	}
	return false
}
