package rootcause_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"complaints/rootcause"
	"complaints/rootcause/render"
)

// TestNewSeriesRendered: the hand-worked new cause is "new" (新出现) in the table and the CSV and "new": true
// without a rise in the JSON; no format prints an infinite or a -1 rise; the ranked findings come first, with the
// excess and the first month.
func TestNewSeriesRendered(t *testing.T) {
	f := rootcause.HandWorked()
	for _, lang := range []string{"zh", "en"} {
		newWord := map[string]string{"zh": "新出现", "en": "new"}[lang]
		for _, format := range []string{"table", "csv", "json"} {
			var buf bytes.Buffer
			if err := render.Write(&buf, f, lang, format, 0); err != nil {
				t.Fatal(err)
			}
			s := buf.String()
			if strings.Contains(s, "Inf") || strings.Contains(s, `"rise": -1`) || strings.Contains(s, "-100%") {
				t.Errorf("%s/%s: an infinite or -1 rise:\n%s", lang, format, s)
			}
			switch format {
			case "table":
				if !strings.Contains(s, newWord) || !strings.Contains(s, "2026-08") {
					t.Errorf("%s table: no %q or first month:\n%s", lang, newWord, s)
				}
			case "csv":
				found := false
				for _, line := range strings.Split(s, "\n") {
					if strings.HasPrefix(line, "findings,") && strings.Contains(line, ",pricing_fees,") && strings.Contains(line, ","+newWord+",finding,") {
						found = true
					}
				}
				if !found {
					t.Errorf("%s csv: no findings row of pricing_fees with %q:\n%s", lang, newWord, s)
				}
			case "json":
				var got struct {
					Ranked []map[string]any `json:"ranked_findings"`
				}
				if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
					t.Fatal(err)
				}
				n := 0
				for _, fd := range got.Ranked {
					if fd["new"] == true {
						n++
						if _, ok := fd["rise"]; ok {
							t.Errorf("json: a new finding has a rise: %v", fd)
						}
					}
				}
				if n == 0 {
					t.Errorf("json: no \"new\": true finding:\n%s", s)
				}
			}
		}
	}
}
