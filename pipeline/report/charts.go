package report

import (
	"html/template"
	"math"
	"slices"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/render"

	"github.com/vocmine/vocmine/pipeline/aggregate"
)

// Colors of the top, middle and bottom groups; of the negative, positive and
// neutral shares of the top, middle and bottom groups' mentions (a shade per
// group, darker for a lower one, the hue the polarity's whatever the group).
var (
	groupColors    = [3]string{"#2e7d32", "#9e9e9e", "#c62828"}
	negativeColors = [3]string{"#ef9a9a", "#e53935", "#b71c1c"}
	positiveColors = [3]string{"#a5d6a7", "#43a047", "#1b5e20"}
	neutralColors  = [3]string{"#e0e0e0", "#9e9e9e", "#616161"}
	smallColor     = "#bdbdbd"
)

// chartInit sizes a chart to its container's width and draws it as SVG:
// crisp when printed, and its text is text. Its id is fixed, so the same run
// renders the same file.
func chartInit(id, height string) charts.GlobalOpts {
	return charts.WithInitializationOpts(opts.Initialization{ChartID: id, Width: "100%", Height: height, Renderer: "svg"})
}

// common are the options every chart shares: no animation (print and
// screenshots see the final state), a tooltip, labels kept inside the grid,
// whose top and bottom margins are given.
func common(id, height, top, bottom string) []charts.GlobalOpts {
	return []charts.GlobalOpts{
		chartInit(id, height),
		charts.WithAnimation(false),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true)}),
		charts.WithGridOpts(opts.Grid{ContainLabel: opts.Bool(true), Left: "2%", Right: "4%", Top: top, Bottom: bottom}),
	}
}

// snippet renders a chart as its element and script.
func snippet(r render.Renderer) template.HTML {
	s := r.RenderSnippet()
	return template.HTML(s.Element + s.Script)
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }

// splitChart is the headline's group split: one stacked horizontal bar.
func (d *Data) splitChart() template.HTML {
	all := d.Scores[0]
	pcts := [3]float64{all.PromoterPct, all.PassivePct, all.DetractorPct}
	bar := charts.NewBar()
	bar.SetGlobalOptions(append(common("chartSplit", "76px", "34", "0"),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "8"}),
		charts.WithXAxisOpts(opts.XAxis{Show: opts.Bool(false)}),
		charts.WithYAxisOpts(opts.YAxis{Show: opts.Bool(false)}))...)
	bar.SetXAxis([]string{""})
	for g, name := range d.Score.Groups() {
		bar.AddSeries(d.word(name), []opts.BarData{{Value: round1(pcts[g])}},
			charts.WithBarChartOpts(opts.BarChart{Stack: "split", BarWidth: "30"}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: groupColors[g]}),
			charts.WithLabelOpts(opts.Label{Show: opts.Bool(pcts[g] >= 4), Position: "inside", Formatter: "{c}%", Color: "#fff"}))
	}
	bar.XYReversal()
	return snippet(bar)
}

// mentionChart shows, for the top dimensions, each group's mention rate
// as a bar of its negative, positive and neutral shares.
func (d *Data) mentionChart(dims []string) template.HTML {
	bar := charts.NewBar()
	bar.SetGlobalOptions(append(common("chartMentions", "340px", "60", "2%"),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "0"}),
		charts.WithYAxisOpts(opts.YAxis{AxisLabel: &opts.AxisLabel{Formatter: "{value}%"}}),
		charts.WithXAxisOpts(opts.XAxis{AxisLabel: &opts.AxisLabel{Interval: "0", Rotate: 30}}))...)
	bar.SetXAxis(dims)
	groups := d.Score.Groups()
	for _, g := range []int{2, 1, 0} { // the bottom group first: what to fix
		for _, share := range []struct {
			word  string
			color string
			rate  func(aggregate.MentionRateRow) float64
		}{
			{"negative", negativeColors[g], func(r aggregate.MentionRateRow) float64 { return r.NegativeRate }},
			{"positive", positiveColors[g], func(r aggregate.MentionRateRow) float64 { return r.PositiveRate }},
			{"neutral_share", neutralColors[g], func(r aggregate.MentionRateRow) float64 { return r.NeutralRate }},
		} {
			data := make([]opts.BarData, len(dims))
			for i, dim := range dims {
				data[i] = opts.BarData{Value: round1(100 * share.rate(d.rate(groups[g], dim)))}
			}
			bar.AddSeries(d.word(groups[g])+" · "+d.word(share.word), data, charts.WithBarChartOpts(opts.BarChart{Stack: groups[g]}),
				charts.WithItemStyleOpts(opts.ItemStyle{Color: share.color}))
		}
	}
	return snippet(bar)
}

// interval is a point with its 95% interval, drawn as a box from low to
// high with a line at the point.
type interval struct {
	name            string
	low, mid, high  float64
	small, negative bool
}

// intervalChart draws intervals as a box plot whose boxes span the
// interval (the whiskers coincide with the box): a chart library's error
// bars, with the point as the median line. yName, unless empty, names the y
// axis, above it and starting at it: ECharts centres the name on the axis,
// which cuts a long one at the chart's left edge, and go-echarts' YAxis has
// no nameTextStyle to say otherwise, hence the setOption.
func intervalChart(id, name, yName string, xs []interval) template.HTML {
	bp := charts.NewBoxPlot()
	top := "20"
	if yName != "" {
		top = "36"
	}
	bp.SetGlobalOptions(append(common(id, "300px", top, "2%"),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithYAxisOpts(opts.YAxis{Name: yName, NameLocation: "end", NameGap: 12}),
		charts.WithXAxisOpts(opts.XAxis{AxisLabel: &opts.AxisLabel{Interval: "0", Rotate: 30}}))...)
	if yName != "" {
		bp.AddJSFuncStrs(opts.FuncOpts(`%MY_ECHARTS%.setOption({yAxis: {nameTextStyle: {align: "left"}}});`))
	}
	names := make([]string, len(xs))
	data := make([]opts.BoxPlotData, len(xs))
	for i, x := range xs {
		names[i] = x.name
		color := groupColors[0]
		if x.negative {
			color = groupColors[2]
		}
		if x.small {
			color = smallColor
		}
		data[i] = opts.BoxPlotData{Name: x.name, Value: []float64{x.low, x.low, x.mid, x.high, x.high},
			ItemStyle: &opts.ItemStyle{BorderColor: color, Color: "rgba(0,0,0,0)"}}
	}
	bp.SetXAxis(names)
	bp.AddSeries(name, data)
	return snippet(bp)
}

// topDims are the top-level dimensions the charts show: those the bottom
// group mentions most, at most n.
func (d *Data) topDims(n int) []string {
	bottom := d.Score.Groups()[2]
	var rows []int
	for i, r := range d.Rates {
		if r.Group == bottom && r.Level == 1 && r.Mentions > 0 {
			rows = append(rows, i)
		}
	}
	slices.SortStableFunc(rows, func(a, b int) int { return int(d.Rates[a].Rank - d.Rates[b].Rank) })
	var dims []string
	for _, i := range rows[:min(n, len(rows))] {
		dims = append(dims, d.Rates[i].Dimension)
	}
	return dims
}
