package tagger_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/vocmine/vocmine/examples"
	"github.com/vocmine/vocmine/lexicon"
	"github.com/vocmine/vocmine/tagger"
)

var update = flag.Bool("update", false, "rewrite testdata/tagger/golden.txt")

// exampleTagger is built once: loading gse's dictionary takes about a second.
var exampleTagger = sync.OnceValues(func() (*tagger.Tagger, error) { return newExampleTagger(tagger.Config{}) })

// newExampleTagger builds a tagger for the embedded example's lexicon.
func newExampleTagger(cfg tagger.Config) (*tagger.Tagger, error) {
	lex, err := exampleLexicon()
	if err != nil {
		return nil, err
	}
	return tagger.New(cfg, lex)
}

// exampleLexicon is the built-in lexicon merged with the example's.
func exampleLexicon() (*lexicon.Lexicon, error) {
	f, err := examples.FS.Open("telecom/lexicon.yaml")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	user, err := lexicon.Load("examples/telecom/lexicon.yaml", f)
	if err != nil {
		return nil, err
	}
	return lexicon.Merge(lexicon.Builtin(), user), nil
}

func mustTagger(tb testing.TB) *tagger.Tagger {
	tb.Helper()
	tg, err := exampleTagger()
	if err != nil {
		tb.Fatal(err)
	}
	return tg
}

type testCase struct {
	Text      string   `yaml:"text"`
	Tags      []string `yaml:"tags"`
	Sentiment string   `yaml:"sentiment"`
	Junk      bool     `yaml:"junk"`
	Empty     bool     `yaml:"empty"`
}

func loadCases(t *testing.T) []testCase {
	t.Helper()
	data, err := os.ReadFile("../testdata/tagger/cases.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var cases []testCase
	if err := dec.Decode(&cases); err != nil {
		t.Fatalf("cases.yaml: %v", err)
	}
	return cases
}

func tagStrings(r tagger.Result) []string {
	out := []string{}
	for _, tag := range r.Tags {
		out = append(out, tag.Dimension+" "+tag.Polarity.String())
	}
	return out
}

// TestCases checks the hand-written expectations of testdata/tagger/cases.yaml.
func TestCases(t *testing.T) {
	tg := mustTagger(t)
	cases := loadCases(t)
	if len(cases) < 68 {
		t.Fatalf("cases.yaml holds %d cases, want the issue's 8 and at least 60 more", len(cases))
	}
	for _, c := range cases {
		t.Run(c.Text, func(t *testing.T) {
			r := tg.Tag(c.Text)
			got := tagStrings(r)
			want := append([]string{}, c.Tags...)
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("Tag(%q) tags = %q, want %q\n%s", c.Text, got, want, r.Explain())
			}
			if c.Sentiment != "" && r.Sentiment.String() != c.Sentiment {
				t.Errorf("Tag(%q) sentiment = %s, want %s", c.Text, r.Sentiment, c.Sentiment)
			}
			if r.Junk != c.Junk || r.Empty != c.Empty {
				t.Errorf("Tag(%q) junk, empty = %v, %v, want %v, %v", c.Text, r.Junk, r.Empty, c.Junk, c.Empty)
			}
		})
	}
}

// TestGolden compares the full explanation of every case with golden.txt, so
// that any change in tokens, clauses or evidence shows in review.
// Regenerate with: go test ./tagger -run Golden -update
func TestGolden(t *testing.T) {
	tg := mustTagger(t)
	var b strings.Builder
	for _, c := range loadCases(t) {
		b.WriteString(tg.Tag(c.Text).Explain())
		b.WriteString("\n")
	}
	path := filepath.Join("..", "testdata", "tagger", "golden.txt")
	if *update {
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./tagger -run Golden -update)", err)
	}
	if got := b.String(); got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := range min(len(gl), len(wl)) {
			if gl[i] != wl[i] {
				t.Fatalf("golden.txt differs at line %d:\ngot:  %s\nwant: %s\n(if the change is intended: go test ./tagger -run Golden -update, and review git diff)", i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("golden.txt differs in length: got %d lines, want %d", len(gl), len(wl))
	}
}

// TestModes compares gse's segmentation modes and the dictionaries on the
// committed cases: the default settings must pass them all (TestCases), and
// so must gse's whole simplified dictionary; the others are measured, and the
// figures are in docs/BENCHMARKS.md.
func TestModes(t *testing.T) {
	if testing.Short() {
		t.Skip("loads more dictionaries")
	}
	cases := loadCases(t)
	for _, tc := range []struct {
		cfg     tagger.Config
		passAll bool
	}{
		{tagger.Config{Mode: "dag"}, false},
		{tagger.Config{Dictionary: "zh_s"}, true},
		{tagger.Config{Dictionary: "zh"}, false},
	} {
		name := tc.cfg.Mode + tc.cfg.Dictionary
		tg, err := newExampleTagger(tc.cfg)
		if err != nil {
			t.Fatal(err)
		}
		pass := 0
		for _, c := range cases {
			got, want := tagStrings(tg.Tag(c.Text)), append([]string{}, c.Tags...)
			slices.Sort(got)
			slices.Sort(want)
			if slices.Equal(got, want) {
				pass++
			} else {
				t.Logf("%s: %q tags %q, want %q", name, c.Text, got, want)
			}
		}
		t.Logf("%s: %d of %d cases", name, pass, len(cases))
		if tc.passAll && pass != len(cases) {
			t.Errorf("%s fails %d cases", name, len(cases)-pass)
		}
	}
	if _, err := newExampleTagger(tagger.Config{Dictionary: "zh_x"}); err == nil || !strings.Contains(err.Error(), "zh_s_small, zh_s, zh") {
		t.Errorf("unknown dictionary: err %v", err)
	}
}
