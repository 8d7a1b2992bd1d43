// Package tagger assigns lexicon dimensions with a polarity to the free-text
// reasons of a survey, and keeps the evidence for every tag.
//
// A Tagger is built once (New loads gse's dictionary, a second or less) and is
// then safe to share between goroutines: Tag only reads it. See
// docs/LEXICON.md for the rules Tag follows.
package tagger

import (
	"cmp"
	"errors"
	"fmt"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-ego/gse"

	"github.com/vocmine/vocmine/lexicon"
)

// Polarity is the direction of a tag or of a reason's overall sentiment.
type Polarity int8

// The three polarities. Neutral means named with no net sentiment.
const (
	Negative Polarity = -1
	Neutral  Polarity = 0
	Positive Polarity = 1
)

// MarshalText writes the polarity's name in JSON ("positive").
func (p Polarity) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

func (p Polarity) String() string {
	switch {
	case p > 0:
		return "positive"
	case p < 0:
		return "negative"
	}
	return "neutral"
}

// Codes are the numbers written for each (reason, dimension): the classic NPS
// coding is positive 3, not mentioned 2, negative 1, with neutral mentions 2.
type Codes struct {
	Positive int `mapstructure:"positive"`
	Neutral  int `mapstructure:"neutral"`
	Negative int `mapstructure:"negative"`
	Absent   int `mapstructure:"absent"`
}

// DefaultCodes is the classic scheme.
var DefaultCodes = Codes{Positive: 3, Neutral: 2, Negative: 1, Absent: 2}

// Code returns the code of a mentioned dimension with polarity p.
func (c Codes) Code(p Polarity) int {
	switch p {
	case Positive:
		return c.Positive
	case Negative:
		return c.Negative
	}
	return c.Neutral
}

// Config tunes tagging. The zero value of a field means its default.
type Config struct {
	// ContrastWeight multiplies the cues of clauses that follow a contrast word
	// ("但是"), up to the end of the sentence. Default 2.
	ContrastWeight float64 `mapstructure:"contrast_weight"`
	// NegationWindow is how many units before a cue are searched for negators
	// and intensifiers. Default 3.
	NegationWindow int `mapstructure:"negation_window"`
	// Dictionary is the segmentation dictionary: "zh_s_small" (the default:
	// gse's simplified-Chinese dictionary without the words seen fewer than
	// four times, see dict.go), "zh_s" (gse's whole simplified-Chinese
	// dictionary) or "zh" (simplified and traditional).
	Dictionary string `mapstructure:"dictionary"`
	// Mode is gse's segmentation mode: "segment" (the default, shortest path;
	// the same tokens as gse's default Cut) or "dag" (Cut(s, false)). See
	// docs/BENCHMARKS.md for the measured choice.
	Mode string `mapstructure:"mode"`
	// Passing is what a dimension named in passing gets: one only named,
	// with no cue of its own, inherited from its clause or from the next
	// one, in a reason of PassingClauses clauses or more (default 3: long
	// reviews, not short reasons). "review" (the default): the reason's
	// overall polarity, since a reviewer brings up what they judge;
	// "neutral": neutral, as in shorter reasons; "drop": no tag
	// (Result.Passing lists it).
	Passing        string `mapstructure:"passing"`
	PassingClauses int    `mapstructure:"passing_clauses"`
	// MixedSentiment, when above 0, makes a reason's overall sentiment
	// neutral when its positive and negative cues pull both ways, the weaker
	// side at least this share of the stronger: for surveys whose verdicts
	// have a middle ("mixed") class. 0 (the default): the sign of the sum.
	MixedSentiment float64 `mapstructure:"mixed_sentiment"`
	Codes          Codes   `mapstructure:"codes"`
	// SkipEvidence leaves Tag.Evidence empty (the main evidence fields of
	// each Tag are still set): for batch jobs that write one row per tag and
	// would only throw the list away.
	SkipEvidence bool `mapstructure:"-"`
}

func (c Config) withDefaults() Config {
	if c.ContrastWeight == 0 {
		c.ContrastWeight = 2
	}
	if c.NegationWindow == 0 {
		c.NegationWindow = 3
	}
	if c.Dictionary == "" {
		c.Dictionary = "zh_s_small"
	}
	if c.Mode == "" {
		c.Mode = "segment"
	}
	if c.Passing == "" {
		c.Passing = PassingReview
	}
	if c.PassingClauses == 0 {
		c.PassingClauses = 3
	}
	if c.Codes == (Codes{}) {
		c.Codes = DefaultCodes
	}
	return c
}

// The values of Config.Passing.
const (
	PassingReview  = "review"
	PassingNeutral = "neutral"
	PassingDrop    = "drop"
)

// ErrConfig means a tagger setting is out of range; the message says which.
var ErrConfig = errors.New("invalid tagger config")

// Dimension is a lexicon dimension as the tagger reports it.
type Dimension struct {
	Name  string // full name, "网络/信号"
	Top   string // "网络"
	Level int    // 1 for a top-level name, 2 for "a/b" ...
}

// userFreq is the dictionary frequency given to lexicon words added to gse, so
// that the shortest-path segmentation keeps them whole: about the frequency of
// a common everyday word in gse's dictionary (信号 2402, 态度 5033).
const userFreq = 5000

// fillers are particles that may trail a sentiment word glued into one token
// ("慢了", "好的"); see splitGlued.
var fillers = []string{"了", "的", "啊", "呀", "吧", "呢", "啦", "哦", "哈", "嘛", "得", "么"}

// Tagger tags reasons. Build it with New; it is read-only afterwards.
type Tagger struct {
	cfg  Config
	seg  *gse.Segmenter
	sp   *shortestPath // gse's Segment without its allocations
	dims []Dimension
	// words indexes every lexicon word by its normalized text.
	words        map[string]*word
	maxWordBytes int
	// firstRunes is a bit set of the first runes (below U+10000) of every
	// lexicon word: most tokens start no word and skip the map.
	firstRunes [1 << 16 / 64]uint64
	// rules are the dimensions' rules (lexicon.Rule), in lexicon order.
	rules      []dimRule
	nRuleWords int // distinct words and phrases of the rules (ruleWords)
	// excludes[d] are the words that keep dimension d out of a clause.
	excludes [][]string
	// mixed[d] is dimension d's lexicon.Dimension.Mixed.
	mixed []float64
	junk  map[string]bool
	// maxJunkBytes bounds the reasons worth a junk test before segmenting;
	// longer ones are tested only when they hold no token.
	maxJunkBytes int
}

// word is everything the lexicon says of one string.
type word struct {
	text      string
	terms     []int    // dimensions this word names
	cue       bool     // a sentiment cue: a sentiment word or a polarity-carrying term
	polarity  Polarity // of the cue
	weight    float64  // of the cue: lexicon.Entry.Weight, 1 when unset
	negator   bool
	intensity float64 // > 0 for an intensifier
	lean      float64 // a neutral cue's pull on the overall sentiment (lexicon.Lexicon.Leans)
	contrast  bool
	filler    bool
	// prefixOnly marks an entry that is no word, only the start of longer
	// ones, so that matching can stop extending a run of tokens early.
	prefixOnly bool
}

// New builds a Tagger for lex: it loads gse's embedded dictionary with every
// lexicon word added, and indexes the lexicon.
func New(cfg Config, lex *lexicon.Lexicon) (*Tagger, error) {
	cfg = cfg.withDefaults()
	if cfg.MixedSentiment < 0 || cfg.MixedSentiment > 1 {
		return nil, fmt.Errorf("%w: mixed_sentiment %g: want a share between 0 and 1", ErrConfig, cfg.MixedSentiment)
	}
	if cfg.ContrastWeight < 0 || cfg.NegationWindow < 0 {
		return nil, fmt.Errorf("%w: contrast_weight and negation_window must not be negative", ErrConfig)
	}
	if cfg.Mode != "segment" && cfg.Mode != "dag" {
		return nil, fmt.Errorf("%w: mode %q: want segment or dag", ErrConfig, cfg.Mode)
	}
	if cfg.Passing != PassingReview && cfg.Passing != PassingNeutral && cfg.Passing != PassingDrop {
		return nil, fmt.Errorf("%w: passing %q: want review, neutral or drop", ErrConfig, cfg.Passing)
	}
	if err := checkDictionary(cfg.Dictionary); err != nil {
		return nil, err
	}
	t := &Tagger{cfg: cfg, words: map[string]*word{}, junk: map[string]bool{}}
	t.index(lex)
	seg, err := newSegmenter(cfg.Dictionary, lex.Words())
	if err != nil {
		return nil, err
	}
	t.seg = seg
	t.sp = newShortestPath(seg.Dict)
	if cfg.Mode == "dag" {
		gseCosts(seg, cfg.Dictionary) // gse's Cut reads them
	}
	return t, nil
}

// NewSegmenter returns a gse segmenter loaded as New loads the Tagger's (the
// configured dictionary, lex's words added) with gse's own path lengths
// computed, for benchmarks and tests that compare tagging with gse's
// segmentation alone. It shares nothing with any Tagger: a Tagger's segmenter
// is never handed out, so that nothing can change it after New.
func NewSegmenter(cfg Config, lex *lexicon.Lexicon) (*gse.Segmenter, error) {
	dict := cfg.withDefaults().Dictionary
	if err := checkDictionary(dict); err != nil {
		return nil, err // gse would load an unknown name as dictionary text
	}
	seg, err := newSegmenter(dict, lex.Words())
	if err != nil {
		return nil, err
	}
	gseCosts(seg, dict)
	return seg, nil
}

func checkDictionary(dict string) error {
	if !slices.Contains(Dictionaries, dict) {
		return fmt.Errorf("%w: dictionary %q: want one of %s", ErrConfig, dict, strings.Join(Dictionaries, ", "))
	}
	return nil
}

// gseCosts computes gse's own path lengths where loading skipped them
// (zh_s_small: addDictWords). gse's Segment and Cut read them; tagging in
// "segment" mode does not (shortestPath).
func gseCosts(seg *gse.Segmenter, dict string) {
	if dict == "zh_s_small" {
		seg.CalcToken()
	}
}

// newSegmenter loads gse with the user words added first, so that the
// dictionary's costs are computed once (gse's LoadDictStr ends with one
// CalcToken) instead of a second time after AddToken. A word added first also
// keeps its frequency when the dictionary lists it again.
func newSegmenter(dict string, userWords []string) (*gse.Segmenter, error) {
	// Loading allocates ~350k long-lived tokens: collections in the middle
	// find little to free. A higher GOGC while loading measured ~10% faster
	// start-up for ~45 MB more peak memory (off entirely: ~140 MB more).
	// A collector already off (a memory budget, cmd/vocmine) stays off.
	if old := debug.SetGCPercent(400); old < 0 {
		debug.SetGCPercent(old)
	} else {
		defer debug.SetGCPercent(old)
	}
	seg := &gse.Segmenter{NotLoadHMM: true, SkipLog: true}
	seg.Dict = gse.NewDict()
	seg.Init()
	for _, w := range userWords {
		// A single character needs no help to stay whole, and a high
		// frequency on it would pull it out of longer words.
		if utf8.RuneCountInString(w) < 2 {
			continue
		}
		if err := seg.AddToken(w, userFreq); err != nil {
			return nil, fmt.Errorf("adding lexicon word %q to the segmenter: %w", w, err)
		}
	}
	if dict == "zh_s_small" {
		return seg, addDictWords(seg, smallDict)
	}
	if err := seg.LoadDictEmbed(dict); err != nil {
		return nil, fmt.Errorf("loading gse dictionary %s: %w", dict, err)
	}
	return seg, nil
}

// addDictWords adds the words of a gse dictionary text ("word freq [pos]"
// lines) as gse's LoadDictStr does, frequencies and all, but without its
// closing CalcToken: that pass computes gse's own path lengths and, for
// every word, its search-mode sub-segments, which tagging never reads
// (shortestPath computes path lengths from the frequencies). It was a third
// of start-up. gseCosts runs it for gse's own segmentation.
func addDictWords(seg *gse.Segmenter, dict string) error {
	for line := range strings.Lines(dict) {
		fields := strings.Split(strings.TrimRight(line, "\r\n"), " ")
		if len(fields) < 2 {
			continue
		}
		text := strings.TrimSpace(fields[0])
		freq, err := strconv.ParseFloat(strings.TrimSpace(fields[1]), 64)
		if err != nil || freq < seg.MinTokenFreq {
			continue
		}
		if utf8.RuneCountInString(text) < 2 {
			freq = 2 // as gse: single characters weigh little
		}
		pos := ""
		if len(fields) > 2 {
			pos = strings.TrimSpace(fields[2])
		}
		if err := seg.AddToken(text, freq, pos); err != nil {
			return fmt.Errorf("loading the segmentation dictionary: %q: %w", text, err)
		}
	}
	return nil
}

func (t *Tagger) index(lex *lexicon.Lexicon) {
	get := func(s string) *word {
		w := t.words[s]
		if w == nil {
			w = &word{text: s}
			t.words[s] = w
			t.maxWordBytes = max(t.maxWordBytes, len(s))
		}
		return w
	}
	cues := func(es []lexicon.Entry, p Polarity) {
		for _, e := range es {
			w := get(e.Text)
			w.cue, w.polarity, w.weight = true, p, cmp.Or(e.Weight, 1)
		}
	}
	// Sentiment words first, so that a polarity-carrying term's own polarity wins.
	cues(lex.Neutral, Neutral)
	cues(lex.Positive, Positive)
	cues(lex.Negative, Negative)
	rw := ruleWords{}
	for i, d := range lex.Dimensions {
		t.dims = append(t.dims, Dimension{Name: d.Name, Top: d.Top(), Level: d.Level()})
		t.mixed = append(t.mixed, d.Mixed)
		for _, r := range d.Rules {
			t.rules = append(t.rules, dimRule{dim: i, src: r.Source, node: rw.compile(r.Root)})
		}
		for _, e := range d.Terms {
			w := get(e.Text)
			w.terms = append(w.terms, i)
		}
		for _, list := range []struct {
			es []lexicon.Entry
			p  Polarity
		}{{d.PositiveTerms, Positive}, {d.NegativeTerms, Negative}} {
			for _, e := range list.es {
				w := get(e.Text)
				w.terms = append(w.terms, i)
				w.cue, w.polarity, w.weight = true, list.p, 1
			}
		}
		var ex []string
		for _, e := range d.Exclude {
			ex = append(ex, e.Text)
		}
		t.excludes = append(t.excludes, ex)
	}
	t.nRuleWords = len(rw)
	for _, e := range lex.Negators {
		get(e.Text).negator = true
	}
	for _, in := range lex.Intensifiers {
		get(in.Text).intensity = in.Weight
	}
	for _, l := range lex.Leans {
		if w := t.words[l.Text]; w != nil && w.cue && w.polarity == Neutral {
			w.lean = l.Weight // only a neutral cue leans
		}
	}
	for _, e := range lex.Contrast {
		get(e.Text).contrast = true
	}
	for _, f := range fillers {
		if t.words[f] == nil {
			get(f).filler = true
		}
	}
	for _, e := range lex.Junk {
		t.junk[e.Text] = true
		t.maxJunkBytes = max(t.maxJunkBytes, len(e.Text)+6) // room for "。" and spaces
	}
	// A sentiment phrase that opens with a dimension's term (味道一般, 环境还可以,
	// from the built-in vocabulary) names that dimension too, as a polarity
	// term would: matched whole, it would otherwise hide the term.
	for text, w := range t.words {
		if !w.cue || len(w.terms) > 0 {
			continue
		}
		for i := len(text) - 1; i > 0; i-- {
			if p := t.words[text[:i]]; utf8.RuneStart(text[i]) && p != nil && len(p.terms) > 0 {
				w.terms = slices.Clone(p.terms)
				break
			}
		}
	}
	for text, w := range t.words {
		if w.prefixOnly {
			continue // added by this loop: its prefixes are its word's (a word's prefixes would be visited again and again)
		}
		if r, _ := utf8.DecodeRuneInString(text); r < 1<<16 {
			t.firstRunes[r>>6] |= 1 << (r & 63)
		}
		for i := range text {
			if p := text[:i]; i > 0 && t.words[p] == nil {
				t.words[p] = &word{text: p, prefixOnly: true}
			}
		}
	}
}

// Dimensions lists the lexicon's dimensions in lexicon order; Tag.Dim indexes it.
func (t *Tagger) Dimensions() []Dimension { return t.dims }

// Codes returns the codes in force.
func (t *Tagger) Codes() Codes { return t.cfg.Codes }

// IsLexiconWord reports whether s (normalized) is a word of the lexicon: a
// term, a cue, a negator, an intensifier or a contrast word.
func (t *Tagger) IsLexiconWord(s string) bool {
	w := t.words[s]
	return w != nil && !w.prefixOnly
}
