package report

import (
	"testing"

	"github.com/vocmine/vocmine/config"
	"github.com/vocmine/vocmine/pipeline"
)

func f(x float64) *float64 { return &x }

// TestAlerts: size and significance thresholds, and which way is bad.
func TestAlerts(t *testing.T) {
	sc := config.MetricScore("csat")
	a := config.Alerts{ScoreChange: 5, RateChange: 0.05, Alpha: 0.05}
	change := func(kind, group string, then, now, p float64) pipeline.ChangeRow {
		return pipeline.ChangeRow{Kind: kind, Segment: map[bool]string{true: "all"}[group == ""], Group: group, Dimension: map[bool]string{false: "资费"}[group == ""],
			Then: f(then), Now: f(now), Diff: f(now - then), PValue: f(p)}
	}
	got := Alerts([]pipeline.ChangeRow{
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
		v    pipeline.VerbatimRow
		want string
	}{
		{pipeline.VerbatimRow{Text: "<b>信号</b>太差，信号差", Term: "信号", Cue: "差"}, `&lt;b&gt;<mark class="term">信号</mark>&lt;/b&gt;太<mark class="cue">差</mark>，信号差`},
		// the cue before the term, a cue inside the term skipped, no markup matched
		{pipeline.VerbatimRow{Text: "不好用的app很卡", Term: "app", Cue: "a"}, `不好用的<mark class="term">app</mark>很卡`},
		{pipeline.VerbatimRow{Text: "差评：网速差", Term: "网速", Cue: "差"}, `<mark class="cue">差</mark>评：<mark class="term">网速</mark>差`},
		{pipeline.VerbatimRow{Text: "还行", Term: "", Cue: ""}, `还行`},
	} {
		if got := string(highlight(tc.v)); got != tc.want {
			t.Errorf("got  %s\nwant %s", got, tc.want)
		}
	}
}
