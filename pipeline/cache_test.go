package pipeline

import (
	"strings"
	"testing"

	"github.com/vocmine/vocmine/lexicon"
	"github.com/vocmine/vocmine/tagger"
)

func TestTagCache(t *testing.T) {
	tg, err := tagger.New(tagger.Config{}, lexicon.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	c := newTagCache(4)
	short, long := "信号太差了", strings.Repeat("网速慢", 4) // 15 and 36 bytes
	for range 3 {
		if got, want := c.tag(tg, short), tg.Tag(short); len(got.Tags) != len(want.Tags) {
			t.Fatalf("cached %q: %d tags, want %d", short, len(got.Tags), len(want.Tags))
		}
		c.tag(tg, long)
	}
	if c.hits != 2 || c.misses != 1 {
		t.Errorf("short reason: %d hits, %d misses; want 2, 1 (long reasons bypass the cache)", c.hits, c.misses)
	}
	// Bounded: two generations of size/2.
	for _, s := range []string{"一", "二", "三", "四", "五", "六"} {
		c.tag(tg, s)
	}
	if n := len(c.cur) + len(c.old); n > 4 {
		t.Errorf("cache holds %d entries, bound 4", n)
	}
}
