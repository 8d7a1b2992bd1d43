package main

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/vocmine/vocmine/internal/corpora"
)

// TestGeneratedInStep regenerates the list from the shared corpora and
// fails while the committed lexicon/sentiment.tsv differs: after a change to
// general.yaml, review.tsv, the dictionary or the generator, run
// `go generate ./lexicon` and review the diff. It skips where the corpora are
// absent, and fails there under VOCMINE_REQUIRE_CORPUS=1.
func TestGeneratedInStep(t *testing.T) {
	if testing.Short() {
		t.Skip("regenerates from 65k reviews (-short)")
	}
	for _, c := range corpora.All {
		corpora.Path(t, c.File)
	}
	data := corpora.Path(t)
	out := filepath.Join(t.TempDir(), "sentiment.tsv")
	// The committed settings, with the paths seen from this folder.
	o := defaults()
	o.data, o.out, o.review = data, out, "review.tsv"
	o.hand, o.dict = filepath.Join("..", "..", o.hand), filepath.Join("..", "..", o.dict)
	if err := run(o, io.Discard); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join("..", "..", "sentiment.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("lexicon/sentiment.tsv is out of step with its generator and inputs: run go generate ./lexicon and review git diff")
	}
}
