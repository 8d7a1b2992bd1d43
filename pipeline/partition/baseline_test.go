package partition_test

import (
	"bytes"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vocmine/vocmine/pipeline/partition"
)

// TestResolveBaseline: "previous" is the latest published run dated
// strictly before the run, past later, unpublished, failed and work folders;
// none (no run yet, or no output folder yet) is a warning and no baseline; a
// named folder that does not exist is ErrNoBaseline (exit 66), named.
func TestResolveBaseline(t *testing.T) {
	out := t.TempDir()
	for _, d := range []struct {
		name      string
		published bool
	}{
		{"_runs/run_date=2026-11-01", true},
		{"_runs/run_date=2026-11-08", true},               // the latest before 11-10
		{"_runs/run_date=2026-11-09", false},              // half written or failed: no _SUCCESS
		{"_runs/run_date=2026-11-0x", true},               // not a date
		{"_runs/run_date=2026-11-10", true},               // this run's own date (a rerun)
		{"_runs/run_date=2026-11-20", true},               // later
		{"_failed/run_date=2026-11-09", true},             // a failed run's rejects
		{"_runs/.staging-run_date=2026-11-09-1234", true}, // a run's work folder
		{"_runs/.old-run_date=2026-11-09", true},          // a replaced partition
		{"_trend", true},
		{"run_date=2026-11-09", true},     // not in _runs: not a run
		{"nps/run_date=2026-11-09", true}, // a table's partition
	} {
		if err := os.MkdirAll(filepath.Join(out, d.name), 0o755); err != nil {
			t.Fatal(err)
		}
		if d.published {
			if err := os.WriteFile(filepath.Join(out, d.name, "_SUCCESS"), nil, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	empty := t.TempDir()
	for _, tc := range []struct {
		name, out, date, value string
		want                   string
		warn                   bool
		err                    error
	}{
		{"none", out, "2026-11-10", "", "", false, nil},
		{"tenth night", out, "2026-11-10", "previous", filepath.Join(out, "_runs", "run_date=2026-11-08"), false, nil},
		{"second night", out, "2026-11-02", "previous", filepath.Join(out, "_runs", "run_date=2026-11-01"), false, nil},
		{"first night", empty, "2026-11-01", "previous", "", true, nil},
		{"first night, before every run", out, "2026-11-01", "previous", "", true, nil},
		{"first night, no output folder yet", filepath.Join(empty, "out"), "2026-11-01", "previous", "", true, nil},
		{"named", out, "2026-11-10", filepath.Join(out, "_runs", "run_date=2026-11-01"), filepath.Join(out, "_runs", "run_date=2026-11-01"), false, nil},
		{"named missing", out, "2026-11-10", filepath.Join(out, "run_date=2026-10-01"), "", false, partition.ErrNoBaseline},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var log bytes.Buffer
			got, err := partition.ResolveBaseline(slog.New(slog.NewTextHandler(&log, nil)), tc.out, tc.date, tc.value)
			if got != tc.want || !errors.Is(err, tc.err) || (tc.err == nil) != (err == nil) {
				t.Fatalf("ResolveBaseline(%s, %s, %q) = %q, %v; want %q, %v", tc.out, tc.date, tc.value, got, err, tc.want, tc.err)
			}
			if warned := strings.Contains(log.String(), "level=WARN"); warned != tc.warn {
				t.Errorf("warned %v, want %v; log: %s", warned, tc.warn, log.String())
			}
			if err != nil && (!errors.Is(err, partition.ErrNoBaseline) || !strings.Contains(err.Error(), tc.value)) {
				t.Errorf("error %q: want ErrNoBaseline, the folder named", err)
			}
		})
	}
}
