package report

import (
	"encoding/json"
	"fmt"
	"html/template"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/vocmine/vocmine/config"
	"github.com/vocmine/vocmine/pipeline/aggregate"
	"github.com/vocmine/vocmine/pipeline/partition"
)

func f(x float64) *float64 { return &x }

// TestAlerts: size and significance thresholds, and which way is bad.
func TestAlerts(t *testing.T) {
	sc := config.MetricScore("csat")
	a := config.Alerts{ScoreChange: 5, RateChange: 0.05, Alpha: 0.05}
	change := func(kind, group string, then, now, p float64) aggregate.ChangeRow {
		return aggregate.ChangeRow{Kind: kind, Segment: map[bool]string{true: "all"}[group == ""], Group: group, Dimension: map[bool]string{false: "资费"}[group == ""],
			Then: f(then), Now: f(now), Diff: f(now - then), PValue: f(p)}
	}
	got := Alerts([]aggregate.ChangeRow{
		change("csat", "", 70, 64, 0.01),                                    // -6 points: bad
		change("csat", "", 70, 74.9, 0.01),                                  // +4.9: too small
		change("csat", "", 70, 80, 0.05),                                    // p not below alpha
		change("mention_rate", "dissatisfied", 0.2, 0.26, 0.001),            // more complaints: bad
		change("mention_rate", "satisfied", 0.3, 0.2, 0.001),                // the top group mentions it less: bad
		change("mention_rate", "satisfied", 0.2, 0.4, 0.001),                // more: good, and the largest rate change
		change("mention_rate", "neutral", 0.2, 0.24, 0.001),                 // 4 points: too small
		{Kind: "mention_rate", Group: "all", Dimension: "新维度", Now: f(0.3)}, // no baseline row: nothing to test
	}, sc, a)
	want := []struct {
		kind, group string
		bad         bool
	}{{"csat", "", true}, {"mention_rate", "satisfied", false}, {"mention_rate", "satisfied", true}, {"mention_rate", "dissatisfied", true}}
	if len(got) != len(want) {
		t.Fatalf("%d alerts: %+v", len(got), got)
	}
	for i, w := range want {
		if got[i].Kind != w.kind || got[i].Group != w.group || got[i].Bad != w.bad {
			t.Errorf("alert %d: %+v, want %+v", i, got[i], w)
		}
	}
}

// TestHighlight escapes the reason and marks the term and the cue once.
func TestHighlight(t *testing.T) {
	for _, tc := range []struct {
		v    aggregate.VerbatimRow
		want string
	}{
		{aggregate.VerbatimRow{Text: "<b>信号</b>太差，信号差", Term: "信号", Cue: "差"}, `&lt;b&gt;<mark class="term">信号</mark>&lt;/b&gt;太<mark class="cue">差</mark>，信号差`},
		// the cue before the term, a cue inside the term skipped, no markup matched
		{aggregate.VerbatimRow{Text: "不好用的app很卡", Term: "app", Cue: "a"}, `不好用的<mark class="term">app</mark>很卡`},
		{aggregate.VerbatimRow{Text: "差评：网速差", Term: "网速", Cue: "差"}, `<mark class="cue">差</mark>评：<mark class="term">网速</mark>差`},
		{aggregate.VerbatimRow{Text: "还行", Term: "", Cue: ""}, `还行`},
	} {
		if got := string(highlight(tc.v)); got != tc.want {
			t.Errorf("got  %s\nwant %s", got, tc.want)
		}
	}
}

// small is a report of one dimension that every group mentions, all three
// polarities, with one driver and no candidates.
func small(lang string) *Data {
	sc := config.MetricScore("nps")
	d := &Data{Lang: lang, Metric: config.Metrics["nps"], Score: sc, Manifest: &partition.Manifest{RunDate: "2026-11-01"},
		Scores:   []aggregate.ScoreRow{{Segment: "all", Respondents: 100, NPS: 10, MOE95: 5}},
		Coverage: &aggregate.CoverageReport{Groups: []aggregate.GroupCoverage{{Group: "all", Reasons: 100, Tagged: 90, Coverage: 0.9}}}}
	for _, g := range []string{"detractor", "passive", "promoter", "all"} {
		d.Rates = append(d.Rates, aggregate.MentionRateRow{Group: g, Dimension: "网络", Level: 1, Respondents: 100, Mentions: 60, Rank: 1,
			MentionRate: 0.6, NegativeRate: 0.3, PositiveRate: 0.2, NeutralRate: 0.1})
	}
	d.Drivers = []aggregate.DriverRow{{Dimension: "网络", Level: 1, Mentioned: 60, Priority: 1, Impact: f(-3), ImpactLow: f(-5), ImpactHigh: f(-1)}}
	return d
}

// TestNoCandidates: a coverage section whose bottom group has no candidate
// says so, in the report's language, instead of an empty table.
func TestNoCandidates(t *testing.T) {
	for _, tc := range []struct {
		lang       string
		candidates []aggregate.Candidate
		want, not  string
	}{
		{"en", nil, "No candidates: no word or phrase is in two or more untagged reasons of the bottom group.", `class="candidate"`},
		{"zh", nil, "无候选词：底部群体未标注的原因中，没有出现在两条及以上原因里的词或短语。", `class="candidate"`},
		{"en", []aggregate.Candidate{{Group: "detractor", Kind: "word", Rank: 1, Candidate: "客服", Reasons: 3}}, `data-candidate="客服"`, `id="no-candidates"`},
	} {
		d := small(tc.lang)
		d.Coverage.Candidates = tc.candidates
		var b strings.Builder
		if err := d.Render(&b); err != nil {
			t.Fatal(err)
		}
		page := b.String()
		if !strings.Contains(page, tc.want) || strings.Contains(page, tc.not) {
			t.Errorf("%s, %d candidates: want %q and no %q in the coverage section:\n%s", tc.lang, len(tc.candidates), tc.want, tc.not,
				page[strings.Index(page, `<section id="coverage">`):])
		}
	}
}

// chartOption decodes the ECharts option of a rendered chart.
func chartOption(t *testing.T, chart template.HTML) echartsOption {
	t.Helper()
	m := regexp.MustCompile(`let option_\w+ = (\{.*\})`).FindStringSubmatch(string(chart))
	if m == nil {
		t.Fatalf("no option in %s", chart)
	}
	var o echartsOption
	if err := json.Unmarshal([]byte(m[1]), &o); err != nil {
		t.Fatal(err)
	}
	return o
}

// echartsOption is what the tests read of a chart's option.
type echartsOption struct {
	YAxis []struct {
		Name string `json:"name"`
	} `json:"yAxis"`
	Series []echartsSeries `json:"series"`
}

type echartsSeries struct {
	Name      string `json:"name"`
	Stack     string `json:"stack"`
	ItemStyle struct {
		Color string `json:"color"`
	} `json:"itemStyle"`
	Data []struct {
		Value any `json:"value"` // a box plot's is a list
	} `json:"data"`
}

// hue says whether a #rrggbb colour is red-ish, green-ish or neither
// (grey).
func hue(t *testing.T, color string) string {
	t.Helper()
	var r, g, b int
	if _, err := fmt.Sscanf(color, "#%02x%02x%02x", &r, &g, &b); err != nil {
		t.Fatalf("colour %q: %v", color, err)
	}
	switch {
	case r > g+40 && r > b+40:
		return "red"
	case g > r+40 && g > b+40:
		return "green"
	case max(r, g, b)-min(r, g, b) < 20:
		return "grey"
	}
	return color
}

// TestMentionChartColors: in every group's bar the negative share is red,
// the positive share green and the neutral share grey, each its rate; the
// groups' shades differ.
func TestMentionChartColors(t *testing.T) {
	d := small("en")
	o := chartOption(t, d.MentionChart())
	want := map[string]struct {
		hue   string
		value float64
	}{"negative": {"red", 30}, "positive": {"green", 20}, "neutral_share": {"grey", 10}} // by word
	seen := map[string]map[string]bool{} // polarity -> colours
	for _, g := range []string{"detractor", "passive", "promoter"} {
		for pol, w := range want {
			name := d.word(g) + " · " + d.word(pol)
			i := slices.IndexFunc(o.Series, func(s echartsSeries) bool { return s.Name == name })
			if i < 0 {
				t.Errorf("no series %q", name)
				continue
			}
			s := o.Series[i]
			if got := hue(t, s.ItemStyle.Color); got != w.hue || s.Stack != g || len(s.Data) != 1 || s.Data[0].Value != w.value {
				t.Errorf("%s: %s (%s) in stack %q, data %v; want %s, stack %q, %v", name, s.ItemStyle.Color, got, s.Stack, s.Data, w.hue, g, w.value)
			}
			if seen[pol] == nil {
				seen[pol] = map[string]bool{}
			}
			seen[pol][s.ItemStyle.Color] = true
		}
	}
	for pol, colors := range seen {
		if len(colors) != 3 {
			t.Errorf("%s: the groups share colours %v", pol, colors)
		}
	}
}

// TestDriverAxis: the drivers chart's y axis says what it plots, in the
// report's language.
func TestDriverAxis(t *testing.T) {
	for _, tc := range []struct{ lang, want string }{{"en", "impact on NPS (points)"}, {"zh", "对 NPS 的影响（分）"}} {
		o := chartOption(t, small(tc.lang).DriverChart())
		if len(o.YAxis) != 1 || o.YAxis[0].Name != tc.want {
			t.Errorf("%s: y axes %+v, want one named %q", tc.lang, o.YAxis, tc.want)
		}
	}
}
