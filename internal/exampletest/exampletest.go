// Package exampletest gives tests the embedded telecom example: its config,
// unpacked into a temporary folder, and a tagger of its lexicons built as
// vocmine run builds it.
package exampletest

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vocmine/vocmine/config"
	"github.com/vocmine/vocmine/examples"
	"github.com/vocmine/vocmine/lexicon"
	"github.com/vocmine/vocmine/pipeline"
	"github.com/vocmine/vocmine/tagger"
)

// Date is the run date of the example's config in tests.
var Date = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

// Config unpacks the embedded example into a temporary folder and loads
// its config (no environment), writing into the folder's out/.
func Config(t testing.TB) *config.Config {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, examples.FS); err != nil {
		t.Fatal(err)
	}
	cfg := Load(t, filepath.Join(dir, "telecom", "config.yaml"), Date)
	cfg.Output.Dir = filepath.Join(dir, "out")
	return cfg
}

// Load loads a config file for a run date, without the environment.
func Load(t testing.TB, file string, date time.Time) *config.Config {
	t.Helper()
	cfg, err := (&config.Loader{File: file, Date: date, LookupEnv: func(string) (string, bool) { return "", false }}).Load()
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

var taggers sync.Map // the lexicons' contents -> *tagger.Tagger

// Tagger is the tagger of cfg's lexicons that vocmine run builds
// (pipeline.NewTagger), shared by the tests of the same lexicons: building
// one loads gse's dictionary, a second or more.
func Tagger(t testing.TB, cfg *config.Config) *tagger.Tagger {
	t.Helper()
	var key string // the lexicons' contents: the example is unpacked anew per test
	for _, p := range cfg.Lexicons {
		b, _ := os.ReadFile(p)
		key += string(b) + "\x00"
	}
	if tg, ok := taggers.Load(key); ok {
		return tg.(*tagger.Tagger)
	}
	lex, err := lexicon.LoadFiles(cfg.BuiltinLexicon, cfg.Lexicons...)
	if err != nil {
		t.Fatal(err)
	}
	tg, err := pipeline.NewTagger(cfg, lex)
	if err != nil {
		t.Fatal(err)
	}
	taggers.Store(key, tg)
	return tg
}

// RunBinary runs a built binary (vocmine, vocmine-beam) with env added to
// the environment, as a scheduler does, and returns its exit code and
// stderr; it fails the test when the binary cannot be started.
func RunBinary(t testing.TB, binary string, env []string, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), env...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode(), stderr.String()
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0, stderr.String()
}

// AlertsSurvey writes into a new folder a lexicon (lex.yaml), a base night
// (base.csv: 400 rows, scores 10 and 0) and a worse night (worse.csv: every
// score 0), an empty export (empty.csv) and a config per alerts.fail_on
// (none.yaml, bad.yaml: input base.csv, output out-none, out-bad), and
// returns the folder: the binaries' tests of alerts and exit codes.
func AlertsSurvey(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	write := func(name, data string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("lex.yaml", "dimensions:\n  - name: 网络/信号\n    terms: [信号]\n")
	for name, scores := range map[string][]int{"base.csv": {10, 0}, "worse.csv": {0}} {
		rows := []string{"id,score,text"}
		for i := range 400 {
			rows = append(rows, fmt.Sprintf("R%d,%d,信号一般", i, scores[i%len(scores)]))
		}
		write(name, strings.Join(rows, "\n")+"\n")
	}
	for _, failOn := range []string{"none", "bad"} {
		write(failOn+".yaml", "input:\n  path: base.csv\nlexicons: [lex.yaml]\noutput:\n  dir: out-"+failOn+"\nalerts:\n  fail_on: "+failOn+"\n")
	}
	write("empty.csv", "")
	return dir
}
