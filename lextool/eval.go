package lextool

import (
	"cmp"
	"encoding/json"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/vocmine/vocmine/lexicon"
	"github.com/vocmine/vocmine/tagger"
)

// Review is one reason of the input and what an engine made of it.
type Review struct {
	ID     string
	Group  string // score group ("" when the score did not parse, "all" without a score column)
	Text   string // as read
	Result tagger.Result
}

// Options say what Evaluate scores.
type Options struct {
	// Dimensions are the scored dimensions (see ScoredDimensions), in the
	// order of the report; tags of other dimensions are ignored. Their top
	// levels are scored too.
	Dimensions []string
	// Examples is how many worst examples to keep per dimension and kind.
	Examples int
	// Resamples of the bootstrap over reviews (default 1000), drawn from a
	// generator seeded with Seed: the same inputs give the same intervals.
	Resamples int
	Seed      uint64
	Engine    string // recorded in the report
	// LabelledOnly scores only the reviews with a row in the gold file
	// (a sample's), instead of taking the others as "nothing mentioned".
	LabelledOnly bool
}

// Report is what Evaluate measured.
type Report struct {
	Engine       string `json:"engine"`
	Gold         string `json:"gold"`
	Reviews      int    `json:"reviews"`       // scored: the input's distinct ids
	Labelled     int    `json:"labelled"`      // of them, with a row in the gold file (the others: nothing mentioned)
	GoldOnly     int    `json:"gold_only"`     // gold ids absent from the input: ignored
	DuplicateIDs int    `json:"duplicate_ids"` // input rows whose id came before: skipped
	Unlabelled   int    `json:"unlabelled"`    // with LabelledOnly: input reviews without a gold row, skipped
	Unmapped     int    `json:"unmapped"`      // gold rows of aspects the map does not name: not scored
	Merged       int    `json:"merged"`        // (id, dimension) pairs whose mapped aspects disagreed
	Resamples    int    `json:"resamples"`
	Seed         uint64 `json:"seed"`
	// Dimensions holds the scored dimensions in the order asked, then their
	// top levels (Level 1), in order of first appearance.
	Dimensions []Metrics `json:"dimensions"`
	// Micro pools the counts of the scored dimensions (not their top
	// levels); Macro averages their metrics (over the dimensions where each
	// is defined).
	Micro     Metrics           `json:"micro"`
	Macro     Metrics           `json:"macro"`
	Sentiment *SentimentMetrics `json:"sentiment,omitempty"`
	Examples  []Example         `json:"examples"`
}

// Metrics are one dimension's figures (or the micro or macro average's).
type Metrics struct {
	Dimension string `json:"dimension"` // "micro" and "macro" for the averages
	Level     int    `json:"level"`     // 1 for a top level, 2 for "a/b"; 0 for the averages
	// Children is, for a top level scored through its children, how many
	// scored dimensions it has; 0 for a scored dimension.
	Children int `json:"children"`
	// Mention: the dimension is mentioned at all; Pair: mentioned with the
	// right polarity; Negative: the (dimension, negative) pairs.
	Mention  PRF `json:"mention"`
	Pair     PRF `json:"pair"`
	Negative PRF `json:"negative"`
	// Polarity is the accuracy of the polarity on the mentions both found
	// (Pair.TP of Mention.TP).
	Polarity Estimate `json:"polarity_accuracy"`
	// Confusion counts reviews by gold (row) and predicted (column) label,
	// in the order positive, neutral, negative, mixed, absent (mixed: a top
	// level whose children disagree).
	Confusion Confusion `json:"confusion"`
}

// PRF are the counts, precision, recall and F1 of one kind of match.
// Precision and recall carry Wilson intervals, F1 a bootstrap interval
// over reviews (the macro average's three all bootstrap).
type PRF struct {
	TP        int64    `json:"tp"`
	Gold      int64    `json:"gold"`      // support: gold mentions (pairs)
	Predicted int64    `json:"predicted"` // predicted mentions (pairs)
	Precision Estimate `json:"precision"`
	Recall    Estimate `json:"recall"`
	F1        Estimate `json:"f1"`
}

// Confusion is a polarity confusion matrix, gold x predicted, indexed in
// the order of Labels.
type Confusion [nLabels][nLabels]int64

// Labels are the rows and columns of a Confusion, in order.
func Labels() []string { return labels[:] }

// MarshalJSON writes the matrix as {"gold label": {"predicted label": n}}.
func (c Confusion) MarshalJSON() ([]byte, error) {
	out := map[string]map[string]int64{}
	for g, row := range c {
		out[labels[g]] = map[string]int64{}
		for p, n := range row {
			out[labels[g]][labels[p]] = n
		}
	}
	return json.Marshal(out)
}

// SentimentMetrics compare the whole-review sentiment with the label of
// the aspect the map sends to SentimentTarget, over the reviews carrying one.
type SentimentMetrics struct {
	Reviews   int64     `json:"reviews"`
	Correct   int64     `json:"correct"`
	Accuracy  Estimate  `json:"accuracy"` // Wilson
	Confusion Confusion `json:"confusion"`
}

// Example is a review the engine got wrong for one dimension.
type Example struct {
	Dimension string `json:"dimension"`
	Kind      string `json:"kind"` // false_positive, missed or wrong_polarity
	ID        string `json:"id"`
	Gold      string `json:"gold"`
	Predicted string `json:"predicted"`
	// Text is the review (normalized) around the evidence, cut with "…".
	Text string `json:"text"`
	// Evidence is what made the tag (none for a missed mention), with the
	// text of each evidence's clause.
	Evidence []tagger.Evidence `json:"evidence,omitempty"`
	Clauses  []string          `json:"clauses,omitempty"`
}

// The kinds of example.
const (
	FalsePositive = "false_positive"
	Missed        = "missed"
	WrongPolarity = "wrong_polarity"
)

// ScoredDimensions are the dimensions an evaluation scores, in lexicon
// order: with a map, its targets; otherwise the dimensions the gold names,
// and every lexicon dimension when the gold file carries texts (a file
// written by Sample, prefilled from the whole lexicon, so a dimension with
// every row deleted is still judged absent).
func ScoredDimensions(g *Gold, m *Map, dims []string) []string {
	var out []string
	for _, d := range dims {
		switch {
		case m != nil:
			for _, t := range m.Targets {
				if t == d {
					out = append(out, d)
					break
				}
			}
		case g.HasText() || slices.Contains(g.Dimensions, d):
			out = append(out, d)
		}
	}
	return out
}

// outcome is one (row, gold label, predicted label) of a review, for the
// rows where not both are absent.
type outcome struct {
	row  int32
	g, p uint8
}

// Evaluate compares the reviews' tags with the gold labels. Reviews absent
// from the gold are labelled with nothing mentioned; gold ids absent from
// the reviews are ignored (counted in GoldOnly). It is deterministic.
func Evaluate(reviews []Review, g *Gold, o Options) *Report {
	o.Resamples = cmp.Or(o.Resamples, 1000)
	rep := &Report{Engine: o.Engine, Gold: g.File, Unmapped: g.Unmapped, Merged: g.Merged, Resamples: o.Resamples, Seed: o.Seed}

	// Rows: the scored dimensions, then their top levels.
	rows := map[string]int{}
	var names []string
	var parent []int // of each leaf row: its top row, or -1
	for _, d := range o.Dimensions {
		if _, ok := rows[d]; !ok {
			rows[d] = len(names)
			names = append(names, d)
		}
	}
	leaves := len(names)
	for _, d := range names[:leaves] {
		p := -1
		if top := lexicon.TopOf(d); top != d {
			if _, ok := rows[top]; !ok {
				rows[top] = len(names)
				names = append(names, top)
			}
			if p = rows[top]; p < leaves {
				p = -1 // a scored dimension of that name: no separate top row
			}
		}
		parent = append(parent, p)
	}

	// Each review's outcomes, and the examples' candidates.
	seen := map[string]bool{}
	var per [][]outcome
	var cands []candidate
	var sent *SentimentMetrics
	gl := make([]uint8, len(names))
	pl := make([]uint8, len(names))
	for i := range reviews {
		r := &reviews[i]
		if seen[r.ID] {
			rep.DuplicateIDs++
			continue
		}
		seen[r.ID] = true
		labelsOf, labelled := g.Labels[r.ID]
		switch {
		case labelled:
			rep.Labelled++
		case o.LabelledOnly:
			rep.Unlabelled++
			continue
		}
		for k := range names {
			gl[k], pl[k] = lAbsent, lAbsent
		}
		tags := make([]*tagger.Tag, leaves)
		for d, pol := range labelsOf {
			if k, ok := rows[d]; ok && k < leaves {
				gl[k] = labelIndex(pol)
			}
		}
		for j := range r.Result.Tags {
			t := &r.Result.Tags[j]
			if k, ok := rows[t.Dimension]; ok && k < leaves {
				pl[k] = labelIndex(t.Polarity.String())
				tags[k] = t
			}
		}
		for k := range leaves {
			if p := parent[k]; p >= 0 {
				gl[p] = combine(gl[p], gl[k])
				pl[p] = combine(pl[p], pl[k])
			}
		}
		var out []outcome
		for k := range names {
			if gl[k] != lAbsent || pl[k] != lAbsent {
				out = append(out, outcome{int32(k), gl[k], pl[k]})
				if k < leaves && gl[k] != pl[k] {
					cands = append(cands, candidate{row: k, review: r, tag: tags[k], g: gl[k], p: pl[k]})
				}
			}
		}
		per = append(per, out)
		if s, ok := g.Sentiment[r.ID]; ok {
			if sent == nil {
				sent = &SentimentMetrics{}
			}
			gs, ps := labelIndex(s), labelIndex(r.Result.Sentiment.String())
			sent.Reviews++
			sent.Confusion[gs][ps]++
			if gs == ps {
				sent.Correct++
			}
		}
	}
	rep.Reviews = len(per)
	for id := range g.Labels {
		if !seen[id] {
			rep.GoldOnly++
		}
	}
	if sent != nil {
		sent.Accuracy = wilson(sent.Correct, sent.Reviews)
		rep.Sentiment = sent
	}

	// The figures on all reviews, then on the bootstrap's resamples.
	conf := make([]Confusion, len(names))
	add := func(out []outcome) {
		for _, x := range out {
			conf[x.row][x.g][x.p]++
		}
	}
	for _, out := range per {
		add(out)
	}
	full := figures(conf, leaves)
	boot := make([][]float64, len(full)) // boot[metric][resample]
	for k := range boot {
		boot[k] = make([]float64, o.Resamples)
	}
	if n := len(per); n > 0 {
		rng := rand.New(rand.NewPCG(o.Seed, 0x9e3779b97f4a7c15))
		for b := range o.Resamples {
			clear(conf)
			for range n {
				add(per[rng.IntN(n)])
			}
			for k, v := range figures(conf, leaves) {
				boot[k][b] = v
			}
		}
	}
	clear(conf)
	for _, out := range per {
		add(out)
	}
	for k := range names {
		conf[k][lAbsent][lAbsent] = int64(len(per)) - total(conf[k])
	}
	level := func(k int) int {
		if k >= leaves {
			return 1
		}
		return strings.Count(names[k], "/") + 1
	}
	fig := func(slot int) Estimate { return estimate(full[slot], boot[slot]) }
	for k := range names {
		m := metrics(names[k], level(k), conf[k])
		for _, p := range parent {
			if p == k {
				m.Children++
			}
		}
		m.Mention.F1, m.Pair.F1, m.Negative.F1 = fig(3*k), fig(3*k+1), fig(3*k+2)
		rep.Dimensions = append(rep.Dimensions, m)
	}
	var micro Confusion
	for k := range leaves {
		for a := range nLabels {
			for b := range nLabels {
				micro[a][b] += conf[k][a][b]
			}
		}
	}
	base := 3 * len(names)
	rep.Micro = metrics("micro", 0, micro)
	rep.Micro.Mention.F1, rep.Micro.Pair.F1, rep.Micro.Negative.F1 = fig(base), fig(base+1), fig(base+2)
	rep.Macro = Metrics{Dimension: "macro", Mention: rep.Micro.Mention, Pair: rep.Micro.Pair, Negative: rep.Micro.Negative, Confusion: micro}
	base += 3
	for i, prf := range []*PRF{&rep.Macro.Mention, &rep.Macro.Pair, &rep.Macro.Negative} {
		prf.Precision, prf.Recall, prf.F1 = fig(base+3*i), fig(base+3*i+1), fig(base+3*i+2)
	}
	rep.Macro.Polarity = fig(base + 9)
	rep.Examples = examples(cands, names, o.Examples)
	return rep
}

// total sums a matrix.
func total(c Confusion) int64 {
	var n int64
	for _, row := range c {
		for _, v := range row {
			n += v
		}
	}
	return n
}

// labelIndex is the index in labels of a polarity's name.
func labelIndex(s string) uint8 {
	i := slices.Index(labels[:], s)
	if i < 0 {
		return lAbsent
	}
	return uint8(i)
}

// combine folds a child's label into its top level's: mentioned when any
// child is, with their polarity when they agree, else mixed.
func combine(top, child uint8) uint8 {
	switch {
	case child == lAbsent:
		return top
	case top == lAbsent || top == child:
		return child
	}
	return lMixed
}

// counts are the match counts of one confusion matrix.
type counts struct {
	mentionTP, gold, pred, pairTP, negTP, negGold, negPred int64
}

func countsOf(c Confusion) counts {
	var n counts
	for g := range lAbsent {
		for p := range nLabels {
			n.gold += c[g][p]
			if p != lAbsent {
				n.mentionTP += c[g][p]
			}
		}
		n.pairTP += c[g][g]
	}
	for p := range lAbsent {
		for g := range nLabels {
			n.pred += c[g][p]
		}
	}
	for x := range nLabels {
		n.negGold += c[lNeg][x]
		n.negPred += c[x][lNeg]
	}
	n.negTP = c[lNeg][lNeg]
	return n
}

func f1(tp, gold, pred int64) float64 { return ratio(2*tp, gold+pred) }

// figures are the bootstrapped metrics of a set of matrices (the first
// leaves rows are the scored dimensions): per row, mention, pair and
// negative F1; the micro average's three; then the macro average's
// precision, recall and F1 of mention, pair and negative, and its polarity
// accuracy. Undefined ones are NaN.
func figures(conf []Confusion, leaves int) []float64 {
	out := make([]float64, 0, 3*len(conf)+13)
	var micro counts
	macro := make([][]float64, 10)
	for k, c := range conf {
		n := countsOf(c)
		out = append(out, f1(n.mentionTP, n.gold, n.pred), f1(n.pairTP, n.gold, n.pred), f1(n.negTP, n.negGold, n.negPred))
		if k >= leaves {
			continue
		}
		micro.mentionTP += n.mentionTP
		micro.gold += n.gold
		micro.pred += n.pred
		micro.pairTP += n.pairTP
		micro.negTP += n.negTP
		micro.negGold += n.negGold
		micro.negPred += n.negPred
		for i, v := range []float64{
			ratio(n.mentionTP, n.pred), ratio(n.mentionTP, n.gold), f1(n.mentionTP, n.gold, n.pred),
			ratio(n.pairTP, n.pred), ratio(n.pairTP, n.gold), f1(n.pairTP, n.gold, n.pred),
			ratio(n.negTP, n.negPred), ratio(n.negTP, n.negGold), f1(n.negTP, n.negGold, n.negPred),
			ratio(n.pairTP, n.mentionTP),
		} {
			macro[i] = append(macro[i], v)
		}
	}
	out = append(out, f1(micro.mentionTP, micro.gold, micro.pred), f1(micro.pairTP, micro.gold, micro.pred), f1(micro.negTP, micro.negGold, micro.negPred))
	for _, vs := range macro {
		out = append(out, mean(vs))
	}
	return out
}

// metrics are a matrix's counts with Wilson intervals; the F1s are left to
// the caller (they need the bootstrap).
func metrics(name string, level int, c Confusion) Metrics {
	n := countsOf(c)
	prf := func(tp, gold, pred int64) PRF {
		return PRF{TP: tp, Gold: gold, Predicted: pred, Precision: wilson(tp, pred), Recall: wilson(tp, gold)}
	}
	return Metrics{
		Dimension: name,
		Level:     level,
		Mention:   prf(n.mentionTP, n.gold, n.pred),
		Pair:      prf(n.pairTP, n.gold, n.pred),
		Negative:  prf(n.negTP, n.negGold, n.negPred),
		Polarity:  wilson(n.pairTP, n.mentionTP),
		Confusion: c,
	}
}

// candidate is a review the engine got wrong on one dimension.
type candidate struct {
	row    int
	review *Review
	tag    *tagger.Tag // nil for a missed mention
	g, p   uint8
}

func (c candidate) kind() string {
	switch {
	case c.g == lAbsent:
		return FalsePositive
	case c.p == lAbsent:
		return Missed
	}
	return WrongPolarity
}

// examples keeps the n worst candidates per dimension and kind: false
// positives with the strongest tag score first; missed mentions negative
// first, then positive, then neutral; wrong polarities opposite ones
// (positive for negative) first, then by tag score; ties by id.
func examples(cands []candidate, names []string, n int) []Example {
	if n <= 0 {
		return nil
	}
	rank := func(c candidate) (int, float64) {
		switch c.kind() {
		case FalsePositive:
			return 0, -math.Abs(c.tag.Score)
		case Missed:
			return [nLabels]int{lNeg: 0, lPos: 1, lNeu: 2}[c.g], 0
		}
		opposite := 1
		if c.g == lPos && c.p == lNeg || c.g == lNeg && c.p == lPos {
			opposite = 0
		}
		return opposite, -math.Abs(c.tag.Score)
	}
	kinds := []string{FalsePositive, Missed, WrongPolarity}
	slices.SortStableFunc(cands, func(a, b candidate) int {
		if c := cmp.Compare(a.row, b.row); c != 0 {
			return c
		}
		if c := cmp.Compare(slices.Index(kinds, a.kind()), slices.Index(kinds, b.kind())); c != 0 {
			return c
		}
		ra, sa := rank(a)
		rb, sb := rank(b)
		return cmp.Or(cmp.Compare(ra, rb), cmp.Compare(sa, sb), cmp.Compare(a.review.ID, b.review.ID))
	})
	var out []Example
	kept := map[[2]int]int{}
	for _, c := range cands {
		key := [2]int{c.row, slices.Index(kinds, c.kind())}
		if kept[key] >= n {
			continue
		}
		kept[key]++
		ex := Example{Dimension: names[c.row], Kind: c.kind(), ID: c.review.ID, Gold: labels[c.g], Predicted: labels[c.p]}
		ex.Text = around(c.review.Result, c.tag)
		if c.tag != nil {
			ex.Evidence = c.tag.Evidence
			if len(ex.Evidence) == 0 { // the main evidence only (an engine without the list)
				ex.Evidence = []tagger.Evidence{{Clause: c.tag.Clause, Term: c.tag.Term, Cue: c.tag.Cue, Negated: c.tag.Negated}}
			}
			for _, e := range ex.Evidence {
				cl := ""
				if e.Clause >= 0 && e.Clause < len(c.review.Result.Clauses) {
					cl = c.review.Result.Clauses[e.Clause].Text
				}
				ex.Clauses = append(ex.Clauses, cl)
			}
		}
		out = append(out, ex)
	}
	return out
}

// The window of text shown around an example's evidence, in characters.
const (
	contextBefore = 40
	contextAfter  = 60
)

// around returns the review's normalized text around the tag's main
// evidence (its term in its clause; the start of the review for a missed
// mention), cut to a window of characters marked with "…".
func around(res tagger.Result, tag *tagger.Tag) string {
	text := res.Text
	anchor := 0
	if tag != nil {
		from := 0
		if tag.Clause >= 0 && tag.Clause < len(res.Clauses) {
			off := 0
			for i, c := range res.Clauses[:tag.Clause+1] {
				if j := strings.Index(text[off:], c.Text); j >= 0 && c.Text != "" {
					off += j
					if i == tag.Clause {
						from = off
					}
					off += len(c.Text)
				}
			}
		}
		if j := strings.Index(text[from:], tag.Term); j >= 0 && tag.Term != "" {
			anchor = from + j
		} else if j := strings.Index(text, tag.Term); j >= 0 && tag.Term != "" {
			anchor = j
		} else {
			anchor = from
		}
	}
	r := []rune(text)
	a := len([]rune(text[:anchor]))
	lo, hi := max(0, a-contextBefore), min(len(r), a+contextAfter)
	if tag == nil {
		lo, hi = 0, min(len(r), contextBefore+contextAfter)
	}
	out := string(r[lo:hi])
	if lo > 0 {
		out = "…" + out
	}
	if hi < len(r) {
		out += "…"
	}
	return out
}
