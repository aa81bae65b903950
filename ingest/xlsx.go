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

	"complaints/catalog"
)

func init() {
	registerReader(readerSpec{Name: "xlsx", Exts: []string{"xlsx", "xlsm"}, Sniff: sniffXLSX, Open: openXLSX})
}

// sniffXLSX: a zip file (an .xlsx is one), or an OLE2 compound file (an encrypted workbook or a legacy .xls,
// which openXLSX refuses with a sentence saying so).
func sniffXLSX(head []byte) bool {
	return bytes.HasPrefix(head, []byte("PK\x03\x04")) || bytes.HasPrefix(head, cfbMagic)
}

// cfbMagic starts an OLE2 compound file: what Excel writes for a password-protected workbook, and a legacy .xls.
var cfbMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// openXLSX streams a sheet with its own lean reader of the package (xlsxscan.go), never loading a sheet whole:
// the shared strings table, the date styles (styles.xml) and the date system (workbook.xml) are read first;
// the merged ranges are found by a quick byte search over the sheet part (they follow the cell data); then
// the cells are read row by row. Cell values are the raw ones: shared and inline strings (phonetic runs
// ignored), formulas' cached values, and numbers, which become dates when the cell's number format is a date
// (1900 or 1904 system). Merged ranges are filled into every cell they cover, so a branch name merged over
// many rows reaches each row, except down the source_id column (see mergedID).
//
// Every part is read through a partReader (Limits.MaxPartBytes, MaxPartRatio); row numbers, column letters,
// cell sizes and merge ranges are checked before anything is allocated for them, and rows missing from the XML
// (a gap before <row r="2000000000">) are skipped, never iterated. The first non-empty visible sheet is read;
// hidden sheets only when no visible one has data.
func openXLSX(ctx context.Context, in *input) (*table, error) {
	if bytes.HasPrefix(in.Head, cfbMagic) {
		return nil, catalog.Errorf("msg_limits_xlsx_encrypted")
	}
	zr, err := zip.OpenReader(in.Path)
	if err != nil {
		return nil, catalog.Errorf("msg_limits_xlsx_damaged", err)
	}
	lim := in.Limits
	fail := func(err error) (*table, error) {
		zr.Close()
		return nil, err
	}
	parts := map[string]*zip.File{}
	for _, f := range zr.File {
		parts[strings.TrimPrefix(f.Name, "/")] = f
	}
	wb, err := readWorkbook(parts, lim)
	if err != nil {
		return fail(fmt.Errorf("open workbook: %w", err))
	}
	var names []string
	for _, s := range wb.sheets {
		names = append(names, s.name)
	}
	sst, err := readSharedStrings(parts, lim)
	if err != nil {
		return fail(fmt.Errorf("shared strings: %w", err))
	}
	dateStyles, err := readDateStyles(parts, lim)
	if err != nil {
		return fail(fmt.Errorf("styles: %w", err))
	}
	open := func(sh wbSheet) (*sheetReader, error) {
		zf := parts[sh.part]
		if zf == nil {
			return nil, fmt.Errorf("sheet %q: part %s is missing from the package", sh.name, sh.part)
		}
		merges, err := scanMerges(zf, lim, sh.name)
		if err != nil {
			return nil, sheetErr(sh.name, err)
		}
		rc, err := openPart(zf, lim)
		if err != nil {
			return nil, fmt.Errorf("sheet %q: %w", sh.name, err)
		}
		return &sheetReader{rc: rc, x: newXMLScan(rc), sst: sst, dateStyles: dateStyles, date1904: wb.date1904,
			merges: merges, sheet: sh.name, mergeVal: map[int]string{}, lim: lim}, nil
	}
	var sr *sheetReader
	if in.Profile != nil && in.Profile.Sheet != "" {
		for _, sh := range wb.sheets {
			if strings.EqualFold(sh.name, in.Profile.Sheet) {
				if sr, err = open(sh); err != nil {
					return fail(err)
				}
				break
			}
		}
		if sr == nil {
			return fail(fmt.Errorf("sheet %q not found (sheets: %s)", in.Profile.Sheet, strings.Join(names, ", ")))
		}
	} else {
		// Visible sheets first, in workbook order; hidden ones only when every visible sheet is empty.
		order := make([]wbSheet, 0, len(wb.sheets))
		for _, hidden := range []bool{false, true} {
			for _, sh := range wb.sheets {
				if sh.hidden == hidden {
					order = append(order, sh)
				}
			}
		}
		for _, sh := range order {
			probe, err := open(sh)
			if err != nil {
				return fail(err)
			}
			ok, err := probe.hasData()
			probe.close()
			if err != nil {
				return fail(sheetErr(sh.name, err))
			}
			if ok {
				if sr, err = open(sh); err != nil {
					return fail(err)
				}
				break
			}
		}
		if sr == nil {
			return fail(fmt.Errorf("every sheet is empty (sheets: %s)", strings.Join(names, ", ")))
		}
	}
	t := &table{Format: "xlsx", Sheet: sr.sheet, Serials: true, Date1904: wb.date1904, next: sr.next,
		close: func() error {
			sr.close()
			if in.count != nil {
				in.count(int(in.Size))
			}
			return zr.Close()
		}}
	if err := withHeader(t, in.Profile); err != nil {
		t.Close()
		if err == io.EOF {
			return nil, fmt.Errorf("sheet %q: no header: the sheet is empty", sr.sheet)
		}
		return nil, sheetErr(sr.sheet, err)
	}
	return t, nil
}

type mergeRange struct{ r0, c0, r1, c1 int }

// sheetReader yields a sheet's rows (rawRow, 1-based physical row numbers, gaps yielded as empty rows).
type sheetReader struct {
	rc         io.ReadCloser
	x          *xmlScan
	sst        []string
	dateStyles map[int]bool
	date1904   bool
	sheet      string
	rowNum     int // the last row yielded
	done       bool
	// merges, sorted by first row; active are those covering the current row, mergeVal their top-left values.
	merges    []mergeRange
	nextMerge int
	active    []int
	mergeVal  map[int]string
	val       []byte
	inData    bool
	lim       Limits
}

func (s *sheetReader) close() {
	if s.rc != nil {
		s.rc.Close()
		s.rc = nil
	}
}

// hasData reads until the first non-empty row (the caller then reads the sheet with a new reader).
func (s *sheetReader) hasData() (bool, error) {
	for {
		r, err := s.next()
		if err == io.EOF {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		if !isEmptyRow(r.Fields) {
			return true, nil
		}
	}
}

// next yields the next row of the XML. Rows missing from the XML are empty and skipped (numbers jump), so a
// crafted <row r="2000000000"> costs nothing but its check against Limits.MaxRows.
func (s *sheetReader) next() (rawRow, error) {
	if s.done {
		return rawRow{}, io.EOF
	}
	cells, num, err := s.readRow()
	if err != nil {
		if isLimitError(err) {
			return rawRow{}, err
		}
		return rawRow{}, fmt.Errorf("sheet %q row %d: %w", s.sheet, s.rowNum+1, err)
	}
	if cells == nil && num == 0 {
		s.done = true
		return rawRow{}, io.EOF
	}
	if num > s.rowNum+1 {
		s.rowNum = num - 1
	}
	return s.emit(cells), nil
}

// emit numbers the next row and fills merged ranges into it. A cell filled from a vertical merge below the
// merge's first row is noted in the row's Merged (the mapping rejects a row whose source_id came that way).
func (s *sheetReader) emit(cells []string) rawRow {
	var merged []mergeRange
	s.rowNum++
	rowNum := s.rowNum
	for s.nextMerge < len(s.merges) && s.merges[s.nextMerge].r0 <= rowNum {
		s.active = append(s.active, s.nextMerge)
		s.nextMerge++
	}
	keep := s.active[:0]
	for _, mi := range s.active {
		m := s.merges[mi]
		if m.r1 < rowNum {
			delete(s.mergeVal, mi)
			continue
		}
		keep = append(keep, mi)
		if m.r0 == rowNum && m.c0-1 < len(cells) {
			s.mergeVal[mi] = cells[m.c0-1]
		}
		v := s.mergeVal[mi]
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
		if rowNum > m.r0 {
			merged = append(merged, m)
		}
	}
	s.active = keep
	if cells == nil {
		cells = []string{}
	}
	return rawRow{Num: rowNum, Fields: cells, Merged: merged}
}

// readRow reads the next <row> of the sheet data: its cells and row number (0 and nil after the last row).
func (s *sheetReader) readRow() ([]string, int, error) {
	x := s.x
	var (
		cells          []string
		num            int
		inRow, inCell  bool
		inV, inIs, inT bool
		inPh           bool
		col            int
		typ            string
		style          int
		has            bool
	)
	for {
		tok, err := x.next()
		if err != nil {
			return nil, 0, err
		}
		switch tok.kind {
		case tokEOF:
			return nil, 0, nil
		case tokText:
			if inV || inT && inIs && !inPh {
				if tok.cdata {
					s.val = append(s.val, tok.text...)
				} else {
					s.val = xmlText(s.val, tok.text)
				}
				has = true
				if len(s.val) > s.lim.MaxCellBytes {
					return nil, 0, catalog.Errorf("msg_limits_cell_bytes", catalog.Msg("msg_limits_at_sheet_row", s.sheet, num), len(s.val), s.lim.MaxCellBytes)
				}
			}
		case tokStart:
			switch string(tok.name) {
			case "sheetData":
				s.inData = true
			case "row":
				if !s.inData {
					continue
				}
				inRow, col = true, 0
				num = s.rowNum + 1
				if v, ok := xmlAttr(tok.attrs, "r"); ok {
					if n, err := strconv.Atoi(string(v)); err == nil && n > 0 {
						num = n
					}
				}
				if num > s.lim.MaxRows {
					return nil, 0, catalog.Errorf("msg_limits_rows", catalog.Msg("msg_limits_at_sheet_row", s.sheet, num), s.lim.MaxRows)
				}
				if tok.self {
					return []string{}, num, nil
				}
			case "c":
				if !inRow {
					continue
				}
				col++
				typ, style = "", -1
				eachXMLAttr(tok.attrs, func(key, v []byte) {
					switch string(key) {
					case "r":
						if c, _, ok := cellRef(v); ok {
							col = c
						}
					case "t":
						typ = cellType(v)
					case "s":
						style = atoiBytes(v)
					}
				})
				s.val, has = s.val[:0], false
				inCell = !tok.self
			case "v":
				inV = inCell && !tok.self
			case "is":
				inIs = inCell && !tok.self
			case "rPh":
				inPh = !tok.self
			case "t":
				inT = inIs && !tok.self
			}
		case tokEnd:
			switch string(tok.name) {
			case "v":
				inV = false
			case "is":
				inIs = false
			case "rPh":
				inPh = false
			case "t":
				inT = false
			case "c":
				if inCell && has {
					v := s.cellValue(typ, style)
					if v != "" {
						if col > s.lim.MaxColumns {
							return nil, 0, catalog.Errorf("msg_limits_columns", catalog.Msg("msg_limits_at_sheet_row", s.sheet, num), col, s.lim.MaxColumns)
						}
						for len(cells) < col {
							cells = append(cells, "")
						}
						cells[col-1] = v
					}
				}
				inCell = false
			case "row":
				if inRow {
					if cells == nil {
						cells = []string{}
					}
					return cells, num, nil
				}
			case "sheetData":
				return nil, 0, nil
			}
		}
	}
}

// cellType returns the cell type attribute as a constant string (no allocation per cell).
func cellType(v []byte) string {
	for _, t := range [...]string{"s", "n", "str", "inlineStr", "b", "e", "d"} {
		if string(v) == t {
			return t
		}
	}
	return string(v)
}

// atoiBytes reads a non-negative decimal number; -1 when v is not one.
func atoiBytes(v []byte) int {
	if len(v) == 0 || len(v) > 9 {
		return -1
	}
	n := 0
	for _, c := range v {
		if c < '0' || c > '9' {
			return -1
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// cellValue is a cell's raw value by its type, a date text when a number has a date format.
func (s *sheetReader) cellValue(typ string, style int) string {
	switch typ {
	case "s":
		i, err := strconv.Atoi(strings.TrimSpace(string(s.val)))
		if err != nil || i < 0 || i >= len(s.sst) {
			return ""
		}
		return s.sst[i]
	case "", "n":
		if style >= 0 && s.dateStyles[style] {
			if f, err := strconv.ParseFloat(strings.TrimSpace(string(s.val)), 64); err == nil {
				if t, ok := serialText(f, s.date1904); ok {
					return t
				}
			}
		}
	}
	return string(s.val)
}

// scanMerges finds the sheet's merged ranges (<mergeCell ref="A1:G1"/>, after the cell data) with a byte
// search over the part, not a parse of every cell. A range over Limits.MaxMergeCells refuses the sheet; a range
// reaching past Limits.MaxColumns is cut there (only copies of its top-left value lie beyond).
func scanMerges(zf *zip.File, lim Limits, sheet string) ([]mergeRange, error) {
	rc, err := openPart(zf, lim)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	var out []mergeRange
	pat := []byte("mergeCell ")
	buf := make([]byte, 0, 512<<10)
	chunk := make([]byte, 256<<10)
	for {
		n, err := rc.Read(chunk)
		buf = append(buf, chunk[:n]...)
		for {
			i := bytes.Index(buf, pat)
			if i < 0 {
				break
			}
			j := bytes.IndexByte(buf[i:], '>')
			if j < 0 {
				buf = buf[i:] // the tag continues in the next chunk
				goto more
			}
			if i == 0 || buf[i-1] != '<' && buf[i-1] != ':' { // text that merely reads "mergeCell "
				buf = buf[i+len(pat):]
				continue
			}
			if ref, ok := xmlAttr(buf[i+len(pat):i+j], "ref"); ok {
				if a, b, ok := strings.Cut(string(ref), ":"); ok {
					c0, r0, ok0 := cellRef([]byte(a))
					c1, r1, ok1 := cellRef([]byte(b))
					if ok0 && ok1 {
						m := mergeRange{min(r0, r1), min(c0, c1), max(r0, r1), max(c0, c1)}
						if cells := int64(m.r1-m.r0+1) * int64(m.c1-m.c0+1); cells > lim.MaxMergeCells {
							return nil, catalog.Errorf("msg_limits_merge_cells", sheet, string(ref), cells, lim.MaxMergeCells)
						}
						if m.c1 > lim.MaxColumns {
							m.c1 = max(m.c0, lim.MaxColumns)
						}
						out = append(out, m)
					}
				}
			}
			buf = buf[i+j:]
		}
		// Keep a tail that may hold the start of the pattern.
		if len(buf) > len(pat)+1 {
			buf = append(buf[:0], buf[len(buf)-len(pat)-1:]...)
		}
	more:
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if cap(buf)-len(buf) < len(chunk) {
			buf = append(make([]byte, 0, 2*cap(buf)+len(chunk)), buf...)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].r0 < out[j].r0 })
	return out, nil
}

// readSharedStrings reads the shared strings table: each <si>'s text runs joined, phonetic runs (<rPh>)
// ignored.
func readSharedStrings(parts map[string]*zip.File, lim Limits) ([]string, error) {
	zf := parts["xl/sharedStrings.xml"]
	if zf == nil {
		return nil, nil
	}
	rc, err := openPart(zf, lim)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	x := newXMLScan(rc)
	var out []string
	var val []byte
	inSI, inT, inPh := false, false, false
	for {
		tok, err := x.next()
		if err != nil {
			return nil, err
		}
		switch tok.kind {
		case tokEOF:
			return out, nil
		case tokText:
			if inSI && inT && !inPh {
				if tok.cdata {
					val = append(val, tok.text...)
				} else {
					val = xmlText(val, tok.text)
				}
				if len(val) > lim.MaxCellBytes {
					return nil, catalog.Errorf("msg_limits_cell_bytes", catalog.Msg("msg_limits_at_shared_string", len(out)), len(val), lim.MaxCellBytes)
				}
			}
		case tokStart:
			switch string(tok.name) {
			case "si":
				if tok.self {
					out = append(out, "")
					continue
				}
				inSI, val = true, val[:0]
			case "t":
				inT = !tok.self
			case "rPh":
				inPh = !tok.self
			}
		case tokEnd:
			switch string(tok.name) {
			case "si":
				out = append(out, string(val))
				inSI = false
			case "t":
				inT = false
			case "rPh":
				inPh = false
			}
		}
	}
}

type wbSheet struct {
	name, part string
	hidden     bool // state="hidden" or "veryHidden"
}

type workbookInfo struct {
	sheets   []wbSheet
	date1904 bool
}

// readWorkbook reads the sheet names in order with their parts (through the workbook's relationships) and the
// date system.
func readWorkbook(parts map[string]*zip.File, lim Limits) (*workbookInfo, error) {
	var wb struct {
		Pr struct {
			Date1904 string `xml:"date1904,attr"`
		} `xml:"workbookPr"`
		Sheets []struct {
			Name  string `xml:"name,attr"`
			State string `xml:"state,attr"`
			RID   string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	if err := readXMLPart(parts, "xl/workbook.xml", &wb, lim); err != nil {
		return nil, err
	}
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := readXMLPart(parts, "xl/_rels/workbook.xml.rels", &rels, lim); err != nil {
		return nil, err
	}
	info := &workbookInfo{date1904: wb.Pr.Date1904 == "1" || strings.EqualFold(wb.Pr.Date1904, "true")}
	for _, s := range wb.Sheets {
		part := ""
		for _, r := range rels.Rels {
			if r.ID == s.RID {
				if strings.HasPrefix(r.Target, "/") {
					part = strings.TrimPrefix(r.Target, "/")
				} else {
					part = path.Clean("xl/" + r.Target)
				}
			}
		}
		info.sheets = append(info.sheets, wbSheet{s.Name, part, s.State == "hidden" || s.State == "veryHidden"})
	}
	return info, nil
}

func readXMLPart(parts map[string]*zip.File, name string, v any, lim Limits) error {
	zf := parts[name]
	if zf == nil {
		return fmt.Errorf("part %s is missing from the package", name)
	}
	rc, err := openPart(zf, lim)
	if err != nil {
		return err
	}
	defer rc.Close()
	return xml.NewDecoder(rc).Decode(v)
}

// readDateStyles returns the cell style indexes (cellXfs) whose number format shows a date or time.
func readDateStyles(parts map[string]*zip.File, lim Limits) (map[int]bool, error) {
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
	if err := readXMLPart(parts, "xl/styles.xml", &st, lim); err != nil {
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

// mergedID rejects a row whose source_id cell is covered by a vertical merge from a row above: the id belongs to
// the merge's first row, and filling it down would fold this row into that complaint (landed as later versions of
// one id). The first row of the merge lands as usual.
func (m *mapper) mergedID(r rawRow) *Reject {
	c := m.col[fiSourceID] + 1 // 1-based, like the merge's columns
	if c <= 0 {
		return nil
	}
	for _, g := range r.Merged {
		if c >= g.c0 && c <= g.c1 {
			id, _ := m.at(r.Fields, fiSourceID)
			msg := catalog.Msg("msg_limits_merged_id", g.ref(), g.r0)
			rej := m.reject(r, "source_id", id, msg.Error())
			rej.Key = msg.Key
			return rej
		}
	}
	return nil
}

// ref is the range in A1 notation.
func (g mergeRange) ref() string {
	return colName(g.c0) + strconv.Itoa(g.r0) + ":" + colName(g.c1) + strconv.Itoa(g.r1)
}

// colName is a 1-based column's letters (1 = A, 27 = AA).
func colName(c int) string {
	var b []byte
	for c > 0 {
		c--
		b = append([]byte{byte('A' + c%26)}, b...)
		c /= 26
	}
	return string(b)
}

// sheetErr names the sheet in err, unless err is a limit's message that names it already.
func sheetErr(sheet string, err error) error {
	for _, k := range []string{"msg_limits_rows", "msg_limits_columns", "msg_limits_cell_bytes", "msg_limits_merge_cells"} {
		if catalog.HasKey(err, k) {
			return err
		}
	}
	return fmt.Errorf("sheet %q: %w", sheet, err)
}
