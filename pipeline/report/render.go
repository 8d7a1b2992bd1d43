package report

import (
	"cmp"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/vocmine/vocmine/pipeline/aggregate"
)

// echartsJS is Apache ECharts 5.6.0 (dist/echarts.min.js from npm,
// Apache-2.0: assets/ECHARTS-LICENSE, assets/ECHARTS-NOTICE), inlined into
// every report.
//
//go:embed assets/echarts.min.js
var echartsJS string

//go:embed report.html.tmpl
var pageTmpl string

var page = template.Must(template.New("report").Funcs(template.FuncMap{
	"pct":  func(x float64) string { return fmt.Sprintf("%.1f%%", 100*x) },
	"f1":   func(x float64) string { return fmt.Sprintf("%.1f", x) },
	"f3":   func(x float64) string { return fmt.Sprintf("%.3g", x) },
	"full": func(x float64) string { return fmt.Sprintf("%g", x) },
	"deref": func(x *float64) float64 {
		if x == nil {
			return math.NaN()
		}
		return *x
	},
	"signed":    func(x float64) string { return fmt.Sprintf("%+.1f", x) },
	"js":        func() template.JS { return template.JS(echartsJS) },
	"highlight": highlight,
}).Parse(pageTmpl))

// Render writes the report as one HTML page.
func (d *Data) Render(w io.Writer) error { return page.Execute(w, d) }

// words are the report's own words, English and Chinese (report.lang).
var words = map[string][2]string{
	"title":         {"Voice of the customer", "客户之声报告"},
	"run":           {"run", "运行日期"},
	"respondents":   {"respondents", "受访者"},
	"alerts":        {"Alerts", "预警"},
	"no_alerts":     {"No change beyond the alert thresholds against the baseline.", "与基线相比，无超过预警阈值的变化。"},
	"no_baseline":   {"No baseline run to compare with (vocmine run --baseline, vocmine report --baseline).", "没有可对比的基线（vocmine run --baseline 或 vocmine report --baseline）。"},
	"headline":      {"Headline", "核心指标"},
	"margin":        {"95% margin", "95% 误差范围"},
	"since":         {"since", "对比"},
	"significant":   {"significant", "显著"},
	"not_sig":       {"not significant", "不显著"},
	"mentions":      {"What each group talks about", "各群体在谈什么"},
	"mentions_note": {"Share of each group's respondents mentioning a dimension (a reason may mention several, so shares can sum past 100%): red negative, green positive, grey neutral; the lower the group, the darker its bar.", "各群体中提及该维度的受访者比例（一条原因可提及多个维度，合计可超过 100%）：红色为负面，绿色为正面，灰色为中性；群体越靠底部，柱子颜色越深。"},
	"dimension":     {"dimension", "维度"},
	"negative":      {"negative", "负面"},
	"positive":      {"positive", "正面"},
	"neutral_share": {"neutral", "中性"}, // a mention's polarity ("neutral" is a group)
	"drivers":       {"Drivers: what to fix first", "驱动因素：优先改进什么"},
	"drivers_note":  {"Impact: how many points the dimension's mentioners move the headline, with its 95% interval. Priority: the highest negative-mention rate in the bottom group first.", "影响：提及该维度的受访者使核心指标变化的点数及其 95% 区间。优先级：底部群体负面提及率最高者优先。"},
	"impact":        {"impact", "影响"},
	"impact_axis":   {"impact on %s (points)", "对 %s 的影响（分）"},
	"interval":      {"95% interval", "95% 区间"},
	"mentioned":     {"mentioned", "提及人数"},
	"priority":      {"priority", "优先级"},
	"of_mentioners": {"of mentioners", "提及者"},
	"of_others":     {"of others", "未提及者"},
	"neg_rate":      {"negative rate", "负面提及率"},
	"segments":      {"By segment", "分群结果"},
	"segment":       {"segment", "分群"},
	"value":         {"value", "取值"},
	"small":         {"small", "样本小"},
	"small_note":    {"Grey: fewer respondents than aggregate.min_segment; shown, not hidden.", "灰色：受访者少于 aggregate.min_segment，仅供参考。"},
	"verbatims":     {"Verbatims", "客户原声"},
	"coverage":      {"Coverage", "标注覆盖率"},
	"coverage_note": {"Share of non-junk reasons with at least one tag, and the most frequent words of the untagged reasons of the bottom group: candidates for the lexicon.", "至少命中一个标签的有效原因占比；以及底部群体未命中原因中最常见的词：词典候选。"},
	"group":         {"group", "群体"},
	"reasons":       {"reasons", "原因数"},
	"tagged":        {"tagged", "已标注"},
	"candidate":     {"candidate", "候选词"},
	"no_candidates": {"No candidates: no word or phrase is in two or more untagged reasons of the bottom group.", "无候选词：底部群体未标注的原因中，没有出现在两条及以上原因里的词或短语。"},
	"no_coverage":   {"Not mined (no tagger given).", "未挖掘（未提供标注器）。"},
	"order":         {"Scale order test", "量表顺序检验"},
	"order_note":    {"Did showing the scale ascending or descending change the answers? Pearson's chi-square; Cramér's V says how much.", "量表正序或倒序展示是否改变了回答？皮尔逊卡方检验；克莱姆 V 表示影响大小。"},
	"ascending":     {"ascending", "正序"},
	"descending":    {"descending", "倒序"},
	"order_warn":    {"The order changed the answers (p < 0.05 and V ≥ 0.1).", "展示顺序改变了回答（p < 0.05 且 V ≥ 0.1）。"},
	"order_ok":      {"No practical effect of the order.", "展示顺序无实际影响。"},
	"all":           {"all", "全部"},
	"promoter":      {"promoters", "推荐者"},
	"passive":       {"passives", "中立者"},
	"detractor":     {"detractors", "贬损者"},
	"satisfied":     {"satisfied", "满意"},
	"neutral":       {"neutral", "一般"},
	"dissatisfied":  {"dissatisfied", "不满意"},
	"low_effort":    {"low effort", "省力"},
	"high_effort":   {"high effort", "费力"},
	"mention_rate":  {"mention rate", "提及率"},
	"lexicon":       {"lexicon version", "词典版本"},
}

// word is a report word in the report's language; unknown keys are shown
// as they are.
func (d *Data) word(key string) string {
	w, ok := words[key]
	if !ok {
		return key
	}
	if d.Lang == "zh" {
		return w[1]
	}
	return w[0]
}

// T is word for the template.
func (d *Data) T(key string) string { return d.word(key) }

// rate is the mention_rates row of a group and dimension (zero if none).
func (d *Data) rate(group, dim string) aggregate.MentionRateRow {
	for _, r := range d.Rates {
		if r.Group == group && r.Dimension == dim {
			return r
		}
	}
	return aggregate.MentionRateRow{Group: group, Dimension: dim}
}

// Headline formats a headline figure: CES means to two decimals, the
// others (points) to one.
func (d *Data) Headline(x float64) string {
	if d.Metric.Name == "ces" {
		return fmt.Sprintf("%.2f", x)
	}
	return fmt.Sprintf("%.1f", x)
}

// Change is the change of the headline over all respondents against the
// baseline, nil without one.
func (d *Data) Change() *aggregate.ChangeRow {
	for i, c := range d.Changes {
		if c.Kind == d.Metric.Name && c.Segment == "all" && c.Diff != nil {
			return &d.Changes[i]
		}
	}
	return nil
}

// GroupRow is one group of the headline's split.
type GroupRow struct {
	Key, Label string
	N          int64
	Pct        float64
}

// Split is the headline's three groups, top first.
func (d *Data) Split() []GroupRow {
	a := d.Scores[0]
	g := d.Score.Groups()
	return []GroupRow{{g[0], d.word(g[0]), a.Promoters, a.PromoterPct}, {g[1], d.word(g[1]), a.Passives, a.PassivePct},
		{g[2], d.word(g[2]), a.Detractors, a.DetractorPct}}
}

// MentionRow is a dimension's mention rates in each group, bottom group
// first, then all.
type MentionRow struct {
	Dimension string
	Level     int32
	Rates     []aggregate.MentionRateRow
}

// Groups are the groups as the mention table shows them: bottom first.
func (d *Data) Groups() []string {
	g := d.Score.Groups()
	return []string{g[2], g[1], g[0], "all"}
}

// Mentions are the top dimensions of the chart, each followed by its
// leaves, with their rates per group.
func (d *Data) Mentions() []MentionRow {
	var out []MentionRow
	for _, top := range d.topDims(10) {
		for _, dr := range d.Drivers { // every dimension, tops then their leaves, in table order
			if dr.Dimension != top && !strings.HasPrefix(dr.Dimension, top+"/") {
				continue
			}
			row := MentionRow{Dimension: dr.Dimension, Level: dr.Level}
			for _, g := range d.Groups() {
				row.Rates = append(row.Rates, d.rate(g, dr.Dimension))
			}
			out = append(out, row)
		}
	}
	return out
}

// MentionChart is the mention rates chart of the top dimensions.
func (d *Data) MentionChart() template.HTML { return d.mentionChart(d.topDims(10)) }

// SplitChart is the headline's group split.
func (d *Data) SplitChart() template.HTML { return d.splitChart() }

// RankedDrivers are the drivers of the top levels by priority, then the
// leaves by priority.
func (d *Data) RankedDrivers() []aggregate.DriverRow {
	out := slices.Clone(d.Drivers)
	slices.SortStableFunc(out, func(a, b aggregate.DriverRow) int {
		return cmp.Or(cmp.Compare(a.Level, b.Level), cmp.Compare(a.Priority, b.Priority))
	})
	return out
}

// DriverChart draws the top levels' impacts with their intervals, by priority.
func (d *Data) DriverChart() template.HTML {
	var xs []interval
	for _, r := range d.RankedDrivers() {
		if r.Level == 1 && r.Impact != nil && r.Mentioned > 0 {
			xs = append(xs, interval{name: r.Dimension, low: round2(*r.ImpactLow), mid: round2(*r.Impact), high: round2(*r.ImpactHigh), negative: *r.Impact < 0})
		}
	}
	return intervalChart("chartDrivers", d.word("impact"), fmt.Sprintf(d.word("impact_axis"), d.Metric.Label), xs)
}

// SegmentChart draws each segment value's headline with its margin.
func (d *Data) SegmentChart() template.HTML {
	var xs []interval
	all := d.Scores[0].NPS
	for _, r := range d.Scores[1:] {
		xs = append(xs, interval{name: r.Segment + ": " + r.Value, low: round2(r.NPS - r.MOE95), mid: round2(r.NPS), high: round2(r.NPS + r.MOE95),
			small: r.Small, negative: r.NPS < all})
	}
	return intervalChart("chartSegments", d.Metric.Label, "", xs)
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }

// highlight escapes a verbatim and marks the first occurrence of its term
// and, outside it, of its cue.
func highlight(v aggregate.VerbatimRow) template.HTML {
	type span struct {
		at, end int
		class   string
	}
	var spans []span
	if i := strings.Index(v.Text, v.Term); v.Term != "" && i >= 0 {
		spans = append(spans, span{i, i + len(v.Term), "term"})
	}
	for from := 0; v.Cue != ""; {
		i := strings.Index(v.Text[from:], v.Cue)
		if i < 0 {
			break
		}
		c := span{from + i, from + i + len(v.Cue), "cue"}
		if len(spans) == 0 || c.end <= spans[0].at || c.at >= spans[0].end {
			spans = append(spans, c)
			break
		}
		from = c.end
	}
	slices.SortFunc(spans, func(a, b span) int { return a.at - b.at })
	var b strings.Builder
	last := 0
	for _, sp := range spans {
		b.WriteString(template.HTMLEscapeString(v.Text[last:sp.at]))
		b.WriteString(`<mark class="` + sp.class + `">` + template.HTMLEscapeString(v.Text[sp.at:sp.end]) + `</mark>`)
		last = sp.end
	}
	b.WriteString(template.HTMLEscapeString(v.Text[last:]))
	return template.HTML(b.String())
}

// Candidates shown, per kind, and their examples.
const (
	pageCandidates = 10
	pageExamples   = 2
)

// BottomCandidates are the first coverage candidates of the bottom group's
// untagged reasons (words, then phrases).
func (d *Data) BottomCandidates() []aggregate.Candidate {
	if d.Coverage == nil {
		return nil
	}
	var out []aggregate.Candidate
	for _, c := range d.Coverage.Candidates {
		if c.Group == d.Score.Groups()[2] && c.Rank <= pageCandidates {
			c.Examples = c.Examples[:min(len(c.Examples), pageExamples)]
			out = append(out, c)
		}
	}
	return out
}

// OrderWarns is the run's warning rule for the order test.
func (d *Data) OrderWarns() bool { return d.Order.PValue < 0.05 && d.Order.CramersV >= 0.1 }
