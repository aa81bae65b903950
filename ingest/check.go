package ingest

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// CheckReport is what `sources check FILE` shows: how the file would be read and mapped, five sample landed
// rows and the problems foreseen. Nothing is written.
type CheckReport struct {
	Path      string
	Source    string // profile or derived source name
	Profile   string // the profile used ("" = header synonyms only)
	Format    string
	Encoding  string
	Delimiter string
	Sheet     string
	HeaderRow int
	Header    []string
	// Mapping is landing field -> header text, with how it was found (profile or synonym) in MappedBy.
	Mapping  map[string]string
	MappedBy map[string]string
	// Unmapped are header texts that map to no field (not landed).
	Unmapped []string
	AsOf     string
	// Samples are the first five rows as they would land (landing column -> value; NULLs left out).
	Samples []map[string]string
	// Rows read, accepted and rejected in the whole file, and the first rejects.
	Read, Accepted, Rejected int
	Rejects                  []Reject
	// NoProvince is the accepted rows that would land without a province; ProvinceColumn says whether a column
	// of the file maps to the province.
	NoProvince     int
	ProvinceColumn bool
	// Problems foreseen: missing required columns, a reject rate above the limit, unmapped headers.
	Problems []string
	// Personal says which id columns land keyed as personal data (msg_privacy_personal_column, one a column).
	Personal []error
	// Refused is the error ingest would refuse the file with (missing columns, a reject rate above the limit);
	// nil when the file would land. Check's own error covers files it cannot open at all.
	Refused error
	// EncodingGuessed: the encoding was chosen by weighing the file's bytes (FileResult.EncodingGuessed).
	EncodingGuessed bool
	// Used is the profile this file was read with, as a user could pin it in complaints.yaml: the profile's own
	// keys, the format, encoding, delimiter, sheet and header row found, and every mapped field's header (the
	// profile's names as written, the synonyms' header as found). Nil when the file would be refused unmapped.
	Used *Profile
}

// Check inspects a file with profile p (nil: the profile is found as IngestFiles would, by header) and
// reports its format, encoding, delimiter, sheet, header row, mapping, five sample landed rows and foreseen
// problems. It reads the whole file to count rejects, and writes nothing.
func Check(ctx context.Context, path string, p *Profile, opts Options) (*CheckReport, error) {
	opts.defaults()
	if len(opts.HMACKey) == 0 {
		// a key of this run alone: the sample rows' keyed ids cannot be recomputed from a known key
		opts.HMACKey = make([]byte, 32)
		if _, err := rand.Read(opts.HMACKey); err != nil {
			return nil, err
		}
	}
	display := displayPath(opts.BaseDir, path)
	if p == nil {
		p = profileByGlob(opts, path)
	}
	rep := &CheckReport{Path: display, Mapping: map[string]string{}, MappedBy: map[string]string{}}
	o, err := openFile(ctx, path, display, p, opts.HMACKey, opts.Limits, branchSet(opts), nil)
	if err != nil {
		if errors.Is(err, ErrMissingColumns) {
			rep.Problems = append(rep.Problems, err.Error())
			rep.Refused = err
			if o != nil {
				t := o.table
				rep.Format, rep.Encoding, rep.Delimiter, rep.Sheet = t.Format, t.Encoding, t.Delimiter, t.Sheet
				rep.EncodingGuessed, rep.HeaderRow = t.EncodingGuessed, t.HeaderRow
				if looksLikeHeader(t.Header) {
					rep.Header = t.Header
				}
				if o.profile != nil {
					rep.Profile, rep.Source = o.profile.Name, o.profile.Name
					rep.Used = usedProfile(o)
				}
			}
			return rep, nil
		}
		return nil, err
	}
	defer o.table.Close()
	o.receiptBounds(opts)
	t := o.table
	rep.Source, rep.Format, rep.Encoding, rep.Delimiter, rep.Sheet = o.source, t.Format, t.Encoding, t.Delimiter, t.Sheet
	rep.EncodingGuessed = t.EncodingGuessed
	rep.HeaderRow, rep.Header = t.HeaderRow, t.Header
	if o.profile != nil {
		rep.Profile = o.profile.Name
	}
	if o.asOf != nil {
		rep.AsOf = o.asOf.Format("2006-01-02")
	}
	mappedCols := map[int]bool{}
	for f, i := range o.mapper.cols.Index {
		rep.Mapping[f] = t.Header[i]
		rep.MappedBy[f] = o.mapper.cols.By[f]
		mappedCols[i] = true
	}
	rep.Personal = personalColumns(o)
	for i, h := range t.Header {
		if !mappedCols[i] && h != "" {
			rep.Unmapped = append(rep.Unmapped, h)
		}
	}
	_, rep.ProvinceColumn = o.mapper.cols.Index["province"]
	province := slices.Index(landingColumns, "province") + 1
	st, err := o.mapper.mapTable(ctx, func(rec arrow.RecordBatch) error {
		pv := rec.Column(province).(*array.String)
		for r := 0; r < int(rec.NumRows()); r++ {
			if pv.IsNull(r) || strings.TrimSpace(pv.Value(r)) == "" {
				rep.NoProvince++
			}
		}
		for r := 0; r < int(rec.NumRows()) && len(rep.Samples) < 5; r++ {
			row := map[string]string{"row_number": fmt.Sprint(rec.Column(0).(*array.Int64).Value(r))}
			for i, c := range landingColumns {
				if i == liRowHash || i == liRawHash {
					continue
				}
				col := rec.Column(i + 1).(*array.String)
				if !col.IsNull(r) {
					row[c] = col.Value(r)
				}
			}
			rep.Samples = append(rep.Samples, row)
		}
		return nil
	}, func(r Reject) error {
		if len(rep.Rejects) < keepRejects {
			rep.Rejects = append(rep.Rejects, r)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("file %q: %w", display, err)
	}
	rep.Read, rep.Accepted, rep.Rejected = st.Read, st.Accepted, st.Rejected
	rep.Used = usedProfile(o)
	if st.Ambiguous > 0 {
		for _, s := range rep.Samples {
			for _, c := range dateLandingColumns {
				if v, ok := s[c]; ok {
					s[c] = readAmbiguous(v, st.DateOrder)
				}
			}
		}
	}
	for _, n := range fileNotes(o.mapper, st) {
		rep.Problems = append(rep.Problems, n.Error())
	}
	if st.Read > 0 && float64(st.Rejected)/float64(st.Read) > opts.MaxRejectRate {
		rep.Refused = rejectRateError(st, opts.MaxRejectRate, rep.Rejects)
		rep.Problems = append(rep.Problems, rep.Refused.Error())
	}
	if st.Read == 0 {
		rep.Problems = append(rep.Problems, "no data rows below the header")
	}
	reasons := map[string]int{}
	for _, r := range rep.Rejects {
		reasons[r.Reason]++
	}
	keys := make([]string, 0, len(reasons))
	for k := range reasons {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		rep.Problems = append(rep.Problems, fmt.Sprintf("rejects: %s (%d among the first %d)", k, reasons[k], len(rep.Rejects)))
	}
	return rep, nil
}

// usedProfile is the profile a file was read with, pinned: what was detected written out, the synonyms' mapping
// added to the profile's columns.
func usedProfile(o *opened) *Profile {
	var u Profile
	if o.profile != nil {
		u = *o.profile
		u.DateFormats = slices.Clone(u.DateFormats)
		u.Optional = slices.Clone(u.Optional)
		u.Personal, u.NotPersonal = slices.Clone(u.Personal), slices.Clone(u.NotPersonal)
	}
	if o.source != "" {
		u.Name = o.source
	}
	if u.Glob == "" {
		u.Glob = o.in.Name // the file as shown (relative to the config's folder when inside it)
	}
	t := o.table
	u.Format = t.Format
	switch t.Format {
	case "csv", "tsv":
		u.Encoding, u.Delimiter = t.Encoding, t.Delimiter
		if t.Delimiter == "\t" {
			u.Delimiter = `\t`
		}
	case "json", "ndjson":
		u.Encoding = t.Encoding
	}
	if t.Format == "xlsx" {
		u.Sheet = t.Sheet
	}
	if t.HeaderRow > 0 && (t.Format == "csv" || t.Format == "tsv" || t.Format == "xlsx") {
		u.HeaderRow = t.HeaderRow
	}
	cols := ColumnMap{}
	maps.Copy(cols, u.Columns)
	if o.mapper != nil { // nil when the mapping refused the file: the profile's columns as written
		cm := o.mapper.cols
		for f, i := range cm.Index {
			if cm.By[f] != "profile" && i < len(cm.Header) {
				cols[f] = cm.Header[i]
			}
		}
	}
	u.Columns = cols
	return &u
}
