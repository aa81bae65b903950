package dashboards

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestDashboardCoverage: the data start in 2025-11 (source_coverage's first month), so 2025-10 on the page is no
// data: a gap in the trend (null, never 0) and '—' in its tables; 2026-10 misses walk_in's export, so the page
// carries a banner naming the month, the source, its median and the newest complete month (2026-09).
func TestDashboardCoverage(t *testing.T) {
	if _, err := echartsScript(); err != nil {
		t.Fatalf("the ECharts asset is not available: %v", err)
	}
	db := seed(t)
	if _, err := db.Exec(`INSERT INTO source_coverage
		SELECT 'hotline', m::DATE, true, 50, 50, true, 'ok' FROM generate_series(DATE '2025-11-01', DATE '2026-10-01', INTERVAL 1 MONTH) g(m)`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO source_coverage
		SELECT 'walk_in', m::DATE, m < DATE '2026-10-01', CASE WHEN m < DATE '2026-10-01' THEN 8 ELSE 0 END, 8, true,
		       CASE WHEN m < DATE '2026-10-01' THEN 'ok' ELSE 'missing' END
		FROM generate_series(DATE '2025-11-01', DATE '2026-10-01', INTERVAL 1 MONTH) g(m)`); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "dashboard.html")
	if err := Write(context.Background(), db, Options{From: "2025-10", To: "2026-10", Lang: "en", Institution: "Bank",
		GeneratedAt: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), Out: out}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	html := string(b)
	banner := `<p class="note omitted" role="alert">Incomplete data · 2026-10 is incomplete (source &#34;walk_in&#34; has no export covering 2026-10 (median of the previous 6 months: 8)); the newest complete month is 2026-09</p>`
	if !strings.Contains(html, banner) || strings.Count(html, `role="alert"`) != 1 {
		t.Errorf("page lacks the one banner %s", banner)
	}
	_, charts := parseCharts(t, html)
	for _, s := range charts["trend"].Series {
		if len(s.Data) == 0 || s.Data[0] != nil {
			t.Errorf("trend series %q: 2025-10 (no data) is %v, want a gap", s.Name, s.Data)
		} else if s.Data[1] == nil {
			t.Errorf("trend series %q: 2025-11 is a gap", s.Name)
		}
	}
	// the trend's, the overdue chart's and the control chart's tables, and the repeat complainants'
	if n := strings.Count(html, "<tr><td>2025-10</td><td>—</td><td>—</td></tr>"); n != 3 {
		t.Errorf("%d tables (trend, overdue, control chart) show 2025-10 as —, want 3", n)
	}
	if !strings.Contains(html, "<tr><td>2025-10</td><td>—</td><td>—</td><td>—</td><td>—</td></tr>") {
		t.Error("the repeat complainants' table does not show 2025-10 as —")
	}
}
