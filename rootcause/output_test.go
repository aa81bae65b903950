package rootcause_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"complaints/rootcause"
	"complaints/rootcause/render"
)

// TestSampleOutput: the findings on the sample bank are written in every language and format with every label
// found, and the CSV says which control chart a rate series takes.
func TestSampleOutput(t *testing.T) {
	db := rootcause.SampleDB(t)
	// 20,000,000 personal customers (2,000 in 10,000s): bank-wide series take u-charts, branches keep c-charts
	f, err := rootcause.Analyze(context.Background(), db, rootcause.Options{Period: "2026-07", ExcludeFlaggedFromBaseline: true,
		Customers: rootcause.Customers{Total: 20_000_000}})
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"zh", "en"} {
		for _, format := range []string{"table", "csv", "json"} {
			var buf bytes.Buffer
			if err := render.Write(&buf, f, lang, format, 10); err != nil {
				t.Fatal(err)
			}
			if s := buf.String(); strings.Contains(s, "?rc_") || strings.Contains(s, "?cumulative") || len(s) < 500 {
				t.Errorf("%s/%s output: missing label or empty:\n%s", lang, format, s)
			}
		}
	}
	var buf bytes.Buffer
	render.Write(&buf, f, "en", "csv", 0)
	if !strings.Contains(buf.String(), ",mobile_app,") || !strings.Contains(buf.String(), "section,rank,series_kind,series_key,label,count,chart_type,rate,") {
		t.Errorf("csv header or mobile_app row missing")
	}
	for _, line := range strings.Split(buf.String(), "\n") {
		if strings.HasPrefix(line, "control,") && strings.Contains(line, ",business_channel,mobile_app,") && !strings.Contains(line, ",u,") {
			t.Errorf("mobile_app control row does not say u-chart: %s", line)
		}
	}
}
