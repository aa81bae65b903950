package rootcause

import (
	"fmt"
	"slices"
	"testing"
)

// TestExcludedMonthsLeaveTheBaseline: a c-chart over 12 baseline months of 10 complaints, of which the first four
// are before any data (0) and 2026-06 is incomplete (2). With those five months excluded (domain.md section 5,
// Coverage) the centre is the mean of the seven others, 10; without, (7·10 + 2) / 12 = 6.
func TestExcludedMonthsLeaveTheBaseline(t *testing.T) {
	var months []string
	for i := range 13 {
		months = append(months, fmt.Sprintf("%04d-%02d", 2025+(i+9)/12, (i+9)%12+1))
	}
	// months: 2025-10 .. 2026-10; the baseline is 2025-10 .. 2026-09
	counts := []int{0, 0, 0, 0, 10, 10, 10, 10, 2, 10, 10, 10, 14}
	d := &seriesData{key: Key{Kind: KindCause, Parts: []string{"pricing_fees"}}, counts: counts}
	o := Options{}.withDefaults()
	if c := chartOf(d, months, o); !near(c.Centre, 6, 1e-12) {
		t.Fatalf("without exclusions: centre %v, want 6", c.Centre)
	}
	o.ExcludedMonths = []string{"2025-10", "2025-11", "2025-12", "2026-01", "2026-06"}
	c := chartOf(d, months, o)
	if !near(c.Centre, 10, 1e-12) {
		t.Errorf("with exclusions: centre %v, want 10", c.Centre)
	}
	if !slices.Equal(c.ExcludedMonths, o.ExcludedMonths) {
		t.Errorf("chart's excluded months %v, want %v", c.ExcludedMonths, o.ExcludedMonths)
	}
}
