package pipeline

import (
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
	r := rand.New(rand.NewPCG(1, 2))
	groups := []string{"promoter", "passive", "detractor"}
	type item struct {
		resp Response
		ps   []DimPolarity
	}
	var items []item
	for range 500 {
		it := item{resp: Response{Score: r.IntN(11), Segments: []string{[]string{"a", "b", "c"}[r.IntN(3)], []string{"x", "y"}[r.IntN(2)]}, Order: int8(r.IntN(3))}}
		it.resp.Group = groups[r.IntN(3)]
		for d := range 4 {
			if r.IntN(3) == 0 {
				it.ps = append(it.ps, DimPolarity{Dim: d, Polarity: tagger.Polarity(r.IntN(3) - 1)})
			}
		}
		items = append(items, it)
	}
	count := func(its []item) *Counters {
		c := NewCounters(nps, 4, 2)
		c.CountBy([]int{1})
		for i := range its {
			c.Add(&its[i].resp, its[i].ps)
		}
		return c
	}
	whole := count(items)
	for _, cut := range []int{0, 1, 250, 499, 500} {
		a, b := count(items[:cut]), count(items[cut:])
		a.Merge(b)
		if !reflect.DeepEqual(a, whole) {
			t.Fatalf("split at %d: merged counters differ from the whole's", cut)
		}
	}
}
