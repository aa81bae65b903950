package catalog

import "testing"

// TestResolve: what a user types for a filter finds its code: the code, either label, a synonym, a CFPB region
// by its code or either name; a code's own label wins over a spelling a user file moved to another code; a miss
// suggests the closest codes.
func TestResolve(t *testing.T) {
	for _, c := range []struct{ dim, typed, want string }{
		{"business_category", "credit_card", "credit_card"}, {"business_category", "信用卡", "credit_card"},
		{"business_category", "Credit card", "credit_card"}, {"business_channel", "手机银行", "mobile_app"},
		{"province", "广东", "440000"}, {"province", "US-CA", "US-CA"}, {"province", "california", "US-CA"},
		{"province", "加利福尼亚州", "US-CA"},
	} {
		if got, _, ok := Resolve(c.dim, c.typed); !ok || got != c.want {
			t.Errorf("Resolve(%s, %q) = %q, %v; want %q", c.dim, c.typed, got, ok, c.want)
		}
	}
	if _, near, ok := Resolve("business_category", "信用咔"); ok || len(near) == 0 || near[0].Code != "credit_card" {
		t.Errorf("a misspelling: ok %v, suggestions %v; want credit_card first", ok, near)
	}
	if err := useUser(t, "dimensions:\n  business_category:\n    - {code: card_centre, zh: 信用卡中心业务, en: Card centre, override: true, synonyms: [信用卡]}\n"); err != nil {
		t.Fatal(err)
	}
	if synonymCode("business_category", "信用卡") != "card_centre" {
		t.Fatal("the user file did not move the spelling 信用卡")
	}
	if got, _, _ := Resolve("business_category", "信用卡"); got != "credit_card" {
		t.Errorf("信用卡, the label of credit_card, resolves to %q after a user file moved the spelling", got)
	}
}
