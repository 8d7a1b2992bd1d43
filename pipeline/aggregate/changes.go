package aggregate

import (
	"cmp"
	"math"

	"github.com/vocmine/vocmine/config"
	"gonum.org/v1/gonum/stat/distuv"
)

// ChangeRow is one row of changes.parquet: a figure in the baseline run and
// in this one. Kind "nps" (or "csat", "ces": the metric's headline) rows are
// per segment value (Segment, Value); kind "mention_rate" rows per group and dimension (Group, Dimension). Then and
// Now are null where one run lacks the row; PValue is null when there is
// nothing to test (an empty side, or no spread on either side).
type ChangeRow struct {
	Kind           string   `parquet:"kind,dict"`
	Segment        string   `parquet:"segment,dict"`
	Value          string   `parquet:"value,dict"`
	Group          string   `parquet:"group,dict"`
	Dimension      string   `parquet:"dimension,dict"`
	Then           *float64 `parquet:"then,optional"`
	Now            *float64 `parquet:"now,optional"`
	Diff           *float64 `parquet:"diff,optional"`
	NThen          int64    `parquet:"n_then"`
	NNow           int64    `parquet:"n_now"`
	PValue         *float64 `parquet:"p_value,optional"`
	BaselineDate   string   `parquet:"baseline_run_date,dict"`
	LexiconVersion string   `parquet:"lexicon_version,dict"`
	// BaselineLexiconVersion differs from LexiconVersion when the lexicon
	// changed between the runs: mention rates then compare different taggings.
	BaselineLexiconVersion string `parquet:"baseline_lexicon_version,dict"`
}

// Baseline is the run Changes compares with: its date, and its metric's
// and mention_rates rows.
type Baseline struct {
	Date   string
	Scores []ScoreRow
	Rates  []MentionRateRow
}

// Changes compares this run's metric and mention_rates rows with the
// baseline's, a run of the same metric: headline differences tested with
// z = diff / √(se_then² + se_now²), mention rates with the pooled
// two-proportion z-test; p-values two-sided.
func Changes(sc config.Score, base Baseline, scores []ScoreRow, rates []MentionRateRow) []ChangeRow {
	date, oldScores, oldRates := base.Date, base.Scores, base.Rates
	scoreKey := func(r ScoreRow) [2]string { return [2]string{r.Segment, r.Value} }
	out := compare(scores, oldScores, scoreKey, func(now, then *ScoreRow) ChangeRow {
		r := cmp.Or(now, then)
		c := ChangeRow{Kind: sc.Metric, Segment: r.Segment, Value: r.Value, BaselineDate: date}
		if now != nil {
			c.Now, c.NNow = ptr(now.NPS), now.Respondents
		}
		if then != nil {
			c.Then, c.NThen, c.BaselineLexiconVersion = ptr(then.NPS), then.Respondents, then.LexiconVersion
		}
		if now != nil && then != nil {
			c.Diff = ptr(now.NPS - then.NPS)
			c.PValue = zTest(now.NPS-then.NPS, math.Hypot(now.SE, then.SE))
		}
		return c
	})
	rateKey := func(r MentionRateRow) [2]string { return [2]string{r.Group, r.Dimension} }
	out = append(out, compare(rates, oldRates, rateKey, func(now, then *MentionRateRow) ChangeRow {
		r := cmp.Or(now, then)
		c := ChangeRow{Kind: "mention_rate", Group: r.Group, Dimension: r.Dimension, BaselineDate: date}
		if now != nil {
			c.Now, c.NNow = ptr(now.MentionRate), now.Respondents
		}
		if then != nil {
			c.Then, c.NThen, c.BaselineLexiconVersion = ptr(then.MentionRate), then.Respondents, then.LexiconVersion
		}
		if now != nil && then != nil {
			c.Diff = ptr(now.MentionRate - then.MentionRate)
			c.PValue = twoProportions(then.Mentions, then.Respondents, now.Mentions, now.Respondents)
		}
		return c
	})...)
	return out
}

// compare pairs this run's rows with the baseline's by key: one change per
// row of now (then nil when the baseline lacks it), in order, then one per
// baseline row that now lacks (now nil).
func compare[T any](now, then []T, key func(T) [2]string, change func(now, then *T) ChangeRow) []ChangeRow {
	old := map[[2]string]*T{}
	for i := range then {
		old[key(then[i])] = &then[i]
	}
	var out []ChangeRow
	seen := map[[2]string]bool{}
	for i := range now {
		k := key(now[i])
		seen[k] = true
		out = append(out, change(&now[i], old[k]))
	}
	for i := range then {
		if !seen[key(then[i])] {
			out = append(out, change(nil, &then[i]))
		}
	}
	return out
}

// zTest is the two-sided p-value of a difference with standard error se:
// null when se is 0 (no spread: nothing to test).
func zTest(diff, se float64) *float64 {
	if se == 0 || math.IsNaN(se) {
		return nil
	}
	return ptr(2 * distuv.UnitNormal.Survival(math.Abs(diff)/se))
}

// twoProportions is the pooled two-proportion z-test of k1/n1 against
// k2/n2, two-sided; null when a side is empty or the pooled share is 0 or 1.
func twoProportions(k1, n1, k2, n2 int64) *float64 {
	if n1 == 0 || n2 == 0 {
		return nil
	}
	p := float64(k1+k2) / float64(n1+n2)
	se := math.Sqrt(p * (1 - p) * (1/float64(n1) + 1/float64(n2)))
	return zTest(float64(k2)/float64(n2)-float64(k1)/float64(n1), se)
}
