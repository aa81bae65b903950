package catalog

import (
	"strings"
	"testing"
)

// TestHeaderCuesParse: the embedded cues parse; an unknown value kind, a field listed twice and a cue without
// words are refused.
func TestHeaderCuesParse(t *testing.T) {
	if len(HeaderCues()) == 0 {
		t.Fatal("no header cues")
	}
	for _, bad := range []string{
		"cues:\n  - {field: major, words: [重大], values: [boolean]}\n",
		"cues:\n  - {field: major, words: [重大], values: [flag]}\n  - {field: major, words: [major], values: [flag]}\n",
		"cues:\n  - {field: major, words: [], values: [flag]}\n",
		"cues:\n  - {field: major, words: [重大], values: [flag], note: x}\n",
	} {
		if _, err := parseHeaderCues([]byte(bad)); err == nil || !strings.Contains(err.Error(), "header_cues.yaml") {
			t.Errorf("%q: %v", bad, err)
		}
	}
}
