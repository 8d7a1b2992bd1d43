package tagger

import (
	"math"
	"sync/atomic"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/go-ego/gse"
)

// shortestPath is gse's Segment (the shortest path through the dictionary,
// no search mode, gse's default flags) computed with buffers the caller
// reuses: gse's own allocates about ten times per reason (its word list,
// its jump table, a token for every character outside the dictionary, the
// result), which cost a fifth of tagging time in allocation and collection.
// It reads gse's dictionary through its exported API only, and must give
// gse's tokens exactly: TestShortestPathMatchesGse compares them on the
// shared corpora and FuzzShortestPath on any text.
type shortestPath struct {
	dict   *gse.Dictionary
	maxLen int
	base   uintptr   // address of dict.Tokens[0]
	dist   []float32 // per dictionary token: gse's path length, log2(total/freq)
	// words is each dictionary token's length in gse words, computed the
	// first time a reason meets the token (0: not yet): computing all 200k
	// at start-up cost a quarter of a second. Workers share it; a length
	// written twice is written the same.
	words []atomic.Uint32
}

// tokenSize is the size of a gse.Token, to index dict.Tokens by address.
const tokenSize = unsafe.Sizeof(gse.Token{})

// pseudoDistance is gse's path length for a character outside the dictionary.
const pseudoDistance = 32

func newShortestPath(dict *gse.Dictionary) *shortestPath {
	p := &shortestPath{dict: dict, maxLen: dict.MaxTokenLen(), dist: make([]float32, len(dict.Tokens)), words: make([]atomic.Uint32, len(dict.Tokens))}
	if len(dict.Tokens) > 0 {
		p.base = uintptr(unsafe.Pointer(&dict.Tokens[0]))
	}
	logTotal := float32(math.Log2(dict.TotalFreq()))
	for i := range dict.Tokens {
		p.dist[i] = logTotal - float32(math.Log2(dict.Tokens[i].Freq()))
	}
	return p
}

// tokenWords returns the index of dictionary token t and its length in words.
func (p *shortestPath) tokenWords(t *gse.Token, b *segBuffers) (int, int) {
	i := int((uintptr(unsafe.Pointer(t)) - p.base) / tokenSize)
	w := p.words[i].Load()
	if w == 0 {
		b.scratch = splitWords(t.Text(), b.scratch[:0])
		w = uint32(len(b.scratch))
		p.words[i].Store(w)
	}
	return i, int(w)
}

// splitWords appends gse's words of text (SplitTextToWords with its default
// flags): a run of Latin letters and digits (runes of one or two bytes) is
// one word, every other rune is a word of its own. text is already lower
// case (lexicon.Normalize), so gse's lower-casing changes nothing.
func splitWords(text string, dst []span) []span {
	alnumStart, inAlnum := 0, true
	for cur := 0; cur < len(text); {
		r, size := rune(text[cur]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[cur:])
		}
		if size <= 2 && (unicode.IsLetter(r) || unicode.IsNumber(r)) {
			if !inAlnum {
				alnumStart, inAlnum = cur, true
			}
		} else {
			if inAlnum {
				inAlnum = false
				if cur != 0 {
					dst = append(dst, span{alnumStart, cur})
				}
			}
			dst = append(dst, span{cur, cur + size})
		}
		cur += size
	}
	if inAlnum && len(text) != 0 {
		dst = append(dst, span{alnumStart, len(text)})
	}
	return dst
}

// jump is the best path found to the end of a word: its length and the
// number of words of its last token.
type jump struct {
	dist  float32
	words int32
}

// segBuffers are shortestPath's working slices, kept in a Tag scratch.
type segBuffers struct {
	words   []span
	text    [][]byte // the words as gse's lookups take them
	jumps   []jump
	tokens  []*gse.Token
	scratch []span
}

// segment appends the byte ranges of gse's tokens of text to dst.
func (p *shortestPath) segment(text string, b *segBuffers, dst []span) []span {
	if text == "" {
		return dst
	}
	b.words = splitWords(text, b.words[:0])
	n := len(b.words)
	b.text = b.text[:0]
	for _, w := range b.words {
		b.text = append(b.text, unsafe.Slice(unsafe.StringData(text[w.start:]), w.end-w.start))
	}
	b.jumps = append(b.jumps[:0], make([]jump, n)...)
	if len(b.tokens) < p.maxLen {
		b.tokens = make([]*gse.Token, p.maxLen)
	}
	for cur := 0; cur < n; cur++ {
		var base float32
		if cur > 0 {
			base = b.jumps[cur-1].dist
		}
		k := p.dict.LookupTokens(asTexts(b.text[cur:min(cur+p.maxLen, n)]), b.tokens)
		firstWords := 0
		for j, t := range b.tokens[:k] {
			i, w := p.tokenWords(t, b)
			if j == 0 {
				firstWords = w
			}
			update(&b.jumps[cur+w-1], base+p.dist[i], int32(w))
		}
		if k == 0 || firstWords > 1 {
			update(&b.jumps[cur], base+pseudoDistance, 1)
		}
	}
	// Back from the end, then forward into dst.
	start := len(dst)
	for end := n - 1; end >= 0; {
		first := end - int(b.jumps[end].words) + 1
		dst = append(dst, span{b.words[first].start, b.words[end].end})
		end = first - 1
	}
	for i, j := start, len(dst)-1; i < j; i, j = i+1, j-1 {
		dst[i], dst[j] = dst[j], dst[i]
	}
	return dst
}

// update is gse's updateJumper: a path replaces the best one when shorter,
// or when none was found yet (a zero length).
func update(j *jump, dist float32, words int32) {
	if j.dist == 0 || j.dist > dist {
		j.dist, j.words = dist, words
	}
}

// asTexts views [][]byte as []gse.Text (gse.Text is []byte).
func asTexts(b [][]byte) []gse.Text {
	return unsafe.Slice((*gse.Text)(unsafe.Pointer(unsafe.SliceData(b))), len(b))
}
