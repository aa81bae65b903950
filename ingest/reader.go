package ingest

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"complaints/catalog"
)

// rawRow is one record as a reader found it: raw strings and the 1-based physical row (line) where it starts.
type rawRow struct {
	Num    int
	Fields []string
	// Problem, when set, says the reader could not read the record whole (cut off at end of file); the row is
	// rejected with this reason.
	Problem string
	// Issue is Problem as a catalogue message (the reject's Key and Reason); readers that have one set it instead.
	Issue *catalog.Message
	// Merged (XLSX) are the vertical merge ranges whose top-left value was filled into this row from a row above.
	Merged []mergeRange
}

// table is what a reader yields: the header and a stream of data rows. It holds no DuckDB and no landing
// logic; the mapping step consumes it.
type table struct {
	Format   string
	Encoding string
	// EncodingGuessed: the encoding was chosen by weighing the bytes (no profile encoding, no BOM).
	EncodingGuessed bool
	// textLevel says how much the mapping step checks each field's text (textUnchecked, textClean, textSuspect).
	textLevel int
	Delimiter string
	Sheet     string
	HeaderRow int
	Header    []string
	// Titles are the texts of title rows above the header (for an as-of date such as 截至2026年10月31日).
	Titles []string
	// personal is, per header column, the kind of personal data its sampled values mostly are ("" for none).
	personal []string
	// sample are the first data rows (sampleColumns), which mapping by content reads (content.go).
	sample []rawRow
	// branches are the branch master's spellings (Options.BranchSpellings), folded by catalog.Normalize.
	branches map[string]bool
	// StrictWidth: a data row must have as many fields as the header (delimited text).
	StrictWidth bool
	// XLSX: plain numbers in date fields are Excel serials in this date system.
	Serials  bool
	Date1904 bool
	next     func() (rawRow, error) // io.EOF after the last row
	close    func() error
}

func (t *table) Next() (rawRow, error) { return t.next() }

func (t *table) Close() error {
	if t.close == nil {
		return nil
	}
	return t.close()
}

// input is a file handed to a reader.
type input struct {
	Path    string // as opened
	Name    string // as reported (relative to the base folder)
	Size    int64
	Head    []byte // first bytes, for sniffing
	UTF8    bool   // the whole file is valid UTF-8
	Text    textStats
	Profile *Profile
	// Limits are the bounds in force (defaults filled in).
	Limits Limits
	// count, when set, is told how many bytes of the file were read (progress bars).
	count func(int)
}

// readerSpec is one input format. Each format file registers itself with registerReader in an init
// function; adding a format is one new file.
type readerSpec struct {
	Name  string
	Exts  []string
	Sniff func(head []byte) bool
	Open  func(ctx context.Context, in *input) (*table, error)
}

var readers []readerSpec

func registerReader(r readerSpec) { readers = append(readers, r) }

// formatAliases are profile format names served by another reader.
var formatAliases = map[string]string{"tsv": "csv", "txt": "csv", "ndjson": "json", "jsonl": "json", "xls": "xlsx", "xlsm": "xlsx"}

// pickReader chooses the reader: the profile's format, else the content (sniff), else the extension.
func pickReader(in *input) (*readerSpec, error) {
	if in.Profile != nil && in.Profile.Format != "" {
		want := strings.ToLower(in.Profile.Format)
		if a, ok := formatAliases[want]; ok {
			want = a
		}
		for i := range readers {
			if readers[i].Name == want {
				return &readers[i], nil
			}
		}
		return nil, fmt.Errorf("file %q: profile %q: format %q is not supported (use csv, tsv, xlsx, json, ndjson or parquet)", in.Name, in.Profile.Name, in.Profile.Format)
	}
	for i := range readers {
		if readers[i].Sniff != nil && readers[i].Sniff(in.Head) {
			return &readers[i], nil
		}
	}
	ext := strings.TrimPrefix(strings.ToLower(filepath.Ext(in.Path)), ".")
	for i := range readers {
		if slices.Contains(readers[i].Exts, ext) {
			return &readers[i], nil
		}
	}
	return nil, fmt.Errorf("file %q: cannot tell its format from its content or extension %q; set format in its profile", in.Name, ext)
}

// headerScan is how many leading rows are searched for the header below title rows.
const headerScan = 30

// findHeader reads rows until it has chosen the header: the profile's header_row, else the row among the
// first rows whose cells match most header synonyms (at least 2), else the first row with 3 or more distinct
// non-empty cells. Rows above it are titles; a following row that repeats header cells (a header cell merged
// over two rows) is a second header line. It returns the rows after the header, which the caller yields
// before reading on.
func findHeader(next func() (rawRow, error), p *Profile) (header []string, headerRow int, titles []string, rest []rawRow, err error) {
	var buf []rawRow
	eof := false
	for len(buf) < headerScan {
		r, err := next()
		if err == io.EOF {
			eof = true
			break
		}
		if err != nil {
			return nil, 0, nil, nil, err
		}
		if isEmptyRow(r.Fields) && r.Issue == nil && r.Problem == "" {
			continue
		}
		buf = append(buf, r)
		if p != nil && p.HeaderRow > 0 && r.Num >= p.HeaderRow {
			break
		}
	}
	_ = eof
	if len(buf) == 0 {
		return nil, 0, nil, nil, io.EOF
	}
	idx := -1
	if p != nil && p.HeaderRow > 0 {
		for i, r := range buf {
			if r.Num == p.HeaderRow {
				idx = i
			}
		}
		if idx < 0 {
			return nil, 0, nil, nil, fmt.Errorf("header_row %d is empty or beyond the data", p.HeaderRow)
		}
	} else {
		best := 1
		for i, r := range buf {
			if s := headerScore(headerCells(r), p); s > best {
				best, idx = s, i
			}
		}
		if idx < 0 {
			for i, r := range buf {
				if len(nonEmptyCells(headerCells(r))) >= 3 { // distinct: a merged title row repeats one text
					idx = i
					break
				}
			}
		}
		if idx < 0 {
			idx = 0
		}
	}
	if p == nil || p.HeaderRow == 0 {
		// The best row may be the second line of a two-line header: start at the first.
		if idx > 0 && secondHeaderLine(buf[idx-1].Fields, buf[idx].Fields) {
			idx--
		}
	}
	for _, r := range buf[:idx] {
		titles = append(titles, strings.Join(nonEmptyCells(r.Fields), " "))
	}
	header = slices.Clone(headerCells(buf[idx]))
	for i := range header {
		header[i] = fixText(strings.TrimSpace(strings.ReplaceAll(header[i], "\n", "")))
	}
	rest = buf[idx+1:]
	// Two-line header: the next row repeats some header cells in place (vertical merges filled down) and its
	// other cells are header words, not data.
	if len(rest) > 0 && secondHeaderLine(header, rest[0].Fields) {
		for i, c := range rest[0].Fields {
			c = strings.TrimSpace(c)
			if i < len(header) && c != "" {
				header[i] = c
			} else if i >= len(header) && c != "" {
				header = append(header, c)
			}
		}
		rest = rest[1:]
	}
	return header, buf[idx].Num, titles, rest, nil
}

// headerCells are the cells a row offers as a header: none when the reader could not read it whole (the fields
// before an unclosed quote are kept for the reject, not for a header).
func headerCells(r rawRow) []string {
	if r.Issue != nil || r.Problem != "" {
		return nil
	}
	return r.Fields
}

func isEmptyRow(f []string) bool {
	for _, c := range f {
		if !isBlank(c) {
			return false
		}
	}
	return true
}

func nonEmpty(f []string) int {
	n := 0
	for _, c := range f {
		if !isBlank(c) {
			n++
		}
	}
	return n
}

func nonEmptyCells(f []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range f {
		c = strings.TrimSpace(c)
		if c != "" && !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	return out
}

// withHeader wraps a raw row stream: it finds the header and yields the remaining rows.
func withHeader(t *table, p *Profile) error {
	header, hr, titles, rest, err := findHeader(t.next, p)
	if err != nil {
		return err
	}
	t.Header, t.HeaderRow, t.Titles = header, hr, titles
	t.replay(rest, nil)
	return nil
}

// replay makes t yield rows first (rows read ahead), then stop (the error met reading them: io.EOF stays, any
// other error is yielded once, as the reader would have), then the rest of its rows.
func (t *table) replay(rows []rawRow, stop error) {
	inner := t.next
	t.next = func() (rawRow, error) {
		if len(rows) > 0 {
			r := rows[0]
			rows = rows[1:]
			return r, nil
		}
		if stop != nil {
			err := stop
			if err != io.EOF {
				stop = nil
			}
			return rawRow{}, err
		}
		return inner()
	}
}

// secondHeaderLine says whether lower continues the header upper: it repeats some of upper's cells in the
// same columns (header cells merged over both rows) and its other cells are header words.
func secondHeaderLine(upper, lower []string) bool {
	same, words := 0, 0
	for i, c := range lower {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		if i < len(upper) && c == strings.TrimSpace(upper[i]) {
			same++
		} else if _, ok := matchHeader(c); ok {
			words++
		}
	}
	return same > 0 && words > 0 && same+words >= nonEmpty(lower)-1
}
