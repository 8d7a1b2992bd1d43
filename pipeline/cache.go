package pipeline

import "github.com/vocmine/vocmine/tagger"

// tagCache remembers the tags of recent reasons, for surveys where many
// respondents write the same words ("无", "信号差", "服务好"). It holds at
// most size entries in two generations: a hit in the old generation moves
// to the new one, and when the new one is full the old one is dropped, so
// frequent reasons stay and memory is bounded. One per worker: no locks.
// Tag is pure, so a cached Result equals a fresh one; Results are shared
// read-only between the rows that hit them.
type tagCache struct {
	size     int
	cur, old map[string]tagger.Result
	hits     int64
	misses   int64
}

func newTagCache(size int) *tagCache {
	if size <= 0 {
		return nil
	}
	return &tagCache{size: size, cur: map[string]tagger.Result{}}
}

// cacheMaxBytes bounds the reasons cached: the answers repeated verbatim
// are short ("无", "还行", "信号太差了"); longer ones almost never repeat
// (docs/BENCHMARKS.md), and caching them cost 6-10% of tagging on unique text.
const cacheMaxBytes = 32

// tag returns the Result of text, from the cache or from tg.
func (c *tagCache) tag(tg *tagger.Tagger, text string) tagger.Result {
	if c == nil || len(text) > cacheMaxBytes {
		return tg.Tag(text)
	}
	if r, ok := c.cur[text]; ok {
		c.hits++
		return r
	}
	r, ok := c.old[text]
	if ok {
		c.hits++
	} else {
		c.misses++
		r = tg.Tag(text)
	}
	if len(c.cur) >= c.size/2 {
		c.old, c.cur = c.cur, make(map[string]tagger.Result, c.size/2)
	}
	c.cur[text] = r
	return r
}
