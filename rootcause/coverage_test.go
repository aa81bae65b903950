package rootcause

import (
	"fmt"
	"testing"
)

// TestIncompleteMonthsLeaveTheBaseline: a c-chart over 12 baseline months of 10 complaints, of which the first
// four are before any data (no complaint at all: never a zero in the baseline) and 2026-06 is incomplete (2, a
// source's export missing: domain.md section 5, Coverage). Without the coverage verdict the centre is the mean of
// the eight months with data, (7·10 + 2) / 8 = 9; with 2026-06 listed incomplete it is 10.
func TestIncompleteMonthsLeaveTheBaseline(t *testing.T) {
	var months []string
	for i := range 13 {
		months = append(months, fmt.Sprintf("%04d-%02d", 2025+(i+9)/12, (i+9)%12+1))
	}
	// months: 2025-10 .. 2026-10; the baseline is 2025-10 .. 2026-09
	counts := []int{0, 0, 0, 0, 10, 10, 10, 10, 2, 10, 10, 10, 14}
	d := &seriesData{key: Key{Kind: KindCause, Parts: []string{"pricing_fees"}}, counts: counts}
	o := Options{}.withDefaults()
	if c := chartOf(d, oneHistory(d, months, o), o); c == nil || !near(c.Centre, 9, 1e-12) {
		t.Fatalf("without the coverage verdict: %+v, want centre 9", c)
	}
	o.IncompleteMonths = []string{"2026-06"}
	if c := chartOf(d, oneHistory(d, months, o), o); c == nil || !near(c.Centre, 10, 1e-12) {
		t.Errorf("with 2026-06 incomplete: %+v, want centre 10", c)
	}
}
