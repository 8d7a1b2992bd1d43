package aggregate

import (
	"math"
	"testing"
)

// TestChanges: a baseline's rows and this run's; p-values against hand
// computations with math.Erfc (independent of gonum).
func TestChanges(t *testing.T) {
	oldNPS := []ScoreRow{{Segment: "all", Value: "all", Respondents: 100, NPS: 10, SE: 8, LexiconVersion: "v1"},
		{Segment: "region", Value: "华北", Respondents: 40, NPS: 5, SE: 0}}
	oldRates := []MentionRateRow{{Group: "detractor", Dimension: "资费", Respondents: 100, Mentions: 30, MentionRate: 0.3, LexiconVersion: "v1"},
		{Group: "detractor", Dimension: "旧维度", Respondents: 100, Mentions: 5, MentionRate: 0.05}}
	scores := []ScoreRow{{Segment: "all", Value: "all", Respondents: 100, NPS: 25, SE: 6},
		{Segment: "region", Value: "华北", Respondents: 40, NPS: 5, SE: 0}}
	rates := []MentionRateRow{{Group: "detractor", Dimension: "资费", Respondents: 100, Mentions: 45, MentionRate: 0.45}}
	rows := Changes(nps, Baseline{Date: "2026-10-01", Scores: oldNPS, Rates: oldRates}, scores, rates)
	if len(rows) != 4 {
		t.Fatalf("%d rows: %+v", len(rows), rows)
	}
	// NPS: diff 15, se √(8² + 6²) = 10, z 1.5: p = erfc(1.5/√2) = 0.1336.
	all := rows[0]
	if *all.Diff != 15 || math.Abs(*all.PValue-math.Erfc(1.5/math.Sqrt2)) > 1e-12 || all.BaselineDate != "2026-10-01" || all.BaselineLexiconVersion != "v1" {
		t.Errorf("nps all: %+v (p %v)", all, *all.PValue)
	}
	// No spread on either side: nothing to test.
	if rows[1].PValue != nil || *rows[1].Diff != 0 {
		t.Errorf("nps 华北: %+v", rows[1])
	}
	// Rates: 30/100 then, 45/100 now: pooled 0.375, se √(0.375 · 0.625 · 0.02), z = 0.15 / se.
	se := math.Sqrt(0.375 * 0.625 * 0.02)
	r := rows[2]
	if math.Abs(*r.Diff-0.15) > 1e-12 || math.Abs(*r.PValue-math.Erfc(0.15/se/math.Sqrt2)) > 1e-12 {
		t.Errorf("rate 资费: %+v (p %v, want %v)", r, *r.PValue, math.Erfc(0.15/se/math.Sqrt2))
	}
	// A dimension gone since the baseline: then only.
	if g := rows[3]; g.Dimension != "旧维度" || g.Now != nil || *g.Then != 0.05 || g.PValue != nil {
		t.Errorf("gone dimension: %+v", g)
	}
}
