package readmodel

import (
	"testing"
	"time"
)

// TestMonthScan: a query's "YYYY-MM" text scans into a Month; anything else is an error, never month zero.
func TestMonthScan(t *testing.T) {
	for _, src := range []any{"2026-10", []byte("2026-10")} {
		var m Month
		if err := m.Scan(src); err != nil || m != MonthOf(2026, time.October) {
			t.Errorf("Scan(%#v) = %v, %v", src, m, err)
		}
	}
	for _, src := range []any{nil, int64(202610), "2026-13", "2026-10-01"} {
		var m Month
		if err := m.Scan(src); err == nil {
			t.Errorf("Scan(%#v) = %v, want an error", src, m)
		}
	}
}
