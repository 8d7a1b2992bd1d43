package tagger

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/vocmine/vocmine/lexicon"
)

// CheckTerms tags every dimension term of lex (the lexicon t was built
// from) on its own. A term that does not tag its dimension is an error: a
// reason made of that word alone would go untagged (the term is junk, holds
// an exclusion, or cannot be matched). Terms that gse's dictionary alone
// would split are reported as info, with the split: vocmine adds every
// lexicon word to the segmenter, and rebuilds words from up to four tokens,
// so they are kept whole; a term still split in the tagger is a warning.
func (t *Tagger) CheckTerms(lex *lexicon.Lexicon) ([]lexicon.Finding, error) {
	baseSeg, err := newSegmenter(t.cfg.Dictionary, nil)
	if err != nil {
		return nil, err
	}
	base := newShortestPath(baseSeg.Dict)
	var out []lexicon.Finding
	add := func(pos lexicon.Pos, sev lexicon.Severity, format string, args ...any) {
		out = append(out, lexicon.Finding{Pos: pos, Severity: sev, Msg: fmt.Sprintf(format, args...)})
	}
	for di, d := range lex.Dimensions {
		for _, list := range [][]lexicon.Entry{d.Terms, d.PositiveTerms, d.NegativeTerms} {
			for _, e := range list {
				r := t.Tag(e.Text)
				if !hasDim(r.Tags, di) {
					why := "tokens " + strings.Join(r.Tokens, " | ")
					switch {
					case r.Junk:
						why = "it is a junk answer"
					case t.excluded(di, e.Text):
						why = "it holds one of the dimension's exclusions"
					}
					add(e.Pos, lexicon.SevError, "dimension %q: term %q does not tag it on its own (%s)", d.Name, e.Text, why)
					continue
				}
				if utf8.RuneCountInString(e.Text) < 2 {
					continue
				}
				if toks := t.tokens(e.Text); len(toks) > 1 {
					add(e.Pos, lexicon.SevWarning, "term %q is still split by the segmenter (%s); vocmine rebuilds it from the tokens, but inside longer words it may not", e.Text, strings.Join(toks, " | "))
				} else if toks := segmentWith(base, e.Text); len(toks) > 1 {
					add(e.Pos, lexicon.SevInfo, "term %q: gse's dictionary alone splits it (%s); vocmine adds it to the segmenter, so it stays whole", e.Text, strings.Join(toks, " | "))
				}
			}
		}
	}
	lexicon.SortFindings(out)
	return out, nil
}

func hasDim(tags []Tag, d int) bool {
	for _, g := range tags {
		if g.Dim == d {
			return true
		}
	}
	return false
}

// tokens returns the tagger's gse tokens of a normalized word.
func (t *Tagger) tokens(s string) []string {
	return segmentWith(t.sp, s)
}

// segmentWith returns sp's tokens of s, spaces dropped.
func segmentWith(sp *shortestPath, s string) []string {
	var out []string
	var b segBuffers
	for _, sp := range sp.segment(s, &b, nil) {
		if tok := s[sp.start:sp.end]; strings.TrimSpace(tok) != "" {
			out = append(out, tok)
		}
	}
	return out
}
