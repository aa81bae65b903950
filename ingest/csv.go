package ingest

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

func init() {
	registerReader(readerSpec{Name: "csv", Exts: []string{"csv", "tsv", "txt"}, Open: openCSV})
}

// detectEncoding decides how a text file's bytes become UTF-8: a BOM says it (UTF-8, UTF-16 LE/BE); else
// UTF-16 without a BOM shows as NUL bytes in every other position; else a file that is valid UTF-8 throughout is
// UTF-8; else it is GB18030 (the superset of GBK and GB2312 that Excel on Chinese Windows writes).
func detectEncoding(head []byte, validUTF8 bool) string {
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		return "utf-8-bom"
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		return "utf-16le"
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return "utf-16be"
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
			return "utf-16le"
		}
		if evenNUL > n/4 && oddNUL == 0 {
			return "utf-16be"
		}
	}
	if validUTF8 {
		return "utf-8"
	}
	return "gb18030"
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
	f, err := os.Open(in.Path)
	if err != nil {
		return nil, nil, "", err
	}
	enc := ""
	if in.Profile != nil {
		enc = in.Profile.Encoding
	}
	if enc == "" {
		enc = detectEncoding(in.Head, in.UTF8)
	}
	r, name, err := decodeReader(countingReader{f, in.count}, enc)
	if err != nil {
		f.Close()
		return nil, nil, "", err
	}
	return r, f, name, nil
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
	r, closer, enc, err := openText(in)
	if err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(r, 64<<10)
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
		delim = sniffDelimiter(strings.TrimPrefix(string(peek), "\ufeff"))
	}
	p := &csvParser{r: br, delim: delim}
	t := &table{Format: "csv", Encoding: enc, Delimiter: string(delim), StrictWidth: true, next: p.record, close: closer.Close}
	if delim == '\t' {
		t.Format = "csv" // tab-separated text is read by the same reader
	}
	if err := withHeader(t, in.Profile); err != nil {
		closer.Close()
		if err == io.EOF {
			return nil, fmt.Errorf("no header: the file is empty")
		}
		return nil, err
	}
	return t, nil
}

// csvParser reads delimited records: quoted fields with doubled quotes and embedded newlines, CRLF or LF line
// ends, blank lines skipped. It records the line each record starts on, and a record cut off by the end of the
// file inside a quoted field is returned with a Problem instead of swallowing the file.
type csvParser struct {
	r     *bufio.Reader
	delim byte
	line  int
	eof   bool
	width int // the most fields a record had so far (capacity of the next one)
}

func (p *csvParser) readLine() (string, bool, error) {
	if p.eof {
		return "", false, nil
	}
	s, err := p.r.ReadString('\n')
	if err == io.EOF {
		p.eof = true
		if s == "" {
			return "", false, nil
		}
	} else if err != nil {
		return "", false, err
	}
	p.line++
	if p.line == 1 {
		s = strings.TrimPrefix(s, "\ufeff")
	}
	s = strings.TrimSuffix(s, "\n")
	s = strings.TrimSuffix(s, "\r")
	return s, true, nil
}

const cutOffReason = "row cut off: a quoted field is not closed before the end of the file"

func (p *csvParser) record() (rawRow, error) {
	var line string
	for {
		l, ok, err := p.readLine()
		if err != nil {
			return rawRow{}, fmt.Errorf("line %d: %w", p.line+1, err)
		}
		if !ok {
			return rawRow{}, io.EOF
		}
		if l != "" {
			line = l
			break
		}
	}
	row := rawRow{Num: p.line}
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
					next, ok, err := p.readLine()
					if err != nil {
						return rawRow{}, fmt.Errorf("line %d: %w", p.line+1, err)
					}
					if !ok {
						row.Problem = cutOffReason
						row.Fields = append(fields, field.String())
						return row, nil
					}
					field.WriteByte('\n')
					line, i = next, 0
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
		if i >= len(line) {
			break
		}
		i++ // the delimiter
		if i == len(line) {
			fields = append(fields, "")
			break
		}
	}
	row.Fields = fields
	p.width = max(p.width, len(fields))
	return row, nil
}
