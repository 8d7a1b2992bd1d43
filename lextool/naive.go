package lextool

import (
	"strings"

	"github.com/vocmine/vocmine/lexicon"
	"github.com/vocmine/vocmine/tagger"
)

// Naive is the baseline the tagger is measured against (`lexicon eval
// --engine naive`), built from the same merged lexicon: a dimension is
// mentioned when one of its terms, positive_terms or negative_terms occurs
// anywhere in the normalized review, as a substring. Its polarity is the
// sign of the occurrences of its positive terms minus those of its negative
// terms; when that is 0, the sign of the occurrences of the lexicon's
// positive sentiment words minus its negative ones in the whole review;
// else neutral. The review's sentiment is the sign of all positive minus
// all negative occurrences, sentiment words and polarity terms alike. No
// segmentation, clauses, negation or exclusions: what a spreadsheet formula
// would do.
type Naive struct {
	dims     []naiveDim
	pos, neg []string // sentiment words
	// allPos and allNeg add every dimension's polarity terms, for the
	// review's sentiment.
	allPos, allNeg []string
}

type naiveDim struct {
	name, top     string
	terms         []string // terms, positive_terms, negative_terms
	positive, neg []string
}

// NewNaive builds the baseline from a merged lexicon.
func NewNaive(lex *lexicon.Lexicon) *Naive {
	n := &Naive{pos: texts(lex.Positive), neg: texts(lex.Negative)}
	n.allPos, n.allNeg = append([]string{}, n.pos...), append([]string{}, n.neg...)
	for _, d := range lex.Dimensions {
		nd := naiveDim{name: d.Name, top: d.Top(), positive: texts(d.PositiveTerms), neg: texts(d.NegativeTerms)}
		nd.terms = append(append(texts(d.Terms), nd.positive...), nd.neg...)
		n.dims = append(n.dims, nd)
		n.allPos = append(n.allPos, nd.positive...)
		n.allNeg = append(n.allNeg, nd.neg...)
	}
	return n
}

func texts(es []lexicon.Entry) []string {
	out := make([]string, 0, len(es))
	for _, e := range es {
		if e.Text != "" {
			out = append(out, e.Text)
		}
	}
	return out
}

// hits are the occurrences of a list's words in a text.
type hits struct {
	n     int    // non-overlapping occurrences, summed over the words
	first string // the first word of the list found
}

func occurrences(s string, words []string) hits {
	var h hits
	for _, w := range words {
		if c := strings.Count(s, w); c > 0 {
			h.n += c
			if h.first == "" {
				h.first = w
			}
		}
	}
	return h
}

// balance is positive minus negative occurrences, and a word of the side
// that wins ("" on a tie).
func balance(pos, neg hits) (int, string) {
	switch d := pos.n - neg.n; {
	case d > 0:
		return d, pos.first
	case d < 0:
		return d, neg.first
	}
	return 0, ""
}

func sign(x int) tagger.Polarity {
	switch {
	case x > 0:
		return tagger.Positive
	case x < 0:
		return tagger.Negative
	}
	return tagger.Neutral
}

// Tag tags one review. It is safe for concurrent use.
func (n *Naive) Tag(text string) tagger.Result {
	norm := lexicon.Normalize(text)
	res := tagger.Result{Text: norm}
	if strings.TrimSpace(norm) == "" {
		res.Empty = true
		return res
	}
	all, _ := balance(occurrences(norm, n.allPos), occurrences(norm, n.allNeg))
	res.Score = float64(all)
	res.Sentiment = sign(all)
	// The sentiment words' balance, for dimensions without polarity terms.
	words, wordCue := balance(occurrences(norm, n.pos), occurrences(norm, n.neg))
	for i, d := range n.dims {
		term := ""
		for _, t := range d.terms {
			if strings.Contains(norm, t) {
				term = t
				break
			}
		}
		if term == "" {
			continue
		}
		score, cue := balance(occurrences(norm, d.positive), occurrences(norm, d.neg))
		if score == 0 {
			score, cue = words, wordCue
		}
		pol := sign(score)
		res.Tags = append(res.Tags, tagger.Tag{Dim: i, Dimension: d.name, Top: d.top, Polarity: pol, Score: float64(score),
			Term: term, Cue: cue, Clause: -1, Evidence: []tagger.Evidence{{Clause: -1, Term: term, Cue: cue, CuePolarity: pol, Weight: float64(score)}}})
	}
	return res
}
