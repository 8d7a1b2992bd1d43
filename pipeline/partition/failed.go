package partition

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// FailedDir is where a run that fails its error budget leaves its rejects:
// <output.dir>/_failed/run_date=YYYY-MM-DD/ (readers of the partitions skip
// folders starting with "_").
const FailedDir = "_failed"

// KeepRejects moves the rejects of a failed run (its folder dir, in
// output.dir/_runs) to <output.dir>/_failed/run_date=.../
// beside error.txt, which says why the run failed (cause) and what each
// input file had counted until then, so that the engineer can see why; it
// replaces an older failure's. Rejects not written (a run that failed
// before its writers opened) are skipped.
func KeepRejects(staging, dir string, cause error, inputs []FileCounts) (string, error) {
	failed := filepath.Join(OutputDir(dir), FailedDir, filepath.Base(dir))
	if err := os.RemoveAll(failed); err != nil {
		return "", err
	}
	if err := os.MkdirAll(failed, 0o755); err != nil {
		return "", err
	}
	for _, name := range []string{"rejects.parquet", "rejects.csv"} {
		err := os.Rename(filepath.Join(staging, name), filepath.Join(failed, name))
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return "", err
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "vocmine: the run of %s failed at %s; nothing was published, and the previous run of this date, if any, is untouched.\n\n",
		filepath.Base(dir), time.Now().UTC().Format(time.RFC3339))
	fmt.Fprintf(&b, "error: %v\n\n", cause)
	fmt.Fprintf(&b, "inputs read (read = accepted + rejected + duplicates + filtered); the rejects are in rejects.csv and rejects.parquet beside this file:\n")
	for _, fc := range inputs {
		c := fc.Counts
		fmt.Fprintf(&b, "  %s: %d = %d + %d + %d + %d\n", fc.Path, c.Read, c.Accepted, c.Rejected, c.Duplicates, c.Filtered)
	}
	if err := writeSynced(filepath.Join(failed, "error.txt"), []byte(b.String())); err != nil {
		return "", err
	}
	return failed, nil
}
