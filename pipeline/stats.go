package pipeline

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// z95 is the standard normal quantile for two-sided 95% intervals (1.95996).
var z95 = distuv.UnitNormal.Quantile(0.975)

// npsSE is the standard error of an NPS, in NPS points, from the counts of
// promoters and detractors among n: the variance of a difference of two
// shares of one multinomial sample, (p+ + p- - (p+ - p-)^2) / n. 0 when n is 0.
func npsSE(promoters, detractors, n int64) float64 {
	if n == 0 {
		return 0
	}
	pp, pd := float64(promoters)/float64(n), float64(detractors)/float64(n)
	v := (pp + pd - (pp-pd)*(pp-pd)) / float64(n)
	return 100 * math.Sqrt(max(v, 0))
}

// wilson is the Wilson score interval of the share k/n at z: unlike the
// normal approximation it stays inside [0, 1] and does not collapse to a
// point at k = 0 or k = n. With n = 0 nothing is known: [0, 1].
func wilson(k, n int64, z float64) (lo, hi float64) {
	if n == 0 {
		return 0, 1
	}
	p, fn, z2 := float64(k)/float64(n), float64(n), z*z
	center := (p + z2/(2*fn)) / (1 + z2/fn)
	half := z / (1 + z2/fn) * math.Sqrt(p*(1-p)/fn+z2/(4*fn*fn))
	return max(0, center-half), min(1, center+half)
}
