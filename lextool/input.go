package lextool

import (
	"context"
	"runtime"
	"strconv"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/vocmine/vocmine/config"
	"github.com/vocmine/vocmine/pipeline"
	"github.com/vocmine/vocmine/pipeline/source"
	"github.com/vocmine/vocmine/tagger"
)

// Engine tags one reason; *tagger.Tagger is one, Naive another. Tag must be
// safe for concurrent use.
type Engine interface {
	Tag(text string) tagger.Result
}

// ReadInput reads the reasons of input with the config's input settings
// (format, encoding, the id, text and score columns): each with its score
// group, "" when the score does not parse or is off the scale. Unreadable
// rows are skipped, as `lexicon coverage` skips them.
func ReadInput(ctx context.Context, cfg *config.Config, input string) ([]Review, error) {
	var out []Review
	cols := []string{cfg.Input.ID, cfg.Input.Text, cfg.Input.Score}
	err := pipeline.EachRecord(ctx, cfg, input, cols, func(rec *source.Record) error {
		out = append(out, Review{ID: rec.Values[0], Text: rec.Values[1], Group: group(cfg.Score, rec.Values[2])})
		return nil
	})
	return out, err
}

// group is the score group of a score as read.
func group(sc config.Score, v string) string {
	s, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || len(sc.Scale) != 2 || s < sc.Scale[0] || s > sc.Scale[1] {
		return ""
	}
	return sc.Group(s)
}

// TagAll sets the Result of every review, on all cores; the results do not
// depend on the order in which they are computed.
func TagAll(ctx context.Context, e Engine, reviews []Review) error {
	g, ctx := errgroup.WithContext(ctx)
	workers := runtime.GOMAXPROCS(0)
	for w := range workers {
		g.Go(func() error {
			for i := w; i < len(reviews); i += workers {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				reviews[i].Result = e.Tag(reviews[i].Text)
			}
			return nil
		})
	}
	return g.Wait()
}
