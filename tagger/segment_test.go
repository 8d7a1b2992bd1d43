package tagger

import (
	"encoding/csv"
	"os"
	"slices"
	"sync"
	"testing"

	"github.com/go-ego/gse"

	"github.com/vocmine/vocmine/internal/corpora"
	"github.com/vocmine/vocmine/lexicon"
)

// builtin returns a Tagger for the built-in lexicon and gse's own segmenter
// loaded the same way (NewSegmenter), built once.
func builtin(tb testing.TB) (*Tagger, *gse.Segmenter) {
	tb.Helper()
	b, err := builtinOnce()
	if err != nil {
		tb.Fatal(err)
	}
	return b.tg, b.seg
}

var builtinOnce = sync.OnceValues(func() (b struct {
	tg  *Tagger
	seg *gse.Segmenter
}, err error) {
	if b.tg, err = New(Config{}, lexicon.Builtin()); err == nil {
		b.seg, err = NewSegmenter(Config{}, lexicon.Builtin())
	}
	return b, err
})

// gseSpans is gse's own Segment of text, as byte ranges.
func gseSpans(seg *gse.Segmenter, text string) []span {
	var out []span
	for _, s := range seg.Segment([]byte(text)) {
		out = append(out, span{s.Start(), s.End()})
	}
	return out
}

// TestShortestPathMatchesGse: vocmine's allocation-free shortest path gives
// gse's Segment tokens exactly, on hand-picked text and on every review
// (19,753) of the shared waimai and hotel corpora: that identity check is the
// proof, so the corpora subtest skips only where they are absent, and fails
// there under VOCMINE_REQUIRE_CORPUS=1.
func TestShortestPathMatchesGse(t *testing.T) {
	tg, seg := builtin(t)
	check := func(t *testing.T, texts []string) {
		var b segBuffers
		for _, text := range texts {
			got, want := tg.sp.segment(text, &b, nil), gseSpans(seg, text)
			if !slices.Equal(got, want) {
				t.Fatalf("segment(%q) = %v, gse %v", text, got, want)
			}
		}
		t.Logf("%d texts segmented as gse does", len(texts))
	}
	t.Run("hand-picked", func(t *testing.T) {
		check(t, []string{"", "信号太差了，经常掉线", "5g网速很快", "app查话费很方便", "wifi老断 10086打不通", "a", "。。。",
			"iphone15 promax信号", "3个小时才送到!!!", "ωmega的价格", "  空格  开头", "日本語のテキスト", "😀表情很好"})
	})
	t.Run("corpora", func(t *testing.T) {
		var texts []string
		for _, f := range []string{"waimai_10k.csv", "ChnSentiCorp_htl_all.csv"} {
			fh, err := os.Open(corpora.Path(t, f))
			if err != nil {
				t.Fatal(err)
			}
			rows, err := csv.NewReader(fh).ReadAll()
			fh.Close()
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			for _, r := range rows[1:] {
				texts = append(texts, lexicon.Normalize(r[len(r)-1]))
			}
		}
		check(t, texts)
	})
}

func FuzzShortestPath(f *testing.F) {
	for _, s := range []string{"信号太差了", "5g网速", "ab12中文", "。，！", "𠀀字"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tg, seg := builtin(t)
		s = lexicon.Normalize(s)
		var b segBuffers
		if got, want := tg.sp.segment(s, &b, nil), gseSpans(seg, s); !slices.Equal(got, want) {
			t.Fatalf("segment(%q) = %v, gse %v", s, got, want)
		}
	})
}
