package tagger_test

import (
	"strings"
	"testing"

	"github.com/vocmine/vocmine/tagger"
)

// TestDictionaryAgreement measures, on the team's shared real corpora
// (skipped where absent), how many reasons zh_s_small tags differently from
// gse's whole zh_s with the example lexicon; docs/BENCHMARKS.md reports it.
// More than 3% means the small dictionary has drifted from the whole one.
func TestDictionaryAgreement(t *testing.T) {
	if testing.Short() {
		t.Skip("loads two dictionaries")
	}
	var texts []string
	for _, c := range corpora {
		texts = append(texts, corpus(t, c.file)...)
	}
	lex, err := exampleLexicon()
	if err != nil {
		t.Fatal(err)
	}
	small, err := tagger.New(tagger.Config{Dictionary: "zh_s_small"}, lex)
	if err != nil {
		t.Fatal(err)
	}
	whole, err := tagger.New(tagger.Config{Dictionary: "zh_s"}, lex)
	if err != nil {
		t.Fatal(err)
	}
	differ, shown := 0, 0
	for _, text := range texts {
		a, b := tagKey(small.Tag(text)), tagKey(whole.Tag(text))
		if a != b {
			differ++
			if shown < 5 {
				shown++
				t.Logf("%s\n  zh_s_small: %s\n  zh_s:       %s", text, a, b)
			}
		}
	}
	share := float64(differ) / float64(len(texts))
	t.Logf("%d of %d reasons tagged differently (%.2f%%)", differ, len(texts), 100*share)
	if share > 0.03 {
		t.Errorf("zh_s_small tags %.1f%% of reasons differently from zh_s (bound 3%%)", 100*share)
	}
}

func tagKey(r tagger.Result) string {
	var ks []string
	for _, g := range r.Tags {
		ks = append(ks, g.Dimension+"/"+g.Polarity.String())
	}
	return strings.Join(ks, ",")
}
