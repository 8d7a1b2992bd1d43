package lexicon

import (
	"strconv"
	"strings"
	"testing"
)

func TestParseSentimentList(t *testing.T) {
	const header = "# comment\nword\tpolarity\tweight\tcorpora\n"
	tests := []struct {
		name     string
		src      string
		pos, neg []string
		weights  []float64 // of pos then neg
		errs     []string
	}{
		{
			name:    "words with weights",
			src:     header + "一如既往\tpositive\t1.24\twaimai:4.3\n一塌糊涂\tnegative\t2\thotel:-2.8\nＡＰＰ好用\tpositive\t0.5\t\n",
			pos:     []string{"一如既往", "app好用"},
			neg:     []string{"一塌糊涂"},
			weights: []float64{1.24, 0.5, 2},
		},
		{
			name: "every bad line is reported with its line",
			src:  header + "好\tgood\t1\t\n差\tnegative\tx\t\n差\tnegative\t0\t\n慢\tnegative\t1\t\n慢\tnegative\t1\t\n好，的\tpositive\t1\t\n短\tnegative\n",
			neg:  []string{"慢"},
			errs: []string{`s.tsv:3: "好": polarity "good"`, `s.tsv:4: "差": weight "x"`, `s.tsv:5: "差": weight "0"`, `s.tsv:7: "慢" listed twice (first at line 6)`, `s.tsv:8: "好，的" is not a word`, `s.tsv:9: want word<TAB>polarity`},
		},
		{
			name: "no header",
			src:  "# only comments\n",
			errs: []string{"s.tsv: no header line"},
		},
		{
			name: "wrong header",
			src:  "word\tweight\n好\tpositive\t1\n",
			pos:  []string{"好"},
			errs: []string{`s.tsv:1: want the header`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := ParseSentimentList("s.tsv", tt.src)
			msg := ""
			if err != nil {
				msg = err.Error()
			}
			for _, e := range tt.errs {
				if !strings.Contains(msg, e) {
					t.Errorf("error\n%s\nlacks %q", msg, e)
				}
			}
			if len(tt.errs) == 0 && err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if got := strings.Join(texts(l.Positive), ","); got != strings.Join(tt.pos, ",") {
				t.Errorf("positive = %s, want %s", got, strings.Join(tt.pos, ","))
			}
			if got := strings.Join(texts(l.Negative), ","); got != strings.Join(tt.neg, ",") {
				t.Errorf("negative = %s, want %s", got, strings.Join(tt.neg, ","))
			}
			if tt.weights != nil {
				all := append(append([]Entry(nil), l.Positive...), l.Negative...)
				for i, e := range all {
					if e.Weight != tt.weights[i] {
						t.Errorf("%s: weight %g, want %g", e.Text, e.Weight, tt.weights[i])
					}
				}
			}
		})
	}
}

// TestBuiltinGenerated: the generated list is merged under general.yaml,
// whose words keep their hand-written polarity and weight, and it is
// large.
func TestBuiltinGenerated(t *testing.T) {
	gen, err := ParseSentimentList(SentimentPath, sentimentTSV)
	if err != nil {
		t.Fatalf("the embedded sentiment.tsv: %v", err)
	}
	if n := len(gen.Positive) + len(gen.Negative); n < 1000 {
		t.Errorf("sentiment.tsv has %d words, want a broad list (1,000 or more)", n)
	}
	hand, err := Load(BuiltinPath, strings.NewReader(generalYAML))
	if err != nil {
		t.Fatal(err)
	}
	b := Builtin()
	if got, want := len(b.Positive)+len(b.Negative), len(hand.Positive)+len(hand.Negative)+len(gen.Positive)+len(gen.Negative); got > want || got <= len(hand.Positive)+len(hand.Negative) {
		t.Errorf("Builtin has %d polar words, want more than general.yaml's and at most %d", got, want)
	}
	// A generated entry for a word of general.yaml does not change it.
	hw := map[string]bool{}
	for _, w := range hand.Words() {
		hw[w] = true
	}
	merged := withGenerated(hand, &Lexicon{Negative: []Entry{{Text: "好", Weight: 2}, {Text: "很", Weight: 2}, {Text: "新词", Weight: 0.5}}})
	if i := indexText(merged.Negative, "好"); i >= 0 {
		t.Errorf("a generated negative 好 overrode general.yaml's positive 好")
	}
	if i := indexText(merged.Negative, "很"); i >= 0 {
		t.Errorf("the intensifier 很 became a generated cue")
	}
	if i := indexText(merged.Negative, "新词"); i < 0 || merged.Negative[i].Weight != 0.5 {
		t.Errorf("a new generated word was not merged with its weight")
	}
	for _, e := range b.Positive {
		if e.Pos.File == SentimentPath && hw[e.Text] {
			t.Errorf("%q is in general.yaml and was merged again from the list", e.Text)
		}
	}
	// Weights count in the digest.
	l1 := &Lexicon{Positive: []Entry{{Text: "好", Weight: 1.5}}}
	l2 := &Lexicon{Positive: []Entry{{Text: "好", Weight: 1.2}}}
	l0 := &Lexicon{Positive: []Entry{{Text: "好"}}}
	l01 := &Lexicon{Positive: []Entry{{Text: "好", Weight: 1}}}
	if l1.Digest() == l2.Digest() {
		t.Error("a weight change kept the digest")
	}
	if l0.Digest() != l01.Digest() {
		t.Error("weight 0 (means 1) and weight 1 digest differently")
	}
}

// TestUserOverridesGenerated: a user's file gives a generated word another
// polarity, as it does a hand-written one.
func TestUserOverridesGenerated(t *testing.T) {
	gen, err := ParseSentimentList(SentimentPath, sentimentTSV)
	if err != nil || len(gen.Positive) == 0 {
		t.Fatalf("the embedded sentiment.tsv: %v", err)
	}
	w := gen.Positive[0].Text
	if indexText(Builtin().Positive, w) < 0 {
		t.Fatalf("generated positive %q is not in Builtin", w)
	}
	user := mustLoad(t, "u.yaml", "dimensions: []\nsentiment:\n  negative: ["+w+"]\n")
	m := Merge(Builtin(), user)
	if indexText(m.Positive, w) >= 0 || indexText(m.Negative, w) < 0 {
		t.Errorf("a user's negative %q did not override the generated positive", w)
	}
}

// A polar word of general.yaml keeps its polarity and takes the weight of
// its sentiment.tsv row (corpora "general.yaml"); the others weigh 1.
func TestBuiltinHandWeights(t *testing.T) {
	rows := map[string]string{} // word -> "polarity weight"
	for line := range strings.Lines(sentimentTSV) {
		f := strings.Split(strings.TrimRight(line, "\n"), "\t")
		if len(f) == 4 && f[3] == "general.yaml" {
			rows[f[0]] = f[1] + " " + f[2]
		}
	}
	if len(rows) < 100 {
		t.Fatalf("%d rows weigh general.yaml's words, want over 100", len(rows))
	}
	b := Builtin()
	for _, l := range []struct {
		pol string
		es  []Entry
	}{{"positive", b.Positive}, {"negative", b.Negative}} {
		for _, e := range l.es {
			if e.Pos.File != BuiltinPath {
				continue
			}
			want := ""
			if r, ok := rows[e.Text]; ok {
				want = r
			}
			got := l.pol + " " + strconv.FormatFloat(e.Weight, 'f', -1, 64)
			switch {
			case want != "" && got != want:
				t.Errorf("%s: %s, want %s (its sentiment.tsv row)", e.Text, got, want)
			case want == "" && e.Weight != 0:
				t.Errorf("%s: weight %g without a sentiment.tsv row", e.Text, e.Weight)
			}
		}
	}
}
