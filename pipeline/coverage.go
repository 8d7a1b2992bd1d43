package pipeline

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/go-ego/gse"
	"github.com/parquet-go/parquet-go"

	"github.com/vocmine/vocmine/config"
	"github.com/vocmine/vocmine/tagger"
)

// CoverageOptions say what `vocmine lexicon coverage` reads and mines.
type CoverageOptions struct {
	Input    string // file to read, with the config's input settings
	Run      string // or a published partition: its responses.parquet (accepted rows, groups known)
	Text     string // text column (default: input.text)
	Score    string // score column (default: input.score); "-" for none
	Top      int    // candidates kept per group and kind (default 20)
	Examples int    // example reasons kept per candidate (default 3)
	// Published, with Run, counts the run's own tags (responses' n_tags,
	// junk, empty) and re-tags only its untagged reasons, to mine them:
	// the run's coverage, at a fraction of the cost (the report uses it).
	Published bool
}

// GroupCoverage is one group's share of reasons with at least one tag.
type GroupCoverage struct {
	Group     string  `parquet:"group"`
	Reasons   int64   `parquet:"reasons"`   // rows read with a text column
	Junk      int64   `parquet:"junk"`      // empty or junk answers ("无")
	Tagged    int64   `parquet:"tagged"`    // non-junk with at least one tag
	Untagged  int64   `parquet:"untagged"`  // non-junk with none
	Coverage  float64 `parquet:"coverage"`  // tagged / (tagged + untagged)
	Uncovered float64 `parquet:"uncovered"` // untagged / (tagged + untagged): 1 - Coverage
	Unscored  int64   `parquet:"unscored"`  // rows whose score did not parse (group "all" only)
}

// Candidate is a word or two-word phrase frequent in untagged reasons: what
// the next lexicon change should consider.
type Candidate struct {
	Group     string   `parquet:"group"`
	Kind      string   `parquet:"kind"` // word or phrase
	Rank      int32    `parquet:"rank"`
	Candidate string   `parquet:"candidate"` // a phrase's words are separated by a space
	Reasons   int64    `parquet:"reasons"`   // untagged reasons of the group holding it
	Share     float64  `parquet:"share"`     // of the group's untagged reasons
	Examples  []string `parquet:"examples,list"`
}

// CoverageReport is what Coverage found.
type CoverageReport struct {
	Groups     []GroupCoverage // bottom, middle, top (those present: detractor first), then all
	Candidates []Candidate     // by group in that order, words then phrases, by rank
}

// coverageGroups orders groups as teams read them: the bottom group
// (detractors) first.
func coverageGroups(sc config.Score) []string {
	g := sc.Groups()
	return []string{g[2], g[1], g[0], "all"}
}

// Coverage tags every reason of o.Input (or of a published run, o.Run) and measures, per score group, how
// many non-junk reasons get at least one tag; in the untagged ones it counts
// the words and adjacent word pairs that are neither stop words (gse's list)
// nor lexicon words, as candidates for the lexicon.
func Coverage(ctx context.Context, cfg *config.Config, tg *tagger.Tagger, o CoverageOptions) (*CoverageReport, error) {
	o.Text = cmp.Or(o.Text, cfg.Input.Text)
	o.Score = cmp.Or(o.Score, cfg.Input.Score)
	o.Top = cmp.Or(o.Top, 20)
	o.Examples = cmp.Or(o.Examples, 3)
	var stop gse.Segmenter
	if err := stop.LoadStopEmbed(); err != nil {
		return nil, err
	}
	stats := map[string]*GroupCoverage{}
	miners := map[string]*miner{}
	for _, g := range coverageGroups(cfg.Score) {
		stats[g] = &GroupCoverage{Group: g}
	}
	err := o.reasons(ctx, cfg, func(text, group string, pub *responseText) error {
		groups := []string{"all"}
		if group == "" {
			stats["all"].Unscored++
		} else if group != "all" {
			groups = append(groups, group)
		}
		// The published tags when asked for; the tagger's otherwise, and
		// always for the untagged reasons, which are mined.
		junk, tagged := false, false
		var r tagger.Result
		if pub != nil {
			junk, tagged = pub.Junk || pub.Empty, pub.NTags > 0
		}
		if pub == nil || !junk && !tagged {
			r = tg.Tag(text)
			junk, tagged = r.Empty || r.Junk, len(r.Tags) > 0
		}
		for _, g := range groups {
			st := stats[g]
			st.Reasons++
			switch {
			case junk:
				st.Junk++
			case tagged:
				st.Tagged++
			default:
				st.Untagged++
				if miners[g] == nil {
					miners[g] = &miner{count: map[string]*Candidate{}}
				}
				miners[g].add(r, text, tg, &stop, o.Examples)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}

	rep := &CoverageReport{}
	for _, g := range coverageGroups(cfg.Score) {
		st := stats[g]
		if st.Reasons == 0 {
			continue
		}
		if n := st.Tagged + st.Untagged; n > 0 {
			st.Coverage = float64(st.Tagged) / float64(n)
			st.Uncovered = float64(st.Untagged) / float64(n)
		}
		rep.Groups = append(rep.Groups, *st)
		// Overall candidates only repeat the groups' when there are groups.
		if g == "all" && len(rep.Groups) > 1 {
			continue
		}
		if m := miners[g]; m != nil {
			rep.Candidates = append(rep.Candidates, m.top(g, st.Untagged, o.Top)...)
		}
	}
	return rep, nil
}

// reasons calls f with each reason to measure and its group: "" when its
// score did not parse, "all" when the input has no score column; and, with
// o.Published, the published row.
func (o CoverageOptions) reasons(ctx context.Context, cfg *config.Config, f func(text, group string, pub *responseText) error) error {
	if o.Run != "" {
		return eachResponse(filepath.Join(o.Run, "responses.parquet"), func(r responseText) error {
			if o.Published {
				return f(r.Text, r.Group, &r)
			}
			return f(r.Text, r.Group, nil)
		})
	}
	score := o.Score
	if score == "-" {
		score = ""
	}
	return eachReason(ctx, cfg, o.Input, o.Text, score, func(rec *Record) error {
		if len(rec.Values) < 2 {
			return f(rec.Values[0], "all", nil)
		}
		s, err := strconv.Atoi(strings.TrimSpace(rec.Values[1]))
		if err != nil || s < cfg.Score.Scale[0] || s > cfg.Score.Scale[1] {
			return f(rec.Values[0], "", nil)
		}
		return f(rec.Values[0], cfg.Score.Group(s), nil)
	})
}

// responseText is the part of responses.parquet that coverage reads.
type responseText struct {
	Text  string `parquet:"text"`
	Group string `parquet:"group"`
	NTags int32  `parquet:"n_tags"`
	Junk  bool   `parquet:"junk"`
	Empty bool   `parquet:"empty"`
}

// eachResponse streams the rows of a published responses.parquet.
func eachResponse(path string, f func(responseText) error) error {
	file, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrInput, err)
	}
	defer file.Close()
	r := parquet.NewGenericReader[responseText](file)
	defer r.Close()
	buf := make([]responseText, 1024)
	for {
		n, err := r.Read(buf)
		for _, row := range buf[:n] {
			if ferr := f(row); ferr != nil {
				return ferr
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%w: reading %s: %w", ErrInput, path, err)
		}
	}
}

// eachReason calls f with each readable record of input (EachRecord): its
// values are the text column, then the score column when score is not empty.
func eachReason(ctx context.Context, cfg *config.Config, input, text, score string, f func(*Record) error) error {
	cols := []string{text}
	if score != "" {
		cols = append(cols, score)
	}
	return EachRecord(ctx, cfg, input, cols, f)
}

// miner counts candidate words and phrases in one group's untagged reasons.
type miner struct {
	count map[string]*Candidate // key: kind + "\x00" + candidate
}

func (m *miner) add(r tagger.Result, raw string, tg *tagger.Tagger, stop *gse.Segmenter, examples int) {
	seen := map[string]bool{} // count each candidate once per reason
	bump := func(kind, text string) {
		key := kind + "\x00" + text
		if seen[key] {
			return
		}
		seen[key] = true
		c := m.count[key]
		if c == nil {
			c = &Candidate{Kind: kind, Candidate: text}
			m.count[key] = c
		}
		c.Reasons++
		if len(c.Examples) < examples && !slices.Contains(c.Examples, raw) {
			c.Examples = append(c.Examples, raw)
		}
	}
	content := func(tok string) bool {
		return utf8.RuneCountInString(tok) >= 2 && !stop.IsStop(tok) && !tg.IsLexiconWord(tok) &&
			strings.IndexFunc(tok, func(c rune) bool { return unicode.IsLetter(c) }) >= 0
	}
	for _, c := range r.Clauses {
		for i := c.Start; i < c.End; i++ {
			tok := r.Tokens[i]
			if !content(tok) {
				continue
			}
			bump("word", tok)
			if i+1 < c.End && content(r.Tokens[i+1]) {
				bump("phrase", tok+" "+r.Tokens[i+1])
			}
		}
	}
}

// top returns the group's most frequent words, then phrases, each ranked.
func (m *miner) top(group string, untagged int64, n int) []Candidate {
	var out []Candidate
	for _, kind := range []string{"word", "phrase"} {
		var cs []Candidate
		for _, c := range m.count {
			if c.Kind == kind && c.Reasons > 1 { // once is an anecdote
				cs = append(cs, *c)
			}
		}
		slices.SortFunc(cs, func(a, b Candidate) int {
			return cmp.Or(cmp.Compare(b.Reasons, a.Reasons), cmp.Compare(a.Candidate, b.Candidate))
		})
		for i := range cs[:min(n, len(cs))] {
			c := cs[i]
			c.Group, c.Rank, c.Share = group, int32(i+1), float64(c.Reasons)/float64(untagged)
			out = append(out, c)
		}
	}
	return out
}

// WriteCandidates writes the candidates to a Parquet file at path.
func WriteCandidates(path string, cs []Candidate) error {
	_, err := writeTable(path, "zstd", cs)
	return err
}
