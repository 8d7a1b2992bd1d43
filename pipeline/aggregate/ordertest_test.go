package aggregate

import (
	"math"
	"testing"
)

// TestChiSquare against values computed by hand: expected counts, chi2,
// and, with two degrees of freedom, the closed form p = exp(-chi2/2).
func TestChiSquare(t *testing.T) {
	// Ascending: 30 promoters, 20 passives, 50 detractors; descending: 50, 20, 30.
	// Row sums 80, 40, 80; column sums 100, 100; n 200; expected 40, 20, 40.
	// chi2 = 2 * (100/40 + 0 + 100/40) = 10.
	chi2, dof, p, cc, v := chiSquare([][]int64{{30, 20, 50}, {50, 20, 30}})
	if math.Abs(chi2-10) > 1e-12 || dof != 2 || math.Abs(p-math.Exp(-5)) > 1e-9 ||
		math.Abs(cc-math.Sqrt(10.0/210)) > 1e-12 || math.Abs(v-math.Sqrt(10.0/200)) > 1e-12 {
		t.Errorf("chi2 %v dof %d p %v cc %v v %v; want 10, 2, %v, %v, %v", chi2, dof, p, cc, v, math.Exp(-5), math.Sqrt(10.0/210), math.Sqrt(10.0/200))
	}
	// Identical orders: no association.
	if chi2, _, p, _, v := chiSquare([][]int64{{5, 3, 2}, {10, 6, 4}}); chi2 > 1e-12 || math.Abs(p-1) > 1e-12 || v > 1e-6 {
		t.Errorf("independent table: chi2 %v p %v v %v", chi2, p, v)
	}
	// Nobody passive: that row is left out, dof 1. 2x2 {{10, 0}, {0, 10}}
	// (promoters, detractors by order): complete association, chi2 = n = 20, V = 1.
	if chi2, dof, _, _, v := chiSquare([][]int64{{10, 0, 0}, {0, 0, 10}}); math.Abs(chi2-20) > 1e-9 || dof != 1 || math.Abs(v-1) > 1e-9 {
		t.Errorf("2x2: chi2 %v dof %d v %v; want 20, 1, 1", chi2, dof, v)
	}
	// One order only, or n = 1: nothing to test.
	for _, tab := range [][][]int64{{{3, 2, 1}, {0, 0, 0}}, {{1, 0, 0}, {0, 0, 0}}, {{0, 0, 0}, {0, 0, 0}}} {
		if chi2, dof, p, _, _ := chiSquare(tab); chi2 != 0 || dof != 0 || p != 1 {
			t.Errorf("%v: chi2 %v dof %d p %v; want 0, 0, 1", tab, chi2, dof, p)
		}
	}
}

func TestOrderTest(t *testing.T) {
	c := NewCounters(nps, 0, 0)
	c.Orders[0][10], c.Orders[0][7], c.Orders[0][2] = 30, 20, 50
	c.Orders[1][9], c.Orders[1][8], c.Orders[1][0] = 50, 20, 30
	r := OrderTest(c, nps)
	if r.NAsc != 100 || r.NDesc != 100 || r.NPSAsc != -20 || r.NPSDesc != 20 || math.Abs(r.Chi2-10) > 1e-12 || r.PromotersDesc != 50 || r.DetractorsAsc != 50 {
		t.Errorf("%+v", r)
	}
}
