package main

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/vocmine/vocmine/internal/corpora"
	"github.com/vocmine/vocmine/lexicon"
	"github.com/vocmine/vocmine/tagger"
)

// ceiling measures how far any weighted vocabulary could take whole-review
// sentiment when the score is a sum of word weights (flipped by a negator in
// the three tokens before a word, as count reads them): an L2-regularised
// logistic regression without intercept, fitted on the train part minus the
// -validate fold with each corpus's classes weighted equally, and scored on
// the fold (undecided, no feature at all, counts as wrong). The weights it
// finds are the best such a vocabulary can have, so its accuracy bounds what
// a list of those words can reach, whatever the statistics that choose them.
// It is run once per feature set:
//   - opinion: the words the generator may keep (what judge lets through by
//     part of speech, length and review.tsv) and every word of general.yaml;
//   - +single: and single characters of any part of speech but the skipped
//     ones (了, 都, 送, 少 ...);
//   - +phrases: and two-token phrases whose second token is an adjective, a
//     verb, an adverb or a word of general.yaml (量少, 送晚);
//   - every token: all tokens and two-token phrases, dish names included:
//     a classifier of the corpus, not a vocabulary.
//
// It writes nothing: a measurement for docs/ACCURACY.md, not a build step.
func ceiling(w io.Writer, hand *lexicon.Lexicon, pos, rev map[string]string, build, fold [][]corpora.Review, stats map[string][]stat) error {
	tg, err := tagger.New(tagger.Config{}, hand)
	if err != nil {
		return err
	}
	neg := map[string]bool{}
	for _, e := range hand.Negators {
		neg[e.Text] = true
	}
	handWord := map[string]bool{}
	for _, es := range [][]lexicon.Entry{hand.Positive, hand.Negative, hand.Neutral} {
		for _, e := range es {
			handWord[e.Text] = true
		}
	}
	opinion := func(k string) bool {
		switch {
		case handWord[k] || rev[k] == "keep":
			return true
		case rev[k] == "drop" || !isChinese(k):
			return false
		}
		return !skipPOS[pos[k]] && !nounPOS[pos[k]] && utf8.RuneCountInString(k) >= 2
	}
	single := func(k string) bool {
		return opinion(k) || isChinese(k) && rev[k] != "drop" && utf8.RuneCountInString(k) == 1 && !skipPOS[pos[k]]
	}
	phraseEnd := map[string]bool{"a": true, "ag": true, "ad": true, "an": true, "v": true, "vg": true, "d": true}
	sets := []struct {
		name string
		keep func(k string) bool
	}{
		{"opinion", opinion},
		{"+single", single},
		{"+phrases", func(k string) bool {
			if a, b, ok := strings.Cut(k, "|"); ok {
				return single(a) || handWord[b] || phraseEnd[pos[b]]
			}
			return single(k)
		}},
		{"every token", func(string) bool { return true }},
	}
	type example struct {
		f      map[string]float64
		y      float64
		corpus int
	}
	featurize := func(rows [][]corpora.Review) []example {
		var out []example
		for ci, rs := range rows {
			for _, r := range rs {
				f := map[string]float64{}
				eachToken(tg, r.Text, func(toks []string, i int) {
					if tok := toks[i]; !neg[tok] {
						s := 1.0
						if negatedAt(toks, i, neg) {
							s = -1
						}
						f[tok] = s
						if i+1 < len(toks) && !neg[toks[i+1]] {
							f[tok+"|"+toks[i+1]] = s
						}
					}
				})
				y := -1.0
				if r.Positive {
					y = 1
				}
				out = append(out, example{f, y, ci})
			}
		}
		return out
	}
	train, test := featurize(build), featurize(fold)
	// Each (corpus, class) weighs the same in the loss.
	n := map[[2]int]float64{}
	for _, e := range train {
		n[[2]int{e.corpus, int(e.y)}]++
	}
	for _, set := range sets {
		wt := map[string]float64{}
		g2 := map[string]float64{}
		const lambda, rate, epochs = 1e-4, 0.1, 15
		for epoch := range epochs {
			for i := range train {
				// A fixed pseudo-random order: deterministic, not file order.
				e := train[(i*7919+epoch*104729)%len(train)]
				var z float64
				for k, v := range e.f {
					z += wt[k] * v
				}
				share := float64(len(train)) / float64(len(n)) / n[[2]int{e.corpus, int(e.y)}]
				g := -e.y / (1 + math.Exp(e.y*z)) * share
				for k, v := range e.f {
					if !set.keep(k) {
						continue
					}
					gr := g*v + lambda*wt[k]
					g2[k] += gr * gr
					wt[k] -= rate * gr / math.Sqrt(g2[k]+1e-8)
				}
			}
		}
		var nonzero int
		for _, v := range wt {
			if v != 0 {
				nonzero++
			}
		}
		fmt.Fprintf(w, "%-12s %6d features", set.name, nonzero)
		for ci := range fold {
			var right, undecided, total int
			for _, e := range test {
				if e.corpus != ci {
					continue
				}
				total++
				var z float64
				for k, v := range e.f {
					z += wt[k] * v
				}
				switch {
				case z == 0:
					undecided++
				case (z > 0) == (e.y > 0):
					right++
				}
			}
			fmt.Fprintf(w, "  %s %.3f (undecided %.3f)", names[ci], float64(right)/float64(total), float64(undecided)/float64(total))
		}
		fmt.Fprintln(w)
		if set.name == "+single" {
			// What the single characters carry: weight times reviews.
			docs := func(k string) float64 {
				var n int
				for _, s := range stats[k] {
					n += s.pos + s.neg
				}
				return math.Abs(wt[k]) * float64(n)
			}
			var ones []string
			for k := range wt {
				if utf8.RuneCountInString(k) == 1 && !opinion(k) {
					ones = append(ones, k)
				}
			}
			slices.SortFunc(ones, func(a, b string) int {
				return cmp.Or(cmp.Compare(docs(b), docs(a)), strings.Compare(a, b))
			})
			fmt.Fprint(w, "  strongest single characters:")
			for _, k := range ones[:min(20, len(ones))] {
				fmt.Fprintf(w, " %s %+.2f", k, wt[k])
			}
			fmt.Fprintln(w)
		}
		if set.name == "opinion" {
			// The same weights as a vocabulary in the engine (words of
			// three reviews or more, |weight| >= 0.05): what replacing the
			// log-odds list by them would give.
			sub := map[string]float64{}
			for k, v := range wt {
				var docs int
				for _, s := range stats[k] {
					docs += s.pos + s.neg
				}
				if docs >= 3 && math.Abs(v) >= 0.05 {
					sub[k] = v
				}
			}
			engineOn(w, hand, sub, fold)
		}
	}
	return nil
}

// engineOn prints the tagger's fold accuracy with wt as its generated list
// (a polar word of general.yaml takes its weight where the signs agree).
func engineOn(w io.Writer, hand *lexicon.Lexicon, wt map[string]float64, fold [][]corpora.Review) {
	var list []entry
	hw := map[string]float64{}
	handPol := map[string]float64{}
	for _, e := range hand.Positive {
		handPol[e.Text] = 1
	}
	for _, e := range hand.Negative {
		handPol[e.Text] = -1
	}
	for k, v := range wt {
		if p, ok := handPol[k]; ok {
			if p*v > 0 {
				hw[k] = math.Abs(v)
			}
			continue
		}
		pol := 1
		if v < 0 {
			pol = -1
		}
		list = append(list, entry{word: k, pol: pol, weight: math.Abs(v)})
	}
	tg, err := tagger.New(tagger.Config{}, reweigh(asLexicon(hand, list), hw))
	if err != nil {
		fmt.Fprintln(w, err)
		return
	}
	fmt.Fprintf(w, "  as the engine's list: %d words", len(list))
	for ci, rs := range fold {
		var right int
		for _, r := range rs {
			if s := tg.Tag(r.Text).Sentiment; s != tagger.Neutral && (s == tagger.Positive) == r.Positive {
				right++
			}
		}
		fmt.Fprintf(w, "  %s %.3f", names[ci], float64(right)/float64(len(rs)))
	}
	fmt.Fprintln(w)
}
