package transform

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"complaints/catalog"
	"complaints/ingest"
	"complaints/warehouse"
)

// respelledValue is one value of the sample bank's classified columns as another bank spells it, with the code a
// reader gives it (ingest/testdata/otherbank_values/respelled.csv).
type respelledValue struct{ dimension, value, code string }

// respelledColumns are the fixture's columns: its header (a built-in header synonym) by dimension.
var respelledColumns = []struct{ dimension, header string }{
	{"intake_channel", "渠道"}, {"business_channel", "业务渠道"}, {"business_category", "业务类别"}, {"cause", "投诉原因"},
	{"complaint_type", "投诉类型"}, {"demand", "客户诉求"}, {"status", "处理状态"}, {"satisfaction", "满意度"},
}

func readRespelled(t *testing.T) []respelledValue {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "ingest", "testdata", "otherbank_values", "respelled.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []respelledValue
	for _, r := range recs[1:] {
		out = append(out, respelledValue{r[0], r[1], r[2]})
	}
	return out
}

// respelledHandMappings is how many distinct respelled values may still need a hand mapping (a synonym in the
// user taxonomy file): at most 5% of them.
const respelledHandMappings = 2

// TestRespelledValuesMapping measures normalise's automatic mapping of values: the sample bank's categories,
// causes, channels, complaint types, demands, statuses and satisfaction, respelled as another bank writes them
// (none of them a catalogue spelling), ingested and normalised. It counts the distinct values left without a code
// (a hand mapping each) and fails on any value mapped to a wrong code: a wrong automatic mapping is worse than
// none.
func TestRespelledValuesMapping(t *testing.T) {
	vals := readRespelled(t)
	byDim := map[string][]respelledValue{}
	for _, v := range vals {
		if catalog.Known(v.dimension, v.value) {
			t.Errorf("%s %q is already a catalogue spelling: not a respelling", v.dimension, v.value)
		}
		if _, ok := catalog.Lookup(v.dimension, v.code); !ok {
			t.Errorf("%s %q: no code %q", v.dimension, v.value, v.code)
		}
		byDim[v.dimension] = append(byDim[v.dimension], v)
	}
	// every code of the sample bank's dimensions is respelled at least once (intake channels: those the sample uses)
	for _, c := range respelledColumns {
		for _, code := range catalog.Dimension(c.dimension) {
			if c.dimension == "intake_channel" && slices.Contains([]string{"email", "media", "social_media", "other"}, code.Code) ||
				code.Code == "not_recorded" { // satisfaction not taken: the sample records none such
				continue
			}
			if !slices.ContainsFunc(byDim[c.dimension], func(v respelledValue) bool { return v.code == code.Code }) {
				t.Errorf("%s.%s has no respelling", c.dimension, code.Code)
			}
		}
	}
	got, listed := normaliseValues(t, vals)
	var hand []string
	for _, v := range vals {
		code, ok := got[v.dimension+"|"+v.value]
		switch {
		case !ok:
			t.Errorf("%s %q not found in complaints", v.dimension, v.value)
		case listed[v.dimension+"|"+v.value]:
			// listed by `taxonomy unmapped` (an unmapped status reads as open, without a reply date)
			hand = append(hand, v.dimension+":"+v.value)
		case code == v.code:
		case code == "unmapped" || code == "NULL" || (v.dimension == "status" && code == "open"):
			hand = append(hand, v.dimension+":"+v.value)
		default:
			t.Errorf("%s %q mapped to %s, a reader says %s", v.dimension, v.value, code, v.code)
		}
	}
	t.Logf("%d of %d distinct respelled values need a hand mapping (%.1f%%): %s", len(hand), len(vals),
		100*float64(len(hand))/float64(len(vals)), strings.Join(hand, ", "))
	if len(hand) > respelledHandMappings {
		t.Errorf("%d distinct values need a hand mapping, at most %d", len(hand), respelledHandMappings)
	}
}

// normaliseValues writes one CSV in which row i carries the i-th value of every dimension of vals (cycling, so
// every value occurs; no reply date), ingests and normalises it, and returns the code each raw value came out
// with ("dimension|raw" -> code, "NULL" for none; status: the complaint's status) and the raw values
// `taxonomy unmapped` lists (unmapped_values).
func normaliseValues(t *testing.T, vals []respelledValue) (got map[string]string, listed map[string]bool) {
	t.Helper()
	byDim := map[string][]respelledValue{}
	for _, v := range vals {
		byDim[v.dimension] = append(byDim[v.dimension], v)
	}
	var columns []struct{ dimension, header string }
	for _, c := range respelledColumns {
		if len(byDim[c.dimension]) > 0 {
			columns = append(columns, c)
		}
	}
	// the fixture: row i carries the i-th respelling of every dimension (cycling), so every value occurs
	rows := 0
	for _, c := range columns {
		rows = max(rows, len(byDim[c.dimension]))
	}
	var b strings.Builder
	w := csv.NewWriter(&b)
	header := []string{"工单编号", "受理时间"}
	for _, c := range columns {
		header = append(header, c.header)
	}
	w.Write(header)
	for i := range rows {
		rec := []string{fmt.Sprintf("R%03d", i), "2026-10-05 10:00:00"}
		for _, c := range columns {
			vs := byDim[c.dimension]
			rec = append(rec, vs[i%len(vs)].value)
		}
		w.Write(rec)
	}
	w.Flush()
	path := filepath.Join(t.TempDir(), "otherbank_20261031.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	wh, err := warehouse.Open(ctx, warehouse.Options{Path: ":memory:", Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { wh.Close() })
	cols := map[string]string{"source_id": "工单编号", "received_at": "受理时间"}
	for _, c := range columns {
		cols[c.dimension] = c.header
	}
	opts := ingest.Options{HMACKey: []byte("k"), Profiles: []ingest.Profile{{Name: "otherbank", Encoding: "utf-8", Columns: cols}},
		Now: func() time.Time { return time.Date(2026, 11, 1, 9, 0, 0, 0, warehouse.Beijing) }}
	res, err := ingest.IngestFiles(ctx, wh, opts, []string{path}, "otherbank")
	if err != nil || res[0].Err != nil {
		t.Fatal(err, res[0].Err)
	}
	if res[0].Accepted != rows {
		t.Fatalf("accepted %d of %d rows", res[0].Accepted, rows)
	}
	if _, err := Normalize(ctx, wh, Options{}); err != nil {
		t.Fatal(err)
	}
	// the code each raw value came out with
	got = map[string]string{}
	for _, c := range columns {
		col := c.dimension
		for _, r := range rowsOf(t, wh.DB, fmt.Sprintf(`SELECT DISTINCT l.%[1]s || '|' || coalesce(c.%[1]s, 'NULL')
			FROM complaints c JOIN landed_rows l USING (batch_id, row_number)`, col)) {
			raw, code, _ := strings.Cut(r, "|")
			got[c.dimension+"|"+raw] = code
		}
	}
	listed = map[string]bool{}
	for _, r := range rowsOf(t, wh.DB, `SELECT dimension || '|' || raw_value FROM unmapped_values`) {
		listed[r] = true
	}
	return got, listed
}
