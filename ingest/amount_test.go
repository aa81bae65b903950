package ingest

import "testing"

func TestParseAmount(t *testing.T) {
	cases := []struct {
		raw, want string
		ok        bool
	}{
		{"1234.5", "1234.5", true},
		{"１２３４．５", "1234.5", true},
		{"1万", "10000", true},
		{"1.5万元", "15000", true},
		{"(100)", "-100", true},
		{"（１００）", "-100", true},
		{"-100", "-100", true},
		{"1.234,50", "1234.50", true},
		{"1,234.50", "1234.50", true},
		{"1,234", "1234", true},
		{"1,234,567", "1234567", true},
		{"1.234.567", "1234567", true},
		{"12,5", "12.5", true},
		{"¥1,200", "1200", true},
		{"￥ 300 元", "300", true},
		{"RMB 88.00", "88.00", true},
		{"人民币500元", "500", true},
		{"0", "0", true},
		{"(0)", "0", true},
		{"007", "7", true},
		{"1,2345", "", false},
		{"1.234.5", "", false},
		{"1,23,456", "", false},
		{"(-5)", "", false},
		{"约100", "", false},
		{"100-200", "", false},
		{"", "", false},
		{"万", "", false},
		{"1e5", "", false},
	}
	for _, c := range cases {
		got, ok := parseAmount(c.raw)
		if got != c.want || ok != c.ok {
			t.Errorf("parseAmount(%q) = %q %v, want %q %v", c.raw, got, ok, c.want, c.ok)
		}
	}
}
