package aggregate

import (
	"cmp"
	"slices"

	"github.com/vocmine/vocmine/config"
)

// Row types of the tables with a fixed schema. docs/OUTPUTS.md documents
// every column; keep the two in step.

// MentionRateRow is one (group, dimension) of mention_rates.parquet.
type MentionRateRow struct {
	Group        string  `parquet:"group"`
	Dimension    string  `parquet:"dimension"`
	Level        int32   `parquet:"level"`
	Respondents  int64   `parquet:"respondents"`
	Mentions     int64   `parquet:"mentions"`
	Positive     int64   `parquet:"positive"`
	Neutral      int64   `parquet:"neutral"`
	Negative     int64   `parquet:"negative"`
	MentionRate  float64 `parquet:"mention_rate"`
	PositiveRate float64 `parquet:"positive_rate"`
	NeutralRate  float64 `parquet:"neutral_rate"`
	NegativeRate float64 `parquet:"negative_rate"`
	Rank         int32   `parquet:"rank"`
	// Wilson 95% intervals of mention_rate and negative_rate.
	MentionRateLow   float64 `parquet:"mention_rate_low"`
	MentionRateHigh  float64 `parquet:"mention_rate_high"`
	NegativeRateLow  float64 `parquet:"negative_rate_low"`
	NegativeRateHigh float64 `parquet:"negative_rate_high"`
	LexiconVersion   string  `parquet:"lexicon_version,dict"`
}

// ScoreRow is one segment value (or "all") of the metric's table:
// nps.parquet, csat.parquet or ces.parquet. Its columns are named in NPS
// words here and in the run's metric's words in the file (table.Words):
// promoters is satisfied in csat.parquet, nps is csat.
type ScoreRow struct {
	Segment        string  `parquet:"segment"`
	Value          string  `parquet:"value"`
	Respondents    int64   `parquet:"respondents"`
	Promoters      int64   `parquet:"promoters"` // the top group
	Passives       int64   `parquet:"passives"`  // the middle group
	Detractors     int64   `parquet:"detractors"`
	PromoterPct    float64 `parquet:"promoter_pct"`
	PassivePct     float64 `parquet:"passive_pct"`
	DetractorPct   float64 `parquet:"detractor_pct"`
	Mean           float64 `parquet:"mean"`  // mean score
	NPS            float64 `parquet:"nps"`   // the headline: NPS, CSAT% or the CES mean
	SE             float64 `parquet:"se"`    // standard error of the headline
	MOE95          float64 `parquet:"moe95"` // 95% margin of error of the headline
	Small          bool    `parquet:"small"` // respondents < aggregate.min_segment
	LexiconVersion string  `parquet:"lexicon_version,dict"`
}

// sizes splits a score histogram into its top, middle and bottom group
// counts.
func (c *Counters) sizes(hist []int64) [3]int64 {
	var n [3]int64
	for i, k := range hist {
		n[c.group[i]] += k
	}
	return n
}

// MentionRates computes mention_rates rows: for each group and "all", each
// Dim, the share of the group's respondents who mention it (so a group's
// rates may sum past 1), by polarity, ranked by mention_rate within group
// and level (ties share a rank; names break ties in the row order).
func MentionRates(c *Counters, dims []Dim, sc config.Score) []MentionRateRow {
	sizes := c.sizes(c.Scores)
	groups := sc.Groups()
	var rows []MentionRateRow
	for g, name := range append(groups[:], "all") {
		var n int64
		start := len(rows)
		for d, dim := range dims {
			var pc PolarityCounts
			if g < len(groups) {
				pc, n = c.Mentions[g][d], sizes[g]
			} else {
				n = sizes[0] + sizes[1] + sizes[2]
				for gi := range groups {
					pc.Positive += c.Mentions[gi][d].Positive
					pc.Neutral += c.Mentions[gi][d].Neutral
					pc.Negative += c.Mentions[gi][d].Negative
				}
			}
			r := MentionRateRow{
				Group: name, Dimension: dim.Name, Level: int32(dim.Level), Respondents: n,
				Mentions: pc.Total(), Positive: pc.Positive, Neutral: pc.Neutral, Negative: pc.Negative,
				MentionRate: rate(pc.Total(), n), PositiveRate: rate(pc.Positive, n),
				NeutralRate: rate(pc.Neutral, n), NegativeRate: rate(pc.Negative, n),
			}
			r.MentionRateLow, r.MentionRateHigh = wilson(pc.Total(), n, z95)
			r.NegativeRateLow, r.NegativeRateHigh = wilson(pc.Negative, n, z95)
			rows = append(rows, r)
		}
		rank(rows[start:])
	}
	return rows
}

// rank sets Rank within each level: 1 for the highest mention_rate; equal
// rates share a rank (1, 2, 2, 4).
func rank(rows []MentionRateRow) {
	idx := make([]int, len(rows))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		ra, rb := rows[a], rows[b]
		return cmp.Or(cmp.Compare(ra.Level, rb.Level), cmp.Compare(rb.Mentions, ra.Mentions))
	})
	seen := map[int32]int32{}
	for k, i := range idx {
		r := &rows[i]
		seen[r.Level]++
		if k > 0 {
			if p := rows[idx[k-1]]; p.Level == r.Level && p.Mentions == r.Mentions {
				r.Rank = p.Rank
				continue
			}
		}
		r.Rank = seen[r.Level]
	}
}

func rate(k, n int64) float64 {
	if n == 0 {
		return 0
	}
	return float64(k) / float64(n)
}

// Scores computes the metric's table: one row for all respondents, then one
// per value of each segment column, values in sorted order.
func Scores(c *Counters, segments []string, sc config.Score, minSegment int) []ScoreRow {
	row := func(seg, val string, hist []int64) ScoreRow {
		s := c.sizes(hist)
		n := s[0] + s[1] + s[2]
		h := headline(c, hist, sc)
		return ScoreRow{Segment: seg, Value: val, Respondents: n, Promoters: s[0], Passives: s[1], Detractors: s[2],
			PromoterPct: 100 * rate(s[0], n), PassivePct: 100 * rate(s[1], n), DetractorPct: 100 * rate(s[2], n),
			Mean: meanScore(hist, c.Low), NPS: h.value, SE: h.se, MOE95: h.moe95(), Small: n < int64(minSegment)}
	}
	rows := []ScoreRow{row("all", "all", c.Scores)}
	for i, seg := range segments {
		vals := make([]string, 0, len(c.Segments[i]))
		for v := range c.Segments[i] {
			vals = append(vals, v)
		}
		slices.Sort(vals)
		for _, v := range vals {
			rows = append(rows, row(seg, v, c.Segments[i][v]))
		}
	}
	return rows
}

// SegmentRateRow is a mention_rates row within one value of a segment
// column (aggregate.by): mention_rates_by_segment.parquet.
type SegmentRateRow struct {
	Segment string `parquet:"segment,dict"`
	Value   string `parquet:"value,dict"`
	MentionRateRow
}

// MentionRatesBy computes mention rates within each value of the counted
// segment columns (Counters.CountBy), values in sorted order; names are the
// segment columns' names.
func MentionRatesBy(c *Counters, dims []Dim, sc config.Score, names []string) []SegmentRateRow {
	var rows []SegmentRateRow
	for k, si := range c.By {
		vals := make([]string, 0, len(c.ByMentions[k]))
		for v := range c.ByMentions[k] {
			vals = append(vals, v)
		}
		slices.Sort(vals)
		for _, v := range vals {
			sub := &Counters{Low: c.Low, High: c.High, Scores: c.Segments[si][v], Mentions: c.ByMentions[k][v], group: c.group}
			for _, r := range MentionRates(sub, dims, sc) {
				rows = append(rows, SegmentRateRow{Segment: names[si], Value: v, MentionRateRow: r})
			}
		}
	}
	return rows
}
