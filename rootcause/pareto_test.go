package rootcause

import "testing"

// TestSumPareto: a quarter's Pareto adds its months' items by series, then orders, shares and cuts the vital few
// as a month's does (worked by hand: B 7, A 5, C 1 of 13; B and A reach 80%).
func TestSumPareto(t *testing.T) {
	k := func(c string) Key { return Key{Kind: KindCause, Parts: []string{c}} }
	m1 := Pareto{Items: []ParetoItem{{Key: k("A"), Count: 5}, {Key: k("B"), Count: 3}}}.finish()
	m2 := Pareto{Items: []ParetoItem{{Key: k("B"), Count: 4}, {Key: k("C"), Count: 1}}}.finish()
	p := SumPareto(m1, m2)
	if p.Total != 13 || p.VitalFew != 2 || len(p.Items) != 3 {
		t.Fatalf("sum %+v", p)
	}
	for i, want := range []struct {
		part  string
		count int
		vital bool
	}{{"B", 7, true}, {"A", 5, true}, {"C", 1, false}} {
		it := p.Items[i]
		if it.Key.Parts[0] != want.part || it.Count != want.count || it.Vital != want.vital {
			t.Errorf("item %d %+v, want %+v", i, it, want)
		}
	}
	if c := p.Items[1].Cumulative; c < 12.0/13-1e-9 || c > 12.0/13+1e-9 {
		t.Errorf("cumulative after A %v, want 12/13", c)
	}
}
