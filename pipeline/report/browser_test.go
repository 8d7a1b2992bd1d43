package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/parquet-go/parquet-go"

	"github.com/vocmine/vocmine/config"
	"github.com/vocmine/vocmine/examples/synth"
	"github.com/vocmine/vocmine/internal/exampletest"
	"github.com/vocmine/vocmine/pipeline"
	"github.com/vocmine/vocmine/pipeline/aggregate"
	"github.com/vocmine/vocmine/pipeline/partition"
	"github.com/vocmine/vocmine/pipeline/report"
	"github.com/vocmine/vocmine/pipeline/table"
)

// exampleRuns publishes two runs of the embedded example's config: a
// generated survey (another seed) as the baseline, then the example itself
// against it, its gender column standing in for a scale-order column so that
// every section shows. The second run writes report.html and alerts.json as
// vocmine run does. It returns the config and the second partition.
func exampleRuns(t *testing.T, lang string) (*config.Config, string) {
	t.Helper()
	cfg := exampletest.Config(t)
	dir := filepath.Dir(cfg.Output.Dir)
	cfg.Date, cfg.Report.Lang = time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), lang
	tg := exampletest.Tagger(t, cfg)
	example := cfg.Input.Path
	var buf bytes.Buffer
	if err := synth.Write(&buf, synth.Options{Rows: 3000, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	cfg.Input.Path = filepath.Join(dir, "baseline.csv")
	if err := os.WriteFile(cfg.Input.Path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := pipeline.Run(context.Background(), cfg, pipeline.Options{Tagger: tg}); err != nil {
		t.Fatal(err)
	}
	baseline := cfg.RunDir()
	cfg.Input.Path, cfg.Date = example, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	cfg.Input.Order, cfg.Input.OrderValues = "gender", []string{"男", "女"}
	hook := func(dir string, m *partition.Manifest) error {
		d, err := report.Load(dir, cfg, report.Options{Manifest: m})
		if err != nil {
			return err
		}
		return d.WriteFiles(dir, true)
	}
	if _, err := pipeline.Run(context.Background(), cfg, pipeline.Options{Tagger: tg, Baseline: baseline, Report: hook}); err != nil {
		t.Fatal(err)
	}
	return cfg, cfg.RunDir()
}

// browser starts headless Chromium as the issue asks; the test is skipped
// where Chromium is missing unless VOCMINE_REQUIRE_BROWSER is set (CI).
func browser(t *testing.T) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("VOCMINE_REQUIRE_BROWSER") != "" {
			t.Fatal("chromium not found and VOCMINE_REQUIRE_BROWSER is set")
		}
		t.Skip("chromium not installed (apt-get install chromium)")
	}
	alloc, cancel := chromedp.NewExecAllocator(context.Background(), chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.Flag("disable-background-networking", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1100, 900))
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(alloc)
	t.Cleanup(cancel2)
	ctx, cancel3 := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancel3)
	return ctx
}

// dom is what the test reads off the rendered page.
type dom struct {
	Sections []string            `json:"sections"`
	Headline map[string]string   `json:"headline"`
	Shown    string              `json:"shown"`
	Change   map[string]string   `json:"change"`
	Split    []map[string]string `json:"split"`
	Rates    []map[string]string `json:"rates"`
	Drivers  []map[string]string `json:"drivers"`
	Segments []map[string]string `json:"segments"`
	Verbs    []map[string]string `json:"verbatims"`
	Marks    int                 `json:"marks"`
	Coverage []map[string]string `json:"coverage"`
	Alerts   []map[string]string `json:"alerts"`
	Order    map[string]string   `json:"order"`
	SVGs     int                 `json:"svgs"`
	Headings []string            `json:"headings"`
	// Candidates are the coverage candidates' rows, NoCandidates the note
	// shown instead when there are none.
	Candidates   []map[string]string `json:"candidates"`
	NoCandidates string              `json:"noCandidates"`
	// DriverAxis is the drivers chart's y axis name and where it is drawn,
	// in the chart's coordinates.
	DriverAxis struct {
		Name                            string
		Left, Right, Top, Bottom, Width float64
	} `json:"driverAxis"`
}

const readDOM = `(() => {
  const all = (sel) => [...document.querySelectorAll(sel)].map((e) => ({...e.dataset}));
  const one = (sel) => { const e = document.querySelector(sel); return e ? {...e.dataset} : null; };
  return {
    sections: [...document.querySelectorAll("section")].map((s) => s.id),
    headline: one("#headline-value"), shown: document.querySelector("#headline-value").textContent,
    change: one("#change"), split: all("#split td.group"), rates: all("td.rate"), drivers: all("tr.driver"),
    segments: all("tr.segment"), verbatims: all("li.verbatim"), marks: document.querySelectorAll("li.verbatim mark").length,
    coverage: all("tr.coverage"), alerts: all("li.alert"), order: one("#order-test"),
    svgs: document.querySelectorAll("section svg").length,
    headings: [...document.querySelectorAll("h2")].map((h) => h.textContent),
    candidates: all("tr.candidate"), noCandidates: document.querySelector("#no-candidates")?.textContent ?? "",
    driverAxis: (() => {
      const el = document.getElementById("chartDrivers"), name = echarts.getInstanceByDom(el).getOption().yAxis[0].name;
      const text = [...el.querySelectorAll("svg text")].find((t) => t.textContent === name);
      if (!text) return { Name: name };
      const box = text.getBoundingClientRect(), chart = el.getBoundingClientRect();
      return { Name: name, Left: box.left - chart.left, Right: box.right - chart.left, Top: box.top - chart.top, Bottom: box.bottom - chart.top, Width: chart.width };
    })(),
  };
})()`

// TestReportInChromium renders the example run's report in headless
// Chromium: no console error, no network request, every section present,
// and the numbers on the page are the Parquet tables'. Saves a screenshot
// and an A4 PDF in the test's temp dir.
func TestReportInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("drives Chromium: slow; run without -short")
	}
	ctx := browser(t)
	cfg, dir := exampleRuns(t, "en")
	var mu sync.Mutex
	var consoleErrors, requests []string
	err := chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeWarning {
				consoleErrors = append(consoleErrors, fmt.Sprint(e.Type, e.Args))
			}
		case *runtime.EventExceptionThrown:
			consoleErrors = append(consoleErrors, e.ExceptionDetails.Text)
		case *network.EventRequestWillBeSent:
			if !strings.HasPrefix(e.Request.URL, "file://") {
				requests = append(requests, e.Request.URL)
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, runtime.Enable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate("file://"+filepath.Join(dir, report.File)), chromedp.WaitVisible(chromedp.CSS("#chartDrivers svg"))); err != nil {
		t.Fatal(err)
	}
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[json.RawMessage](readDOM))
	if err != nil {
		t.Fatal(err)
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(90))
	if err != nil {
		t.Fatal(err)
	}
	yes := true
	res, err := chromedp.Call(ctx, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: &yes, PrintBackground: &yes})
	if err != nil {
		t.Fatal(err)
	}
	pdf := res.Data
	tmp := t.TempDir()
	os.WriteFile(filepath.Join(tmp, "report.png"), shot, 0o644)
	os.WriteFile(filepath.Join(tmp, "report.pdf"), pdf, 0o644)
	t.Logf("screenshot %s (%d bytes), A4 PDF %d bytes", filepath.Join(tmp, "report.png"), len(shot), len(pdf))
	mu.Lock()
	defer mu.Unlock()
	if len(consoleErrors) > 0 {
		t.Errorf("console errors: %q", consoleErrors)
	}
	if len(requests) > 0 {
		t.Errorf("network requests: %q", requests)
	}
	var d dom
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatal(err)
	}
	checkDOM(t, cfg, dir, &d)
	// A4 is 595 × 842 points: the page boxes of the PDF say which paper the
	// CSS @page asked for.
	boxes := regexp.MustCompile(`/MediaBox \[0 0 ([0-9.]+) ([0-9.]+)\]`).FindAllSubmatch(pdf, -1)
	for _, b := range boxes {
		if w, h := num(t, string(b[1])), num(t, string(b[2])); math.Abs(w-595.3) > 1 || math.Abs(h-841.9) > 1 {
			t.Errorf("a PDF page is %v × %v points, not A4 (595 × 842)", w, h)
		}
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF")) || len(boxes) == 0 || len(boxes) > 8 {
		t.Errorf("printing to PDF gave %d bytes, %d pages", len(pdf), len(boxes))
	}
	t.Logf("%d A4 pages", len(boxes))
}

func num(t *testing.T, s string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("%q is not a number", s)
	}
	return f
}

func read[T any](t *testing.T, path string) []T {
	t.Helper()
	rows, err := parquet.ReadFile[T](path)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// checkDOM compares the page with the run's tables.
func checkDOM(t *testing.T, cfg *config.Config, dir string, d *dom) {
	t.Helper()
	want := []string{"alerts", "headline", "mentions", "drivers", "segments", "verbatims", "coverage", "order"}
	if strings.Join(d.Sections, ",") != strings.Join(want, ",") {
		t.Errorf("sections %q, want %q in that order", d.Sections, want)
	}
	if d.SVGs < 4 {
		t.Errorf("%d charts drawn, want 4", d.SVGs)
	}
	scores := read[aggregate.ScoreRow](t, table.Path(dir, "nps.parquet"))
	all := scores[0]
	if num(t, d.Headline["value"]) != all.NPS || num(t, d.Headline["moe"]) != all.MOE95 || d.Headline["respondents"] != fmt.Sprint(all.Respondents) ||
		d.Shown != fmt.Sprintf("%.1f", all.NPS) {
		t.Errorf("headline %v %q, nps.parquet %+v", d.Headline, d.Shown, all)
	}
	split := map[string]int64{"promoter": all.Promoters, "passive": all.Passives, "detractor": all.Detractors}
	for _, g := range d.Split {
		if g["n"] != fmt.Sprint(split[g["group"]]) {
			t.Errorf("split %v, want %d", g, split[g["group"]])
		}
	}
	changes := read[aggregate.ChangeRow](t, table.Path(dir, "changes.parquet"))
	for _, c := range changes {
		if c.Kind == "nps" && c.Segment == "all" && (d.Change == nil || num(t, d.Change["diff"]) != *c.Diff) {
			t.Errorf("change %v, changes.parquet %v", d.Change, *c.Diff)
		}
	}
	rates := map[string]aggregate.MentionRateRow{}
	for _, r := range read[aggregate.MentionRateRow](t, table.Path(dir, "mention_rates.parquet")) {
		rates[r.Group+"/"+r.Dimension] = r
	}
	if len(d.Rates) == 0 {
		t.Error("no mention rates on the page")
	}
	for _, r := range d.Rates {
		p := rates[r["group"]+"/"+r["dimension"]]
		if num(t, r["rate"]) != p.MentionRate || num(t, r["negative"]) != p.NegativeRate {
			t.Errorf("rate %v, mention_rates.parquet %+v", r, p)
		}
	}
	drivers := read[aggregate.DriverRow](t, table.Path(dir, "drivers.parquet"))
	if len(d.Drivers) != len(drivers) || d.Drivers[0]["priority"] != "1" {
		t.Errorf("%d drivers on the page, %d in drivers.parquet; first %v", len(d.Drivers), len(drivers), d.Drivers[0])
	}
	for _, dr := range d.Drivers {
		for _, p := range drivers {
			if p.Dimension == dr["dimension"] && (dr["priority"] != fmt.Sprint(p.Priority) || p.Impact != nil && num(t, dr["impact"]) != *p.Impact) {
				t.Errorf("driver %v, drivers.parquet %+v", dr, p)
			}
		}
	}
	if len(d.Segments) != len(scores) {
		t.Errorf("%d segment rows, nps.parquet has %d", len(d.Segments), len(scores))
	}
	for i, s := range d.Segments {
		if s["value"] != scores[i].Value || num(t, s["score"]) != scores[i].NPS || num(t, s["moe"]) != scores[i].MOE95 || s["small"] != fmt.Sprint(scores[i].Small) {
			t.Errorf("segment %v, nps.parquet %+v", s, scores[i])
		}
	}
	verbs := read[aggregate.VerbatimRow](t, table.Path(dir, "verbatims.parquet"))
	if len(d.Verbs) < 6 || len(d.Verbs) != len(verbs) || d.Marks < len(d.Verbs) {
		t.Errorf("%d verbatims with %d highlights; verbatims.parquet has %d", len(d.Verbs), d.Marks, len(verbs))
	}
	for i := range min(len(verbs), len(d.Verbs)) {
		if v := d.Verbs[i]; v["id"] != verbs[i].ResponseID || v["top"] != verbs[i].Top || v["polarity"] != verbs[i].Polarity {
			t.Errorf("verbatim %d: %v, verbatims.parquet %+v", i, v, verbs[i])
		}
	}
	var alerts []report.Alert
	b, _ := os.ReadFile(filepath.Join(dir, report.AlertsFile))
	if err := json.Unmarshal(b, &alerts); err != nil || len(alerts) == 0 || len(alerts) != len(d.Alerts) {
		t.Errorf("alerts.json %d (%v), page %d: the two runs differ enough for some", len(alerts), err, len(d.Alerts))
	}
	for i := range min(len(alerts), len(d.Alerts)) {
		a := alerts[i]
		if num(t, d.Alerts[i]["diff"]) != a.Diff || math.Abs(a.Diff) < min(cfg.Alerts.ScoreChange, cfg.Alerts.RateChange) || a.PValue >= cfg.Alerts.Alpha {
			t.Errorf("alert %v, alerts.json %+v", d.Alerts[i], a)
		}
	}
	ot := read[aggregate.OrderTestRow](t, table.Path(dir, "order_test.parquet"))[0]
	if d.Order == nil || num(t, d.Order["p"]) != ot.PValue || num(t, d.Order["v"]) != ot.CramersV {
		t.Errorf("order test %v, order_test.parquet %+v", d.Order, ot)
	}
	if len(d.Coverage) != 4 || d.Coverage[3]["group"] != "all" {
		t.Errorf("coverage rows %v", d.Coverage)
	}
	if (len(d.Candidates) == 0) == (d.NoCandidates == "") {
		t.Errorf("%d candidate rows and the note %q: want rows or the note", len(d.Candidates), d.NoCandidates)
	}
	checkDriverAxis(t, d, "impact on NPS (points)")
}

// checkDriverAxis: the drivers chart's y axis name is drawn whole, inside
// the chart.
func checkDriverAxis(t *testing.T, d *dom, want string) {
	t.Helper()
	a := d.DriverAxis
	if a.Name != want || a.Right <= a.Left || a.Left < 0 || a.Right > a.Width || a.Top < 0 {
		t.Errorf("drivers chart y axis %+v, want %q drawn inside the chart", a, want)
	}
}

// TestReportChinese: report.lang zh puts the report's own words in Chinese.
func TestReportChinese(t *testing.T) {
	if testing.Short() {
		t.Skip("drives Chromium: slow; run without -short")
	}
	ctx := browser(t)
	_, dir := exampleRuns(t, "zh")
	if err := chromedp.Do(ctx, chromedp.Navigate("file://"+filepath.Join(dir, report.File)), chromedp.WaitVisible(chromedp.CSS("#chartDrivers svg"))); err != nil {
		t.Fatal(err)
	}
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[json.RawMessage](readDOM))
	if err != nil {
		t.Fatal(err)
	}
	var d dom
	json.Unmarshal(raw, &d)
	if !strings.Contains(strings.Join(d.Headings, "|"), "驱动因素") {
		t.Errorf("headings %q", d.Headings)
	}
	checkDriverAxis(t, &d, "对 NPS 的影响（分）")
}
