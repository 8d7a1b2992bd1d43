package lextool

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/vocmine/vocmine/tagger"
)

// The hand-built set: dimensions A/x, A/y and B; five reviews.
//
//	review  gold                       predicted
//	r1      A/x positive, B negative   A/x positive, B positive
//	r2      A/y negative               A/y negative, A/x neutral
//	r3      A/x positive, A/y negative A/x positive
//	r4      (no row)                   B negative
//	r5      B positive                 (nothing)
//
// and r1..r3 carry an overall label (aspect "overall", mapped to @sentiment).
const handGold = `review_id,aspect,polarity
r1,ax,positive
r1,b,negative
r1,overall,positive
r2,ay,negative
r2,overall,negative
r3,ax,positive
r3,ay,negative
r3,overall,neutral
r5,b,positive
r5,ignored,positive
r9,ax,positive
`

const handMap = `aspect,dimension
ax,A/x
ay,A/y
b,B
overall,@sentiment
`

var handDims = []string{"A/x", "A/y", "B", "C"}

func tag(dim string, p tagger.Polarity, score float64) tagger.Tag {
	return tagger.Tag{Dimension: dim, Top: strings.Split(dim, "/")[0], Polarity: p, Score: score, Term: "t", Clause: -1}
}

func handReviews() []Review {
	res := func(s tagger.Polarity, tags ...tagger.Tag) tagger.Result {
		return tagger.Result{Text: "text", Tags: tags, Sentiment: s}
	}
	return []Review{
		{ID: "r1", Result: res(tagger.Positive, tag("A/x", tagger.Positive, 1), tag("B", tagger.Positive, 1))},
		{ID: "r2", Result: res(tagger.Negative, tag("A/x", tagger.Neutral, 0), tag("A/y", tagger.Negative, -1))},
		{ID: "r3", Result: res(tagger.Positive, tag("A/x", tagger.Positive, 2))},
		{ID: "r4", Result: res(tagger.Negative, tag("B", tagger.Negative, -1), tag("C", tagger.Negative, -1))},
		{ID: "r5", Result: res(tagger.Neutral)},
		{ID: "r1", Result: res(tagger.Neutral)}, // a repeated id: skipped
	}
}

func handReport(t *testing.T, seed uint64) *Report {
	t.Helper()
	m, err := ReadMap(strings.NewReader(handMap), "map.csv", handDims)
	if err != nil {
		t.Fatal(err)
	}
	g, err := ReadGold(strings.NewReader(handGold), "gold.csv", m, handDims)
	if err != nil {
		t.Fatal(err)
	}
	return Evaluate(handReviews(), g, Options{Dimensions: ScoredDimensions(g, m, handDims), Examples: 3, Seed: seed})
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-6 }

// TestEvaluate checks every count and point metric against hand-computed
// values, and the Wilson intervals against values computed independently
// (Python, z = 1.959964).
func TestEvaluate(t *testing.T) {
	rep := handReport(t, 1)
	if rep.Reviews != 5 || rep.Labelled != 4 || rep.GoldOnly != 1 || rep.DuplicateIDs != 1 || rep.Unmapped != 1 {
		t.Errorf("reviews %d labelled %d gold_only %d duplicates %d unmapped %d; want 5 4 1 1 1",
			rep.Reviews, rep.Labelled, rep.GoldOnly, rep.DuplicateIDs, rep.Unmapped)
	}
	var names []string
	byName := map[string]Metrics{}
	for _, m := range rep.Dimensions {
		names = append(names, m.Dimension)
		byName[m.Dimension] = m
	}
	if want := []string{"A/x", "A/y", "B", "A"}; !reflect.DeepEqual(names, want) {
		t.Fatalf("rows %v, want %v (C is not scored: the map does not name it)", names, want)
	}
	nan := math.NaN()
	cases := []struct {
		name string
		m    Metrics
		// mention P, R, F1; pair P, R, F1; negative F1; polarity accuracy
		want [8]float64
	}{
		{"A/x", byName["A/x"], [8]float64{2. / 3, 1, 0.8, 2. / 3, 1, 0.8, nan, 1}},
		{"A/y", byName["A/y"], [8]float64{1, 0.5, 2. / 3, 1, 0.5, 2. / 3, 2. / 3, 1}},
		{"B", byName["B"], [8]float64{0.5, 0.5, 0.5, 0, 0, 0, 0, 0}},
		{"top A", byName["A"], [8]float64{1, 1, 1, 1. / 3, 1. / 3, 1. / 3, 0, 1. / 3}},
		{"micro", rep.Micro, [8]float64{4. / 6, 4. / 6, 4. / 6, 0.5, 0.5, 0.5, 0.4, 0.75}},
		{"macro", rep.Macro, [8]float64{(2./3 + 1 + 0.5) / 3, (1 + 0.5 + 0.5) / 3, (0.8 + 2./3 + 0.5) / 3,
			(2./3 + 1 + 0) / 3, (1 + 0.5 + 0) / 3, (0.8 + 2./3 + 0) / 3, (2./3 + 0) / 2, (1. + 1 + 0) / 3}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := []Estimate{c.m.Mention.Precision, c.m.Mention.Recall, c.m.Mention.F1,
				c.m.Pair.Precision, c.m.Pair.Recall, c.m.Pair.F1, c.m.Negative.F1, c.m.Polarity}
			for i, e := range got {
				w := c.want[i]
				if math.IsNaN(w) != !e.OK || e.OK && !near(e.Value, w) {
					t.Errorf("metric %d: got %+v, want %v", i, e, w)
				}
				if e.OK && (e.Low > e.Value+1e-9 || e.High < e.Value-1e-9) {
					t.Errorf("metric %d: interval [%v, %v] misses the value %v", i, e.Low, e.High, e.Value)
				}
			}
		})
	}

	// Top level A: gold r1 positive, r2 negative, r3 mixed; predicted r1
	// positive, r2 mixed (A/x neutral, A/y negative), r3 positive.
	ca := byName["A"].Confusion
	if ca[lPos][lPos] != 1 || ca[lNeg][lMixed] != 1 || ca[lMixed][lPos] != 1 || ca[lAbsent][lAbsent] != 2 || total(ca) != 5 {
		t.Errorf("top A confusion %v", ca)
	}
	if a := byName["A"]; a.Level != 1 || a.Children != 2 || byName["B"].Children != 0 {
		t.Errorf("top A level %d children %d, B children %d", a.Level, a.Children, byName["B"].Children)
	}
	if s := rep.Micro.Mention; s.Gold != 6 || s.Predicted != 6 || s.TP != 4 {
		t.Errorf("micro mention support %+v, want gold 6 predicted 6 tp 4", s)
	}

	// Wilson intervals, computed independently.
	wilsons := []struct {
		name     string
		e        Estimate
		low, hig float64
	}{
		{"A/x mention P 2/3", byName["A/x"].Mention.Precision, 0.207660, 0.938508},
		{"micro mention P 4/6", rep.Micro.Mention.Precision, 0.299993, 0.903229},
		{"micro polarity 3/4", rep.Micro.Polarity, 0.300642, 0.954413},
		{"B mention R 1/2", byName["B"].Mention.Recall, 0.094531, 0.905469},
		{"A/x recall 2/2", byName["A/x"].Mention.Recall, 0.342380, 1},
		{"B polarity 0/1", byName["B"].Polarity, 0, 0.793451},
	}
	for _, w := range wilsons {
		if !w.e.OK || !near(w.e.Low, w.low) || !near(w.e.High, w.hig) {
			t.Errorf("%s: got [%.6f, %.6f], want [%.6f, %.6f]", w.name, w.e.Low, w.e.High, w.low, w.hig)
		}
	}

	// Sentiment: r1 positive = positive, r2 negative = negative, r3 neutral != positive.
	if s := rep.Sentiment; s == nil || s.Reviews != 3 || s.Correct != 2 || !near(s.Accuracy.Value, 2./3) {
		t.Errorf("sentiment %+v, want 2 of 3", rep.Sentiment)
	}
}

func TestEvaluateExamples(t *testing.T) {
	rep := handReport(t, 1)
	var got []string
	for _, e := range rep.Examples {
		got = append(got, e.Dimension+" "+e.Kind+" "+e.ID+" "+e.Gold+">"+e.Predicted)
	}
	want := []string{
		"A/x false_positive r2 absent>neutral",
		"A/y missed r3 negative>absent",
		"B false_positive r4 absent>negative",
		"B missed r5 positive>absent",
		"B wrong_polarity r1 negative>positive",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("examples\n got %q\nwant %q", got, want)
	}
	for _, e := range rep.Examples {
		if (e.Kind == Missed) != (len(e.Evidence) == 0) {
			t.Errorf("%s %s: evidence %v (a tag's example must carry it, a missed one has none)", e.Dimension, e.Kind, e.Evidence)
		}
	}
}

// TestEvaluateBootstrap: the F1 intervals are the same for the same seed,
// differ for another, and hold the point value (the hand-built set eight
// times over, so that the resampled F1s take many values).
func TestEvaluateBootstrap(t *testing.T) {
	base := handReport(t, 1)
	if again := handReport(t, 1); !reflect.DeepEqual(base, again) {
		t.Error("two evaluations with one seed differ")
	}
	m, _ := ReadMap(strings.NewReader(handMap), "map.csv", handDims)
	g, err := ReadGold(strings.NewReader(handGold), "gold.csv", m, handDims)
	if err != nil {
		t.Fatal(err)
	}
	big := &Gold{Labels: map[string]map[string]string{}}
	var reviews []Review
	for i := range 8 {
		for _, r := range handReviews()[:5] {
			r.ID = fmt.Sprint(r.ID, "-", i)
			reviews = append(reviews, r)
			if l, ok := g.Labels[strings.Split(r.ID, "-")[0]]; ok {
				big.Labels[r.ID] = l
			}
		}
	}
	eval := func(seed uint64) *Report {
		return Evaluate(reviews, big, Options{Dimensions: []string{"A/x", "A/y", "B"}, Seed: seed})
	}
	a, c := eval(1), eval(2)
	if a.Micro.Pair.F1 == c.Micro.Pair.F1 && a.Macro.Mention.F1 == c.Macro.Mention.F1 && a.Dimensions[0].Mention.F1 == c.Dimensions[0].Mention.F1 {
		t.Errorf("seeds 1 and 2 give the same intervals %+v: is the seed used?", a.Micro.Pair.F1)
	}
	// Eight copies: the same point values, narrower intervals.
	f, f5 := a.Micro.Pair.F1, base.Micro.Pair.F1
	if !near(f.Value, f5.Value) || f.Low > f.Value || f.High < f.Value || f.High-f.Low >= f5.High-f5.Low {
		t.Errorf("micro pair F1 on 40 reviews %+v, on 5 %+v: want the same value in a narrower interval", f, f5)
	}
}

func TestCombine(t *testing.T) {
	cases := []struct {
		name     string
		children []uint8
		want     uint8
	}{
		{"none", nil, lAbsent},
		{"one", []uint8{lNeg}, lNeg},
		{"agree", []uint8{lPos, lAbsent, lPos}, lPos},
		{"disagree", []uint8{lPos, lNeu}, lMixed},
		{"mixed stays", []uint8{lPos, lNeg, lPos}, lMixed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := uint8(lAbsent)
			for _, ch := range c.children {
				got = combine(got, ch)
			}
			if got != c.want {
				t.Errorf("got %s, want %s", labels[got], labels[c.want])
			}
		})
	}
}

func TestReadErrors(t *testing.T) {
	dims := []string{"服务/态度", "价格"}
	cases := []struct {
		name, mapCSV, gold, want string
	}{
		{"map target not in the lexicon", "aspect,dimension\nservice,服务/态度\nprice,价钱\n", "", `aspects.csv:3: dimension "价钱" of aspect "price" is not in the lexicon`},
		{"map aspect twice", "\uFEFFaspect,dimension\nservice,服务/态度\nservice,价格\n", "", `aspects.csv:3: aspect "service" mapped twice (first at line 2)`},
		{"gold dimension not in the lexicon", "", "id,dimension,polarity\nR1,服务/态度,positive\nR2,服务,negative\n", `gold.csv:3: dimension "服务" is not in the lexicon`},
		{"bad polarity", "", "id,dimension,polarity\nR1,价格,good\n", `gold.csv:2: id R1: polarity "good"`},
		{"labelled twice", "", "id,dimension,polarity\nR1,价格,positive\nR1,价格,negative\n", `gold.csv:3: id R1: "价格" labelled twice (first at line 2)`},
		{"empty id", "", "id,dimension,polarity\n,价格,positive\n", `gold.csv:2: empty id`},
		{"short header", "", "id,dimension\nR1,价格\n", `gold.csv:1: want a header`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var m *Map
			var err error
			if c.mapCSV != "" {
				m, err = ReadMap(strings.NewReader(c.mapCSV), "aspects.csv", dims)
			}
			if err == nil && c.gold != "" {
				_, err = ReadGold(strings.NewReader(c.gold), "gold.csv", m, dims)
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want an error with %q", err, c.want)
			}
		})
	}
}

// TestReadGoldSample: a sample file is read by column name, with its texts;
// a BOM is accepted; an empty dimension labels the reason with nothing.
func TestReadGoldSample(t *testing.T) {
	in := "\uFEFFid,group,text,dimension,polarity\nR1,detractor,服务差,服务/态度,negative\nR2,promoter,还行,,\nR1,detractor,服务差,价格,Neutral\n"
	g, err := ReadGold(strings.NewReader(in), "sample.csv", nil, []string{"服务/态度", "价格", "其他"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]map[string]string{"R1": {"服务/态度": Negative, "价格": Neutral}, "R2": {}}
	if !reflect.DeepEqual(g.Labels, want) || !reflect.DeepEqual(g.IDs, []string{"R1", "R2"}) || g.Texts["R2"] != "还行" {
		t.Errorf("labels %v ids %v texts %v", g.Labels, g.IDs, g.Texts)
	}
	// Every lexicon dimension is scored for a sample file.
	if got := ScoredDimensions(g, nil, []string{"服务/态度", "价格", "其他"}); len(got) != 3 {
		t.Errorf("scored %v, want all three", got)
	}
}
