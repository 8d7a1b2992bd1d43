package aggregate

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/vocmine/vocmine/lexicon"
	"github.com/vocmine/vocmine/tagger"
)

// VerbatimRow is one row of verbatims.parquet: a real reason that mentions
// a top dimension with a polarity, to quote (the report's verbatims), with
// the term and cue of its tag.
type VerbatimRow struct {
	Top            string `parquet:"top,dict"`
	Polarity       string `parquet:"polarity,dict"` // positive or negative
	Rank           int32  `parquet:"rank"`          // 1 = the shortest
	ResponseID     string `parquet:"response_id"`
	Group          string `parquet:"group,dict"`
	Text           string `parquet:"text"`
	Term           string `parquet:"term"`
	Cue            string `parquet:"cue"`
	LexiconVersion string `parquet:"lexicon_version,dict"`
	runes          int
	same           string // verbatimText(Text)
}

// Verbatims chosen are informative but short: minVerbatimRunes to
// maxVerbatimRunes characters, the shortest first (response ids break ties),
// each text once per top and polarity (verbatimText: near-duplicates are
// one text).
const (
	minVerbatimRunes = 6
	maxVerbatimRunes = 80
	VerbatimsPerKey  = 3 // kept per top dimension and polarity
)

// Verbatims keeps the K best verbatims of each (top dimension, polarity) as
// responses are tagged. The choice depends only on the set of responses, not
// their order, and Merge of two Verbatims is the Verbatims of both: like the
// counters, shards combine exactly.
type Verbatims struct {
	K    int
	best map[[2]string][]VerbatimRow
}

// NewVerbatims keeps k verbatims per top dimension and polarity.
func NewVerbatims(k int) *Verbatims { return &Verbatims{K: k, best: map[[2]string][]VerbatimRow{}} }

// Add considers one tagged response.
func (v *Verbatims) Add(id, group, text string, tags []tagger.Tag) {
	if len(text) < minVerbatimRunes || len(text) > 4*maxVerbatimRunes {
		return
	}
	runes := -1
	for _, t := range tags {
		if t.Polarity == tagger.Neutral {
			continue
		}
		if runes < 0 {
			if runes = utf8.RuneCountInString(text); runes < minVerbatimRunes || runes > maxVerbatimRunes {
				return
			}
		}
		v.offer(VerbatimRow{Top: t.Top, Polarity: t.Polarity.String(), ResponseID: id, Group: group,
			Text: text, Term: t.Term, Cue: t.Cue, runes: runes})
	}
}

func better(a, b VerbatimRow) int {
	return cmp.Or(cmp.Compare(a.runes, b.runes), cmp.Compare(a.ResponseID, b.ResponseID))
}

// verbatimText is what a text counts as when verbatims are compared: its
// normalized form (width, case) without punctuation, symbols or spaces, so
// that "WiFi很卡！" and "ｗｉｆｉ 很卡" are one text, not two quotes side by side.
func verbatimText(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsPunct(r) || unicode.IsSymbol(r) || unicode.IsSpace(r) {
			return -1
		}
		return r
	}, lexicon.Normalize(s))
}

// offer keeps c if it is among the K best of its key: one per text (the
// best response of a text, texts compared by verbatimText), one per
// response (its first tag of the key). Which of a text's responses is kept
// depends on better only, so the choice stays independent of order.
func (v *Verbatims) offer(c VerbatimRow) {
	key := [2]string{c.Top, c.Polarity}
	list := v.best[key]
	if len(list) == v.K && better(c, list[len(list)-1]) >= 0 {
		return
	}
	c.same = verbatimText(c.Text)
	if j := slices.IndexFunc(list, func(x VerbatimRow) bool { return x.ResponseID == c.ResponseID || x.same == c.same }); j >= 0 {
		if list[j].ResponseID == c.ResponseID || better(c, list[j]) >= 0 {
			return
		}
		list = slices.Delete(list, j, j+1)
	}
	i, _ := slices.BinarySearchFunc(list, c, better)
	list = slices.Insert(list, i, c)
	v.best[key] = list[:min(len(list), v.K)]
}

// Merge adds o's verbatims into v.
func (v *Verbatims) Merge(o *Verbatims) {
	for _, list := range o.best {
		for _, c := range list {
			v.offer(c)
		}
	}
}

// Rows lists the verbatims by top dimension in the order of tops,
// negative first, each ranked.
func (v *Verbatims) Rows(tops []string) []VerbatimRow {
	var out []VerbatimRow
	for _, top := range tops {
		for _, pol := range []string{"negative", "positive"} {
			for i, r := range v.best[[2]string{top, pol}] {
				r.Rank = int32(i + 1)
				out = append(out, r)
			}
		}
	}
	return out
}

// Offer considers a verbatim chosen elsewhere (another shard's).
func (v *Verbatims) Offer(r VerbatimRow) {
	r.runes = utf8.RuneCountInString(r.Text)
	v.offer(r)
}

// All are the kept verbatims, in no particular order: Offer them to another
// Verbatims to merge.
func (v *Verbatims) All() []VerbatimRow {
	var out []VerbatimRow
	for _, list := range v.best {
		out = append(out, list...)
	}
	return out
}
