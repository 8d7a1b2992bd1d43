package aggregate

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/vocmine/vocmine/tagger"
)

// TestCountersMerge: counters of two halves of the input, merged, equal the
// counters of the whole, for any split (the design's mergeable aggregates:
// shards counted apart add up exactly), segments, orders and per-segment
// mentions included.
func TestCountersMerge(t *testing.T) {
	items := counterItems(500)
	whole := count(items)
	for _, cut := range []int{0, 1, 250, 499, 500} {
		a, b := count(items[:cut]), count(items[cut:])
		a.Merge(b)
		if !reflect.DeepEqual(a, whole) {
			t.Fatalf("split at %d: merged counters differ from the whole's", cut)
		}
	}
}

// TestCountersJSON: counters decoded from JSON (as Beam's workers send
// them) count on like the original: Add and Merge into the decoded value
// give the original's result.
func TestCountersJSON(t *testing.T) {
	items := counterItems(600)
	orig := count(items[:200])
	b, err := json.Marshal(orig)
	if err != nil {
		t.Fatal(err)
	}
	var decoded Counters
	if err := json.Unmarshal(b, &decoded); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&decoded, orig) {
		t.Errorf("decoded counters differ from the original")
	}
	more := count(items[400:])
	for _, c := range []*Counters{orig, &decoded} {
		for i := range items[200:400] {
			it := &items[200+i]
			c.Add(it.score, it.order, it.segments, it.ps)
		}
		c.Merge(more)
	}
	if !reflect.DeepEqual(&decoded, orig) {
		t.Fatalf("after Add and Merge, decoded counters differ from the original")
	}
	if want := count(items); !reflect.DeepEqual(orig, want) {
		t.Fatalf("after Add and Merge, counters differ from the whole's")
	}
}

type counterItem struct {
	score    int
	order    int8
	segments []string
	ps       []DimPolarity
}

// counterItems returns n random responses on a 0-10 scale with 2 segment
// columns, orders and mentions of 4 Dims.
func counterItems(n int) []counterItem {
	r := rand.New(rand.NewPCG(1, 2))
	var items []counterItem
	for range n {
		it := counterItem{score: r.IntN(11), order: int8(r.IntN(3)),
			segments: []string{[]string{"a", "b", "c"}[r.IntN(3)], []string{"x", "y"}[r.IntN(2)]}}
		for d := range 4 {
			if r.IntN(3) == 0 {
				it.ps = append(it.ps, DimPolarity{Dim: d, Polarity: tagger.Polarity(r.IntN(3) - 1)})
			}
		}
		items = append(items, it)
	}
	return items
}

// count returns the counters of items, counted by segment column 1 too.
func count(items []counterItem) *Counters {
	c := NewCounters(nps, 4, 2)
	c.CountBy([]int{1})
	for i := range items {
		it := &items[i]
		c.Add(it.score, it.order, it.segments, it.ps)
	}
	return c
}
