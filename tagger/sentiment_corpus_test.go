package tagger_test

import (
	"path/filepath"
	"testing"

	shared "github.com/vocmine/vocmine/internal/corpora"
	"github.com/vocmine/vocmine/lexicon"
	"github.com/vocmine/vocmine/tagger"
)

// sentimentTarget is issue 14's target for whole-review sentiment with the
// built-in vocabulary alone: the share of held-out reviews whose
// Result.Sentiment is their label, undecided counting as wrong.
// sentimentFloor holds each corpus at what was measured (docs/ACCURACY.md):
// below it is a regression; between it and the target, the gap is logged.
// Raise a floor to the target once the target is met.
const sentimentTarget = 0.85

var sentimentFloor = map[string]float64{"waimai": 0.77, "hotel": 0.82, "shopping": 0.85}

// TestSentimentCorpora measures Result.Sentiment with the built-in lexicon
// alone (no dimensions) on the held-out part (every fifth data row) of each
// shared whole-review corpus, which nothing in the built-in vocabulary was
// built from, and fails below the corpus's floor. It skips where the
// corpora are absent, and fails there under VOCMINE_REQUIRE_CORPUS=1.
//
//	go test ./tagger -run SentimentCorpora -v
func TestSentimentCorpora(t *testing.T) {
	if testing.Short() {
		t.Skip("tags the labelled corpora: slow; run without -short")
	}
	tg, err := tagger.New(tagger.Config{}, lexicon.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range shared.All {
		t.Run(c.Name, func(t *testing.T) {
			rows, err := shared.Read(filepath.Dir(shared.Path(t, c.File)), c)
			if err != nil {
				t.Fatal(err)
			}
			_, held := shared.Split(rows)
			if len(held) < 1000 {
				t.Fatalf("%d held-out reviews, want at least 1000: the corpus is not the one measured", len(held))
			}
			var right, undecided int
			for _, r := range held {
				switch s := tg.Tag(r.Text).Sentiment; {
				case s == tagger.Neutral:
					undecided++
				case (s == tagger.Positive) == r.Positive:
					right++
				}
			}
			acc := float64(right) / float64(len(held))
			t.Logf("%s: %d held-out reviews, %.1f%% right, %.1f%% undecided", c.Name, len(held), 100*acc, 100*float64(undecided)/float64(len(held)))
			switch floor := sentimentFloor[c.Name]; {
			case floor == 0:
				t.Fatalf("%s: no floor", c.Name)
			case acc < floor:
				t.Errorf("%s: whole-review sentiment right on %.3f of the held-out reviews, below its floor %.3f (target %.2f)", c.Name, acc, floor, sentimentTarget)
			case acc < sentimentTarget:
				t.Logf("%s: %.3f, above its floor %.3f, short of the target %.2f", c.Name, acc, floor, sentimentTarget)
			}
		})
	}
}
