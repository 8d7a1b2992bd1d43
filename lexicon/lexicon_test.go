package lexicon

import (
	"golang.org/x/text/width"

	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want []string // each must appear in the error, in order
	}{
		{
			name: "term listed twice names file and line of the repeat",
			yaml: "name: telecom\ndimensions:\n  - name: 网络/信号\n    terms:\n      - 信号\n      - 覆盖\n      - 信号\n",
			want: []string{`t.yaml:7: terms: "信号" listed twice (first at line 5)`},
		},
		{
			name: "term in positive_terms and negative_terms",
			yaml: "dimensions:\n  - name: 资费\n    positive_terms: [便宜]\n    negative_terms: [贵, 便宜]\n",
			want: []string{`t.yaml:4: dimension "资费": term "便宜" is under negative_terms and under positive_terms (line 3)`},
		},
		{
			name: "exclusion that is a polarity term",
			yaml: "dimensions:\n  - name: 资费\n    negative_terms: [贵]\n    exclude: [贵]\n",
			want: []string{`t.yaml:4: dimension "资费": "贵" is both a term and an exclusion`},
		},
		{
			name: "unknown top-level key",
			yaml: "dimensions: []\nsentimen:\n  positive: [好]\n",
			want: []string{`t.yaml:2: unknown key "sentimen"`},
		},
		{
			name: "unknown dimension key",
			yaml: "dimensions:\n  - name: 资费\n    term: [价格]\n",
			want: []string{`t.yaml:3: unknown key "term" in a dimension`},
		},
		{
			name: "lean of zero",
			yaml: "dimensions: []\nsentiment:\n  neutral: [一般]\nleans: {一般: 0}\n",
			want: []string{`t.yaml:4: leans: lean of "一般" must be a number between -2 and 2 other than 0, not "0"`},
		},
		{
			name: "lean too strong",
			yaml: "dimensions: []\nleans:\n  还行: 3\n",
			want: []string{`t.yaml:3: leans: lean of "还行" must be a number between -2 and 2 other than 0, not "3"`},
		},
		{
			name: "mixed out of range",
			yaml: "dimensions:\n  - name: 菜品/口味\n    terms: [味道]\n    mixed: 1.5\n",
			want: []string{`t.yaml:4: mixed: want a share between 0 and 1, not "1.5"`},
		},
		{
			name: "mixed not a number",
			yaml: "dimensions:\n  - name: 菜品/口味\n    terms: [味道]\n    mixed: half\n",
			want: []string{`t.yaml:4: mixed: want a share between 0 and 1, not "half"`},
		},
		{
			name: "unknown sentiment key",
			yaml: "dimensions: []\nsentiment:\n  good: [好]\n",
			want: []string{`t.yaml:3: unknown key "good" in sentiment`},
		},
		{
			name: "missing dimensions",
			yaml: "name: x\nnegators: [不]\n",
			want: []string{`t.yaml:1: missing key "dimensions"`},
		},
		{
			name: "empty file",
			yaml: "",
			want: []string{`t.yaml: empty file`},
		},
		{
			name: "syntax error keeps the line",
			yaml: "dimensions:\n  - name: 资费\n    terms: [价格\n",
			want: []string{`t.yaml:`, `invalid YAML`},
		},
		{
			name: "every problem is reported",
			yaml: "dimensions:\n  - name: 资费\n    terms: [价格, 价格]\n  - name: 资费\n    terms: [钱]\nfoo: 1\n",
			want: []string{`t.yaml:3: terms: "价格" listed twice`, `t.yaml:4: dimension "资费" defined twice (first at line 2)`, `t.yaml:6: unknown key "foo"`},
		},
		{
			name: "bad dimension names",
			yaml: "dimensions:\n  - name: 网络//信号\n    terms: [a]\n  - terms: [b]\n  - name: /x\n    terms: [c]\n",
			want: []string{`t.yaml:2: dimension "网络//信号": empty level`, `t.yaml:4: dimension "": missing name`, `t.yaml:5: dimension "/x": empty level`},
		},
		{
			name: "words must be scalars and not blank or punctuated",
			yaml: "dimensions:\n  - name: 资费\n    terms: [\"\", [x], \"价，格\"]\n",
			want: []string{`t.yaml:3: terms: empty word`, `t.yaml:3: terms: each entry must be a word, not a list`, `t.yaml:3: terms: "价，格" holds clause punctuation`},
		},
		{
			name: "intensifier weights are positive numbers",
			yaml: "dimensions: []\nintensifiers: {很: 1.5, 太: abc, 有点: -1}\n",
			want: []string{`t.yaml:2: intensifiers: weight of "太" must be a positive number`, `weight of "有点"`},
		},
		{
			name: "a word both positive and negative in one file",
			yaml: "dimensions: []\nsentiment:\n  positive: [便宜]\n  negative: [贵, 便宜]\n",
			want: []string{`t.yaml:4: sentiment: "便宜" is both positive (line 3) and negative`},
		},
		{
			name: "term and exclusion",
			yaml: "dimensions:\n  - name: 网络/信号\n    terms: [信号]\n    exclude: [信号]\n",
			want: []string{`t.yaml:4: dimension "网络/信号": "信号" is both a term and an exclusion`},
		},
		{
			name: "wrong shapes",
			yaml: "dimensions: {a: b}\nnegators: 不\nsentiment: [好]\n",
			want: []string{`t.yaml:1: dimensions must be a list`, `t.yaml:2: negators must be a list of words`, `t.yaml:3: sentiment must be a mapping`},
		},
		{
			name: "repeated key",
			yaml: "dimensions: []\nnegators: [不]\nnegators: [没]\n",
			want: []string{`t.yaml:3: key "negators" given twice`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load("t.yaml", strings.NewReader(tt.yaml))
			if err == nil {
				t.Fatalf("Load succeeded, want an error containing %q", tt.want)
			}
			msg := err.Error()
			at := 0
			for _, w := range tt.want {
				i := strings.Index(msg[at:], w)
				if i < 0 {
					t.Fatalf("error\n%s\ndoes not contain (after offset %d) %q", msg, at, w)
				}
				at += i + len(w)
			}
			var list ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Errorf("error is %T, want a non-empty ErrorList", err)
			}
		})
	}
}

func TestLoadNormalizesAndKeepsPositions(t *testing.T) {
	src := "name: t\nversion: \"1\"\ndimensions:\n  - name: 渠道/app\n    description: the app\n    terms: [ＡＰＰ, 客户端]\n    exclude: [App Store]\nnegators: [不]\nintensifiers: {很: 1.5}\n"
	l, err := Load("t.yaml", strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	d := l.Dimensions[0]
	if d.Terms[0].Text != "app" || d.Terms[0].Pos.Line != 6 {
		t.Errorf("first term = %+v, want app at line 6", d.Terms[0])
	}
	if d.Exclude[0].Text != "app store" {
		t.Errorf("exclude = %q, want lower-cased", d.Exclude[0].Text)
	}
	if d.Top() != "渠道" || d.Level() != 2 || d.Description != "the app" {
		t.Errorf("top, level, description = %q, %d, %q", d.Top(), d.Level(), d.Description)
	}
	if got := l.Sources; len(got) != 1 || got[0] != (Source{Path: "t.yaml", Name: "t", Version: "1"}) {
		t.Errorf("sources = %+v", got)
	}
	if l.Intensifiers[0].Weight != 1.5 {
		t.Errorf("intensifier = %+v", l.Intensifiers[0])
	}
}

func TestMerge(t *testing.T) {
	a := mustLoad(t, "a.yaml", "dimensions:\n  - name: 资费\n    terms: [价格]\nsentiment:\n  positive: [便宜, 好]\nintensifiers: {很: 1.5}\nnegators: [不]\n")
	b := mustLoad(t, "b.yaml", "dimensions:\n  - name: 资费\n    terms: [价格, 话费]\n  - name: 网络/信号\n    terms: [信号]\nsentiment:\n  negative: [便宜]\nintensifiers: {很: 1.2, 太: 2}\nnegators: [不, 没]\n")
	m := Merge(a, b)
	if len(m.Dimensions) != 2 || m.Dimensions[0].Name != "资费" || m.Dimensions[1].Name != "网络/信号" {
		t.Fatalf("dimensions = %+v", m.Dimensions)
	}
	if got := texts(m.Dimensions[0].Terms); !slices.Equal(got, []string{"价格", "话费"}) {
		t.Errorf("资费 terms = %q, want [价格 话费]", got)
	}
	if got := texts(m.Positive); !slices.Equal(got, []string{"好"}) {
		t.Errorf("positive = %q: a later file's negative 便宜 must override", got)
	}
	if got := texts(m.Negative); !slices.Equal(got, []string{"便宜"}) {
		t.Errorf("negative = %q", got)
	}
	if m.Intensifiers[0].Weight != 1.2 || len(m.Intensifiers) != 2 {
		t.Errorf("intensifiers = %+v, want 很 re-weighted to 1.2 and 太 added", m.Intensifiers)
	}
	if got := texts(m.Negators); !slices.Equal(got, []string{"不", "没"}) {
		t.Errorf("negators = %q", got)
	}
	if len(m.Sources) != 2 {
		t.Errorf("sources = %+v", m.Sources)
	}
	// Merge must not change its inputs.
	if len(a.Dimensions[0].Terms) != 1 || len(a.Positive) != 2 {
		t.Errorf("Merge modified its input: %+v", a)
	}
}

func TestLoadFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good.yaml", "dimensions:\n  - name: 资费\n    terms: [价格]\n")
	l, err := LoadFiles(true, good)
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Positive) < 100 || len(l.Negators) < 20 || len(l.Dimensions) != 1 {
		t.Errorf("builtin not merged under the user file: %d positive, %d negators", len(l.Positive), len(l.Negators))
	}
	if l.Sources[0].Path != BuiltinPath || l.Sources[1].Path != good {
		t.Errorf("sources = %+v", l.Sources)
	}

	bad1 := write("bad1.yaml", "dimensions:\n  - name: a\n    terms: [x, x]\n")
	bad2 := write("bad2.yaml", "dimensions: []\nfoo: 1\n")
	_, err = LoadFiles(true, bad1, bad2)
	if err == nil || !strings.Contains(err.Error(), "bad1.yaml:3") || !strings.Contains(err.Error(), "bad2.yaml:2") {
		t.Errorf("errors of both files must be reported, got %v", err)
	}

	empty := write("empty.yaml", "dimensions: []\n")
	if _, err := LoadFiles(true, empty); !errors.Is(err, ErrNoDimensions) {
		t.Errorf("no dimensions: err = %v, want ErrNoDimensions", err)
	}

	parent := write("parent.yaml", "dimensions:\n  - name: 服务\n    terms: [服务]\n  - name: 服务/客服\n    terms: [客服]\n")
	if _, err := LoadFiles(false, parent); err == nil || !strings.Contains(err.Error(), `parent.yaml:2: dimension "服务" has sub-dimensions`) {
		t.Errorf("a dimension with terms and sub-dimensions: err = %v", err)
	}

	if _, err := LoadFiles(false, filepath.Join(dir, "missing.yaml")); err == nil || !strings.Contains(err.Error(), "missing.yaml") {
		t.Errorf("missing file: err = %v", err)
	}
}

func TestBuiltin(t *testing.T) {
	l := Builtin()
	n := len(l.Positive) + len(l.Negative) + len(l.Neutral) + len(l.Negators) + len(l.Intensifiers) + len(l.Contrast) + len(l.Junk)
	if n < 300 {
		t.Errorf("built-in lexicon has %d entries, want a few hundred", n)
	}
	for _, w := range []string{"好", "不错", "满意"} {
		if indexText(l.Positive, w) < 0 {
			t.Errorf("built-in positive lacks %q", w)
		}
	}
	for _, w := range []string{"差", "慢", "不好", "垃圾"} {
		if indexText(l.Negative, w) < 0 {
			t.Errorf("built-in negative lacks %q", w)
		}
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"信号差", "信号差"},
		{"ＡＰＰ很好用", "app很好用"},
		{"５Ｇ信号", "5g信号"},
		{"网速，慢！", "网速，慢！"},
		{"５Ｇ，信号", "5g,信号"},
		{"App", "app"},
		{"APP查话费，WiFi老断", "app查话费，wifi老断"},
		{"ＡＰＰ和APP", "app和app"},
		{"Ωmega", "ωmega"},
		{"Ⅲ期", "ⅲ期"},
		{"bad\xffbyte", "bad\uFFFDbyte"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzNormalize: Normalize is idempotent, and its fast paths agree with the
// general one, except on the ideographic space and the full-width forms,
// which it folds only when letters or digits need it.
func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"信号差", "APP很好用", "ＡＰＰ", "Ωmega", "bad\xffbyte", "网速，慢"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalize(s)
		if Normalize(n) != n {
			t.Fatalf("Normalize(%q) = %q, not a fixed point", s, n)
		}
		if strings.ContainsFunc(s, func(r rune) bool { return r == 0x3000 || r >= 0xFF00 }) {
			return
		}
		if want := strings.ToLower(width.Fold.String(strings.ToValidUTF8(s, "\uFFFD"))); n != want {
			t.Fatalf("Normalize(%q) = %q, general path %q", s, n, want)
		}
	})
}

// FuzzLoad: any bytes give a lexicon or an error that names the file, never a panic.
func FuzzLoad(f *testing.F) {
	f.Add([]byte(BuiltinYAML()))
	f.Add([]byte("dimensions:\n  - name: 网络/信号\n    terms: [信号]\n    exclude: [信号灯]\n"))
	f.Add([]byte("dimensions: [1, {name: x}]\nintensifiers: {很: 1e999}\n"))
	f.Add([]byte("- a\n- b\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := Load("f.yaml", strings.NewReader(string(data)))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.yaml") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		for _, d := range l.Dimensions {
			if checkDimensionName(d.Name) != "" {
				t.Fatalf("accepted bad dimension name %q", d.Name)
			}
		}
	})
}

func mustLoad(t *testing.T, name, src string) *Lexicon {
	t.Helper()
	l, err := Load(name, strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func texts(es []Entry) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.Text)
	}
	return out
}

func TestLexiconAliasBomb(t *testing.T) {
	bomb := "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\ndimensions: []\nnegators: *f\n"
	if _, err := Load("bomb.yaml", strings.NewReader(bomb)); err == nil {
		t.Error("an alias bomb loaded")
	}
}

// indexText is the index of the entry of es with text, -1 if none.
func indexText(es []Entry, text string) int {
	return slices.IndexFunc(es, func(e Entry) bool { return e.Text == text })
}
