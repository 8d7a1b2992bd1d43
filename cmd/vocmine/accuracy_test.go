package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/vocmine/vocmine/internal/corpora"
)

// exportPart writes one part of aic2018 (the labelled restaurant reviews of
// the team's shared corpora, ../shared/data beside the repository; research
// use only, never copied here) as examples/dianping's export
// (review_id, star, review; the star derived from others_overall_experience
// as examples/dianping/export.go does) and its gold labels.
func exportPart(t *testing.T, part, dir string) (input, gold string) {
	t.Helper()
	read := func(name string) [][]string {
		f, err := os.Open(corpora.Path(t, "aic2018", name))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := csv.NewReader(f).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return rows[1:]
	}
	reviews, labels := read("reviews.csv"), read("labels.csv")
	ids := map[string]bool{}
	stars := map[string]string{}
	for _, l := range labels {
		if l[1] == "others_overall_experience" {
			stars[l[0]] = map[string]string{"positive": "5", "neutral": "3", "negative": "1"}[l[2]]
		}
	}
	write := func(name string, header []string, rows [][]string) string {
		var b bytes.Buffer
		w := csv.NewWriter(&b)
		w.Write(header)
		w.WriteAll(rows)
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	var in, g [][]string
	for _, r := range reviews {
		if r[1] == part {
			ids[r[0]] = true
			in = append(in, []string{r[0], cmpOr(stars[r[0]], "3"), r[2]})
		}
	}
	for _, l := range labels {
		if ids[l[0]] {
			g = append(g, l)
		}
	}
	if len(in) < 900 {
		t.Fatalf("aic2018 %s: %d reviews, want about 1,000", part, len(in))
	}
	return write(part+".csv", []string{"review_id", "star", "review"}, in), write(part+"-gold.csv", []string{"review_id", "aspect", "polarity"}, g)
}

func cmpOr(a, b string) string {
	if a == "" {
		return b
	}
	return a
}

// The targets of issue 14 for examples/dianping on the aic2018 dev part,
// which nothing was tuned on, and the floors this test holds: a figure below
// its floor fails (a regression); one between floor and target is logged as
// the gap left (docs/ACCURACY.md holds the figures). Raise a floor to its
// target once the target is met.
var dianpingTargets = []struct {
	name          string
	floor, target float64
	get           func(r evalFigures) float64
}{
	{"pair F1", 0.61, 0.65, func(r evalFigures) float64 { return r.Micro.Pair.F1.Value }},
	{"mention F1", 0.80, 0.80, func(r evalFigures) float64 { return r.Micro.Mention.F1.Value }},
	{"negative F1", 0.46, 0.55, func(r evalFigures) float64 { return r.Micro.Negative.F1.Value }},
	{"polarity accuracy", 0.74, 0.78, func(r evalFigures) float64 { return r.Micro.Polarity.Value }},
	{"sentiment accuracy", 0.72, 0.80, func(r evalFigures) float64 { return r.Sentiment.Accuracy.Value }},
}

// evalFigures is the part of eval.json the targets read.
type evalFigures struct {
	Reviews int `json:"reviews"`
	Micro   struct {
		Mention, Pair, Negative struct {
			F1 struct{ Value float64 } `json:"f1"`
		}
		Polarity struct{ Value float64 } `json:"polarity_accuracy"`
	} `json:"micro"`
	Sentiment struct {
		Accuracy struct{ Value float64 } `json:"accuracy"`
	} `json:"sentiment"`
}

// TestDianpingAccuracy runs `vocmine lexicon eval` with examples/dianping on
// the dev part of aic2018 and fails below the floors.
func TestDianpingAccuracy(t *testing.T) {
	if testing.Short() {
		t.Skip("tags a labelled corpus: slow; run without -short")
	}
	dir := t.TempDir()
	input, gold := exportPart(t, "dev", dir)
	r := dianpingEval(t, dir, input, gold, "vocmine")
	if r.Reviews < 900 {
		t.Fatalf("eval scored %d reviews, want the dev part's ~1,000", r.Reviews)
	}
	// The engine must stay well ahead of a substring search with the same
	// lexicon (the starting point: no better than one).
	naive := dianpingEval(t, dir, input, gold, "naive")
	if r.Micro.Pair.F1.Value < naive.Micro.Pair.F1.Value+0.05 {
		t.Errorf("dev pair F1 %.3f, naive substring matcher %.3f: want the engine 0.05 ahead", r.Micro.Pair.F1.Value, naive.Micro.Pair.F1.Value)
	}
	for _, tg := range dianpingTargets {
		switch got := tg.get(r); {
		case got < tg.floor:
			t.Errorf("dev %s = %.3f, below its floor %.2f (target %.2f)", tg.name, got, tg.floor, tg.target)
		case got < tg.target:
			t.Logf("dev %s = %.3f: above its floor %.2f, short of the target %.2f", tg.name, got, tg.floor, tg.target)
		}
	}
}

// dianpingEval runs lexicon eval with examples/dianping and an engine, and
// reads its eval.json.
func dianpingEval(t *testing.T, dir, input, gold, engine string) evalFigures {
	t.Helper()
	out := filepath.Join(dir, "eval-"+engine)
	var stdout, stderr bytes.Buffer
	ctx := context.Background()
	args := []string{"lexicon", "eval", "--config", filepath.Join("..", "..", "examples", "dianping", "config.yaml"),
		"--input", input, "--gold", gold, "--map", filepath.Join("..", "..", "examples", "dianping", "aspects.csv"),
		"--out", out, "--examples", "0", "--engine", engine}
	if code := exitCode(ctx, run(ctx, args, &stdout, &stderr), &stderr); code != 0 {
		t.Fatalf("lexicon eval: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	t.Logf("vocmine %v\n%s", args, stdout.String())
	data, err := os.ReadFile(filepath.Join(out, "eval.json"))
	if err != nil {
		t.Fatal(err)
	}
	var r evalFigures
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatal(err)
	}
	return r
}
