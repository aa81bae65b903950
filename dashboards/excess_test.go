package dashboards

import (
	"strings"
	"testing"

	"complaints/rootcause"
)

// TestRecurringRemediationShowsEffect: the recurring table's remediation cell carries the before/after sentence of
// a completed action.
func TestRecurringRemediationShowsEffect(t *testing.T) {
	eff := &rootcause.RemediationEffect{Sentence: map[string]string{"zh": "x", "en": "Action completed 2026-03-15: a clear drop"}}
	r := rootcause.Recurrence{Actions: []rootcause.Action{{Cause: "service_quality", Action: "training", Status: "done", Due: "2026-03-15"}}, Effect: eff}
	if got, _ := remediationCell("en", r); !strings.Contains(got, "training") || !strings.Contains(got, eff.Sentence["en"]) {
		t.Errorf("remediation cell %q", got)
	}
}
