package tagger

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/vocmine/vocmine/lexicon"
)

// Result is what Tag found in one reason.
type Result struct {
	Text    string   // the reason, normalized (lexicon.Normalize)
	Tokens  []string // gse's tokens, without spaces and punctuation
	Clauses []Clause
	// Tags holds one tag per dimension the reason mentions, in lexicon order.
	Tags []Tag
	// Sentiment is the overall polarity of the reason: the sign of Score, the
	// sum of every weighted cue, whether or not it is near a dimension.
	Sentiment Polarity
	Score     float64
	Junk      bool // the whole reason is a junk answer ("无") or only punctuation
	Empty     bool // the reason is blank
}

// Clause is a stretch of a reason between punctuation or contrast words.
type Clause struct {
	Text       string
	Start, End int // token range in Result.Tokens, End exclusive
	// Weight multiplies the clause's cues: Config.ContrastWeight after a
	// contrast word, up to the end of the sentence, 1 elsewhere.
	Weight float64
}

// Tag is one dimension mentioned by a reason.
type Tag struct {
	Dim       int    // index into Tagger.Dimensions
	Dimension string // full name, "网络/信号"
	Top       string // top level, "网络"
	Polarity  Polarity
	Code      int     // Codes.Code(Polarity)
	Score     float64 // the sum of the weights of the cues counted for it
	// The main evidence, for one-row-per-tag tables: the first term that
	// named the dimension, and the strongest cue in the direction of Polarity
	// (empty when none), whether a negator flipped it, and its clause.
	Term    string
	Cue     string
	Negated bool
	Clause  int
	// Evidence lists every term hit and every cue counted for the dimension.
	Evidence []Evidence
}

// Evidence is one reason for a tag: a term naming the dimension (Cue empty),
// or a cue counted for it, with the term it attached to.
type Evidence struct {
	Clause       int
	Term         string
	Cue          string
	CuePolarity  Polarity // the cue's own polarity, before negation
	Negators     []string // negators found before the cue, nearest first
	Intensifiers []string
	Negated      bool    // an odd number of negators flipped the cue
	Weight       float64 // signed: polarity x intensifiers x negation x clause weight
	// Inherited marks a dimension named in a clause without a cue of its own,
	// taking the polarity the clause's cues agree on ("客服态度冷淡").
	Inherited bool
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

// Tag tags one reason. It never fails: empty and junk reasons come back
// flagged, without tags. Tag is safe for concurrent use.
func (t *Tagger) Tag(text string) Result {
	norm := lexicon.Normalize(text)
	res := Result{Text: norm}
	if strings.TrimSpace(norm) == "" {
		res.Empty = true
		return res
	}
	if t.isJunk(norm) {
		res.Junk = true
		return res
	}

	// Tokens, and the runs of tokens between punctuation.
	segs := t.seg.Segment([]byte(norm))
	spans := make([]span, 0, len(segs))
	res.Tokens = make([]string, 0, len(segs))
	type run struct {
		from, to    int
		sentenceEnd bool
	}
	var runs []run
	from := 0
	for _, s := range segs {
		tok := norm[s.Start():s.End()]
		switch {
		case isSpace(tok):
			continue
		case isPunct(tok):
			runs = append(runs, run{from, len(spans), strings.ContainsAny(tok, "。！？!?\n")})
			from = len(spans)
			continue
		}
		spans = append(spans, span{s.Start(), s.End()})
		res.Tokens = append(res.Tokens, tok)
	}
	runs = append(runs, run{from, len(spans), true})

	a := analysis{t: t, res: &res}
	units := make([]unit, 0, len(spans)+4)
	contrast := false
	for _, r := range runs {
		units = t.match(norm, spans, r.from, r.to, units[:0])
		// Contrast words start a new clause, and weigh up to the sentence end.
		start, startTok := 0, r.from
		for i, u := range units {
			if u.w != nil && u.w.contrast {
				a.clause(norm, spans, units[start:i], startTok, u.tok, contrast)
				start, startTok, contrast = i, u.tok, true
			}
		}
		if start < len(units) || r.from == r.to {
			a.clause(norm, spans, units[start:], startTok, r.to, contrast)
		}
		if r.sentenceEnd {
			contrast = false
		}
	}
	a.finish()
	return res
}

// match turns the tokens spans[from:to] into units, preferring the longest
// lexicon word that a run of up to maxSpanTokens tokens spells.
func (t *Tagger) match(norm string, spans []span, from, to int, dst []unit) []unit {
	for i := from; i < to; {
		matched := false
		for j := min(to, i+maxSpanTokens); j > i; j-- {
			key := norm[spans[i].start:spans[j-1].end]
			if len(key) > t.maxWordBytes {
				continue
			}
			if w := t.words[key]; w != nil && !w.filler {
				dst = append(dst, unit{tok: i, text: key, w: w})
				i, matched = j, true
				break
			}
		}
		if matched {
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
		if w == nil {
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
	return strings.TrimFunc(tok, unicode.IsSpace) == ""
}

// isPunct reports whether a token is only punctuation and symbols; such
// tokens end a clause.
func isPunct(tok string) bool {
	for _, r := range tok {
		if !unicode.IsPunct(r) && !unicode.IsSymbol(r) && !unicode.IsSpace(r) {
			return false
		}
	}
	return true
}

// analysis accumulates per-dimension scores and evidence across clauses.
type analysis struct {
	t    *Tagger
	res  *Result
	acc  []acc
	hits []hit
}

type acc struct {
	dim      int
	score    float64
	evidence []Evidence
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

// clause analyses the units of one clause, covering tokens [from, to).
func (a *analysis) clause(norm string, spans []span, units []unit, from, to int, afterContrast bool) {
	ci := len(a.res.Clauses)
	c := Clause{Start: from, End: to, Weight: 1}
	if afterContrast {
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
			x := a.dim(d)
			x.evidence = append(x.evidence, Evidence{Clause: ci, Term: u.text})
		}
	}

	// Each cue, with the negators and intensifiers before it, counts for the
	// nearest term in the clause (its own dimension for a polarity term).
	var sum float64
	var pos, neg bool
	firstCue := ""
	window := a.t.cfg.NegationWindow
	for ui, u := range units {
		if u.w == nil || !u.w.cue {
			continue
		}
		ev := Evidence{Clause: ci, Cue: u.text, CuePolarity: u.w.polarity}
		mult := 1.0
		for k := ui - 1; k >= 0 && k >= ui-window; k-- {
			v := units[k].w
			if v == nil {
				continue
			}
			if v.cue {
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
		w := float64(u.w.polarity) * mult
		if len(ev.Negators)%2 == 1 {
			ev.Negated = true
			w = -w
		}
		ev.Weight = w * c.Weight
		a.res.Score += ev.Weight
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
			x := a.dim(a.hits[h].dim)
			x.score += ev.Weight
			x.evidence = append(x.evidence, ev)
		}
	}

	// A dimension named with no cue of its own takes the clause's polarity
	// when all its cues agree.
	if pos != neg {
		for _, h := range a.hits {
			if h.cued {
				continue
			}
			x := a.dim(h.dim)
			if hasInherited(x.evidence, ci) {
				continue
			}
			x.score += sum * c.Weight
			x.evidence = append(x.evidence, Evidence{Clause: ci, Term: h.term, Cue: firstCue, CuePolarity: sign(sum), Weight: sum * c.Weight, Inherited: true})
		}
	}
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

func hasInherited(evs []Evidence, clause int) bool {
	for _, e := range evs {
		if e.Clause == clause && (e.Inherited || e.Cue != "") {
			return true
		}
	}
	return false
}

// finish turns the accumulators into tags, in lexicon order.
func (a *analysis) finish() {
	res, t := a.res, a.t
	res.Sentiment = sign(res.Score)
	for d := range t.dims {
		var x *acc
		for i := range a.acc {
			if a.acc[i].dim == d {
				x = &a.acc[i]
			}
		}
		if x == nil {
			continue
		}
		p := sign(x.score)
		tag := Tag{Dim: d, Dimension: t.dims[d].Name, Top: t.dims[d].Top, Polarity: p, Code: t.cfg.Codes.Code(p), Score: x.score, Evidence: x.evidence, Clause: -1}
		best := 0.0
		for _, e := range x.evidence {
			if tag.Term == "" && e.Term != "" {
				tag.Term, tag.Clause = e.Term, e.Clause
			}
			if e.Cue == "" || e.Inherited {
				continue
			}
			if w := e.Weight * float64(p); tag.Cue == "" && p == Neutral || w > best {
				tag.Cue, tag.Negated, tag.Clause, best = e.Cue, e.Negated, e.Clause, w
			}
		}
		if tag.Cue == "" {
			for _, e := range x.evidence {
				if e.Inherited {
					tag.Cue, tag.Clause = e.Cue, e.Clause
					break
				}
			}
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
