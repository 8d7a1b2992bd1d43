package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mattn/go-runewidth"

	"github.com/vocmine/vocmine/pipeline"
	"github.com/vocmine/vocmine/pipeline/partition"
	"github.com/vocmine/vocmine/pipeline/table"
)

var update = flag.Bool("update", false, "rewrite the expected.txt files of testdata/lexicon")

// TestLexiconCheck runs `vocmine lexicon check` on the fixtures under
// testdata/lexicon and compares the report and exit code with expected.txt
// (first line: the exit code). Regenerate: go test ./cmd/vocmine -run LexiconCheck -update
func TestLexiconCheck(t *testing.T) {
	for _, name := range []string{"check", "broken"} {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join("..", "..", "testdata", "lexicon", name)
			var stdout, stderr bytes.Buffer
			ctx := context.Background()
			code := exitCode(ctx, run(ctx, []string{"lexicon", "check", "--config", filepath.Join(dir, "config.yaml")}, &stdout, &stderr), &stderr)
			got := strings.ReplaceAll(stdout.String(), dir+string(filepath.Separator), "")
			got = strings.Join([]string{fmt.Sprintf("exit %d", code), got}, "\n")
			checkExpected(t, filepath.Join(dir, "expected.txt"), got)
		})
	}
}

// checkExpected compares got with the file at path, or rewrites it with -update.
func checkExpected(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs:\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// TestLexiconExamples: `lexicon test` reports the fixture's failing examples
// as diffs and exits 1; `run` refuses to publish (exit 78, nothing written)
// unless --allow-failing-examples, which publishes and counts them.
func TestLexiconExamples(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "lexicon", "examples")
	cfg := filepath.Join(dir, "config.yaml")
	ctx := context.Background()
	var stdout, stderr bytes.Buffer
	code := exitCode(ctx, run(ctx, []string{"lexicon", "test", "--config", cfg}, &stdout, &stderr), &stderr)
	got := strings.ReplaceAll(stdout.String(), dir+string(filepath.Separator), "")
	checkExpected(t, filepath.Join(dir, "expected.txt"), fmt.Sprintf("exit %d\n%s", code, got))

	out := t.TempDir()
	stderr.Reset()
	code = exitCode(ctx, run(ctx, []string{"run", "--config", cfg, "--out", out, "--date", "2026-01-01"}, &stdout, &stderr), &stderr)
	if code != pipeline.ExitConfig || !strings.Contains(stderr.String(), "4 of 5 lexicon examples fail") {
		t.Errorf("run with failing examples: exit %d, stderr %s; want %d and the count", code, stderr.String(), pipeline.ExitConfig)
	}
	if _, err := os.Stat(filepath.Join(out, "_runs", "run_date=2026-01-01")); !os.IsNotExist(err) {
		t.Errorf("a partition was published despite failing examples (stat: %v)", err)
	}
	stderr.Reset()
	code = exitCode(ctx, run(ctx, []string{"run", "--config", cfg, "--out", out, "--date", "2026-01-01", "--allow-failing-examples"}, &stdout, &stderr), &stderr)
	m, err := os.ReadFile(filepath.Join(out, "_runs", "run_date=2026-01-01", "manifest.json"))
	if code != pipeline.ExitOK || err != nil || !strings.Contains(string(m), `"failed": 4`) || !strings.Contains(stderr.String(), "LEXICON EXAMPLES FAIL") {
		t.Errorf("--allow-failing-examples: exit %d, manifest %v, stderr %s", code, err, stderr.String())
	}
}

// TestLexiconTools runs explain, lexicon coverage and lexicon diff on the
// fixture in testdata/lexicon/tools and compares their outputs with
// expected/<name>.txt (-update rewrites them).
func TestLexiconTools(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "lexicon", "tools")
	cfg := filepath.Join(dir, "config.yaml")
	out := t.TempDir()
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"explain", []string{"explain", "--config", cfg, "信号太差了，但是资费不贵", "营业厅排队太久"}},
		{"explain-json", []string{"explain", "--config", cfg, "--json", "月租太高"}},
		{"coverage", []string{"lexicon", "coverage", "--config", cfg, "--input", filepath.Join(dir, "responses.csv"), "--out", out}},
		{"diff", []string{"lexicon", "diff", "--config", cfg, "--old", filepath.Join(dir, "old.yaml"), "--new", filepath.Join(dir, "new.yaml"), "--input", filepath.Join(dir, "responses.csv")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			ctx := context.Background()
			code := exitCode(ctx, run(ctx, tc.args, &stdout, &stderr), &stderr)
			got := strings.ReplaceAll(stdout.String(), out, "OUT")
			checkExpected(t, filepath.Join(dir, "expected", tc.name+".txt"), fmt.Sprintf("exit %d\n%s", code, got))
		})
	}
	if _, err := os.Stat(table.Path(out, "candidates.parquet")); err != nil {
		t.Errorf("coverage wrote no candidates.parquet: %v", err)
	}
}

// TestCoverageOfARun: `lexicon coverage --run` prints what the run mined
// while tagging when the config's lexicons are the run's, and re-tags the
// run's responses otherwise, finding the same figures with the same
// lexicons.
func TestCoverageOfARun(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "lexicon", "tools")
	cfg := filepath.Join(dir, "config.yaml")
	out := t.TempDir()
	ctx := context.Background()
	t.Setenv("VOCMINE_INPUT_MAX_REJECTS", "5") // the fixture has a row without a score
	var stdout, stderr bytes.Buffer
	if code := exitCode(ctx, run(ctx, []string{"run", "--config", cfg, "--out", out, "--date", "2026-01-01"}, &stdout, &stderr), &stderr); code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr.String())
	}
	part := filepath.Join(out, "_runs", "run_date=2026-01-01")
	coverage := func() string {
		t.Helper()
		var stdout, stderr bytes.Buffer
		args := []string{"lexicon", "coverage", "--config", cfg, "--run", part, "--out", t.TempDir()}
		if code := exitCode(ctx, run(ctx, args, &stdout, &stderr), &stderr); code != 0 {
			t.Fatalf("coverage: exit %d: %s", code, stderr.String())
		}
		return stdout.String()
	}
	own := coverage()
	if !strings.HasPrefix(own, "the run's own coverage") || !strings.Contains(own, "detractor") {
		t.Errorf("coverage of the run with its own lexicons:\n%s", own)
	}
	// Another lexicon version (here: the manifest says so) re-tags.
	mpath := filepath.Join(part, "manifest.json")
	b, err := os.ReadFile(mpath)
	if err != nil {
		t.Fatal(err)
	}
	m, err := partition.ReadManifest(part)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(mpath, bytes.ReplaceAll(b, []byte(m.LexiconVersion), []byte("0000000000000000")), 0o644); err != nil {
		t.Fatal(err)
	}
	again := coverage()
	if !strings.HasPrefix(again, "the config's lexicons") {
		t.Errorf("coverage of a run of other lexicons does not say it re-tags:\n%s", again)
	}
	body := func(s string) string { return s[strings.Index(s, "\n\n"):strings.LastIndex(s, "candidates written")] }
	if body(own) != body(again) {
		t.Errorf("the run's own coverage and re-tagging its responses differ:\n%s\n---\n%s", own, again)
	}
}

// toolsConfig writes a config like testdata/lexicon/tools' with input.path
// path into a new folder and returns the config file.
func toolsConfig(t *testing.T, path string) string {
	t.Helper()
	lex, err := filepath.Abs(filepath.Join("..", "..", "testdata", "lexicon", "tools", "old.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(t.TempDir(), "config.yaml")
	yaml := fmt.Sprintf("input: {path: %q, id: id, score: score, text: text}\nlexicons: [%q]\n", path, lex)
	if err := os.WriteFile(cfg, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// TestLexiconInputFromConfig: coverage and diff without --input read the
// config's input.path (its glob resolved as vocmine run does, {date} from
// --date), print what --input prints, and refuse a glob of several files
// (exit 64) or of none (exit 66).
func TestLexiconInputFromConfig(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "lexicon", "tools")
	cfg := filepath.Join(dir, "config.yaml")
	input := filepath.Join(dir, "responses.csv")
	diff := []string{"lexicon", "diff", "--config", cfg, "--old", filepath.Join(dir, "old.yaml"), "--new", filepath.Join(dir, "new.yaml")}
	for name, args := range map[string][]string{
		"coverage": {"lexicon", "coverage", "--config", cfg},
		"diff":     diff,
	} {
		t.Run(name, func(t *testing.T) {
			_, want, _ := runVocmine(append(args, "--input", input)...)
			code, got, stderr := runVocmine(args...)
			if code != pipeline.ExitOK || got != want {
				t.Errorf("without --input: exit %d, stderr %s\n--- got\n%s\n--- want (--input %s)\n%s", code, stderr, got, input, want)
			}
		})
	}

	two := t.TempDir()
	csv, err := os.ReadFile(input)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"a-2026-01-02.csv", "b-2026-01-02.csv"} {
		if err := os.WriteFile(filepath.Join(two, name), csv, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	glob := toolsConfig(t, filepath.Join(two, "*-{date}.csv"))
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"one file of {date}", []string{"lexicon", "coverage", "--config", toolsConfig(t, filepath.Join(two, "a-{date}.csv")), "--date", "2026-01-02"}, pipeline.ExitOK, "detractor"},
		{"several files", []string{"lexicon", "coverage", "--config", glob, "--date", "2026-01-02"}, pipeline.ExitUsage, "matches 2 files"},
		{"several files, diff", append(slices.Clone(diff), "--config", glob, "--date", "2026-01-02"), pipeline.ExitUsage, "matches 2 files"},
		{"no file", []string{"lexicon", "coverage", "--config", glob, "--date", "2026-01-03"}, pipeline.ExitNoInput, "matches no file"},
		{"--input and --run", []string{"lexicon", "coverage", "--config", cfg, "--input", input, "--run", two}, pipeline.ExitUsage, "not both"},
		{"bad --date", append(slices.Clone(diff), "--date", "2.1.2026"), pipeline.ExitUsage, "YYYY-MM-DD"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runVocmine(tc.args...)
			if code != tc.code || !strings.Contains(stdout+stderr, tc.want) {
				t.Errorf("exit %d, stdout %s, stderr %s; want exit %d and %q", code, stdout, stderr, tc.code, tc.want)
			}
		})
	}
}

// TestCoverageOutOnlyWhereAsked: without --out, coverage writes no file
// (the current folder stays empty) and says how to get one; with --out it
// creates the folder, writes candidates.parquet there and names the file.
func TestCoverageOutOnlyWhereAsked(t *testing.T) {
	dir, err := filepath.Abs(filepath.Join("..", "..", "testdata", "lexicon", "tools"))
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"lexicon", "coverage", "--config", filepath.Join(dir, "config.yaml")}
	cwd := t.TempDir()
	t.Chdir(cwd)
	code, stdout, stderr := runVocmine(args...)
	if code != pipeline.ExitOK || strings.Contains(stdout, "written") || !strings.Contains(stdout, "--out DIR") {
		t.Errorf("without --out: exit %d, stderr %s, stdout:\n%s", code, stderr, stdout)
	}
	if files, _ := os.ReadDir(cwd); len(files) > 0 {
		t.Errorf("without --out coverage wrote into the current folder: %v", files)
	}
	out := filepath.Join(t.TempDir(), "new", "folder")
	code, stdout, stderr = runVocmine(append(args, "--out", out)...)
	path := table.Path(out, "candidates.parquet")
	if _, err := os.Stat(path); code != pipeline.ExitOK || err != nil || !strings.Contains(stdout, "written to "+path) {
		t.Errorf("--out %s: exit %d (%v), stderr %s, stdout:\n%s", out, code, err, stderr, stdout)
	}
}

// cellSpans returns the display columns where each cell of a table line
// starts and ends; cells are separated by two spaces or more.
func cellSpans(line string) [][2]int {
	var spans [][2]int
	col, spaces, start, end := 0, 2, -1, 0
	for _, r := range line {
		w := runewidth.RuneWidth(r)
		if r == ' ' {
			spaces++
		} else {
			if spaces >= 2 {
				if start >= 0 {
					spans = append(spans, [2]int{start, end})
				}
				start = col
			}
			spaces, end = 0, col+w
		}
		col += w
	}
	if start >= 0 {
		spans = append(spans, [2]int{start, end})
	}
	return spans
}

// checkAligned fails unless the lines have the same number of cells and
// every column starts (left-aligned) or ends (right-aligned) at the same
// display column on every line.
func checkAligned(t *testing.T, lines []string) {
	t.Helper()
	if len(lines) < 2 {
		t.Fatalf("no table: %q", lines)
	}
	first := cellSpans(lines[0])
	for _, l := range lines[1:] {
		spans := cellSpans(l)
		if len(spans) != len(first) {
			t.Errorf("%d cells, not %d:\n%s", len(spans), len(first), strings.Join(lines, "\n"))
			return
		}
		for i, s := range spans {
			if s[0] != first[i][0] && s[1] != first[i][1] {
				t.Errorf("column %d at display columns %v on %q, %v on %q:\n%s", i, s, l, first[i], lines[0], strings.Join(lines, "\n"))
				return
			}
		}
	}
}

// tableLines returns the lines of out from the first that starts with
// header (after spaces) up to the first blank line.
func tableLines(t *testing.T, out, header string) []string {
	t.Helper()
	var lines []string
	for _, l := range strings.Split(out, "\n") {
		switch {
		case lines == nil && strings.HasPrefix(strings.TrimSpace(l), header):
			lines = []string{l}
		case lines != nil && l == "":
			return lines
		case lines != nil:
			lines = append(lines, l)
		}
	}
	t.Fatalf("no table %q in:\n%s", header, out)
	return nil
}

// TestTablesDisplayWidth: the tables of coverage and diff line up on a
// terminal when cells hold Chinese (two columns a character) and ASCII,
// and an example reason's line break, CR or tab stays inside its line.
func TestTablesDisplayWidth(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "lexicon", "tools")
	_, diff, _ := runVocmine("lexicon", "diff", "--config", filepath.Join(dir, "config.yaml"), "--old", filepath.Join(dir, "old.yaml"), "--new", filepath.Join(dir, "new.yaml"), "--input", filepath.Join(dir, "responses.csv"))
	checkAligned(t, tableLines(t, diff, "dimension"))

	in := filepath.Join(t.TempDir(), "responses.csv")
	csv := "id,score,text\n" +
		"1,1,\"营业厅排队太久\r\n真的\t很慢\"\n" +
		"2,2,营业厅排队一个小时\n" +
		"3,1,app闪退，营业厅也不管\n" +
		"4,2,app闪退好几次了，气死\n" +
		"5,0,app闪退\n" +
		"6,3,营业厅排队太久\n"
	if err := os.WriteFile(in, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runVocmine("lexicon", "coverage", "--config", toolsConfig(t, in), "--input", in, "--out", t.TempDir())
	if code != pipeline.ExitOK {
		t.Fatalf("coverage: exit %d: %s", code, stderr)
	}
	checkAligned(t, tableLines(t, out, "group"))
	cands := tableLines(t, out, "untagged detractor reasons")[1:]
	checkAligned(t, cands)
	for _, l := range strings.Split(out, "\n") {
		if strings.ContainsAny(l, "\r\t") || strings.HasPrefix(l, "真的") {
			t.Errorf("an example's CR, tab or line break shows raw: %q in:\n%s", l, out)
		}
	}
	if !strings.Contains(out, "营业厅排队太久↵真的 很慢") {
		t.Errorf("the example with a line break is not shown on one line with ↵:\n%s", out)
	}
}

// TestExplainTagWeight: explain's tag line names the sum of the tag's cue
// weights weight=, not score= (read as the survey score).
func TestExplainTagWeight(t *testing.T) {
	cfg := filepath.Join("..", "..", "testdata", "lexicon", "tools", "config.yaml")
	_, out, _ := runVocmine("explain", "--config", cfg, "信号太差了")
	if !strings.Contains(out, "tag 网络/信号 negative code=1 weight=-1.94 ") || strings.Contains(out, "score=") {
		t.Errorf("explain:\n%s", out)
	}
}
