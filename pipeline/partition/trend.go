package partition

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/vocmine/vocmine/config"
	"github.com/vocmine/vocmine/pipeline/aggregate"
	"github.com/vocmine/vocmine/pipeline/source"
	"github.com/vocmine/vocmine/pipeline/table"
)

// TrendRow is one row of one run's metric table, for trend.parquet.
type TrendRow struct {
	RunDate string `parquet:"run_date,dict"`
	aggregate.ScoreRow
}

// trendFile is where Trend writes, under output.dir: a folder whose name
// starts with "_", so readers of the partitions skip it.
const trendFile = "_trend/trend.parquet"

// Trend stacks the metric table rows of every published partition under
// outDir (those with _SUCCESS), oldest first, into
// outDir/_trend/trend.parquet, written to a temporary file and renamed into
// place. Every run must have the same metric (manifest.json).
func Trend(outDir string) (string, int, error) {
	published, err := publishedRuns(outDir)
	if err != nil {
		return "", 0, fmt.Errorf("%w: %w", source.ErrInput, err)
	}
	var rows []TrendRow
	runs, metric := 0, ""
	for _, run := range published {
		p := run.dir
		m, err := ReadManifest(p)
		if err != nil {
			return "", 0, fmt.Errorf("%w: %s: %w", source.ErrInput, p, err)
		}
		if metric != "" && m.Metric != metric {
			return "", 0, fmt.Errorf("%w: %s is a %s run, earlier ones %s: one trend holds one metric", source.ErrInput, p, m.Metric, metric)
		}
		metric = m.Metric
		scores, err := table.Read[aggregate.ScoreRow](table.Path(p, table.MetricFile(metric)), config.MetricScore(metric))
		if err != nil {
			return "", 0, fmt.Errorf("%w: %s: %w", source.ErrInput, p, err)
		}
		for _, r := range scores {
			rows = append(rows, TrendRow{RunDate: run.date, ScoreRow: r})
		}
		runs++
	}
	if runs == 0 {
		return "", 0, fmt.Errorf("%w: no published run_date=... partition under %s", source.ErrNoInput, outDir)
	}
	path := filepath.Join(outDir, trendFile)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "", 0, err
	}
	tmp := path + ".tmp"
	if _, err := table.WriteMetric(tmp, "zstd", rows, table.Words(config.MetricScore(metric))); err != nil {
		os.Remove(tmp)
		return "", 0, err
	}
	return path, runs, os.Rename(tmp, path)
}
