package ingest

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"maps"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"golang.org/x/text/width"

	"complaints/catalog"
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
	// row_flags: what ingest changed in the row, e.g. invalid_text:narrative,branch (bytes that were not text,
	// replaced by U+FFFD, in those fields).
	"row_flags",
	// the masked display form of a source_id / referral_ref that lands keyed (maskedID); NULL when it lands as is
	"source_id_masked", "referral_ref_masked",
	// the second levels of business_category and cause, and a source's own timeliness verdict (migration 019)
	"sub_category", "sub_cause", "timely_response",
	// the keyed hash of the row's other landing values (rowHash): a re-exported row equal to the newest version of
	// its id is recorded as seen, not landed again (land_unchanged.go)
	"row_hash",
	// the keyed hash of the row's raw values and its mapping context (rawHash), as a decimal unsigned integer
	// (landed_rows.raw_hash is UBIGINT): a re-exported row whose raw hash is its id's newest one is recorded as seen
	// without being mapped (rawskip.go)
	"raw_hash",
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

// landingSchemaKnown is landingSchema for the record batches of mapped rows whose id may have an earlier
// version (mapChunk): the same fields, told apart by the schema itself (isKnown).
var landingSchemaKnown = arrow.NewSchema(landingSchema.Fields(), nil)

// isKnown says whether a record batch of the landing schema holds rows whose id may have an earlier version.
func isKnown(rec arrow.RecordBatch) bool { return rec.Schema() == landingSchemaKnown }

// recordBatchRows is the number of rows per Arrow record batch.
const recordBatchRows = 4096

// Reject is a row that cannot be a complaint record, with where to look and why.
type Reject struct {
	Row      int
	Column   string // header text of the offending column, if one
	RawValue string // masked when the column is personal
	Reason   string
	// Key is the reason's catalogue message key (catalog.Msg), for reasons that have one; tests match on it.
	Key string
	// sourceID is the row's id when it has one (a full snapshot does not list a rejected row's id as missing).
	sourceID string
}

// mapper turns a reader's raw rows into landing values. The parallel mapping workers each use their own copy
// (worker): the hints and the HMAC state are per copy, everything else is read-only.
type mapper struct {
	file    string
	table   *table
	profile *Profile
	cols    columnMap
	key     []byte
	layouts []string
	intake  string
	hints   map[string]*string // date field -> the layout that last parsed it
	// col and values are per inputFields index: the column (-1: not in the file) and the profile's values map.
	col    []int
	values []map[string]string
	mac    hash.Hash // HMAC-SHA256 keyed with key, Reset per identifier
	rowMac hash.Hash // HMAC-SHA256 keyed with key, Reset per row (rowHash)
	rawMac hash.Hash // HMAC-SHA256 keyed with key, Reset per row (rawHash)
	hashIn []byte    // the input of rowHash and rawHash, built whole and written at once (the worker's own)
	// context is the fingerprint of everything besides a row's raw values that decides its mapping
	// (sealContext); nil: raw hashes are not made. skip, when set, holds the raw hashes of the newest versions
	// of the source's ids: a row with one of them is recorded as seen, not mapped (rawskip.go).
	context []byte
	skip    *rawSkip
	active  []int // the landing columns this file can fill (activeColumns)
	// dataHint (per worker) is the bytes each landing column took in the last chunk.
	dataHint []int
	// years are the receipt years the calendar covers (yearsText for messages); latest (YYYY-MM-DD) is the last
	// receipt date taken: the export's as-of date when latestIsAsOf, else the ingest date. Unset: no bounds.
	years        map[int]bool
	yearsText    string
	latest       string
	latestIsAsOf bool
	// fixedReceipt (Beijing wall-clock text) is every row's receipt date when an analytics-only profile gives
	// received_date: the file's own receipt column is not read.
	fixedReceipt string
	// keyed is, per inputFields index, why the field's values land keyed ("" : as exported); personal.go.
	keyed []string
	// dates counts the file's year-last dates by the day/month order they settle (shared by the workers).
	dates *dateEvidence
	// notes are said in the summary (FileResult.Notes): duplicate headers not landed, for one.
	notes []*catalog.Message
	// fieldsOf are the input fields read from each column (sorted; none for most), for row flags.
	fieldsOf [][]string
}

// Indexes into inputFields and landingColumns of the fields the mapping treats specially.
var (
	fiSourceID, fiReceivedAt, fiName, fiPhone, fiIDNumber, fiCard = fieldIndex("source_id"), fieldIndex("received_at"),
		fieldIndex("customer_name"), fieldIndex("customer_phone"), fieldIndex("customer_id_number"), fieldIndex("customer_card")
	// landingOf is the landing column of each input field (-1: not landed as itself).
	landingOf = func() []int {
		out := make([]int, len(inputFields))
		for i, f := range inputFields {
			out[i] = -1
			if li, ok := landingIndex[f.Name]; ok {
				out[i] = li
			}
		}
		return out
	}()
	liSourceID, liReceivedAt, liNameMasked = landingIndex["source_id"], landingIndex["received_at"], landingIndex["customer_name_masked"]
	liPhoneKey, liPhoneMasked, liIDKey     = landingIndex["customer_phone_key"], landingIndex["customer_phone_masked"], landingIndex["customer_id_key"]
	liCardKey, liIntake                    = landingIndex["customer_card_key"], landingIndex["intake_channel"]
	liRowFlags, liRowHash, liRawHash       = landingIndex["row_flags"], landingIndex["row_hash"], landingIndex["raw_hash"]
	// maskedOf is the landing column of each keyable input field's masked form (-1: none).
	maskedOf = func() []int {
		out := make([]int, len(inputFields))
		for i, f := range inputFields {
			out[i] = -1
			if li, ok := landingIndex[f.Name+"_masked"]; ok && slices.Contains(KeyableFields, f.Name) {
				out[i] = li
			}
		}
		return out
	}()
)

func fieldIndex(name string) int {
	for i, f := range inputFields {
		if f.Name == name {
			return i
		}
	}
	panic("ingest: unknown input field " + name)
}

// worker returns a copy of m for one mapping goroutine: its own date hints and HMAC state.
func (m *mapper) worker() *mapper {
	w := *m
	w.hints = map[string]*string{}
	for k, v := range m.hints {
		h := *v
		w.hints[k] = &h
	}
	w.mac = hmac.New(sha256.New, m.key)
	w.rowMac = hmac.New(sha256.New, m.key)
	w.rawMac = hmac.New(sha256.New, m.key)
	w.hashIn = nil
	return &w
}

// rowHash is the keyed hash of a row's landing values (out, indexed like landingColumns, row_hash itself left
// out): HMAC-SHA256 with the privacy key, so that equal rows can be told without a hash of clear values that
// anyone could recompute; its first 16 bytes in hex. Each value is written with its length (NULL and "" are the
// same: both land as NULL), so no two different rows give the same input.
func (m *mapper) rowHash(out []string) string {
	if m.rowMac == nil {
		m.rowMac = hmac.New(sha256.New, m.key)
	}
	b := m.hashIn[:0]
	for i, v := range out {
		if i == liRowHash || i == liRawHash {
			continue
		}
		b = appendWithLen(b, v)
	}
	m.hashIn = b
	m.rowMac.Reset()
	m.rowMac.Write(b)
	var sum [sha256.Size]byte
	return hex.EncodeToString(m.rowMac.Sum(sum[:0])[:16])
}

// appendWithLen appends v to b after its length (a uvarint): the form each value takes in a row's hash input,
// so that no two different rows give the same input.
func appendWithLen(b []byte, v string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(v))), v...)
}

// customerKey is CustomerKey with the worker's HMAC state.
func (m *mapper) customerKey(normalised string) string {
	if normalised == "" {
		return ""
	}
	if m.mac == nil {
		m.mac = hmac.New(sha256.New, m.key)
	}
	m.mac.Reset()
	m.mac.Write([]byte(normalised))
	var sum [sha256.Size]byte
	var out [2 * sha256.Size]byte
	hex.Encode(out[:], m.mac.Sum(sum[:0]))
	return string(out[:])
}

// missingColumnsError names the file, the missing fields, the headers found and the closest matches. The
// header's cells are quoted only when the row looks like a header (looksLikeHeader, or mapping by content found
// it one: columnMap.HeaderByContent), each through quoteCell;
// otherwise (a headerless file, whose first row is a customer's record) msg_privacy_not_header says so
// without quoting a cell. A personal column is never proposed as the complaint id.
func missingColumnsError(file string, t *table, cm columnMap, missing []string) error {
	where := file
	if t.Sheet != "" {
		where = fmt.Sprintf("%s sheet %s", file, quoteCell(t.Sheet))
	}
	if !looksLikeHeader(t.Header) && !cm.HeaderByContent {
		return fmt.Errorf("%w: %w", catalog.Msg("msg_privacy_not_header", where, t.HeaderRow, len(t.Header), strings.Join(missing, ", ")), ErrMissingColumns)
	}
	var hints strings.Builder
	for _, f := range missing {
		candidates := t.Header
		if f == "source_id" || f == "referral_ref" {
			candidates = withoutPersonal(t.Header, t.personal)
		}
		if c := closestHeaders(f, candidates, 3); len(c) > 0 {
			hints.WriteString(catalog.Msg("msg_ingest_closest", f, quoteCells(c)).Error())
		}
	}
	return fmt.Errorf("%w: %w", catalog.Msg("msg_ingest_missing_columns", where, strings.Join(missing, ", "), t.HeaderRow, quoteCells(t.Header), hints.String()), ErrMissingColumns)
}

// ErrMissingColumns is wrapped by the error of a file whose header lacks a required field.
var ErrMissingColumns = fmt.Errorf("missing required columns")

func newMapper(file string, t *table, p *Profile, key []byte) (*mapper, error) {
	t.personal = sampleColumns(t)
	if p != nil {
		if err := p.Check(fmt.Sprintf("profile %q", p.Name)); err != nil {
			return nil, err
		}
	}
	cm := resolveColumns(t.Header, p)
	profileNotes, err := checkProfileColumns(file, t, p, cm)
	if err != nil {
		return nil, err
	}
	profileNotes = append(profileNotes, mapByContent(&cm, t, p)...)
	if err := checkValueTargets(p); err != nil {
		return nil, err
	}
	var missing []string
	for _, f := range requiredFields {
		if f == "received_at" && p != nil && p.AnalyticsOnly && p.ReceivedDate != "" {
			continue // dated by the profile (fixedReceipt)
		}
		if _, ok := cm.Index[f]; !ok {
			missing = append(missing, f)
		}
	}
	if len(missing) > 0 {
		return nil, missingColumnsError(file, t, cm, missing)
	}
	notes, err := duplicateHeaders(file, t.Header, cm)
	if err != nil {
		return nil, err
	}
	m := &mapper{file: file, table: t, profile: p, cols: cm, key: key, hints: map[string]*string{}, dates: &dateEvidence{},
		col: make([]int, len(inputFields)), values: make([]map[string]string, len(inputFields)),
		keyed: personalFields(p, cm, t.personal)}
	for i, f := range inputFields {
		if f.Kind == kindDate || f.Kind == kindRequired {
			m.hints[f.Name] = new(string)
		}
		m.col[i] = -1
		if c, ok := cm.Index[f.Name]; ok {
			m.col[i] = c
		}
		if p != nil {
			m.values[i] = p.Values[f.Name]
		}
	}
	m.notes = append(profileNotes, notes...)
	if p != nil {
		m.layouts = p.DateFormats
		m.intake = p.IntakeChannel
	}
	m.fieldsOf = make([][]string, len(t.Header))
	for _, f := range slices.Sorted(maps.Keys(cm.Index)) {
		if c := cm.Index[f]; c >= 0 && c < len(m.fieldsOf) {
			m.fieldsOf[c] = append(m.fieldsOf[c], f)
		}
	}
	for i, a := range m.activeColumns() {
		if a {
			m.active = append(m.active, i)
		}
	}
	return m, nil
}

// duplicateHeaders finds header texts that appear more than once. One mapped by a header synonym is ambiguous:
// the file is refused naming the header and its first two columns (a profile's columns entry settles it, with
// "header#2" for the second). One mapped by the profile, or not mapped at all, is a note for the summary: the
// other columns of that name are not landed.
func duplicateHeaders(file string, header []string, cm columnMap) ([]*catalog.Message, error) {
	byText := map[string][]int{}
	var order []string
	for i, h := range header {
		k := dupKey(h)
		if k == "" {
			continue
		}
		if _, seen := byText[k]; !seen {
			order = append(order, k)
		}
		byText[k] = append(byText[k], i)
	}
	fieldOf := map[int]string{} // a column several fields read names them all
	for _, f := range slices.Sorted(maps.Keys(cm.Index)) {
		i := cm.Index[f]
		if fieldOf[i] != "" {
			fieldOf[i] += ", " + f
		} else {
			fieldOf[i] = f
		}
	}
	var notes []*catalog.Message
	for _, k := range order {
		cols := byText[k]
		if len(cols) < 2 {
			continue
		}
		var mapped []int
		for _, c := range cols {
			if _, ok := fieldOf[c]; ok {
				mapped = append(mapped, c)
			}
		}
		text := Scrub(strings.TrimSpace(header[cols[0]]))
		var nums []string
		for _, c := range cols {
			nums = append(nums, fmt.Sprint(c+1))
		}
		switch {
		case len(mapped) == 0:
			notes = append(notes, catalog.Msg("msg_misc_duplicate_header_unmapped", text, strings.Join(nums, ", ")))
		case len(mapped) == len(cols):
			// every column of that name is mapped (by the profile): nothing is dropped
		default:
			for _, c := range mapped {
				f := fieldOf[c]
				if first, _, _ := strings.Cut(f, ", "); cm.By[first] != "profile" {
					other := cols[0]
					if other == c {
						other = cols[1]
					}
					return nil, catalog.Errorf("msg_misc_duplicate_header", file, text, min(c, other)+1, max(c, other)+1, f)
				}
				notes = append(notes, catalog.Msg("msg_misc_duplicate_header_profile", text, strings.Join(nums, ", "), c+1, f))
			}
		}
	}
	return notes, nil
}

// dupKey is the header text as compared for duplicates: trimmed, width-folded, lower case (unlike normHeader,
// brackets and punctuation count: 金额(元) and 金额 are two headers).
func dupKey(h string) string {
	return strings.ToLower(strings.TrimSpace(width.Fold.String(h)))
}

var phoneSplit = regexp.MustCompile(`[/,;，；、]|\s{2,}`)

// get returns a field's trimmed value, after the profile's values map.
func (m *mapper) get(fields []string, field string) (string, bool) {
	return m.at(fields, fieldIndex(field))
}

// at is get by inputFields index.
func (m *mapper) at(fields []string, fi int) (string, bool) {
	i := m.col[fi]
	if i < 0 {
		return "", false
	}
	v := ""
	if i < len(fields) {
		v = trimSpace(fields[i])
	}
	if vm := m.values[fi]; vm != nil {
		if to, ok := vm[v]; ok {
			v = to
		}
	}
	return v, true
}

// firstPhone picks, from a cell that may list several numbers (/ , ; ， ； 、 or two spaces between them), the
// first with at least 7 digits; the whole cell when none has.
func firstPhone(v string) string {
	if !strings.ContainsAny(v, "/,;，；、") && !strings.Contains(v, "  ") && !strings.ContainsAny(v, "\t\n\r\f") {
		return v
	}
	for _, part := range phoneSplit.Split(v, -1) {
		if len(digitsOnly(part)) >= 7 {
			return part
		}
	}
	return v
}

func (m *mapper) reject(r rawRow, field, raw, reason string) *Reject {
	col := ""
	if i, ok := m.cols.Index[field]; ok && i < len(m.cols.Header) {
		col = m.cols.Header[i]
	}
	if f := fieldByName[field]; f != nil && f.Kind == kindPersonal {
		raw = maskRaw(field, raw)
	} else if slices.Contains(KeyableFields, field) && m.keyed != nil && raw != "" &&
		m.keyed[fieldIndex(field)] != "" && m.keyed[fieldIndex(field)] != personalNever {
		raw = maskedID(raw) // a personal id column: its display mask, as landed beside the keyed id
	} else {
		raw = Scrub(raw)
	}
	return &Reject{Row: r.Num, Column: col, RawValue: fixText(raw), Reason: reason}
}

// rejectMsg is reject with a catalogue message as the reason (its Key kept for listing rejects by reason).
func (m *mapper) rejectMsg(r rawRow, field, raw string, msg *catalog.Message) *Reject {
	rej := m.reject(r, field, raw, msg.Error())
	rej.Key = msg.Key
	return rej
}

// placeInTime rejects a receipt date that cannot be placed in time (domain.md section 5): in a year the
// working-day calendar does not cover, or after the export's as-of date (else the ingest date).
func (m *mapper) placeInTime(r rawRow, raw, recvText string) *Reject {
	if m.years == nil || len(recvText) < 10 {
		return nil
	}
	day := recvText[:10]
	yearText := recvText[:4]
	if recvText[2] == '/' {
		// an ambiguous year-last date, landed as "DD/DD/YYYY ..." until the file's day/month order is known
		// (dateorder.go): its year is known; it is after the as-of date only when both readings are
		a, b, y := recvText[0:2], recvText[3:5], recvText[6:10]
		yearText = y
		day = min(y+"-"+a+"-"+b, y+"-"+b+"-"+a)
	}
	var msg *catalog.Message
	if y, err := strconv.Atoi(yearText); err != nil || !m.years[y] {
		msg = catalog.Msg("msg_poison_receipt_year_uncovered", day, y, m.yearsText)
	} else if day > m.latest && m.latestIsAsOf {
		msg = catalog.Msg("msg_poison_receipt_after_as_of", day, m.latest)
	} else if day > m.latest {
		msg = catalog.Msg("msg_poison_receipt_after_ingest", day, m.latest)
	}
	if msg == nil {
		return nil
	}
	return m.rejectMsg(r, "received_at", raw, msg)
}

// mapRow returns the landing values of one row (indexed like landingColumns; "" is NULL) or a reject.
func (m *mapper) mapRow(r rawRow, out []string) *Reject {
	rej := m.mapRowValues(r, out)
	if rej != nil {
		if id, _ := m.get(r.Fields, "source_id"); id != "" && validText(id, textSuspect) {
			rej.sourceID, _ = m.idValue(fiSourceID, id)
		}
	}
	return rej
}

func (m *mapper) mapRowValues(r rawRow, out []string) *Reject {
	clear(out)
	if r.Issue != nil {
		return &Reject{Row: r.Num, Reason: r.Issue.Error(), Key: r.Issue.Key}
	}
	if r.Problem != "" {
		return &Reject{Row: r.Num, Reason: r.Problem}
	}
	if len(r.Merged) > 0 {
		if rej := m.mergedID(r); rej != nil {
			return rej
		}
	}
	if m.table.StrictWidth && len(r.Fields) != len(m.table.Header) {
		msg := catalog.Msg("msg_csv_field_count", len(r.Fields), len(m.table.Header))
		return &Reject{Row: r.Num, Reason: msg.Error(), Key: msg.Key}
	}
	var flags string
	if m.table.textLevel != textClean {
		var rej *Reject
		if r, flags, rej = m.checkText(r); rej != nil {
			return rej
		}
	}
	id, _ := m.at(r.Fields, fiSourceID)
	if id == "" {
		return m.rejectMsg(r, "source_id", id, catalog.Msg("msg_ingest_id_empty"))
	}
	recv, _ := m.at(r.Fields, fiReceivedAt)
	recvText, ok := m.dateText(recv, m.hints["received_at"])
	if m.fixedReceipt != "" {
		recv, recvText, ok = m.fixedReceipt, m.fixedReceipt, true
	}
	if !ok {
		return m.rejectMsg(r, "received_at", recv, catalog.Msg("msg_ingest_received_unparseable"))
	}
	if rej := m.placeInTime(r, recv, recvText); rej != nil {
		return rej
	}
	out[liSourceID], out[maskedOf[fiSourceID]] = m.idValue(fiSourceID, id)
	out[liReceivedAt] = recvText

	name, _ := m.at(r.Fields, fiName)
	if name != "" {
		out[liNameMasked] = MaskName(name)
	}
	if v, _ := m.at(r.Fields, fiPhone); v != "" {
		n := NormalizePhone(firstPhone(v))
		out[liPhoneKey] = m.customerKey(n)
		out[liPhoneMasked] = MaskPhone(n)
	}
	if v, _ := m.at(r.Fields, fiIDNumber); v != "" {
		out[liIDKey] = m.customerKey(NormalizeIDNumber(v))
	}
	if v, _ := m.at(r.Fields, fiCard); v != "" {
		out[liCardKey] = m.customerKey(NormalizeCard(v))
	}
	for fi := range inputFields {
		li := landingOf[fi]
		if li < 0 || fi == fiSourceID || fi == fiReceivedAt || m.col[fi] < 0 {
			continue
		}
		v, _ := m.at(r.Fields, fi)
		if v == "" {
			continue
		}
		switch f := &inputFields[fi]; f.Kind {
		case kindID:
			var masked string
			out[li], masked = m.idValue(fi, v)
			if maskedOf[fi] >= 0 {
				out[maskedOf[fi]] = masked
			}
		case kindAmount:
			if a, ok := parseAmount(v); ok {
				out[li] = a
			} else {
				out[li] = Scrub(v, name)
			}
		case kindDate:
			if t, ok := m.dateText(v, m.hints[f.Name]); ok {
				out[li] = t
			} else {
				out[li] = Scrub(v, name)
			}
		default:
			out[li] = Scrub(v, name)
		}
	}
	if out[liIntake] == "" && m.intake != "" {
		out[liIntake] = m.intake
	}
	out[liRowFlags] = flags
	out[liRowHash] = m.rowHash(out)
	return nil
}

// idValue is an id field's landed value and its display mask: keyed (keyedID, maskedID) when the value is a phone, ID or
// card number or the profile declares the field personal; as exported when the profile declares it not personal.
func (m *mapper) idValue(fi int, v string) (value, masked string) {
	kind := ""
	if m.keyed != nil {
		kind = m.keyed[fi]
	}
	switch {
	case kind == personalNever:
		return v, ""
	case kind == personalDeclared || personalKind(v) != "":
		// a value that is a phone, ID or card number is keyed whatever the rest of its column holds, so the
		// same id lands the same way in every export (a column decided per file would split a complaint in two)
		return keyedID(m.key, v), maskedID(v)
	}
	return v, ""
}

// checkText replaces, in fields that are not valid text (invalid UTF-8; at textSuspect also NULs and the
// decoders' U+FFFD), the bad bytes by U+FFFD, and returns the row with its flags (invalid_text: and the mapped
// fields concerned). Bad bytes in the id or the receipt date make the row a reject.
func (m *mapper) checkText(r rawRow) (rawRow, string, *Reject) {
	var bad []string
	copied := false
	for i, f := range r.Fields {
		if validText(f, m.table.textLevel) {
			continue
		}
		if !copied {
			r.Fields, copied = slices.Clone(r.Fields), true
		}
		r.Fields[i] = fixText(f)
		var names []string
		if i < len(m.fieldsOf) {
			names = m.fieldsOf[i]
		}
		for _, name := range names {
			switch name {
			case "source_id":
				rej := m.reject(r, "source_id", r.Fields[i], "")
				msg := catalog.Msg("msg_csv_invalid_text_id")
				rej.Reason, rej.Key = msg.Error(), msg.Key
				return r, "", rej
			case "received_at":
				rej := m.reject(r, "received_at", r.Fields[i], "")
				msg := catalog.Msg("msg_csv_invalid_text_received")
				rej.Reason, rej.Key = msg.Error(), msg.Key
				return r, "", rej
			}
		}
		bad = append(bad, names...)
	}
	if len(bad) == 0 {
		return r, "", nil
	}
	return r, "invalid_text:" + strings.Join(bad, ","), nil
}

// activeColumns says which landing columns (indexed like landingColumns) this file's mapping can fill; the
// others are NULL in every row, and the landing step leaves them out of its Appender (fewer values per row).
func (m *mapper) activeColumns() []bool {
	act := make([]bool, len(landingColumns))
	set := func(c string) { act[landingIndex[c]] = true }
	set("source_id")
	set("received_at")
	set("row_hash")
	set("raw_hash")
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
	if m.table.textLevel != textClean {
		set("row_flags")
	}
	for fi, li := range maskedOf {
		if li >= 0 && m.col[fi] >= 0 && (m.keyed == nil || m.keyed[fi] != personalNever) {
			act[li] = true
		}
	}
	return act
}

// mapStats counts what the mapping step did.
type mapStats struct {
	Read, Accepted, Rejected int
	// Unchanged: accepted rows equal to the newest version of their id, recorded as seen, not landed
	// (markUnchanged); Accepted - Unchanged rows landed.
	Unchanged int
	// LedgerDetected is the scope a full snapshot of profile ledger_scope auto was found to have (ledgerAll,
	// ledgerYear), LedgerYear the year of a year-to-date one (land_unchanged.go).
	LedgerDetected string
	LedgerYear     int
	// Ambiguous year-last dates landed as placeholders, DateOrder the order they are to be read in, and the note
	// for the summary (dateorder.go).
	Ambiguous int64
	DateOrder string
	DateNote  *catalog.Message
	// Flagged: accepted rows with row flags (invalid text replaced).
	Flagged int
	// Recognised: unchanged rows recognised by their raw hash before mapping (rawskip.go), part of Unchanged.
	Recognised int
	// Latest (YYYY-MM-DD) is the last receipt day taken, the export's as-of date when LatestIsAsOf, else the
	// ingest date ("" when unbounded): ambiguous receipt dates are checked against it once read (land.go).
	Latest       string
	LatestIsAsOf bool
}

// mapWorkers is how many goroutines map rows; 0 means GOMAXPROCS.
var mapWorkers = 0

// chunk is a run of raw rows read in sequence, mapped by one worker.
type chunk struct {
	seq  int
	rows []rawRow
	// After mapping:
	read       int               // len(rows); rows is dropped once mapped
	rec        arrow.RecordBatch // mapped rows whose id is new to the source (every mapped row without a set), or nil
	known      arrow.RecordBatch // mapped rows whose id may have an earlier version (landingSchemaKnown), or nil
	seen       arrow.RecordBatch // the rows recognised unchanged before mapping (seenSchema), or nil
	recognised int
	rejects    []Reject
	accepted   int
	flagged    int
}

// mapTable reads every row of t and maps it to landing values. Accepted rows are delivered as Arrow record
// batches of at most recordBatchRows rows (the caller must Retain a batch it keeps past emit), rejects one
// by one, both in file order.
//
// One goroutine reads (the reader and its decoding are sequential), mapWorkers goroutines map chunks of
// recordBatchRows raw rows (dates, HMAC keys, scrubbing: the costly part) into record batches, and the calling
// goroutine hands them on in sequence order. At most 2 x workers + 2 chunks are in flight, so memory stays
// bounded whatever the file size.
func (m *mapper) mapTable(ctx context.Context, emit func(arrow.RecordBatch) error, rejectFn func(Reject) error) (mapStats, error) {
	var st mapStats
	workers := mapWorkers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	inFlight := 2*workers + 2
	tokens := make(chan struct{}, inFlight)
	work := make(chan *chunk, inFlight)
	done := make(chan *chunk, inFlight)
	var readErr error
	var readWG, workWG sync.WaitGroup
	readWG.Add(1)
	go func() { // reader
		defer readWG.Done()
		defer close(work)
		seq := 0
		var c *chunk
		send := func() bool {
			select {
			case tokens <- struct{}{}:
			case <-ctx.Done():
				return false
			}
			work <- c // buffered as large as tokens: never blocks
			seq++
			c = nil
			return true
		}
		for {
			r, err := m.table.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				readErr = err
				return
			}
			if r.Problem == "" && r.Issue == nil && isEmptyRow(r.Fields) {
				continue
			}
			if c == nil {
				c = &chunk{seq: seq, rows: make([]rawRow, 0, recordBatchRows)}
			}
			c.rows = append(c.rows, r)
			if len(c.rows) == recordBatchRows && !send() {
				return
			}
			if ctx.Err() != nil {
				return
			}
		}
		if c != nil {
			send()
		}
	}()
	for range workers {
		workWG.Add(1)
		go func() {
			defer workWG.Done()
			w := m.worker()
			b := array.NewRecordBuilder(memory.DefaultAllocator, landingSchema)
			defer b.Release()
			known := array.NewRecordBuilder(memory.DefaultAllocator, landingSchemaKnown)
			defer known.Release()
			for c := range work {
				c.read = len(c.rows)
				if ctx.Err() == nil {
					w.mapChunk(c, b, known)
				}
				c.rows = nil
				done <- c // buffered as large as tokens: never blocks
			}
		}()
	}
	go func() {
		readWG.Wait()
		workWG.Wait()
		close(done)
	}()
	pending := map[int]*chunk{}
	next := 0
	var err error
	for c := range done {
		pending[c.seq] = c
		for {
			c, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			<-tokens
			if err == nil {
				err = ctx.Err()
			}
			if err == nil {
				st.Read += c.read
				st.Accepted += c.accepted
				st.Flagged += c.flagged
				st.Recognised += c.recognised
				st.Rejected += len(c.rejects)
				for _, r := range c.rejects {
					if err = rejectFn(r); err != nil {
						break
					}
				}
				if err == nil && c.rec != nil {
					err = emit(c.rec)
				}
				if err == nil && c.known != nil {
					err = emit(c.known)
				}
				if err == nil && c.seen != nil {
					err = emit(c.seen)
				}
			}
			if c.rec != nil {
				c.rec.Release()
			}
			if c.known != nil {
				c.known.Release()
			}
			if c.seen != nil {
				c.seen.Release()
			}
			if err != nil {
				cancel()
			}
		}
	}
	for _, c := range pending { // only after an error
		if c.rec != nil {
			c.rec.Release()
		}
		if c.known != nil {
			c.known.Release()
		}
		if c.seen != nil {
			c.seen.Release()
		}
	}
	if err != nil {
		return st, err
	}
	if readErr != nil {
		return st, readErr
	}
	st.Ambiguous = m.dates.ambiguous.Load()
	st.DateOrder, st.DateNote = decideDateOrder(m.dates, m.dateOrder())
	if m.years != nil {
		st.Latest, st.LatestIsAsOf = m.latest, m.latestIsAsOf
	}
	return st, ctx.Err()
}

// mapChunk maps a chunk's rows, setting its record batches, rejects and count of accepted rows: the rows
// recognised unchanged before mapping (seen), and the mapped rows, built with b, or with known when their id may
// have an earlier version (rawSkip.knownID; every row when there is no set), whose rows the loader compares
// with the newest versions before landing them.
func (m *mapper) mapChunk(c *chunk, b, known *array.RecordBuilder) {
	// Size the builders once per chunk (the previous chunk's bytes per column as the guess) instead of growing
	// them value by value.
	if m.dataHint == nil {
		m.dataHint = make([]int, len(landingColumns))
	}
	fresh, old := newLandingBuilder(b), newLandingBuilder(known)
	main := fresh
	if m.skip == nil {
		main = old
	}
	main.reserve(m, len(c.rows))
	vals := make([]string, len(landingColumns))
	var seen *seenBuilder
	for _, r := range c.rows {
		var raw uint64
		hashed := m.context != nil && rawHashable(r)
		if hashed {
			raw = m.rawHash(r)
			if m.skip.has(raw) {
				if id, ok := m.unchangedID(r); ok {
					if seen == nil {
						seen = newSeenBuilder(len(c.rows))
					}
					seen.add(r.Num, id, raw)
					c.accepted++
					c.recognised++
					continue
				}
			}
		}
		if rej := m.mapRow(r, vals); rej != nil {
			c.rejects = append(c.rejects, *rej)
			continue
		}
		if hashed {
			vals[liRawHash] = strconv.FormatUint(raw, 10)
		}
		c.accepted++
		if vals[liRowFlags] != "" {
			c.flagged++
		}
		to := fresh
		if m.skip == nil || m.skip.knownID(vals[liSourceID]) {
			to = old
		}
		to.append(m, r.Num, vals)
	}
	for _, i := range m.active {
		m.dataHint[i] = main.str[i].DataLen()
	}
	c.rec, c.known = fresh.record(), old.record()
	if seen != nil {
		c.seen = seen.record()
	}
}

// landingBuilder appends mapped rows to a record builder of the landing schema.
type landingBuilder struct {
	b   *array.RecordBuilder
	row *array.Int64Builder
	str []*array.StringBuilder
}

func newLandingBuilder(b *array.RecordBuilder) *landingBuilder {
	lb := &landingBuilder{b: b, row: b.Field(0).(*array.Int64Builder), str: make([]*array.StringBuilder, len(landingColumns))}
	for i := range landingColumns {
		lb.str[i] = b.Field(i + 1).(*array.StringBuilder)
	}
	return lb
}

func (lb *landingBuilder) reserve(m *mapper, rows int) {
	lb.row.Reserve(rows)
	for _, i := range m.active {
		lb.str[i].Reserve(rows)
		if m.dataHint[i] > 0 {
			lb.str[i].ReserveData(m.dataHint[i] + m.dataHint[i]/8)
		}
	}
}

func (lb *landingBuilder) append(m *mapper, num int, vals []string) {
	lb.row.Append(int64(num))
	for _, i := range m.active { // the other columns are NULL in every row: appended at once in record
		if v := vals[i]; v == "" {
			lb.str[i].AppendNull()
		} else {
			lb.str[i].Append(v)
		}
	}
}

// record is the rows appended since the last record (nil when none).
func (lb *landingBuilder) record() arrow.RecordBatch {
	n := lb.row.Len()
	if n == 0 {
		return nil
	}
	for i := range lb.str {
		if lb.str[i].Len() < n {
			lb.str[i].AppendNulls(n - lb.str[i].Len())
		}
	}
	return lb.b.NewRecordBatch()
}
