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
