package list

import (
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"complaints/catalog"
	"complaints/internal/textwidth"
	"complaints/readmodel"
)

// Column is one column of a list: its header (a catalogue key), its width in an xlsx sheet (at least as wide as
// the header, and as the longest catalogue label of Dim when set), and its value for a row: a string (always
// written as text), an int64, a time.Time (a date, or a date and time when it has a clock time) or nil (empty).
type Column struct {
	Key   string
	Width float64
	Value func(r Row, lang string) any
	Dim   string   // the catalogue dimension whose labels the column shows ("" = none)
	Texts []string // catalogue text keys the column may show besides (a mark, "type missing")
	Wrap  bool     // a text longer than the column wraps (a branch's or handler's name): never cut in print
}

// SummaryRunes is how much of a complaint's (scrubbed) summary the internal case list shows.
const SummaryRunes = 200

// Columns are the columns of `complaints list`, the internal case list.
var Columns = []Column{
	{"list_source", 10, sourceName, "", nil, false},
	{"list_source_id", 22, func(r Row, _ string) any { return r.SourceID }, "", nil, false},
	{"list_received", 17, func(r Row, _ string) any { return r.Received }, "", nil, false},
	{"list_replied", 17, func(r Row, _ string) any { return date(r.Replied) }, "", nil, false},
	{"list_status", 12, func(r Row, lang string) any { return StatusLabel(r, lang) }, "status", []string{"list_reply_date_invalid"}, false},
	{"list_category", 12, func(r Row, lang string) any { return label("business_category", r.Category, r.CategoryRaw, lang) }, "business_category", nil, false},
	{"list_cause", 12, func(r Row, lang string) any { return label("cause", r.Cause, r.CauseRaw, lang) }, "cause", nil, false},
	{"list_intake_channel", 12, func(r Row, lang string) any { return catalog.Label("intake_channel", r.IntakeChannel, lang) }, "intake_channel", nil, false},
	{"list_business_channel", 12, func(r Row, lang string) any { return catalog.Label("business_channel", r.BusinessChannel, lang) }, "business_channel", nil, false},
	{"list_branch", 16, func(r Row, _ string) any { return r.BranchName }, "", nil, true},
	{"list_regulatory_deadline", 12, func(r Row, _ string) any { return date(r.RegulatoryDeadline) }, "", nil, false},
	{"list_days_overdue", 10, func(r Row, _ string) any { return daysOverdue(r) }, "", nil, false},
	{"list_handler", 12, func(r Row, _ string) any { return r.Handler }, "", nil, true},
	{"list_customer_name", 14, func(r Row, _ string) any { return r.NameMasked }, "", nil, false},
	{"list_customer_phone", 16, func(r Row, _ string) any { return r.PhoneMasked }, "", nil, false},
	{"list_summary", 60, func(r Row, _ string) any { return Truncate(r.Summary, SummaryRunes) }, "", nil, true},
	{"list_complaint_class", 10, func(r Row, lang string) any { return ClassLabel(r, lang) }, "complaint_class", []string{"list_type_missing"}, false},
	{"list_internal_deadline", 12, func(r Row, _ string) any { return date(r.InternalDeadline) }, "", nil, false},
	{"list_complaint_key", 22, func(r Row, _ string) any { return r.Key }, "", nil, false},
}

// sourceName is the source's label (its profile's label:), else its name.
func sourceName(r Row, _ string) any {
	if r.SourceLabel != "" {
		return r.SourceLabel
	}
	return r.Source
}

// Truncate keeps the first n characters of s, marking a cut with an ellipsis.
func Truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// overdueMark marks a complaint open past its regulatory deadline at the period's end.
func overdueMark(r Row, lang string) any {
	if r.DaysOverdue.Valid && r.DaysOverdue.Int64 > 0 {
		return catalog.Text("list_overdue_mark", lang)
	}
	return ""
}

// OpenColumns are the columns of the filed workbook's open list (未办结清单): the complaint as the bank looks it
// up (source and its id), the clocks, whether it is overdue, and no free text or customer data (a regulator's
// workbook needs none); dates as dates.
var OpenColumns = []Column{
	{"list_source", 10, sourceName, "", nil, false},
	{"list_source_id", 20, func(r Row, _ string) any { return r.SourceID }, "", nil, false},
	{"list_received", 17, func(r Row, _ string) any { return r.Received }, "", nil, false},
	{"list_complaint_class", 10, func(r Row, lang string) any { return ClassLabel(r, lang) }, "complaint_class", []string{"list_type_missing"}, false},
	{"list_category", 12, func(r Row, lang string) any { return label("business_category", r.Category, r.CategoryRaw, lang) }, "business_category", nil, false},
	{"list_cause", 12, func(r Row, lang string) any { return label("cause", r.Cause, r.CauseRaw, lang) }, "cause", nil, false},
	{"list_internal_deadline", 12, func(r Row, _ string) any { return date(r.InternalDeadline) }, "", nil, false},
	{"list_regulatory_deadline", 12, func(r Row, _ string) any { return date(r.RegulatoryDeadline) }, "", nil, false},
	{"list_overdue", 8, overdueMark, "", []string{"list_overdue_mark"}, false},
	{"list_days_overdue", 10, func(r Row, _ string) any { return daysOverdue(r) }, "", nil, false},
	{"list_branch", 18, func(r Row, _ string) any { return r.BranchName }, "", nil, true},
	{"list_handler", 12, func(r Row, _ string) any { return r.Handler }, "", nil, true},
}

// FitSources are cols with the source column as wide as the longest of the sources' labels.
func FitSources(cols []Column, labels map[string]string) []Column {
	out := slices.Clone(cols)
	for i, c := range out {
		if c.Key != "list_source" {
			continue
		}
		for _, l := range labels {
			out[i].Width = max(out[i].Width, float64(textwidth.Of(l)+2))
		}
	}
	return out
}

// width is the column's width in lang: its own, the header's and, for a dimension, its longest label's, in
// character cells (a full-width character 2) plus a margin.
func (c Column) width(lang string) float64 {
	w := max(c.Width, float64(textwidth.Of(catalog.Text(c.Key, lang))+2))
	if c.Dim != "" {
		for _, code := range catalog.Dimension(c.Dim) {
			w = max(w, float64(textwidth.Of(code.Label(lang))+2))
		}
	}
	for _, k := range c.Texts {
		w = max(w, float64(textwidth.Of(catalog.Text(k, lang))+2))
	}
	return min(w, 60)
}

func date(t sql.NullTime) any {
	if t.Valid {
		return t.Time
	}
	return nil
}

func daysOverdue(r Row) any {
	if r.DaysOverdue.Valid {
		return r.DaysOverdue.Int64
	}
	return nil
}

// StatusLabel is the row's status as a user reads it.
func StatusLabel(r Row, lang string) string {
	if r.ReplyDateInvalid {
		return catalog.Text("list_reply_date_invalid", lang)
	}
	return catalog.Label("status", r.Status, lang)
}

// ClassLabel is the complaint class (一般投诉 / 复杂投诉), or "type missing" (held to the general limit).
func ClassLabel(r Row, lang string) string {
	switch r.Class {
	case "", "missing":
		return catalog.Text("list_type_missing", lang)
	case "no_clock":
		return catalog.Text("list_class_no_clock", lang)
	}
	return catalog.Label("complaint_class", r.Class, lang)
}

// Header is the header row of columns in lang.
func Header(cols []Column, lang string) []string {
	h := make([]string, len(cols))
	for i, c := range cols {
		h[i] = catalog.Text(c.Key, lang)
	}
	return h
}

func label(dim, code, raw, lang string) string {
	l := catalog.Label(dim, code, lang)
	if code == "unmapped" && raw != "" {
		l += "（" + raw + "）"
	}
	return l
}

// Write writes the list in opts.Format to w and returns the number of complaints written.
func Write(ctx context.Context, db *sql.DB, opts Options, w io.Writer) (int, error) {
	if err := opts.Validate(); err != nil {
		return 0, err
	}
	if opts.Format == XLSX {
		return writeXLSX(ctx, db, opts, w)
	}
	return writeCSV(ctx, db, opts, w)
}

// Neutralise keeps a spreadsheet from reading a text cell as a formula: a cell starting with = + - @, a tab or a
// carriage return gets a leading single quote.
func Neutralise(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// CSVWriter writes UTF-8 CSV with a byte-order mark (so that Excel reads Chinese text right) whose text cells can
// never become formulas (Neutralise).
type CSVWriter struct {
	cw  *csv.Writer
	rec []string
}

// NewCSVWriter writes the byte-order mark and returns the writer.
func NewCSVWriter(w io.Writer) (*CSVWriter, error) {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return nil, err
	}
	return &CSVWriter{cw: csv.NewWriter(w)}, nil
}

// Write writes one record: strings neutralised, numbers in plain digits, dates as YYYY-MM-DD (with the time when
// there is one), nil as an empty field.
func (c *CSVWriter) Write(cells []any) error {
	c.rec = c.rec[:0]
	for _, v := range cells {
		c.rec = append(c.rec, CSVField(v))
	}
	return c.cw.Write(c.rec)
}

// Flush writes any buffered data and reports a write error.
func (c *CSVWriter) Flush() error {
	c.cw.Flush()
	return c.cw.Error()
}

// Number is a number already written as a sheet shows it (12.3%, -0.5): CSVWriter writes it as it is.
type Number string

// CSVField is how CSVWriter writes one value.
func CSVField(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case Number:
		return string(v)
	case string:
		return Neutralise(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case int:
		return strconv.Itoa(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case time.Time:
		if v.Hour() == 0 && v.Minute() == 0 && v.Second() == 0 {
			return v.Format(time.DateOnly)
		}
		return v.Format(time.DateTime)
	}
	return Neutralise(fmt.Sprint(v))
}

func writeCSV(ctx context.Context, db *sql.DB, opts Options, w io.Writer) (int, error) {
	cw, err := NewCSVWriter(w)
	if err != nil {
		return 0, err
	}
	if err := cw.Write(stringsToAny(Header(Columns, opts.Lang))); err != nil {
		return 0, err
	}
	n := 0
	cells := make([]any, len(Columns))
	err = readmodel.EachListRow(ctx, db, opts.ListOptions, labelled(opts, func(r Row) error {
		for i, c := range Columns {
			cells[i] = c.Value(r, opts.Lang)
		}
		n++
		return cw.Write(cells)
	}))
	if err != nil {
		return n, err
	}
	return n, cw.Flush()
}

func stringsToAny(s []string) []any {
	out := make([]any, len(s))
	for i, x := range s {
		out[i] = x
	}
	return out
}

// SheetWriter streams list rows into worksheets of a workbook: base, then "base (2)", "base (3)" ... past
// MaxSheetRows rows each, every sheet with its header row frozen, an autofilter (a table over its rows) and text
// cells that stay text.
type SheetWriter struct {
	f      *excelize.File
	base   string
	cols   []Column
	lang   string
	header []any
	// Setup, when set, is called for each new sheet before its rows are streamed (page setup, print titles).
	setup    func(sheet string) error
	date     int // style of a date cell
	dateTime int // style of a date and time cell
	wrap     int // style of a text cell of a Wrap column
	sw       *excelize.StreamWriter
	head     []excelize.Cell // title rows above the header, each merged across the columns
	heights  []float64
	sheets   []string
	rowNo    int // data rows on the current sheet
	n        int
}

// SheetStyles are the cell styles a SheetWriter uses (0: excelize's default; Date and DateTime get yyyy-mm-dd
// and yyyy-mm-dd hh:mm when 0, Wrap wrapped text aligned to the top).
type SheetStyles struct {
	Header, Date, DateTime, Wrap int
}

// NewSheetWriter prepares sheets named base for cols in lang; setup (may be nil) runs for each new sheet before
// its rows are streamed. No sheet exists before the first Add (or Close, which leaves a header-only sheet).
func NewSheetWriter(f *excelize.File, base string, cols []Column, lang string, st SheetStyles, setup func(sheet string) error) (*SheetWriter, error) {
	var err error
	if st.Header == 0 {
		if st.Header, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}}); err != nil {
			return nil, err
		}
	}
	if st.Date == 0 {
		if st.Date, err = newNumFmt(f, "yyyy-mm-dd"); err != nil {
			return nil, err
		}
	}
	if st.DateTime == 0 {
		if st.DateTime, err = newNumFmt(f, "yyyy-mm-dd hh:mm"); err != nil {
			return nil, err
		}
	}
	if st.Wrap == 0 {
		if st.Wrap, err = f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}); err != nil {
			return nil, err
		}
	}
	s := &SheetWriter{f: f, base: base, cols: cols, lang: lang, setup: setup, date: st.Date, dateTime: st.DateTime, wrap: st.Wrap}
	for _, h := range Header(cols, lang) {
		s.header = append(s.header, excelize.Cell{StyleID: st.Header, Value: h})
	}
	return s, nil
}

// SetHead puts title rows (a title, then lines such as institution and period) above the header row of every
// sheet; call it before the first Add.
func (s *SheetWriter) SetHead(title string, titleStyle int, lines []string, lineStyle int) {
	s.head = append(s.head[:0], excelize.Cell{StyleID: titleStyle, Value: title})
	s.heights = append(s.heights[:0], 28)
	for _, l := range lines {
		s.head = append(s.head, excelize.Cell{StyleID: lineStyle, Value: l})
		s.heights = append(s.heights, 0)
	}
}

// HeaderRow is the 1-based row of the column headers (below the title rows): a print title.
func (s *SheetWriter) HeaderRow() int { return len(s.head) + 1 }

// Sheets are the names of the sheets written so far.
func (s *SheetWriter) Sheets() []string { return s.sheets }

// Rows is the number of rows added.
func (s *SheetWriter) Rows() int { return s.n }

func (s *SheetWriter) finish() error {
	if s.sw == nil {
		return nil
	}
	first, _ := excelize.CoordinatesToCellName(1, s.HeaderRow())
	last, _ := excelize.CoordinatesToCellName(len(s.cols), s.rowNo+s.HeaderRow())
	if err := s.sw.AddTable(&excelize.Table{Range: first + ":" + last}); err != nil {
		return err
	}
	err := s.sw.Flush()
	s.sw = nil
	return err
}

func (s *SheetWriter) next() error {
	if err := s.finish(); err != nil {
		return err
	}
	name := s.base
	if len(s.sheets) > 0 {
		name = fmt.Sprintf("%s (%d)", s.base, len(s.sheets)+1)
	}
	if _, err := s.f.NewSheet(name); err != nil {
		return err
	}
	s.sheets = append(s.sheets, name)
	if s.setup != nil {
		if err := s.setup(name); err != nil {
			return err
		}
	}
	sw, err := s.f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	s.sw = sw
	below, _ := excelize.CoordinatesToCellName(1, s.HeaderRow()+1)
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: s.HeaderRow(), TopLeftCell: below, ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	for i, c := range s.cols {
		if err := sw.SetColWidth(i+1, i+1, c.width(s.lang)); err != nil {
			return err
		}
	}
	s.rowNo = 0
	lastCol, _ := excelize.ColumnNumberToName(len(s.cols))
	for i, c := range s.head {
		var opts []excelize.RowOpts
		if s.heights[i] > 0 {
			opts = append(opts, excelize.RowOpts{Height: s.heights[i]})
		}
		if err := sw.SetRow("A"+strconv.Itoa(i+1), []any{c}, opts...); err != nil {
			return err
		}
		if err := sw.MergeCell("A"+strconv.Itoa(i+1), lastCol+strconv.Itoa(i+1)); err != nil {
			return err
		}
	}
	return sw.SetRow("A"+strconv.Itoa(s.HeaderRow()), s.header)
}

// Add writes one row, on a new sheet when the current one is full.
func (s *SheetWriter) Add(r Row) error {
	if s.sw == nil || s.rowNo >= MaxSheetRows-len(s.head) {
		if err := s.next(); err != nil {
			return err
		}
	}
	s.rowNo++
	s.n++
	cells := make([]any, len(s.cols))
	for i, c := range s.cols {
		switch v := c.Value(r, s.lang).(type) {
		case string:
			cells[i] = excelize.Cell{Value: v} // always a string cell: never a number, a date or a formula
			if s.cols[i].Wrap {
				cells[i] = excelize.Cell{StyleID: s.wrap, Value: v}
			}
		case time.Time:
			style := s.date
			if v.Hour() != 0 || v.Minute() != 0 || v.Second() != 0 {
				style = s.dateTime
			}
			cells[i] = excelize.Cell{StyleID: style, Value: v}
		default:
			cells[i] = v
		}
	}
	cell, _ := excelize.CoordinatesToCellName(1, s.rowNo+s.HeaderRow())
	return s.sw.SetRow(cell, cells)
}

// Close finishes the last sheet (writing a header-only sheet when no row was added).
func (s *SheetWriter) Close() error {
	if len(s.sheets) == 0 {
		if err := s.next(); err != nil {
			return err
		}
	}
	return s.finish()
}

// Each calls fn with each row of the list of opts, in order, its source's label filled in.
func Each(ctx context.Context, db *sql.DB, opts Options, fn func(Row) error) error {
	return readmodel.EachListRow(ctx, db, opts.ListOptions, labelled(opts, fn))
}

// labelled calls fn with each row of the list, its source's label filled in.
func labelled(opts Options, fn func(Row) error) func(Row) error {
	return func(r Row) error {
		r.SourceLabel = opts.SourceLabels[r.Source]
		return fn(r)
	}
}

// TitleLines are the lines under the xlsx list's title: institution (and the branch of a branch copy) and
// period, the figure, the filters given, and the as-of day of an as-of copy.
func TitleLines(opts Options, scope readmodel.Scope) []string {
	t := func(k string) string { return catalog.Text(k, opts.Lang) }
	kv := func(k, v string) string { return t(k) + t("colon") + v }
	first := kv("period", opts.Period)
	if inst := strings.TrimSpace(opts.Institution + " " + scope.BranchLabel(opts.Lang)); inst != "" {
		first = kv("institution", inst) + "    " + first
	}
	lines := []string{first + "    " + kv("list_title_figure", t("list_fig_"+opts.Figure))}
	var filters []string
	for _, f := range []struct{ key, dim, code string }{
		{"list_category", "business_category", opts.Category}, {"list_cause", "cause", opts.Cause},
		{"list_intake_channel", "intake_channel", opts.IntakeChannel},
		{"list_business_channel", "business_channel", opts.BusinessChannel}, {"list_province", "province", opts.Province},
	} {
		if f.code != "" {
			filters = append(filters, t(f.key)+" "+catalog.Label(f.dim, f.code, opts.Lang))
		}
	}
	if opts.Class != "" {
		filters = append(filters, t("list_complaint_class")+" "+ClassLabel(Row{Class: opts.Class}, opts.Lang))
	}
	if len(filters) > 0 {
		lines = append(lines, kv("list_title_filters", strings.Join(filters, t("list_filter_sep"))))
	}
	if scope.AsOf != "" {
		lines = append(lines, kv("as_of", scope.AsOf+" "+t("scope_end_of_day")))
	}
	return lines
}

func writeXLSX(ctx context.Context, db *sql.DB, opts Options, w io.Writer) (int, error) {
	f := excelize.NewFile()
	defer f.Close()
	title, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}, Alignment: &excelize.Alignment{Vertical: "center"}})
	if err != nil {
		return 0, err
	}
	sub, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Color: "595959"}})
	if err != nil {
		return 0, err
	}
	sw, err := NewSheetWriter(f, catalog.Text("list_sheet", opts.Lang), FitSources(Columns, opts.SourceLabels), opts.Lang, SheetStyles{}, nil)
	if err != nil {
		return 0, err
	}
	scope, err := readmodel.LoadScope(ctx, db)
	if err != nil {
		return 0, err
	}
	sw.SetHead(catalog.Text("list_title", opts.Lang), title, TitleLines(opts, scope), sub)
	if err := readmodel.EachListRow(ctx, db, opts.ListOptions, labelled(opts, sw.Add)); err != nil {
		return sw.Rows(), err
	}
	if err := sw.Close(); err != nil {
		return sw.Rows(), err
	}
	if err := f.DeleteSheet("Sheet1"); err != nil {
		return sw.Rows(), err
	}
	f.SetActiveSheet(0)
	return sw.Rows(), f.Write(w)
}

func newNumFmt(f *excelize.File, format string) (int, error) {
	return f.NewStyle(&excelize.Style{CustomNumFmt: &format})
}
