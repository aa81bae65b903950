package ingest

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"complaints/catalog"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

func init() {
	registerReader(readerSpec{Name: "csv", Exts: []string{"csv", "tsv", "txt"}, Open: openCSV})
}

// detectEncoding decides how a text file's bytes become UTF-8: a BOM says it (UTF-8, UTF-16 LE/BE); else
// UTF-16 without a BOM shows as NUL bytes in every other position; else a file that is valid UTF-8 throughout is
// UTF-8; else the whole file's bytes are weighed (guess8bit): UTF-8 or GB18030 (the superset of GBK and GB2312
// that Excel on Chinese Windows writes), whichever reads with fewer invalid sequences. guessed says the choice
// rests on weighing (no BOM, not valid UTF-8 throughout, or UTF-16 without a BOM).
func detectEncoding(head []byte, validUTF8 bool, st textStats) (enc string, guessed bool) {
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		return "utf-8-bom", false
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		return "utf-16le", false
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return "utf-16be", false
	}
	if len(head) >= 8 {
		var evenNUL, oddNUL int
		n := min(len(head), 512) &^ 1
		for i := 0; i < n; i += 2 {
			if head[i] == 0 {
				evenNUL++
			}
			if head[i+1] == 0 {
				oddNUL++
			}
		}
		if oddNUL > n/4 && evenNUL == 0 {
			return "utf-16le", true
		}
		if evenNUL > n/4 && oddNUL == 0 {
			return "utf-16be", true
		}
	}
	if validUTF8 {
		return "utf-8", false
	}
	return guess8bit(st), true
}

// decodeReader wraps r so that everything downstream sees UTF-8.
func decodeReader(r io.Reader, enc string) (io.Reader, string, error) {
	switch strings.ToLower(strings.ReplaceAll(enc, "_", "-")) {
	case "utf-8", "utf8":
		return r, "utf-8", nil
	case "utf-8-bom", "utf8-bom":
		return transform.NewReader(r, unicode.UTF8BOM.NewDecoder()), "utf-8-bom", nil
	case "utf-16le":
		return transform.NewReader(r, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder()), "utf-16le", nil
	case "utf-16be":
		return transform.NewReader(r, unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewDecoder()), "utf-16be", nil
	case "utf-16":
		return transform.NewReader(r, unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()), "utf-16", nil
	case "gb18030", "gbk", "gb2312", "cp936":
		return transform.NewReader(r, simplifiedchinese.GB18030.NewDecoder()), "gb18030", nil
	}
	return nil, "", fmt.Errorf("encoding %q is not supported (use utf-8, utf-8-bom, gb18030, gbk or utf-16)", enc)
}

// countingReader reports bytes read (progress bars).
type countingReader struct {
	r     io.Reader
	count func(int)
}

func (c countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if n > 0 && c.count != nil {
		c.count(n)
	}
	return n, err
}

// openText opens a text file decoded to UTF-8, with the encoding it was read in.
func openText(in *input) (io.Reader, io.Closer, string, error) {
	r, c, ti, err := openTextChecked(in)
	return r, c, ti.enc, err
}

// textInfo is how a text file is read: the encoding, whether it was guessed, and the text level of its fields.
type textInfo struct {
	enc     string
	guessed bool
	level   int
}

// openTextChecked opens a text file decoded to UTF-8. A file whose bytes are mostly not text in its encoding
// (the profile's, else the detected one) is refused with the encoding that would read it.
func openTextChecked(in *input) (io.Reader, io.Closer, textInfo, error) {
	var ti textInfo
	enc := ""
	if in.Profile != nil {
		enc = in.Profile.Encoding
	}
	if enc == "" {
		enc, ti.guessed = detectEncoding(in.Head, in.UTF8, in.Text)
	}
	f, err := os.Open(in.Path)
	if err != nil {
		return nil, nil, ti, err
	}
	r, name, err := decodeReader(countingReader{f, in.count}, enc)
	if err != nil {
		f.Close()
		return nil, nil, ti, err
	}
	ti.enc = name
	if ti.level, err = checkEncoding(name, in.Head, in.Text); err != nil {
		f.Close()
		return nil, nil, ti, err
	}
	return r, f, ti, nil
}

var delimiterCandidates = []byte{',', '\t', ';', '|'}

// sniffDelimiter picks the delimiter whose count per line (outside quotes) is the same on most of the first
// lines and highest; ties go to the comma.
func sniffDelimiter(sample string) byte {
	lines := sampleLines(sample, 20)
	best, bestScore := byte(','), 0
	for _, d := range delimiterCandidates {
		counts := map[int]int{}
		for _, l := range lines {
			counts[countOutsideQuotes(l, d)]++
		}
		mode, freq := 0, 0
		for c, f := range counts {
			if c > 0 && (f > freq || f == freq && c > mode) {
				mode, freq = c, f
			}
		}
		score := 0
		if freq*2 >= len(lines) {
			score = mode
		}
		if score > bestScore {
			best, bestScore = d, score
		}
	}
	return best
}

// sampleLines splits the start of a file into records (newlines inside quotes kept), dropping an incomplete
// last one and empty lines.
func sampleLines(s string, n int) []string {
	var out []string
	inQ := false
	start := 0
	for i := 0; i < len(s) && len(out) < n; i++ {
		switch s[i] {
		case '"':
			inQ = !inQ
		case '\n':
			if !inQ {
				if l := strings.TrimRight(s[start:i], "\r"); l != "" {
					out = append(out, l)
				}
				start = i + 1
			}
		}
	}
	if len(out) == 0 && start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

func countOutsideQuotes(l string, d byte) int {
	n, inQ := 0, false
	for i := 0; i < len(l); i++ {
		switch l[i] {
		case '"':
			inQ = !inQ
		case d:
			if !inQ {
				n++
			}
		}
	}
	return n
}

func openCSV(ctx context.Context, in *input) (*table, error) {
	r, closer, ti, err := openTextChecked(in)
	if err != nil {
		return nil, err
	}
	enc := ti.enc
	br := bufio.NewReaderSize(r, 64<<10)
	if peek, _ := br.Peek(64 << 10); crOnly(peek) {
		br = bufio.NewReaderSize(&crReader{r: br, buf: make([]byte, 64<<10)}, 64<<10)
	}
	var delim byte
	if in.Profile != nil && in.Profile.Delimiter != "" {
		d := in.Profile.Delimiter
		switch d {
		case `\t`, "tab", "TAB":
			d = "\t"
		}
		if len(d) != 1 {
			closer.Close()
			return nil, fmt.Errorf("profile %q: delimiter %q must be one character (, ; | or \\t)", in.Profile.Name, in.Profile.Delimiter)
		}
		delim = d[0]
	} else {
		peek, _ := br.Peek(64 << 10)
		delim = sniffDelimiter(strings.TrimPrefix(strings.ReplaceAll(string(peek), "\r", "\n"), "\ufeff"))
	}
	lim := in.Limits.WithDefaults()
	p := &csvParser{r: br, delim: delim, maxLines: lim.MaxFieldLines, maxCols: lim.MaxColumns, maxCell: lim.MaxCellBytes}
	t := &table{Format: "csv", Encoding: enc, EncodingGuessed: ti.guessed, textLevel: ti.level, Delimiter: string(delim),
		StrictWidth: true, next: p.record, close: closer.Close}
	if err := withHeader(t, in.Profile); err != nil {
		closer.Close()
		if err == io.EOF {
			return nil, catalog.Errorf("msg_csv_empty")
		}
		return nil, err
	}
	p.want = len(t.Header)
	return t, nil
}

// csvParser reads delimited records: quoted fields with doubled quotes and embedded newlines, CRLF or LF line
// ends (CR-only files go through crReader first), blank lines skipped. It records the line each record starts on.
// A quoted field that is not closed is its own record's reject, never a reason to lose other rows: a field still
// open after maxLines lines, or one whose closing quote is followed by more text after a line break, makes the
// record a reject and the lines after its first are read again as records; so does a record over several lines
// whose width differs from a whole record's (the header's). At the end of the file an open field
// is a cut-off last record (one reject), unless some of its lines have the width of the previous record: then it
// swallowed records, and those are read again.
type csvParser struct {
	r        *bufio.Reader
	delim    byte
	line     int // the last physical line taken from r
	eof      bool
	width    int // the most fields a record had so far (capacity of the next one)
	want     int // the header's width, once the header is known: what a whole record has
	maxLines int // Limits.MaxFieldLines
	maxCols  int // Limits.MaxColumns: a record is not split further than this (a line of commas costs nothing)
	maxCell  int // Limits.MaxCellBytes: a quoted field is not collected further than this
	back     []csvLine
	held     []csvLine // the lines of the current record after its first
}

// csvLine is a physical line (without its line end) and its number.
type csvLine struct {
	s   string
	num int
}

func (p *csvParser) readLine() (csvLine, bool, error) {
	if len(p.back) > 0 {
		l := p.back[0]
		p.back = p.back[1:]
		return l, true, nil
	}
	if p.eof {
		return csvLine{}, false, nil
	}
	s, err := p.r.ReadString('\n')
	if err == io.EOF {
		p.eof = true
		if s == "" {
			return csvLine{}, false, nil
		}
	} else if err != nil {
		return csvLine{}, false, err
	}
	p.line++
	if p.line == 1 {
		s = strings.TrimPrefix(s, "\ufeff")
	}
	s = strings.TrimSuffix(s, "\n")
	s = strings.TrimSuffix(s, "\r")
	return csvLine{s, p.line}, true, nil
}

// readAgain puts the held lines back in front of the lines still to be read.
func (p *csvParser) readAgain() {
	p.back = append(slices.Clone(p.held), p.back...)
	p.held = p.held[:0]
}

func (p *csvParser) record() (rawRow, error) {
	var first csvLine
	for {
		l, ok, err := p.readLine()
		if err != nil {
			return rawRow{}, fmt.Errorf("line %d: %w", p.line+1, err)
		}
		if !ok {
			return rawRow{}, io.EOF
		}
		if l.s != "" {
			first = l
			break
		}
	}
	p.held = p.held[:0]
	line := first.s
	row := rawRow{Num: first.num}
	fields := make([]string, 0, p.width) // unquoted fields are slices of the line: no copy
	var field strings.Builder
	d := p.delim
	i := 0
	for {
		if i < len(line) && line[i] == '"' {
			i++
		quoted:
			for {
				j := strings.IndexByte(line[i:], '"')
				if j < 0 {
					field.WriteString(line[i:])
					if 1+len(p.held) >= p.maxLines {
						p.readAgain()
						row.Issue = catalog.Msg("msg_csv_field_lines", p.maxLines)
						row.Fields = fields // the fields before the open quote (the id, for a full snapshot)
						return row, nil
					}
					next, ok, err := p.readLine()
					if err != nil {
						return rawRow{}, fmt.Errorf("line %d: %w", p.line+1, err)
					}
					if !ok {
						if p.swallowed() {
							p.readAgain()
							row.Issue = catalog.Msg("msg_csv_unclosed_quote")
							row.Fields = fields
							return row, nil
						}
						row.Issue = catalog.Msg("msg_csv_cut_off")
						row.Fields = append(fields, field.String())
						return row, nil
					}
					p.held = append(p.held, next)
					field.WriteByte('\n')
					line, i = next.s, 0
					continue
				}
				field.WriteString(line[i : i+j])
				i += j + 1
				switch {
				case i < len(line) && line[i] == '"':
					field.WriteByte('"')
					i++
				case i >= len(line) || line[i] == d:
					break quoted
				case len(p.held) > 0:
					// "abc<line break>def"ghi: the quote that seemed to close the field is not one; the opening
					// quote was not closed where it should have been.
					p.readAgain()
					row.Issue = catalog.Msg("msg_csv_unclosed_quote")
					row.Fields = fields
					return row, nil
				default:
					// A stray quote after a closing one ("abc"def): keep the rest of the field literally.
					field.WriteByte('"')
					k := strings.IndexByte(line[i:], d)
					if k < 0 {
						k = len(line) - i
					}
					field.WriteString(line[i : i+k])
					i += k
					break quoted
				}
			}
			if field.Len() > p.maxCell {
				return rawRow{}, catalog.Errorf("msg_limits_cell_bytes", catalog.Msg("msg_limits_at_line", first.num), field.Len(), p.maxCell)
			}
			fields = append(fields, field.String())
			field.Reset()
		} else {
			j := strings.IndexByte(line[i:], d)
			if j < 0 {
				j = len(line) - i
			}
			fields = append(fields, line[i:i+j])
			i += j
		}
		if len(fields) > p.maxCols {
			return rawRow{}, catalog.Errorf("msg_limits_columns", catalog.Msg("msg_limits_at_line", first.num), len(fields), p.maxCols)
		}
		if i >= len(line) {
			break
		}
		i++ // the delimiter
		if i == len(line) {
			fields = append(fields, "")
			break
		}
	}
	if ref := p.recordWidth(); len(p.held) > 0 && ref > 0 && len(fields) != ref {
		// A record over several lines with another width than the record before it: its quoted field was not
		// closed where it should have been and took the lines after it in.
		p.readAgain()
		row.Issue = catalog.Msg("msg_csv_unclosed_quote")
		row.Fields = fields[:min(len(fields), 1)]
		return row, nil
	}
	row.Fields = fields
	p.width = max(p.width, len(fields))
	return row, nil
}

// swallowed says whether the held lines of a field still open at the end of the file include lines that look
// like records of their own (the width of a whole record, recordWidth, at least 2 fields), or there was no such
// record yet.
func (p *csvParser) swallowed() bool {
	ref := p.recordWidth()
	if ref == 0 { // no record read whole yet (the header): never one field holding the rest of the file
		return len(p.held) > 0
	}
	if ref < 2 {
		return false
	}
	for _, l := range p.held {
		if countOutsideQuotes(l.s, p.delim)+1 == ref {
			return true
		}
	}
	return false
}

// recordWidth is the width a whole record has: the header's once it is known, else the widest record so far (a
// ragged row one field short must not set the rule; the header is usually the widest of the first rows).
func (p *csvParser) recordWidth() int {
	if p.want > 0 {
		return p.want
	}
	return p.width
}

// crReader turns lone CRs (the line ends of old Mac exports) into LFs; a CR before an LF stays (CRLF).
type crReader struct {
	r    io.Reader
	buf  []byte
	out  []byte
	held bool // the last byte read was a CR: whether it is lone depends on the next byte
	err  error
}

func (c *crReader) Read(p []byte) (int, error) {
	for len(c.out) == 0 {
		if c.err != nil {
			return 0, c.err
		}
		off := 0
		if c.held {
			c.buf[0], off, c.held = '\r', 1, false
		}
		n, err := c.r.Read(c.buf[off:])
		n += off
		c.err = err
		end := n
		if err == nil && n > 0 && c.buf[n-1] == '\r' {
			c.held, end = true, n-1
		}
		for i := 0; i < end; i++ {
			if c.buf[i] == '\r' && (i+1 == n || c.buf[i+1] != '\n') {
				c.buf[i] = '\n'
			}
		}
		c.out = c.buf[:end]
	}
	k := copy(p, c.out)
	c.out = c.out[k:]
	return k, nil
}

// crOnly says whether a text's lines end in lone CRs rather than LFs.
func crOnly(sample []byte) bool {
	lf := bytes.Count(sample, []byte{'\n'})
	cr := bytes.Count(sample, []byte{'\r'}) - bytes.Count(sample, []byte("\r\n"))
	return cr > lf
}
