package rootcause

import (
	"math"
	"sort"
)

// PoissonUpperTail is the exact upper-tail probability P(X >= x) of a Poisson variable with the given mean.
// It sums the probability mass in log space, from x upwards when x lies above the mean (so that tiny tails keep
// their precision) and as one minus the lower sum otherwise. x <= 0 gives 1; a mean <= 0 gives 0 for x > 0.
func PoissonUpperTail(x int, mean float64) float64 {
	if x <= 0 {
		return 1
	}
	if mean <= 0 {
		return 0
	}
	logPMF := func(k int) float64 {
		lg, _ := math.Lgamma(float64(k) + 1)
		return float64(k)*math.Log(mean) - mean - lg
	}
	if float64(x) > mean {
		sum := 0.0
		for k := x; ; k++ {
			term := math.Exp(logPMF(k))
			sum += term
			if term <= sum*1e-17 || k > x+100000 {
				break
			}
		}
		return math.Min(1, sum)
	}
	lower := 0.0
	for k := 0; k < x; k++ {
		lower += math.Exp(logPMF(k))
	}
	return math.Max(0, math.Min(1, 1-lower))
}

// BenjaminiHochberg applies the Benjamini-Hochberg step-up procedure at false discovery rate q to p-values:
// with the m p-values sorted ascending, the largest k with p(k) <= k/m*q is found and the k smallest are
// rejected (flagged). It returns the flags and the BH-adjusted p-values (q-values), both in input order.
func BenjaminiHochberg(p []float64, q float64) (flagged []bool, adjusted []float64) {
	m := len(p)
	flagged = make([]bool, m)
	adjusted = make([]float64, m)
	if m == 0 {
		return
	}
	idx := make([]int, m)
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return p[idx[a]] < p[idx[b]] })
	k := 0
	for r := 1; r <= m; r++ {
		if p[idx[r-1]] <= float64(r)/float64(m)*q {
			k = r
		}
	}
	for r := 1; r <= k; r++ {
		flagged[idx[r-1]] = true
	}
	minAdj := 1.0
	for r := m; r >= 1; r-- {
		a := p[idx[r-1]] * float64(m) / float64(r)
		if a < minAdj {
			minAdj = a
		}
		adjusted[idx[r-1]] = minAdj
	}
	return
}

// CLimits are the c-chart limits for a baseline mean: centre = mean, limits = centre ± 3·sqrt(centre), the
// lower limit floored at 0.
func CLimits(mean float64) (centre, ucl, lcl float64) {
	s := math.Sqrt(math.Max(mean, 0))
	return mean, mean + 3*s, math.Max(0, mean-3*s)
}

// ULimits are the u-chart limits at a month with n_i customers (in units of 10,000) around the baseline rate
// ubar (complaints per 10,000 customers): ubar ± 3·sqrt(ubar/n_i), the lower limit floored at 0. With n_i = 1
// they are the c-chart limits.
func ULimits(ubar, n float64) (ucl, lcl float64) {
	if n <= 0 {
		return math.Inf(1), 0
	}
	s := math.Sqrt(math.Max(ubar, 0) / n)
	return ubar + 3*s, math.Max(0, ubar-3*s)
}

// Rule1 is Western Electric rule 1: a point beyond the 3-sigma limits (below the lower limit only when that
// limit is above 0).
func Rule1(x float64, ucl, lcl float64) bool {
	return x > ucl || (lcl > 0 && x < lcl)
}

// Rule4 is Western Electric rule 4 as the quality team states it: the last 8 points (ending at the period) all
// on one side of the centre line. Fewer than 8 points never fire; a point on the line breaks the run.
func Rule4(points []float64, centre float64) bool {
	if len(points) < 8 {
		return false
	}
	last := points[len(points)-8:]
	above, below := 0, 0
	for _, x := range last {
		switch {
		case x > centre:
			above++
		case x < centre:
			below++
		}
	}
	return above == 8 || below == 8
}

func mean(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

// slope is the least-squares slope of ys against 0, 1, 2 ...
func slope(ys []float64) float64 {
	n := float64(len(ys))
	if n < 2 {
		return 0
	}
	mx := (n - 1) / 2
	my := mean(ys)
	num, den := 0.0, 0.0
	for i, y := range ys {
		dx := float64(i) - mx
		num += dx * (y - my)
		den += dx * dx
	}
	return num / den
}

// RegIncBeta is the regularised incomplete beta function I_x(a, b) for a, b > 0 (Lentz's continued fraction, as
// Numerical Recipes' betacf). The side that converges fastest is summed directly, so a small upper tail keeps
// its precision.
func RegIncBeta(a, b, x float64) float64 {
	if x <= 0 {
		return 0
	}
	if x >= 1 {
		return 1
	}
	la, _ := math.Lgamma(a)
	lb, _ := math.Lgamma(b)
	lab, _ := math.Lgamma(a + b)
	front := math.Exp(lab - la - lb + a*math.Log(x) + b*math.Log1p(-x))
	if x < (a+1)/(a+b+2) {
		return front * betaCF(a, b, x) / a
	}
	return 1 - front*betaCF(b, a, 1-x)/b
}

func betaCF(a, b, x float64) float64 {
	const tiny = 1e-300
	qab, qap, qam := a+b, a+1, a-1
	c, d := 1.0, 1-qab*x/qap
	if math.Abs(d) < tiny {
		d = tiny
	}
	d = 1 / d
	h := d
	for m := 1; m <= 100000; m++ {
		fm := float64(m)
		m2 := 2 * fm
		aa := fm * (b - fm) * x / ((qam + m2) * (a + m2))
		d = 1 + aa*d
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = 1 + aa/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		h *= d * c
		aa = -(a + fm) * (qab + fm) * x / ((a + m2) * (qap + m2))
		d = 1 + aa*d
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = 1 + aa/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		del := d * c
		h *= del
		if math.Abs(del-1) < 1e-15 {
			break
		}
	}
	return h
}

// BinomialUpperTail is P(X >= x) for X ~ Binomial(n, p), through I_p(x, n-x+1); x and n may be fractional (a
// count divided by a dispersion factor). x <= 0 gives 1; x > n gives 0.
func BinomialUpperTail(x, n, p float64) float64 {
	switch {
	case x <= 0:
		return 1
	case x > n+1e-9 || p <= 0:
		return 0
	case p >= 1:
		return 1
	}
	return RegIncBeta(x, n-x+1, p)
}

// StudentUpperTail is P(T > t) for Student's t with df degrees of freedom.
func StudentUpperTail(t, df float64) float64 {
	tail := 0.5 * RegIncBeta(df/2, 0.5, df/(df+t*t))
	if t < 0 {
		return 1 - tail
	}
	return tail
}

// chiSquare95 is the 95th percentile of the chi-square distribution with df degrees of freedom (Wilson-Hilferty;
// within 1% of the exact value from 3 degrees of freedom up).
func chiSquare95(df float64) float64 {
	h := 2 / (9 * df)
	return df * math.Pow(1-h+1.6448536*math.Sqrt(h), 3)
}

// RateTest is the calibrated comparison of two counts (Findings' method, in the package doc): x complaints with
// exposure e1 (the tested months, or the tested branch) against y with exposure e0 (the baseline months, or the
// peers). Under no change x | x+y ~ Binomial(x+y, e1/(e1+e0)) exactly for Poisson counts; Dispersion (>= 1) is the
// quasi-Poisson factor estimated from the baseline's own spread, by which both counts are divided, and where that
// spread is beyond chance (Dispersed) the p-value is at least the Student t tail of the standardised excess with
// DF degrees of freedom, which carries the uncertainty of the estimated factor.
type RateTest struct {
	X          int     `json:"x"`
	Y          int     `json:"y"`
	E1         float64 `json:"e1"`
	E0         float64 `json:"e0"`
	Expected   float64 `json:"expected"` // x+y times e1/(e1+e0): the count expected for x
	Dispersion float64 `json:"dispersion"`
	Dispersed  bool    `json:"dispersed"`
	DF         int     `json:"df"`
	P          float64 `json:"p"`
}

// dispersion estimates the quasi-Poisson factor of counts ys against exposures es (proportional model: the
// expected count of unit i is Σy·e_i/Σe): Pearson's X²/(k-1) over the units with exposure when X² is beyond the
// chi-square 95th percentile (the history shows over-dispersion: dispersed), else 1. Fewer than 3 units, or no
// count, give 1.
func dispersion(ys []int, es []float64) (phi float64, dispersed bool, df int) {
	sy, se, k := 0.0, 0.0, 0
	for i, e := range es {
		if e > 0 {
			sy += float64(ys[i])
			se += e
			k++
		}
	}
	if k < 3 || sy == 0 {
		return 1, false, max(k-1, 1)
	}
	x2 := 0.0
	for i, e := range es {
		if e > 0 {
			exp := sy * e / se
			d := float64(ys[i]) - exp
			x2 += d * d / exp
		}
	}
	df = k - 1
	if x2 <= chiSquare95(float64(df)) {
		return 1, false, df
	}
	return math.Max(1, x2/float64(df)), true, df
}

// testRates runs the calibrated test of x (exposure e1) against y (exposure e0) with the dispersion estimated
// from the units ys/es (the baseline months or the peers).
func testRates(x int, e1 float64, y int, e0 float64, ys []int, es []float64) RateTest {
	t := RateTest{X: x, Y: y, E1: e1, E0: e0, Dispersion: 1, P: 1}
	if e1 <= 0 || e0 <= 0 {
		return t
	}
	p0 := e1 / (e1 + e0)
	n := float64(x + y)
	t.Expected = n * p0
	t.Dispersion, t.Dispersed, t.DF = dispersion(ys, es)
	if naiveTest {
		// the uncalibrated test this package used to run: the baseline rate taken as exact
		t.Expected = float64(y) / e0 * e1
		t.P = PoissonUpperTail(x, math.Max(t.Expected, 0.5/e0*e1))
		return t
	}
	t.P = BinomialUpperTail(float64(x)/t.Dispersion, n/t.Dispersion, p0)
	if t.Dispersed && n > 0 {
		z := (float64(x) - t.Expected) / math.Sqrt(t.Dispersion*n*p0*(1-p0))
		t.P = math.Max(t.P, StudentUpperTail(z, float64(t.DF)))
	}
	return t
}

// naiveTest switches testRates to the old uncalibrated Poisson test; the calibration harness sets it to show that
// it flags far too much on data without signal.
var naiveTest = false
