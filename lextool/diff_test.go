package lextool_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vocmine/vocmine/internal/exampletest"
	"github.com/vocmine/vocmine/lexicon"
	"github.com/vocmine/vocmine/lextool"
	"github.com/vocmine/vocmine/pipeline"
	"github.com/vocmine/vocmine/tagger"
)

// TestLexiconDiff: a new lexicon that adds a dimension, drops a term and
// turns a plain term into a negative one shows each change once per reason.
func TestLexiconDiff(t *testing.T) {
	cfg := exampletest.Config(t)
	build := func(src string) *tagger.Tagger {
		l, err := lexicon.Load("x.yaml", strings.NewReader(src))
		if err != nil {
			t.Fatal(err)
		}
		tg, err := tagger.New(pipeline.TaggerConfig(cfg), lexicon.Merge(lexicon.Builtin(), l))
		if err != nil {
			t.Fatal(err)
		}
		return tg
	}
	old := build("dimensions:\n  - name: 网络\n    terms: [信号, 网速]\n  - name: 资费\n    terms: [资费, 月租]\n")
	new := build("dimensions:\n  - name: 网络\n    terms: [信号]\n  - name: 资费\n    terms: [资费]\n    negative_terms: [月租]\n  - name: 客服\n    terms: [客服]\n")
	in := filepath.Join(t.TempDir(), "in.csv")
	rows := "respondent_id,q1,q2_reason\n1,3,网速很慢\n2,9,客服很好\n3,5,月租\n4,9,信号好\n5,2,网速太慢了\n"
	if err := os.WriteFile(in, []byte(rows), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err := lextool.LexiconDiff(context.Background(), cfg, old, new, in, "", 1)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]lextool.DimensionDiff{}
	for _, d := range rep.Dimensions {
		got[d.Dimension] = d
	}
	if rep.Reasons != 5 || rep.Changed != 4 {
		t.Errorf("%d reasons, %d changed; want 5, 4", rep.Reasons, rep.Changed)
	}
	if d := got["网络"]; d.Lost != 2 || d.Gained != 0 || len(d.Examples) != 1 || d.Examples[0].New != "" {
		t.Errorf("网络: %+v, want 2 lost (网速) with one example", d)
	}
	if d := got["客服"]; d.Gained != 1 || d.Examples[0].New != "客服:positive" {
		t.Errorf("客服: %+v, want 1 gained", d)
	}
	if d := got["资费"]; d.Changed != 1 || d.Examples[0].Old != "资费:neutral" || d.Examples[0].New != "资费:negative" {
		t.Errorf("资费: %+v, want 月租 neutral -> negative", d)
	}
}
