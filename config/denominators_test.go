package config

import (
	"strings"
	"testing"
)

func TestCustomerDenominators(t *testing.T) {
	c, err := Parse([]byte("denominators:\n  personal_customers: 100\n  personal_customers_by_month: {\"2026-07\": 120}\n  personal_customers_by_branch: {GD001: 5}\n"), "t.yaml")
	if err != nil || c.Denominators.PersonalCustomersByMonth["2026-07"] != 120 || c.Denominators.PersonalCustomersByBranch["GD001"] != 5 {
		t.Fatalf("%+v %v", c.Denominators, err)
	}
	for _, bad := range []string{"personal_customers_by_month: {\"July\": 120}", "personal_customers_by_month: {\"2026-07\": 0}", "personal_customers_by_branch: {GD001: -1}"} {
		if _, err := Parse([]byte("denominators:\n  "+bad+"\n"), "t.yaml"); err == nil || !strings.Contains(err.Error(), "denominators.personal_customers_by_") {
			t.Errorf("%s: %v", bad, err)
		}
	}
}
