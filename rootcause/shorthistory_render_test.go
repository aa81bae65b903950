package rootcause_test

import (
	"bytes"
	"strings"
	"testing"

	"complaints/catalog"
	"complaints/rootcause"
	"complaints/rootcause/render"
)

// TestShortHistorySaysSo: the generator's bank with 3 months of data says "insufficient history" (how many series,
// and the 6 months a test needs) in both languages, and its findings section is empty.
func TestShortHistorySaysSo(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the generator's bank end to end")
	}
	f := rootcause.ShortHistoryFindings(t)
	for _, lang := range []string{"zh", "en"} {
		var buf bytes.Buffer
		if err := render.Write(&buf, f, lang, "table", 10); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		want := catalog.Msg("msg_calib_insufficient", len(f.InsufficientHistory), rootcause.MinHistory).In(lang)
		if len(f.InsufficientHistory) == 0 || !strings.Contains(out, want) {
			t.Errorf("%s: the output does not say %q:\n%s", lang, want, out)
		}
		findings := strings.SplitN(strings.SplitN(out, "\n== ", 3)[1], "\n== ", 2)[0]
		if !strings.Contains(findings, catalog.Text("rc_none", lang)) {
			t.Errorf("%s: findings with insufficient history:\n%s", lang, findings)
		}
	}
}
