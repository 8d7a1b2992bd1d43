package partition

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/vocmine/vocmine/config"
	"github.com/vocmine/vocmine/pipeline/aggregate"
	"github.com/vocmine/vocmine/pipeline/source"
	"github.com/vocmine/vocmine/pipeline/table"
)

// ErrNoBaseline means the baseline folder named by alerts.baseline or
// --baseline does not exist (exit 66): fix the name, or use "previous" for
// the latest published run before this one, which a first night may lack.
var ErrNoBaseline = errors.New("baseline not found")

// ResolveBaseline returns the partition folder a run of runDate
// (YYYY-MM-DD) whose output.dir is outputDir compares with, from value
// (alerts.baseline or --baseline): "" for none; config.BaselinePrevious for
// the latest published run (a run_date=YYYY-MM-DD folder with _SUCCESS) of
// a strictly earlier date; anything else names the folder itself. With no
// earlier published run, "previous" logs a warning and returns "": the
// first night runs without changes. A named folder that does not exist is
// ErrNoBaseline (exit 66).
func ResolveBaseline(log *slog.Logger, outputDir, runDate, value string) (string, error) {
	switch value {
	case "":
		return "", nil
	case config.BaselinePrevious:
		dir, err := previousRun(outputDir, runDate)
		if err == nil && dir == "" {
			log.Warn("no published run before this one: no baseline, no changes.parquet", "baseline", value, "output.dir", outputDir, "run_date", runDate)
		}
		return dir, err
	}
	if _, err := os.Stat(value); errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("%w: %s does not exist (name a published run's partition folder, or \"previous\" for the latest one before this run)", ErrNoBaseline, value)
	} else if err != nil {
		return "", err
	}
	return value, nil
}

// previousRun is the latest published partition under outputDir dated
// before runDate, "" for none (or no outputDir yet).
func previousRun(outputDir, runDate string) (string, error) {
	runs, err := publishedRuns(outputDir)
	if err != nil {
		return "", err
	}
	best := ""
	for _, r := range runs { // oldest first: the last match is the latest date
		if r.date >= runDate {
			continue
		}
		if _, err := time.Parse(time.DateOnly, r.date); err == nil {
			best = r.dir
		}
	}
	return best, nil
}

// publishedRun is a published partition and the date its name gives.
type publishedRun struct{ dir, date string }

// publishedRuns lists the published runs under outputDir, oldest first:
// the folders of outputDir/_runs named <key>=<date> (config.PartitionDate:
// any output.partition_key, either output.partition_format) that hold
// successFile. Work folders (".") and runs without _SUCCESS (half written,
// or failed) are not runs. No outputDir: none.
func publishedRuns(outputDir string) ([]publishedRun, error) {
	runs := filepath.Join(outputDir, config.RunsDir)
	entries, err := os.ReadDir(runs)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var published []publishedRun
	for _, e := range entries { // in name order
		date := config.PartitionDate(e.Name())
		if date == "" {
			continue
		}
		dir := filepath.Join(runs, e.Name())
		if _, err := os.Stat(filepath.Join(dir, successFile)); err == nil {
			published = append(published, publishedRun{dir, date})
		}
	}
	slices.SortStableFunc(published, func(a, b publishedRun) int { return strings.Compare(a.date, b.date) })
	return published, nil
}

// OutputDir is the output.dir of the run whose folder is runDir:
// <output.dir>/_runs/run_date=... (or, for a run published before the
// tables had folders, <output.dir>/run_date=...).
func OutputDir(runDir string) string {
	parent := filepath.Dir(filepath.Clean(runDir))
	if filepath.Base(parent) == config.RunsDir {
		return filepath.Dir(parent)
	}
	return parent
}

// Changes compares this run's metric and mention_rates rows with those of
// the baseline partition dir (aggregate.Changes), which must be a run of the
// same metric.
func Changes(dir string, sc config.Score, scores []aggregate.ScoreRow, rates []aggregate.MentionRateRow) ([]aggregate.ChangeRow, error) {
	base, err := ReadManifest(dir)
	if err != nil {
		return nil, fmt.Errorf("%w: baseline %s: %w", source.ErrInput, dir, err)
	}
	if base.Metric != sc.Metric {
		return nil, fmt.Errorf("%w: baseline %s is a %s run, this one %s: their scores do not compare", source.ErrInput, dir, base.Metric, sc.Metric)
	}
	b := aggregate.Baseline{Date: filepath.Base(dir)}
	if d := config.PartitionDate(b.Date); d != "" {
		b.Date = d
	}
	if b.Scores, err = table.Read[aggregate.ScoreRow](table.Path(dir, table.MetricFile(sc.Metric)), sc); err != nil {
		return nil, fmt.Errorf("%w: baseline %s: %w", source.ErrInput, dir, err)
	}
	if b.Rates, err = table.ReadAll[aggregate.MentionRateRow](table.Path(dir, "mention_rates.parquet")); err != nil {
		return nil, fmt.Errorf("%w: baseline %s: %w", source.ErrInput, dir, err)
	}
	return aggregate.Changes(sc, b, scores, rates), nil
}
