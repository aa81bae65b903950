package rootcause

import (
	"math"
	"sort"
)

// MinHistory is the number of complete baseline months a series needs before it is tested; with fewer it is
// listed in Findings.InsufficientHistory and yields no finding.
const MinHistory = 6

// risingWindow is the number of months, ending at the period, that the rising test compares with the months
// before them.
const risingWindow = 3

// history says which loaded months may serve as a baseline: a month is complete when it is not before the data's
// first month, not listed in Options.IncompleteMonths and holds data: a month some source covers
// (source_coverage, judged bank-wide, so a branch's zero in it is a zero report and counts), or, where the
// warehouse has no coverage rows, a month with complaints. volume is the month's received complaints over all
// series, the exposure of every test without a customer denominator.
type history struct {
	months   []string
	period   int
	complete []bool
	volume   []float64
	category map[string][]float64 // business category -> its complaints by month
}

func newHistory(s seriesSet, months []string, firstData string, o Options) history {
	h := history{months: months, period: len(months) - 1, complete: make([]bool, len(months)), volume: make([]float64, len(months))}
	// every kind partitions the complaints; the largest sum also serves a set holding one kind only
	byKind := map[string][]float64{}
	for _, d := range s {
		v := byKind[d.key.Kind]
		if v == nil {
			v = make([]float64, len(months))
			byKind[d.key.Kind] = v
		}
		for i, n := range d.counts {
			v[i] += float64(n)
		}
	}
	for _, v := range byKind {
		for i := range v {
			h.volume[i] = math.Max(h.volume[i], v[i])
		}
	}
	h.category = map[string][]float64{}
	for _, d := range s {
		if d.key.Kind == KindCategory {
			v := make([]float64, len(months))
			for i, n := range d.counts {
				v[i] = float64(n)
			}
			h.category[d.key.Parts[0]] = v
		}
	}
	skip := map[string]bool{}
	for _, m := range o.IncompleteMonths {
		skip[m] = true
	}
	for i, m := range months {
		hasData := h.volume[i] > 0
		if o.covered != nil {
			hasData = o.covered[m]
		}
		h.complete[i] = firstData != "" && m >= firstData && !skip[m] && hasData
	}
	return h
}

// exposure is the months' volume of complaints, for a category x cause its category's complaints (so a month
// effect of the whole category is not taken for a rise of one of its causes); for the old uncalibrated test
// (naiveTest), one per month.
func (h history) exposure(k Key) []float64 {
	if !naiveTest {
		if v := h.category[k.Parts[0]]; k.Kind == KindCategoryCause && v != nil {
			return v
		}
		return h.volume
	}
	ones := make([]float64, len(h.volume))
	for i := range ones {
		ones[i] = 1
	}
	return ones
}

// baseline lists the complete months in [from, to).
func (h history) baseline(from, to int) []int {
	var out []int
	for i := max(from, 0); i < to; i++ {
		if h.complete[i] {
			out = append(out, i)
		}
	}
	return out
}

// testWindow tests the counts of the window months win against the baseline months base, with exposures ex (the
// month's volume or customers): the calibrated RateTest.
func testWindow(counts []int, ex []float64, win, base []int) RateTest {
	x, y, e1, e0 := 0, 0, 0.0, 0.0
	for _, i := range win {
		x += counts[i]
		e1 += ex[i]
	}
	ys, es := make([]int, len(base)), make([]float64, len(base))
	for j, i := range base {
		y += counts[i]
		e0 += ex[i]
		ys[j], es[j] = counts[i], ex[i]
	}
	return testRates(x, e1, y, e0, ys, es)
}

// Rising is a series whose last 3 months (ending at the period) are above what its earlier complete months
// predict: a finding when it passes the run's Benjamini-Hochberg family.
type Rising struct {
	Key      Key      `json:"key"`
	Months   []string `json:"months"` // the 3 months tested
	Counts   []int    `json:"counts"`
	Count    int      `json:"count"`    // their sum
	Expected float64  `json:"expected"` // the sum expected from the baseline months' rate (Finding.Expected)
	Test     RateTest `json:"test"`
	QValue   float64  `json:"q_value"`
	Flagged  bool     `json:"flagged"`
}

// Peer is a branch x cause whose share of the branch's complaints over the 6 months ending at the period is above
// the same cause's share at the other branches: a finding when it passes the run's family.
type Peer struct {
	Key      Key      `json:"key"`
	Months   []string `json:"months"`
	Count    int      `json:"count"`        // the branch's complaints of the cause over the months
	Total    int      `json:"branch_total"` // the branch's complaints over the months
	Expected float64  `json:"expected"`     // the count at the peers' share
	PeerRate float64  `json:"peer_share"`   // the cause's share of the other branches' complaints
	Test     RateTest `json:"test"`
	QValue   float64  `json:"q_value"`
	Flagged  bool     `json:"flagged"`
}

// familyMember is one test of the run's Benjamini-Hochberg family.
type familyMember struct {
	p    float64
	q    *float64
	flag *bool
}

type family []familyMember

func (f *family) add(p float64, q *float64, flag *bool) {
	*f = append(*f, familyMember{p: p, q: q, flag: flag})
}

// apply runs Benjamini-Hochberg at rate fdr over every member and writes back the flags and q-values.
func (f family) apply(fdr float64) {
	ps := make([]float64, len(f))
	for i, m := range f {
		ps[i] = m.p
	}
	flags, adj := BenjaminiHochberg(ps, fdr)
	for i, m := range f {
		*m.flag, *m.q = flags[i], adj[i]
	}
}

// risingKinds and recurringKinds are the pair series tested over several months.
var pairKinds = []string{KindBranchCause, KindCategoryCause}

func risingTests(s seriesSet, h history, o Options, insufficient func(Key)) []Rising {
	var out []Rising
	p := h.period
	var win []int
	for i := p - risingWindow + 1; i <= p; i++ {
		if i >= 0 && h.complete[i] {
			win = append(win, i)
		}
	}
	base := h.baseline(p-risingWindow+1-o.BaselineMonths, p-risingWindow+1)
	for _, d := range s.sorted(pairKinds...) {
		if len(base) < MinHistory || len(win) < risingWindow {
			insufficient(d.key)
			continue
		}
		r := Rising{Key: d.key, Months: h.months[p-risingWindow+1:], Counts: d.counts[p-risingWindow+1:]}
		r.Test = testWindow(d.counts, h.exposure(d.key), win, base)
		r.Count = r.Test.X
		if r.Test.E0 > 0 {
			r.Expected = float64(r.Test.Y) / r.Test.E0 * r.Test.E1
		}
		out = append(out, r) // a zero count too: p = 1, never a finding, but a member of the family

	}
	return out
}

func peerTests(s seriesSet, h history, o Options) []Peer {
	p := h.period
	w0 := p - recurrenceWindow + 1
	if w0 < 0 {
		return nil
	}
	for i := w0; i <= p; i++ {
		if !h.complete[i] {
			return nil
		}
	}
	sum := func(d *seriesData) int {
		n := 0
		for i := w0; i <= p; i++ {
			n += d.counts[i]
		}
		return n
	}
	totals := map[string]int{} // branch -> complaints over the window
	for _, d := range s.sorted(KindBranch) {
		totals[d.key.Parts[0]] = sum(d)
	}
	byCause := map[string][]*seriesData{}
	for _, d := range s.sorted(KindBranchCause) {
		byCause[d.key.Parts[1]] = append(byCause[d.key.Parts[1]], d)
	}
	causes := make([]string, 0, len(byCause))
	for c := range byCause {
		causes = append(causes, c)
	}
	sort.Strings(causes)
	var out []Peer
	for _, cause := range causes {
		counts := map[string]int{}
		for _, d := range byCause[cause] {
			counts[d.key.Parts[0]] = sum(d)
		}
		branches := make([]string, 0, len(totals))
		for b := range totals {
			branches = append(branches, b)
		}
		sort.Strings(branches)
		if len(branches) < MinHistory {
			continue
		}
		for _, d := range byCause[cause] {
			b := d.key.Parts[0]
			x := counts[b]
			if totals[b] == 0 { // no complaint of the branch in the months: no exposure, no test
				continue
			}
			var ys []int
			var es []float64
			y, e0 := 0, 0.0
			for _, other := range branches {
				if other == b || totals[other] == 0 {
					continue
				}
				ys = append(ys, counts[other])
				es = append(es, float64(totals[other]))
				y += counts[other]
				e0 += float64(totals[other])
			}
			if len(ys) < MinHistory-1 {
				continue
			}
			pr := Peer{Key: d.key, Months: h.months[w0:], Count: x, Total: totals[b]}
			pr.Test = testRates(x, float64(totals[b]), y, e0, ys, es)
			pr.Expected = float64(y) / e0 * float64(totals[b])
			pr.PeerRate = float64(y) / e0
			out = append(out, pr)
		}
	}
	return out
}

// KindTotal is the bank-total series: every complaint received, by month (BankTotal).
const KindTotal = "total"

// totalKey is the bank-total series' key.
var totalKey = Key{Kind: KindTotal, Parts: []string{"all"}}

// BankTotal is the period test of the bank's complaints received (every series' exposure elsewhere, so no other
// test sees a bank-wide surge): the period's total against the complete months among the BaselineMonths before
// it, the months' working days as the exposure (Options.WorkingDays; one unit a month where a month has none),
// dispersion from those months' totals. A finding when it passes the run's family.
type BankTotal struct {
	Counts      []int     `json:"counts"` // by Findings.Months
	Count       int       `json:"count"`
	Expected    float64   `json:"expected"`               // the baseline months' complaints per working day times the period's working days
	WorkingDays []float64 `json:"working_days,omitempty"` // the exposure by Findings.Months; absent: one unit a month
	Test        RateTest  `json:"test"`
	QValue      float64   `json:"q_value"`
	Flagged     bool      `json:"flagged"`
}

// exposure is the bank total's exposure by month: its working days, else one unit a month.
func (b *BankTotal) exposure() []float64 {
	if b.WorkingDays != nil {
		return b.WorkingDays
	}
	ones := make([]float64, len(b.Counts))
	for i := range ones {
		ones[i] = 1
	}
	return ones
}

// bankTotalTest tests the bank total; nil (and the series has insufficient history) without MinHistory complete
// baseline months or with an incomplete period.
func bankTotalTest(h history, o Options, insufficient func(Key)) *BankTotal {
	p := h.period
	base := h.baseline(p-o.BaselineMonths, p)
	if len(base) < MinHistory || !h.complete[p] {
		insufficient(totalKey)
		return nil
	}
	b := &BankTotal{Counts: make([]int, len(h.volume))}
	for i, v := range h.volume {
		b.Counts[i] = int(math.Round(v))
	}
	b.Count = b.Counts[p]
	wd := make([]float64, len(h.months))
	for i, m := range h.months {
		wd[i] = o.WorkingDays[m]
	}
	for _, i := range append(base, p) {
		if wd[i] <= 0 { // a month without a schedule: months are the exposure
			wd = nil
			break
		}
	}
	b.WorkingDays = wd
	b.Test = testWindow(b.Counts, b.exposure(), []int{p}, base)
	b.Expected = float64(b.Test.Y) / b.Test.E0 * b.Test.E1
	return b
}
