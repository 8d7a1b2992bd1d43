package lextool_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/vocmine/vocmine/internal/corpora"
	"github.com/vocmine/vocmine/internal/exampletest"
	"github.com/vocmine/vocmine/lexicon"
	"github.com/vocmine/vocmine/lextool"
	"github.com/vocmine/vocmine/pipeline"
	"github.com/vocmine/vocmine/pipeline/aggregate"
	"github.com/vocmine/vocmine/pipeline/table"
	"github.com/vocmine/vocmine/tagger"
)

// TestCoverage: per-group coverage of a small export with the example's
// lexicon, and the candidates mined from its untagged reasons (stop words,
// lexicon words and one-off words left out; examples distinct).
func TestCoverage(t *testing.T) {
	cfg := exampletest.Config(t)
	tg := exampletest.Tagger(t, cfg)
	in := filepath.Join(t.TempDir(), "in.csv")
	rows := []string{"respondent_id,q1,q2_reason",
		"1,2,信号太差了",   // detractor, tagged
		"2,3,月底停车位不够", // detractor, untagged: 停车位
		"3,1,停车位不够",   // detractor, untagged: 停车位 again
		"4,0,停车位不够",   // same text: one example kept once
		"9,2,停车位不够！！", // a near-duplicate: one example of the two
		"5,10,无",      // promoter, junk
		"6,9,挺好的",     // promoter, untagged, no content word
		"7,9,网速快",     // promoter, tagged
		"8,x,停车位",     // no score: counts in all only
	}
	if err := os.WriteFile(in, []byte(strings.Join(rows, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err := lextool.Coverage(context.Background(), cfg, tg, lextool.CoverageOptions{Input: in})
	if err != nil {
		t.Fatal(err)
	}
	want := []aggregate.GroupCoverage{
		{Group: "detractor", Reasons: 5, Tagged: 1, Untagged: 4, Coverage: 0.2, Uncovered: 0.8},
		{Group: "promoter", Reasons: 3, Junk: 1, Tagged: 1, Untagged: 1, Coverage: 0.5, Uncovered: 0.5},
		{Group: "all", Reasons: 9, Junk: 1, Tagged: 2, Untagged: 6, Coverage: 2.0 / 8, Uncovered: 6.0 / 8, Unscored: 1},
	}
	if len(rep.Groups) != len(want) {
		t.Fatalf("groups %+v, want %+v", rep.Groups, want)
	}
	for i := range want {
		if rep.Groups[i] != want[i] {
			t.Errorf("group %d: %+v, want %+v", i, rep.Groups[i], want[i])
		}
	}
	if len(rep.Candidates) == 0 {
		t.Fatalf("no candidates: %+v", rep.Candidates)
	}
	c := rep.Candidates[0]
	if c.Group != "detractor" || c.Kind != "word" || c.Candidate != "停车位" || c.Reasons != 4 || c.Rank != 1 || c.Share != 1 ||
		!reflect.DeepEqual(c.Examples, []string{"停车位不够！！", "月底停车位不够"}) {
		t.Errorf("first candidate %+v, want 停车位 in all 4 untagged detractor reasons with 2 examples, one of the near-duplicates (the best: 6 characters or more, then by text)", c)
	}
	for _, c := range rep.Candidates {
		if c.Reasons < 2 || tg.IsLexiconWord(c.Candidate) || c.Group == "all" {
			t.Errorf("candidate %+v: once-only, a lexicon word, or an overall repeat of the groups", c)
		}
	}
	path := filepath.Join(t.TempDir(), "candidates.parquet")
	if _, err := table.Write(path, "zstd", rep.Candidates); err != nil {
		t.Fatal(err)
	}
	got, err := parquet.ReadFile[aggregate.Candidate](path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(rep.Candidates) || got[0].Candidate != "停车位" || len(got[0].Examples) != 2 {
		t.Errorf("candidates.parquet: %+v", got)
	}
}

// TestCoverageOfRun reads a published run's responses: its accepted rows,
// with their groups, re-tagged; the figures match the run's own.
func TestCoverageOfRun(t *testing.T) {
	cfg := exampletest.Config(t)
	o := pipeline.Options{Tagger: exampletest.Tagger(t, cfg)}
	m, err := pipeline.Run(context.Background(), cfg, o)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := lextool.Coverage(context.Background(), cfg, o.Tagger, lextool.CoverageOptions{Run: cfg.RunDir()})
	if err != nil {
		t.Fatal(err)
	}
	all := rep.Groups[len(rep.Groups)-1]
	var tagged int64
	rows, err := parquet.ReadFile[struct {
		NTags int32 `parquet:"n_tags"`
	}](table.Path(cfg.RunDir(), "responses.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.NTags > 0 {
			tagged++
		}
	}
	if all.Group != "all" || all.Reasons != m.Respondents || all.Tagged != tagged || all.Unscored != 0 || len(rep.Groups) != 4 {
		t.Errorf("coverage of the run: %+v (groups %d); want %d reasons, %d tagged", all, len(rep.Groups), m.Respondents, tagged)
	}
	// The run mined while tagging: its coverage.parquet and
	// candidates.parquet are what re-tagging its responses finds.
	pub, err := table.ReadCoverage(cfg.RunDir())
	if err != nil {
		t.Fatal(err)
	}
	again, err := lextool.Coverage(context.Background(), cfg, o.Tagger, lextool.CoverageOptions{Run: cfg.RunDir(), Top: aggregate.CandidatesPerKind})
	if err != nil {
		t.Fatal(err)
	}
	for i := range pub.Groups {
		if pub.Groups[i].LexiconVersion != m.LexiconVersion {
			t.Errorf("coverage.parquet row %d: lexicon_version %q, want %q", i, pub.Groups[i].LexiconVersion, m.LexiconVersion)
		}
		pub.Groups[i].LexiconVersion = ""
	}
	for i := range pub.Candidates {
		pub.Candidates[i].LexiconVersion = ""
	}
	if len(pub.Candidates) == 0 || !reflect.DeepEqual(pub, again) {
		t.Errorf("the run's own coverage differs from re-tagging its responses:\n%+v\n%+v", pub, again)
	}
}

// TestWaimaiTutorial keeps docs/LEXICON.md's tutorial true: its end state
// (examples/waimai) covers at least 80% of the shared waimai reviews in
// every group. Skipped where the shared corpora are absent, failed there
// under VOCMINE_REQUIRE_CORPUS=1.
func TestWaimaiTutorial(t *testing.T) {
	data := corpora.Path(t, "waimai_10k.csv")
	cfg := exampletest.Load(t, filepath.Join("..", "examples", "waimai", "config.yaml"), time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC))
	lex, err := lexicon.LoadFiles(cfg.BuiltinLexicon, cfg.Lexicons...)
	if err != nil {
		t.Fatal(err)
	}
	tg, err := tagger.New(pipeline.TaggerConfig(cfg), lex)
	if err != nil {
		t.Fatal(err)
	}
	if fails := tg.TestExamples(lex.Examples); len(fails) > 0 {
		t.Errorf("the tutorial lexicon fails its examples: %v", fails)
	}
	rep, err := lextool.Coverage(context.Background(), cfg, tg, lextool.CoverageOptions{Input: data})
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range rep.Groups {
		t.Logf("%s: %d reasons, coverage %.1f%%", g.Group, g.Reasons, 100*g.Coverage)
		if g.Coverage < 0.80 {
			t.Errorf("%s: coverage %.1f%%, the tutorial promises at least 80%%", g.Group, 100*g.Coverage)
		}
	}
}
