package catalog

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// useUser merges a user file written from body for the length of a test (the catalogue is process-wide, so
// these tests are not parallel).
func useUser(t *testing.T, body string) error {
	t.Helper()
	p := filepath.Join(t.TempDir(), "my-taxonomy.yaml")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { UseUserFile("") })
	return UseUserFile(p)
}

func synonymCode(dim, text string) string {
	for _, s := range Synonyms() {
		if s.Dimension == dim && s.Text == Normalize(text) {
			return s.Code
		}
	}
	return ""
}

func hasRule(dim, id string) bool {
	return slices.ContainsFunc(KeywordRules(), func(r KeywordRule) bool { return r.Dimension == dim && r.ID == id })
}

func TestUserFileExtends(t *testing.T) {
	builtinFP := Fingerprint()
	err := useUser(t, `dimensions:
  business_category:
    - code: credit_card
      synonyms: [信用卡分期, 信用卡]      # the second is already credit_card's: no error, no duplicate
      keywords: [分期手续费]
    - code: debit_card
      zh: 借记卡(含社保卡)
      en: Debit card (incl. social security card)
    - {code: pension, zh: 养老金融, en: Pension finance, synonyms: [养老金], keywords: [个人养老金]}
    - code: wealth_management
      override: true
      synonyms: [代理基金]
`)
	if err != nil {
		t.Fatal(err)
	}
	if UserFile() == "" || Fingerprint() == builtinFP {
		t.Errorf("user file %q, fingerprint unchanged: %v", UserFile(), Fingerprint() == builtinFP)
	}
	for text, want := range map[string]string{
		"信用卡分期": "credit_card", "信用卡": "credit_card", "贷记卡": "credit_card", // added, own, built-in kept
		"借记卡(含社保卡)": "debit_card", "借记卡": "debit_card", "debit card": "debit_card", // new label; old labels still map
		"养老金": "pension", "pension finance": "pension", "pension": "pension",
		"代理基金": "wealth_management", "代销": "agency", // moved by override; agency keeps the rest
	} {
		if got := synonymCode("business_category", text); got != want {
			t.Errorf("%s maps to %q, want %q", text, got, want)
		}
	}
	if got := Label("business_category", "debit_card", "zh"); got != "借记卡(含社保卡)" {
		t.Errorf("relabelled debit_card: %q", got)
	}
	if got := Label("business_category", "debit_card", "en"); got != "Debit card (incl. social security card)" {
		t.Errorf("relabelled debit_card en: %q", got)
	}
	codes := Dimension("business_category")
	if codes[len(codes)-1].Code != "pension" {
		t.Errorf("a new code is appended: last is %s", codes[len(codes)-1].Code)
	}
	for _, id := range []string{"credit_card:信用卡", "credit_card:分期手续费", "pension:个人养老金"} {
		if !hasRule("business_category", id) {
			t.Errorf("no keyword rule %s", id)
		}
	}
	if m := Closest("business_category", "养老金账户", 1); len(m) == 0 || m[0].Code != "pension" {
		t.Errorf("closest to 养老金账户: %+v", m)
	}
	// the built-in catalogue is untouched and comes back
	if err := UseUserFile(""); err != nil {
		t.Fatal(err)
	}
	if synonymCode("business_category", "信用卡分期") != "" || synonymCode("business_category", "代理基金") != "agency" ||
		Label("business_category", "debit_card", "zh") != "借记卡" || Fingerprint() != builtinFP || UserFile() != "" {
		t.Error("UseUserFile(\"\") did not restore the built-in catalogue")
	}
}

func TestUserFileOverrideKeyword(t *testing.T) {
	// 年费 is a keyword of credit_card (business_category); moving it to a new code takes it from credit_card
	err := useUser(t, `dimensions:
  business_category:
    - {code: annual_fee, zh: 年费业务, en: Annual fees, override: true, keywords: [年费]}
`)
	if err != nil {
		t.Fatal(err)
	}
	if hasRule("business_category", "credit_card:年费") || !hasRule("business_category", "annual_fee:年费") {
		t.Error("override did not move the keyword 年费 to annual_fee")
	}
}

func TestUserFileErrors(t *testing.T) {
	for _, c := range []struct {
		name, body string
		want       []string
	}{
		{"unknown key", "dimensions:\n  cause:\n    - code: other\n      synonym: [x]\n",
			[]string{"my-taxonomy.yaml", "[4:7]", `unknown field "synonym"`}},
		{"unknown top key", "dimension:\n  cause: []\n", []string{"my-taxonomy.yaml", "[1:1]", `unknown field "dimension"`}},
		{"new dimension", "dimensions:\n  cause:\n    - {code: other, synonyms: [其它]}\n  product_line:\n    - {code: x, zh: 甲, en: X}\n",
			[]string{"my-taxonomy.yaml", "[5:5]", "dimensions.product_line", `no dimension "product_line"`, "cannot add one"}},
		{"conflicting synonym", "dimensions:\n  business_category:\n    - {code: debit_card, synonyms: [银行卡借记, 信用卡中心]}\n",
			[]string{"my-taxonomy.yaml", "[3:7]", "dimensions.business_category[0]", `"信用卡中心"`, "business_category.credit_card", "debit_card", "override: true"}},
		{"conflicting keyword", "dimensions:\n  cause:\n    - {code: fund_safety, keywords: [手续费]}\n",
			[]string{"my-taxonomy.yaml", `keyword "手续费"`, "cause.pricing_fees", "fund_safety"}},
		{"two user codes", "dimensions:\n  cause:\n    - {code: other, synonyms: [杂项]}\n    - {code: misc, zh: 杂项其他, en: Misc, synonyms: [杂项]}\n",
			[]string{`"杂项"`, "other and misc"}},
		{"new code without labels", "dimensions:\n  demand:\n    - {code: cancel, zh: 销户}\n",
			[]string{"dimensions.demand[0]", `"cancel" needs both labels`}},
		{"new code in a fixed dimension", "dimensions:\n  status:\n    - {code: frozen, zh: 冻结, en: Frozen}\n",
			[]string{"dimensions.status[0].code", "fixed list of codes"}},
		{"class change", "dimensions:\n  complaint_type:\n    - {code: work_error, class: complex}\n",
			[]string{"dimensions.complaint_type[0].class", "cannot be changed"}},
		{"keywords off the keyword dimensions", "dimensions:\n  demand:\n    - {code: refund, keywords: [退钱]}\n",
			[]string{"dimensions.demand[0].keywords", "business_category and cause"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := Fingerprint()
			err := useUser(t, c.body)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if Fingerprint() != before {
				t.Error("a failed user file changed the catalogue")
			}
		})
	}
	if err := UseUserFile(filepath.Join(t.TempDir(), "missing.yaml")); err == nil || !strings.Contains(err.Error(), "missing.yaml") {
		t.Errorf("missing file: %v", err)
	}
}

// TestExampleUserFile: the annotated example in complaints.example.yaml is a valid user file.
func TestExampleUserFile(t *testing.T) {
	b, err := os.ReadFile("../complaints.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(b), "Example file:\n")
	body, _, ok2 := strings.Cut(rest, "# Empty: the built-in catalogue.")
	if !ok || !ok2 {
		t.Fatal("complaints.example.yaml: the taxonomy example is not where this test looks")
	}
	var lines []string
	for _, l := range strings.Split(body, "\n") {
		lines = append(lines, strings.TrimPrefix(strings.TrimPrefix(l, "#"), "  "))
	}
	if err := useUser(t, strings.Join(lines, "\n")); err != nil {
		t.Fatal(err)
	}
	if synonymCode("business_category", "信用卡分期") != "credit_card" || synonymCode("business_category", "代理基金") != "wealth_management" ||
		!hasRule("cause", "pricing_fees:账户管理费") || Label("business_category", "pension", "en") != "Pension finance" {
		t.Error("the example did not merge as its comments say")
	}
}
