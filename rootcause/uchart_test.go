package rootcause

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

func TestULimitsByHand(t *testing.T) {
	// ū = 0.5 per 10,000, n = 100 (1,000,000 customers): sqrt(0.5/100) = 0.0707107 -> 0.712132, 0.287868
	u, l := ULimits(0.5, 100)
	if !near(u, 0.712132, 1e-6) || !near(l, 0.287868, 1e-6) {
		t.Errorf("ULimits(0.5, 100) = %v %v", u, l)
	}
	// n = 1 gives the c-chart limits: 25 ± 15
	if u, l := ULimits(25, 1); u != 40 || l != 10 {
		t.Errorf("ULimits(25, 1) = %v %v", u, l)
	}
	// small ū, small n: the lower limit is floored at 0
	if _, l := ULimits(0.5, 2); l != 0 {
		t.Errorf("lower limit %v", l)
	}
}

// uSeries: 12 baseline months, 6 at 1,000,000 customers (n = 100) with 48 52 50 50 49 51 complaints and 6 at
// 1,200,000 (n = 120) with 60 62 58 61 59 60; then the period with periodN (in 10,000s) and periodCount.
func uSeries(periodN float64, periodCount int) (*seriesData, []string, Options) {
	months := make([]string, 13)
	by := map[string]int64{}
	for i := range months {
		months[i] = fmt.Sprintf("2025-%02d", i+1)
		if i == 12 {
			months[i] = "2026-01"
		}
		switch {
		case i < 6:
			by[months[i]] = 1_000_000
		case i < 12:
			by[months[i]] = 1_200_000
		default:
			by[months[i]] = int64(periodN * 10000)
		}
	}
	d := &seriesData{key: Key{Kind: KindCause, Parts: []string{"pricing_fees"}},
		counts: []int{48, 52, 50, 50, 49, 51, 60, 62, 58, 61, 59, 60, periodCount}}
	o := Options{Customers: Customers{ByMonth: by}}.withDefaults()
	return d, months, o
}

func TestUChartByHand(t *testing.T) {
	// ū = (300 + 360) / (6·100 + 6·120) = 660 / 1320 = 0.5 per 10,000 customers.
	// Period: 1,250,000 customers (n = 125), 90 complaints -> rate 0.72; UCL = 0.5 + 3·sqrt(0.5/125) = 0.689737,
	// LCL = 0.310263: rule 1 fires. Expected count ū·n = 62.5.
	d, months, o := uSeries(125, 90)
	c := chartOf(d, oneHistory(d, months, o), o)
	if c.Type != ChartU || !near(c.Centre, 0.5, 1e-12) || !near(c.UCL, 0.689737, 1e-6) || !near(c.LCL, 0.310263, 1e-6) {
		t.Fatalf("u-chart: type %s centre %v limits %v %v", c.Type, c.Centre, c.UCL, c.LCL)
	}
	if !near(c.Rate, 0.72, 1e-12) || !c.Rule1 || c.Sparse {
		t.Errorf("rate %v rule1 %v sparse %v", c.Rate, c.Rule1, c.Sparse)
	}
	// a baseline month's own limits: n = 100 -> 0.712132; n = 120 -> 0.5 + 3·sqrt(0.5/120) = 0.693649
	if !near(c.UCLs[0], 0.712132, 1e-6) || !near(c.UCLs[11], 0.693649, 1e-6) || c.Customers[0] != 100 || c.Customers[12] != 125 {
		t.Errorf("baseline limits %v %v, n %v %v", c.UCLs[0], c.UCLs[11], c.Customers[0], c.Customers[12])
	}
	// The calibrated test: 90 of the 750 complaints of baseline and period fall in the period, whose share of
	// the customer-months is 125/1445; the baseline months spread less than Poisson (X² = 10/50 + 10/60), so no
	// dispersion: P = P(Binomial(750, 125/1445) >= 90), summed here term by term.
	want, p0 := 0.0, 125.0/1445
	for k := 90; k <= 750; k++ {
		lc, _ := math.Lgamma(751)
		la, _ := math.Lgamma(float64(k) + 1)
		lb, _ := math.Lgamma(float64(750-k) + 1)
		want += math.Exp(lc - la - lb + float64(k)*math.Log(p0) + float64(750-k)*math.Log(1-p0))
	}
	if c.Test.Dispersion != 1 || c.Test.Dispersed || !near(c.PValue, want, 1e-9*want) || !near(c.Test.Expected, 750*p0, 1e-9) {
		t.Errorf("p %v, want P(Binomial(750, 125/1445) >= 90) = %v; test %+v", c.PValue, want, c.Test)
	}
	// Rule 4: the last 8 rates 0.50 0.49 0.51 0.50 0.517 0.483 0.508 0.72 against 0.5 are not all on one side.
	if c.Rule4 {
		t.Error("rule 4 fired")
	}

	// Growth without a rise in rate: 1,600,000 customers and 80 complaints is 0.5 per 10,000, on the centre line.
	// The u-chart does not fire; a c-chart of the same counts would (mean 55, UCL 55 + 3·sqrt(55) = 77.248595 < 80).
	d, months, o = uSeries(160, 80)
	if c := chartOf(d, oneHistory(d, months, o), o); c.Rule1 || !near(c.Rate, 0.5, 1e-12) || !near(c.UCL, 0.5+3*math.Sqrt(0.5/160), 1e-12) {
		t.Errorf("growth: u-chart rule1 %v rate %v UCL %v", c.Rule1, c.Rate, c.UCL)
	}
	o.Customers = Customers{}
	if c := chartOf(d, oneHistory(d, months, o), o); c.Type != ChartC || !c.Rule1 || !near(c.Centre, 55, 1e-12) || !near(c.UCL, 77.248595, 1e-5) {
		t.Errorf("growth: c-chart type %s rule1 %v centre %v UCL %v", c.Type, c.Rule1, c.Centre, c.UCL)
	}
}

func TestCustomersPerSeries(t *testing.T) {
	months := []string{"2026-01", "2026-02", "2026-03"}
	c := Customers{Total: 5_000_000, ByMonth: map[string]int64{"2026-03": 6_000_000}, ByBranch: map[string]int64{"GD001": 300_000, "上海浦东支行": 200_000}}
	if n := c.per10k(Key{Kind: KindCause, Parts: []string{"x"}}, months, 1); n[0] != 0 || n[1] != 500 || n[2] != 600 {
		t.Errorf("bank-wide %v", n)
	}
	if n := c.per10k(Key{Kind: KindBranch, Parts: []string{"GD001"}, Names: []string{"广州天河支行"}}, months, 0); n == nil || n[2] != 30 {
		t.Errorf("branch by code %v", n)
	}
	if n := c.per10k(Key{Kind: KindBranch, Parts: []string{"SH001"}, Names: []string{"上海浦东支行"}}, months, 0); n == nil || n[0] != 20 {
		t.Errorf("branch by name %v", n)
	}
	if n := c.per10k(Key{Kind: KindBranch, Parts: []string{"BJ001"}}, months, 0); n != nil {
		t.Errorf("branch without a figure: %v, want a c-chart", n)
	}
	// a month without any figure: c-chart
	c = Customers{ByMonth: map[string]int64{"2026-02": 1, "2026-03": 1}}
	if n := c.per10k(Key{Kind: KindCategory, Parts: []string{"x"}}, months, 0); n != nil {
		t.Errorf("missing month: %v", n)
	}
}

// syntheticU builds 200 cause series over 13 months with a customer base growing from 1,000,000 to 1,600,000
// (+60% over the year) and constant rates per 10,000 that give 1..60 expected complaints in the first month;
// planted series get their period rate multiplied by factor.
func syntheticU(seed uint64, planted map[int]float64) (seriesSet, []string, Customers) {
	r := rand.New(rand.NewPCG(seed, 11))
	months := make([]string, 13)
	cust := Customers{ByMonth: map[string]int64{}}
	for i := range months {
		months[i] = fmt.Sprintf("m%02d", i)
		cust.ByMonth[months[i]] = 1_000_000 + int64(i)*50_000
	}
	s := seriesSet{}
	for j := 0; j < 200; j++ {
		rate := (1 + float64(j%60)) / 100 // per 10,000: × n = 100 in the first month
		k := Key{Kind: KindCause, Parts: []string{fmt.Sprintf("c%03d", j)}}
		for m := 0; m < 13; m++ {
			l := rate * float64(cust.ByMonth[months[m]]) / 10000
			if f, ok := planted[j]; ok && m == 12 {
				l *= f
			}
			s.add(k, m, poisson(r, l), 13)
		}
	}
	return s, months, cust
}

// TestUChartFalseFlagsStayWithinFDR is the null control set for u-charts: no rate changes, a growing customer
// base. BH at 5% keeps the flags to a handful over 20 sets of 200 series; c-charts of the same counts mistake the
// growth for a rise in dozens of series (so the test fails if the denominator is ignored).
func TestUChartFalseFlagsStayWithinFDR(t *testing.T) {
	total, totalC := 0, 0
	for seed := uint64(1); seed <= 20; seed++ {
		s, months, cust := syntheticU(seed, nil)
		n := 0
		for _, c := range controlCharts(s, months, Options{Customers: cust}.withDefaults()) {
			if c.Type != ChartU {
				t.Fatalf("%v: chart type %s", c.Key, c.Type)
			}
			if c.Flagged {
				n++
			}
		}
		total += n
		if n > 3 {
			t.Errorf("seed %d: %d of 200 null u-chart series flagged", seed, n)
		}
		if seed <= 3 {
			// c-charts test each series' share of the month's complaints, which the growth leaves alone; the
			// old test (a monthly mean taken as exact) mistakes the growth for a rise
			for _, naive := range []bool{false, true} {
				naiveTest = naive
				for _, c := range controlCharts(s, months, Options{}.withDefaults()) {
					if c.Flagged && naive {
						totalC++
					} else if c.Flagged {
						total++
					}
				}
				naiveTest = false
			}
		}
	}
	t.Logf("null sets: %d u-chart flags over 20 x 200 series; the old c-chart test on the same counts: %d over 3 x 200", total, totalC)
	if total > 6 {
		t.Errorf("%d u-chart flags over 20 null sets of 200 series", total)
	}
	if totalC < 30 {
		t.Errorf("the old c-chart test on a +60%% customer base flagged only %d series over 3 sets; the growth should show", totalC)
	}
}

func TestUChartPlantedSignalsAreFound(t *testing.T) {
	planted := map[int]float64{5: 4, 25: 2.5, 47: 2, 59: 1.8, 110: 3, 170: 2.2}
	for seed := uint64(1); seed <= 5; seed++ {
		s, months, cust := syntheticU(seed, planted)
		falses := 0
		for _, c := range controlCharts(s, months, Options{Customers: cust}.withDefaults()) {
			var j int
			fmt.Sscanf(c.Key.Parts[0], "c%03d", &j)
			if _, ok := planted[j]; ok {
				if !c.Flagged {
					t.Errorf("seed %d: planted series %s (count %d, rate %.3f, centre %.3f, p %.3g) not flagged", seed, c.Key, c.Count, c.Rate, c.Centre, c.PValue)
				}
			} else if c.Flagged {
				falses++
			}
		}
		if falses > 2 {
			t.Errorf("seed %d: %d false flags", seed, falses)
		}
	}
}

// oneHistory is the history of a lone series with every month complete.
func oneHistory(d *seriesData, months []string, o Options) history {
	return newHistory(seriesSet{d.key.id(): d}, months, months[0], o)
}
