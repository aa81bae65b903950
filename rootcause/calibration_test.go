package rootcause

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// The calibration harness of the statistics layer: a simulated bank (about 31,000 complaints over 18 months,
// categories and causes at fixed rates, 30 branches alike) with gamma-Poisson month effects (bank-wide and per
// category) and the working-day seasonality of a year with the Spring Festival, fed to analyzeSeries as monthly
// cells. TestCalibrationEndToEnd runs the same checks through generator -> ingest -> normalise -> Analyze.

const (
	simMonths   = 18
	simBranches = 30
	simPerMonth = 1720.0
)

// working days of 2025-05 .. 2026-10 (May Day, Dragon Boat, National Day and Mid-Autumn, New Year, the Spring
// Festival in 2026-02, Qingming)
var simWorkdays = []float64{19, 20, 23, 21, 22, 16, 20, 23, 21, 15, 22, 21, 19, 20, 23, 21, 22, 17}

// simCatCV is the coefficient of variation of the category month effects (the bank-wide one is 0.12), as the
// generator's NoSignal defaults.
var simCatCV = 0.08

var (
	simCategories = []float64{0.30, 0.20, 0.116, 0.12, 0.10, 0.08, 0.05, 0.034}
	simCauses     = []float64{0.26, 0.10, 0.14, 0.12, 0.10, 0.08, 0.08, 0.06, 0.04, 0.02}
	simChannels   = []float64{0.35, 0.30, 0.20, 0.10, 0.05}
)

// plants of the simulated bank, in month indexes of the 18
type simPlant struct {
	on bool
	// +100% for 3 months in branch 3 x cause 0 (about 15 a month): months 13..15, tested at 15
	// a tripling of category 2 x cause 1 (about 20 a month) in month 16, tested at 16
	// branch 7 at twice the other branches' share of cause 2 in every month, tested at 17
}

func gammaDraw(r *rand.Rand, shape float64) float64 {
	// Marsaglia and Tsang, shape >= 1, mean 1 after dividing by shape
	d := shape - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := r.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := r.Float64()
		if math.Log(u) < 0.5*x*x+d-d*v+d*math.Log(v) {
			return d * v / shape
		}
	}
}

// simulate draws the bank's monthly cells. cv and catCV are the month effects' coefficients of variation.
func simulate(seed uint64, plant bool, dataFrom int) ([]cell, []string) {
	r := rand.New(rand.NewPCG(seed, 31))
	months := make([]string, simMonths)
	for i := range months {
		months[i] = fmt.Sprintf("%d-%02d", 2025+(4+i)/12, (4+i)%12+1)
	}
	names := func(prefix string, n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprint(prefix, i)
		}
		return out
	}
	cats, causes, brs, chs := names("cat", len(simCategories)), names("cause", len(simCauses)), names("br", simBranches), names("ch", len(simChannels))
	var cells []cell
	for m := 0; m < simMonths; m++ {
		total := simPerMonth * simWorkdays[m] / 20.25 * gammaDraw(r, 1/(0.12*0.12))
		for ci, wc := range simCategories {
			ce := gammaDraw(r, 1/(simCatCV*simCatCV))
			for ki, wk := range simCauses {
				for b := 0; b < simBranches; b++ {
					for hi, wh := range simChannels {
						mu := total * wc * ce * wk * wh / simBranches
						if plant {
							if b == 3 && ki == 0 && m >= 13 && m <= 15 {
								mu *= 2
							}
							if ci == 2 && ki == 1 && m == 16 {
								mu *= 3
							}
							if b == 7 && ki == 2 {
								mu *= 2
							}
						}
						if m < dataFrom {
							continue
						}
						if n := poisson(r, mu); n > 0 {
							cells = append(cells, cell{month: m, category: cats[ci], cause: causes[ki], branch: brs[b], bizChannel: chs[hi], n: n})
						}
					}
				}
			}
		}
	}
	return cells, months
}

// simFindings analyses period index p (12..17) of the simulated bank with the 12 months before it loaded.
func simFindings(cells []cell, months []string, p int, firstData string, o Options) *Findings {
	return simFindingsOf(buildSeries(cells, len(months), nil), months, p, firstData, o)
}

func simFindingsOf(full seriesSet, months []string, p int, firstData string, o Options) *Findings {
	from := p - 12
	s := make(seriesSet, len(full))
	for id, d := range full {
		s[id] = &seriesData{key: d.key, counts: d.counts[from : p+1]}
	}
	ms := months[from : p+1]
	o = o.withDefaults()
	o.Period = ms[len(ms)-1]
	if o.WorkingDays == nil {
		o.WorkingDays = map[string]float64{}
		for i, m := range months {
			o.WorkingDays[m] = simWorkdays[i]
		}
	}
	f := &Findings{Period: o.Period, Options: o, Months: ms}
	analyzeSeries(f, s, ms, firstData, o)
	return f
}

type simResult struct {
	perPeriod     float64 // findings per period without signal
	found         [3]int  // seeds in which each planted effect was found
	seeds         int
	family        int
	worstFindings []string
}

func runCalibration(seeds int, o Options) simResult {
	var res simResult
	res.seeds = seeds
	total := 0
	for seed := 1; seed <= seeds; seed++ {
		cells, months := simulate(uint64(seed), false, 0)
		full := buildSeries(cells, len(months), nil)
		for p := 12; p < simMonths; p++ {
			f := simFindingsOf(full, months, p, months[0], o)
			total += f.Discoveries
			res.family = max(res.family, f.Family)
			if f.Discoveries > 0 && len(res.worstFindings) < 5 {
				res.worstFindings = append(res.worstFindings, describe(f))
			}
		}
		cells, months = simulate(uint64(seed), true, 0)
		full = buildSeries(cells, len(months), nil)
		if f := simFindingsOf(full, months, 15, months[0], o); hasFinding(f, Key{Kind: KindBranchCause, Parts: []string{"br3", "cause0"}}) {
			res.found[0]++
		}
		if f := simFindingsOf(full, months, 16, months[0], o); hasFinding(f, Key{Kind: KindCategoryCause, Parts: []string{"cat2", "cause1"}}) {
			res.found[1]++
		}
		if f := simFindingsOf(full, months, 17, months[0], o); hasFinding(f, Key{Kind: KindBranchCause, Parts: []string{"br7", "cause2"}}) {
			res.found[2]++
		}
	}
	res.perPeriod = float64(total) / float64(seeds*6)
	return res
}

func hasFinding(f *Findings, k Key) bool {
	for _, e := range f.Emerging {
		if e.Key.id() == k.id() {
			return true
		}
	}
	for _, r := range f.Rising {
		if r.Key.id() == k.id() {
			return true
		}
	}
	for _, r := range f.Recurring {
		if r.Elevated && r.Key.id() == k.id() {
			return true
		}
	}
	for _, p := range f.Peers {
		if p.Key.id() == k.id() {
			return true
		}
	}
	return false
}

func describe(f *Findings) string {
	s := f.Period + ":"
	for _, c := range f.Charts {
		if c.Flagged {
			s += fmt.Sprintf(" chart %v p=%.2g φ=%.2f", c.Key, c.PValue, c.Test.Dispersion)
		}
	}
	for _, e := range f.Emerging {
		s += fmt.Sprintf(" emerging %v p=%.2g", e.Key, e.PValue)
	}
	for _, r := range f.Rising {
		s += fmt.Sprintf(" rising %v p=%.2g", r.Key, r.Test.P)
	}
	for _, r := range f.Recurring {
		if r.Elevated {
			s += fmt.Sprintf(" recurring %v p=%.2g", r.Key, r.PValue)
		}
	}
	for _, p := range f.Peers {
		s += fmt.Sprintf(" peer %v p=%.2g", p.Key, p.Test.P)
	}
	if b := f.BankTotal; b != nil && b.Flagged {
		s += fmt.Sprintf(" bank total %d vs %.0f p=%.2g", b.Count, b.Expected, b.Test.P)
	}
	return s
}

// TestCalibration: over 20 seeds x 6 periods without signal the mean number of findings per period is at most
// 0.1, and each planted effect is found in at least 80% of the seeds. The same harness fails both ways: the old
// uncalibrated test (the baseline's mean taken as exact, months as the exposure) flags far more than 0.1 a
// period, and a blunted test (a false discovery rate of 1e-8) misses the planted effects.
func TestCalibration(t *testing.T) {
	const seeds = 20
	res := runCalibration(seeds, Options{})
	t.Logf("calibrated: %.3f findings per period over %d seeds x 6 periods (family up to %d tests); planted found in %v of %d seeds",
		res.perPeriod, seeds, res.family, res.found, seeds)
	for _, w := range res.worstFindings {
		t.Logf("no-signal finding %s", w)
	}
	if res.perPeriod > 0.1 {
		t.Errorf("%.3f findings per period without signal, want <= 0.1", res.perPeriod)
	}
	names := []string{"+100% for 3 months in a branch x cause of 15 a month", "a one-month tripling of a category x cause of 20 a month", "a branch at twice its peers' share of a cause"}
	for i, n := range res.found {
		if float64(n) < 0.8*seeds {
			t.Errorf("%s found in %d of %d seeds, want >= 80%%", names[i], n, seeds)
		}
	}

	naiveTest = true
	old := runCalibration(3, Options{})
	naiveTest = false
	t.Logf("old test: %.2f findings per period", old.perPeriod)
	if old.perPeriod <= 1 {
		t.Errorf("the old test flagged only %.2f a period on data without signal; the harness should catch it", old.perPeriod)
	}
	blunt := runCalibration(3, Options{FDR: 1e-8})
	t.Logf("blunted test (FDR 1e-8): planted found in %v of 3 seeds", blunt.found)
	if blunt.found[0] >= 3 && blunt.found[1] >= 3 && blunt.found[2] >= 3 {
		t.Errorf("a blunted test still found every planted effect in every seed; the harness should catch it: %v", blunt.found)
	}
}

// TestCalibrationShortHistory: a bank with 3 months of data has insufficient history everywhere and no finding.
func TestCalibrationShortHistory(t *testing.T) {
	cells, months := simulate(1, true, 15)
	f := simFindings(cells, months, 17, months[15], Options{})
	if f.Discoveries != 0 || len(f.Emerging)+len(f.Rising)+len(f.Peers)+f.Flagged != 0 {
		t.Errorf("3 months of data: %d findings: %s", f.Discoveries, describe(f))
	}
	if f.HistoryMonths != 2 || len(f.InsufficientHistory) == 0 || f.Family != 0 {
		t.Errorf("3 months of data: history %d months, %d series with insufficient history, family %d", f.HistoryMonths, len(f.InsufficientHistory), f.Family)
	}
}

// TestCalibrationBankSurge: every cell of the period month doubled (every share unchanged, so no share test can
// see it) gives the bank-total finding, ranked with its sentence, in at least 75% of 10 seeds x 6 periods (the
// months' working days as its exposure, so the Spring Festival and the other holidays do not widen the test);
// the months undoubled give none. With one unit of exposure a month instead (no working days), the same harness
// finds well under 75% and fails.
func TestCalibrationBankSurge(t *testing.T) {
	const seeds = 10
	found, quiet := surgePower(t, seeds, nil)
	t.Logf("every cell doubled: bank-wide finding in %d of %d seeds x periods", found, seeds*6)
	if quiet != 0 {
		t.Errorf("%d no-signal months flagged the bank total (or had none)", quiet)
	}
	if found < seeds*6*3/4 {
		t.Errorf("every cell doubled: a bank-wide finding in only %d of %d seeds x periods, want at least 75%%", found, seeds*6)
	}
	months := map[string]float64{} // no working days: one unit of exposure a month
	if old, _ := surgePower(t, seeds, months); old >= seeds*6*3/4 {
		t.Errorf("months as the exposure found the surge in %d of %d: the harness should catch the weaker test", old, seeds*6)
	} else {
		t.Logf("months as the exposure: bank-wide finding in %d of %d", old, seeds*6)
	}
}

// surgePower doubles every cell of each period month of the simulated bank in turn and counts the periods whose
// bank total is flagged (found), and the periods without the doubling that are flagged or not tested (quiet).
// workingDays nil takes the simulation's own.
func surgePower(t *testing.T, seeds uint64, workingDays map[string]float64) (found, quiet int) {
	o := Options{WorkingDays: workingDays}
	for seed := uint64(1); seed <= seeds; seed++ {
		cells, months := simulate(seed, false, 0)
		full := buildSeries(cells, len(months), nil)
		for p := 12; p < simMonths; p++ {
			if f := simFindingsOf(full, months, p, months[0], o); f.BankTotal == nil || f.BankTotal.Flagged {
				quiet++
			}
			doubled := make([]cell, len(cells))
			copy(doubled, cells)
			for i := range doubled {
				if doubled[i].month == p {
					doubled[i].n *= 2
				}
			}
			f := simFindings(doubled, months, p, months[0], o)
			var surge *Finding
			for i := range f.Ranked {
				if f.Ranked[i].Type == FindingSurge {
					surge = &f.Ranked[i]
				}
			}
			if (surge != nil) != (f.BankTotal != nil && f.BankTotal.Flagged) {
				t.Fatalf("seed %d %s: ranked surge %v, bank total %+v", seed, months[p], surge, f.BankTotal)
			}
			if surge == nil {
				continue
			}
			found++
			if surge.Key.Kind != KindTotal || surge.Excess <= 0 || surge.Months[0] != months[p] || surge.Sentence["zh"] == "" || surge.Sentence["en"] == "" ||
				strings.Contains(surge.Sentence["zh"]+surge.Sentence["en"], "msg_") || strings.Contains(surge.Sentence["zh"]+surge.Sentence["en"], "%!") {
				t.Errorf("seed %d: surge finding %+v", seed, *surge)
			}
			if found == 1 && workingDays == nil {
				t.Logf("%s | %s", surge.Sentence["zh"], surge.Sentence["en"])
			}
		}
	}
	return found, quiet
}

// TestFamilyKeepsZeroCounts: a pair with no complaint in its tested months stays in the family (p = 1), so
// zeroing a pair's last 6 months leaves the family size as it was and yields no finding for the pair.
func TestFamilyKeepsZeroCounts(t *testing.T) {
	cells, months := simulate(1, false, 0)
	full := buildSeries(cells, len(months), nil)
	const p = 17
	before := simFindingsOf(full, months, p, months[0], Options{})
	k := Key{Kind: KindBranchCause, Parts: []string{"br0", "cause9"}}
	d := full[k.id()]
	for i := p - recurrenceWindow + 1; i <= p; i++ {
		d.counts[i] = 0
	}
	after := simFindingsOf(full, months, p, months[0], Options{})
	if after.Family != before.Family || after.Family == 0 {
		t.Errorf("family %d with the pair's last 6 months zeroed, %d before: zero-count tests must stay in it", after.Family, before.Family)
	}
	if hasFinding(after, k) {
		t.Errorf("a pair with no complaint in its tested months is a finding")
	}
}
