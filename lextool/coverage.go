package lextool

import (
	"cmp"
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/vocmine/vocmine/config"
	"github.com/vocmine/vocmine/pipeline"
	"github.com/vocmine/vocmine/pipeline/aggregate"
	"github.com/vocmine/vocmine/pipeline/source"
	"github.com/vocmine/vocmine/pipeline/table"
	"github.com/vocmine/vocmine/tagger"
)

// CoverageOptions say what `vocmine lexicon coverage` reads and mines.
type CoverageOptions struct {
	Input    string // file to read, with the config's input settings
	Run      string // or a published partition: its responses.parquet (accepted rows, groups known)
	Text     string // text column (default: input.text)
	Score    string // score column (default: input.score); "-" for none
	Top      int    // candidates kept per group and kind (default 20)
	Examples int    // example reasons kept per candidate (default aggregate.CandidateExamples)
}

// Coverage tags every reason of o.Input (or of a published run, o.Run) and
// measures with an aggregate.Miner, per score group, how many non-junk reasons get at
// least one tag, and which words and phrases the untagged ones use.
func Coverage(ctx context.Context, cfg *config.Config, tg *tagger.Tagger, o CoverageOptions) (*aggregate.CoverageReport, error) {
	o.Text = cmp.Or(o.Text, cfg.Input.Text)
	o.Score = cmp.Or(o.Score, cfg.Input.Score)
	o.Top = cmp.Or(o.Top, 20)
	o.Examples = cmp.Or(o.Examples, aggregate.CandidateExamples)
	m, err := aggregate.NewMiner(tg)
	if err != nil {
		return nil, err
	}
	err = o.reasons(ctx, cfg, func(text, group string) error {
		r := tg.Tag(text)
		m.Add(group, &r, text)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return m.Report(cfg.Score, o.Top, o.Examples), nil
}

// reasons calls f with each reason to measure and its group: "" when its
// score did not parse, "all" when the input has no score column.
func (o CoverageOptions) reasons(ctx context.Context, cfg *config.Config, f func(text, group string) error) error {
	if o.Run != "" {
		err := table.Each(table.Path(o.Run, "responses.parquet"), func(r responseText) error {
			return f(r.Text, r.Group)
		})
		if err != nil { // f returns none: the file could not be read
			return fmt.Errorf("%w: %w", source.ErrInput, err)
		}
		return nil
	}
	score := o.Score
	if score == "-" {
		score = ""
	}
	return eachReason(ctx, cfg, o.Input, o.Text, score, func(rec *source.Record) error {
		if len(rec.Values) < 2 {
			return f(rec.Values[0], "all")
		}
		s, err := strconv.Atoi(strings.TrimSpace(rec.Values[1]))
		if err != nil || s < cfg.Score.Scale[0] || s > cfg.Score.Scale[1] {
			return f(rec.Values[0], "")
		}
		return f(rec.Values[0], cfg.Score.Group(s))
	})
}

// responseText is the part of responses.parquet that coverage reads.
type responseText struct {
	Text  string `parquet:"text"`
	Group string `parquet:"group"`
}

// eachReason calls f with each readable record of input (EachRecord): its
// values are the text column, then the score column when score is not empty.
func eachReason(ctx context.Context, cfg *config.Config, input, text, score string, f func(*source.Record) error) error {
	cols := []string{text}
	if score != "" {
		cols = append(cols, score)
	}
	return pipeline.EachRecord(ctx, cfg, input, cols, f)
}
