package catalog

import (
	"strings"
	"testing"
)

func TestCatalogueIsComplete(t *testing.T) {
	want := map[string]int{"intake_channel": 12, "business_category": 16, "cause": 13, "complaint_type": 6, "demand": 9}
	for dim, n := range want {
		if got := len(Dimension(dim)); got != n {
			t.Errorf("%s has %d codes, want %d", dim, got, n)
		}
		for _, c := range Dimension(dim) {
			if c.ZH == "" || c.EN == "" {
				t.Errorf("%s.%s lacks a label", dim, c.Code)
			}
		}
	}
	for _, c := range Dimension("complaint_type") {
		if c.Class != "general" && c.Class != "complex" {
			t.Errorf("complaint type %s has class %q", c.Code, c.Class)
		}
	}
	for _, k := range TextKeys() {
		if Text(k, "zh") == "" || Text(k, "en") == "" {
			t.Errorf("label %q lacks a language", k)
		}
	}
	if Text("no-such-key", "zh") != "?no-such-key" {
		t.Error("a missing key must show as ?key")
	}
}

func TestSynonymsAreUnambiguousWithinADimension(t *testing.T) {
	seen := map[string]string{}
	for _, s := range Synonyms() {
		k := s.Dimension + "|" + s.Text
		if prev, ok := seen[k]; ok && prev != s.Code {
			t.Errorf("%s maps to both %s and %s", k, prev, s.Code)
		}
		seen[k] = s.Code
	}
	for raw, code := range map[string]string{"态度差": "service_quality", "ＣＲＥＤＩＴ　ＣＡＲＤ": "credit_card", "信用卡中心": "credit_card", "网银转账失败": "payment_settlement"} {
		found := false
		for _, s := range Synonyms() {
			if s.Text == Normalize(raw) && s.Code == code {
				found = true
			}
		}
		if !found {
			t.Errorf("%q does not map to %s", raw, code)
		}
	}
}

func TestClosest(t *testing.T) {
	m := Closest("cause", "服务态度很差", 3)
	if len(m) == 0 || m[0].Code != "service_quality" {
		t.Fatalf("closest to 服务态度很差: %+v", m)
	}
	m = Closest("business_category", "信用卡分期", 2)
	if len(m) == 0 || m[0].Code != "credit_card" || !strings.Contains("信用卡分期", m[0].Spelling) {
		t.Fatalf("closest to 信用卡分期: %+v", m)
	}
}
