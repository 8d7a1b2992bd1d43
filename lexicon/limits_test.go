package lexicon

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"syscall"
	"testing"
	"time"
)

// cpuTime is the CPU time the test process has used: unlike the wall clock,
// it does not grow when other processes load the machine.
func cpuTime(t *testing.T) time.Duration {
	t.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// within runs f, failing the test when it takes more than cpu of CPU time,
// or is still running after a minute (a parse that once took minutes).
func within(t *testing.T, cpu time.Duration, f func() error) error {
	t.Helper()
	done := make(chan error, 1)
	start := cpuTime(t)
	go func() { done <- f() }()
	select {
	case err := <-done:
		if used := cpuTime(t) - start; used > cpu {
			t.Errorf("took %v of CPU, want under %v", used, cpu)
		}
		return err
	case <-time.After(time.Minute):
		t.Fatalf("still running after a minute")
		return nil
	}
}

// nested is a rule of depth parentheses around a word.
func nested(depth int) string {
	return strings.Repeat("(", depth) + "信号" + strings.Repeat(")", depth)
}

// TestRuleLimits: a rule longer than MaxRuleBytes or nesting deeper than
// MaxRuleDepth is refused at once, naming file:line:column; a rule at the
// limits loads. A rule of 10^6 nested parentheses once parsed for over 300 s
// (10^5: 39 s): every token counted the runes from the rule's start.
func TestRuleLimits(t *testing.T) {
	longest := "信号 AND " + strings.Repeat("(a OR b) AND ", (MaxRuleBytes-20)/13) + "c"
	longest += strings.Repeat(" ", MaxRuleBytes-len(longest))
	for _, tc := range []struct {
		name, rule string
		want       string // "" for none
	}{
		{"a million nested parentheses", nested(1_000_000), fmt.Sprintf("lexicon.yaml:4:14: rules: rule of %d bytes, the most is 16384", 2_000_000+len("信号"))},
		{"100,000 nested parentheses", nested(100_000), fmt.Sprintf("lexicon.yaml:4:14: rules: rule of %d bytes, the most is 16384", 200_000+len("信号"))},
		{"one level too deep", nested(MaxRuleDepth + 1), "lexicon.yaml:4:114: rules: rule nests 101 parentheses deep, the most is 100 in"},
		{"5,000 levels, within the length", nested(5000), "lexicon.yaml:4:114: rules: rule nests 5000 parentheses deep, the most is 100 in"},
		{"NOTs count as levels", "信号 AND " + strings.Repeat("NOT ", 60) + nested(41), "rules: rule nests NOTs and parentheses more than 100 deep in"},
		{"a word longer than a word may be", "信号 AND " + strings.Repeat("长", 43), "lexicon.yaml:4:21: rules: word of 129 bytes, the most is 128 in"},
		{"a phrase longer than a word may be", `信号 AND "` + strings.Repeat("x", 129) + `"`, "rules: phrase of 129 bytes, the most is 128 in"},
		{"as deep as may be", nested(MaxRuleDepth), ""},
		{"NOTs and parentheses as deep as may be", "信号 AND " + strings.Repeat("NOT ", 60) + nested(40), ""},
		{"as long as may be", longest, ""},
		{"the longest word", "信号 AND " + strings.Repeat("长", 42), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := "name: limits\ndimensions:\n  - name: 网络\n    rules: ['" + tc.rule + "']\n"
			err := within(t, 2*time.Second, func() error {
				_, err := Load("lexicon.yaml", strings.NewReader(src))
				return err
			})
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("got %.300v, want no error", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("got %.300v, want %q", err, tc.want)
			case err != nil && len(err.Error()) > MaxRuleBytes+500:
				t.Errorf("a message of %d bytes: the rule should not be quoted whole", len(err.Error()))
			}
		})
	}
}

// TestRuleParsingIsLinear: parsing a rule eight times as long takes about
// eight times as long, not 64 (the minimum of several runs, in CPU time;
// before the fix, 4 times as long took 22 times as long).
func TestRuleParsingIsLinear(t *testing.T) {
	rule := func(n int) string { // n bytes of 信号 AND (a OR "b c") ...
		r := "信号"
		for len(r)+20 < n {
			r += ` AND (a OR "b c")`
		}
		return r
	}
	// The collector's share grows with the heap: off, the ratio measures the parser.
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	cost := func(src string) time.Duration {
		runtime.GC()
		best := time.Hour
		for range 7 {
			start := cpuTime(t)
			for range 20 {
				if _, err := ParseRule(src); err != nil {
					t.Fatal(err)
				}
			}
			best = min(best, cpuTime(t)-start)
		}
		return best
	}
	small, large := cost(rule(MaxRuleBytes/8)), cost(rule(MaxRuleBytes))
	ratio := float64(large) / float64(max(small, time.Microsecond))
	t.Logf("20 parses of %d bytes: %v; of %d bytes: %v (%.1f times)", MaxRuleBytes/8, small, MaxRuleBytes, large, ratio)
	if ratio > 20 {
		t.Errorf("parsing %d bytes took %v, %d bytes %v: %.1f times as long, want under 20 (linear: 8)", MaxRuleBytes/8, small, MaxRuleBytes, large, ratio)
	}
}

// TestWordLimits: a word longer than MaxWordBytes, once normalized, is
// refused with file:line, whatever its list; a word at the limit loads. A
// 1 MB term once loaded (lexicon.Load and tagger.New) for 154 s.
func TestWordLimits(t *testing.T) {
	mb := strings.Repeat("a", 1<<20)
	for _, tc := range []struct {
		name, yaml string
		want       string
	}{
		{"a 1 MB term", "dimensions:\n  - name: 网络\n    terms:\n      - 信号\n      - " + mb + "\n", "lexicon.yaml:5: terms: word of 1048576 bytes, the most is 128"},
		{"43 characters", "dimensions:\n  - name: 网络\n    terms: [" + strings.Repeat("长", 43) + "]\n", "lexicon.yaml:3: terms: word of 129 bytes, the most is 128"},
		{"full-width letters count once narrowed", "dimensions:\n  - name: 网络\n    terms: [" + strings.Repeat("Ａ", 128) + "]\n", ""},
		{"129 letters", "dimensions: []\nnegators: [" + strings.Repeat("x", 129) + "]\n", "lexicon.yaml:2: negators: word of 129 bytes, the most is 128"},
		{"a sentiment word", "dimensions: []\nsentiment:\n  positive: [好, " + mb + "]\n", "lexicon.yaml:3: sentiment.positive: word of 1048576 bytes"},
		{"an intensifier", "dimensions: []\nintensifiers:\n  ? " + mb + "\n  : 2\n", "lexicon.yaml:3: intensifiers: word of 1048576 bytes"},
		{"an exclusion", "dimensions:\n  - name: 网络\n    terms: [信号]\n    exclude: [" + mb + "]\n", "lexicon.yaml:4: exclude: word of 1048576 bytes"},
		{"the longest word", "dimensions:\n  - name: 网络\n    terms: [" + strings.Repeat("长", 42) + ", " + strings.Repeat("x", 128) + "]\n", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := within(t, 2*time.Second, func() error {
				_, err := Load("lexicon.yaml", strings.NewReader(tc.yaml))
				return err
			})
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("got %.300v, want no error", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("got %.300v, want %q", err, tc.want)
			case err != nil && len(err.Error()) > 1000:
				t.Errorf("a message of %d bytes: the word should not be quoted", len(err.Error()))
			}
		})
	}
}

// distinctWord returns the i-th of many distinct two-character words.
func distinctWord(i int) string {
	return string([]rune{rune(0x4e00 + i/20000), rune(0x4e00 + i%20000)})
}

// bigLexicon is a lexicon of dims dimensions holding words distinct terms
// in all, one a line, from the first-th distinct word: each term is on line
// 3 + its index + the dimensions before it.
func bigLexicon(dims, words, first int) string {
	var b strings.Builder
	b.WriteString("name: big\ndimensions:\n")
	per := (words + dims - 1) / dims
	for i := range words {
		if i%per == 0 {
			fmt.Fprintf(&b, "  - name: d%d-%d\n    terms:\n", first, i/per)
		}
		fmt.Fprintf(&b, "      - %s\n", distinctWord(first+i))
	}
	return b.String()
}

// sizeCase is a run of files LoadFiles must refuse with each of want.
type sizeCase struct {
	name  string
	files []string
	want  []string
}

func runSizeCases(t *testing.T, cases []sizeCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := within(t, 5*time.Second, func() error {
				_, err := LoadFiles(false, tc.files...)
				return err
			})
			if err == nil {
				t.Fatalf("no error, want %q", tc.want)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("got %.500s\nwant %q", err, w)
				}
			}
			if n := strings.Count(err.Error(), "\n") + 1; n > maxErrors+1 {
				t.Errorf("%d messages, want at most %d", n, maxErrors+1)
			}
		})
	}
}

// writer returns a function writing a file in dir and returning its path.
func writer(t *testing.T, dir string) func(name, text string) string {
	return func(name, text string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
}

// TestWordCountLimit: a file or a run past MaxWords is refused, saying
// where; a run of exactly MaxWords words (and MaxDimensions dimensions)
// loads. A lexicon of a million terms once took 17 s and 1.5 GB to load.
func TestWordCountLimit(t *testing.T) {
	dir := t.TempDir()
	write := writer(t, dir)
	runSizeCases(t, []sizeCase{
		{"a file past MaxWords", []string{write("words.yaml", bigLexicon(200, MaxWords+1, 0))},
			// the last word, after the two lines of each of the 200 dimensions
			[]string{fmt.Sprintf("words.yaml:%d: more than %d words and rules in one file, the most is %d per run", 2+MaxWords+1+2*200, MaxWords, MaxWords)}},
	})
	// At the limit in two files, then past it with a third: what LoadFiles
	// checks between reading the files and merging them.
	var ls []*Lexicon
	for i, text := range []string{bigLexicon(500, MaxWords/2, 0), bigLexicon(500, MaxWords/2, MaxWords/2), "dimensions: []\nnegators: [不]\n"} {
		l, err := LoadFile(write(fmt.Sprintf("%d.yaml", i), text))
		if err != nil {
			t.Fatalf("%.500s", err)
		}
		ls = append(ls, l)
	}
	if err := checkSizes(ls[:2]); err != nil {
		t.Errorf("at the limits: %v", err)
	}
	if m := Merge(ls[:2]...); len(m.Dimensions) != MaxDimensions {
		t.Errorf("%d dimensions, want %d", len(m.Dimensions), MaxDimensions)
	}
	want := fmt.Sprintf("lexicons %s/0.yaml, %s/1.yaml, %s/2.yaml: %d words and rules together, the most is %d per run", dir, dir, dir, MaxWords+1, MaxWords)
	if err := checkSizes(ls); err == nil || err.Error() != want {
		t.Errorf("past the limit together: got %v, want %s", err, want)
	}
}

// TestSizeLimits: a file or a run past MaxWordChars, MaxDimensions or
// MaxFileBytes is refused, saying which and where; one file's problems are
// kept up to maxErrors, then counted.
func TestSizeLimits(t *testing.T) {
	dir := t.TempDir()
	write := writer(t, dir)
	// A lexicon of n distinct words of 44 characters (128 bytes), from the first-th.
	chars := func(name string, first, n int) string {
		var b strings.Builder
		fmt.Fprintf(&b, "dimensions:\n  - name: %s\n    terms:\n", name)
		for i := range n {
			fmt.Fprintf(&b, "      - %s%sxx\n", strings.Repeat("长", 40), distinctWord(first+i))
		}
		return b.String()
	}
	var dims strings.Builder
	dims.WriteString("dimensions:\n")
	for i := range MaxDimensions + 1 {
		fmt.Fprintf(&dims, "  - name: d%d\n    terms: [%s]\n", i, distinctWord(i))
	}
	var twice strings.Builder
	twice.WriteString("dimensions: []\nnegators:\n")
	for range 5001 {
		twice.WriteString("  - 不\n")
	}
	runSizeCases(t, []sizeCase{
		{"a file past MaxWordChars", []string{write("chars.yaml", chars("长", 0, MaxWordChars/44+1))},
			[]string{fmt.Sprintf("chars.yaml:%d: more than %d characters of words and rules in one file, the most is %d per run", 3+MaxWordChars/44+1, MaxWordChars, MaxWordChars)}},
		{"files past MaxWordChars together", []string{write("c1.yaml", chars("甲", 0, MaxWordChars/88+1)), write("c2.yaml", chars("乙", 0, MaxWordChars/88+1))},
			[]string{fmt.Sprintf("c2.yaml: %d characters of words and rules together, the most is %d per run", 44*2*(MaxWordChars/88+1), MaxWordChars)}},
		{"a file past MaxDimensions", []string{write("dims.yaml", dims.String())},
			[]string{fmt.Sprintf("dims.yaml:%d: more than 1000 dimensions in one file, the most is 1000 per run", 2+2*MaxDimensions)}},
		{"files past MaxDimensions together", []string{write("d1.yaml", bigLexicon(600, 600, 0)), write("d2.yaml", bigLexicon(600, 600, 600))},
			[]string{"1200 dimensions together, the most is 1000 per run"}},
		{"a file past MaxFileBytes", []string{write("bytes.yaml", "dimensions:\n  - name: 网络\n    terms: [信号]\n#"+strings.Repeat(" ", MaxFileBytes))},
			[]string{"bytes.yaml: larger than 4194304 bytes, the most a lexicon file may have"}},
		{"problems past maxErrors are counted", []string{write("twice.yaml", twice.String())},
			[]string{"twice.yaml:4: negators: \"不\" listed twice (first at line 3)", "twice.yaml: 4000 more problems not shown"}},
	})
}

// TestLongListsLoadFast: checking a list for repeats, and a dimension's
// lists against each other, was quadratic: one dimension of 100,000 terms
// loaded in 28 s; these 99,000 took 19 s of CPU.
func TestLongListsLoadFast(t *testing.T) {
	var b strings.Builder
	b.WriteString("dimensions:\n  - name: 网络\n    terms:\n")
	for i := range 59_000 {
		fmt.Fprintf(&b, "      - %s\n", distinctWord(i))
	}
	b.WriteString("    positive_terms:\n")
	for i := range 40_000 {
		fmt.Fprintf(&b, "      - %s\n", distinctWord(59_000+i))
	}
	b.WriteString("    exclude:\n      - " + distinctWord(58_999) + "\n")
	err := within(t, 8*time.Second, func() error {
		_, err := Load("long.yaml", strings.NewReader(b.String()))
		return err
	})
	if want := fmt.Sprintf("long.yaml:%d: dimension \"网络\": %q is both a term and an exclusion", 4+99_000+2, distinctWord(58_999)); err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

// TestSatisfiableIsBounded: Satisfiable tries every assignment of a rule's
// atoms over the whole rule: 16 atoms in a rule of MaxRuleBytes took
// minutes. It now gives up past a budget (assuming the rule can match) and
// still finds the contradictions of rules of a real size.
func TestSatisfiableIsBounded(t *testing.T) {
	atoms := strings.Fields("b c d e f g h i j k l m n o p")
	big := strings.Repeat("NOT a AND ", (MaxRuleBytes-100)/10) + strings.Join(atoms, " AND ") + " AND a"
	for _, tc := range []struct {
		rule string
		want bool
	}{
		{big, true}, // too big to try: assumed
		{"信号 AND NOT 信号", false},
		{"NOT a AND " + strings.Join(atoms, " AND ") + " AND a", false},
		{"NOT a AND " + strings.Join(atoms, " AND ") + " AND NOT p", false},
		{"a AND (b OR NOT a)", true},
	} {
		n, err := ParseRule(tc.rule)
		if err != nil {
			t.Fatal(err)
		}
		var got bool
		within(t, time.Second, func() error { got = n.Satisfiable(); return nil })
		if got != tc.want {
			t.Errorf("Satisfiable(%.60q) = %v, want %v", tc.rule, got, tc.want)
		}
	}
}

// TestMergeIsLinear: merging scanned the merged lists for every word (and
// rendered every rule merged so far for every rule): one dimension of
// 95,000 terms took 28 s to merge with the built-in lexicon.
func TestMergeIsLinear(t *testing.T) {
	const n = 90_000
	a, b := &Lexicon{}, &Lexicon{}
	for _, l := range []*Lexicon{a, b} {
		l.Dimensions = []Dimension{{Name: "网络"}}
	}
	d := &b.Dimensions[0]
	for i := range n {
		e := Entry{Text: distinctWord(i)}
		d.Terms = append(d.Terms, e)
		b.Positive = append(b.Positive, e)
		b.Intensifiers = append(b.Intensifiers, Intensifier{Entry: e, Weight: 2})
	}
	for i := range 5_000 {
		root, err := ParseRule(distinctWord(i) + " AND NOT " + distinctWord(i+1))
		if err != nil {
			t.Fatal(err)
		}
		d.Rules = append(d.Rules, Rule{Root: root}, Rule{Root: root}) // each twice: kept once
	}
	a.Dimensions[0].Terms = []Entry{{Text: distinctWord(7)}}
	a.Negative = []Entry{{Text: distinctWord(8)}}
	a.Intensifiers = []Intensifier{{Entry: Entry{Text: distinctWord(9)}, Weight: 1.5}}
	var m *Lexicon
	within(t, 2*time.Second, func() error { m = Merge(a, b); return nil })
	got := m.Dimensions[0]
	if len(got.Terms) != n || got.Terms[0].Text != distinctWord(7) || len(got.Rules) != 5_000 {
		t.Errorf("%d terms (first %q), %d rules; want %d (first %q), 5000", len(got.Terms), got.Terms[0].Text, len(got.Rules), n, distinctWord(7))
	}
	if len(m.Positive) != n || len(m.Negative) != 0 {
		t.Errorf("%d positive, %d negative words; want %d, 0 (a later polarity wins)", len(m.Positive), len(m.Negative), n)
	}
	if len(m.Intensifiers) != n || m.Intensifiers[0].Text != distinctWord(9) || m.Intensifiers[0].Weight != 2 {
		t.Errorf("%d intensifiers, first %v; want %d, %q weighing 2 (the later weight)", len(m.Intensifiers), m.Intensifiers[0], n, distinctWord(9))
	}
}
