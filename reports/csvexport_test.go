package reports

import "testing"

// TestFixedRoundsAsASpreadsheet: CSV numbers are rounded half away from zero, as Excel and LibreOffice show them.
func TestFixedRoundsAsASpreadsheet(t *testing.T) {
	for _, c := range []struct {
		v    float64
		d    int
		want string
	}{{7.25, 1, "7.3"}, {4.25, 1, "4.3"}, {-7.25, 1, "-7.3"}, {0.0625 * 100, 1, "6.3"}, {-0.04, 1, "0.0"}, {2.5, 0, "3"}, {1.0005, 3, "1.001"}} {
		if got := fixed(c.v, c.d); got != c.want {
			t.Errorf("fixed(%v, %d) = %q, want %q", c.v, c.d, got, c.want)
		}
	}
}
