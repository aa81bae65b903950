package render

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"complaints/rootcause"
)

// tableJargon are the statistical words the table output's headings and labels leave to docs/decisions.md: chart
// types by letter, control limits by abbreviation, the multiple-comparison procedure and its adjusted values.
var tableJargon = regexp.MustCompile(`(?i)\b[cu]\b ?\(|[cu]-?chart|[cu]图|\bUCL\b|\bLCL\b|\bBH\b|q-?value|p-?value|p值|benjamini|hochberg|\bFDR\b|false.discovery|错误发现率|poisson|binomial|泊松|二项|sigma|σ|√|log-ratio|对数比|显著`)

// TestTableHeadingsArePlain: the table output's summary lines, section headings, column headings and the labels of
// a flagged chart's row (its chart type and rules) hold no statistical jargon, in zh and en.
func TestTableHeadingsArePlain(t *testing.T) {
	months := []string{"2025-10", "2025-11", "2025-12", "2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"}
	counts := []int{10, 11, 9, 10, 12, 8, 10, 11, 9, 10, 10, 11, 40}
	chart := func(k rootcause.Key, typ string) rootcause.Chart {
		c := rootcause.Chart{Key: k, Type: typ, Counts: counts, Count: 40, Centre: 10, UCL: 19.5, UCLs: make([]float64, 13), LCLs: make([]float64, 13),
			Rule1: true, Rule4: true, Flagged: true, PValue: 1e-9, QValue: 1e-7}
		if typ == rootcause.ChartU {
			c.Rates, c.Customers = make([]float64, 13), make([]float64, 13)
		}
		return c
	}
	f := &rootcause.Findings{Period: "2026-10", Months: months, Options: rootcause.Options{BaselineMonths: 12, FDR: 0.05},
		Charts: []rootcause.Chart{chart(rootcause.Key{Kind: rootcause.KindCause, Parts: []string{"pricing_fees"}}, rootcause.ChartC),
			chart(rootcause.Key{Kind: rootcause.KindCategory, Parts: []string{"credit_card"}}, rootcause.ChartU)},
		Family: 1200, InsufficientHistory: []rootcause.Key{{Kind: rootcause.KindBranch, Parts: []string{"GD009"}}}}
	for _, lang := range []string{"zh", "en"} {
		var buf bytes.Buffer
		if err := Write(&buf, f, lang, "table", 10); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(buf.String(), "\n")
		var check []string
		for i, l := range lines {
			switch {
			case i < 4: // title, chart counts, the run's comparisons, insufficient history
				check = append(check, l)
			case strings.HasPrefix(l, "== "): // a section heading and its column headings
				check = append(check, l, lines[i+1])
			}
		}
		for _, l := range lines {
			if strings.Contains(l, "pricing_fees") || strings.Contains(l, "定价收费") || strings.Contains(l, "Pricing") || strings.Contains(l, "信用卡") || strings.Contains(l, "Credit card") { // the flagged charts' rows
				check = append(check, l)
			}
		}
		if len(check) < 25 {
			t.Fatalf("%s: %d heading lines found:\n%s", lang, len(check), buf.String())
		}
		for _, l := range check {
			if m := tableJargon.FindString(l); m != "" {
				t.Errorf("%s: %q holds jargon %q", lang, l, m)
			}
		}
	}
}
