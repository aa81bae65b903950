package reports

import (
	"strings"
	"testing"

	"complaints/catalog"
	"complaints/rootcause"
	"complaints/rootcause/render"
)

// TestRootCauseRemediationShowsEffect: the 根因 sheet's remediation cell of a recurring finding carries the
// before/after sentence of its completed action.
func TestRootCauseRemediationShowsEffect(t *testing.T) {
	w := &workbook{lang: "zh"}
	eff := &rootcause.RemediationEffect{Sentence: map[string]string{"zh": "整改于2026-03-15完成：此前月均10.0件", "en": "x"}}
	rc := rootcause.Recurrence{Actions: []rootcause.Action{{Cause: "service_quality", Action: "培训", Status: "完成", Due: "2026-03-15"}}, Effect: eff}
	if got := w.remediation(rc); !strings.Contains(got, "培训") || !strings.Contains(got, eff.Sentence["zh"]) {
		t.Errorf("remediation cell %q", got)
	}
}

// TestRootCauseMethodNoteIsThePlainMethod: the 根因 sheet's method note is the plain-words method that
// `complaints rootcause --help` shows (render.MethodKeys), in the sheet's language.
func TestRootCauseMethodNoteIsThePlainMethod(t *testing.T) {
	for _, lang := range []string{"zh", "en"} {
		w := &workbook{lang: lang, st: &styles{}, findings: &rootcause.Findings{}}
		g := w.rootCauses()
		var note string
		for _, c := range g.cells {
			if strings.HasPrefix(c.text, w.t("rpt_rc_method_title")) {
				note = c.text
			}
		}
		for _, k := range render.MethodKeys {
			if s := catalog.Text(k, lang); !strings.Contains(note, s) {
				t.Errorf("%s: the method note lacks %s (%q); note: %q", lang, k, s, note)
			}
		}
		for _, j := range []string{"Poisson", "Benjamini", "泊松", "二项", "±3"} {
			if strings.Contains(note, j) {
				t.Errorf("%s: the method note holds %q", lang, j)
			}
		}
	}
}
