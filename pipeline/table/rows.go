package table

import (
	"github.com/parquet-go/parquet-go"

	"github.com/vocmine/vocmine/pipeline/aggregate"
)

// The row tables: one row per response (responses, codes) or per tag
// (mentions). docs/OUTPUTS.md documents every column; keep the two in step.

// ResponsesColumns are the columns of responses.parquet: the fixed ones,
// then one string column per segment.
func ResponsesColumns(segments []string) []Column {
	cols := []Column{
		{Name: "response_id", Node: parquet.String()},
		{Name: "score", Node: parquet.Int(32)},
		{Name: "group", Node: parquet.String()},
		{Name: "text", Node: parquet.String()},
		{Name: "tokens", Node: parquet.List(parquet.Encoded(parquet.String(), &parquet.Plain))},
		{Name: "n_tags", Node: parquet.Int(32)},
		{Name: "sentiment", Node: parquet.String()},
		{Name: "junk", Node: parquet.Leaf(parquet.BooleanType)},
		{Name: "empty", Node: parquet.Leaf(parquet.BooleanType)},
		{Name: "source_file", Node: parquet.String()},
		{Name: "source_line", Node: parquet.Int(64)},
		{Name: "lexicon_version", Node: parquet.String()},
	}
	for _, s := range segments {
		cols = append(cols, Column{Name: s, Node: parquet.String()})
	}
	return cols
}

// CodesColumns are the columns of codes.parquet: response_id, group, score,
// lexicon_version, then one int32 code column per aggregate.Dim, top
// levels followed by their leaves.
func CodesColumns(dims []aggregate.Dim) []Column {
	cols := []Column{{Name: "response_id", Node: parquet.String()}, {Name: "group", Node: parquet.String()}, {Name: "score", Node: parquet.Int(32)}, {Name: "lexicon_version", Node: parquet.String()}}
	for _, d := range dims {
		cols = append(cols, Column{Name: d.Name, Node: parquet.Int(32)})
	}
	return cols
}

// MentionRow is one (response, dimension) tag of mentions.parquet.
type MentionRow struct {
	ResponseID string  `parquet:"response_id"`
	Group      string  `parquet:"group,dict"`
	Score      int32   `parquet:"score"`
	Dimension  string  `parquet:"dimension,dict"`
	Top        string  `parquet:"top,dict"`
	Polarity   string  `parquet:"polarity,dict"`
	Code       int32   `parquet:"code"`
	Weight     float64 `parquet:"weight"`
	Term       string  `parquet:"term,dict"`
	Cue        string  `parquet:"cue,dict"`
	Negated    bool    `parquet:"negated"`
	Clause     int32   `parquet:"clause"`
	// LexiconVersion: see pipeline.LexiconVersion; the same in every table.
	LexiconVersion string `parquet:"lexicon_version,dict"`
}
