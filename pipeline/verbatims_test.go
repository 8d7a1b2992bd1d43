package pipeline

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/vocmine/vocmine/tagger"
)

// TestVerbatims: the shortest informative reasons, one per text, the same
// whatever the order of the responses and however they are split and
// merged.
func TestVerbatims(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	texts := []string{"信号", "信号太差了经常断", "信号太差了经常断", "网速慢信号也不好", "资费太贵了而且信号差", "信号差得很离谱啊", "地下室完全没有信号可用啊"}
	var resps []Response
	var tags [][]tagger.Tag
	for i := range 60 {
		text := texts[r.IntN(len(texts))]
		resps = append(resps, Response{ID: fmt.Sprintf("R%02d", i), Group: "detractor", Text: text})
		tags = append(tags, []tagger.Tag{{Top: "网络", Polarity: tagger.Negative, Term: "信号", Cue: "差"}, {Top: "网络", Polarity: tagger.Negative, Term: "网速"}})
	}
	collect := func(order []int) []VerbatimRow {
		a, b := NewVerbatims(3), NewVerbatims(3)
		for k, i := range order {
			if k%2 == 0 {
				a.Add(&resps[i], tags[i])
			} else {
				b.Add(&resps[i], tags[i])
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
		if want[i].runes < want[i-1].runes || want[i].Text == want[i-1].Text {
			t.Errorf("not the shortest distinct texts in order: %+v", want)
		}
	}
	for _, v := range want {
		if v.runes < MinVerbatimRunes {
			t.Errorf("too short: %+v", v)
		}
		for _, o := range resps { // the best response of each text
			if o.Text == v.Text && o.ID < v.ResponseID {
				t.Errorf("%s chosen for %q, %s is first", v.ResponseID, v.Text, o.ID)
			}
		}
	}
	for range 5 {
		r.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		if got := collect(order); !reflect.DeepEqual(got, want) {
			t.Errorf("another order gives %+v, want %+v", got, want)
		}
	}
}
