package pipeline

import (
	"math"
	"testing"
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

// npsGroup is the default NPS grouping of a 0-10 score, for tests.
func npsGroup(s int) string {
	switch {
	case s >= 9:
		return "promoter"
	case s >= 7:
		return "passive"
	}
	return "detractor"
}
