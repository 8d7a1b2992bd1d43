package aggregate

import (
	"math"

	"github.com/vocmine/vocmine/config"
	"gonum.org/v1/gonum/stat/distuv"
)

// OrderTestRow is order_test.parquet's one row: does the order in which the
// scale was shown (0→10 or 10→0) change the answers? The 3×2 table of
// groups by order (columns named in the metric's words in the file), Pearson's chi-square test of independence, and the
// strength of the association, since with thousands of respondents a
// negligible difference is "significant". docs/OUTPUTS.md has the formulas.
type OrderTestRow struct {
	PromotersAsc   int64   `parquet:"promoters_asc"`
	PassivesAsc    int64   `parquet:"passives_asc"`
	DetractorsAsc  int64   `parquet:"detractors_asc"`
	PromotersDesc  int64   `parquet:"promoters_desc"`
	PassivesDesc   int64   `parquet:"passives_desc"`
	DetractorsDesc int64   `parquet:"detractors_desc"`
	NAsc           int64   `parquet:"n_asc"`
	NDesc          int64   `parquet:"n_desc"`
	NPSAsc         float64 `parquet:"nps_asc"`
	NPSDesc        float64 `parquet:"nps_desc"`
	Chi2           float64 `parquet:"chi2"`
	DOF            int32   `parquet:"dof"`
	PValue         float64 `parquet:"p_value"`
	// ContingencyCoefficient is sqrt(chi2 / (chi2 + n)); CramersV is
	// sqrt(chi2 / (n · min(rows-1, cols-1))), 0 (none) to 1 (complete).
	ContingencyCoefficient float64 `parquet:"contingency_coefficient"`
	CramersV               float64 `parquet:"cramers_v"`
	LexiconVersion         string  `parquet:"lexicon_version,dict"`
}

// OrderTest computes the test from the counters' per-order histograms.
// Groups or orders nobody is in are left out of the test (fewer degrees of
// freedom); with fewer than two of either, there is nothing to test: chi2
// and the strengths are 0, dof 0 and p_value 1.
func OrderTest(c *Counters, sc config.Score) OrderTestRow {
	asc, desc := c.sizes(c.Orders[0]), c.sizes(c.Orders[1])
	r := OrderTestRow{PromotersAsc: asc[0], PassivesAsc: asc[1], DetractorsAsc: asc[2],
		PromotersDesc: desc[0], PassivesDesc: desc[1], DetractorsDesc: desc[2]}
	r.NAsc, r.NDesc = asc[0]+asc[1]+asc[2], desc[0]+desc[1]+desc[2]
	r.NPSAsc, r.NPSDesc = headline(c, c.Orders[0], sc).value, headline(c, c.Orders[1], sc).value
	r.Chi2, r.DOF, r.PValue, r.ContingencyCoefficient, r.CramersV = chiSquare([][]int64{asc[:], desc[:]})
	return r
}

// chiSquare is Pearson's test of independence on a table of counts
// (table[col][row]), rows and columns with no one left out.
func chiSquare(table [][]int64) (chi2 float64, dof int32, p, cc, v float64) {
	var cols, rows []int
	var n float64
	colSum, rowSum := make([]float64, len(table)), make([]float64, len(table[0]))
	for j, col := range table {
		for i, x := range col {
			colSum[j] += float64(x)
			rowSum[i] += float64(x)
			n += float64(x)
		}
	}
	for j, s := range colSum {
		if s > 0 {
			cols = append(cols, j)
		}
	}
	for i, s := range rowSum {
		if s > 0 {
			rows = append(rows, i)
		}
	}
	if len(cols) < 2 || len(rows) < 2 {
		return 0, 0, 1, 0, 0
	}
	for _, j := range cols {
		for _, i := range rows {
			e := colSum[j] * rowSum[i] / n
			chi2 += (float64(table[j][i]) - e) * (float64(table[j][i]) - e) / e
		}
	}
	dof = int32((len(cols) - 1) * (len(rows) - 1))
	p = 1 - distuv.ChiSquared{K: float64(dof)}.CDF(chi2)
	cc = math.Sqrt(chi2 / (chi2 + n))
	v = math.Sqrt(chi2 / (n * float64(min(len(cols), len(rows))-1)))
	return chi2, dof, p, cc, v
}
