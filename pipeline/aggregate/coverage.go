package aggregate

import "github.com/vocmine/vocmine/config"

// GroupCoverage is one group's share of reasons with at least one tag: a
// row of coverage.parquet.
type GroupCoverage struct {
	Group          string  `parquet:"group"`
	Reasons        int64   `parquet:"reasons"`   // rows read with a text column
	Junk           int64   `parquet:"junk"`      // empty or junk answers ("无")
	Tagged         int64   `parquet:"tagged"`    // non-junk with at least one tag
	Untagged       int64   `parquet:"untagged"`  // non-junk with none
	Coverage       float64 `parquet:"coverage"`  // tagged / (tagged + untagged)
	Uncovered      float64 `parquet:"uncovered"` // untagged / (tagged + untagged): 1 - Coverage
	Unscored       int64   `parquet:"unscored"`  // rows whose score did not parse (group "all" only)
	LexiconVersion string  `parquet:"lexicon_version"`
}

// Candidate is a word or two-word phrase frequent in untagged reasons: what
// the next lexicon change should consider. A row of candidates.parquet.
type Candidate struct {
	Group     string   `parquet:"group"`
	Kind      string   `parquet:"kind"` // word or phrase
	Rank      int32    `parquet:"rank"`
	Candidate string   `parquet:"candidate"` // a phrase's words are separated by a space
	Reasons   int64    `parquet:"reasons"`   // untagged reasons of the group holding it
	Share     float64  `parquet:"share"`     // of the group's untagged reasons
	Examples  []string `parquet:"examples,list"`
	// Undercount bounds how far Reasons may be below the true count: 0
	// unless the group had more distinct terms than the miner counts
	// exactly (MinerTerms).
	Undercount     int64  `parquet:"undercount"`
	LexiconVersion string `parquet:"lexicon_version"`
}

// CoverageReport is what a Miner found (Miner.Report, lextool.Coverage).
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
