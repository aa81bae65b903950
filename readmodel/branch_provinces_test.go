package readmodel

import "testing"

// TestProvinceVerdict: exactly 90% of the records with a province attributes a branch, just under does not; fewer
// than five such records never do; a head-office unit (by name, alias or text, Chinese or English) is never
// attributed, even when all its records agree.
func TestProvinceVerdict(t *testing.T) {
	ev := func(branch string, counts ...int64) BranchEvidence {
		e := BranchEvidence{Branch: branch, Records: 100}
		for i, n := range counts {
			e.Provinces = append(e.Provinces, ProvinceCount{[]string{"440000", "110000", "310000"}[i], n})
			e.WithProvince += n
		}
		return e
	}
	for _, c := range []struct {
		e            BranchEvidence
		names        []string
		reason, prov string
	}{
		{ev("GD001", 9, 1), nil, "learned", "440000"},
		{ev("GD001", 89, 11), nil, "spread", ""},
		{ev("GD001", 4), nil, "too_few", ""},
		{ev("GD001"), nil, "none", ""},
		{ev("CC001", 50), []string{"某银行信用卡中心"}, "head_office", ""},
		{ev("CC002", 50), []string{"", "卡中心|远程银行"}, "head_office", ""},
		{ev("Credit Card  Centre", 50), nil, "head_office", ""},
		{ev("HQ", 50), []string{"Head Office"}, "head_office", ""},
	} {
		v := c.e.Verdict(c.names...)
		if v.Reason != c.reason || v.Province != c.prov {
			t.Errorf("%s %v %v: %s %q, want %s %q", c.e.Branch, c.names, c.e.Provinces, v.Reason, v.Province, c.reason, c.prov)
		}
	}
}
