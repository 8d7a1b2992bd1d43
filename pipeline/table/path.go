package table

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/vocmine/vocmine/config"
)

// PartFile is the one file of a table's partition:
// <output.dir>/<table>/run_date=YYYY-MM-DD/part-00000.parquet.
const PartFile = "part-00000.parquet"

// Path is the file name of the run whose folder is runDir: runDir/name for
// the run's own files (manifest.json, report.html ...) and for a table
// (<table>.parquet) while the run is staged (or of a run published before
// the tables had folders); else, for a published run,
// <output.dir>/<table>/<partition>/part-00000.parquet.
func Path(runDir, name string) string {
	flat := filepath.Join(runDir, name)
	table, isTable := strings.CutSuffix(name, ".parquet")
	runs := filepath.Dir(runDir)
	if !isTable || filepath.Base(runs) != config.RunsDir {
		return flat
	}
	if _, err := os.Stat(flat); err == nil {
		return flat
	}
	return filepath.Join(filepath.Dir(runs), table, filepath.Base(runDir), PartFile)
}
