package aggregate

import (
	"math"

	"github.com/vocmine/vocmine/config"
	"gonum.org/v1/gonum/stat/distuv"
)

// stat is a metric's headline over a set of respondents: NPS (% top group
// - % bottom group), CSAT% (% top group) or the CES mean score, with its
// standard error. value and se are 0 when n is 0.
type stat struct {
	n         int64
	value, se float64
	metric    string
}

// headline computes the metric's headline over a score histogram of c's
// scale. NPS's se is the multinomial one (npsSE); CSAT%'s the binomial
// √(p(1-p)/n), npsSE with no bottom group; the CES mean's s/√n with s the
// sample standard deviation (0 below two respondents).
func headline(c *Counters, hist []int64, sc config.Score) stat {
	g := c.sizes(hist)
	st := stat{n: g[0] + g[1] + g[2], metric: sc.Metric}
	switch sc.Metric {
	case "ces":
		st.value = meanScore(hist, c.Low)
		if st.n > 1 {
			var ss float64
			for i, k := range hist {
				d := float64(c.Low+i) - st.value
				ss += float64(k) * d * d
			}
			st.se = math.Sqrt(ss / float64(st.n-1) / float64(st.n))
		}
	case "csat":
		st.value, st.se = 100*rate(g[0], st.n), npsSE(g[0], 0, st.n)
	default:
		st.value, st.se = 100*rate(g[0], st.n)-100*rate(g[2], st.n), npsSE(g[0], g[2], st.n)
	}
	return st
}

// moe95 is the half-width of the headline's 95% interval: z95 x se for the
// shares (NPS, CSAT%), Student's t with n-1 degrees of freedom for the CES
// mean, whose standard deviation is estimated.
func (st stat) moe95() float64 {
	if st.metric == "ces" {
		if st.n < 2 {
			return 0
		}
		return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(st.n - 1)}.Quantile(0.975) * st.se
	}
	return z95 * st.se
}

// meanScore is the mean score of a histogram starting at score low; 0 when
// it is empty.
func meanScore(hist []int64, low int) float64 {
	var n, sum int64
	for i, k := range hist {
		n += k
		sum += k * int64(low+i)
	}
	return float64(sum) / float64(max(n, 1))
}

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
