package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/vocmine/vocmine/lextool"
	"github.com/vocmine/vocmine/pipeline/table"
)

// evalFixture writes a config, a lexicon of three dimensions, ten
// responses and a gold file with aspect names and its map.
func evalFixture(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"config.yaml": "input: {path: responses.csv, id: id, score: score, text: text}\nlexicons: [lexicon.yaml]\n",
		"lexicon.yaml": `name: eval-test
dimensions:
  - name: 网络/信号
    terms: [信号]
    negative_terms: [掉线]
  - name: 网络/网速
    terms: [网速]
  - name: 资费
    terms: [资费, 月租]
`,
		"responses.csv": `id,score,text
R1,2,信号太差，经常掉线
R2,9,网速很快
R3,3,资费太贵了
R4,10,信号好，网速也快
R5,8,还行吧
R6,1,月租贵，网速慢
R7,9,资费便宜
R8,0,无
R9,5,信号一般
R10,7,网速还可以
`,
		// R1 and R6 as tagged; R2 labelled negative (the tagger says
		// positive); R4's 网速 missed by the labeller; R3 and R7 have no row.
		"gold.csv": `review_id,aspect,polarity
R1,signal,negative
R2,speed,negative
R4,signal,positive
R6,price,negative
R6,speed,negative
R6,overall,negative
R2,overall,negative
R99,price,positive
`,
		"aspects.csv":     "aspect,dimension\nsignal,网络/信号\nspeed,网络/网速\nprice,资费\noverall,@sentiment\n",
		"bad-aspects.csv": "aspect,dimension\nsignal,网络/信号\nspeed,网络/速度\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func runVocmine(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	ctx := context.Background()
	code = exitCode(ctx, run(ctx, args, &out, &errb), &errb)
	return code, out.String(), errb.String()
}

// TestLexiconEvalSample: sample, then eval of the unchanged sample (F1 = 1,
// --min 1 passes), then of a corrected one (--min fails with exit 1).
func TestLexiconEvalSample(t *testing.T) {
	dir := evalFixture(t)
	cfg := filepath.Join(dir, "config.yaml")
	sample := filepath.Join(dir, "sample.csv")
	code, out, stderr := runVocmine("lexicon", "sample", "--config", cfg, "--input", filepath.Join(dir, "responses.csv"), "--n", "6", "--out", sample)
	if code != 0 || !strings.Contains(out, "6 of 10 reasons drawn") {
		t.Fatalf("sample: exit %d\n%s%s", code, out, stderr)
	}
	data, err := os.ReadFile(sample)
	if err != nil || !strings.HasPrefix(string(data), "\uFEFFid,group,text,dimension,polarity\n") || strings.Contains(string(data), ",无,") {
		t.Fatalf("sample.csv (%v):\n%s", err, data)
	}

	code, out, stderr = runVocmine("lexicon", "eval", "--config", cfg, "--gold", sample, "--min", "1")
	if code != 0 || !strings.Contains(out, "micro pair F1 1.000 >= --min 1.000") {
		t.Errorf("eval of the unchanged sample: exit %d\n%s%s", code, out, stderr)
	}

	// A person turns one polarity around.
	corrected := filepath.Join(dir, "corrected.csv")
	fixed := strings.Replace(string(data), ",negative\n", ",positive\n", 1)
	if fixed == string(data) {
		t.Fatalf("no negative tag in the sample to correct:\n%s", data)
	}
	if err := os.WriteFile(corrected, []byte(fixed), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr = runVocmine("lexicon", "eval", "--config", cfg, "--gold", corrected, "--min", "0.99")
	if code != 1 || !strings.Contains(stderr, "micro pair F1") || !strings.Contains(stderr, "below --min 0.990") {
		t.Errorf("eval of a corrected sample with --min 0.99: exit %d, want 1\n%s%s", code, out, stderr)
	}
}

// TestLexiconEval: a gold file with aspect names and a map, --out, both
// engines, and the errors.
func TestLexiconEval(t *testing.T) {
	dir := evalFixture(t)
	cfg := filepath.Join(dir, "config.yaml")
	base := []string{"lexicon", "eval", "--config", cfg, "--input", filepath.Join(dir, "responses.csv"), "--gold", filepath.Join(dir, "gold.csv")}
	outDir := filepath.Join(dir, "out")
	code, out, stderr := runVocmine(append(base, "--map", filepath.Join(dir, "aspects.csv"), "--out", outDir, "--min", "0.1")...)
	if code != 0 {
		t.Fatalf("eval: exit %d\n%s%s", code, out, stderr)
	}
	for _, want := range []string{"10 reviews, 4 with gold rows", "1 gold ids not in the input (ignored)", "sentiment accuracy: 0.500", "top levels:", "wrong polarity  R2"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	js, err := os.ReadFile(filepath.Join(outDir, "eval.json"))
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := json.Unmarshal(js, &raw); err != nil {
		t.Fatal(err)
	}
	rows, err := parquet.ReadFile[lextool.Row](table.Path(outDir, "eval.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	var dims []string
	for _, r := range rows {
		dims = append(dims, r.Dimension)
	}
	// 资费 gold R6 only; predicted R3, R6, R7: precision 1/3.
	if got, want := strings.Join(dims, " "), "网络/信号 网络/网速 资费 网络 micro macro"; got != want {
		t.Errorf("eval.parquet rows %q, want %q", got, want)
	}
	for _, r := range rows {
		if r.Dimension == "资费" && (r.Gold != 1 || r.Predicted != 3 || r.MentionPrecision == nil || *r.MentionPrecision != 1./3 || len(r.Confusion) != 25) {
			t.Errorf("资费 row: gold %d predicted %d precision %v confusion %v", r.Gold, r.Predicted, r.MentionPrecision, r.Confusion)
		}
	}
	micro := raw["micro"].(map[string]any)["pair"].(map[string]any)["f1"].(map[string]any)["value"].(float64)
	if rows[len(rows)-2].PairF1 == nil || *rows[len(rows)-2].PairF1 != micro {
		t.Errorf("micro pair F1: parquet %v, json %v", rows[len(rows)-2].PairF1, micro)
	}

	code, out, stderr = runVocmine(append(base, "--map", filepath.Join(dir, "aspects.csv"), "--engine", "naive")...)
	if code != 0 || !strings.Contains(out, "engine naive") {
		t.Errorf("--engine naive: exit %d\n%s%s", code, out, stderr)
	}

	errs := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"map target not in the lexicon", append(base, "--map", filepath.Join(dir, "bad-aspects.csv")), 65, `bad-aspects.csv:3: dimension "网络/速度" of aspect "speed" is not in the lexicon`},
		{"aspects without a map", base, 65, `gold.csv:2: dimension "signal" is not in the lexicon`},
		{"no gold", []string{"lexicon", "eval", "--config", cfg}, 64, "--gold is required"},
		{"no input and no text column", []string{"lexicon", "eval", "--config", cfg, "--gold", filepath.Join(dir, "gold.csv"), "--map", filepath.Join(dir, "aspects.csv")}, 64, "--input is required"},
		{"unknown engine", append(base, "--engine", "bert"), 64, `--engine "bert"`},
	}
	for _, c := range errs {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := runVocmine(c.args...)
			if code != c.code || !strings.Contains(stderr, c.want) {
				t.Errorf("exit %d, stderr %s; want %d and %q", code, stderr, c.code, c.want)
			}
		})
	}
}
