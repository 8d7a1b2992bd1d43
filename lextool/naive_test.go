package lextool

import (
	"strings"
	"testing"

	"github.com/vocmine/vocmine/lexicon"
)

const naiveLexicon = `
name: naive-test
dimensions:
  - name: 服务/态度
    terms: [服务员, 态度]
    positive_terms: [热情]
    negative_terms: [冷淡]
  - name: 价格
    terms: [价格, 价钱]
    negative_terms: [太贵]
  - name: 环境
    terms: [环境, 装修]
sentiment:
  positive: [好, 不错]
  negative: [差, 失望]
`

func TestNaive(t *testing.T) {
	lex, err := lexicon.Load("naive.yaml", strings.NewReader(naiveLexicon))
	if err != nil {
		t.Fatal(err)
	}
	n := NewNaive(lex)
	cases := []struct {
		name, text string
		tags       string // dimension:polarity:term:cue, space-separated
		sentiment  string
	}{
		// 热情 counts for 服务/态度 alone; 环境 takes the sentiment words' balance (好 +1).
		{"polarity term", "服务员很热情，环境也好", "服务/态度:positive:服务员:热情 环境:positive:环境:好", "positive"},
		// A negator means nothing to a substring search: 不冷淡 is still 冷淡.
		{"no negation", "服务员不冷淡", "服务/态度:negative:服务员:冷淡", "negative"},
		// Polarity terms that cancel fall back on the sentiment words: 差 and 失望 beat 好.
		{"cancel", "态度热情又冷淡，价格太贵，好差，失望", "服务/态度:negative:态度:差 价格:negative:价格:太贵", "negative"},
		// A term named with no sentiment anywhere is neutral; full width normalized.
		{"neutral", "ＡＢ价钱", "价格:neutral:价钱:", "neutral"},
		{"nothing", "还可以", "", "neutral"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := n.Tag(c.text)
			var got []string
			for _, tg := range r.Tags {
				got = append(got, tg.Dimension+":"+tg.Polarity.String()+":"+tg.Term+":"+tg.Cue)
				if len(tg.Evidence) != 1 || tg.Evidence[0].Term != tg.Term {
					t.Errorf("%s: evidence %+v, want the term", tg.Dimension, tg.Evidence)
				}
			}
			if g := strings.Join(got, " "); g != c.tags || r.Sentiment.String() != c.sentiment {
				t.Errorf("got %q sentiment %s, want %q sentiment %s", g, r.Sentiment, c.tags, c.sentiment)
			}
		})
	}
}
