package aggregate

import (
	"cmp"
	"encoding/json"
	"slices"

	"github.com/vocmine/vocmine/config"
	"github.com/vocmine/vocmine/tagger"
)

// Dim is one dimension as the summary tables count it: a top level ("网络")
// or a leaf ("网络/信号"). A lexicon dimension without "/" is both, and
// appears once, at level 1.
type Dim struct {
	Name  string
	Level int
	Top   int // index of its top-level Dim (itself for a top)
}

// Dims lists the tables' dimensions: each top level followed by its leaves,
// in lexicon order, and maps each tagger dimension to its Dim.
func Dims(tdims []tagger.Dimension) (dims []Dim, ofLeaf []int) {
	tops := map[string]int{}
	var order []string
	for _, d := range tdims {
		if _, ok := tops[d.Top]; !ok {
			tops[d.Top] = -1
			order = append(order, d.Top)
		}
	}
	ofLeaf = make([]int, len(tdims))
	for _, top := range order {
		ti := len(dims)
		dims = append(dims, Dim{Name: top, Level: 1, Top: ti})
		for li, d := range tdims {
			if d.Top != top {
				continue
			}
			if d.Name == top {
				ofLeaf[li] = ti
				continue
			}
			ofLeaf[li] = len(dims)
			dims = append(dims, Dim{Name: d.Name, Level: d.Level, Top: ti})
		}
	}
	return dims, ofLeaf
}

// Polarities returns, for one tagged reason, the polarity of every Dim it
// mentions (absent Dims are not in the map's keys: ok is false). A top
// level's polarity is the sign of the summed scores of its leaves' tags.
func Polarities(dims []Dim, ofLeaf []int, tags []tagger.Tag, out []DimPolarity) []DimPolarity {
	out = out[:0]
	for _, t := range tags {
		d := ofLeaf[t.Dim]
		if dims[d].Level > 1 {
			out = append(out, DimPolarity{Dim: d, Polarity: t.Polarity, score: t.Score})
		}
		top := dims[d].Top
		if i := slices.IndexFunc(out, func(p DimPolarity) bool { return p.Dim == top }); i >= 0 {
			out[i].score += t.Score
			out[i].Polarity = signOf(out[i].score)
		} else {
			out = append(out, DimPolarity{Dim: top, Polarity: signOf(t.Score), score: t.Score})
		}
	}
	slices.SortFunc(out, func(a, b DimPolarity) int { return cmp.Compare(a.Dim, b.Dim) })
	return out
}

// DimPolarity is a Dim a reason mentions, with its polarity.
type DimPolarity struct {
	Dim      int
	Polarity tagger.Polarity
	score    float64
}

func signOf(x float64) tagger.Polarity {
	switch {
	case x > 1e-9:
		return tagger.Positive
	case x < -1e-9:
		return tagger.Negative
	}
	return tagger.Neutral
}

// Counters are everything the summary tables need, as counts that add: two
// Counters over disjoint inputs Merge into the Counters of both, exactly, so
// workers, shards and nights combine without re-reading rows.
type Counters struct {
	Low, High int
	// Scores is the score histogram of all responses (index score-Low).
	Scores []int64
	// Mentions[g][d] counts group g's respondents mentioning Dim d (groups
	// top, middle, bottom: config.Score.Groups).
	Mentions [][]PolarityCounts
	// DimScores[d] and DimNegScores[d] are the score histograms of Dim d's
	// mentioners and negative mentioners, for the drivers of any metric.
	DimScores, DimNegScores [][]int64
	// Segments[i][value] is the score histogram of segment column i's value.
	Segments []map[string][]int64
	// By are the segment columns (indexes into Segments) counted by value
	// too; ByMentions[k][value][g][d] counts like Mentions within that value
	// of segment column By[k] (see CountBy).
	By         []int
	ByMentions []map[string][][]PolarityCounts
	// Orders[o] is the score histogram of the responses shown the scale in
	// order o (0 ascending, 1 descending).
	Orders [2][]int64
	// group[s-Low] is the group index of score s.
	group []int
}

// PolarityCounts counts respondents by the polarity of their mention.
type PolarityCounts struct {
	Positive, Neutral, Negative int64
}

// add counts one mention of polarity p.
func (pc *PolarityCounts) add(p tagger.Polarity) {
	switch p {
	case tagger.Positive:
		pc.Positive++
	case tagger.Negative:
		pc.Negative++
	default:
		pc.Neutral++
	}
}

// merge adds o into pc.
func (pc *PolarityCounts) merge(o PolarityCounts) {
	pc.Positive += o.Positive
	pc.Neutral += o.Neutral
	pc.Negative += o.Negative
}

// Total is the number of respondents mentioning.
func (p PolarityCounts) Total() int64 { return p.Positive + p.Neutral + p.Negative }

// NewCounters returns empty counters for a metric's scale and groups, nDims
// dimensions and nSegments segment columns.
func NewCounters(sc config.Score, nDims, nSegments int) *Counters {
	low, high := sc.Scale[0], sc.Scale[1]
	c := &Counters{Low: low, High: high, Scores: make([]int64, high-low+1)}
	for s := low; s <= high; s++ {
		c.group = append(c.group, sc.GroupIndex(s))
	}
	c.Orders = [2][]int64{make([]int64, high-low+1), make([]int64, high-low+1)}
	c.Mentions = make([][]PolarityCounts, 3)
	for g := range c.Mentions {
		c.Mentions[g] = make([]PolarityCounts, nDims)
	}
	for range nDims {
		c.DimScores = append(c.DimScores, make([]int64, high-low+1))
		c.DimNegScores = append(c.DimNegScores, make([]int64, high-low+1))
	}
	for range nSegments {
		c.Segments = append(c.Segments, map[string][]int64{})
	}
	return c
}

// CountBy makes Add count mentions per value of the segment columns by
// (indexes into the response's segments) too.
func (c *Counters) CountBy(by []int) {
	c.By = by
	c.ByMentions = make([]map[string][][]PolarityCounts, len(by))
	for k := range by {
		c.ByMentions[k] = map[string][][]PolarityCounts{}
	}
}

// byValue returns the mention counts of value v of By[k], created empty.
func (c *Counters) byValue(k int, v string) [][]PolarityCounts {
	m := c.ByMentions[k][v]
	if m == nil {
		m = make([][]PolarityCounts, len(c.Mentions))
		for g := range m {
			m[g] = make([]PolarityCounts, len(c.Mentions[g]))
		}
		c.ByMentions[k][v] = m
	}
	return m
}

// Add counts one response, by its score, scale order (0 unknown, 1
// ascending, 2 descending) and segment values, and the Dims its reason
// mentions.
func (c *Counters) Add(score int, order int8, segments []string, ps []DimPolarity) {
	si := score - c.Low
	c.Scores[si]++
	g := c.group[si]
	for k, i := range c.By {
		m := c.byValue(k, segments[i])
		for _, p := range ps {
			m[g][p.Dim].add(p.Polarity)
		}
	}
	if order > 0 {
		c.Orders[order-1][si]++
	}
	for _, p := range ps {
		c.Mentions[g][p.Dim].add(p.Polarity)
		c.DimScores[p.Dim][si]++
		if p.Polarity == tagger.Negative {
			c.DimNegScores[p.Dim][si]++
		}
	}
	for i, v := range segments {
		h := c.Segments[i][v]
		if h == nil {
			h = make([]int64, len(c.Scores))
			c.Segments[i][v] = h
		}
		h[si]++
	}
}

// countersJSON is Counters as JSON: its exported fields and the group
// index, without which decoded counters could not Add.
type countersJSON struct {
	*plainCounters
	Group []int
}

// plainCounters is Counters without its JSON methods.
type plainCounters Counters

// MarshalJSON writes the counters with their group index.
func (c Counters) MarshalJSON() ([]byte, error) {
	return json.Marshal(countersJSON{(*plainCounters)(&c), c.group})
}

// UnmarshalJSON reads counters written by MarshalJSON.
func (c *Counters) UnmarshalJSON(b []byte) error {
	v := countersJSON{plainCounters: (*plainCounters)(c)}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	c.group = v.Group
	return nil
}

// Merge adds o into c. Both must have the same scale, dimensions and segments.
func (c *Counters) Merge(o *Counters) {
	addInts(c.Scores, o.Scores)
	addInts(c.Orders[0], o.Orders[0])
	addInts(c.Orders[1], o.Orders[1])
	for g := range c.Mentions {
		for d := range c.Mentions[g] {
			c.Mentions[g][d].merge(o.Mentions[g][d])
		}
	}
	for d := range c.DimScores {
		addInts(c.DimScores[d], o.DimScores[d])
		addInts(c.DimNegScores[d], o.DimNegScores[d])
	}
	for k := range c.ByMentions {
		for v, om := range o.ByMentions[k] {
			m := c.byValue(k, v)
			for g := range om {
				for d := range om[g] {
					m[g][d].merge(om[g][d])
				}
			}
		}
	}
	for i := range c.Segments {
		for v, h := range o.Segments[i] {
			if c.Segments[i][v] == nil {
				c.Segments[i][v] = make([]int64, len(h))
			}
			addInts(c.Segments[i][v], h)
		}
	}
}

func addInts(a, b []int64) {
	for i := range a {
		a[i] += b[i]
	}
}
