package reports

import (
	"strings"
	"testing"

	"complaints/rootcause"
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
