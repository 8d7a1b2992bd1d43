package aggregate

import (
	"cmp"
	"math"
	"slices"

	"github.com/vocmine/vocmine/config"
)

// DriverRow is one dimension of drivers.parquet: how much its mentioners
// pull the metric's headline, and what the method says to fix first.
// docs/OUTPUTS.md has every formula. Columns are named in NPS words here
// and in the metric's in the file (csat_mentioned, dissatisfied_negative_rate).
type DriverRow struct {
	Dimension   string `parquet:"dimension"`
	Level       int32  `parquet:"level"`
	Respondents int64  `parquet:"respondents"` // N: every accepted response
	Mentioned   int64  `parquet:"mentioned"`   // respondents mentioning it, any polarity
	// NPS of the mentioners and of everyone else; null when a side is empty.
	NPSMentioned    *float64 `parquet:"nps_mentioned,optional"`
	NPSNotMentioned *float64 `parquet:"nps_not_mentioned,optional"`
	// Impact is (mentioned / N) x (NPS mentioned - NPS not mentioned), which
	// equals NPS - NPS not mentioned: the points the dimension's mentioners
	// move the NPS. With an analytic 95% interval (see impactInterval).
	Impact                *float64 `parquet:"impact,optional"`
	ImpactLow             *float64 `parquet:"impact_low,optional"`
	ImpactHigh            *float64 `parquet:"impact_high,optional"`
	NegativeMentioned     int64    `parquet:"negative_mentioned"`
	NegativeImpact        *float64 `parquet:"negative_impact,optional"` // the same for negative mentions only
	DetractorNegativeRate float64  `parquet:"detractor_negative_rate"`  // detractors mentioning it negatively / detractors
	Priority              int32    `parquet:"priority"`                 // 1 = highest detractor_negative_rate within its level
	LexiconVersion        string   `parquet:"lexicon_version,dict"`
}

// Drivers computes drivers rows from the counters, for every Dim: the
// metric's headline (NPS, CSAT%, CES mean) of its mentioners against
// everyone else's.
func Drivers(c *Counters, dims []Dim, sc config.Score) []DriverRow {
	sizes := c.sizes(c.Scores)
	n := sizes[0] + sizes[1] + sizes[2]
	rows := make([]DriverRow, 0, len(dims))
	rest := make([]int64, len(c.Scores))
	// compare returns the headlines of the respondents in hist and of the
	// others, nil for an empty side.
	compare := func(hist []int64) (in, out stat, inV, outV *float64) {
		for i := range rest {
			rest[i] = c.Scores[i] - hist[i]
		}
		in, out = headline(c, hist, sc), headline(c, rest, sc)
		if in.n > 0 {
			inV = ptr(in.value)
		}
		if out.n > 0 {
			outV = ptr(out.value)
		}
		return in, out, inV, outV
	}
	for d, dim := range dims {
		var neg [3]int64 // negative mentioners by group
		for g := range neg {
			neg[g] = c.Mentions[g][d].Negative
		}
		r := DriverRow{Dimension: dim.Name, Level: int32(dim.Level), Respondents: n,
			DetractorNegativeRate: rate(neg[2], sizes[2])}
		in, out, inV, outV := compare(c.DimScores[d])
		r.Mentioned, r.NPSMentioned, r.NPSNotMentioned = in.n, inV, outV
		switch {
		case inV != nil && outV != nil:
			share := float64(in.n) / float64(n)
			imp := share * (in.value - out.value)
			half := z95 * share * math.Hypot(in.se, out.se)
			r.Impact, r.ImpactLow, r.ImpactHigh = &imp, ptr(imp-half), ptr(imp+half)
		case in.n == 0:
			r.Impact, r.ImpactLow, r.ImpactHigh = ptr(0), ptr(0), ptr(0)
		}
		in, out, inV, outV = compare(c.DimNegScores[d])
		r.NegativeMentioned = in.n
		switch {
		case inV != nil && outV != nil:
			r.NegativeImpact = ptr(float64(in.n) / float64(n) * (in.value - out.value))
		case in.n == 0:
			r.NegativeImpact = ptr(0)
		}
		rows = append(rows, r)
	}
	// Priority: the method's rule, highest detractor negative-mention rate
	// first, within each level; names break ties.
	for _, level := range []int32{1, 2} {
		var idx []int
		for i, r := range rows {
			if r.Level == level {
				idx = append(idx, i)
			}
		}
		slices.SortStableFunc(idx, func(a, b int) int {
			return cmp.Or(cmp.Compare(rows[b].DetractorNegativeRate, rows[a].DetractorNegativeRate), cmp.Compare(rows[a].Dimension, rows[b].Dimension))
		})
		for k, i := range idx {
			rows[i].Priority = int32(k + 1)
		}
	}
	return rows
}

func ptr(f float64) *float64 { return &f }
