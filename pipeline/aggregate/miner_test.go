package aggregate_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/vocmine/vocmine/internal/exampletest"
	"github.com/vocmine/vocmine/pipeline/aggregate"
	"github.com/vocmine/vocmine/tagger"
)

// minerReasons are reasons with their groups: the example export's, and
// variations of them that the example's lexicon does not tag.
func minerReasons(t *testing.T) (texts, groups []string) {
	cfg := exampletest.Config(t)
	b, err := os.ReadFile(filepath.Join(filepath.Dir(cfg.File), "responses.csv"))
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(5, 6))
	extra := []string{"停车位不够", "停车位不够！", "营业厅排队太久", "营业厅排队太久！！", "营业厅 排队太久", "月底停车位不够用", "营业厅的停车位太少", "排队两个小时", "积分兑换很麻烦", "积分兑换流程复杂"}
	for i, line := range strings.Split(strings.TrimSpace(string(b)), "\n")[1:] {
		f := strings.Split(line, ",")
		texts = append(texts, f[2], extra[r.IntN(len(extra))]+"，"+extra[r.IntN(len(extra))])
		groups = append(groups, []string{"detractor", "passive", "promoter", "", "all"}[i%5], []string{"detractor", "promoter"}[i%2])
	}
	return texts, groups
}

// TestMinerMergesExactly: however the reasons are split into shards, in
// whatever order, and merged in whatever order (through JSON, as Beam's
// workers send them), the miner reports what one pass does.
func TestMinerMergesExactly(t *testing.T) {
	cfg := exampletest.Config(t)
	tg := exampletest.Tagger(t, cfg)
	texts, groups := minerReasons(t)
	results := make([]tagger.Result, len(texts))
	for i, text := range texts {
		results[i] = tg.Tag(text)
	}
	miner := func() *aggregate.Miner {
		m, err := aggregate.NewMiner(tg)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	one := miner()
	for i := range texts {
		one.Add(groups[i], &results[i], texts[i])
	}
	want := one.Report(cfg.Score, aggregate.CandidatesPerKind, aggregate.CandidateExamples)
	if len(want.Groups) != 4 || len(want.Candidates) < 10 || want.Candidates[0].Group != "detractor" {
		t.Fatalf("one pass: %+v", want)
	}
	for _, c := range want.Candidates {
		if c.Undercount != 0 || len(c.Examples) == 0 || c.Reasons < 2 {
			t.Errorf("candidate %+v: want exact counts and an example", c)
		}
	}
	r := rand.New(rand.NewPCG(7, 8))
	for trial := range 8 {
		shards := make([]*aggregate.Miner, 1+r.IntN(6))
		for i := range shards {
			shards[i] = miner()
		}
		for _, i := range r.Perm(len(texts)) {
			shards[r.IntN(len(shards))].Add(groups[i], &results[i], texts[i])
		}
		total := miner()
		for _, k := range r.Perm(len(shards)) {
			b, err := json.Marshal(shards[k])
			if err != nil {
				t.Fatal(err)
			}
			var back aggregate.Miner
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			total.Merge(&back)
		}
		if got := total.Report(cfg.Score, aggregate.CandidatesPerKind, aggregate.CandidateExamples); !reflect.DeepEqual(got, want) {
			t.Errorf("trial %d, %d shards: merged report differs from one pass:\n%+v\n%+v", trial, len(shards), got, want)
		}
	}
}

// TestMinerBound: past 2×MinerTerms distinct terms a group's counts are a
// Misra–Gries summary: each count is at most Undercount below the truth,
// Undercount is at most the occurrences / (MinerTerms+1), and every term
// more frequent than that is reported, in one pass or merged.
func TestMinerBound(t *testing.T) {
	cfg := exampletest.Config(t)
	tg := exampletest.Tagger(t, cfg)
	r := rand.New(rand.NewPCG(9, 10))
	// Two characters of CJK Extension A: neither stop words nor lexicon words.
	word := func(i int) string { return string([]rune{rune(0x3400 + i%6000), rune(0x3400 + i/6000%6000)}) }
	heavy := []string{word(1_000_001), word(1_000_002), word(1_000_003)}
	truth := map[string]int64{}
	var reasons []tagger.Result
	for i := range 40_000 {
		var toks []string
		for range 4 {
			toks = append(toks, word(r.IntN(3_000_000)))
		}
		if i%10 < 3 {
			toks = append(toks, heavy[i%10])
		}
		reasons = append(reasons, tagger.Result{Tokens: toks, Clauses: []tagger.Clause{{Text: strings.Join(toks, ""), End: len(toks)}}})
		seen := map[string]bool{}
		for k, tok := range toks {
			terms := []string{tok}
			if k+1 < len(toks) {
				terms = append(terms, tok+" "+toks[k+1])
			}
			for _, term := range terms {
				if !seen[term] {
					seen[term] = true
					truth[term]++
				}
			}
		}
	}
	var occurrences int64
	for _, n := range truth {
		occurrences += n
	}
	check := func(name string, m *aggregate.Miner) {
		rep := m.Report(cfg.Score, len(truth), 1)
		var under int64
		got := map[string]int64{}
		for _, c := range rep.Candidates {
			got[c.Candidate], under = c.Reasons, c.Undercount
		}
		if under == 0 || under > occurrences/(aggregate.MinerTerms+1) {
			t.Errorf("%s: undercount %d, want within (0, %d]", name, under, occurrences/(aggregate.MinerTerms+1))
		}
		for term, n := range got {
			if n > truth[term] || n < truth[term]-under {
				t.Errorf("%s: %s counted %d, truly %d (undercount %d)", name, term, n, truth[term], under)
			}
		}
		for _, h := range heavy {
			if got[h] == 0 {
				t.Errorf("%s: heavy term %s (%d reasons) missing", name, h, truth[h])
			}
		}
	}
	add := func(m *aggregate.Miner, rs []tagger.Result) {
		for i := range rs {
			m.Add("detractor", &rs[i], fmt.Sprint(i))
		}
	}
	one, _ := aggregate.NewMiner(tg)
	add(one, reasons)
	check("one pass", one)
	a, _ := aggregate.NewMiner(tg)
	b, _ := aggregate.NewMiner(tg)
	add(a, reasons[:25_000])
	add(b, reasons[25_000:])
	a.Merge(b)
	check("merged", a)
}
