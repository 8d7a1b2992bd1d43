package lexicon

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Severity orders findings: an error makes the lexicon do something other
// than what is written; a warning is probably a mistake; info is for the
// curious.
type Severity int

const (
	SevInfo Severity = iota
	SevWarning
	SevError
)

func (s Severity) String() string {
	return [...]string{"info", "warning", "error"}[s]
}

// Finding is one thing `vocmine lexicon check` reports, at a position.
type Finding struct {
	Pos      Pos
	Col      int // column within the line, when known (rule syntax errors)
	Severity Severity
	Msg      string
}

func (f Finding) String() string {
	if f.Col > 0 {
		return fmt.Sprintf("%s:%d: %s: %s", f.Pos, f.Col, f.Severity, f.Msg)
	}
	return fmt.Sprintf("%s: %s: %s", f.Pos, f.Severity, f.Msg)
}

// SortFindings orders findings by file, line and column, errors first at a
// position.
func SortFindings(fs []Finding) {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(a.Pos.File, b.Pos.File), cmp.Compare(a.Pos.Line, b.Pos.Line),
			cmp.Compare(a.Pos.Column, b.Pos.Column), cmp.Compare(b.Severity, a.Severity))
	})
}

// Check looks across lexicons, loaded one by one, for what loading each alone
// cannot see: a term repeated in another file or under another dimension, a
// word that is a positive cue in one place and a negative one in another,
// dimensions that nothing could ever tag, and a dimension with terms and
// sub-dimensions in the merged lexicon; it also returns each lexicon's
// loading Warnings. ls are in merge order (the built-in lexicon first, when
// used); findings point at the later word. A lexicon read with errors
// (Parse) can be checked too: what it holds is checked.
func Check(ls ...*Lexicon) []Finding {
	var out []Finding
	for _, l := range ls {
		out = append(out, l.Warnings...)
	}
	var hier ErrorList
	if errors.As(Merge(ls...).checkHierarchy(), &hier) {
		for _, e := range hier {
			out = append(out, Finding{Pos: e.Pos, Col: e.Col, Severity: SevError, Msg: e.Msg})
		}
	}
	add := func(pos Pos, sev Severity, format string, args ...any) {
		out = append(out, Finding{Pos: pos, Severity: sev, Msg: fmt.Sprintf(format, args...)})
	}

	// Terms: where each was first listed, and for which dimension.
	type place struct {
		dim string
		e   Entry
		pol int // +1 positive_terms, -1 negative_terms, 0 terms
	}
	terms := map[string]place{}
	cues := map[string]place{} // sentiment words, dim empty
	for _, l := range ls {
		for _, d := range l.Dimensions {
			for _, list := range []struct {
				es  []Entry
				pol int
			}{{d.Terms, 0}, {d.PositiveTerms, 1}, {d.NegativeTerms, -1}} {
				for _, e := range list.es {
					first, ok := terms[e.Text]
					switch {
					case !ok:
						terms[e.Text] = place{d.Name, e, list.pol}
					case first.dim == d.Name && first.pol == list.pol:
						add(e.Pos, SevWarning, "dimension %q: term %q already listed at %s", d.Name, e.Text, first.e.Pos)
					case first.dim == d.Name && first.pol != 0 && list.pol != 0:
						add(e.Pos, SevError, "dimension %q: term %q is %s here and %s at %s", d.Name, e.Text, polName(list.pol), polName(first.pol), first.e.Pos)
					case first.dim == d.Name:
						// Plain in one file, a polarity term in another: the polarity wins.
						add(e.Pos, SevWarning, "dimension %q: term %q is %s here and %s at %s: the polarity list wins", d.Name, e.Text, polName(list.pol), polName(first.pol), first.e.Pos)
						if list.pol != 0 {
							terms[e.Text] = place{d.Name, e, list.pol}
						}
					case first.pol != 0 && list.pol != 0 && first.pol != list.pol:
						add(e.Pos, SevError, "term %q is a %s cue here (dimension %q) and a %s one at %s (dimension %q)", e.Text, polName(list.pol), d.Name, polName(first.pol), first.e.Pos, first.dim)
					default:
						add(e.Pos, SevWarning, "term %q names dimension %q here and %q at %s: a reason mentioning it tags both", e.Text, d.Name, first.dim, first.e.Pos)
					}
				}
			}
			if len(d.Terms)+len(d.PositiveTerms)+len(d.NegativeTerms)+len(d.Rules) == 0 && !d.incomplete && !hasTermsElsewhere(ls, d.Name) {
				add(d.Pos, SevError, "dimension %q has no terms and no rules: nothing can ever tag it", d.Name)
			}
			for _, r := range d.Rules {
				if !r.Root.Satisfiable() {
					add(r.Pos, SevError, "dimension %q: rule %q can never match (it contradicts itself)", d.Name, r.Source)
				}
			}
		}
		for _, s := range []struct {
			es  []Entry
			pol int
		}{{l.Positive, 1}, {l.Negative, -1}} {
			for _, e := range s.es {
				if first, ok := cues[e.Text]; ok && first.pol != s.pol {
					// A later file may override the built-in vocabulary on purpose.
					add(e.Pos, SevInfo, "sentiment: %q is %s here, %s at %s: the later file wins", e.Text, polName(s.pol), polName(first.pol), first.e.Pos)
				}
				cues[e.Text] = place{"", e, s.pol}
			}
		}
	}
	// A polarity term against the sentiment vocabulary as finally merged.
	for text, t := range terms {
		if c, ok := cues[text]; ok && t.pol != 0 && c.pol != t.pol {
			add(t.e.Pos, SevError, "dimension %q: %q is a %s term here but a %s sentiment word at %s", t.dim, text, polName(t.pol), polName(c.pol), c.e.Pos)
		}
	}
	SortFindings(out)
	return out
}

// hasTermsElsewhere reports whether another lexicon gives dimension name terms.
func hasTermsElsewhere(ls []*Lexicon, name string) bool {
	for _, l := range ls {
		for _, d := range l.Dimensions {
			if d.Name == name && len(d.Terms)+len(d.PositiveTerms)+len(d.NegativeTerms)+len(d.Rules) > 0 {
				return true
			}
		}
	}
	return false
}

func polName(p int) string {
	switch {
	case p > 0:
		return "positive"
	case p < 0:
		return "negative"
	}
	return "plain"
}

// FindingsString lists findings one per line, as file:line: severity: message.
func FindingsString(fs []Finding) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString(f.String())
		b.WriteByte('\n')
	}
	return b.String()
}
