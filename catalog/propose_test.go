package catalog

import (
	"os"
	"path/filepath"
	"testing"
)

// TestProposeByMeaning: proposals for unmapped values are ranked by meaning, never by spelling: "Late fee" and
// "Credit reporting" get the crosswalk's codes, not facilities_systems (atm吞卡) or credit_card; Chinese values
// get the codes whose words they share; records of other sources come before words.
func TestProposeByMeaning(t *testing.T) {
	top := func(dim, raw string, rec []RecordEvidence) []string {
		var out []string
		for _, p := range Propose(dim, raw, rec, 3) {
			out = append(out, p.Code+"/"+p.Evidence)
		}
		return out
	}
	for _, c := range []struct {
		dim, raw string
		rec      []RecordEvidence
		want     string // first proposal
		not      string // never proposed
	}{
		{"cause", "Late fee", nil, "pricing_fees/crosswalk", "facilities_systems"},
		{"business_category", "Credit reporting", nil, "personal_information/crosswalk", "credit_card"},
		{"cause", "fee charged twice", nil, "pricing_fees/words", "facilities_systems"},
		{"cause", "柜员态度冷淡", nil, "service_quality/words", ""},
		{"cause", "费用争议未解决", nil, "pricing_fees/words", ""},
		{"business_category", "储蓄国债", []RecordEvidence{{"treasury", 4}}, "treasury/records", ""},
		{"business_channel", "云端柜台", nil, "branch_counter/words", ""},
	} {
		got := top(c.dim, c.raw, c.rec)
		if len(got) == 0 || got[0] != c.want {
			t.Errorf("%s %q: proposals %v, want %s first", c.dim, c.raw, got, c.want)
		}
		for _, p := range Propose(c.dim, c.raw, c.rec, 10) {
			if p.Code == c.not {
				t.Errorf("%s %q: %s proposed (%s %s)", c.dim, c.raw, c.not, p.Evidence, p.Detail)
			}
		}
	}
	// nothing in common: no proposal (edit distance alone proposes nothing)
	if got := top("cause", "zzz", nil); len(got) != 0 {
		t.Errorf("zzz: %v", got)
	}
}

// TestValueWords: the catalogue's value words reach normalise (ValueWords) and its fingerprint; a user file adds
// words; a word two codes of one dimension claim is dropped (evidence for neither).
func TestValueWords(t *testing.T) {
	t.Cleanup(func() { UseUserFile("") })
	has := func(dim, word, code string) bool {
		for _, w := range ValueWords() {
			if w.Dimension == dim && w.Text == word {
				return w.Code == code
			}
		}
		return false
	}
	if !has("business_channel", "掌上", "mobile_app") || !has("status", "结案", "closed") {
		t.Error("built-in value words missing")
	}
	before := Fingerprint()
	path := filepath.Join(t.TempDir(), "tax.yaml")
	os.WriteFile(path, []byte("dimensions:\n  business_channel:\n    - {code: sms, words: [短讯]}\n    - {code: third_party, words: [掌上]}\n"), 0o644)
	if err := UseUserFile(path); err != nil {
		t.Fatal(err)
	}
	if !has("business_channel", "短讯", "sms") || has("business_channel", "掌上", "mobile_app") || has("business_channel", "掌上", "third_party") {
		t.Errorf("user words: %v", ValueWords())
	}
	if Fingerprint() == before {
		t.Error("value words are not in the fingerprint")
	}
}
