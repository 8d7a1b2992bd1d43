package pipeline

import (
	"cmp"
	"math"
	"slices"
)

// DriverRow is one dimension of drivers.parquet: how much its mentioners
// pull the NPS, and what the method says to fix first. docs/OUTPUTS.md has
// every formula.
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

// Drivers computes drivers rows from the counters, for every Dim.
func Drivers(c *Counters, dims []Dim, group func(int) string) []DriverRow {
	sizes := groupSizes(c.Scores, c.Low, group)
	pIdx, dIdx := groupIndex("promoter"), groupIndex("detractor")
	n := sizes[0] + sizes[1] + sizes[2]
	rows := make([]DriverRow, 0, len(dims))
	for d, dim := range dims {
		var m, neg [3]int64 // by group: mentioners, negative mentioners
		for g := range Groups {
			m[g], neg[g] = c.Mentions[g][d].Total(), c.Mentions[g][d].Negative
		}
		r := DriverRow{Dimension: dim.Name, Level: int32(dim.Level), Respondents: n,
			Mentioned: m[0] + m[1] + m[2], NegativeMentioned: neg[0] + neg[1] + neg[2],
			DetractorNegativeRate: rate(neg[dIdx], sizes[dIdx])}
		in := split{m[pIdx], m[dIdx], r.Mentioned}
		out := split{sizes[pIdx] - m[pIdx], sizes[dIdx] - m[dIdx], n - r.Mentioned}
		r.NPSMentioned, r.NPSNotMentioned = in.nps(), out.nps()
		if r.NPSMentioned != nil && r.NPSNotMentioned != nil {
			share := float64(in.n) / float64(n)
			imp := share * (*r.NPSMentioned - *r.NPSNotMentioned)
			half := z95 * share * math.Hypot(npsSE(in.p, in.d, in.n), npsSE(out.p, out.d, out.n))
			r.Impact, r.ImpactLow, r.ImpactHigh = &imp, ptr(imp-half), ptr(imp+half)
		} else if r.Mentioned == 0 {
			r.Impact, r.ImpactLow, r.ImpactHigh = ptr(0), ptr(0), ptr(0)
		}
		negIn := split{neg[pIdx], neg[dIdx], r.NegativeMentioned}
		negOut := split{sizes[pIdx] - neg[pIdx], sizes[dIdx] - neg[dIdx], n - r.NegativeMentioned}
		if a, b := negIn.nps(), negOut.nps(); a != nil && b != nil {
			r.NegativeImpact = ptr(float64(negIn.n) / float64(n) * (*a - *b))
		} else if r.NegativeMentioned == 0 {
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

// split is a set of respondents: promoters, detractors, all.
type split struct{ p, d, n int64 }

// nps is the split's NPS, nil when it is empty.
func (s split) nps() *float64 {
	if s.n == 0 {
		return nil
	}
	return ptr(100 * float64(s.p-s.d) / float64(s.n))
}

func ptr(f float64) *float64 { return &f }
