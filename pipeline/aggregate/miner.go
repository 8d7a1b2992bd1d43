package aggregate

import (
	"cmp"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/go-ego/gse"

	"github.com/vocmine/vocmine/config"
	"github.com/vocmine/vocmine/tagger"
)

// The miner measures, per score group, how many reasons the lexicons tag,
// and counts the candidate words and two-word phrases of the untagged ones
// while they are tagged: pipeline.Shard feeds it, Merge adds shards up, and
// pipeline.Job.Commit writes coverage.parquet and candidates.parquet, which
// the report and `vocmine lexicon coverage --run` read. `lexicon coverage
// --input` feeds one too.
const (
	// MinerTerms bounds the terms a group's miner holds: it counts every
	// term exactly until the group has 2×MinerTerms distinct terms, then
	// prunes as a batched Misra–Gries summary with MinerTerms counters
	// (subtracting the (MinerTerms+1)-th largest count from every count and
	// dropping those left at zero). A count is then at most Undercount
	// below the true count, and Undercount <= the group's term occurrences /
	// (MinerTerms+1), merged or not (Agarwal et al., "Mergeable
	// summaries", 2012). 1M short reasons of the bench's low-coverage
	// input hold 74k terms in the largest group: exact (docs/BENCHMARKS.md).
	MinerTerms = 50_000
	// CandidatesPerKind is how many words, and how many phrases, of each
	// group candidates.parquet keeps.
	CandidatesPerKind = 100
	// CandidateExamples is how many example reasons a candidate keeps.
	CandidateExamples = 3
)

// Miner is the coverage and the candidate terms of a set of reasons. What
// it holds depends only on that set, not on the order of the reasons or of
// merges, as long as no group was pruned (Undercount 0): shards merge into
// the Miner of one pass. Its fields travel between Beam workers as JSON.
type Miner struct {
	Groups map[string]*groupMine `json:"groups"`

	content func(string) bool       // whether a token may be a candidate
	seen    map[*minedTerm]struct{} // a reason's terms, each counted once
	isTerm  []bool                  // a reason's tokens: content or not
	key     []byte                  // the term being counted
}

// example is the example a reason offers its terms, its verbatimText
// computed when first needed.
type example struct {
	text  string
	runes int
	same  string
	known bool // same is computed
}

func (e *example) sameText() string {
	if !e.known {
		e.same, e.known = verbatimText(e.text), true
	}
	return e.same
}

type groupMine struct {
	Coverage GroupCoverage         `json:"coverage"`
	Terms    map[string]*minedTerm `json:"terms,omitempty"` // a phrase's words are separated by a space
	// Undercount bounds how far any count is below its true count: the sum
	// of what prunes subtracted (0: every count is exact).
	Undercount int64 `json:"undercount,omitempty"`
}

type minedTerm struct {
	Reasons  int64    `json:"n"`
	Examples []string `json:"ex,omitempty"` // the best CandidateExamples (betterExample), best first
	runes    []int    // of each example; empty after decoding
	same     []string // verbatimText of each example; empty after decoding
}

// stopWords is gse's embedded stop word list, loaded once.
var stopWords = sync.OnceValues(func() (*gse.Segmenter, error) {
	var s gse.Segmenter
	return &s, s.LoadStopEmbed()
})

// NewMiner returns an empty miner whose candidates are tokens of two or
// more characters, with a letter, that are neither stop words (gse's
// list) nor words of tg's lexicons.
func NewMiner(tg *tagger.Tagger) (*Miner, error) {
	stop, err := stopWords()
	if err != nil {
		return nil, err
	}
	m := &Miner{Groups: map[string]*groupMine{}, seen: map[*minedTerm]struct{}{}}
	m.content = func(tok string) bool {
		return utf8.RuneCountInString(tok) >= 2 && strings.IndexFunc(tok, unicode.IsLetter) >= 0 &&
			!stop.IsStop(tok) && !tg.IsLexiconWord(tok)
	}
	return m, nil
}

func (m *Miner) group(name string) *groupMine {
	g := m.Groups[name]
	if g == nil {
		g = &groupMine{Coverage: GroupCoverage{Group: name}, Terms: map[string]*minedTerm{}}
		m.Groups[name] = g
	}
	return g
}

// Add counts one tagged reason in its group and in "all". group is "" for
// a reason whose score did not parse (counted and mined in "all" only), and
// "all" when there are no groups. text is the reason as read.
func (m *Miner) Add(group string, r *tagger.Result, text string) {
	junk, tagged := r.Empty || r.Junk, len(r.Tags) > 0
	all := m.group("all")
	all.Coverage.count(junk, tagged)
	g := all
	switch group {
	case "":
		all.Coverage.Unscored++
	case "all":
	default:
		g = m.group(group)
		g.Coverage.count(junk, tagged)
	}
	if !junk && !tagged {
		m.mine(g, r, text)
	}
}

func (c *GroupCoverage) count(junk, tagged bool) {
	c.Reasons++
	switch {
	case junk:
		c.Junk++
	case tagged:
		c.Tagged++
	default:
		c.Untagged++
	}
}

// mine counts the candidate words and adjacent pairs of an untagged
// reason, each once. Its example is the reason, or for a reason over
// maxVerbatimRunes characters the clause where the term is.
func (m *Miner) mine(g *groupMine, r *tagger.Result, text string) {
	clear(m.seen)
	m.isTerm = m.isTerm[:0]
	for _, tok := range r.Tokens {
		m.isTerm = append(m.isTerm, m.content(tok))
	}
	runes := utf8.RuneCountInString(text)
	ex := example{text: text, runes: runes}
	for _, c := range r.Clauses {
		if runes > maxVerbatimRunes {
			ex = example{text: "…" + c.Text + "…", runes: utf8.RuneCountInString(c.Text) + 2}
		}
		for i := c.Start; i < c.End; i++ {
			if !m.isTerm[i] {
				continue
			}
			m.key = append(m.key[:0], r.Tokens[i]...)
			m.bump(g, &ex)
			if i+1 < c.End && m.isTerm[i+1] {
				m.key = append(append(m.key, ' '), r.Tokens[i+1]...)
				m.bump(g, &ex)
			}
		}
	}
	if len(g.Terms) > 2*MinerTerms {
		g.prune()
	}
}

// bump counts the term m.key in the reason, unless counted already.
func (m *Miner) bump(g *groupMine, ex *example) {
	t := g.Terms[string(m.key)]
	if t == nil {
		t = &minedTerm{}
		g.Terms[string(m.key)] = t
	} else if _, ok := m.seen[t]; ok {
		return
	}
	m.seen[t] = struct{}{}
	t.Reasons++
	t.offer(ex)
}

// betterExample orders examples: those of at least minVerbatimRunes
// characters first, then the shorter, then by text.
func betterExample(a string, ar int, b string, br int) int {
	if sa, sb := ar < minVerbatimRunes, br < minVerbatimRunes; sa != sb {
		if sa {
			return 1
		}
		return -1
	}
	if ar != br {
		return cmp.Compare(ar, br)
	}
	return strings.Compare(a, b)
}

// offer keeps ex if it is among the term's CandidateExamples best, one per
// text as verbatims compare them (verbatimText): of near-duplicates, the
// best only, so that the choice stays independent of order.
func (t *minedTerm) offer(e *example) {
	ex, runes := e.text, e.runes
	if len(t.runes) != len(t.Examples) {
		t.runes, t.same = t.runes[:0], t.same[:0]
		for _, e := range t.Examples {
			t.runes, t.same = append(t.runes, utf8.RuneCountInString(e)), append(t.same, verbatimText(e))
		}
	}
	n := len(t.Examples)
	if n == CandidateExamples && betterExample(ex, runes, t.Examples[n-1], t.runes[n-1]) >= 0 {
		return
	}
	same := e.sameText()
	if j := slices.Index(t.same, same); j >= 0 {
		if betterExample(ex, runes, t.Examples[j], t.runes[j]) >= 0 {
			return
		}
		t.Examples, t.runes, t.same = slices.Delete(t.Examples, j, j+1), slices.Delete(t.runes, j, j+1), slices.Delete(t.same, j, j+1)
		n--
	}
	i := 0
	for i < n && betterExample(t.Examples[i], t.runes[i], ex, runes) < 0 {
		i++
	}
	keep := min(n+1, CandidateExamples)
	t.Examples = slices.Insert(t.Examples, i, strings.Clone(ex))[:keep]
	t.runes = slices.Insert(t.runes, i, runes)[:keep]
	t.same = slices.Insert(t.same, i, same)[:keep]
}

// prune subtracts the (MinerTerms+1)-th largest count from every count and
// drops the terms left at zero or below, so that at most MinerTerms stay.
func (g *groupMine) prune() {
	counts := make([]int64, 0, len(g.Terms))
	for _, t := range g.Terms {
		counts = append(counts, t.Reasons)
	}
	slices.SortFunc(counts, func(a, b int64) int { return cmp.Compare(b, a) })
	c := counts[MinerTerms]
	for k, t := range g.Terms {
		if t.Reasons <= c {
			delete(g.Terms, k)
		} else {
			t.Reasons -= c
		}
	}
	g.Undercount += c
}

// Merge adds o's reasons into m.
func (m *Miner) Merge(o *Miner) {
	for name, og := range o.Groups {
		g := m.group(name)
		c, oc := &g.Coverage, og.Coverage
		c.Reasons += oc.Reasons
		c.Junk += oc.Junk
		c.Tagged += oc.Tagged
		c.Untagged += oc.Untagged
		c.Unscored += oc.Unscored
		g.Undercount += og.Undercount
		for k, ot := range og.Terms {
			t := g.Terms[k]
			if t == nil {
				t = &minedTerm{}
				g.Terms[k] = t
			}
			t.Reasons += ot.Reasons
			for _, e := range ot.Examples {
				t.offer(&example{text: e, runes: utf8.RuneCountInString(e)})
			}
		}
		if len(g.Terms) > 2*MinerTerms {
			g.prune()
		}
	}
}

// Report is the coverage of each group present, in coverageGroups order,
// and the top candidates of each group, words then phrases: terms in more
// than one untagged reason (once is an anecdote), by count then text, with
// at most examples examples each. The overall candidates only repeat the
// groups' when there are groups, so they are listed only when "all" is
// the only group.
func (m *Miner) Report(sc config.Score, top, examples int) *CoverageReport {
	rep := &CoverageReport{}
	for _, name := range coverageGroups(sc) {
		g := m.Groups[name]
		if g == nil || g.Coverage.Reasons == 0 {
			continue
		}
		st := g.Coverage
		if n := st.Tagged + st.Untagged; n > 0 {
			st.Coverage = float64(st.Tagged) / float64(n)
			st.Uncovered = float64(st.Untagged) / float64(n)
		}
		rep.Groups = append(rep.Groups, st)
		if name == "all" && len(rep.Groups) > 1 {
			continue
		}
		rep.Candidates = append(rep.Candidates, g.top(top, examples)...)
	}
	return rep
}

// top ranks the group's words, then its phrases.
func (g *groupMine) top(n, examples int) []Candidate {
	type ranked struct {
		term string
		t    *minedTerm
	}
	var out []Candidate
	for _, kind := range []string{"word", "phrase"} {
		var rs []ranked
		for term, t := range g.Terms {
			if t.Reasons > 1 && (kind == "phrase") == strings.Contains(term, " ") {
				rs = append(rs, ranked{term, t})
			}
		}
		slices.SortFunc(rs, func(a, b ranked) int {
			return cmp.Or(cmp.Compare(b.t.Reasons, a.t.Reasons), strings.Compare(a.term, b.term))
		})
		for i, r := range rs[:min(n, len(rs))] {
			out = append(out, Candidate{Group: g.Coverage.Group, Kind: kind, Rank: int32(i + 1), Candidate: r.term,
				Reasons: r.t.Reasons, Share: float64(r.t.Reasons) / float64(g.Coverage.Untagged),
				Examples: slices.Clone(r.t.Examples[:min(examples, len(r.t.Examples))]), Undercount: g.Undercount})
		}
	}
	return out
}
