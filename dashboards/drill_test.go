package dashboards

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestGrouped(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 12: "12", 999: "999", 1000: "1,000", 1234567: "1,234,567", -12345: "-12,345"} {
		if got := grouped(n); got != want {
			t.Errorf("grouped(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestNumbersAndVocabulary: counts in tiles and tables carry thousands separators, the page says 超期 (the
// workbook's word) and never 逾期, and the print stylesheet keeps each panel on one page.
func TestNumbersAndVocabulary(t *testing.T) {
	db := seed(t)
	exec(t, db, `UPDATE mart_category_month SET received = received + 12000 WHERE business_category = 'loans' AND month = DATE '2026-10-01'`)
	out := filepath.Join(t.TempDir(), "dashboard.html")
	if err := Write(context.Background(), db, Options{From: "2025-10", To: "2026-10", Out: out,
		GeneratedAt: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	_, _, _, markup := parts(t, string(b))
	// loans 2026-10 received 24 + credit_card 26 + payload 3 = 53, plus 12,000
	for _, want := range []string{`<div class="kpi-value">12,053</div>`, `<td>2026-10</td><td>12,053</td>`} {
		if !strings.Contains(markup, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if strings.Contains(string(b), "逾期") {
		i := strings.Index(string(b), "逾期")
		t.Errorf("page says 逾期: …%s…", string(b)[max(0, i-60):i+30])
	}
	if !strings.Contains(markup, "超期") {
		t.Error("page never says 超期")
	}
	css := stylesheet[strings.Index(stylesheet, "@media print"):]
	if strings.Contains(css, "break-before: page") || !strings.Contains(css, "break-inside: avoid") {
		t.Errorf("print stylesheet breaks a page before every panel, or lets one split:\n%s", css)
	}
}
