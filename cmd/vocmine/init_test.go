package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/vocmine/vocmine/config"
	"github.com/vocmine/vocmine/pipeline"
)

// vocmine runs the command in process and returns its exit code and output.
func vocmine(args ...string) (code int, stdout, stderr string) {
	var out, errs bytes.Buffer
	ctx := context.Background()
	code = exitCode(ctx, run(ctx, args, &out, &errs), &errs)
	return code, out.String(), errs.String()
}

var (
	telecomReasons    = []string{"信号太差了，经常掉线", "网速很快", "客服态度很好", "资费太贵", "营业厅排队太久", "套餐流量不够用"}
	restaurantReasons = []string{"菜的味道很好，服务热情", "环境不错，就是有点吵", "价格实惠，分量足", "上菜太慢了", "停车不方便"}
	ecommerceReasons  = []string{"质量很好，物流也快", "衣服有色差，客服不回复", "价格实惠，但是包装破损了", "发货慢", "做工粗糙"}
)

// writeXLSXExport writes a 问卷星-style workbook: Chinese headers, a row
// number, a submission time, then the answers.
func writeXLSXExport(t *testing.T, path string, rows int) {
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"序号", "提交答卷时间", "来源", "您向朋友推荐我们的可能性有多大？", "推荐原因", "地区"})
	for i := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		f.SetSheetRow("Sheet1", cell, &[]any{i + 1, fmt.Sprintf("2026-11-30 10:%02d:%02d", i/60, i%60), []string{"微信", "链接"}[i%2],
			i % 11, telecomReasons[i%len(telecomReasons)], []string{"华东", "华北", "华南"}[i%3]})
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

// writeGBExport writes a CSV as Excel on Chinese Windows saves it: GB18030.
func writeGBExport(t *testing.T, path string, rows int) {
	var b strings.Builder
	b.WriteString("编号,满意度,Q2: 意见 #原因,性别,城市\r\n") // a name YAML must quote
	for i := range rows {
		fmt.Fprintf(&b, "C%03d,%d,%s,%s,%s\r\n", i+1, i%5+1, restaurantReasons[i%len(restaurantReasons)], []string{"男", "女"}[i%2], []string{"上海", "北京", "成都"}[i%3])
	}
	gb, err := simplifiedchinese.GB18030.NewEncoder().String(b.String())
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Dir(path), filepath.Base(path), gb)
}

// writeJSONLExport writes JSON Lines whose later lines add a key.
func writeJSONLExport(t *testing.T, path string, rows int) {
	var b strings.Builder
	for i := range rows {
		rec := map[string]any{"respondent": fmt.Sprintf("R%04d", i+1), "q1": i%7 + 1, "comment": ecommerceReasons[i%len(ecommerceReasons)], "channel": []string{"app", "web"}[i%2]}
		if i >= 10 {
			rec["coupon"] = i%3 == 0
		}
		line, _ := json.Marshal(rec)
		b.Write(line)
		b.WriteByte('\n')
	}
	write(t, filepath.Dir(path), filepath.Base(path), b.String())
}

// TestInit: `vocmine init` on an xlsx export with Chinese headers, a
// GB18030 CSV and a JSONL file guesses the columns, the encoding and the
// scale, says why, and writes a config and a lexicon that `vocmine run`
// accepts unchanged; a second init refuses to overwrite them.
func TestInit(t *testing.T) {
	tests := []struct {
		name, file, industry string
		write                func(*testing.T, string, int)
		rows                 int
		extra                []string // flags
		sampled              int
		want                 []string // lines of the output
		id, score, text      string
		segments             []string
		metric, encoding     string
	}{
		{"xlsx with Chinese headers", "问卷.xlsx", "telecom", writeXLSXExport, 80, []string{"--sample", "60"}, 60,
			[]string{"问卷.xlsx: xlsx, 6 columns, 60 rows sampled",
				"id: 序号 (a different value in each of the 60 sampled rows; its name says an id)",
				"score: 您向朋友推荐我们的可能性有多大？ (integers 0–10 in 60 of 60 sampled rows: NPS, as its name says)",
				"text: 推荐原因 (its name says a reason; 6.3 characters on average, Chinese in 60 of 60 sampled rows)",
				"segment: 来源 (2 values: 微信, 链接)", "segment: 地区 (3 values: 华东, 华北, 华南)"},
			"序号", "您向朋友推荐我们的可能性有多大？", "推荐原因", []string{"来源", "地区"}, "nps", ""},
		{"GB18030 csv", "export.csv", "restaurant", writeGBExport, 50, nil, 50,
			[]string{"encoding: gb18030 (auto: the first",
				"id: 编号 (a different value in each of the 50 sampled rows; its name says an id)",
				"score: 满意度 (integers 1–5 in 50 of 50 sampled rows: CSAT, as its name says)",
				"text: Q2: 意见 #原因 (its name says a reason;", "segment: 性别 (2 values: 男, 女)", "segment: 城市 (3 values: 上海, 北京, 成都)"},
			"编号", "满意度", "Q2: 意见 #原因", []string{"性别", "城市"}, "csat", "gb18030"},
		{"jsonl", "survey.jsonl", "ecommerce", writeJSONLExport, 42, nil, 42,
			[]string{"survey.jsonl: jsonl, 5 columns, 42 rows sampled",
				"id: respondent (a different value in each of the 42 sampled rows; its name says an id)",
				"score: q1 (integers 1–7 in 42 of 42 sampled rows: CES)",
				"text: comment (its name says a reason;", "segment: channel (2 values: app, web)", "segment: coupon (2 values: false, true)"},
			"respondent", "q1", "comment", []string{"channel", "coupon"}, "ces", "utf-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			input := filepath.Join(dir, tt.file)
			tt.write(t, input, tt.rows)
			cfgFile := filepath.Join(dir, "config", "vocmine.yaml") // a folder init creates
			args := append([]string{"init", "--input", input, "--industry", tt.industry, "--out", cfgFile}, tt.extra...)
			code, stdout, stderr := vocmine(args...)
			if code != pipeline.ExitOK {
				t.Fatalf("init: exit %d: %s", code, stderr)
			}
			stdout = strings.ReplaceAll(stdout, dir+string(filepath.Separator), "")
			for _, w := range tt.want {
				if !slices.ContainsFunc(strings.Split(stdout, "\n"), func(l string) bool { return strings.HasPrefix(l, w) }) {
					t.Errorf("init printed no line %q:\n%s", w, stdout)
				}
			}
			for _, w := range []string{"vocmine lexicon coverage --config config/vocmine.yaml", "vocmine run --config config/vocmine.yaml", "vocmine report --run config/vocmine-out/_runs/run_date="} {
				if !strings.Contains(stdout, w) {
					t.Errorf("init did not print the next command %q:\n%s", w, stdout)
				}
			}

			date := time.Date(2026, 12, 1, 0, 0, 0, 0, time.Local)
			cfg, err := (&config.Loader{File: cfgFile, Date: date, LookupEnv: func(string) (string, bool) { return "", false }}).Load()
			if err != nil {
				t.Fatalf("the written config does not load: %v", err)
			}
			in := cfg.Input
			if in.Path != input || in.ID != tt.id || in.Score != tt.score || in.Text != tt.text || !slices.Equal(in.Segments, tt.segments) ||
				cfg.Score.Metric != tt.metric || !slices.Equal(cfg.Score.Scale, config.MetricScore(tt.metric).Scale) || tt.encoding != "" && in.Encoding != tt.encoding {
				t.Errorf("config: input %+v, score %+v; want id %s, score %s, text %s, segments %v, %s, encoding %q", in, cfg.Score, tt.id, tt.score, tt.text, tt.segments, tt.metric, tt.encoding)
			}
			lex, err := os.ReadFile(filepath.Join(dir, "config", "lexicon.yaml"))
			if err != nil || !bytes.Contains(lex, []byte("--industry "+tt.industry)) {
				t.Errorf("lexicon.yaml: %v, %.200s", err, lex)
			}

			code, stdout, stderr = vocmine("run", "--config", cfgFile, "--date", "2026-12-01")
			want := fmt.Sprintf("%d read = %d accepted + 0 rejected", tt.rows, tt.rows)
			if code != pipeline.ExitOK || !strings.Contains(stdout, want) {
				t.Fatalf("run on the written config: exit %d, stdout %s, want %q; stderr:\n%s", code, stdout, want, stderr)
			}
			if _, err := os.Stat(filepath.Join(cfg.RunDir(), "_SUCCESS")); err != nil {
				t.Errorf("no published partition: %v", err)
			}

			// A second init refuses, and leaves both files as they were.
			before, _ := os.ReadFile(cfgFile)
			code, _, stderr = vocmine(args...)
			after, _ := os.ReadFile(cfgFile)
			if code != pipeline.ExitUsage || !strings.Contains(stderr, "vocmine.yaml exists: init does not overwrite it") || !bytes.Equal(before, after) {
				t.Errorf("init over its own files: exit %d, stderr %s; want %d and the config unchanged", code, stderr, pipeline.ExitUsage)
			}
		})
	}
}

// TestInitRefuses: init writes nothing over an existing lexicon.yaml, and
// fails with the reason on an export it cannot make a config of.
func TestInitRefuses(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.csv")
	writeGBExport(t, good, 20)
	write(t, dir, "noscore.csv", "id,意见,城市\nA1,信号很差,上海\nA2,客服很好,北京\nA3,网速慢,上海\n")
	write(t, dir, "label.csv", "id,label,review\nA1,1,信号很好\nA2,0,客服很差\nA3,1,网速快\n")
	write(t, dir, "header.csv", "id,score,text\n")
	taken := filepath.Join(dir, "taken")
	os.Mkdir(taken, 0o755)
	write(t, taken, "lexicon.yaml", "dimensions: []\n")

	tests := []struct {
		name string
		args []string
		code int
		want string // in stderr
	}{
		{"lexicon.yaml exists", []string{"--input", good, "--out", filepath.Join(taken, "vocmine.yaml")}, pipeline.ExitUsage, "lexicon.yaml exists: init does not overwrite it"},
		{"no score column", []string{"--input", filepath.Join(dir, "noscore.csv")}, pipeline.ExitDataErr, "no column looks like a score: none holds whole numbers 0–10 (NPS), 1–5 (CSAT) or 1–7 (CES)"},
		{"a 0/1 label is not a scale", []string{"--input", filepath.Join(dir, "label.csv")}, pipeline.ExitDataErr, "no column looks like a score"},
		{"a header and no row", []string{"--input", filepath.Join(dir, "header.csv")}, pipeline.ExitNoInput, "no row to guess from"},
		{"no such file", []string{"--input", filepath.Join(dir, "none.csv")}, pipeline.ExitNoInput, "none.csv"},
		{"no --input", nil, pipeline.ExitUsage, "--input is required"},
		{"unknown industry", []string{"--input", good, "--industry", "bank"}, pipeline.ExitUsage, `--industry "bank"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "vocmine.yaml")
			if !slices.Contains(tt.args, "--out") {
				tt.args = append(tt.args, "--out", out)
			}
			code, _, stderr := vocmine(append([]string{"init"}, tt.args...)...)
			if code != tt.code || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %s; want %d and %q", code, stderr, tt.code, tt.want)
			}
			for _, p := range []string{out, filepath.Join(taken, "vocmine.yaml")} {
				if _, err := os.Stat(p); err == nil {
					t.Errorf("%s was written", p)
				}
			}
		})
	}
	if b, _ := os.ReadFile(filepath.Join(taken, "lexicon.yaml")); string(b) != "dimensions: []\n" {
		t.Errorf("the existing lexicon.yaml changed: %q", b)
	}
}

// TestInitGuess: the choice of the score column and its metric on
// samples built by hand.
func TestInitGuess(t *testing.T) {
	sampleOf := func(header []string, rows ...string) *sample {
		s := &sample{}
		for _, h := range header {
			s.columns = append(s.columns, &column{name: h, distinct: map[uint64]struct{}{}})
		}
		for _, r := range rows {
			for i, v := range strings.Split(r, ",") {
				s.columns[i].add(v)
			}
			s.rows++
		}
		return s
	}
	repeat := func(n int, f func(i int) string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = f(i)
		}
		return out
	}
	tests := []struct {
		name          string
		header        []string
		rows          []string
		score, metric string // "" for an error
	}{
		{"a row number 1-10 is not the score", []string{"序号", "打分", "原因"},
			repeat(10, func(i int) string { return fmt.Sprintf("%d,%d,信号差", i+1, i%3+8) }), "打分", "nps"},
		{"CSAT with one stray 0", []string{"id", "score", "text"},
			repeat(100, func(i int) string { return fmt.Sprintf("R%d,%d,好", i, map[bool]int{true: 0, false: i%5 + 1}[i == 7]) }), "score", "csat"},
		{"1-5 named like a recommendation is NPS", []string{"id", "推荐意愿", "text"},
			repeat(50, func(i int) string { return fmt.Sprintf("R%d,%d,好", i, i%5+1) }), "推荐意愿", "nps"},
		{"1-7 is CES", []string{"id", "q3", "text"},
			repeat(50, func(i int) string { return fmt.Sprintf("R%d,%d,好", i, i%7+1) }), "q3", "ces"},
		{"a sorted export's promoters, under a score name", []string{"id", "nps", "text"},
			repeat(50, func(i int) string { return fmt.Sprintf("R%d,%d,好", i, i%2+9) }), "nps", "nps"},
		{"a few bad values do not widen the scale", []string{"id", "q1", "text"},
			repeat(100, func(i int) string {
				return fmt.Sprintf("R%d,%s,好", i, map[bool]string{true: "11", false: fmt.Sprint(i % 11)}[i == 3])
			}), "q1", "nps"},
		{"age is not a score", []string{"id", "年龄", "text"},
			repeat(50, func(i int) string { return fmt.Sprintf("R%d,%d,好", i, 18+i) }), "", ""},
		{"0/1 unnamed is a label", []string{"id", "label", "text"},
			repeat(50, func(i int) string { return fmt.Sprintf("R%d,%d,好", i, i%2) }), "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := sampleOf(tt.header, tt.rows...).guess("x.csv")
			switch {
			case tt.score == "" && err == nil:
				t.Errorf("score %s (%s), want an error", g.score.col.name, g.metric)
			case tt.score == "":
			case err != nil:
				t.Errorf("error %v, want %s", err, tt.score)
			case g.score.col.name != tt.score || g.metric != tt.metric:
				t.Errorf("score %s, %s (%s); want %s, %s", g.score.col.name, g.metric, g.score.why, tt.score, tt.metric)
			}
		})
	}
}

// TestInitRejectBudget: rows of the sample a run would reject are counted
// by the run's own Cleaner, and the config allows twice their rate, so
// that the run it starts publishes.
func TestInitRejectBudget(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("respondent_id,q1,q2_reason\n")
	for i := range 100 {
		score := fmt.Sprint(i % 11)
		switch i {
		case 5:
			score = "十"
		case 6:
			score = "11"
		}
		fmt.Fprintf(&b, "R%03d,%s,%s\n", i, score, telecomReasons[i%len(telecomReasons)])
	}
	input := write(t, dir, "export.csv", b.String())
	cfgFile := filepath.Join(dir, "vocmine.yaml")
	code, stdout, stderr := vocmine("init", "--input", input, "--out", cfgFile)
	want := "warning: a run would reject 2 of the 100 sampled rows (score_not_number 1, score_out_of_scale 1): the config allows input.max_reject_rate 0.04"
	if code != pipeline.ExitOK || !strings.Contains(stdout, want) {
		t.Fatalf("init: exit %d, stdout %s, stderr %s; want %q", code, stdout, stderr, want)
	}
	code, stdout, stderr = vocmine("run", "--config", cfgFile, "--date", "2026-12-01")
	if code != pipeline.ExitOK || !strings.Contains(stdout, "100 read = 98 accepted + 2 rejected") {
		t.Errorf("run: exit %d, stdout %s, stderr %s", code, stdout, stderr)
	}
}

// TestInitCommentsStayComments: a sampled value with a carriage return
// (a segment value quoted across a CR in the export) is quoted in the
// config's comments; YAML ends a comment at a CR as at a line feed, so the
// rest of the value must not become config.
func TestInitCommentsStayComments(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("respondent_id,q1,q2_reason,region\n")
	for i := range 60 {
		fmt.Fprintf(&b, "R%03d,%d,%s,\"%s\"\n", i, i%11, telecomReasons[i%len(telecomReasons)], []string{"华东", "华\r北: x", "西南"}[i%3])
	}
	input := write(t, dir, "export.csv", b.String())
	cfgFile := filepath.Join(dir, "vocmine.yaml")
	if code, stdout, stderr := vocmine("init", "--input", input, "--out", cfgFile); code != pipeline.ExitOK || !strings.Contains(stdout, "segment: region") {
		t.Fatalf("init: exit %d, stdout %s, stderr %s", code, stdout, stderr)
	}
	if code, stdout, stderr := vocmine("run", "--config", cfgFile, "--date", "2026-12-01"); code != pipeline.ExitOK {
		config, _ := os.ReadFile(cfgFile)
		t.Errorf("run: exit %d, stdout %s, stderr %s\nconfig:\n%q", code, stdout, stderr, config)
	}
}
