package readmodel

import (
	"strings"
	"testing"
)

func TestParsePeriod(t *testing.T) {
	for _, c := range []struct {
		in, start, end, prev, yago string
		kind                       Kind
	}{
		{"2026-10", "2026-10", "2026-10", "2026-09", "2025-10", Monthly},
		{"2026-01", "2026-01", "2026-01", "2025-12", "2025-01", Monthly},
		{"2026-Q3", "2026-07", "2026-09", "2026-Q2", "2025-Q3", Quarterly},
		{"2026-Q1", "2026-01", "2026-03", "2025-Q4", "2025-Q1", Quarterly},
		{"2026-H1", "2026-01", "2026-06", "2025-H2", "2025-H1", HalfYearly},
		{"2026", "2026-01", "2026-12", "2025", "2025", Yearly},
	} {
		p, err := ParsePeriod(c.in)
		if err != nil {
			t.Fatalf("%s: %v", c.in, err)
		}
		if p.Kind != c.kind || p.Start.String() != c.start || p.End().String() != c.end || p.String() != c.in {
			t.Errorf("%s: %+v %s..%s", c.in, p, p.Start, p.End())
		}
		if p.Previous().String() != c.prev || p.YearEarlier().String() != c.yago {
			t.Errorf("%s: previous %s, year earlier %s", c.in, p.Previous(), p.YearEarlier())
		}
	}
	for _, bad := range []string{"", "2026-13", "2026-00", "2026-Q0", "2026-Q5", "2026-H3", "26-10", "2026/10", "abcd"} {
		if _, err := ParsePeriod(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

func TestChange(t *testing.T) {
	for _, c := range []struct {
		cur, base int64
		want      float64
		ok        bool
	}{{55, 50, 0.1, true}, {10, 20, -0.5, true}, {0, 5, -1, true}, {5, 0, 0, false}, {0, 0, 0, false}} {
		got, ok := Change(c.cur, c.base)
		if ok != c.ok || (ok && got != c.want) {
			t.Errorf("Change(%d, %d) = %v %v", c.cur, c.base, got, ok)
		}
	}
}

func TestOrderCodes(t *testing.T) {
	all := []string{"zz", "unmapped", "loans", "bank_card", "aa"}
	got := OrderCodes("business_category", all, func(c string) bool { return c != "aa" })
	s := strings.Join(got, ",")
	if !strings.HasPrefix(s, "rmb_savings,rmb_cash,foreign_exchange,loans,debit_card,credit_card,bank_card,payment_settlement") ||
		!strings.HasSuffix(s, "other_intermediary,other,unmapped,zz") {
		t.Errorf("order %s", s)
	}
	got = OrderCodes("business_category", all, func(string) bool { return false })
	if strings.Contains(strings.Join(got, ","), "bank_card,") || len(got) != 15 {
		t.Errorf("zero parent and unknown codes kept: %v", got)
	}
}
