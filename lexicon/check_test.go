package lexicon

import (
	"slices"
	"strings"
	"testing"
)

// TestLoadRedundantTerm: a word under terms and a polarity list of the same
// dimension loads (the polarity list wins) with a warning, where it used to
// stop the run.
func TestLoadRedundantTerm(t *testing.T) {
	tests := []struct {
		name         string
		yaml         string
		terms        []string
		pos, neg     []string
		wantWarnings []string
	}{
		{
			name:         "terms and positive_terms",
			yaml:         "dimensions:\n  - name: 服务\n    terms: [服务员, 热情, 安静]\n    positive_terms: [热情, 安静, 周到]\n",
			terms:        []string{"服务员"},
			pos:          []string{"热情", "安静", "周到"},
			wantWarnings: []string{`t.yaml:3: warning: dimension "服务": term "热情" is also under positive_terms (line 4): the polarity list wins`, `t.yaml:3: warning: dimension "服务": term "安静" is also under positive_terms (line 4)`},
		},
		{
			name:         "negative_terms first, terms after",
			yaml:         "dimensions:\n  - name: 卫生\n    negative_terms: [脏]\n    terms: [卫生, 脏]\n",
			terms:        []string{"卫生"},
			neg:          []string{"脏"},
			wantWarnings: []string{`t.yaml:4: warning: dimension "卫生": term "脏" is also under negative_terms (line 3)`},
		},
		{
			name:  "no redundancy, no warning",
			yaml:  "dimensions:\n  - name: 卫生\n    terms: [卫生]\n    negative_terms: [脏]\n",
			terms: []string{"卫生"},
			neg:   []string{"脏"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := Load("t.yaml", strings.NewReader(tt.yaml))
			if err != nil {
				t.Fatalf("Load: %v, want it to load", err)
			}
			d := l.Dimensions[0]
			if got := texts(d.Terms); !slices.Equal(got, tt.terms) {
				t.Errorf("terms = %q, want %q", got, tt.terms)
			}
			if got := texts(d.PositiveTerms); !slices.Equal(got, tt.pos) {
				t.Errorf("positive_terms = %q, want %q", got, tt.pos)
			}
			if got := texts(d.NegativeTerms); !slices.Equal(got, tt.neg) {
				t.Errorf("negative_terms = %q, want %q", got, tt.neg)
			}
			got := FindingsString(Check(l))
			if n := strings.Count(got, "\n"); n != len(tt.wantWarnings) {
				t.Errorf("Check found %d findings, want %d:\n%s", n, len(tt.wantWarnings), got)
			}
			for _, w := range tt.wantWarnings {
				if !strings.Contains(got, w) {
					t.Errorf("Check:\n%s\nlacks %q", got, w)
				}
			}
		})
	}
}

// TestCheckAcrossFiles: the cross-file checks on a plain term in one file and
// a polarity term in another, and on a file read with errors.
func TestCheckAcrossFiles(t *testing.T) {
	parse := func(name, src string) *Lexicon {
		l, _ := Parse(name, strings.NewReader(src))
		if l == nil {
			t.Fatalf("Parse(%s) returned no lexicon", name)
		}
		return l
	}
	tests := []struct {
		name string
		ls   []*Lexicon
		want []string // each a line of the report
		not  []string // substrings that must not appear
	}{
		{
			name: "plain here, polarity there: a warning, the polarity wins",
			ls: []*Lexicon{
				parse("a.yaml", "dimensions:\n  - name: 服务\n    terms: [热情]\n"),
				parse("b.yaml", "dimensions:\n  - name: 服务\n    positive_terms: [热情]\n"),
			},
			want: []string{`b.yaml:3: warning: dimension "服务": term "热情" is positive here and plain at a.yaml:3: the polarity list wins`},
		},
		{
			name: "positive here, negative there: still an error",
			ls: []*Lexicon{
				parse("a.yaml", "dimensions:\n  - name: 服务\n    positive_terms: [热情]\n"),
				parse("b.yaml", "dimensions:\n  - name: 服务\n    negative_terms: [热情]\n"),
			},
			want: []string{`b.yaml:3: error: dimension "服务": term "热情" is negative here and positive at a.yaml:3`},
		},
		{
			name: "a file with a load error is still checked across files",
			ls: []*Lexicon{
				parse("a.yaml", "dimensions:\n  - name: 服务\n    terms: [服务员]\n"),
				parse("b.yaml", "dimensions:\n  - name: 服务\n    terms: [服务员, x, x]\n  - name: 服务/客服\n    terms: [客服]\nfoo: 1\n"),
			},
			want: []string{
				`b.yaml:3: warning: dimension "服务": term "服务员" already listed at a.yaml:3`,
				`a.yaml:2: error: dimension "服务" has sub-dimensions ("服务/客服")`,
			},
		},
		{
			name: "a dimension whose only entries were in error is not called empty",
			ls:   []*Lexicon{parse("a.yaml", "dimensions:\n  - name: 服务\n    terms: [\"态度，好\"]\n")},
			not:  []string{"nothing can ever tag it"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := FindingsString(Check(tt.ls...))
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("Check:\n%s\nlacks %q", got, w)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(got, n) {
					t.Errorf("Check:\n%s\nholds %q", got, n)
				}
			}
		})
	}
}

// TestMergeRedundantTerm: a word plain in one file and a polarity term of
// the same dimension in another is merged as the polarity term only, so the
// tagger does not see the dimension named twice by one word.
func TestMergeRedundantTerm(t *testing.T) {
	a := mustLoad(t, "a.yaml", "dimensions:\n  - name: 服务\n    terms: [服务员, 热情]\n")
	b := mustLoad(t, "b.yaml", "dimensions:\n  - name: 服务\n    positive_terms: [热情]\n")
	for _, order := range [][]*Lexicon{{a, b}, {b, a}} {
		m := Merge(order...)
		d := m.Dimensions[0]
		if got := texts(d.Terms); !slices.Equal(got, []string{"服务员"}) {
			t.Errorf("terms = %q, want [服务员]", got)
		}
		if got := texts(d.PositiveTerms); !slices.Equal(got, []string{"热情"}) {
			t.Errorf("positive_terms = %q, want [热情]", got)
		}
	}
	if len(a.Dimensions[0].Terms) != 2 {
		t.Errorf("Merge modified its input: %q", texts(a.Dimensions[0].Terms))
	}
}
