package catalog

import (
	"encoding/csv"
	"os"
	"testing"
)

// readList reads one of testdata/cfpb's value lists: the first two columns of every row after the header.
func readList(t *testing.T, name string) [][2]string {
	t.Helper()
	f, err := os.Open("testdata/cfpb/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var out [][2]string
	for _, r := range rows[1:] {
		out = append(out, [2]string{r[0], r[1]})
	}
	if len(out) < 50 {
		t.Fatalf("%s: only %d values", name, len(out))
	}
	return out
}

// TestCFPBCrosswalkCoversListedValues: every Product / Sub-product and Issue / Sub-issue the lists name (the
// shared extracts and the CFPB's own lists, testdata/cfpb/README.md) has its own row in the crosswalk, not
// the fallback to its first level.
func TestCFPBCrosswalkCoversListedValues(t *testing.T) {
	xw := CFPBCrosswalk()
	has := map[[3]string]bool{}
	for _, e := range xw.Entries() {
		has[[3]string{e.Dimension, e.Value, e.Sub}] = true
	}
	for _, list := range []struct{ file, dim string }{{"products.csv", "business_category"}, {"issues.csv", "cause"}} {
		for _, v := range readList(t, list.file) {
			if !has[[3]string{list.dim, Normalize(v[0]), ""}] {
				t.Errorf("%s: %q is not in crosswalk_cfpb.yaml", list.dim, v[0])
				continue
			}
			if v[1] != "" && !has[[3]string{list.dim, Normalize(v[0]), Normalize(v[1])}] {
				t.Errorf("%s: %q / %q is not in crosswalk_cfpb.yaml", list.dim, v[0], v[1])
			}
		}
	}
}

// pre2017 are values of the CFPB's products and issues before its April 2017 taxonomy, each with the
// Sub-products and Sub-issues the cited lists give for it (testdata/cfpb/README.md): the lists must keep them.
var pre2017 = struct{ products, issues map[string][]string }{
	products: map[string][]string{
		"Bank account or service": {"Cashing a check without an account", "Checking account", "Savings account", "(CD) Certificate of deposit", "Other bank product/service"},
		"Consumer Loan":           {"Installment loan", "Title loan", "Vehicle lease", "Vehicle loan"},
		"Credit card":             nil,
		"Credit reporting":        nil,
		"Money transfers":         {"International money transfer"},
		"Other financial service": {"Refund anticipation check"},
		"Payday loan":             {"Payday loan"},
		"Prepaid card":            {"General purpose card"},
		"Virtual currency":        nil,
	},
	issues: map[string][]string{
		"Late fee":                                 nil,
		"Unexpected/Other fees":                    nil,
		"Taking out the loan or lease":             nil,
		"Charged fees or interest I didn't expect": {"Charged fees or interest I didn't expect"},
		"Dealing with my lender or servicer":       {"Received bad information about my loan"},
		"Incorrect information on credit report":   {"Information is not mine"},
		"Cont'd attempts collect debt not owed":    {"Debt is not mine"},
		"Improper contact or sharing of info":      nil,
		"Loan modification,collection,foreclosure": nil,
		"Account opening, closing, or management":  nil,
	},
}

// TestCFPBListsHoldPre2017Vocabulary: the value lists hold the pre-2017 products and issues with their second
// levels (so TestCFPBCrosswalkCoversListedValues holds the crosswalk against them too), each row naming where
// it was seen.
func TestCFPBListsHoldPre2017Vocabulary(t *testing.T) {
	for _, list := range []struct {
		file string
		want map[string][]string
	}{{"products.csv", pre2017.products}, {"issues.csv", pre2017.issues}} {
		got := map[[2]string]bool{}
		first := map[string]bool{}
		for _, v := range readList(t, list.file) {
			got[v] = true
			first[v[0]] = true
		}
		for v, subs := range list.want {
			if !first[v] {
				t.Errorf("%s lacks %q", list.file, v)
			}
			for _, s := range subs {
				if !got[[2]string{v, s}] {
					t.Errorf("%s lacks %q / %q", list.file, v, s)
				}
			}
		}
	}
}

// TestCFPBCrosswalkMappings: the mappings domain.md section 9 names, the two the unmapped-value proposals got
// wrong, and the fallback of an unseen second level.
func TestCFPBCrosswalkMappings(t *testing.T) {
	xw := CFPBCrosswalk()
	for _, c := range []struct{ product, sub, want string }{
		{"Credit reporting", "", "personal_information"},
		{"Credit reporting, credit repair services, or other personal consumer reports", "Credit reporting", "personal_information"},
		{"Credit card or prepaid card", "Store credit card", "credit_card"},
		{"Credit card or prepaid card", "Gift card", "debit_card"},
		{"Money transfer, virtual currency, or money service", "International money transfer", "foreign_exchange"},
		{"Debt collection", "Medical debt", "debt_collection"},
		{"MORTGAGE", "  a sub-product nobody has seen ", "loans"}, // folded; unseen Sub-product: the Product's
		// pre-2017 products
		{"Virtual currency", "", "other"},
		{"Money transfers", "International money transfer", "foreign_exchange"},
		{"Payday loan", "Payday loan", "loans"},
		{"Prepaid card", "General purpose card", "debit_card"},
		{"Bank account or service", "Cashing a check without an account", "payment_settlement"},
		{"Other financial service", "Refund anticipation check", "payment_settlement"},
	} {
		if got, ok := xw.Category(c.product, c.sub); !ok || got != c.want {
			t.Errorf("category %q / %q = %q %v, want %q", c.product, c.sub, got, ok, c.want)
		}
	}
	for _, c := range []struct{ issue, sub, want string }{
		{"Fees or interest", "Problem with fees", "pricing_fees"},
		{"Late fee", "", "pricing_fees"}, // a pre-2017 credit card issue (the spelling-ranked proposal said facilities_systems)
		{"A brand-new issue", "", ""},    // unseen
		{"Communication tactics", "Frequent or repeated calls", "collection_methods"},
		{"Incorrect information on your report", "Information belongs to someone else", "information_security"},
		{"Problem with a purchase shown on your statement", "Card was charged for something you did not purchase with the card", "fund_safety"},
		{"Other features, terms, or problems", "Other problem", "other"},
		{"Managing an account", "a new sub-issue", "rules_processes"},
		{"Unexpected/Other fees", "", "pricing_fees"}, // pre-2017 issues
		{"Taking out the loan or lease", "", "rules_processes"},
		{"Dealing with my lender or servicer", "Received bad information about my loan", "disclosure"},
	} {
		got, ok := xw.Cause(c.issue, c.sub)
		if got != c.want || ok != (c.want != "") {
			t.Errorf("cause %q / %q = %q %v, want %q", c.issue, c.sub, got, ok, c.want)
		}
	}
}

// TestCrosswalkChecks: a code of another dimension, an unknown code and a value listed twice are refused.
func TestCrosswalkChecks(t *testing.T) {
	for name, y := range map[string]string{
		"unknown code":  "sources: [x]\nproducts:\n  - {product: A, category: nope}\n",
		"cause as cat":  "sources: [x]\nproducts:\n  - {product: A, category: pricing_fees}\n",
		"twice folded":  "sources: [x]\nissues:\n  - {issue: A, cause: other}\n  - {issue: ' a', cause: other}\n",
		"sub twice":     "sources: [x]\nissues:\n  - {issue: A, cause: other, sub_issues: {b: other, B: other}}\n",
		"no sources":    "products:\n  - {product: A, category: loans}\n",
		"unknown field": "sources: [x]\nproducts:\n  - {product: A, categroy: loans}\n",
	} {
		if _, err := parseCrosswalk([]byte(y)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := parseCrosswalk([]byte("sources: [x]\nproducts:\n  - {product: A, category: loans, sub_products: {b: credit_card}}\n")); err != nil {
		t.Errorf("a good crosswalk: %v", err)
	}
}

// TestCFPBRegionLabels: the CFPB's State values are US states and territories with labels in both languages,
// matched by code or English name; a GB/T 2260 province keeps its label, and other text is shown as it is.
func TestCFPBRegionLabels(t *testing.T) {
	syn := CFPBCrosswalk().RegionSynonyms()
	for text, code := range map[string]string{"ca": "US-CA", "california": "US-CA", "dc": "US-DC",
		"united states minor outlying islands": "US-UM", "ae": "US-AE"} {
		if syn[text] != code {
			t.Errorf("%q maps to %q, want %q", text, syn[text], code)
		}
	}
	for _, x := range []struct{ code, lang, want string }{
		{"US-CA", "zh", "加利福尼亚州"}, {"US-CA", "en", "California"}, {"US-NY", "zh", "纽约州"},
		{"110000", "zh", "北京市"}, {"CA", "zh", "CA"},
	} {
		if got := Label("province", x.code, x.lang); got != x.want {
			t.Errorf("Label(province, %s, %s) = %q, want %q", x.code, x.lang, got, x.want)
		}
	}
}
