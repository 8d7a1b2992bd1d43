package pipeline_test

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/vocmine/vocmine/config"
	"github.com/vocmine/vocmine/internal/exampletest"
	"github.com/vocmine/vocmine/pipeline"
	"github.com/vocmine/vocmine/pipeline/aggregate"
	"github.com/vocmine/vocmine/pipeline/partition"
	"github.com/vocmine/vocmine/pipeline/table"
)

// metricRun runs the example's lexicon on a survey of the given metric:
// counts[score] respondents per score, each with the reason of its score
// (reasons[score], "还行" when none), half shown the scale ascending.
func metricRun(t *testing.T, metric string, counts, reasons map[int]int) (*config.Config, *partition.Manifest) {
	t.Helper()
	text := map[int]string{0: "还行", 1: "信号太差了", 2: "资费便宜"}
	cfg := exampletest.Config(t)
	in := filepath.Join(t.TempDir(), metric+".csv")
	rows := []string{"respondent_id,q1,q2_reason,gender,age_band,member_level,region,channel,shown"}
	for _, s := range slices.Sorted(func(yield func(int) bool) {
		for s := range counts {
			if !yield(s) {
				return
			}
		}
	}) {
		for range counts[s] {
			rows = append(rows, fmt.Sprintf("r%d,%d,%s,男,18-24,普通,华东,app,%s", len(rows), s, text[reasons[s]], []string{"asc", "desc"}[len(rows)%2]))
		}
	}
	if err := os.WriteFile(in, []byte(strings.Join(rows, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg.Input.Path, cfg.Input.Filter, cfg.Input.Order = in, nil, "shown"
	cfg.Score = config.MetricScore(metric)
	m, err := pipeline.Run(context.Background(), cfg, opts(t, cfg))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(table.Path(cfg.RunDir(), "nps.parquet")); err == nil {
		t.Errorf("a %s run wrote nps.parquet", metric)
	}
	return cfg, m
}

// columns lists a Parquet file's top-level column names.
func columns(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	pf, err := parquet.OpenFile(f, st.Size())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, fl := range pf.Schema().Fields() {
		names = append(names, fl.Name())
	}
	return names
}

// noNPSWords: a CSAT or CES run's tables use the metric's words only.
func noNPSWords(t *testing.T, dir string) {
	t.Helper()
	paths, _ := filepath.Glob(filepath.Join(dir, "*.parquet"))
	for _, p := range paths {
		for _, c := range columns(t, p) {
			for _, w := range strings.Split(c, "_") {
				if slices.Contains([]string{"nps", "promoter", "promoters", "passive", "passives", "detractor", "detractors"}, w) {
					t.Errorf("%s has column %s", filepath.Base(p), c)
				}
			}
		}
	}
}

type csatRow struct {
	Segment      string  `parquet:"segment"`
	Respondents  int64   `parquet:"respondents"`
	Satisfied    int64   `parquet:"satisfied"`
	Neutral      int64   `parquet:"neutral"`
	Dissatisfied int64   `parquet:"dissatisfied"`
	SatisfiedPct float64 `parquet:"satisfied_pct"`
	Mean         float64 `parquet:"mean"`
	CSAT         float64 `parquet:"csat"`
	SE           float64 `parquet:"se"`
	MOE95        float64 `parquet:"moe95"`
	Small        bool    `parquet:"small"`
}

type csatDriver struct {
	Dimension       string   `parquet:"dimension"`
	Mentioned       int64    `parquet:"mentioned"`
	CSATMentioned   *float64 `parquet:"csat_mentioned,optional"`
	CSATNot         *float64 `parquet:"csat_not_mentioned,optional"`
	Impact          *float64 `parquet:"impact,optional"`
	DissatisfiedNeg float64  `parquet:"dissatisfied_negative_rate"`
	Priority        int32    `parquet:"priority"`
}

// TestCSAT: 1-5, satisfied 4-5. 40 respondents: 10 fives, 10 fours (资费
// 便宜), 5 threes, 5 twos and 10 ones (信号太差了). CSAT% = 20/40 = 50,
// se = 100·√(0.5·0.5/40) = 7.9057, mean = 125/40 = 3.125.
func TestCSAT(t *testing.T) {
	cfg, m := metricRun(t, "csat", map[int]int{5: 10, 4: 10, 3: 5, 2: 5, 1: 10}, map[int]int{4: 2, 2: 1, 1: 1})
	dir := cfg.RunDir()
	rows := readTable[csatRow](t, dir, "csat.parquet")
	r := rows[0]
	if r.Segment != "all" || r.Respondents != 40 || r.Satisfied != 20 || r.Neutral != 5 || r.Dissatisfied != 15 || r.SatisfiedPct != 50 ||
		r.CSAT != 50 || abs(r.SE-7.905694) > 1e-6 || abs(r.MOE95-1.959964*7.905694) > 1e-5 || r.Mean != 3.125 || r.Small != false {
		t.Errorf("csat.parquet all: %+v", r)
	}
	if m.Metric != "csat" || m.Score != 50 || m.NPS != nil {
		t.Errorf("manifest: metric %q score %v nps %v", m.Metric, m.Score, m.NPS)
	}
	// Drivers: 资费 mentioned by the 10 fours: CSAT% 100 against 10/30 of the
	// others; impact = 40 - 33.33 = 6.67 = 0.25 · (100 - 33.33).
	// 网络 by the 15 dissatisfied (all negative): dissatisfied negative rate 1.
	for _, d := range readTable[csatDriver](t, dir, "drivers.parquet") {
		switch d.Dimension {
		case "资费":
			if d.Mentioned != 10 || *d.CSATMentioned != 100 || abs(*d.CSATNot-100.0/3) > 1e-9 || abs(*d.Impact-(50-100.0/3)) > 1e-9 {
				t.Errorf("资费: %+v", d)
			}
		case "网络":
			if d.Mentioned != 15 || *d.CSATMentioned != 0 || d.DissatisfiedNeg != 1 || d.Priority != 1 {
				t.Errorf("网络: %+v", d)
			}
		}
	}
	var groups []string
	for _, r := range readTable[aggregate.MentionRateRow](t, dir, "mention_rates.parquet") {
		if !slices.Contains(groups, r.Group) {
			groups = append(groups, r.Group)
		}
	}
	if !slices.Equal(groups, []string{"satisfied", "neutral", "dissatisfied", "all"}) {
		t.Errorf("mention_rates groups %q", groups)
	}
	if cols := columns(t, table.Path(dir, "order_test.parquet")); !slices.Contains(cols, "satisfied_asc") || !slices.Contains(cols, "csat_desc") {
		t.Errorf("order_test columns %q", cols)
	}
	noNPSWords(t, dir)
	// Read back in NPS words: promoters is satisfied, nps is csat.
	scores, err := table.Read[aggregate.ScoreRow](table.Path(dir, "csat.parquet"), cfg.Score)
	if err != nil || scores[0] != (aggregate.ScoreRow{Segment: "all", Value: "all", Respondents: 40, Promoters: 20, Passives: 5, Detractors: 15,
		PromoterPct: 50, PassivePct: 12.5, DetractorPct: 37.5, Mean: 3.125, NPS: 50, SE: r.SE, MOE95: r.MOE95, LexiconVersion: scores[0].LexiconVersion}) {
		t.Errorf("Read csat.parquet: %v, %+v", err, scores)
	}

	// A month later against this run: kind "csat" changes, nothing moved;
	// the trend stacks csat.parquet; an NPS run cannot take it as baseline.
	o := opts(t, cfg)
	o.Baseline = dir
	cfg.Date = cfg.Date.AddDate(0, 1, 0)
	if _, err := pipeline.Run(context.Background(), cfg, o); err != nil {
		t.Fatal(err)
	}
	for _, c := range readTable[aggregate.ChangeRow](t, cfg.RunDir(), "changes.parquet") {
		if c.Kind != "csat" && c.Kind != "mention_rate" || *c.Diff != 0 {
			t.Errorf("change %+v", c)
		}
	}
	path, runs, err := partition.Trend(cfg.Output.Dir)
	if err != nil || runs != 2 {
		t.Fatalf("Trend: %v, %d runs", err, runs)
	}
	if cols := columns(t, path); !slices.Contains(cols, "csat") || !slices.Contains(cols, "run_date") {
		t.Errorf("trend columns %q", cols)
	}
	// The trend's ScoreRow is embedded: its columns are renamed too.
	trend, err := table.Read[partition.TrendRow](path, cfg.Score)
	if err != nil || len(trend) == 0 || trend[0].Promoters != 20 || trend[0].NPS != 50 || trend[len(trend)-1].Detractors != 15 {
		t.Errorf("Read trend: %v, %+v", err, trend)
	}
	cfg.Score, cfg.Date = config.MetricScore("nps"), cfg.Date.AddDate(0, 1, 0)
	if _, err := pipeline.Run(context.Background(), cfg, o); err == nil || !strings.Contains(err.Error(), "is a csat run, this one nps") {
		t.Errorf("an nps run against a csat baseline: %v", err)
	}
}

type cesRow struct {
	Respondents   int64   `parquet:"respondents"`
	LowEffort     int64   `parquet:"low_effort"`
	HighEffort    int64   `parquet:"high_effort"`
	LowEffortPct  float64 `parquet:"low_effort_pct"`
	Mean          float64 `parquet:"mean"`
	CES           float64 `parquet:"ces"`
	SE            float64 `parquet:"se"`
	MOE95         float64 `parquet:"moe95"`
	HighEffortPct float64 `parquet:"high_effort_pct"`
}

type cesDriver struct {
	Dimension    string   `parquet:"dimension"`
	Mentioned    int64    `parquet:"mentioned"`
	CESMentioned *float64 `parquet:"ces_mentioned,optional"`
	CESNot       *float64 `parquet:"ces_not_mentioned,optional"`
	Impact       *float64 `parquet:"impact,optional"`
	ImpactLow    *float64 `parquet:"impact_low,optional"`
	HighNeg      float64  `parquet:"high_effort_negative_rate"`
}

// TestCES: 1-7, low effort 5-7. 10 respondents: four 7s, two 5s, two 4s
// and two 2s (信号太差了): mean 5, sample variance 36/9 = 4, se √(4/10),
// moe95 t(0.975, 9) = 2.262157 times that; low effort 6/10.
func TestCES(t *testing.T) {
	cfg, m := metricRun(t, "ces", map[int]int{7: 4, 5: 2, 4: 2, 2: 2}, map[int]int{2: 1})
	dir := cfg.RunDir()
	r := readTable[cesRow](t, dir, "ces.parquet")[0]
	se := math.Sqrt(0.4)
	if r.Respondents != 10 || r.LowEffort != 6 || r.HighEffort != 2 || r.LowEffortPct != 60 || r.HighEffortPct != 20 || r.Mean != 5 || r.CES != 5 ||
		abs(r.SE-se) > 1e-12 || abs(r.MOE95-2.262157*se) > 1e-5 {
		t.Errorf("ces.parquet all: %+v", r)
	}
	if m.Metric != "ces" || m.Score != 5 {
		t.Errorf("manifest: metric %q score %v", m.Metric, m.Score)
	}
	// 网络: the two 2s: mean 2 against (28+10+8)/8 = 5.75; impact 0.2·(2-5.75)
	// = -0.75 = 5 - 5.75. Interval: 1.96·0.2·√(0 + s²_out/8), s²_out the
	// others' sample variance: scores 7,7,7,7,5,5,4,4 about 5.75.
	ssOut := 4*1.5625 + 2*0.5625 + 2*3.0625
	half := 1.959964 * 0.2 * math.Sqrt(ssOut/7/8)
	for _, d := range readTable[cesDriver](t, dir, "drivers.parquet") {
		if d.Dimension == "网络" && (d.Mentioned != 2 || *d.CESMentioned != 2 || *d.CESNot != 5.75 || abs(*d.Impact+0.75) > 1e-12 ||
			abs(*d.ImpactLow-(-0.75-half)) > 1e-5 || d.HighNeg != 1) {
			t.Errorf("网络: %+v (impact %v, low %v; want -0.75, %v)", d, *d.Impact, *d.ImpactLow, -0.75-half)
		}
	}
	noNPSWords(t, dir)
}
