package pipeline

import (
	"fmt"
	"math"
	"path/filepath"
	"strings"

	"github.com/parquet-go/parquet-go"
	"gonum.org/v1/gonum/stat/distuv"
)

// ChangeRow is one row of changes.parquet: a figure in the baseline run and
// in this one. Kind "nps" rows are per segment value (Segment, Value); kind
// "mention_rate" rows per group and dimension (Group, Dimension). Then and
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

// Changes compares this run's nps and mention_rates rows with those of the
// baseline partition dir: NPS differences tested with z = diff / √(se_then² +
// se_now²), mention rates with the pooled two-proportion z-test; p-values
// two-sided.
func Changes(dir string, nps []NPSRow, rates []MentionRateRow) ([]ChangeRow, error) {
	oldNPS, err := parquet.ReadFile[NPSRow](filepath.Join(dir, "nps.parquet"))
	if err != nil {
		return nil, fmt.Errorf("%w: baseline %s: %w", ErrInput, dir, err)
	}
	oldRates, err := parquet.ReadFile[MentionRateRow](filepath.Join(dir, "mention_rates.parquet"))
	if err != nil {
		return nil, fmt.Errorf("%w: baseline %s: %w", ErrInput, dir, err)
	}
	date := filepath.Base(dir)
	if d, ok := strings.CutPrefix(date, "run_date="); ok {
		date = d
	}
	var out []ChangeRow
	then := map[[2]string]NPSRow{}
	for _, r := range oldNPS {
		then[[2]string{r.Segment, r.Value}] = r
	}
	seen := map[[2]string]bool{}
	for _, r := range nps {
		k := [2]string{r.Segment, r.Value}
		seen[k] = true
		c := ChangeRow{Kind: "nps", Segment: r.Segment, Value: r.Value, Now: ptr(r.NPS), NNow: r.Respondents, BaselineDate: date}
		if o, ok := then[k]; ok {
			c.Then, c.NThen, c.Diff = ptr(o.NPS), o.Respondents, ptr(r.NPS-o.NPS)
			c.BaselineLexiconVersion = o.LexiconVersion
			c.PValue = zTest(r.NPS-o.NPS, math.Hypot(r.SE, o.SE))
		}
		out = append(out, c)
	}
	for _, o := range oldNPS {
		if k := [2]string{o.Segment, o.Value}; !seen[k] {
			out = append(out, ChangeRow{Kind: "nps", Segment: o.Segment, Value: o.Value, Then: ptr(o.NPS), NThen: o.Respondents, BaselineDate: date, BaselineLexiconVersion: o.LexiconVersion})
		}
	}
	thenRates := map[[2]string]MentionRateRow{}
	for _, r := range oldRates {
		thenRates[[2]string{r.Group, r.Dimension}] = r
	}
	seen = map[[2]string]bool{}
	for _, r := range rates {
		k := [2]string{r.Group, r.Dimension}
		seen[k] = true
		c := ChangeRow{Kind: "mention_rate", Group: r.Group, Dimension: r.Dimension, Now: ptr(r.MentionRate), NNow: r.Respondents, BaselineDate: date}
		if o, ok := thenRates[k]; ok {
			c.Then, c.NThen, c.Diff = ptr(o.MentionRate), o.Respondents, ptr(r.MentionRate-o.MentionRate)
			c.BaselineLexiconVersion = o.LexiconVersion
			c.PValue = twoProportions(o.Mentions, o.Respondents, r.Mentions, r.Respondents)
		}
		out = append(out, c)
	}
	for _, o := range oldRates {
		if k := [2]string{o.Group, o.Dimension}; !seen[k] {
			out = append(out, ChangeRow{Kind: "mention_rate", Group: o.Group, Dimension: o.Dimension, Then: ptr(o.MentionRate), NThen: o.Respondents, BaselineDate: date, BaselineLexiconVersion: o.LexiconVersion})
		}
	}
	return out, nil
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
