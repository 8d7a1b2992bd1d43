// Command gensentiment writes lexicon/sentiment.tsv, the generated part of
// the built-in sentiment vocabulary, from the train parts of the shared
// whole-review corpora (internal/corpora: every data row but every fifth).
// Run it with `go generate ./lexicon` where ../shared/data is present; it is
// deterministic, so a run on the same data and dictionary rewrites the same
// file.
//
// The process, documented in docs/LEXICON.md ("The built-in general
// lexicon"):
//
//  1. Each train review is tokenized as the tagger does (gse's tokens with
//     the hand-written general.yaml added), and each token counted once per
//     review, unless a negator of general.yaml stands in the three tokens
//     before it in its clause (不好吃 is no evidence for 好吃).
//  2. Per corpus, the weighted log-odds of each token between positive and
//     negative reviews, with an informative Dirichlet prior from the three
//     corpora pooled (Monroe, Colaresi & Quinn 2008, "Fightin' Words"), and
//     its z-score.
//  3. A token is kept when it is significant (|z| >= -z) in two corpora or
//     more with one sign and never significant with the other; or, when it is
//     not a noun, in one corpus with |z| >= -z1 and no other against it. Names,
//     places, numbers, measure words, pronouns and function words (by gse's
//     part of speech), single characters, non-Chinese tokens and every word of
//     general.yaml are left out, and so is a modifier glued to a cue (太差).
//     Two-token phrases are counted too and kept in two shapes only: a
//     negator or an intensifier before a word that is no cue (没味道, 太厚),
//     a noun before a neutral word (味道一般).
//  4. review.tsv, the person's review, drops what correlates with a label
//     without being an opinion (房间, 外卖, 手机 ...) and may keep a word the
//     filters leave out.
//  5. The weight is the mean log-odds over the corpora where the word is
//     significant, times -scale, clamped to 0.3..2.
//
// -validate holds back a fold of the train part (data rows 4, 9, 14, ...),
// builds the list from the rest and prints the accuracy of whole-review
// sentiment on the fold, hand list alone and with the list: the measurement
// the thresholds were chosen by. -candidates prints every candidate with its
// statistics, for the review.
package main

import (
	"bufio"
	"cmp"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/vocmine/vocmine/internal/corpora"
	"github.com/vocmine/vocmine/lexicon"
	"github.com/vocmine/vocmine/tagger"
)

type options struct {
	data, hand, review, dict, out string
	weight                        string
	z, z1, scale, prior           float64
	minDocs, errors               int
	validate, candidates, phrases bool
	ceiling                       bool
}

// defaults are the settings the committed list was generated with, paths
// relative to lexicon/ (where go generate runs).
func defaults() options {
	return options{
		data: "../../shared/data", hand: "general.yaml", review: "internal/gensentiment/review.tsv",
		dict: "../tagger/dict/zh_s_small.txt", out: "sentiment.tsv",
		z: 1.64, z1: 1.64, scale: 1, prior: 0.05, minDocs: 3, weight: "delta", phrases: true,
	}
}

func main() {
	d := defaults()
	var o options
	flag.StringVar(&o.data, "data", d.data, "folder of the shared corpora ($VOCMINE_BENCH_DATA wins)")
	flag.StringVar(&o.hand, "hand", d.hand, "the hand-written general lexicon")
	flag.StringVar(&o.review, "review", d.review, "the review decisions")
	flag.StringVar(&o.dict, "dict", d.dict, "gse dictionary, for parts of speech")
	flag.StringVar(&o.out, "out", d.out, "the generated list")
	flag.Float64Var(&o.z, "z", d.z, "z-score at which a word counts as significant in a corpus")
	flag.Float64Var(&o.z1, "z1", d.z1, "z-score for a word significant in one corpus only")
	flag.StringVar(&o.weight, "weight", d.weight, "weight from the log-odds (delta), the z-score (z) or both")
	flag.Float64Var(&o.scale, "scale", d.scale, "weight per unit of log-odds")
	flag.Float64Var(&o.prior, "prior", d.prior, "strength of the pooled prior, as a share of the pooled counts")
	flag.IntVar(&o.minDocs, "min", d.minDocs, "fewest reviews a word must occur in, in a corpus")
	flag.IntVar(&o.errors, "errors", 0, "with -validate: print this many misjudged reviews of each fold")
	flag.BoolVar(&o.phrases, "phrases", d.phrases, "count two-token phrases too (味道一般, 不会再)")
	flag.BoolVar(&o.validate, "validate", false, "build on the train part minus a fold, print the accuracy on the fold; write nothing")
	flag.BoolVar(&o.candidates, "candidates", false, "print every candidate with its statistics; write nothing")
	flag.BoolVar(&o.ceiling, "ceiling", false, "print the fold accuracy of the best weights of each feature set (ceiling.go); write nothing")
	flag.Parse()
	if err := run(o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "gensentiment:", err)
		os.Exit(1)
	}
}

func run(o options, stdout io.Writer) error {
	hand, err := lexicon.LoadFile(o.hand)
	if err != nil {
		return err
	}
	tg, err := tagger.New(tagger.Config{}, hand)
	if err != nil {
		return err
	}
	pos, err := partsOfSpeech(o.dict)
	if err != nil {
		return err
	}
	rev, err := readReview(o.review)
	if err != nil {
		return err
	}
	dir := corpora.Dir(o.data)
	var cs []*counts
	var builds, folds [][]corpora.Review
	for _, c := range corpora.All {
		rows, err := corpora.Read(dir, c)
		if err != nil {
			return err
		}
		train, _ := corpora.Split(rows) // the held-out part is never read
		var build, fold []corpora.Review
		for _, r := range train {
			if (o.validate || o.ceiling) && r.Row%5 == 4 {
				fold = append(fold, r)
			} else {
				build = append(build, r)
			}
		}
		builds, folds = append(builds, build), append(folds, fold)
		cs = append(cs, count(tg, hand, c.Name, build, o.phrases))
	}
	stats := logOdds(cs, o.prior)
	parts := map[string][2]string{}
	for _, c := range cs {
		for w, p := range c.phrase {
			parts[w] = p
		}
	}
	list := selectWords(o, stats, parts, hand, pos, rev)
	switch {
	case o.candidates:
		printCandidates(stdout, stats, list, hand, pos, rev)
		return nil
	case o.ceiling:
		return ceiling(stdout, hand, pos, rev, builds, folds, stats)
	case o.validate:
		return validate(stdout, hand, list, folds, o.errors, handWeights(o, stats, hand))
	}
	return writeList(o.out, append(list, handEntries(o, stats, hand)...), o)
}

// handEntries are rows for the polar words of general.yaml that the corpora
// weigh (handWeights): Builtin gives such a word the list's weight and keeps
// its hand-written polarity.
func handEntries(o options, stats map[string][]stat, hand *lexicon.Lexicon) []entry {
	hw := handWeights(o, stats, hand)
	var out []entry
	for _, l := range []struct {
		es  []lexicon.Entry
		pol int
	}{{hand.Positive, 1}, {hand.Negative, -1}} {
		for _, e := range l.es {
			if wt, ok := hw[e.Text]; ok {
				out = append(out, entry{word: e.Text, pol: l.pol, weight: wt, corpora: []string{"general.yaml"}})
			}
		}
	}
	return out
}

// counts holds, for one corpus, in how many positive and negative reviews
// each token occurs (not negated).
type counts struct {
	name     string
	pos, neg map[string]int
	// phrase holds the two tokens of each two-token phrase counted.
	phrase map[string][2]string
	npos   int // total token presences in positive reviews
	nneg   int
}

func count(tg *tagger.Tagger, hand *lexicon.Lexicon, name string, rows []corpora.Review, phrases bool) *counts {
	negators := map[string]bool{}
	for _, e := range hand.Negators {
		negators[e.Text] = true
	}
	c := &counts{name: name, pos: map[string]int{}, neg: map[string]int{}, phrase: map[string][2]string{}}
	for _, r := range rows {
		seen := map[string]bool{}
		eachToken(tg, r.Text, func(toks []string, i int) {
			tok := toks[i]
			negated := negatedAt(toks, i, negators)
			if !negated && phrases && i+1 < len(toks) && !negators[toks[i+1]] {
				c.phrase[tok+toks[i+1]] = [2]string{tok, toks[i+1]}
				seen[tok+toks[i+1]] = true
			}
			if !negated {
				seen[tok] = true
			}
		})
		m, n := c.neg, &c.nneg
		if r.Positive {
			m, n = c.pos, &c.npos
		}
		for tok := range seen {
			m[tok]++
			*n++
		}
	}
	return c
}

// eachToken calls fn for each token of text as the tagger reads it, with
// the tokens of its clause.
func eachToken(tg *tagger.Tagger, text string, fn func(toks []string, i int)) {
	res := tg.Tag(text)
	for _, cl := range res.Clauses {
		toks := res.Tokens[cl.Start:cl.End]
		for i := range toks {
			fn(toks, i)
		}
	}
}

// negatedAt reports whether a negator stands in the three tokens before
// toks[i].
func negatedAt(toks []string, i int, negators map[string]bool) bool {
	return slices.ContainsFunc(toks[max(0, i-3):i], func(t string) bool { return negators[t] })
}

// stat is a word's log-odds in one corpus.
type stat struct {
	pos, neg int
	delta, z float64
}

// logOdds computes, per word, its weighted log-odds with an informative
// Dirichlet prior in each corpus (Monroe et al. 2008, eq. 16-22): the prior
// of a word is its pooled count over all corpora times prior.
func logOdds(cs []*counts, prior float64) map[string][]stat {
	pooled := map[string]float64{}
	for _, c := range cs {
		for _, m := range []map[string]int{c.pos, c.neg} {
			for w, n := range m {
				pooled[w] += float64(n)
			}
		}
	}
	var a0 float64
	for _, n := range pooled {
		a0 += n * prior
	}
	out := map[string][]stat{}
	for w, n := range pooled {
		aw := n * prior
		st := make([]stat, len(cs))
		for i, c := range cs {
			yi, yj := float64(c.pos[w]), float64(c.neg[w])
			ni, nj := float64(c.npos), float64(c.nneg)
			d := math.Log((yi+aw)/(ni+a0-yi-aw)) - math.Log((yj+aw)/(nj+a0-yj-aw))
			st[i] = stat{pos: c.pos[w], neg: c.neg[w], delta: d, z: d / math.Sqrt(1/(yi+aw)+1/(yj+aw))}
		}
		out[w] = st
	}
	return out
}

// entry is one word of the generated list.
type entry struct {
	word    string
	pol     int // +1, -1
	weight  float64
	corpora []string // name:z of the corpora where it is significant
	reason  string   // why it is in (or, for candidates, out)
}

// names are the corpora in order, for the corpora column.
var names = func() []string {
	var out []string
	for _, c := range corpora.All {
		out = append(out, c.Name)
	}
	return out
}()

func selectWords(o options, stats map[string][]stat, parts map[string][2]string, hand *lexicon.Lexicon, pos map[string]string, rev map[string]string) []entry {
	handWords := map[string]bool{}
	for _, w := range hand.Words() {
		handWords[w] = true
	}
	for _, e := range hand.Junk {
		handWords[e.Text] = true
	}
	for _, es := range [][]lexicon.Entry{hand.Positive, hand.Negative} {
		for _, e := range es {
			cueWords[e.Text] = true
		}
	}
	for _, e := range hand.Neutral {
		neutralWords[e.Text] = true
	}
	for _, e := range hand.Negators {
		modifierWords[e.Text] = true
	}
	for _, in := range hand.Intensifiers {
		modifierWords[in.Text] = true
		if in.Weight < 1 {
			downtoners[in.Text] = true
		}
	}
	var out []entry
	// Words first, then the phrases, which must not repeat a cue.
	for _, phrases := range []bool{false, true} {
		for w, st := range stats {
			if isPhrase(w, parts, pos) != phrases {
				continue
			}
			e, ok := judge(o, w, st, parts, handWords, pos, rev)
			if ok {
				out = append(out, e)
				if !phrases {
					cueWords[w] = true
				}
			}
		}
	}
	// A modifier and a cue glued into one token (太差, 很快, 不贵) are left
	// to the tagger, which reads them as the modifier and the cue.
	cues := map[string]bool{}
	for _, es := range [][]lexicon.Entry{hand.Positive, hand.Negative, hand.Neutral} {
		for _, e := range es {
			cues[e.Text] = true
		}
	}
	for _, e := range out {
		cues[e.word] = true
	}
	modifiers := map[string]bool{}
	for _, e := range hand.Negators {
		modifiers[e.Text] = true
	}
	for _, in := range hand.Intensifiers {
		modifiers[in.Text] = true
	}
	out = slices.DeleteFunc(out, func(e entry) bool { return composed(e.word, modifiers, cues) })
	slices.SortFunc(out, func(a, b entry) int { return strings.Compare(a.word, b.word) })
	return out
}

// judge decides one word: its entry, and whether it is in the list.
func judge(o options, w string, st []stat, parts map[string][2]string, handWords map[string]bool, pos map[string]string, rev map[string]string) (entry, bool) {
	e := entry{word: w}
	var sig, against int
	var sumDelta, sumZ float64
	for i, s := range st {
		if s.pos+s.neg < o.minDocs || math.Abs(s.z) < o.z {
			continue
		}
		p := 1
		if s.z < 0 {
			p = -1
		}
		switch {
		case e.pol == 0:
			e.pol = p
		case e.pol != p:
			against++
		}
		sig++
		sumDelta += math.Abs(s.delta)
		sumZ += math.Abs(s.z)
		e.corpora = append(e.corpora, fmt.Sprintf("%s:%.1f", names[i], s.z))
	}
	if sig == 0 {
		return e, false
	}
	e.weight = weightOf(o, sumDelta/float64(sig), sumZ/float64(sig))
	switch decision := rev[w]; {
	case decision == "drop":
		e.reason = "dropped in review"
		return e, false
	case handWords[w]:
		e.reason = "in general.yaml"
		return e, false
	case against > 0:
		e.reason = "significant with both signs"
		return e, false
	case decision == "keep":
		e.reason = "kept in review"
		return e, true
	case !isChinese(w):
		e.reason = "not a Chinese word"
		return e, false
	case isPhrase(w, parts, pos):
		return judgePhrase(o, e, st, parts[w], handWords, pos)
	case utf8.RuneCountInString(w) < 2:
		e.reason = "a single character"
		return e, false
	case skipPOS[pos[w]]:
		e.reason = "part of speech " + pos[w]
		return e, false
	case nounPOS[pos[w]]:
		e.reason = "a noun (topic words are nouns: review.tsv keeps the opinion nouns)"
		return e, false
	case sig >= 2:
		e.reason = "two corpora or more"
		return e, true
	case maxAbsZ(st) >= o.z1:
		e.reason = "one corpus, strongly"
		return e, true
	}
	e.reason = "one corpus, weakly"
	return e, false
}

// isPhrase reports whether w was counted as two tokens and is no
// dictionary word (a token that is also a phrase elsewhere is judged as a
// word).
func isPhrase(w string, parts map[string][2]string, pos map[string]string) bool {
	_, ok := parts[w]
	_, word := pos[w]
	return ok && !word
}

// judgePhrase decides a two-token phrase. Two shapes only, the ones whose
// opinion the parts do not carry: a negator or an intensifier of
// general.yaml before a word that is no cue (没味道, 不隔音, 太厚, 太少), and
// a topic noun before a neutral word of general.yaml (味道一般, 服务还可以).
// It is kept when it is significant in two corpora (or strongly in one).
// Phrases are reviewed as words are.
func judgePhrase(o options, e entry, st []stat, p [2]string, handWords map[string]bool, pos map[string]string) (entry, bool) {
	first, second := p[0], p[1]
	switch {
	case cueWords[second] || cueWords[first]:
		e.reason = "phrase holding a cue"
		return e, false
	case skipPOS[pos[second]] || !isChinese(second):
		e.reason = "phrase ending in a name, number or function word"
		return e, false
	case downtoners[first] && e.pol > 0:
		// 有点腻, 有点小: a mild complaint, frequent in positive reviews
		// that carry one, but a complaint.
		e.reason = "a downtoned phrase, positive only by the reviews it sits in"
		return e, false
	case modifierWords[first] && !modifierWords[second]:
	case neutralWords[second] && nounPOS[pos[first]] && pos[first] != "":
	default:
		e.reason = "phrase of another shape"
		return e, false
	}
	if utf8.RuneCountInString(e.word) > 5 {
		e.reason = "phrase longer than five characters"
		return e, false
	}
	var sig int
	for _, s := range st {
		if s.pos+s.neg >= o.minDocs && math.Abs(s.z) >= o.z {
			sig++
		}
	}
	if sig >= 2 || maxAbsZ(st) >= o.z1 {
		e.reason = "phrase"
		return e, true
	}
	e.reason = "phrase, weakly"
	return e, false
}

// cueWords are the polar sentiment words of general.yaml and of the list as
// words (set by selectWords before phrases are judged); modifierWords its
// negators and intensifiers, neutralWords its neutral words.
var cueWords, modifierWords, neutralWords = map[string]bool{}, map[string]bool{}, map[string]bool{}

// downtoners are the intensifiers of general.yaml weighing under 1 (有点, 稍微).
var downtoners = map[string]bool{}

// weightOf turns a word's mean log-odds and mean |z| over the corpora where
// it is significant into its weight, clamped to 0.3..2: by -weight, the
// log-odds times -scale ("delta"), |z| / 4 times -scale ("z"), or their
// geometric mean ("both").
func weightOf(o options, delta, z float64) float64 {
	w := o.scale * delta
	switch o.weight {
	case "z":
		w = o.scale * z / 4
	case "both":
		w = o.scale * math.Sqrt(delta*z/4)
	}
	return min(2, max(0.3, math.Round(100*w)/100))
}

// composed reports whether w is one or more modifiers followed by a cue.
func composed(w string, modifiers, cues map[string]bool) bool {
	for i := range w {
		if i > 0 && modifiers[w[:i]] && (cues[w[i:]] || composed(w[i:], modifiers, cues)) {
			return true
		}
	}
	return false
}

// skipPOS are gse's parts of speech that are never opinions: names of people,
// places, organisations and other proper nouns, numerals and measure words,
// times, places, directions, pronouns, prepositions, conjunctions,
// particles, interjections, onomatopoeia and non-words.
var skipPOS = map[string]bool{
	"nr": true, "nrt": true, "nrfg": true, "ns": true, "nt": true,
	"m": true, "mq": true, "q": true, "t": true, "tg": true, "s": true, "f": true,
	"r": true, "p": true, "c": true, "u": true, "e": true, "y": true, "o": true, "x": true,
}

// nounPOS are the common nouns: topic words are nouns, so a noun needs two
// corpora to agree.
var nounPOS = map[string]bool{"n": true, "ng": true, "vn": true, "nz": true, "j": true, "": true}

func maxAbsZ(st []stat) float64 {
	var m float64
	for _, s := range st {
		m = max(m, math.Abs(s.z))
	}
	return m
}

func isChinese(w string) bool {
	for _, r := range w {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return true
}

// partsOfSpeech reads a gse dictionary's "word freq pos" lines.
func partsOfSpeech(path string) (map[string]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for line := range strings.Lines(string(data)) {
		f := strings.Fields(line)
		if len(f) >= 3 {
			out[f[0]] = f[2]
		}
	}
	return out, nil
}

// readReview reads review.tsv: "word<TAB>drop|keep<TAB>why" lines, # comments.
func readReview(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Split(line, "\t")
		if len(fields) < 2 || fields[1] != "drop" && fields[1] != "keep" {
			return nil, fmt.Errorf("%s:%d: want word<TAB>drop|keep<TAB>why, got %q", path, n, line)
		}
		w := lexicon.Normalize(fields[0])
		if _, dup := out[w]; dup {
			return nil, fmt.Errorf("%s:%d: %q reviewed twice", path, n, w)
		}
		out[w] = fields[1]
	}
	return out, sc.Err()
}

func writeList(path string, list []entry, o options) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# Generated by lexicon/internal/gensentiment (go generate ./lexicon): do not edit; change\n")
	fmt.Fprintf(&b, "# review.tsv or the generator instead. Train parts of the shared corpora only. Settings:\n")
	fmt.Fprintf(&b, "# -z %g -z1 %g -scale %g -prior %g -min %d. Columns: word, polarity, weight, and the\n", o.z, o.z1, o.scale, o.prior, o.minDocs)
	fmt.Fprintf(&b, "# corpora where the word is significant with its z-score (positive: more in positive reviews).\n")
	b.WriteString("word\tpolarity\tweight\tcorpora\n")
	for _, e := range list {
		fmt.Fprintf(&b, "%s\t%s\t%s\t%s\n", e.word, polName(e.pol), strconv.FormatFloat(e.weight, 'f', -1, 64), strings.Join(e.corpora, ","))
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

func polName(p int) string {
	if p > 0 {
		return "positive"
	}
	return "negative"
}

// handWeights gives the polar words of general.yaml the weight the corpora
// give them where they agree with its polarity (mean log-odds over the
// corpora where the word is significant with that sign, clamped as the
// list's weights are).
func handWeights(o options, stats map[string][]stat, hand *lexicon.Lexicon) map[string]float64 {
	out := map[string]float64{}
	for _, l := range []struct {
		es  []lexicon.Entry
		pol float64
	}{{hand.Positive, 1}, {hand.Negative, -1}} {
		for _, e := range l.es {
			var sum, sumZ float64
			var n int
			for _, s := range stats[e.Text] {
				if s.pos+s.neg >= o.minDocs && s.z*l.pol >= o.z {
					sum += math.Abs(s.delta)
					sumZ += math.Abs(s.z)
					n++
				}
			}
			if n > 0 {
				out[e.Text] = weightOf(o, sum/float64(n), sumZ/float64(n))
			}
		}
	}
	return out
}

// reweigh returns l with the weights of hw on its polar words.
func reweigh(l *lexicon.Lexicon, hw map[string]float64) *lexicon.Lexicon {
	out := *l
	for _, es := range []*[]lexicon.Entry{&out.Positive, &out.Negative} {
		c := slices.Clone(*es)
		for i := range c {
			if wt, ok := hw[c[i].Text]; ok && c[i].Weight == 0 {
				c[i].Weight = wt
			}
		}
		*es = c
	}
	return &out
}

// asLexicon is the hand list with the generated words under it, as
// lexicon.Builtin merges them.
func asLexicon(hand *lexicon.Lexicon, list []entry) *lexicon.Lexicon {
	gen := &lexicon.Lexicon{}
	for _, e := range list {
		en := lexicon.Entry{Text: e.word, Weight: e.weight}
		if e.pol > 0 {
			gen.Positive = append(gen.Positive, en)
		} else {
			gen.Negative = append(gen.Negative, en)
		}
	}
	return lexicon.Merge(gen, hand)
}

func validate(w io.Writer, hand *lexicon.Lexicon, list []entry, folds [][]corpora.Review, nerr int, hw map[string]float64) error {
	var npos, nneg int
	for _, e := range list {
		if e.pol > 0 {
			npos++
		} else {
			nneg++
		}
	}
	fmt.Fprintf(w, "list: %d words (%d positive, %d negative)\n", len(list), npos, nneg)
	for _, l := range []struct {
		name string
		lex  *lexicon.Lexicon
	}{{"hand", hand}, {"hand+list", asLexicon(hand, list)}, {"+handwt", reweigh(asLexicon(hand, list), hw)}} {
		tg, err := tagger.New(tagger.Config{}, l.lex)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "%-10s", l.name)
		var bad []string
		for i, fold := range folds {
			var right, undecided int
			nbad := 0
			for _, r := range fold {
				res := tg.Tag(r.Text)
				switch s := res.Sentiment; {
				case s == tagger.Neutral:
					undecided++
				case (s == tagger.Positive) == r.Positive:
					right++
					continue
				}
				if nbad < nerr && l.name != "hand" {
					nbad++
					bad = append(bad, fmt.Sprintf("%s positive=%v score=%.2f %s", names[i], r.Positive, res.Score, r.Text))
				}
			}
			fmt.Fprintf(w, "  %s %.3f (undecided %.3f)", names[i], float64(right)/float64(len(fold)), float64(undecided)/float64(len(fold)))
		}
		fmt.Fprintln(w)
		for _, b := range bad {
			fmt.Fprintln(w, b)
		}
		if l.name != "hand" {
			prototypes(w, tg, l.lex, folds)
		}
	}
	return nil
}

// clauseScore is a rough recount of a clause's cues: each cue token's
// weight, flipped by a negator in the three tokens before it.
func clauseScore(toks []string, cue map[string]float64, neg map[string]bool) float64 {
	var sum float64
	for k, t := range toks {
		if cue[t] == 0 {
			continue
		}
		wt := cue[t]
		for j := max(0, k-3); j < k; j++ {
			if neg[toks[j]] {
				wt = -wt
			}
		}
		sum += wt
	}
	return sum
}

// prototypes measures, on the folds, engine changes the tagger does not
// make, by correcting Result.Score from its tokens: a measurement for the
// engine's owner, not a behaviour of vocmine.
//   - weak: the neutral words that the corpora find polar count ±0.5
//     (一般, 凑合 ... negative; 还可以, 还行 ... positive), where the tagger
//     gives neutral words no weight;
//   - ends: the first and the last clause of a review of three clauses or
//     more count twice (the summary: 总的来说还是不错的);
//   - hao: 好 right before a cue is an intensifier (好慢, 好难吃: 1.5x the
//     cue), where the tagger counts it as a positive cue of its own.
func prototypes(w io.Writer, tg *tagger.Tagger, lex *lexicon.Lexicon, folds [][]corpora.Review) {
	weak := map[string]float64{}
	for _, t := range []string{"一般", "一般般", "凑合", "马马虎虎", "平平", "有待提高", "有待改进", "将就", "凑合着用", "还凑合", "普通", "正常"} {
		weak[t] = -0.5
	}
	for _, t := range []string{"还可以", "还行", "可以", "还好", "尚可", "过得去", "说得过去"} {
		weak[t] = 0.5
	}
	cue := map[string]float64{}
	for _, e := range lex.Positive {
		cue[e.Text] = cmp.Or(e.Weight, 1)
	}
	for _, e := range lex.Negative {
		cue[e.Text] = -cmp.Or(e.Weight, 1)
	}
	neg := map[string]bool{}
	for _, e := range lex.Negators {
		neg[e.Text] = true
	}
	for _, v := range []struct {
		name            string
		weak, hao, ends bool
	}{{"+weak", true, false, false}, {"+hao", false, true, false}, {"+ends", false, false, true}, {"+all", true, true, true}} {
		fmt.Fprintf(w, "%-10s", v.name)
		for i, fold := range folds {
			right := 0
			for _, r := range fold {
				res := tg.Tag(r.Text)
				score := res.Score
				for ci, cl := range res.Clauses {
					if v.ends && len(res.Clauses) > 2 && (ci == 0 || ci == len(res.Clauses)-1) {
						// The opening and the closing clause weigh twice: a
						// correction by their own cues, recounted here.
						score += clauseScore(res.Tokens[cl.Start:cl.End], cue, neg) * cl.Weight
					}
					toks := res.Tokens[cl.Start:cl.End]
					for k, t := range toks {
						negated := false
						for j := max(0, k-3); j < k; j++ {
							negated = negated || neg[toks[j]]
						}
						if v.weak && weak[t] != 0 && !negated {
							score += weak[t] * cl.Weight
						}
						if v.hao && t == "好" && k+1 < len(toks) && cue[toks[k+1]] != 0 && !negated {
							score += (-1 + 0.5*cue[toks[k+1]]) * cl.Weight
						}
					}
				}
				if score != 0 && (score > 0) == r.Positive {
					right++
				}
			}
			fmt.Fprintf(w, "  %s %.3f", names[i], float64(right)/float64(len(fold)))
		}
		fmt.Fprintln(w)
	}
}

func printCandidates(w io.Writer, stats map[string][]stat, list []entry, hand *lexicon.Lexicon, pos map[string]string, rev map[string]string) {
	in := map[string]bool{}
	for _, e := range list {
		in[e.word] = true
	}
	type row struct {
		w string
		z float64
	}
	var rows []row
	for word, st := range stats {
		rows = append(rows, row{word, maxAbsZ(st)})
	}
	slices.SortFunc(rows, func(a, b row) int { return cmp.Or(cmp.Compare(b.z, a.z), strings.Compare(a.w, b.w)) })
	for _, r := range rows {
		if r.z < 1.96 {
			break
		}
		st := stats[r.w]
		mark := "-"
		if in[r.w] {
			mark = "+"
		}
		fmt.Fprintf(w, "%s %s\t%s", mark, r.w, pos[r.w])
		for i, s := range st {
			fmt.Fprintf(w, "\t%s %d/%d z=%.1f", names[i], s.pos, s.neg, s.z)
		}
		fmt.Fprintln(w)
	}

}
