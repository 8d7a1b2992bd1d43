package tagger_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/vocmine/vocmine/lexicon"
	"github.com/vocmine/vocmine/tagger"
)

// The rules for long, multi-clause reviews: a topic before a comma takes the
// comment after it, and a dimension only named takes the reason's polarity
// (Config.Passing), with the example lexicon.
func TestLongText(t *testing.T) {
	tests := []struct {
		name    string
		cfg     tagger.Config
		text    string
		want    []string
		passing []string
		explain string // a line the explanation must hold
	}{
		{"topic, comment", tagger.Config{}, "营业厅的工作人员，非常热情", []string{"服务/态度 positive", "服务/营业厅 positive"}, nil, "inherits the next clause's positive (热情, clause 1)"},
		{"next clause names a dimension", tagger.Config{}, "去了营业厅，网速很快", []string{"服务/营业厅 neutral", "网络/网速 positive"}, nil, ""},
		{"not across a sentence end", tagger.Config{}, "去了营业厅。非常满意", []string{"服务/营业厅 neutral"}, nil, ""},
		{"not into a contrast", tagger.Config{}, "去了营业厅，但是很满意", []string{"服务/营业厅 neutral"}, nil, ""},
		{"short reasons keep neutral", tagger.Config{}, "办了宽带，去过营业厅", []string{"网络/宽带 neutral", "服务/营业厅 neutral"}, nil, ""},
		{"passing takes the review", tagger.Config{}, "办了宽带，去过营业厅，总的来说很满意",
			[]string{"网络/宽带 positive", "服务/营业厅 positive"}, nil, "named in passing: takes the reason's positive"},
		{"passing neutral", tagger.Config{Passing: tagger.PassingNeutral}, "办了宽带，去过营业厅，总的来说很满意",
			[]string{"网络/宽带 neutral", "服务/营业厅 positive"}, nil, ""},
		{"passing drop", tagger.Config{Passing: tagger.PassingDrop}, "办了宽带，去过营业厅，总的来说很满意",
			[]string{"服务/营业厅 positive"}, []string{"网络/宽带"}, "named in passing, not tagged: 网络/宽带"},
		{"passing_clauses", tagger.Config{PassingClauses: 4}, "办了宽带，去过营业厅，总的来说很满意",
			[]string{"网络/宽带 neutral", "服务/营业厅 positive"}, nil, ""},
	}
	taggers := map[tagger.Config]*tagger.Tagger{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tg := taggers[tt.cfg]
			if tg == nil {
				var err error
				if tg, err = newExampleTagger(tt.cfg); err != nil {
					t.Fatal(err)
				}
				taggers[tt.cfg] = tg
			}
			res := tg.Tag(tt.text)
			var got []string
			for _, tag := range res.Tags {
				got = append(got, tag.Dimension+" "+tag.Polarity.String())
			}
			slices.Sort(got)
			want := slices.Sorted(slices.Values(tt.want))
			if !slices.Equal(got, want) || !slices.Equal(res.Passing, tt.passing) {
				t.Errorf("Tag(%q) = %q, passing %q; want %q, passing %q\n%s", tt.text, got, res.Passing, want, tt.passing, res.Explain())
			}
			if tt.explain != "" && !strings.Contains(res.Explain(), tt.explain) {
				t.Errorf("explanation lacks %q:\n%s", tt.explain, res.Explain())
			}
		})
	}
	if _, err := tagger.New(tagger.Config{Passing: "keep"}, nil); err == nil || !strings.Contains(err.Error(), "passing") {
		t.Errorf("Passing keep: err = %v, want an error naming passing", err)
	}
}

// A word that is both a cue and an intensifier (好) is a degree adverb right
// before another cue (好慢: very slow) and a cue elsewhere (服务好).
func TestDegree(t *testing.T) {
	tg := userTagger(t, `
name: degree
dimensions:
  - name: 服务
    terms: [服务员]
`+ownWords)
	for text, want := range map[string]string{
		"服务员好慢":   "negative -1.50",
		"服务员好":    "positive 1.00",
		"服务员好不耐烦": "negative -1.50",
		"服务员不好":   "negative -1.00",
	} {
		res := tg.Tag(text)
		if len(res.Tags) != 1 || fmt.Sprintf("%s %.2f", res.Tags[0].Polarity, res.Tags[0].Score) != want {
			t.Errorf("Tag(%q): want 服务 %s\n%s", text, want, res.Explain())
		}
	}
}

// Punctuation after punctuation makes no empty clauses, and a one-character
// cue before a number is an adverb (快2个小时: almost two hours).
func TestClausesAndNumbers(t *testing.T) {
	tg, err := exampleTagger()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		text      string
		clauses   int
		sentiment tagger.Polarity
	}{
		{"网速很快……", 1, tagger.Positive},
		{"信号差！！！资费贵。。。", 2, tagger.Negative},
		{"等了快2个小时才接通", 1, tagger.Neutral},
		{"等了快一个小时", 1, tagger.Neutral},
		{"网速快", 1, tagger.Positive},
		{"好几次都没信号", 1, tagger.Negative},
	} {
		res := tg.Tag(tc.text)
		if len(res.Clauses) != tc.clauses || res.Sentiment != tc.sentiment {
			t.Errorf("Tag(%q): %d clauses, sentiment %s; want %d, %s\n%s", tc.text, len(res.Clauses), res.Sentiment, tc.clauses, tc.sentiment, res.Explain())
		}
	}
}

// A dimension with lexicon.Dimension.Mixed set is neutral when its opinions
// pull both ways enough (several dishes, some good, some bad); the sum
// decides otherwise, and for dimensions without the setting.
func TestMixed(t *testing.T) {
	tg := userTagger(t, `
name: mixed
dimensions:
  - name: 菜品/口味
    terms: [味道]
    mixed: 0.4
  - name: 服务
    terms: [服务员]
`+ownWords)
	for text, want := range map[string]string{
		"鱼的味道很好，汤的味道很差":    "菜品/口味 neutral mixed=true",
		"鱼的味道非常好，汤的味道有点差":  "菜品/口味 positive mixed=false", // 0.7 of 2: below 0.4
		"鱼的味道很好":           "菜品/口味 positive mixed=false",
		"这个服务员很好，那个服务员很差":  "服务 neutral mixed=false", // no setting: the sum (0)
		"这个服务员非常好，那个服务员很差": "服务 positive mixed=false",
	} {
		res := tg.Tag(text)
		if len(res.Tags) != 1 || fmt.Sprintf("%s %s mixed=%v", res.Tags[0].Dimension, res.Tags[0].Polarity, res.Tags[0].Mixed) != want {
			t.Errorf("Tag(%q): want %s\n%s", text, want, res.Explain())
		}
	}
}

// Config.MixedSentiment makes a reason whose cues pull both ways enough
// neutral overall; off, the sign of the sum decides.
func TestMixedSentiment(t *testing.T) {
	for _, tc := range []struct {
		mixed float64
		text  string
		want  string
	}{
		{0.6, "服务非常好，菜很难吃", "neutral true"},    // 1.5 of 2
		{0.6, "服务非常好，菜有点难吃", "positive false"}, // 0.7 of 2
		{0, "服务非常好，菜很难吃", "positive false"},
		{0.6, "服务非常好", "positive false"},
	} {
		lex, err := lexicon.Load("own.yaml", strings.NewReader("dimensions: []\n"+ownWords))
		if err != nil {
			t.Fatal(err)
		}
		tg, err := tagger.New(tagger.Config{MixedSentiment: tc.mixed}, lex)
		if err != nil {
			t.Fatal(err)
		}
		res := tg.Tag(tc.text)
		if got := fmt.Sprintf("%s %v", res.Sentiment, res.Mixed); got != tc.want {
			t.Errorf("MixedSentiment %g: Tag(%q) sentiment %s, want %s\n%s", tc.mixed, tc.text, got, tc.want, res.Explain())
		}
	}
	if _, err := tagger.New(tagger.Config{MixedSentiment: 2}, nil); err == nil {
		t.Error("MixedSentiment 2: no error")
	}
}

// ownWords are the sentiment words, negators and intensifiers of the tests
// that compute weights: their own, every cue weighing 1, so that the
// built-in vocabulary's data-driven weights do not move the figures.
const ownWords = `
sentiment:
  positive: [好, 很好]
  negative: [慢, 差, 很差, 不耐烦, 难吃]
negators: [不]
intensifiers: {好: 1.5, 很: 1.5, 非常: 2, 有点: 0.7}
`

// userTagger builds a tagger for a small lexicon alone (no built-in one).
func userTagger(t *testing.T, src string) *tagger.Tagger {
	t.Helper()
	user, err := lexicon.Load("user.yaml", strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	tg, err := tagger.New(tagger.Config{}, user)
	if err != nil {
		t.Fatal(err)
	}
	return tg
}

// A sentiment phrase that opens with a term (味道一般 in the built-in
// vocabulary) names the term's dimension instead of hiding it.
func TestPhraseHoldsTerm(t *testing.T) {
	tg := userTagger(t, `
name: phrase
dimensions:
  - name: 菜品/口味
    terms: [味道]
sentiment:
  negative: [味道一般]
`)
	res := tg.Tag("这家的味道一般")
	if len(res.Tags) != 1 || res.Tags[0].Dimension != "菜品/口味" || res.Tags[0].Polarity != tagger.Negative {
		t.Errorf("Tag(这家的味道一般): want 菜品/口味 negative\n%s", res.Explain())
	}
}

// A neutral word with a lean (lexicon.Lexicon.Leans) said plainly leans the
// reason's overall sentiment; its dimension stays neutral, and an
// intensified or negated one does not lean.
func TestLeans(t *testing.T) {
	tg := userTagger(t, `
name: leans
dimensions:
  - name: 网络/网速
    terms: [网速]
sentiment:
  neutral: [一般, 还行]
negators: [不]
intensifiers: {很: 1.5}
leans: {一般: -0.5, 还行: 0.5}
`)
	for text, want := range map[string]string{
		"网速一般":  "neutral negative -0.50",
		"网速还行":  "neutral positive 0.50",
		"网速很一般": "negative negative -0.50", // intensified: a mild complaint, no lean on top
		"网速不一般": "neutral neutral 0.00",
	} {
		res := tg.Tag(text)
		if len(res.Tags) != 1 || fmt.Sprintf("%s %s %.2f", res.Tags[0].Polarity, res.Sentiment, res.Score) != want {
			t.Errorf("Tag(%q): want tag, sentiment, score %s\n%s", text, want, res.Explain())
		}
	}
}
