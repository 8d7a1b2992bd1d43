package aggregate_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/vocmine/vocmine/config"
	"github.com/vocmine/vocmine/examples"
	"github.com/vocmine/vocmine/lexicon"
	"github.com/vocmine/vocmine/tagger"
)

// example is the embedded telecom example's config, unpacked into a
// temporary folder, and a tagger of its lexicons as a run builds it.
func example(t *testing.T) (*config.Config, *tagger.Tagger) {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, examples.FS); err != nil {
		t.Fatal(err)
	}
	ld := config.Loader{File: filepath.Join(dir, "telecom", "config.yaml"), Date: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC),
		LookupEnv: func(string) (string, bool) { return "", false }}
	cfg, err := ld.Load()
	if err != nil {
		t.Fatal(err)
	}
	lex, err := lexicon.LoadFiles(cfg.BuiltinLexicon, cfg.Lexicons...)
	if err != nil {
		t.Fatal(err)
	}
	tg, err := tagger.New(tagger.Config{Dictionary: cfg.Tagger.Dictionary, Mode: cfg.Tagger.Mode, SkipEvidence: true}, lex)
	if err != nil {
		t.Fatal(err)
	}
	return cfg, tg
}
