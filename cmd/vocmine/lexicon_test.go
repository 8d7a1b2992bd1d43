package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"github.com/vocmine/vocmine/pipeline"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
	if code != exitConfig || !strings.Contains(stderr.String(), "4 of 5 lexicon examples fail") {
		t.Errorf("run with failing examples: exit %d, stderr %s; want %d and the count", code, stderr.String(), exitConfig)
	}
	if _, err := os.Stat(filepath.Join(out, "run_date=2026-01-01")); !os.IsNotExist(err) {
		t.Errorf("a partition was published despite failing examples (stat: %v)", err)
	}
	stderr.Reset()
	code = exitCode(ctx, run(ctx, []string{"run", "--config", cfg, "--out", out, "--date", "2026-01-01", "--allow-failing-examples"}, &stdout, &stderr), &stderr)
	m, err := os.ReadFile(filepath.Join(out, "run_date=2026-01-01", "manifest.json"))
	if code != exitOK || err != nil || !strings.Contains(string(m), `"failed": 4`) || !strings.Contains(stderr.String(), "LEXICON EXAMPLES FAIL") {
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
	if _, err := os.Stat(filepath.Join(out, "candidates.parquet")); err != nil {
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
	part := filepath.Join(out, "run_date=2026-01-01")
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
	m, err := pipeline.ReadManifest(part)
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
