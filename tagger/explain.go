package tagger

import (
	"fmt"
	"strings"
)

// Explain renders a Result for people, in a stable form: the tokens, the
// clauses with their weights, the overall sentiment, then each tag with every
// term and cue counted for it (negators, intensifiers, weights). `vocmine
// explain` prints it; the golden test of the tagger compares it.
func (r Result) Explain() string {
	var b strings.Builder
	fmt.Fprintf(&b, "text: %s\n", r.Text)
	fmt.Fprintf(&b, "  tokens: %s\n", strings.Join(r.Tokens, " | "))
	for i, c := range r.Clauses {
		fmt.Fprintf(&b, "  clause %d (weight %g): %s\n", i, c.Weight, c.Text)
	}
	mixed := ""
	if r.Mixed {
		mixed = " mixed"
	}
	fmt.Fprintf(&b, "  sentiment: %s%s (%.2f) junk=%v empty=%v\n", r.Sentiment, mixed, r.Score, r.Junk, r.Empty)
	if len(r.Cues) > 0 {
		cues := make([]string, len(r.Cues))
		for i, c := range r.Cues {
			cues[i] = fmt.Sprintf("%s %+.2f", c.Cue, c.Weight)
		}
		fmt.Fprintf(&b, "  cues: %s\n", strings.Join(cues, ", "))
	}
	if len(r.Passing) > 0 {
		fmt.Fprintf(&b, "  named in passing, not tagged: %s\n", strings.Join(r.Passing, ", "))
	}
	for _, tag := range r.Tags {
		mixed = ""
		if tag.Mixed {
			mixed = " (mixed: its opinions pull both ways)"
		}
		// weight=, not score=: Tag.Score sums cue weights; "score" reads as the survey's.
		fmt.Fprintf(&b, "  tag %s %s%s code=%d weight=%.2f term=%s cue=%s negated=%v clause=%d\n",
			tag.Dimension, tag.Polarity, mixed, tag.Code, tag.Score, tag.Term, tag.Cue, tag.Negated, tag.Clause)
		for _, e := range tag.Evidence {
			switch {
			case e.Cue == "" && e.Rule != "":
				fmt.Fprintf(&b, "    clause %d: term %s, by rule %s\n", e.Clause, e.Term, e.Rule)
			case e.Cue == "":
				fmt.Fprintf(&b, "    clause %d: term %s\n", e.Clause, e.Term)
			case e.Inherited && e.From < 0:
				fmt.Fprintf(&b, "    named in passing: takes the reason's %s\n", e.CuePolarity)
			case e.Inherited && e.From > 0:
				fmt.Fprintf(&b, "    clause %d: %s inherits the next clause's %s (%s, clause %d) weight %.2f\n", e.Clause, e.Term, e.CuePolarity, e.Cue, e.From, e.Weight)
			case e.Inherited:
				fmt.Fprintf(&b, "    clause %d: %s inherits the clause's %s (%s) weight %.2f\n", e.Clause, e.Term, e.CuePolarity, e.Cue, e.Weight)
			default:
				fmt.Fprintf(&b, "    clause %d: cue %s (%s) negators=%v intensifiers=%v for %s weight %.2f\n",
					e.Clause, e.Cue, e.CuePolarity, e.Negators, e.Intensifiers, e.Term, e.Weight)
			}
		}
	}
	return b.String()
}
