package pipeline

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/parquet-go/parquet-go"
)

// TrendRow is one nps row of one run, for trend.parquet.
type TrendRow struct {
	RunDate string `parquet:"run_date,dict"`
	NPSRow
}

// TrendFile is where Trend writes, under output.dir: a folder whose name
// starts with "_", so readers of the partitions skip it.
const TrendFile = "_trend/trend.parquet"

// Trend stacks the nps rows of every published partition under outDir
// (those with _SUCCESS), oldest first, into outDir/_trend/trend.parquet,
// written to a temporary file and renamed into place.
func Trend(outDir string) (string, int, error) {
	parts, err := filepath.Glob(filepath.Join(outDir, "run_date=*"))
	if err != nil {
		return "", 0, err
	}
	slices.Sort(parts)
	var rows []TrendRow
	runs := 0
	for _, p := range parts {
		if _, err := os.Stat(filepath.Join(p, "_SUCCESS")); err != nil {
			continue // not a published run
		}
		nps, err := parquet.ReadFile[NPSRow](filepath.Join(p, "nps.parquet"))
		if err != nil {
			return "", 0, fmt.Errorf("%w: %s: %w", ErrInput, p, err)
		}
		date := strings.TrimPrefix(filepath.Base(p), "run_date=")
		for _, r := range nps {
			rows = append(rows, TrendRow{RunDate: date, NPSRow: r})
		}
		runs++
	}
	if runs == 0 {
		return "", 0, fmt.Errorf("%w: no published run_date=... partition under %s", ErrNoInput, outDir)
	}
	path := filepath.Join(outDir, TrendFile)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "", 0, err
	}
	tmp := path + ".tmp"
	if _, err := writeTable(tmp, "zstd", rows); err != nil {
		os.Remove(tmp)
		return "", 0, err
	}
	return path, runs, os.Rename(tmp, path)
}
