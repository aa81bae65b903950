package render

import (
	"regexp"
	"strings"
	"testing"

	"complaints/catalog"
)

// jargon are statistical words that stay in docs/decisions.md, never in what a quality manager reads.
var jargon = regexp.MustCompile(`(?i)poisson|binomial|benjamini|hochberg|\bFDR\b|p-value|p值|c-chart|u-chart|c图|u图|sigma|σ|over-?dispersion|泊松|二项|离散|错误发现率|显著性`)

// TestMethodIsPlainWords: every plain-method key exists in zh and en, and none holds statistical jargon.
func TestMethodIsPlainWords(t *testing.T) {
	for _, lang := range []string{"zh", "en"} {
		for _, k := range MethodKeys {
			s := catalog.Text(k, lang)
			if s == "" || strings.HasPrefix(s, "?") {
				t.Errorf("%s %s: missing", k, lang)
			}
			if m := jargon.FindString(s); m != "" {
				t.Errorf("%s %s holds jargon %q: %s", k, lang, m, s)
			}
			if !strings.Contains(Method(lang, "\n"), s) {
				t.Errorf("Method(%s) lacks %s", lang, k)
			}
		}
	}
}
