package lexicon

import (
	_ "embed"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
)

//go:generate go run ./internal/gensentiment -data ../../shared/data

// BuiltinPath is the name the built-in general lexicon goes by in positions.
const BuiltinPath = "builtin:general.yaml"

// SentimentPath is the name the generated sentiment list goes by in positions.
const SentimentPath = "builtin:sentiment.tsv"

//go:embed general.yaml
var generalYAML string

// sentimentTSV is the generated part of the built-in sentiment vocabulary
// (internal/gensentiment, from the train parts of the shared corpora):
// word, polarity, weight, corpora.
//
//go:embed sentiment.tsv
var sentimentTSV string

var builtin = sync.OnceValue(func() *Lexicon {
	l, err := Load(BuiltinPath, strings.NewReader(generalYAML))
	if err != nil {
		panic("vocmine's built-in lexicon does not load: " + err.Error())
	}
	gen, err := ParseSentimentList(SentimentPath, sentimentTSV)
	if err != nil {
		panic("vocmine's built-in sentiment list does not load: " + err.Error())
	}
	return withGenerated(l, gen)
})

// Builtin returns the general Chinese sentiment, negator, intensifier,
// contrast and junk vocabulary that ships with vocmine: the hand-written
// general.yaml, and under it the generated sentiment.tsv (a word of
// general.yaml, in any list, keeps its hand-written meaning; its polar words
// take the list's weight when the list weighs them). It defines no
// dimensions. The result is shared: do not modify it.
func Builtin() *Lexicon { return builtin() }

// BuiltinYAML returns the source of the built-in lexicon, for documentation.
func BuiltinYAML() string { return generalYAML }

// withGenerated appends to hand the generated sentiment words it does not
// hold in any list.
func withGenerated(hand, gen *Lexicon) *Lexicon {
	known := map[string]bool{}
	for _, w := range hand.Words() {
		known[w] = true
	}
	for _, e := range hand.Junk {
		known[e.Text] = true
	}
	out := *hand
	out.Positive = reweighed(hand.Positive, gen.Positive)
	out.Negative = reweighed(hand.Negative, gen.Negative)
	for _, e := range gen.Positive {
		if !known[e.Text] {
			out.Positive = append(out.Positive, e)
		}
	}
	for _, e := range gen.Negative {
		if !known[e.Text] {
			out.Negative = append(out.Negative, e)
		}
	}
	return &out
}

// reweighed copies hand's words, each with the weight of the same word in
// gen (of the same polarity) when gen lists it: the corpora's weight for a
// hand-written word (sentiment.tsv rows marked general.yaml).
func reweighed(hand, gen []Entry) []Entry {
	w := map[string]float64{}
	for _, e := range gen {
		w[e.Text] = e.Weight
	}
	out := slices.Clone(hand)
	for i := range out {
		if wt, ok := w[out[i].Text]; ok && out[i].Weight == 0 {
			out[i].Weight = wt
		}
	}
	return out
}

// ParseSentimentList reads a generated sentiment list: "#" comment lines, a
// header line, then "word<TAB>polarity<TAB>weight<TAB>corpora" lines
// (polarity positive or negative, weight a positive number). Every problem
// is reported, each with name:line, as an ErrorList.
func ParseSentimentList(name, src string) (*Lexicon, error) {
	l := &Lexicon{Sources: []Source{{Path: name}}}
	var errs ErrorList
	seen := map[string]int{}
	header := false
	n := 0
	for line := range strings.Lines(src) {
		n++
		line = strings.TrimRight(line, "\r\n")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		pos := Pos{File: name, Line: n, Column: 1}
		bad := func(format string, args ...any) {
			errs = append(errs, &Error{Pos: pos, Msg: fmt.Sprintf(format, args...)})
		}
		f := strings.Split(line, "\t")
		if !header {
			header = true
			if len(f) < 3 || f[0] != "word" || f[1] != "polarity" || f[2] != "weight" {
				bad("want the header word<TAB>polarity<TAB>weight<TAB>corpora, got %q", line)
			}
			continue
		}
		if len(f) < 3 {
			bad("want word<TAB>polarity<TAB>weight<TAB>corpora, got %q", line)
			continue
		}
		w := Normalize(strings.TrimSpace(f[0]))
		weight, err := strconv.ParseFloat(f[2], 64)
		switch {
		case w == "" || strings.ContainsAny(w, clausePunct):
			bad("%q is not a word the tagger could match", f[0])
			continue
		case err != nil || !(weight > 0 && weight < 100):
			bad("%q: weight %q must be a positive number", w, f[2])
			continue
		case seen[w] > 0:
			bad("%q listed twice (first at line %d)", w, seen[w])
			continue
		}
		seen[w] = n
		e := Entry{Text: w, Pos: pos, Weight: weight}
		switch f[1] {
		case "positive":
			l.Positive = append(l.Positive, e)
		case "negative":
			l.Negative = append(l.Negative, e)
		default:
			bad("%q: polarity %q, want positive or negative", w, f[1])
		}
	}
	if !header {
		errs = append(errs, &Error{Pos: Pos{File: name}, Msg: "no header line"})
	}
	return l, errs.Err()
}
