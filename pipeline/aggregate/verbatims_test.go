package aggregate

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/vocmine/vocmine/tagger"
)

// TestVerbatims: the shortest informative reasons, one per text (texts that
// differ only by punctuation, symbols, spaces, width or case are one), the
// same whatever the order of the responses and however they are split and
// merged.
func TestVerbatims(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	// Each line is one text: its near-duplicates after the first.
	classes := [][]string{
		{"信号"}, // too short
		{"信号差，断网", "信号差 断网", "信号差断网!!"},
		{"ＷＩＦＩ很卡", "wifi很卡", "WiFi很卡~"},
		{"信号太差了经常断"},
		{"网速慢信号也不好"},
		{"资费太贵了而且信号差"},
		{"信号差得很离谱啊"},
		{"地下室完全没有信号可用啊"},
	}
	class := map[string]int{}
	var texts []string
	for i, c := range classes {
		for _, text := range c {
			class[text] = i
			texts = append(texts, text, text) // each text more than once
		}
	}
	type response struct{ ID, Group, Text string }
	var resps []response
	var tags [][]tagger.Tag
	for i := range 80 {
		text := texts[r.IntN(len(texts))]
		resps = append(resps, response{ID: fmt.Sprintf("R%02d", i), Group: "detractor", Text: text})
		tags = append(tags, []tagger.Tag{{Top: "网络", Polarity: tagger.Negative, Term: "信号", Cue: "差"}, {Top: "网络", Polarity: tagger.Negative, Term: "网速"}})
	}
	collect := func(order []int) []VerbatimRow {
		a, b := NewVerbatims(3), NewVerbatims(3)
		for k, i := range order {
			if k%2 == 0 {
				a.Add(resps[i].ID, resps[i].Group, resps[i].Text, tags[i])
			} else {
				b.Add(resps[i].ID, resps[i].Group, resps[i].Text, tags[i])
			}
		}
		a.Merge(b)
		return a.Rows([]string{"网络"})
	}
	order := make([]int, len(resps))
	for i := range order {
		order[i] = i
	}
	want := collect(order)
	if len(want) != 3 || want[0].Rank != 1 || want[0].Term != "信号" {
		t.Fatalf("verbatims %+v", want)
	}
	for i := 1; i < len(want); i++ {
		if want[i].runes < want[i-1].runes {
			t.Errorf("not the shortest first: %+v", want)
		}
	}
	// best is the best response of each class: the shortest text, then the
	// smallest id.
	best := map[int]VerbatimRow{}
	for _, o := range resps {
		c := VerbatimRow{ResponseID: o.ID, Text: o.Text, runes: len([]rune(o.Text))}
		if b, ok := best[class[o.Text]]; c.runes >= minVerbatimRunes && (!ok || better(c, b) < 0) {
			best[class[o.Text]] = c
		}
	}
	var chosen []int
	for _, v := range want {
		if v.runes < minVerbatimRunes {
			t.Errorf("too short: %+v", v)
		}
		c := class[v.Text]
		if slices.Contains(chosen, c) {
			t.Errorf("%q and another text of %q both chosen: %+v", v.Text, classes[c], want)
		}
		chosen = append(chosen, c)
		if b := best[c]; b.ResponseID != v.ResponseID {
			t.Errorf("%s (%q) chosen for %q, %s (%q) is better", v.ResponseID, v.Text, classes[c], b.ResponseID, b.Text)
		}
	}
	for c, b := range best { // no class left out is better than the last chosen
		if !slices.Contains(chosen, c) && better(b, want[len(want)-1]) < 0 {
			t.Errorf("%s (%q) left out, better than %+v", b.ResponseID, b.Text, want[len(want)-1])
		}
	}
	for range 5 {
		r.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		if got := collect(order); !reflect.DeepEqual(got, want) {
			t.Errorf("another order gives %+v, want %+v", got, want)
		}
	}
}

// TestVerbatimText: which texts count as one.
func TestVerbatimText(t *testing.T) {
	for _, tc := range []struct {
		name string
		a, b string
		same bool
	}{
		{"punctuation", "信号差，断网！", "信号差断网", true},
		{"spaces", "信号 差\t断网", "信号差断网", true},
		{"width and case", "ＷｉＦｉ很卡", "wifi很卡", true},
		{"symbols", "太卡了~~😡", "太卡了", true},
		{"other words", "信号差", "信号好", false},
		{"word order", "差信号", "信号差", false},
	} {
		if got := verbatimText(tc.a) == verbatimText(tc.b); got != tc.same {
			t.Errorf("%s: %q and %q the same: %v, want %v", tc.name, tc.a, tc.b, got, tc.same)
		}
	}
}
