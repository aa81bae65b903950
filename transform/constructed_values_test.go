package transform

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"complaints/catalog"
)

// constructedHandMappings is how many distinct constructed values may still need a hand mapping (a synonym in
// the user taxonomy file).
const constructedHandMappings = 1

// TestConstructedValuesMapping measures normalise's automatic mapping of statuses, satisfaction and demands on a
// value set constructed to differ from the sample bank's (ingest/testdata/otherbank_values/constructed.csv:
// 已销号, 待回访, 好评, 未回访, 要求给个说法 ...; code none: a reader records no value, e.g. satisfaction 未回访).
// A value needs a hand mapping when `taxonomy unmapped` lists it or it came out as the fallback (no code; status
// open); a value mapped to another code than the reader's fails the test.
func TestConstructedValuesMapping(t *testing.T) {
	f, err := os.Open(filepath.Join("..", "ingest", "testdata", "otherbank_values", "constructed.csv"))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	var vals []respelledValue
	for _, r := range recs[1:] {
		v := respelledValue{r[0], r[1], r[2]}
		if catalog.Known(v.dimension, v.value) {
			t.Errorf("%s %q is a catalogue spelling", v.dimension, v.value)
		}
		if _, ok := catalog.Lookup(v.dimension, v.code); !ok && v.code != "none" {
			t.Errorf("%s %q: no code %q", v.dimension, v.value, v.code)
		}
		vals = append(vals, v)
	}
	got, listed := normaliseValues(t, vals)
	var hand []string
	for _, v := range vals {
		k := v.dimension + "|" + v.value
		code, ok := got[k]
		fallback := code == "NULL" || code == "unmapped" || (v.dimension == "status" && code == "open")
		switch {
		case !ok:
			t.Errorf("%s %q not found in complaints", v.dimension, v.value)
		case v.code == "none" && code != "NULL":
			t.Errorf("%s %q mapped to %s, a reader records no value", v.dimension, v.value, code)
		case listed[k]:
			hand = append(hand, v.dimension+":"+v.value)
		case code == v.code || (v.code == "none" && code == "NULL"):
		case fallback:
			hand = append(hand, v.dimension+":"+v.value)
		default:
			t.Errorf("%s %q mapped to %s, a reader says %s", v.dimension, v.value, code, v.code)
		}
	}
	t.Logf("%d of %d distinct constructed values need a hand mapping (%.1f%%): %s", len(hand), len(vals),
		100*float64(len(hand))/float64(len(vals)), strings.Join(hand, ", "))
	if len(hand) > constructedHandMappings {
		t.Errorf("%d distinct values need a hand mapping, at most %d", len(hand), constructedHandMappings)
	}
}
