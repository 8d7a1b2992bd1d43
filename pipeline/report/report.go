// Package report renders a published run as one self-contained HTML file
// (report.html): the headline with its margin and change, what each group
// talks about, drivers, segments, verbatims, coverage and the order test,
// with alerts against a baseline on top. Charts are Apache ECharts
// options built with go-echarts; echarts.min.js is embedded in the file, so
// the report opens offline, from a mail attachment or a shared drive.
package report

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"slices"

	"github.com/vocmine/vocmine/config"
	"github.com/vocmine/vocmine/pipeline"
	"github.com/vocmine/vocmine/pipeline/aggregate"
	"github.com/vocmine/vocmine/pipeline/partition"
	"github.com/vocmine/vocmine/pipeline/source"
	"github.com/vocmine/vocmine/pipeline/table"
)

// File and AlertsFile are what Write leaves in a partition.
const (
	File       = "report.html"
	AlertsFile = "alerts.json"
)

// Data is everything the report shows, read from a published (or staged)
// partition.
type Data struct {
	Lang     string
	Metric   config.Metric
	Score    config.Score
	Manifest *partition.Manifest
	Scores   []aggregate.ScoreRow // [0] is all respondents
	Rates    []aggregate.MentionRateRow
	Drivers  []aggregate.DriverRow
	Order    *aggregate.OrderTestRow
	// Changes are against the baseline run (BaselineDate), nil without one.
	Changes      []aggregate.ChangeRow
	BaselineDate string
	Alerts       []Alert
	Verbatims    []aggregate.VerbatimRow
	// Coverage is the run's coverage.parquet and its bottom group's first
	// candidates, nil for a run that has no coverage.parquet.
	Coverage *aggregate.CoverageReport
}

// Options say what to read beside the partition.
type Options struct {
	// Baseline is a previous run's partition: changes and alerts against it.
	// Without it, a changes.parquet in the partition (vocmine run
	// --baseline) is used when present.
	Baseline string
	// Manifest is the run's; nil reads the partition's manifest.json.
	Manifest *partition.Manifest
}

// Load reads the partition dir. cfg gives the report's language and alert
// thresholds; the metric and its groups are the run's own (its manifest).
func Load(dir string, cfg *config.Config, o Options) (*Data, error) {
	m := o.Manifest
	if m == nil {
		var err error
		if m, err = partition.ReadManifest(dir); err != nil {
			return nil, fmt.Errorf("%w: %w", source.ErrInput, err)
		}
	}
	sc := config.MetricScore(m.Metric)
	if m.Config.Values != nil {
		sc = m.Config.Values.Score
	}
	d := &Data{Lang: cfg.Report.Lang, Metric: config.Metrics[sc.Metric], Score: sc, Manifest: m}
	var err error
	read := func(name string, f func(path string) error) {
		if err == nil {
			err = f(table.Path(dir, name))
		}
	}
	read(table.MetricFile(sc.Metric), func(p string) (e error) { d.Scores, e = table.Read[aggregate.ScoreRow](p, sc); return })
	read("mention_rates.parquet", func(p string) (e error) { d.Rates, e = table.Read[aggregate.MentionRateRow](p, sc); return })
	read("drivers.parquet", func(p string) (e error) { d.Drivers, e = table.Read[aggregate.DriverRow](p, sc); return })
	read("order_test.parquet", func(p string) error {
		rows, e := table.Read[aggregate.OrderTestRow](p, sc)
		if errors.Is(e, fs.ErrNotExist) {
			return nil
		}
		if e == nil && len(rows) == 1 {
			d.Order = &rows[0]
		}
		return e
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", source.ErrInput, dir, err)
	}
	if len(d.Scores) == 0 {
		return nil, fmt.Errorf("%w: %s: no %s rows", source.ErrInput, dir, sc.Metric)
	}
	if o.Baseline != "" {
		if d.Changes, err = partition.Changes(o.Baseline, sc, d.Scores, d.Rates); err != nil {
			return nil, err
		}
	} else if d.Changes, err = table.Read[aggregate.ChangeRow](table.Path(dir, "changes.parquet"), sc); errors.Is(err, fs.ErrNotExist) {
		d.Changes, err = nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", source.ErrInput, dir, err)
	}
	if len(d.Changes) > 0 {
		d.BaselineDate = d.Changes[0].BaselineDate
	}
	d.Alerts = Alerts(d.Changes, sc, cfg.Alerts)
	if d.Verbatims, err = verbatims(dir); err != nil {
		return nil, err
	}
	if d.Coverage, err = table.ReadCoverage(dir); errors.Is(err, fs.ErrNotExist) {
		d.Coverage, err = nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", source.ErrInput, dir, err)
	}
	return d, nil
}

// Hook renders report.html and alerts.json into the run's staging
// folder (pipeline.Options.Report), and keeps the alerts for failOn.
func Hook(cfg *config.Config, log *slog.Logger, alerts *[]Alert) func(string, *partition.Manifest) error {
	return func(dir string, m *partition.Manifest) error {
		d, err := Load(dir, cfg, Options{Manifest: m})
		if err != nil {
			return err
		}
		*alerts = d.Alerts
		for _, a := range d.Alerts {
			log.Warn("alert", "kind", a.Kind, "segment", a.Segment, "value", a.Value, "group", a.Group, "dimension", a.Dimension,
				"then", a.Then, "now", a.Now, "p_value", a.PValue, "bad", a.Bad)
		}
		return d.WriteFiles(dir, cfg.Output.Report)
	}
}

// FailOn is the error alerts.fail_on makes of a published run's alerts
// (wrapping pipeline.ErrAlerts: exit 3), nil if none fails it. Every engine
// ends its run with it.
func FailOn(cfg *config.Config, alerts []Alert) error {
	n := 0
	for _, a := range alerts {
		if cfg.Alerts.FailOn == "any" || cfg.Alerts.FailOn == "bad" && a.Bad {
			n++
		}
	}
	if n > 0 {
		return fmt.Errorf("%d %w", n, pipeline.ErrAlerts)
	}
	return nil
}

// Alert is a change against the baseline beyond the configured thresholds
// and significant: alerts.json holds a list of them.
type Alert struct {
	Kind      string  `json:"kind"` // the metric (nps, csat, ces) or mention_rate
	Segment   string  `json:"segment,omitempty"`
	Value     string  `json:"value,omitempty"`
	Group     string  `json:"group,omitempty"`
	Dimension string  `json:"dimension,omitempty"`
	Then      float64 `json:"then"`
	Now       float64 `json:"now"`
	Diff      float64 `json:"diff"`
	PValue    float64 `json:"p_value"`
	// Bad is true for a worse headline, and for a dimension mentioned more
	// by the bottom group (or by everyone) or less by the top group.
	Bad bool `json:"bad"`
}

// Alerts picks the changes whose size reaches the thresholds (a.ScoreChange
// for the headline, a.RateChange for mention rates) and whose p-value is
// below a.Alpha: headline first, then rates by the size of the change.
func Alerts(changes []aggregate.ChangeRow, sc config.Score, a config.Alerts) []Alert {
	top := sc.Groups()[0]
	var out []Alert
	for _, c := range changes {
		if c.Diff == nil || c.PValue == nil || *c.PValue >= a.Alpha {
			continue
		}
		al := Alert{Kind: c.Kind, Segment: c.Segment, Value: c.Value, Group: c.Group, Dimension: c.Dimension,
			Then: *c.Then, Now: *c.Now, Diff: *c.Diff, PValue: *c.PValue}
		if c.Kind == sc.Metric {
			if math.Abs(al.Diff) < a.ScoreChange {
				continue
			}
			al.Bad = al.Diff < 0
		} else {
			if math.Abs(al.Diff) < a.RateChange {
				continue
			}
			al.Bad = (al.Diff > 0) != (c.Group == top)
		}
		out = append(out, al)
	}
	slices.SortStableFunc(out, func(x, y Alert) int {
		return cmp.Or(cmp.Compare(kindRank(x, sc), kindRank(y, sc)), cmp.Compare(math.Abs(y.Diff), math.Abs(x.Diff)))
	})
	return out
}

func kindRank(a Alert, sc config.Score) int {
	if a.Kind == sc.Metric {
		return 0
	}
	return 1
}

// WriteFiles writes the report into dir: report.html when html is set and,
// when there is a baseline, alerts.json ([] when nothing moved).
func (d *Data) WriteFiles(dir string, html bool) error {
	if html {
		if err := writeFile(filepath.Join(dir, File), d.Render); err != nil {
			return err
		}
	}
	if d.Changes != nil {
		return writeFile(filepath.Join(dir, AlertsFile), d.WriteAlerts)
	}
	return nil
}

// WriteTo writes the report to the HTML file path, and alerts.json beside
// it when there is a baseline.
func (d *Data) WriteTo(path string) error {
	if err := writeFile(path, d.Render); err != nil {
		return err
	}
	if d.Changes != nil {
		return writeFile(filepath.Join(filepath.Dir(path), AlertsFile), d.WriteAlerts)
	}
	return nil
}

// WriteAlerts writes the alerts as a JSON array.
func (d *Data) WriteAlerts(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if d.Alerts == nil {
		return enc.Encode([]Alert{})
	}
	return enc.Encode(d.Alerts)
}

// writeFile writes path through a temporary file, synced, then renamed.
func writeFile(path string, write func(io.Writer) error) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	err = write(f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
