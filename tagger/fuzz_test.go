package tagger_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/vocmine/vocmine/tagger"
)

// FuzzTag: any bytes, no panic; every tag names a lexicon dimension with a
// code matching its polarity; tokens and clauses stay inside the text.
func FuzzTag(f *testing.F) {
	for _, s := range []string{"信号太差了，经常掉线", "服务态度很好，但是资费太贵", "无", "", "\xff\xfe信号", "ＡＰＰ不好用!!", "但是但是，，", "没有不不不满意", "5G信号差\n网速慢"} {
		f.Add(s)
	}
	tg := mustTagger(f)
	dims := map[string]bool{}
	for _, d := range tg.Dimensions() {
		dims[d.Name] = true
	}
	codes := tg.Codes()
	f.Fuzz(func(t *testing.T, text string) {
		r := tg.Tag(text)
		if !utf8.ValidString(r.Text) {
			t.Fatalf("normalized text is not valid UTF-8: %q", r.Text)
		}
		for _, tok := range r.Tokens {
			if tok == "" || !strings.Contains(r.Text, tok) {
				t.Fatalf("token %q not in text %q", tok, r.Text)
			}
		}
		for _, c := range r.Clauses {
			if c.Start < 0 || c.End > len(r.Tokens) || c.Start > c.End {
				t.Fatalf("clause %+v out of range of %d tokens", c, len(r.Tokens))
			}
		}
		for _, tag := range r.Tags {
			if !dims[tag.Dimension] {
				t.Fatalf("tag names unknown dimension %q", tag.Dimension)
			}
			if tag.Code != codes.Code(tag.Polarity) {
				t.Fatalf("tag %s has code %d for %s", tag.Dimension, tag.Code, tag.Polarity)
			}
			if len(tag.Evidence) == 0 || tag.Term == "" {
				t.Fatalf("tag %s without evidence", tag.Dimension)
			}
		}
		if (r.Junk || r.Empty) && len(r.Tags) > 0 {
			t.Fatalf("junk or empty reason %q has tags", text)
		}
	})
}

// TestConcurrentTag shares one Tagger between goroutines; run with -race.
func TestConcurrentTag(t *testing.T) {
	tg := mustTagger(t)
	texts := []string{"信号太差了，经常掉线", "服务态度很好，但是资费太贵", "客服态度冷淡", "网速不快"}
	want := make([]string, len(texts))
	for i, s := range texts {
		want[i] = strings.Join(tagStrings(tg.Tag(s)), ";")
	}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; n < 50; n++ {
				i := (g + n) % len(texts)
				if got := strings.Join(tagStrings(tg.Tag(texts[i])), ";"); got != want[i] {
					t.Errorf("concurrent Tag(%q) = %s, want %s", texts[i], got, want[i])
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestCodesAndConfig(t *testing.T) {
	if got := tagger.DefaultCodes; got.Code(tagger.Positive) != 3 || got.Code(tagger.Neutral) != 2 || got.Code(tagger.Negative) != 1 || got.Absent != 2 {
		t.Errorf("DefaultCodes = %+v, want the classic 3/2/1 with absent 2", got)
	}
	five := tagger.Codes{Positive: 5, Neutral: 3, Negative: 1, Absent: 0}
	if five.Code(tagger.Positive) != 5 || five.Code(tagger.Neutral) != 3 || five.Code(tagger.Negative) != 1 {
		t.Errorf("custom codes not applied: %+v", five)
	}
	for _, cfg := range []tagger.Config{{Dictionary: "en"}, {ContrastWeight: -1}, {NegationWindow: -2}} {
		if _, err := tagger.New(cfg, nil); err == nil {
			t.Errorf("New(%+v) succeeded, want a config error", cfg)
		}
	}
}

func ExampleTagger_Tag() {
	tg, err := exampleTagger()
	if err != nil {
		panic(err)
	}
	for _, tag := range tg.Tag("服务态度很好，但是资费太贵").Tags {
		fmt.Println(tag.Dimension, tag.Polarity, tag.Code, tag.Term, tag.Cue)
	}
	// Output:
	// 资费 negative 1 资费 太贵
	// 服务/态度 positive 3 服务态度 很好
}
