package aggregate

import (
	"math"
	"testing"

	"github.com/vocmine/vocmine/config"
)

// Wilson intervals against Newcombe (1998), "Two-sided confidence intervals
// for the single proportion", Statistics in Medicine 17:857-872, Table I,
// method 3 (score interval without continuity correction).
func TestWilsonNewcombe(t *testing.T) {
	for _, tc := range []struct {
		k, n   int64
		lo, hi float64
	}{
		{81, 263, 0.2553, 0.3662},
		{15, 148, 0.0624, 0.1605},
		{0, 20, 0, 0.1611},
		{1, 29, 0.0061, 0.1718},
	} {
		lo, hi := wilson(tc.k, tc.n, z95)
		if math.Abs(lo-tc.lo) > 5e-5 || math.Abs(hi-tc.hi) > 5e-5 {
			t.Errorf("wilson(%d, %d) = %.4f..%.4f, Newcombe %.4f..%.4f", tc.k, tc.n, lo, hi, tc.lo, tc.hi)
		}
	}
	if lo, hi := wilson(0, 0, z95); lo != 0 || hi != 1 {
		t.Errorf("wilson(0, 0) = %v..%v, want 0..1", lo, hi)
	}
	if lo, hi := wilson(5, 5, z95); hi != 1 || lo >= 1 || lo < 0.5 {
		t.Errorf("wilson(5, 5) = %v..%v, want ~0.57..1", lo, hi)
	}
}

// NPS standard errors computed by hand.
func TestNPSStandardError(t *testing.T) {
	for _, tc := range []struct {
		p, d, n int64
		se      float64
	}{
		// p+ 0.5, p- 0.2: (0.5 + 0.2 - 0.3^2) / 100 = 0.0061; 100 * sqrt = 7.8102
		{50, 20, 100, 7.810250},
		// all promoters: no spread
		{10, 0, 10, 0},
		{1, 0, 1, 0},
		// half promoters, half detractors, n = 4: (1 - 0) / 4 = 0.25 -> 50 points
		{2, 2, 4, 50},
		// nobody
		{0, 0, 0, 0},
	} {
		if got := npsSE(tc.p, tc.d, tc.n); math.Abs(got-tc.se) > 1e-5 {
			t.Errorf("npsSE(%d, %d, %d) = %.6f, want %.6f", tc.p, tc.d, tc.n, got, tc.se)
		}
	}
	if math.Abs(z95-1.959964) > 1e-6 {
		t.Errorf("z95 = %v", z95)
	}
}

// nps is the default NPS Score, for tests.
var nps = config.MetricScore("nps")

// TestHeadline: each metric's headline, standard error and 95% margin on
// histograms worked by hand; t quantiles from a printed t table.
func TestHeadline(t *testing.T) {
	for _, tc := range []struct {
		name, metric     string
		hist             []int64 // from the metric's default scale's low end
		value, se, moe95 float64
	}{
		{"nps 50/30/20", "nps", []int64{20, 0, 0, 0, 0, 0, 0, 30, 0, 0, 50}, 30, 7.810250, 1.959964 * 7.810250},
		{"csat 80 of 100", "csat", []int64{10, 5, 5, 40, 40}, 80, 4, 1.959964 * 4},
		{"csat all satisfied", "csat", []int64{0, 0, 0, 3, 7}, 100, 0, 0},
		{"csat n = 1", "csat", []int64{0, 1, 0, 0, 0}, 0, 0, 0},
		{"csat nobody", "csat", []int64{0, 0, 0, 0, 0}, 0, 0, 0},
		// 1 and 7: mean 4, s² = 18, se = √(18/2) = 3; t(0.975, 1) = 12.706.
		{"ces two", "ces", []int64{1, 0, 0, 0, 0, 0, 1}, 4, 3, 12.7062 * 3},
		// 2, 4, 4, 6 (no one in the low-effort group): mean 4, s² = 8/3,
		// se = √(8/3/4); t(0.975, 3) = 3.1824.
		{"ces four", "ces", []int64{0, 1, 0, 2, 0, 1, 0}, 4, math.Sqrt(2.0 / 3), 3.1824 * math.Sqrt(2.0/3)},
		{"ces n = 1", "ces", []int64{0, 0, 0, 0, 1, 0, 0}, 5, 0, 0},
		{"ces nobody", "ces", []int64{0, 0, 0, 0, 0, 0, 0}, 0, 0, 0},
	} {
		sc := config.MetricScore(tc.metric)
		c := NewCounters(sc, 0, 0)
		st := headline(c, tc.hist, sc)
		if math.Abs(st.value-tc.value) > 1e-9 || math.Abs(st.se-tc.se) > 1e-6 || math.Abs(st.moe95()-tc.moe95) > 1e-3 {
			t.Errorf("%s: value %v se %v moe95 %v; want %v %v %v", tc.name, st.value, st.se, st.moe95(), tc.value, tc.se, tc.moe95)
		}
	}
}
