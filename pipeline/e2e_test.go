package pipeline_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/parquet-go/parquet-go"

	"github.com/vocmine/vocmine/config"
	"github.com/vocmine/vocmine/internal/exampletest"
	"github.com/vocmine/vocmine/lexicon"
	"github.com/vocmine/vocmine/pipeline"
	"github.com/vocmine/vocmine/pipeline/aggregate"
	"github.com/vocmine/vocmine/pipeline/partition"
	"github.com/vocmine/vocmine/pipeline/table"
)

// responseRow is responses.parquet as the example writes it.
type responseRow struct {
	ResponseID  string   `parquet:"response_id"`
	Score       int32    `parquet:"score"`
	Group       string   `parquet:"group"`
	Text        string   `parquet:"text"`
	Tokens      []string `parquet:"tokens,list"`
	NTags       int32    `parquet:"n_tags"`
	Sentiment   string   `parquet:"sentiment"`
	Junk        bool     `parquet:"junk"`
	Empty       bool     `parquet:"empty"`
	SourceFile  string   `parquet:"source_file"`
	SourceLine  int64    `parquet:"source_line"`
	Gender      string   `parquet:"gender"`
	AgeBand     string   `parquet:"age_band"`
	MemberLevel string   `parquet:"member_level"`
	Region      string   `parquet:"region"`
}

func readTable[T any](t *testing.T, dir, name string) []T {
	t.Helper()
	rows, err := parquet.ReadFile[T](table.Path(dir, name))
	if err != nil {
		t.Fatalf("reading %s: %v", name, err)
	}
	return rows
}

// TestExampleEndToEnd runs the embedded example and checks that every table
// reconciles with the others, recomputing the summaries from the rows.
func TestExampleEndToEnd(t *testing.T) {
	cfg := exampletest.Config(t)
	m, err := pipeline.Run(context.Background(), cfg, opts(t, cfg))
	if err != nil {
		t.Fatal(err)
	}
	dir := cfg.RunDir()
	for _, f := range []string{"responses.parquet", "mentions.parquet", "codes.parquet", "mention_rates.parquet", "nps.parquet", "drivers.parquet", "rejects.parquet", "manifest.json", "_SUCCESS"} {
		if _, err := os.Stat(table.Path(dir, f)); err != nil {
			t.Errorf("missing %s: %v", f, err)
		}
	}
	responses := readTable[responseRow](t, dir, "responses.parquet")
	mentions := readTable[table.MentionRow](t, dir, "mentions.parquet")
	rates := readTable[aggregate.MentionRateRow](t, dir, "mention_rates.parquet")
	nps := readTable[aggregate.ScoreRow](t, dir, "nps.parquet")
	rejects := readTable[pipeline.Reject](t, dir, "rejects.parquet")

	// Counts reconcile: every row read is accepted, rejected or a duplicate.
	c := m.Counts
	if c.Read != 3005 || c.Filtered != 2 || c.Read != c.Accepted+c.Rejected+c.Duplicates+c.Filtered {
		t.Errorf("counts %+v do not reconcile with the example's 3005 rows, 2 of them test rows", c)
	}
	if int64(len(responses)) != c.Accepted || int64(len(rejects)) != c.Rejected+c.Duplicates {
		t.Errorf("%d responses, %d rejects; manifest says %+v", len(responses), len(rejects), c)
	}
	if c.Rejected != 5 || c.Duplicates != 5 {
		t.Errorf("the example has 5 bad rows and 5 duplicates, got %+v", c)
	}

	// mention_rates equals what the rows say.
	byID := map[string]responseRow{}
	groupSize := map[string]int64{}
	for _, r := range responses {
		byID[r.ResponseID] = r
		groupSize[r.Group]++
		groupSize["all"]++
	}
	type key struct{ group, dim string }
	type counts struct{ mentions, pos, neu, neg int64 }
	want := map[key]*counts{}
	add := func(k key, pol string) {
		x := want[k]
		if x == nil {
			x = &counts{}
			want[k] = x
		}
		x.mentions++
		switch pol {
		case "positive":
			x.pos++
		case "negative":
			x.neg++
		default:
			x.neu++
		}
	}
	// A top level counts a respondent once, with the sign of its leaves' summed weights.
	topWeight := map[[2]string]float64{}
	var topOrder [][2]string
	for _, mr := range mentions {
		r, ok := byID[mr.ResponseID]
		if !ok || r.Group != mr.Group || r.Score != mr.Score {
			t.Fatalf("mention %+v does not match a response", mr)
		}
		if mr.Dimension != mr.Top {
			add(key{mr.Group, mr.Dimension}, mr.Polarity)
			add(key{"all", mr.Dimension}, mr.Polarity)
		}
		k := [2]string{mr.ResponseID, mr.Top}
		if _, ok := topWeight[k]; !ok {
			topOrder = append(topOrder, k)
		}
		topWeight[k] += mr.Weight
	}
	for _, k := range topOrder {
		pol := "neutral"
		if w := topWeight[k]; w > 1e-9 {
			pol = "positive"
		} else if w < -1e-9 {
			pol = "negative"
		}
		add(key{byID[k[0]].Group, k[1]}, pol)
		add(key{"all", k[1]}, pol)
	}
	if len(rates) != 4*17 {
		t.Errorf("mention_rates has %d rows, want 4 groups x 17 dimensions", len(rates))
	}
	for _, row := range rates {
		w := want[key{row.Group, row.Dimension}]
		if w == nil {
			w = &counts{}
		}
		if row.Respondents != groupSize[row.Group] || row.Mentions != w.mentions || row.Positive != w.pos || row.Neutral != w.neu || row.Negative != w.neg {
			t.Errorf("mention_rates %s/%s = %+v, recomputed %+v of %d respondents", row.Group, row.Dimension, row, *w, groupSize[row.Group])
		}
		if got := float64(w.mentions) / float64(groupSize[row.Group]); abs(row.MentionRate-got) > 1e-12 {
			t.Errorf("mention_rate %s/%s = %v, want %v", row.Group, row.Dimension, row.MentionRate, got)
		}
	}

	// nps matches the groups' counts, overall and per segment.
	for _, row := range nps {
		var n, p, d int64
		for _, r := range responses {
			v := map[string]string{"all": "all", "gender": r.Gender, "age_band": r.AgeBand, "member_level": r.MemberLevel, "region": r.Region}[row.Segment]
			if v != row.Value {
				continue
			}
			n++
			switch r.Group {
			case "promoter":
				p++
			case "detractor":
				d++
			}
		}
		if row.Respondents != n || row.Promoters != p || row.Detractors != d || row.Passives != n-p-d {
			t.Errorf("nps %s=%s: %+v, recomputed n=%d promoters=%d detractors=%d", row.Segment, row.Value, row, n, p, d)
		}
		if got := 100 * float64(p-d) / float64(n); abs(row.NPS-got) > 1e-9 {
			t.Errorf("nps %s=%s = %v, want %v", row.Segment, row.Value, row.NPS, got)
		}
	}
	if nps[0].Segment != "all" || m.NPS == nil || nps[0].NPS != *m.NPS || m.Score != *m.NPS || m.Metric != "nps" {
		t.Errorf("first nps row %+v, manifest %s %v", nps[0], m.Metric, m.Score)
	}

	checkCodes(t, dir, byID, mentions)

	// The manifest is valid JSON with the documented keys.
	var raw map[string]any
	b, _ := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"run_date", "config", "lexicons", "lexicon_version", "inputs", "counts", "stage_seconds", "vocmine_version", "go_version"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("manifest.json lacks %q", k)
		}
	}
}

// checkCodes compares codes.parquet with mentions: the leaf's code where a
// leaf is mentioned, 2 (absent) elsewhere.
func checkCodes(t *testing.T, dir string, byID map[string]responseRow, mentions []table.MentionRow) {
	t.Helper()
	pf, err := file.OpenParquetFile(table.Path(dir, "codes.parquet"), false)
	if err != nil {
		t.Fatal(err)
	}
	defer pf.Close()
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	tbl, err := fr.ReadTable(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer tbl.Release()
	if tbl.NumRows() != int64(len(byID)) || tbl.NumCols() != 4+17 {
		t.Fatalf("codes has %d rows and %d columns, want %d and 21", tbl.NumRows(), tbl.NumCols(), len(byID))
	}
	code := map[[2]string]int32{}
	for _, m := range mentions {
		code[[2]string{m.ResponseID, m.Dimension}] = m.Code
	}
	tr := array.NewTableReader(tbl, 0)
	defer tr.Release()
	names := tbl.Schema().Fields()
	for tr.Next() {
		rec := tr.RecordBatch()
		ids := rec.Column(0).(*array.String)
		for i := 0; i < int(rec.NumRows()); i++ {
			id := ids.Value(i)
			for j := 4; j < int(rec.NumCols()); j++ {
				dim := names[j].Name
				got := rec.Column(j).(*array.Int32).Value(i)
				want, mentioned := code[[2]string{id, dim}]
				if !mentioned && !isTop(dim) {
					want = 2
				}
				if (mentioned || !isTop(dim)) && got != want {
					t.Fatalf("codes[%s][%s] = %d, want %d", id, dim, got, want)
				}
			}
		}
	}
}

func isTop(dim string) bool {
	for _, r := range dim {
		if r == '/' {
			return false
		}
	}
	return dim != "资费" && dim != "品牌" && dim != "营销"
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// TestGlobAndDate reads several files in name order through a glob with
// {date}, counting each file, and finds duplicates across files.
func TestGlobAndDate(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("lex.yaml", "dimensions:\n  - name: 网络/信号\n    terms: [信号]\n")
	write("exports/2026-11-05/b.csv", "id,score,text\nR3,9,信号好\nR1,0,重复\n")
	write("exports/2026-11-05/a.csv", "id,score,text\nR1,2,信号差\nR2,11,x\n")
	write("exports/2026-11-04/a.csv", "id,score,text\nR9,9,前一天\n")
	write("vocmine.yaml", "input:\n  path: exports/{date}/*.csv\n  max_rejects: 1\nlexicons: [lex.yaml]\noutput:\n  dir: out\n")
	cfg, err := (&config.Loader{File: filepath.Join(dir, "vocmine.yaml"), Date: time.Date(2026, 11, 5, 0, 0, 0, 0, time.UTC),
		LookupEnv: func(string) (string, bool) { return "", false }}).Load()
	if err != nil {
		t.Fatal(err)
	}
	m, err := pipeline.Run(context.Background(), cfg, opts(t, cfg))
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Inputs) != 2 || filepath.Base(m.Inputs[0].Path) != "a.csv" || filepath.Base(m.Inputs[1].Path) != "b.csv" {
		t.Fatalf("inputs %+v, want a.csv then b.csv of 2026-11-05", m.Inputs)
	}
	a, b := m.Inputs[0].Counts, m.Inputs[1].Counts
	if a != (partition.Counts{Read: 2, Accepted: 1, Rejected: 1}) || b != (partition.Counts{Read: 2, Accepted: 1, Duplicates: 1}) {
		t.Errorf("per-file counts %+v %+v", a, b)
	}
	if m.Counts != (partition.Counts{Read: 4, Accepted: 2, Rejected: 1, Duplicates: 1}) || m.Inputs[0].SHA256 == "" || m.Inputs[0].Bytes == 0 {
		t.Errorf("total %+v, inputs %+v", m.Counts, m.Inputs)
	}
	responses := readTable[struct {
		ID    string `parquet:"response_id"`
		Score int32  `parquet:"score"`
	}](t, cfg.RunDir(), "responses.parquet")
	if len(responses) != 2 || responses[0].ID != "R1" || responses[0].Score != 2 || responses[1].ID != "R3" {
		t.Errorf("responses %+v: the first occurrence of R1 (a.csv) must win", responses)
	}

	// A rerun of the same date replaces the partition whole and leaves no staging folder.
	if _, err := pipeline.Run(context.Background(), cfg, opts(t, cfg)); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(filepath.Join(cfg.Output.Dir, "_runs"))
	if len(entries) != 2 || entries[0].Name() != ".run_date=2026-11-05.lock" || entries[1].Name() != "run_date=2026-11-05" {
		t.Errorf("_runs holds %v, want only the run and its lock file", entries)
	}
}

// TestLexiconVersion: every tagged table carries the manifest's
// lexicon_version; it ignores comments and formatting but follows content
// and tagger settings.
func TestLexiconVersion(t *testing.T) {
	cfg := exampletest.Config(t)
	m, err := pipeline.Run(context.Background(), cfg, opts(t, cfg))
	if err != nil {
		t.Fatal(err)
	}
	if len(m.LexiconVersion) != 16 {
		t.Fatalf("manifest lexicon_version %q", m.LexiconVersion)
	}
	for _, r := range readTable[table.MentionRow](t, cfg.RunDir(), "mentions.parquet") {
		if r.LexiconVersion != m.LexiconVersion {
			t.Fatalf("mention %+v: lexicon_version %q, manifest %q", r, r.LexiconVersion, m.LexiconVersion)
		}
	}
	for _, r := range readTable[aggregate.ScoreRow](t, cfg.RunDir(), "nps.parquet") {
		if r.LexiconVersion != m.LexiconVersion {
			t.Fatalf("nps %+v: lexicon_version %q", r, r.LexiconVersion)
		}
	}
	rejects := readTable[pipeline.Reject](t, cfg.RunDir(), "rejects.parquet")
	for _, r := range rejects {
		if r.LexiconVersion != m.LexiconVersion {
			t.Fatalf("reject %+v: lexicon_version %q", r, r.LexiconVersion)
		}
	}
	if len(rejects) == 0 {
		t.Fatal("the example should have rejects")
	}
	lex, err := lexicon.LoadFiles(cfg.BuiltinLexicon, cfg.Lexicons...)
	if err != nil {
		t.Fatal(err)
	}
	base := pipeline.LexiconVersion(cfg, lex)
	if base != m.LexiconVersion {
		t.Errorf("LexiconVersion %q, manifest %q", base, m.LexiconVersion)
	}
	src, _ := os.ReadFile(cfg.Lexicons[0])
	os.WriteFile(cfg.Lexicons[0], append([]byte("# a comment\n"), src...), 0o644)
	if lex2, _ := lexicon.LoadFiles(cfg.BuiltinLexicon, cfg.Lexicons...); pipeline.LexiconVersion(cfg, lex2) != base {
		t.Error("a comment changed lexicon_version")
	}
	lex.Dimensions[0].Terms = lex.Dimensions[0].Terms[1:]
	if pipeline.LexiconVersion(cfg, lex) == base {
		t.Error("dropping a term kept lexicon_version")
	}
	lex.Dimensions[0].Terms = nil
	cfg.Tagger.Dictionary = "zh_s"
	if lex3, _ := lexicon.LoadFiles(cfg.BuiltinLexicon, cfg.Lexicons...); pipeline.LexiconVersion(cfg, lex3) == base {
		t.Error("another dictionary kept lexicon_version")
	}
}

// TestUncertaintyColumns: nps se, moe95 and small, and the Wilson intervals
// of mention_rates, recomputed from each row's own counts.
func TestUncertaintyColumns(t *testing.T) {
	cfg := exampletest.Config(t)
	cfg.Aggregate.MinSegment = 500
	if _, err := pipeline.Run(context.Background(), cfg, opts(t, cfg)); err != nil {
		t.Fatal(err)
	}
	dir := cfg.RunDir()
	small := 0
	for _, r := range readTable[aggregate.ScoreRow](t, dir, "nps.parquet") {
		n := float64(r.Respondents)
		pp, pd := float64(r.Promoters)/n, float64(r.Detractors)/n
		se := 100 * math.Sqrt((pp+pd-(pp-pd)*(pp-pd))/n)
		if abs(r.SE-se) > 1e-9 || abs(r.MOE95-1.959964*se) > 1e-4 || r.Small != (r.Respondents < 500) {
			t.Errorf("nps %s=%s: se %v moe95 %v small %v; want %v, %v, %v", r.Segment, r.Value, r.SE, r.MOE95, r.Small, se, 1.959964*se, r.Respondents < 500)
		}
		if r.Small {
			small++
		}
	}
	if small == 0 {
		t.Error("no segment below 500 respondents flagged small")
	}
	for _, r := range readTable[aggregate.MentionRateRow](t, dir, "mention_rates.parquet") {
		if !(0 <= r.MentionRateLow && r.MentionRateLow <= r.MentionRate && r.MentionRate <= r.MentionRateHigh && r.MentionRateHigh <= 1) ||
			!(0 <= r.NegativeRateLow && r.NegativeRateLow <= r.NegativeRate && r.NegativeRate <= r.NegativeRateHigh && r.NegativeRateHigh <= 1) {
			t.Errorf("mention_rates %s %s: intervals do not hold the rates: %+v", r.Group, r.Dimension, r)
		}
	}
}

// TestOrderTestTable: with input.order set, the run writes order_test.parquet
// from the accepted rows; rows with another order value are not counted.
func TestOrderTestTable(t *testing.T) {
	cfg := exampletest.Config(t)
	in := filepath.Join(t.TempDir(), "ordered.csv")
	rows := []string{"respondent_id,q1,q2_reason,gender,age_band,member_level,region,channel,shown"}
	add := func(n, score int, order string) {
		for range n {
			rows = append(rows, fmt.Sprintf("r%d,%d,信号很好,男,18-24,普通,华东,app,%s", len(rows), score, order))
		}
	}
	add(30, 10, "升序")
	add(20, 7, "升序")
	add(50, 1, "升序")
	add(50, 9, "降序")
	add(20, 8, "降序")
	add(30, 0, "降序")
	add(7, 10, "") // unknown order: in the other tables, not in the test
	if err := os.WriteFile(in, []byte(strings.Join(rows, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg.Input.Path, cfg.Input.Filter = in, nil
	cfg.Input.Order, cfg.Input.OrderValues = "shown", []string{"升序", "降序"}
	m, err := pipeline.Run(context.Background(), cfg, opts(t, cfg))
	if err != nil {
		t.Fatal(err)
	}
	got := readTable[aggregate.OrderTestRow](t, cfg.RunDir(), "order_test.parquet")
	if len(got) != 1 || m.Respondents != 207 {
		t.Fatalf("order_test rows %+v, respondents %d", got, m.Respondents)
	}
	r := got[0]
	if r.NAsc != 100 || r.NDesc != 100 || r.NPSAsc != -20 || r.NPSDesc != 20 || abs(r.Chi2-10) > 1e-9 || r.DOF != 2 ||
		abs(r.PValue-math.Exp(-5)) > 1e-9 || r.LexiconVersion != m.LexiconVersion {
		t.Errorf("order_test %+v", r)
	}
}

// TestBaseline: the same survey run again against the first run as baseline
// shows no change: every diff 0, every testable p-value 1.
func TestBaseline(t *testing.T) {
	cfg := exampletest.Config(t)
	o := opts(t, cfg)
	if _, err := pipeline.Run(context.Background(), cfg, o); err != nil {
		t.Fatal(err)
	}
	first := cfg.RunDir()
	cfg.Date = cfg.Date.AddDate(0, 1, 0)
	o.Baseline = first
	if _, err := pipeline.Run(context.Background(), cfg, o); err != nil {
		t.Fatal(err)
	}
	rows := readTable[aggregate.ChangeRow](t, cfg.RunDir(), "changes.parquet")
	if len(rows) == 0 {
		t.Fatal("no changes rows")
	}
	for _, r := range rows {
		if r.Diff == nil || *r.Diff != 0 || r.PValue != nil && abs(*r.PValue-1) > 1e-12 || r.BaselineDate != filepath.Base(first)[len("run_date="):] {
			t.Errorf("%+v", r)
		}
	}
}

// TestTrend stacks two published runs' nps rows, oldest first, and skips a
// folder without _SUCCESS.
func TestTrend(t *testing.T) {
	cfg := exampletest.Config(t)
	o := opts(t, cfg)
	for i := range 2 {
		cfg.Date = time.Date(2026, time.Month(9+i), 1, 0, 0, 0, 0, time.UTC)
		if _, err := pipeline.Run(context.Background(), cfg, o); err != nil {
			t.Fatal(err)
		}
	}
	os.MkdirAll(filepath.Join(cfg.Output.Dir, "run_date=2026-12-01"), 0o755) // half-written: no _SUCCESS
	path, runs, err := partition.Trend(cfg.Output.Dir)
	if err != nil || runs != 2 {
		t.Fatalf("Trend: %v, %d runs", err, runs)
	}
	rows := readTable[partition.TrendRow](t, filepath.Dir(path), filepath.Base(path))
	nps := readTable[aggregate.ScoreRow](t, cfg.RunDir(), "nps.parquet")
	if len(rows) != 2*len(nps) || rows[0].RunDate != "2026-09-01" || rows[len(rows)-1].RunDate != "2026-10-01" || rows[0].NPS != nps[0].NPS {
		t.Errorf("trend: %d rows (want %d), first %+v", len(rows), 2*len(nps), rows[0])
	}
}

// TestMentionRatesBySegment: per region, mention rates computed from the
// mentions of that region's respondents; summed over regions, the counts are
// the overall ones.
func TestMentionRatesBySegment(t *testing.T) {
	cfg := exampletest.Config(t)
	cfg.Aggregate.By = []string{"region"}
	if _, err := pipeline.Run(context.Background(), cfg, opts(t, cfg)); err != nil {
		t.Fatal(err)
	}
	dir := cfg.RunDir()
	by := readTable[aggregate.SegmentRateRow](t, dir, "mention_rates_by_segment.parquet")
	region := map[string]string{}
	for _, r := range readTable[responseRow](t, dir, "responses.parquet") {
		region[r.ResponseID] = r.Region
	}
	want := map[[3]string]int64{} // region, group, leaf dimension -> mentions
	for _, m := range readTable[table.MentionRow](t, dir, "mentions.parquet") {
		want[[3]string{region[m.ResponseID], m.Group, m.Dimension}]++
		want[[3]string{region[m.ResponseID], "all", m.Dimension}]++
	}
	sum := map[[2]string]int64{}
	checked := 0
	for _, r := range by {
		if r.Segment != "region" {
			t.Fatalf("segment %q", r.Segment)
		}
		sum[[2]string{r.Group, r.Dimension}] += r.Mentions
		if r.Level == 2 { // leaves: one mention row per respondent
			if got := want[[3]string{r.Value, r.Group, r.Dimension}]; got != r.Mentions {
				t.Errorf("%s %s %s: %d mentions, mentions.parquet %d", r.Value, r.Group, r.Dimension, r.Mentions, got)
			}
			checked++
		}
	}
	for _, r := range readTable[aggregate.MentionRateRow](t, dir, "mention_rates.parquet") {
		if sum[[2]string{r.Group, r.Dimension}] != r.Mentions {
			t.Errorf("%s %s: regions sum to %d, overall %d", r.Group, r.Dimension, sum[[2]string{r.Group, r.Dimension}], r.Mentions)
		}
	}
	if checked == 0 {
		t.Error("nothing checked")
	}
}

// TestPartitionKey: output.partition_key dt with output.partition_format
// YYYYMMDD names every table's partition and the run's folder dt=20261101;
// --baseline previous finds the earlier dt= run, and the changes are dated
// in ISO form.
func TestPartitionKey(t *testing.T) {
	cfg := exampletest.Config(t)
	cfg.Output.PartitionKey, cfg.Output.PartitionFormat = "dt", "YYYYMMDD"
	if _, err := pipeline.Run(context.Background(), cfg, opts(t, cfg)); err != nil {
		t.Fatal(err)
	}
	if got := cfg.RunDir(); got != filepath.Join(cfg.Output.Dir, "_runs", "dt=20261101") {
		t.Errorf("run folder %s", got)
	}
	for _, name := range []string{"mention_rates", "nps", "responses"} {
		if _, err := os.Stat(filepath.Join(cfg.Output.Dir, name, "dt=20261101", table.PartFile)); err != nil {
			t.Errorf("table %s: %v", name, err)
		}
	}
	cfg.Date = cfg.Date.AddDate(0, 0, 1)
	o := opts(t, cfg)
	o.Baseline = "previous"
	if _, err := pipeline.Run(context.Background(), cfg, o); err != nil {
		t.Fatal(err)
	}
	rows := readTable[aggregate.ChangeRow](t, cfg.RunDir(), "changes.parquet")
	if len(rows) == 0 || rows[0].BaselineDate != "2026-11-01" {
		t.Errorf("changes against the previous dt= run: %d rows, %+v", len(rows), rows)
	}
}
