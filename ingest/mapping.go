package ingest

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"complaints/warehouse"
)

// landingColumns are the landed_rows columns the mapping step fills, all text. The lineage columns that are the
// same for the whole file (batch, source, file, sha256, sheet, ingest time) are added by the landing step.
var landingColumns = []string{
	"source_id", "record_type", "received_at", "updated_at", "intake_channel", "business_channel",
	"business_category", "cause", "complaint_type", "demand", "branch", "province",
	"customer_id_key", "customer_phone_key", "customer_card_key", "customer_name_masked", "customer_phone_masked",
	"status", "replied_at", "paused_days", "extension_tier", "extension_approved", "outcome", "satisfaction",
	"compensation", "reply_facts", "reply_accountability", "reply_remediation", "reply_satisfaction", "reply_time",
	"reply_handler_contact", "handler", "major", "referral_ref", "summary", "narrative",
}

var landingIndex = func() map[string]int {
	m := map[string]int{}
	for i, c := range landingColumns {
		m[c] = i
	}
	return m
}()

// landingSchema is the Arrow schema of mapped batches: the physical row number, then every landing column as
// nullable text.
var landingSchema = func() *arrow.Schema {
	fs := []arrow.Field{{Name: "row_number", Type: arrow.PrimitiveTypes.Int64}}
	for _, c := range landingColumns {
		fs = append(fs, arrow.Field{Name: c, Type: arrow.BinaryTypes.String, Nullable: true})
	}
	return arrow.NewSchema(fs, nil)
}()

// recordBatchRows is the number of rows per Arrow record batch.
const recordBatchRows = 4096

// Reject is a row that cannot be a complaint record, with where to look and why.
type Reject struct {
	Row      int
	Column   string // header text of the offending column, if one
	RawValue string // masked when the column is personal
	Reason   string
	// sourceID is the row's id when it has one (a full snapshot does not list a rejected row's id as missing).
	sourceID string
}

// mapper turns a reader's raw rows into landing values.
type mapper struct {
	file    string
	table   *table
	profile *Profile
	cols    columnMap
	key     []byte
	layouts []string
	intake  string
	hints   map[string]*string // date field -> the layout that last parsed it
}

// missingColumnsError names the file, the missing fields, the headers found and the closest matches.
func missingColumnsError(file string, t *table, cm columnMap, missing []string) error {
	var hints []string
	for _, f := range missing {
		if c := closestHeaders(f, t.Header, 3); len(c) > 0 {
			hints = append(hints, fmt.Sprintf("%s: closest %q", f, c))
		}
	}
	where := file
	if t.Sheet != "" {
		where = fmt.Sprintf("%s sheet %q", file, t.Sheet)
	}
	msg := fmt.Sprintf("file %s: required column(s) %s not found in the header (row %d): %q", where, strings.Join(missing, ", "), t.HeaderRow, t.Header)
	if len(hints) > 0 {
		msg += "; " + strings.Join(hints, "; ")
	}
	msg += "; map them in the source profile's columns"
	return fmt.Errorf("%s: %w", msg, ErrMissingColumns)
}

// ErrMissingColumns is wrapped by the error of a file whose header lacks a required field.
var ErrMissingColumns = fmt.Errorf("missing required columns")

func newMapper(file string, t *table, p *Profile, key []byte) (*mapper, error) {
	cm := resolveColumns(t.Header, p)
	var missing []string
	for _, f := range requiredFields {
		if _, ok := cm.Index[f]; !ok {
			missing = append(missing, f)
		}
	}
	if len(missing) > 0 {
		return nil, missingColumnsError(file, t, cm, missing)
	}
	m := &mapper{file: file, table: t, profile: p, cols: cm, key: key, hints: map[string]*string{}}
	for _, f := range inputFields {
		if f.Kind == kindDate || f.Kind == kindRequired {
			m.hints[f.Name] = new(string)
		}
	}
	if p != nil {
		m.layouts = p.DateFormats
		m.intake = p.IntakeChannel
	}
	return m, nil
}

var phoneSplit = regexp.MustCompile(`[/,;，；、]|\s{2,}`)

// get returns a field's trimmed value, after the profile's values map.
func (m *mapper) get(fields []string, field string) (string, bool) {
	i, ok := m.cols.Index[field]
	if !ok {
		return "", false
	}
	v := ""
	if i < len(fields) {
		v = strings.TrimSpace(fields[i])
	}
	if m.profile != nil {
		if vm := m.profile.Values[field]; vm != nil {
			if to, ok := vm[v]; ok {
				v = to
			}
		}
	}
	return v, true
}

func (m *mapper) reject(r rawRow, field, raw, reason string) *Reject {
	col := ""
	if i, ok := m.cols.Index[field]; ok && i < len(m.cols.Header) {
		col = m.cols.Header[i]
	}
	if f := fieldByName[field]; f != nil && f.Kind == kindPersonal {
		raw = maskRaw(field, raw)
	} else {
		raw = Scrub(raw)
	}
	return &Reject{Row: r.Num, Column: col, RawValue: raw, Reason: reason}
}

// mapRow returns the landing values of one row (indexed like landingColumns; "" is NULL) or a reject.
func (m *mapper) mapRow(r rawRow, out []string) *Reject {
	rej := m.mapRowValues(r, out)
	if rej != nil {
		if id, _ := m.get(r.Fields, "source_id"); id != "" {
			rej.sourceID = id
		}
	}
	return rej
}

func (m *mapper) mapRowValues(r rawRow, out []string) *Reject {
	for i := range out {
		out[i] = ""
	}
	if r.Problem != "" {
		return &Reject{Row: r.Num, Reason: r.Problem}
	}
	if m.table.StrictWidth && len(r.Fields) != len(m.table.Header) {
		return &Reject{Row: r.Num, Reason: fmt.Sprintf("row has %d fields, header has %d", len(r.Fields), len(m.table.Header))}
	}
	id, _ := m.get(r.Fields, "source_id")
	if id == "" {
		return m.reject(r, "source_id", id, "source_id: empty")
	}
	recv, _ := m.get(r.Fields, "received_at")
	t, ok := parseDateHint(recv, m.layouts, m.table.Serials, m.table.Date1904, m.hints["received_at"])
	if !ok {
		return m.reject(r, "received_at", recv, "received_at: cannot parse date")
	}
	out[landingIndex["source_id"]] = id
	out[landingIndex["received_at"]] = warehouse.WallClockText(t)

	name, _ := m.get(r.Fields, "customer_name")
	if name != "" {
		out[landingIndex["customer_name_masked"]] = MaskName(name)
	}
	if v, _ := m.get(r.Fields, "customer_phone"); v != "" {
		phone := v
		for _, part := range phoneSplit.Split(v, -1) {
			if len(digitsOnly(part)) >= 7 {
				phone = part
				break
			}
		}
		n := NormalizePhone(phone)
		out[landingIndex["customer_phone_key"]] = CustomerKey(m.key, n)
		out[landingIndex["customer_phone_masked"]] = MaskPhone(n)
	}
	if v, _ := m.get(r.Fields, "customer_id_number"); v != "" {
		out[landingIndex["customer_id_key"]] = CustomerKey(m.key, NormalizeIDNumber(v))
	}
	if v, _ := m.get(r.Fields, "customer_card"); v != "" {
		out[landingIndex["customer_card_key"]] = CustomerKey(m.key, NormalizeCard(v))
	}
	for _, f := range inputFields {
		switch f.Name {
		case "source_id", "received_at":
			continue
		}
		li, landed := landingIndex[f.Name]
		if !landed {
			continue
		}
		v, ok := m.get(r.Fields, f.Name)
		if !ok || v == "" {
			continue
		}
		switch f.Kind {
		case kindID:
			out[li] = v
		case kindDate:
			if t, ok := parseDateHint(v, m.layouts, m.table.Serials, m.table.Date1904, m.hints[f.Name]); ok {
				out[li] = warehouse.WallClockText(t)
			} else {
				out[li] = Scrub(v, name)
			}
		default:
			out[li] = Scrub(v, name)
		}
	}
	if ic := landingIndex["intake_channel"]; out[ic] == "" && m.intake != "" {
		out[ic] = m.intake
	}
	return nil
}

// activeColumns says which landing columns (indexed like landingColumns) this file's mapping can fill; the
// others are NULL in every row, and the landing step leaves them out of its Appender (fewer values per row).
func (m *mapper) activeColumns() []bool {
	act := make([]bool, len(landingColumns))
	set := func(c string) { act[landingIndex[c]] = true }
	set("source_id")
	set("received_at")
	for f := range m.cols.Index {
		if _, ok := landingIndex[f]; ok {
			set(f)
		}
	}
	if _, ok := m.cols.Index["customer_name"]; ok {
		set("customer_name_masked")
	}
	if _, ok := m.cols.Index["customer_phone"]; ok {
		set("customer_phone_key")
		set("customer_phone_masked")
	}
	if _, ok := m.cols.Index["customer_id_number"]; ok {
		set("customer_id_key")
	}
	if _, ok := m.cols.Index["customer_card"]; ok {
		set("customer_card_key")
	}
	if m.intake != "" {
		set("intake_channel")
	}
	return act
}

// mapStats counts what the mapping step did.
type mapStats struct {
	Read, Accepted, Rejected int
}

// mapTable reads every row of t, mapping it to landing values; accepted rows are delivered as Arrow record
// batches of recordBatchRows rows (the caller must Release them only if it retains them), rejects one by one.
func (m *mapper) mapTable(ctx context.Context, emit func(arrow.RecordBatch) error, rejectFn func(Reject) error) (mapStats, error) {
	var st mapStats
	mem := memory.NewGoAllocator()
	b := array.NewRecordBuilder(mem, landingSchema)
	defer b.Release()
	rowB := b.Field(0).(*array.Int64Builder)
	strB := make([]*array.StringBuilder, len(landingColumns))
	for i := range landingColumns {
		strB[i] = b.Field(i + 1).(*array.StringBuilder)
	}
	pending := 0
	flush := func() error {
		if pending == 0 {
			return nil
		}
		rec := b.NewRecordBatch()
		defer rec.Release()
		pending = 0
		return emit(rec)
	}
	vals := make([]string, len(landingColumns))
	for {
		r, err := m.table.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return st, err
		}
		if r.Problem == "" && isEmptyRow(r.Fields) {
			continue
		}
		st.Read++
		if rej := m.mapRow(r, vals); rej != nil {
			st.Rejected++
			if err := rejectFn(*rej); err != nil {
				return st, err
			}
			continue
		}
		st.Accepted++
		rowB.Append(int64(r.Num))
		for i, v := range vals {
			if v == "" {
				strB[i].AppendNull()
			} else {
				strB[i].Append(v)
			}
		}
		pending++
		if pending == recordBatchRows {
			if err := ctx.Err(); err != nil {
				return st, err
			}
			if err := flush(); err != nil {
				return st, err
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return st, err
	}
	return st, flush()
}
