package lextool

import (
	"encoding/json"
	"math"
	"slices"
)

// z is the normal quantile of a two-sided 95% interval.
const z = 1.959963984540054

// Estimate is a metric with its 95% interval. OK is false when the metric
// is undefined (nothing to divide by: a precision without predictions);
// it is then null in eval.json and empty in eval.parquet.
type Estimate struct {
	Value, Low, High float64
	OK               bool
}

// MarshalJSON writes {"value", "low", "high"}, or null when undefined.
func (e Estimate) MarshalJSON() ([]byte, error) {
	if !e.OK {
		return []byte("null"), nil
	}
	return json.Marshal(struct {
		Value float64 `json:"value"`
		Low   float64 `json:"low"`
		High  float64 `json:"high"`
	}{e.Value, e.Low, e.High})
}

// wilson is k/n with its Wilson score interval.
func wilson(k, n int64) Estimate {
	if n == 0 {
		return Estimate{}
	}
	nf := float64(n)
	p := float64(k) / nf
	den := 1 + z*z/nf
	center := (p + z*z/(2*nf)) / den
	half := z * math.Sqrt(p*(1-p)/nf+z*z/(4*nf*nf)) / den
	return Estimate{Value: p, Low: max(0, center-half), High: min(1, center+half), OK: true}
}

// ratio is a/b, NaN when b is 0.
func ratio(a, b int64) float64 {
	if b == 0 {
		return math.NaN()
	}
	return float64(a) / float64(b)
}

// percentiles returns the 2.5th and 97.5th percentiles of the values that
// are not NaN (linear interpolation between order statistics); ok is false
// when there are none.
func percentiles(vs []float64) (lo, hi float64, ok bool) {
	vs = slices.DeleteFunc(slices.Clone(vs), math.IsNaN)
	if len(vs) == 0 {
		return 0, 0, false
	}
	slices.Sort(vs)
	q := func(p float64) float64 {
		h := p * float64(len(vs)-1)
		i := int(h)
		if i+1 >= len(vs) {
			return vs[len(vs)-1]
		}
		return vs[i] + (h-float64(i))*(vs[i+1]-vs[i])
	}
	return q(0.025), q(0.975), true
}

// mean is the mean of the values that are not NaN; NaN when there are none.
func mean(vs []float64) float64 {
	sum, n := 0.0, 0
	for _, v := range vs {
		if !math.IsNaN(v) {
			sum += v
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return sum / float64(n)
}

// estimate makes an Estimate of a value (NaN: undefined) and the bootstrap
// values of the same metric.
func estimate(v float64, boot []float64) Estimate {
	if math.IsNaN(v) {
		return Estimate{}
	}
	lo, hi, ok := percentiles(boot)
	if !ok {
		lo, hi = v, v
	}
	return Estimate{Value: v, Low: lo, High: hi, OK: true}
}
