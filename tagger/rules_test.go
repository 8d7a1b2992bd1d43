package tagger_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vocmine/vocmine/lexicon"
	"github.com/vocmine/vocmine/tagger"
)

const rulesLexicon = `
name: rules
dimensions:
  - name: 服务/排队
    rules:
      - '营业厅 AND (排队 OR 等)'
      - 'NEAR(柜台, 人, 2)'
  - name: 网络/宽带
    terms: [宽带]
    rules: ['NEAR(装, 网, 3) AND NOT 已装好', '"光猫灯"']
`

func TestRules(t *testing.T) {
	user, err := lexicon.Load("rules.yaml", strings.NewReader(rulesLexicon))
	if err != nil {
		t.Fatal(err)
	}
	tg, err := tagger.New(tagger.Config{}, lexicon.Merge(lexicon.Builtin(), user))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"营业厅排队太久了", []string{"服务/排队:negative"}},
		{"去营业厅办业务，等了一个小时", []string{"服务/排队:neutral"}}, // AND across clauses; anchored at 营业厅
		{"营业厅很近", nil}, // AND needs both
		{"排队太久", nil},
		{"柜台前面人很多", []string{"服务/排队:neutral"}}, // NEAR within 2 tokens
		{"柜台后面坐着的那个人很好", nil},                  // too far apart
		{"柜台，人很多", nil},                        // NEAR needs one clause
		{"师傅上门装网很快", []string{"网络/宽带:positive"}},
		{"师傅上门装网很快，已装好", nil},                 // NOT anywhere in the reason
		{"光猫灯一直红", []string{"网络/宽带:neutral"}}, // a quoted phrase spans tokens
	} {
		r := tg.Tag(tc.text)
		var got []string
		for _, g := range r.Tags {
			got = append(got, g.Dimension+":"+g.Polarity.String())
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("Tag(%q) = %q, want %q\n%s", tc.text, got, tc.want, r.Explain())
		}
	}
}

func TestParseRule(t *testing.T) {
	for _, tc := range []struct {
		src, want string
		off       int // of the error, -1 for none
	}{
		{"营业厅 AND (排队 OR 等)", "(营业厅 AND (排队 OR 等))", -1},
		{"a OR b AND NOT c", "(a OR (b AND NOT c))", -1},
		{`NEAR(宽带, "装 好", 4)`, `NEAR(宽带, "装 好", 4)`, -1},
		{"APP AND 卡", "(app AND 卡)", -1},
		{"营业厅 AND", "", 7},
		{"(a OR b", "", 7},
		{"NEAR(a, b)", "", 9},
		{"NEAR(a, b, 0)", "", 11},
		{`"unclosed`, "", 0},
		{"NOT a", "", 0},
		{"a，b", "", 0},
		{"a b", "", 2},
	} {
		n, err := lexicon.ParseRule(tc.src)
		if tc.off < 0 {
			if err != nil || n.String() != tc.want {
				t.Errorf("ParseRule(%q) = %v, %v; want %s", tc.src, n, err, tc.want)
			}
			continue
		}
		re, ok := err.(*lexicon.RuleError)
		if !ok || re.Offset != tc.off {
			t.Errorf("ParseRule(%q): error %v; want one at offset %d", tc.src, err, tc.off)
		}
	}
}

func TestRuleSatisfiable(t *testing.T) {
	for src, want := range map[string]bool{
		"a AND NOT a":             false,
		"NEAR(a, b, 2) AND NOT b": false,
		"(a OR b) AND NOT a":      true,
		"a AND (b OR NOT a)":      true,
		"NEAR(a, b, 2) AND NOT c": true,
	} {
		n, err := lexicon.ParseRule(src)
		if err != nil {
			t.Fatal(err)
		}
		if got := n.Satisfiable(); got != want {
			t.Errorf("%q: satisfiable %v, want %v", src, got, want)
		}
	}
}

// TestTieRepair: with a lexicon under which gse splits 挺好吃 as 挺好 | 吃 (a
// tie of two equally long paths), matching re-splits it as 挺 | 好吃 and the
// cue is kept: 口味 positive, intensified by 挺.
func TestTieRepair(t *testing.T) {
	f, err := os.Open(filepath.Join("..", "testdata", "tagger", "tie-lexicon.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	user, err := lexicon.Load("tie-lexicon.yaml", f)
	if err != nil {
		t.Fatal(err)
	}
	tg, err := tagger.New(tagger.Config{}, lexicon.Merge(lexicon.Builtin(), user))
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"不错，方便，挺好吃的", "挺好吃", "很好吃", "不好吃"} {
		r := tg.Tag(text)
		t.Logf("%s: tokens %v", text, r.Tokens)
		want := "positive"
		if strings.HasPrefix(text, "不好") {
			want = "negative"
		}
		if len(r.Tags) != 1 || r.Tags[0].Dimension != "口味" || r.Tags[0].Polarity.String() != want || r.Tags[0].Cue != "好吃" {
			t.Errorf("Tag(%q) = %+v, want 口味 %s with cue 好吃\n%s", text, r.Tags, want, r.Explain())
		}
	}
}
