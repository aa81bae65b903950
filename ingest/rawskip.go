package ingest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"hash/fnv"
	"io"
	"math"
	"math/bits"
	"runtime/debug"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// Unchanged rows recognised before mapping (domain.md section 5, "Re-exports and unchanged rows"; docs/decisions.md,
// "Unchanged rows"). Most rows of a cumulative ledger are those of the previous month's. Mapping them (dates, keyed
// ids, scrubbing) only to find their row hash unchanged is most of a monthly ingest, so each row also gets a raw
// hash: a keyed hash of its raw values and of the mapping context (sealContext). Two rows with the same raw values
// under the same context map to the same landing values, so a row whose raw hash is that of its id's newest
// version (or of the sighting that is its newest) is unchanged without being mapped: it is recorded as seen in
// row_sightings, pointing at the version. Its id and dates are still read (unchangedID): the id to find the
// version, the dates because the file's day/month order and the export's as-of date are decided per file.
//
// The raw hash is 64 bits. The set the mapping looks in (rawSkip) is only a filter: the landing step joins each
// such row to its id's newest version on (id, raw hash), and a row that finds none (another id's hash equal by
// chance) fails the file's landing with errRawSkipMissed, which lands the file again without the filter; nothing is
// recorded from the failed attempt.

// rawSkipOff, when set (tests), maps every row: the landing must be the same either way.
var rawSkipOff bool

// rawHashVersion changes whenever the mapping of the same raw values under the same profile changes in a way the
// build revision does not show (a build without version control information).
const rawHashVersion = 1

// rawSkip is the set of raw hashes of the newest versions of a source's ids; nil or empty: nothing is recognised
// before mapping.
type rawSkip struct {
	set hashSet
	// ids are the hashes (idHash) of the ids that have a newest version: a mapped row whose id is not among them
	// cannot be unchanged and lands without being compared (knownID).
	ids hashSet
}

// release drops the sets once the mapping is done.
func (s *rawSkip) release() {
	if s != nil {
		s.set, s.ids = hashSet{}, hashSet{}
	}
}

// knownID says whether a landed id may have a newest version (a chance equal hash says yes: the row is then
// compared, as every row is without a set).
func (s *rawSkip) knownID(id string) bool {
	if s == nil {
		return true
	}
	return s.ids.has(idHash(id))
}

// idHash is FNV-1a (64 bits) of a landed id, for knownID only: it never leaves the process.
func idHash(id string) uint64 {
	h := fnv.New64a()
	io.WriteString(h, id)
	return h.Sum64()
}

// has says whether h is the raw hash of a newest version.
func (s *rawSkip) has(h uint64) bool {
	return s != nil && s.set.has(h)
}

// hashSet is a set of 64-bit hashes: sorted, with a directory of where each run of equal leading bits starts, so
// that a look-up reads the directory and a few neighbouring keys instead of binary searching the whole slice
// (every row of every export is looked up; the hashes are spread evenly over their range).
type hashSet struct {
	keys  []uint64
	dir   []uint32 // dir[b] is the first index of keys whose leading bits (key >> shift) are b or more
	shift uint
}

// newHashSet sorts keys (in place) and builds the directory: 8 to 16 keys per run on average (two cache lines to
// search; the directory adds at most half a byte per key).
func newHashSet(keys []uint64) hashSet {
	slices.Sort(keys)
	if len(keys) == 0 || len(keys) > math.MaxUint32 {
		return hashSet{keys: keys}
	}
	b := max(bits.Len(uint(len(keys)/16)), 1)
	s := hashSet{keys: keys, dir: make([]uint32, 1<<b+1), shift: uint(64 - b)}
	i := 0
	for d := range s.dir {
		for i < len(keys) && keys[i]>>s.shift < uint64(d) {
			i++
		}
		s.dir[d] = uint32(i)
	}
	return s
}

// has says whether h is one of the set's keys: a binary search of the run of keys sharing h's leading bits.
func (s hashSet) has(h uint64) bool {
	keys := s.keys
	if s.dir != nil {
		b := h >> s.shift
		keys = keys[s.dir[b]:s.dir[b+1]]
	}
	_, ok := slices.BinarySearch(keys, h)
	return ok
}

// rawHashable says whether a row's raw values alone decide its mapping: not a row the reader could not read
// whole, nor one with merged cells filled from the rows above.
func rawHashable(r rawRow) bool {
	return r.Issue == nil && r.Problem == "" && len(r.Merged) == 0
}

// sealContext fixes the mapping context the raw hashes are made in: the code (rawHashVersion and the build's
// revision), the source, its profile, the file's header and the columns each field is read from (by name, synonym
// or content), the fields landed keyed, the date and text settings found in the file, and the years the calendar
// covers. The export's as-of date is not part of it: unchangedID places each row's receipt against it.
func (m *mapper) sealContext(source string) {
	ctx := struct {
		Version                       int
		Revision, Modified            string
		Source                        string
		Profile                       *Profile
		Header                        []string
		Columns                       columnMap
		Keyed                         []string
		Layouts                       []string
		Intake, FixedReceipt, Years   string
		TextLevel                     int
		StrictWidth, Serials, Date904 bool
	}{Version: rawHashVersion, Source: source, Profile: m.profile, Header: m.table.Header, Columns: m.cols, Keyed: m.keyed,
		Layouts: m.layouts, Intake: m.intake, FixedReceipt: m.fixedReceipt, Years: m.yearsText,
		TextLevel: int(m.table.textLevel), StrictWidth: m.table.StrictWidth, Serials: m.table.Serials, Date904: m.table.Date1904}
	if bi, ok := debug.ReadBuildInfo(); ok {
		ctx.Modified = bi.Main.Version // a module build (go install) names its version, a checkout its revision
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				ctx.Revision = s.Value
			case "vcs.modified":
				ctx.Modified += " " + s.Value
			}
		}
	}
	b, err := json.Marshal(ctx)
	if err != nil {
		m.context = nil // no raw hashes: every row is mapped
		return
	}
	sum := sha256.Sum256(b)
	m.context = sum[:]
}

// rawHash is the keyed hash of a row's raw values in the sealed context: HMAC-SHA256 with the privacy key over
// the context and each value with its length; its first 8 bytes.
func (m *mapper) rawHash(r rawRow) uint64 {
	if m.rawMac == nil {
		m.rawMac = hmac.New(sha256.New, m.key)
	}
	b := binary.AppendUvarint(append(m.hashIn[:0], m.context...), uint64(len(r.Fields)))
	for _, v := range r.Fields {
		b = appendWithLen(b, v)
	}
	m.hashIn = b
	m.rawMac.Reset()
	m.rawMac.Write(b)
	var sum [sha256.Size]byte
	return binary.BigEndian.Uint64(m.rawMac.Sum(sum[:0])[:8])
}

// unchangedID is the landed id of a row recognised by its raw hash, with ok false when the row must be mapped
// after all: its text or width would make it a reject, a date of it is an ambiguous year-last date (read only
// once the file's day/month order is known), or its receipt falls outside what this export may hold. It reads
// the row's dates as the mapping does, so they count towards the file's day/month order.
func (m *mapper) unchangedID(r rawRow) (string, bool) {
	if m.table.StrictWidth && len(r.Fields) != len(m.table.Header) {
		return "", false
	}
	if m.table.textLevel != textClean {
		var rej *Reject
		if r, _, rej = m.checkText(r); rej != nil {
			return "", false
		}
	}
	id, _ := m.at(r.Fields, fiSourceID)
	if id == "" {
		return "", false
	}
	recv, recvText, ok := m.fixedReceipt, m.fixedReceipt, m.fixedReceipt != ""
	if !ok {
		recv, _ = m.at(r.Fields, fiReceivedAt)
		if recvText, ok = m.dateText(recv, m.hints["received_at"]); !ok || placeholder(recvText) {
			return "", false
		}
	}
	if m.placeInTime(r, recv, recvText) != nil {
		return "", false
	}
	for fi := range inputFields {
		if f := &inputFields[fi]; f.Kind != kindDate || m.col[fi] < 0 {
			continue
		}
		if v, _ := m.at(r.Fields, fi); v != "" {
			if t, ok := m.dateText(v, m.hints[inputFields[fi].Name]); ok && placeholder(t) {
				return "", false
			}
		}
	}
	landed, _ := m.idValue(fiSourceID, id)
	return landed, true
}

// placeholder says whether a mapped date text is the placeholder of an ambiguous year-last date (dateorder.go).
func placeholder(t string) bool { return len(t) > 2 && t[2] == '/' }

// seenSchema is the record batch of rows recognised unchanged before mapping: row number, landed id, raw hash.
var seenSchema = arrow.NewSchema([]arrow.Field{
	{Name: "row_number", Type: arrow.PrimitiveTypes.Int64},
	{Name: "source_id", Type: arrow.BinaryTypes.String},
	{Name: "raw_hash", Type: arrow.PrimitiveTypes.Uint64},
}, nil)

// isSeen says whether a record batch the mapping emits holds rows recognised unchanged (seenSchema).
func isSeen(rec arrow.RecordBatch) bool { return rec.Schema().Equal(seenSchema) }

type seenBuilder struct {
	b    *array.RecordBuilder
	num  *array.Int64Builder
	id   *array.StringBuilder
	hash *array.Uint64Builder
}

func newSeenBuilder(capacity int) *seenBuilder {
	b := array.NewRecordBuilder(memory.DefaultAllocator, seenSchema)
	s := &seenBuilder{b: b, num: b.Field(0).(*array.Int64Builder), id: b.Field(1).(*array.StringBuilder), hash: b.Field(2).(*array.Uint64Builder)}
	s.num.Reserve(capacity)
	s.id.Reserve(capacity)
	s.hash.Reserve(capacity)
	return s
}

func (s *seenBuilder) add(num int, id string, h uint64) {
	s.num.Append(int64(num))
	s.id.Append(id)
	s.hash.Append(h)
}

// record is the built batch; the builder is released.
func (s *seenBuilder) record() arrow.RecordBatch {
	rec := s.b.NewRecordBatch()
	s.b.Release()
	return rec
}
