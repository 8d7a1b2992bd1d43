// Package lexicon reads, validates and merges the YAML files in which data
// engineers describe their survey's dimensions and the sentiment vocabulary
// used to tag reasons. It imports no other vocmine package.
//
// A Lexicon keeps the position of every word it read, so that later checks
// (and the tagger's explanations) can point back to file:line.
package lexicon

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
)

// Pos is where something was written in a lexicon file.
type Pos struct {
	File   string
	Line   int
	Column int
}

func (p Pos) String() string {
	if p.Line == 0 {
		return p.File
	}
	return fmt.Sprintf("%s:%d", p.File, p.Line)
}

// Entry is one word of a lexicon, normalized (see Normalize), with its position.
type Entry struct {
	Text string
	Pos  Pos
	// Weight is a sentiment word's strength as a cue (0 means 1); other
	// entries ignore it.
	Weight float64
}

// Dimension is one thing respondents talk about, such as "网络/信号".
// A "/" in Name makes a hierarchy: the part before the first "/" is the top level.
type Dimension struct {
	Name        string
	Description string
	Pos         Pos
	// Terms name the dimension. PositiveTerms and NegativeTerms name it and
	// carry a polarity by themselves ("掉线"). A clause holding an Exclude word
	// never tags this dimension ("信号灯" for 网络/信号).
	Terms, PositiveTerms, NegativeTerms, Exclude []Entry
	// Rules name the dimension when they match (see Rule).
	Rules []Rule
	// Mixed, when above 0, makes a reason's tag of the dimension neutral
	// when its opinions pull both ways and the weaker side weighs at least
	// this share of the stronger: for a dimension that judges several things
	// at once, such as the taste of several dishes. 0: the sum decides.
	Mixed float64
	// incomplete marks a dimension read with errors (Parse): entries in
	// error are missing, so Check does not call it empty.
	incomplete bool
}

// Top is the top-level part of the dimension's name ("网络" for "网络/信号").
func (d Dimension) Top() string { return TopOf(d.Name) }

// Level is 1 for a top-level dimension, 2 for "a/b", and so on.
func (d Dimension) Level() int { return strings.Count(d.Name, "/") + 1 }

// TopOf returns the part of a dimension name before the first "/".
func TopOf(name string) string {
	top, _, _ := strings.Cut(name, "/")
	return top
}

// Intensifier scales the weight of the sentiment cue it precedes.
type Intensifier struct {
	Entry
	Weight float64
}

// Source names one file that went into a Lexicon.
type Source struct {
	Path    string
	Name    string
	Version string
}

// Lexicon is one lexicon file, or several merged with Merge.
type Lexicon struct {
	Sources    []Source
	Dimensions []Dimension
	// Sentiment words: cues whose polarity applies to the nearest dimension.
	Positive, Negative, Neutral []Entry
	Negators                    []Entry
	Intensifiers                []Intensifier
	// Leans are what neutral words add to a reason's overall sentiment
	// (signed; 一般 −0.5, 还行 +0.5): the dimension they are said of stays
	// neutral. The weight is the lean.
	Leans    []Intensifier
	Contrast []Entry
	// Junk reasons say nothing when the whole reason is one of these ("无").
	Junk []Entry
	// Examples are the lexicon's own tests: `vocmine lexicon test` runs them,
	// and `vocmine run` refuses to publish while one fails.
	Examples []Example
	// Warnings are what loading found that does not stop it (a word under
	// terms and a polarity list of one dimension: the polarity list wins).
	// `vocmine lexicon check` reports them; tagging ignores them.
	Warnings []Finding
}

// Example is a reason with the tags it must get.
type Example struct {
	Text string
	Pos  Pos
	// Tags, when given (HasTags), is the whole set of tags the reason must
	// get: "dimension:polarity", or "dimension" for any polarity.
	Tags    []string
	HasTags bool
	// Not lists dimensions the reason must not tag.
	Not []string
}

// Merge combines lexicons in order: later ones extend earlier ones. A
// dimension named again gains the later words; a word listed again is kept
// once, at its first position. A sentiment word given another polarity by a
// later lexicon takes the later polarity, and an intensifier listed again takes
// the later weight, so a user's file can override the built-in vocabulary.
func Merge(ls ...*Lexicon) *Lexicon {
	out := &Lexicon{}
	dims := map[string]int{}
	rules := map[int]map[string]bool{} // each merged dimension's rules, rendered
	for _, l := range ls {
		out.Sources = append(out.Sources, l.Sources...)
		for _, d := range l.Dimensions {
			i, ok := dims[d.Name]
			if !ok {
				dims[d.Name] = len(out.Dimensions)
				out.Dimensions = append(out.Dimensions, Dimension{Name: d.Name, Description: d.Description, Pos: d.Pos})
				i = len(out.Dimensions) - 1
			}
			o := &out.Dimensions[i]
			if d.Description != "" {
				o.Description = d.Description
			}
			o.Terms = union(o.Terms, d.Terms)
			o.PositiveTerms = union(o.PositiveTerms, d.PositiveTerms)
			o.NegativeTerms = union(o.NegativeTerms, d.NegativeTerms)
			// A word that is a polarity term of the dimension in any file is one.
			o.Terms = without(o.Terms, o.PositiveTerms, o.NegativeTerms)
			o.Exclude = union(o.Exclude, d.Exclude)
			if d.Mixed > 0 {
				o.Mixed = d.Mixed
			}
			if rules[i] == nil {
				rules[i] = map[string]bool{}
			}
			for _, r := range d.Rules {
				if s := r.Root.String(); !rules[i][s] {
					rules[i][s] = true
					o.Rules = append(o.Rules, r)
				}
			}
		}
		// A later polarity overrides: drop the word from the other lists first.
		out.Positive = union(without(out.Positive, l.Negative, l.Neutral), l.Positive)
		out.Negative = union(without(out.Negative, l.Positive, l.Neutral), l.Negative)
		out.Neutral = union(without(out.Neutral, l.Positive, l.Negative), l.Neutral)
		out.Negators = union(out.Negators, l.Negators)
		out.Contrast = union(out.Contrast, l.Contrast)
		out.Junk = union(out.Junk, l.Junk)
		out.Examples = append(out.Examples, l.Examples...)
		out.Warnings = append(out.Warnings, l.Warnings...)
		out.Intensifiers = mergeWeighted(out.Intensifiers, l.Intensifiers)
		out.Leans = mergeWeighted(out.Leans, l.Leans)
	}
	return out
}

// mergeWeighted adds b's weighted words to a, a word listed again taking
// b's weight.
func mergeWeighted(a, b []Intensifier) []Intensifier {
	// Indexes, not scans: a scan of a for each word of b made merging a
	// long list quadratic (so in union and without).
	index := make(map[string]int, len(a))
	for i, o := range a {
		if _, ok := index[o.Text]; !ok {
			index[o.Text] = i
		}
	}
	for _, in := range b {
		if i, ok := index[in.Text]; !ok {
			index[in.Text] = len(a)
			a = append(a, in)
		} else {
			a[i].Weight = in.Weight
		}
	}
	return a
}

// union appends the entries of b whose text a does not hold yet.
func union(a, b []Entry) []Entry {
	if len(b) == 0 {
		return a
	}
	held := textSet(a)
	for _, e := range b {
		if !held[e.Text] {
			held[e.Text] = true
			a = append(a, e)
		}
	}
	return a
}

// without returns a minus every entry whose text is in one of drop.
func without(a []Entry, drop ...[]Entry) []Entry {
	dropped := textSet(drop...)
	if len(dropped) == 0 {
		return a
	}
	return slices.DeleteFunc(a, func(x Entry) bool { return dropped[x.Text] })
}

// textSet is the set of the texts of lists.
func textSet(lists ...[]Entry) map[string]bool {
	n := 0
	for _, l := range lists {
		n += len(l)
	}
	set := make(map[string]bool, n)
	for _, l := range lists {
		for _, e := range l {
			set[e.Text] = true
		}
	}
	return set
}

// Words returns every word the segmenter must keep whole: dimension terms,
// exclusions and sentiment, negator, intensifier and contrast words.
func (l *Lexicon) Words() []string {
	seen := map[string]bool{}
	var out []string
	add := func(es []Entry) {
		for _, e := range es {
			if !seen[e.Text] {
				seen[e.Text] = true
				out = append(out, e.Text)
			}
		}
	}
	for _, d := range l.Dimensions {
		add(d.Terms)
		add(d.PositiveTerms)
		add(d.NegativeTerms)
		add(d.Exclude)
		for _, r := range d.Rules {
			for _, w := range r.Root.Words() {
				add([]Entry{{Text: w}})
			}
		}
	}
	add(l.Positive)
	add(l.Negative)
	add(l.Neutral)
	add(l.Negators)
	add(l.Contrast)
	for _, in := range l.Intensifiers {
		add([]Entry{in.Entry})
	}
	return out
}

// Digest is the SHA-256 (hex) of everything in l that tagging depends on:
// dimensions with their words and rules, the sentiment words with their
// weights, and the negator, intensifier, contrast and junk words, in order. Positions, sources,
// comments and examples do not count, so reformatting a file keeps it.
func (l *Lexicon) Digest() string {
	h := sha256.New()
	list := func(name string, es []Entry) {
		fmt.Fprintf(h, "%s:", name)
		for _, e := range es {
			if e.Weight != 0 && e.Weight != 1 {
				// Weighted: the weight counts (an unweighted word hashes as before).
				fmt.Fprintf(h, "%q:%g,", e.Text, e.Weight)
				continue
			}
			fmt.Fprintf(h, "%q,", e.Text)
		}
		fmt.Fprintln(h)
	}
	for _, d := range l.Dimensions {
		fmt.Fprintf(h, "dimension %q\n", d.Name)
		list("terms", d.Terms)
		list("positive_terms", d.PositiveTerms)
		list("negative_terms", d.NegativeTerms)
		list("exclude", d.Exclude)
		for _, r := range d.Rules {
			fmt.Fprintf(h, "rule %s\n", r.Root)
		}
		if d.Mixed > 0 {
			fmt.Fprintf(h, "mixed %g\n", d.Mixed)
		}
	}
	list("positive", l.Positive)
	list("negative", l.Negative)
	list("neutral", l.Neutral)
	list("negators", l.Negators)
	for _, in := range l.Intensifiers {
		fmt.Fprintf(h, "intensifier %q %g\n", in.Text, in.Weight)
	}
	for _, in := range l.Leans {
		fmt.Fprintf(h, "lean %q %g\n", in.Text, in.Weight)
	}
	list("contrast", l.Contrast)
	list("junk", l.Junk)
	return hex.EncodeToString(h.Sum(nil))
}
