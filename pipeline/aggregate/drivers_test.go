package aggregate

import (
	"math"
	"testing"

	"github.com/vocmine/vocmine/tagger"
)

// TestDrivers on counters written by hand: 10 respondents on a 0-10 scale,
// 4 promoters, 2 passives, 4 detractors (NPS 0). Dimension A is mentioned
// by 3 detractors (2 negatively) and 1 promoter; B by nobody; C by everyone.
func TestDrivers(t *testing.T) {
	c := NewCounters(nps, 3, 0)
	add := func(score int, ps ...DimPolarity) {
		c.Add(score, 0, nil, append(ps, DimPolarity{Dim: 2, Polarity: tagger.Neutral}))
	}
	add(0, DimPolarity{Polarity: tagger.Negative})
	add(0, DimPolarity{Polarity: tagger.Negative})
	add(0, DimPolarity{Polarity: tagger.Neutral})
	add(0)
	add(10, DimPolarity{Polarity: tagger.Positive})
	add(10)
	add(10)
	add(10)
	add(8)
	add(8)
	dims := []Dim{{Name: "A", Level: 1}, {Name: "B", Level: 1, Top: 1}, {Name: "C", Level: 1, Top: 2}}
	rows := Drivers(c, dims, nps)
	a, b, cc := rows[0], rows[1], rows[2]
	// A: mentioners 1 promoter + 3 detractors: NPS 100*(1-3)/4 = -50;
	// others 3 promoters, 2 passives, 1 detractor: 100*(3-1)/6 = 33.33;
	// impact 0.4 * (-50 - 33.33) = -33.33 = NPS 0 - 33.33.
	want := -100.0 / 3
	if a.Mentioned != 4 || math.Abs(*a.NPSMentioned+50) > 1e-9 || math.Abs(*a.NPSNotMentioned-100.0/3) > 1e-9 || math.Abs(*a.Impact-want) > 1e-9 {
		t.Errorf("A: %+v; impact %v, want %v", a, *a.Impact, want)
	}
	// Interval: 1.96 * 0.4 * sqrt(se_in^2 + se_out^2), se by the nps formula.
	seIn := 100 * math.Sqrt((0.25+0.75-0.25)/4)
	seOut := 100 * math.Sqrt((0.5+1.0/6-math.Pow(1.0/3, 2))/6)
	half := 1.959964 * 0.4 * math.Sqrt(seIn*seIn+seOut*seOut)
	if math.Abs(*a.ImpactLow-(want-half)) > 1e-3 || math.Abs(*a.ImpactHigh-(want+half)) > 1e-3 {
		t.Errorf("A interval %v..%v, want %v..%v", *a.ImpactLow, *a.ImpactHigh, want-half, want+half)
	}
	// Negative mentions: 2 detractors: NPS -100; others 4 promoters, 2 detractors of 8: 25;
	// 0.2 * (-100 - 25) = -25.
	if a.NegativeMentioned != 2 || math.Abs(*a.NegativeImpact+25) > 1e-9 || a.DetractorNegativeRate != 0.5 || a.Priority != 1 {
		t.Errorf("A negative: %+v (negative impact %v)", a, *a.NegativeImpact)
	}
	// Nobody mentions B: impact 0, no NPS of mentioners.
	if b.Mentioned != 0 || b.NPSMentioned != nil || *b.Impact != 0 || *b.NegativeImpact != 0 || b.Priority != 2 {
		t.Errorf("B: %+v", b)
	}
	// Everyone mentions C: nobody to compare with, impact unknown (null).
	if cc.NPSNotMentioned != nil || cc.Impact != nil || *cc.NPSMentioned != 0 {
		t.Errorf("C: %+v", cc)
	}
}
