package tagger

import (
	"math"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/vocmine/vocmine/lexicon"
)

// Result is what Tag found in one reason.
type Result struct {
	Text    string   `json:"text"`   // the reason, normalized (lexicon.Normalize)
	Tokens  []string `json:"tokens"` // gse's tokens, without spaces and punctuation
	Clauses []Clause `json:"clauses"`
	// Tags holds one tag per dimension the reason mentions, in lexicon order.
	Tags []Tag `json:"tags"`
	// Sentiment is the overall polarity of the reason: the sign of Score, the
	// sum of every weighted cue, whether or not it is near a dimension.
	Sentiment Polarity `json:"sentiment"`
	Score     float64  `json:"score"`
	// Mixed marks a reason made neutral because its cues pull both ways
	// (Config.MixedSentiment); Score still holds their sum.
	Mixed bool `json:"mixed,omitempty"`
	// Cues lists every cue of the reason, near a dimension or not, whose
	// weights sum to Score (empty with Config.SkipEvidence).
	Cues []Cue `json:"cues,omitempty"`
	// Passing lists the dimensions named in passing (Config.Passing) that
	// "drop" left untagged.
	Passing []string `json:"passing,omitempty"`
	Junk    bool     `json:"junk"`  // the whole reason is a junk answer ("无") or only punctuation
	Empty   bool     `json:"empty"` // the reason is blank
}

// Clause is a stretch of a reason between punctuation or contrast words.
type Clause struct {
	Text  string `json:"text"`
	Start int    `json:"start"` // token range in Result.Tokens, End exclusive
	End   int    `json:"end"`
	// Weight multiplies the clause's cues: Config.ContrastWeight after a
	// contrast word, up to the end of the sentence, 1 elsewhere.
	Weight float64 `json:"weight"`
}

// Tag is one dimension mentioned by a reason.
type Tag struct {
	Dim       int      `json:"-"`         // index into Tagger.Dimensions
	Dimension string   `json:"dimension"` // full name, "网络/信号"
	Top       string   `json:"top"`       // top level, "网络"
	Polarity  Polarity `json:"polarity"`
	Code      int      `json:"code"`  // Codes.Code(Polarity)
	Score     float64  `json:"score"` // the sum of the weights of the cues counted for it
	// Mixed marks a tag made neutral because its opinions pull both ways
	// (lexicon.Dimension.Mixed); Score still holds their sum.
	Mixed bool `json:"mixed,omitempty"`
	// The main evidence, for one-row-per-tag tables: the first term that
	// named the dimension, and the strongest cue in the direction of Polarity
	// (empty when none), whether a negator flipped it, and its clause.
	Term    string `json:"term"`
	Cue     string `json:"cue"`
	Negated bool   `json:"negated"`
	Clause  int    `json:"clause"`
	// Evidence lists every term hit and every cue counted for the dimension.
	Evidence []Evidence `json:"evidence,omitempty"`
}

// Cue is one sentiment cue of a reason, with its signed weight (polarity x
// weight x intensifiers x negation x clause weight).
type Cue struct {
	Clause int     `json:"clause"`
	Cue    string  `json:"cue"`
	Weight float64 `json:"weight"`
}

// Evidence is one reason for a tag: a term naming the dimension (Cue empty),
// or a cue counted for it, with the term it attached to.
type Evidence struct {
	Clause       int      `json:"clause"`
	Term         string   `json:"term"`
	Cue          string   `json:"cue"`
	CuePolarity  Polarity `json:"cue_polarity"` // the cue's own polarity, before negation
	Negators     []string `json:"negators"`     // negators found before the cue, nearest first
	Intensifiers []string `json:"intensifiers"`
	Negated      bool     `json:"negated"` // an odd number of negators flipped the cue
	Weight       float64  `json:"weight"`  // signed: polarity x intensifiers x negation x clause weight
	// Inherited marks a dimension named in a clause without a cue of its own,
	// taking the polarity the clause's cues agree on ("客服态度冷淡").
	Inherited bool `json:"inherited"`
	// Rule is the rule that named the dimension, for a term hit by a rule.
	Rule string `json:"rule,omitempty"`
	// From is where an inherited cue came from when it is not the term's
	// own clause: the next clause, which names no dimension (服务员，很热情),
	// or -1 for the whole reason (Config.Passing "review").
	From int `json:"from,omitempty"`
}

// unit is a lexicon word found in the text, or a plain token (w nil).
type unit struct {
	tok  int // index into Result.Tokens
	text string
	w    *word
}

type span struct{ start, end int } // byte range of a token in Result.Text

// maxSpanTokens is how many gse tokens a lexicon word may be rebuilt from.
const maxSpanTokens = 4

type run struct {
	from, to    int // token range
	sentenceEnd bool
}

// scratch holds Tag's working slices, reused through a pool: at a few
// hundred thousand reasons a second, allocations cost more than tagging.
type scratch struct {
	seg   segBuffers
	raw   []span // gse's tokens, spaces and punctuation included
	spans []span
	runs  []run
	units []unit
	cls   []clauseSpan
	hits  []hit
	acc   []acc
	ev    []evidence
	info  []clauseInfo
	bare  []bareHit
	cues  []Cue
	memo  []ruleMemo
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// Tag tags one reason. It never fails: empty and junk reasons come back
// flagged, without tags. Tag is safe for concurrent use.
func (t *Tagger) Tag(text string) Result {
	norm := lexicon.Normalize(text)
	res := Result{Text: norm}
	if isSpace(norm) {
		res.Empty = true
		return res
	}
	if len(norm) <= t.maxJunkBytes && t.isJunk(norm) {
		res.Junk = true
		return res
	}

	sc := scratchPool.Get().(*scratch)
	defer scratchPool.Put(sc)

	// Tokens, and the runs of tokens between punctuation.
	sc.raw = t.tokenize(norm, sc)
	spans, runs := sc.spans[:0], sc.runs[:0]
	res.Tokens = make([]string, 0, len(sc.raw))
	from := 0
	for i, s := range sc.raw {
		tok := norm[s.start:s.end]
		space := isSpace(tok)
		switch {
		case space && !spaceBreaks(norm, sc.raw, i):
			continue
		case space || isPunct(tok):
			runs = append(runs, run{from, len(spans), strings.ContainsAny(tok, "。！？!?\n")})
			from = len(spans)
			continue
		}
		spans = append(spans, s)
		res.Tokens = append(res.Tokens, tok)
	}
	runs = append(runs, run{from, len(spans), true})
	sc.spans, sc.runs = spans, runs
	if len(spans) == 0 || len(norm) > t.maxJunkBytes && t.isJunk(norm) {
		// Only punctuation, or a long junk answer with padding.
		return Result{Text: norm, Junk: true}
	}
	res.Clauses = make([]Clause, 0, len(runs))

	// The clauses: runs cut again at contrast words, which weigh up to the
	// sentence end.
	units, cls := sc.units[:0], sc.cls[:0]
	contrast := false
	for _, r := range runs {
		if r.from == r.to { // punctuation after punctuation ("……", "！！"), or at the end
			if r.sentenceEnd && len(cls) > 0 {
				cls[len(cls)-1].sentenceEnd, contrast = true, false
			}
			continue
		}
		base := len(units)
		units = t.match(norm, spans, r.from, r.to, units)
		start, startTok, opens := base, r.from, false
		for i := base; i < len(units); i++ {
			if u := units[i]; u.w != nil && u.w.contrast {
				if i > start { // a run that starts with the contrast word has nothing before it
					cls = append(cls, clauseSpan{start, i, startTok, u.tok, contrast, opens, false})
				}
				start, startTok, contrast, opens = i, u.tok, true, true
			}
		}
		if start < len(units) {
			cls = append(cls, clauseSpan{start, len(units), startTok, r.to, contrast, opens, r.sentenceEnd})
		}
		if r.sentenceEnd {
			contrast = false
		}
	}
	var ruleHits []ruleHit
	if len(t.rules) > 0 {
		ruleHits, sc.memo = t.evalRules(norm, spans, res.Tokens, units, cls, sc.memo)
	}
	a := analysis{t: t, res: &res, acc: sc.acc[:0], hits: sc.hits[:0], ev: sc.ev[:0], cls: sc.info[:0], bare: sc.bare[:0], cues: sc.cues[:0]}
	for _, c := range cls {
		a.clause(norm, spans, units, c, ruleHits)
	}
	a.neighbours()
	a.finish()
	clear(a.ev) // drop references to strings and slices now owned by res
	clear(a.cues)
	clear(a.bare)
	sc.units, sc.cls, sc.acc, sc.hits, sc.ev = units[:0], cls[:0], a.acc[:0], a.hits[:0], a.ev[:0]
	sc.info, sc.bare, sc.cues = a.cls[:0], a.bare[:0], a.cues[:0]
	return res
}

// clauseSpan is a clause before analysis: its units [ufrom, uto) and
// tokens [from, to).
type clauseSpan struct {
	ufrom, uto, from, to int
	contrast             bool // after a contrast word, up to the sentence end
	opens                bool // begins with a contrast word
	sentenceEnd          bool // ends a sentence (。！？ or the end of the reason)
}

// tokenize appends the byte ranges of gse's tokens of norm to dst, in the
// configured mode: "segment" (Segment: shortest path, which gives offsets) or
// "dag" (Cut(s, false): the DAG with the dictionary's frequencies, no HMM).
func (t *Tagger) tokenize(norm string, sc *scratch) []span {
	dst := sc.raw[:0]
	if t.cfg.Mode == "dag" {
		pos := 0
		for _, tok := range t.seg.Cut(norm, false) {
			if !strings.HasPrefix(norm[pos:], tok) {
				break // not a partition of the text: fall back below
			}
			dst = append(dst, span{pos, pos + len(tok)})
			pos += len(tok)
		}
		if pos == len(norm) {
			return dst
		}
		dst = dst[:0]
	}
	return t.sp.segment(norm, &sc.seg, dst)
}

// match turns the tokens spans[from:to] into units, preferring the longest
// lexicon word that a run of up to maxSpanTokens tokens spells. It extends a
// run only while it is a prefix of some lexicon word, so most tokens cost one
// map lookup.
func (t *Tagger) match(norm string, spans []span, from, to int, dst []unit) []unit {
	for i := from; i < to; {
		if !t.mayStartWord(norm[spans[i].start:]) {
			dst = append(dst, unit{tok: i, text: norm[spans[i].start:spans[i].end]})
			i++
			continue
		}
		end, best := 0, (*word)(nil)
		for j := i + 1; j <= min(to, i+maxSpanTokens); j++ {
			w := t.words[norm[spans[i].start:spans[j-1].end]]
			if w == nil {
				break
			}
			if !w.prefixOnly && !w.filler {
				end, best = j, w
			}
		}
		if best != nil {
			if repaired, ok := t.repairTie(norm, spans, i, end, to, dst); ok {
				dst, i = repaired, end+1
				continue
			}
			dst = append(dst, unit{tok: i, text: norm[spans[i].start:spans[end-1].end], w: best})
			i = end
			continue
		}
		tok := norm[spans[i].start:spans[i].end]
		if parts, ok := t.splitGlued(tok, dst); ok {
			for k := len(dst); k < len(parts); k++ {
				parts[k].tok = i
			}
			dst = parts
		} else {
			dst = append(dst, unit{tok: i, text: tok})
		}
		i++
	}
	return dst
}

// repairTie re-splits a lexicon word ending at token end-1 and the one-rune
// token after it, modifier+X | Y, as modifier | XY when XY is a term or a cue
// (挺好 | 吃 -> 挺 | 好吃). The two splits are equally likely to gse: it gives
// every single character the same frequency and vocmine every lexicon word
// another, so their path lengths tie and rounding picks one, differently as
// the lexicon grows. The repair makes the pick the one that keeps the cue.
func (t *Tagger) repairTie(norm string, spans []span, i, end, to int, dst []unit) ([]unit, bool) {
	if end >= to {
		return dst, false
	}
	next := norm[spans[end].start:spans[end].end]
	if _, size := utf8.DecodeRuneInString(next); size != len(next) {
		return dst, false // the next token is not one rune
	}
	a := norm[spans[i].start:spans[end-1].end]
	_, size := utf8.DecodeLastRuneInString(a)
	cut := spans[end-1].end - size // byte offset in norm where the last rune of a starts
	head, tail := t.words[norm[spans[i].start:cut]], t.words[norm[cut:spans[end].end]]
	if head == nil || tail == nil || tail.prefixOnly || !(head.negator || head.intensity > 0) || !(tail.cue || len(tail.terms) > 0) {
		return dst, false
	}
	return append(dst, unit{tok: i, text: norm[spans[i].start:cut], w: head}, unit{tok: end - 1, text: norm[cut:spans[end].end], w: tail}), true
}

// mayStartWord is a fast filter before map lookups: whether any lexicon word
// starts with the first rune of s.
func (t *Tagger) mayStartWord(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	if r >= 1<<16 {
		return true
	}
	return t.firstRunes[r>>6]&(1<<(r&63)) != 0
}

// splitGlued splits a token that gse glued together from lexicon words, in
// the shape term? modifiers* cue fillers* ("网速慢", "太慢", "不贵", "很好",
// "慢了"), appending the pieces to dst. The shape is strict so that other
// words are never split: a dictionary word such as 流量卡 (a term, then a
// cue) does split, which is why such words belong in the lexicon as terms.
func (t *Tagger) splitGlued(tok string, dst []unit) ([]unit, bool) {
	if len(tok) > 8*utf8.UTFMax || utf8.RuneCountInString(tok) < 2 {
		return dst, false
	}
	return t.glue(tok, 0, glueStart, dst)
}

// The states of glue's shape.
const (
	glueStart    = iota // a term, a modifier or the cue may come
	glueModifier        // a modifier or the cue may come
	glueAfterCue        // only fillers may come
)

// glue matches tok[p:] against the rest of the shape; on failure it returns
// dst unchanged.
func (t *Tagger) glue(tok string, p, state int, dst []unit) ([]unit, bool) {
	if p == len(tok) {
		return dst, state == glueAfterCue
	}
	for q := len(tok); q > p; q-- {
		if (q < len(tok) && !utf8.RuneStart(tok[q])) || (p == 0 && q == len(tok)) {
			continue
		}
		w := t.words[tok[p:q]]
		if w == nil || w.prefixOnly {
			continue
		}
		next := state
		switch {
		case state == glueAfterCue:
			if !w.filler {
				continue
			}
		case w.cue:
			next = glueAfterCue
		case w.negator || w.intensity > 0:
			next = glueModifier
		case state == glueStart && len(w.terms) > 0:
			next = glueModifier
		default:
			continue
		}
		if out, ok := t.glue(tok, q, next, append(dst, unit{text: tok[p:q], w: w})); ok {
			return out, true
		}
	}
	return dst, false
}

// isJunk reports whether the whole reason, without spaces and punctuation, is
// empty or a junk answer.
func (t *Tagger) isJunk(norm string) bool {
	key := strings.TrimFunc(norm, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) })
	if key == "" || t.junk[key] {
		return true
	}
	return strings.IndexFunc(key, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }) < 0
}

func isSpace(tok string) bool {
	if tok != "" && isHanLead(tok[0]) {
		return false
	}
	for _, r := range tok {
		if isHan(r) || !unicode.IsSpace(r) {
			return false
		}
	}
	return true
}

// isPunct reports whether a token is only punctuation and symbols; such
// tokens end a clause.
func isPunct(tok string) bool {
	if tok != "" && isHanLead(tok[0]) {
		return false
	}
	for _, r := range tok {
		if isHan(r) || !unicode.IsPunct(r) && !unicode.IsSymbol(r) && !unicode.IsSpace(r) {
			return false
		}
	}
	return true
}

// spaceBreaks reports whether the space token raw[i] separates two Chinese
// words and so ends a clause, as a comma would: respondents on phones list
// their points with spaces (信号差 资费贵). Spaces between Latin words do not.
func spaceBreaks(norm string, raw []span, i int) bool {
	if i == 0 || i+1 >= len(raw) {
		return false
	}
	before, _ := utf8.DecodeLastRuneInString(norm[:raw[i].start])
	after, _ := utf8.DecodeRuneInString(norm[raw[i+1].start:])
	return isHan(before) && isHan(after)
}

// isHanLead reports whether b is the first byte of a rune in U+4E00..U+9FFF,
// the common CJK ideographs: such a token is neither space nor punctuation.
func isHanLead(b byte) bool { return b >= 0xE4 && b <= 0xE9 }

// isHan is a fast check for the common CJK ideographs, which are neither
// space nor punctuation, to skip Unicode table lookups on most runes.
func isHan(r rune) bool { return r >= 0x4E00 && r <= 0x9FFF }

// analysis accumulates per-dimension scores and evidence across clauses.
type analysis struct {
	t    *Tagger
	res  *Result
	acc  []acc
	hits []hit
	// ev holds the evidence of every dimension, in the order found; finish
	// copies it into one slice for the result.
	ev []evidence
	// cls is what neighbours needs of each clause, bare the hits left
	// without a cue in their own clause.
	cls  []clauseInfo
	bare []bareHit
	// pos and neg sum the reason's positive and negative cue weights;
	// cues lists them for Result.Cues (unless SkipEvidence).
	pos, neg float64
	cues     []Cue
}

// clauseInfo sums up one analysed clause for its neighbours.
type clauseInfo struct {
	span     clauseSpan
	hits     int     // dimension hits in the clause
	sum      float64 // the clause's non-neutral cues, before the clause weight
	agree    bool    // its non-neutral cues all have one sign
	firstCue string
	weight   float64
}

type bareHit struct {
	clause, dim int
	term        string
}

type acc struct {
	dim   int
	score float64
}

type evidence struct {
	dim int
	Evidence
}

func (a *analysis) addEvidence(d int, e Evidence) {
	a.ev = append(a.ev, evidence{d, e})
}

type hit struct {
	unit int
	dim  int
	term string
	cued bool
}

func (a *analysis) dim(d int) *acc {
	for i := range a.acc {
		if a.acc[i].dim == d {
			return &a.acc[i]
		}
	}
	a.acc = append(a.acc, acc{dim: d})
	return &a.acc[len(a.acc)-1]
}

// clause analyses the units of one clause, covering tokens [from, to); the
// rule hits anchored in it (units numbered from ubase) name dimensions too.
func (a *analysis) clause(norm string, spans []span, all []unit, cs clauseSpan, ruleHits []ruleHit) {
	units, from, to, ubase := all[cs.ufrom:cs.uto], cs.from, cs.to, cs.ufrom
	ci := len(a.res.Clauses)
	c := Clause{Start: from, End: to, Weight: 1}
	if cs.contrast {
		c.Weight = a.t.cfg.ContrastWeight
	}
	if to > from {
		c.Text = norm[spans[from].start:spans[to-1].end]
	}
	a.res.Clauses = append(a.res.Clauses, c)

	// The terms that name a dimension, unless the clause holds one of the
	// dimension's exclusions (a substring test, so that a mis-segmented
	// exclusion still counts).
	a.hits = a.hits[:0]
	for ui, u := range units {
		if u.w == nil {
			continue
		}
		for _, d := range u.w.terms {
			if a.t.excluded(d, c.Text) {
				continue
			}
			a.hits = append(a.hits, hit{unit: ui, dim: d, term: u.text})
			a.dim(d)
			a.addEvidence(d, Evidence{Clause: ci, Term: u.text})
		}
	}
	for _, rh := range ruleHits {
		if rh.clause != ci || a.t.excluded(rh.dim, c.Text) {
			continue
		}
		ui := rh.unit - ubase
		a.hits = append(a.hits, hit{unit: ui, dim: rh.dim, term: units[ui].text})
		a.dim(rh.dim)
		a.addEvidence(rh.dim, Evidence{Clause: ci, Term: units[ui].text, Rule: rh.rule})
	}

	// Each cue, with the negators and intensifiers before it, counts for the
	// nearest term in the clause (its own dimension for a polarity term).
	var sum float64
	var pos, neg bool
	firstCue := ""
	window := a.t.cfg.NegationWindow
	for ui, u := range units {
		if u.w == nil || !u.w.cue || degree(units, ui) || beforeNumber(units, ui) {
			continue
		}
		ev := Evidence{Clause: ci, Cue: u.text, CuePolarity: u.w.polarity}
		mult := 1.0
		for k := ui - 1; k >= 0 && k >= ui-window; k-- {
			v := units[k].w
			if v == nil {
				continue
			}
			if v.cue && !degree(units, k) {
				break
			}
			if v.negator {
				ev.Negators = append(ev.Negators, units[k].text)
			}
			if v.intensity > 0 {
				ev.Intensifiers = append(ev.Intensifiers, units[k].text)
				mult *= v.intensity
			}
		}
		w := float64(u.w.polarity) * u.w.weight * mult
		if u.w.polarity == Neutral && mult > 1 {
			// An intensified neutral word is a mild complaint: 很一般 (-0.5),
			// 太普通 (-1); 一般 alone stays neutral.
			w = -(mult - 1) * u.w.weight
		}
		if len(ev.Negators)%2 == 1 {
			ev.Negated = true
			w = -w
		}
		ev.Weight = w * c.Weight
		// A neutral word said plainly (neither intensified nor negated)
		// leans the overall sentiment, not its dimension: 一般 -0.5.
		overall := ev.Weight
		if u.w.lean != 0 && mult <= 1 && len(ev.Negators) == 0 {
			overall = u.w.lean * c.Weight
		}
		a.res.Score += overall
		if overall > 0 {
			a.pos += overall
		} else {
			a.neg -= overall
		}
		if !a.t.cfg.SkipEvidence {
			a.cues = append(a.cues, Cue{ci, ev.Cue, overall})
		}
		if w != 0 {
			sum += w
			pos, neg = pos || w > 0, neg || w < 0
			if firstCue == "" {
				firstCue = u.text
			}
		}
		for _, h := range a.nearest(ui) {
			a.hits[h].cued = true
			ev.Term = a.hits[h].term
			d := a.hits[h].dim
			a.dim(d).score += ev.Weight
			a.addEvidence(d, ev)
		}
	}

	// A dimension named with no cue of its own takes the clause's polarity
	// when all its cues agree; one still without a cue is bare, for
	// neighbours.
	for _, h := range a.hits {
		if h.cued || a.hasCue(h.dim, ci) {
			continue
		}
		if pos != neg {
			a.dim(h.dim).score += sum * c.Weight
			a.addEvidence(h.dim, Evidence{Clause: ci, Term: h.term, Cue: firstCue, CuePolarity: sign(sum), Weight: sum * c.Weight, Inherited: true})
			continue
		}
		a.bare = append(a.bare, bareHit{ci, h.dim, h.term})
	}
	a.cls = append(a.cls, clauseInfo{span: cs, hits: len(a.hits), sum: sum, agree: pos != neg, firstCue: firstCue, weight: c.Weight})
}

// neighbours gives a dimension named in a clause without any cue the
// opinion of the next clause of the sentence when that clause names no
// dimension and its cues agree: Chinese often puts the topic before a comma
// and the comment after it (服务员，很热情).
func (a *analysis) neighbours() {
	for _, h := range a.bare {
		if a.hasCue(h.dim, h.clause) {
			continue // several terms of the dimension in one clause
		}
		cur, next := a.cls[h.clause], h.clause+1
		if cur.span.sentenceEnd || next >= len(a.cls) {
			continue
		}
		n := a.cls[next]
		if n.hits > 0 || !n.agree || n.span.opens {
			continue
		}
		w := n.sum * n.weight
		a.dim(h.dim).score += w
		a.addEvidence(h.dim, Evidence{Clause: h.clause, Term: h.term, Cue: n.firstCue, CuePolarity: sign(n.sum), Weight: w, Inherited: true, From: next})
	}
}

// degree reports whether the cue at units[i] is also an intensifier and
// acts as one here, right before another cue: 好 is a cue alone (服务好) and
// a degree adverb before a cue (好慢, 好贵).
func degree(units []unit, i int) bool {
	return units[i].w.intensity > 0 && i+1 < len(units) && units[i+1].w != nil && units[i+1].w.cue
}

// beforeNumber reports whether the one-character cue at units[i] comes right
// before a number, where it is an adverb, not an opinion: 快2个小时 (almost
// two hours), 差5分钟 (five minutes short), 好几次 (quite a few times).
func beforeNumber(units []unit, i int) bool {
	if i+1 >= len(units) || utf8.RuneCountInString(units[i].text) != 1 {
		return false
	}
	r, _ := utf8.DecodeRuneInString(units[i+1].text)
	return unicode.IsDigit(r) || strings.ContainsRune("一二两三四五六七八九十几半百千万", r)
}

// nearest returns the hits a cue at unit ui counts for: the hits of the cue's
// own unit when it is a polarity term, else those of the nearest term, the
// one before the cue winning a tie.
func (a *analysis) nearest(ui int) []int {
	best, bestDist := -1, math.MaxInt
	for i, h := range a.hits {
		d := h.unit - ui
		if d < 0 {
			d = -d*2 - 1 // before the cue: wins a tie
		} else {
			d *= 2
		}
		if d < bestDist {
			best, bestDist = i, d
		}
	}
	if best < 0 {
		return nil
	}
	var out []int
	for i, h := range a.hits {
		if h.unit == a.hits[best].unit {
			out = append(out, i)
		}
	}
	return out
}

// mixed reports whether dimension d's opinions pull both ways with the
// weaker side at least share of the stronger (lexicon.Dimension.Mixed).
func (a *analysis) mixed(d int, share float64) bool {
	var pos, neg float64
	for _, e := range a.ev {
		if e.dim == d {
			if e.Weight > 0 {
				pos += e.Weight
			} else {
				neg -= e.Weight
			}
		}
	}
	return bothWays(pos, neg, share)
}

// bothWays reports whether positive and negative weights pos and neg (both
// >= 0) pull both ways, the weaker at least share of the stronger: the rule
// of lexicon.Dimension.Mixed for a tag and of Config.MixedSentiment for a
// reason.
func bothWays(pos, neg, share float64) bool {
	return share > 0 && pos > 0 && neg > 0 && min(pos, neg) >= share*max(pos, neg)
}

// cued reports whether dimension d has a cue anywhere in the reason.
func (a *analysis) cued(d int) bool {
	for _, e := range a.ev {
		if e.dim == d && e.Cue != "" {
			return true
		}
	}
	return false
}

// hasCue reports whether dimension d already has a cue, own or inherited, in
// the clause.
func (a *analysis) hasCue(d, clause int) bool {
	for _, e := range a.ev {
		if e.dim == d && e.Clause == clause && e.Cue != "" {
			return true
		}
	}
	return false
}

// finish turns the accumulators into tags, in lexicon order, their evidence
// sharing one slice.
func (a *analysis) finish() {
	res, t := a.res, a.t
	res.Sentiment = sign(res.Score)
	if bothWays(a.pos, a.neg, t.cfg.MixedSentiment) {
		res.Sentiment, res.Mixed = Neutral, true
	}
	// The reason's cues, and each tag's evidence in one slice (room for the
	// evidence passing adds), are copied for the result, unless SkipEvidence.
	var all []Evidence
	if !t.cfg.SkipEvidence {
		if len(a.cues) > 0 {
			res.Cues = slices.Clone(a.cues)
		}
		if len(a.acc) > 0 {
			all = make([]Evidence, 0, len(a.ev)+len(a.acc))
		}
	}
	if len(a.acc) == 0 {
		return
	}
	slices.SortFunc(a.acc, func(x, y acc) int { return x.dim - y.dim })
	res.Tags = make([]Tag, 0, len(a.acc))
	for _, x := range a.acc {
		if len(res.Clauses) >= t.cfg.PassingClauses && !a.cued(x.dim) {
			switch t.cfg.Passing {
			case PassingDrop:
				res.Passing = append(res.Passing, t.dims[x.dim].Name)
				continue
			case PassingReview:
				// Evidence with no weight of its own: the tag takes the
				// reason's polarity, whatever the tag's score.
				x.score = float64(res.Sentiment) * epsilon * 2
				a.addEvidence(x.dim, Evidence{Clause: -1, Cue: "(review)", CuePolarity: res.Sentiment, Inherited: true, From: -1})
			}
		}
		p := sign(x.score)
		mixed := t.mixed[x.dim] > 0 && a.mixed(x.dim, t.mixed[x.dim])
		if mixed {
			p = Neutral
		}
		d := t.dims[x.dim]
		tag := Tag{Dim: x.dim, Dimension: d.Name, Top: d.Top, Polarity: p, Code: t.cfg.Codes.Code(p), Score: x.score, Clause: -1, Mixed: mixed}
		from := len(all)
		best, inherited := 0.0, ""
		for _, e := range a.ev {
			if e.dim != x.dim {
				continue
			}
			if all != nil {
				all = append(all, e.Evidence)
			}
			switch {
			case tag.Term == "" && e.Term != "" && e.Cue == "":
				tag.Term = e.Term
				if tag.Cue == "" {
					tag.Clause = e.Clause
				}
			case e.Inherited:
				if inherited == "" {
					inherited = e.Cue
					if tag.Cue == "" {
						tag.Clause = e.Clause
					}
				}
			case e.Cue != "":
				if w := e.Weight * float64(p); tag.Cue == "" && p == Neutral || w > best {
					tag.Cue, tag.Negated, tag.Clause, best = e.Cue, e.Negated, e.Clause, w
				}
			}
		}
		if tag.Cue == "" {
			tag.Cue = inherited
		}
		if all != nil {
			tag.Evidence = all[from:len(all):len(all)]
		}
		res.Tags = append(res.Tags, tag)
	}
}

const epsilon = 1e-9

func sign(x float64) Polarity {
	switch {
	case x > epsilon:
		return Positive
	case x < -epsilon:
		return Negative
	}
	return Neutral
}

func (t *Tagger) excluded(dim int, clause string) bool {
	for _, ex := range t.excludes[dim] {
		if strings.Contains(clause, ex) {
			return true
		}
	}
	return false
}
